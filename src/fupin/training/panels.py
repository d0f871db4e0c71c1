"""What training adds to other apps' pages (``fupin.web.panels``): on the household page
the members' training and transfers to employment, with a button to enrol members; on the
person page the person's. The household's history names the fields of its members'
enrolments and transfers by the models' labels (``fupin.web.history``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fupin.training import selectors
from fupin.training.models import Enrolment, SubsidyPayment, Target, TrainingBase, TrainingClass, Transfer
from fupin.web import history, panels


def _household(request: HttpRequest, household: Any) -> dict[str, Any]:
    classes = selectors.classes(request.user).order_by("-end_date", "code")[:10]
    return {"training_rows": selectors.household_training(household), "open_classes": classes}


def _person(request: HttpRequest, person: Any) -> dict[str, Any]:
    return {"enrolments": list(selectors.person_training(person))}


panels.register(page="household", template="training/_household_panel.html", context=_household, order=60)
panels.register(page="person", template="training/_person_panel.html", context=_person, order=60)

for model in (TrainingBase, TrainingClass, Enrolment, Transfer, Target, SubsidyPayment):
    history.register_model(model)
