"""The household list, the household page and its workflow steps."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.choices import Role
from fupin.core.errors import ApplicationError
from fupin.core.policy import ROLE_RANK, role_rank
from fupin.registry import services
from fupin.registry.choices import Action, Relation, Stage
from fupin.registry.filters import HouseholdFilterSet
from fupin.registry.forms import ASSURANCE_LABELS, StepForm
from fupin.registry.models import Household, Person
from fupin.registry.selectors import (
    household_get,
    household_history,
    household_income_history,
    household_timeline,
)
from fupin.registry.views.common import household_for_write, visible_household_or_404
from fupin.registry.workflow import STEPS, available_actions, procedures_open_to
from fupin.web.views.common import (
    HtmxHttpRequest,
    can_write,
    describe_history,
    error_page,
    show_error,
    visible_ancestors,
)

PAGE_SIZE = 50
# The filters the list shows, in order; the others of the FilterSet still work in the URL.
LIST_FILTERS = ["q", "area", "status", "cause", "type", "key_village", "procedure", "deprived"]


# --- list -----------------------------------------------------------------------------------


@login_required
def household_list(request: HtmxHttpRequest) -> HttpResponse:
    base = Household.objects.visible_to(request.user).select_related("village").order_by("code")
    filterset = HouseholdFilterSet(request.GET or None, queryset=base, request=request)
    form = filterset.form
    form.fields["status"].widget = forms.CheckboxSelectMultiple(choices=form.fields["status"].choices)
    if filterset.is_bound and not filterset.is_valid():
        households = base.none()
    else:
        try:
            households = filterset.qs
        except ValidationError as exc:  # the area filter checks its code while filtering
            form.add_error("area", exc)
            households = base.none()
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _rows(list(page.object_list))
    context = {
        "form": form,
        "filters": [form[name] for name in LIST_FILTERS],
        "page": page,
        "rows": rows,
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "registry/households/_results.html", context)
    else:
        response = render(request, "registry/households/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _rows(households: list[Household]) -> list[dict[str, Any]]:
    """The page's households with their head and member count: one query for all members
    of the page, whatever the size of the registry."""
    heads: dict[int, str] = {}
    counts: dict[int, int] = defaultdict(int)
    members = Person.objects.filter(household_id__in=[h.pk for h in households]).values_list(
        "household_id", "relation", "name"
    )
    for household_id, relation, name in members:
        counts[household_id] += 1
        if relation == Relation.HEAD:
            heads[household_id] = name
    return [{"household": h, "head": heads.get(h.pk, ""), "members": counts[h.pk]} for h in households]


# --- detail ---------------------------------------------------------------------------------


@login_required
def household_detail(request: HtmxHttpRequest, code: str) -> HttpResponse:
    household = visible_household_or_404(request, code)
    context = _detail_context(request, household)
    return render(request, "registry/households/detail.html", context)


def _detail_context(
    request: HtmxHttpRequest, household: Household, step_form: StepForm | None = None
) -> dict[str, Any]:
    user = request.user
    area = household.village
    income = household_income_history(household)
    chart = {
        "years": [row["record"].year for row in income],
        "per_capita": [float(row["per_capita"]) for row in income],
        "line": [float(row["line"]) if row["line"] is not None else None for row in income],
        "labels": {
            "per_capita": _("Per capita net income"),
            "line": _("Poverty line"),
            "yuan": _("yuan"),
        },
    }
    return {
        "household": household,
        "ancestors": visible_ancestors(user, area),
        "secondary_causes": household.secondary_causes.order_by("id"),
        "helpers": household.helpers.order_by("id"),
        "members": household.members.order_by("id"),
        "assurances": _assurances(household),
        "income": income,
        "chart": chart,
        "can_write": can_write(user),
        **_workflow_context(request, household, step_form),
        **_history_context(request, household),
    }


def _assurances(household: Household) -> list[dict[str, Any]]:
    """The household's 两不愁三保障 items with their state, in the order of the register."""
    states = {True: _("assured"), False: _("not assured"), None: _("not yet assessed")}
    return [
        {"label": ASSURANCE_LABELS[name], "value": getattr(household, name), "state": states[getattr(household, name)]}
        for name in Household.ASSURANCE_FIELDS
    ]


def _workflow_context(
    request: HtmxHttpRequest, household: Household, step_form: StepForm | None = None
) -> dict[str, Any]:
    actions = available_actions(household.status, household.procedure, household.stage)
    procedures = procedures_open_to(household.status)
    rank = role_rank(request.user)
    choices = []
    for action in actions:
        needed = STEPS[action].roles.get(household.stage or "", Role.COUNTY)
        choices.append(
            {
                "value": action,
                "label": Action(action).label,
                "needs": Role(needed).label if rank < ROLE_RANK[needed] else "",
            }
        )
    return {
        "household": household,
        "progress": _progress(household),
        "actions": choices,
        "offers_apply": Action.APPLY in actions,
        "step_form": step_form or StepForm(procedures=procedures),
        "timeline": household_timeline(household),
        "can_write": can_write(request.user),
    }


_CHAIN = [Stage.APPLIED, Stage.APPRAISED, Stage.NOTICE_1, Stage.REVIEWED, Stage.NOTICE_2]


def _progress(household: Household) -> list[dict[str, Any]]:
    """The steps of the open procedure, the completed ones marked."""
    if not household.procedure:
        return []
    reached = _CHAIN.index(Stage(household.stage)) if household.stage in _CHAIN else -1
    steps = [{"label": stage.label, "done": i <= reached, "current": i == reached} for i, stage in enumerate(_CHAIN)]
    steps.append({"label": Action.APPROVE.label, "done": False, "current": False})
    return steps


def _history_context(request: HtmxHttpRequest, household: Household) -> dict[str, Any]:
    return {"history": describe_history(request.user, list(household_history(household)[:200]))}


# --- workflow -------------------------------------------------------------------------------


@login_required
@require_POST
def household_step(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """One workflow step through ``services.household_step``; errors change nothing and are
    shown on the panel."""
    target = household_for_write(code)
    form = StepForm(request.POST, procedures=procedures_open_to(target.status))
    shown: StepForm | None = form  # the form the panel shows again (None: a fresh one)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.household_step(
                actor=request.user,
                household=target,
                action=data["action"],
                on=data["date"],
                procedure=(data.get("procedure") or None) if data["action"] == Action.APPLY else None,
                note=data.get("note", ""),
            )
        except ApplicationError as exc:
            if household_get(user=request.user, code=code) is None:
                return error_page(request, exc)
            show_error(request, exc, form=form)
        else:
            messages.success(request, _("Recorded: %(action)s.") % {"action": Action(data["action"]).label})
            if not request.htmx:
                return redirect("web:household_detail", code=code)
            shown = None
    else:
        messages.error(request, _("Please correct the errors in the workflow form."))
    household = visible_household_or_404(request, code)
    if request.htmx:
        context = {**_workflow_context(request, household, shown), **_history_context(request, household)}
        return render(request, "registry/households/_step_response.html", context)
    return render(request, "registry/households/detail.html", _detail_context(request, household, shown))
