"""What assistance adds to other apps' pages (``fupin.web.panels``): on the person page
(and the household page, for its members) the aid received as a student from assisting
units. The household's history names the fields of these records by the models' labels
(``fupin.web.history``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fupin.assistance import selectors
from fupin.assistance.models import AssistingUnit, Cadre, Contribution, Pairing, StudentAid, SupportedProject, Visit
from fupin.web import history, panels


def _person(request: HttpRequest, person: Any) -> dict[str, Any]:
    return {"student_aid": selectors.person_aid(request.user, person)}


def _household(request: HttpRequest, household: Any) -> dict[str, Any] | None:
    aid = list(selectors.students(request.user).filter(person__household=household).order_by("-year", "id"))
    return {"student_aid": aid, "household_page": True} if aid else None


panels.register(page="person", template="assistance/_student_aid_panel.html", context=_person, order=90)
panels.register(page="household", template="assistance/_student_aid_panel.html", context=_household, order=90)

for model in (AssistingUnit, Pairing, Cadre, Visit, Contribution, SupportedProject, StudentAid):
    history.register_model(model)
