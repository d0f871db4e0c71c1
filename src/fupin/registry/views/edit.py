"""Forms that change the registry: register and edit a household, add a member, enter a
year's income. Each calls one service; a service's error is shown on the form and
changes nothing."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fupin.core.errors import ApplicationError
from fupin.core.policy import can_view_identifiers
from fupin.geo.choices import Level
from fupin.geo.models import AdminArea
from fupin.registry import idnumbers, services
from fupin.registry.choices import Relation
from fupin.registry.forms import (
    HELPER_PREFIX,
    MEMBER_PREFIX,
    HelperFormSet,
    HouseholdForm,
    HouseholdRegisterForm,
    IncomeForm,
    MemberForm,
    MemberFormSet,
    default_income_year,
    filled,
    helper_data,
    parse_year,
)
from fupin.registry.models import Household, IncomeRecord
from fupin.registry.selectors import household_get
from fupin.registry.views.common import household_for_write, visible_household_or_404
from fupin.web.views.common import (
    error_page,
    show_error,
)

# --- register -------------------------------------------------------------------------------


@login_required
def household_register(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        data = request.POST.copy()
        if "add_member" in data:  # without JavaScript: the same form with one more member row
            total = f"{MEMBER_PREFIX}-TOTAL_FORMS"
            data[total] = str(int(data.get(total) or 0) + 1)
        form = HouseholdRegisterForm(data)
        members = MemberFormSet(data, prefix=MEMBER_PREFIX)
        helpers = HelperFormSet(data, prefix=HELPER_PREFIX)
        if "add_member" not in data and form.is_valid() and members.is_valid() and helpers.is_valid():
            rows = cast(list[MemberForm], filled(members))
            household_data = services.HouseholdData(
                village_code=form.cleaned_data["village"].strip(),
                members=[services.MemberData(**row.member_data()) for row in rows],
                helpers=[services.HelperData(**h) for h in helper_data(helpers)],
                code=form.cleaned_data["code"].strip(),
                **_household_fields(form),
            )
            try:
                household = services.household_register(actor=request.user, data=household_data)
            except ApplicationError as exc:
                show_error(request, exc, form=form, rows=rows)
            else:
                messages.success(request, _("Household %(code)s registered.") % {"code": household.code})
                return redirect("web:household_detail", code=household.code)
    else:
        form = HouseholdRegisterForm(initial={"village": request.GET.get("village") or _own_village(request.user)})
        members = MemberFormSet(prefix=MEMBER_PREFIX, initial=[{"relation": Relation.HEAD}])
        helpers = HelperFormSet(prefix=HELPER_PREFIX)
    return render(
        request,
        "registry/households/register.html",
        {"form": form, "members": members, "helpers": helpers, "village_name": _village_name(request, form)},
    )


@login_required
@require_GET
def member_row(request: HttpRequest) -> HttpResponse:
    """One more empty member row for the register form (HTMX), and the formset's new count."""
    try:
        index = max(int(request.GET.get(f"{MEMBER_PREFIX}-TOTAL_FORMS", "0")), 0)
    except ValueError:
        index = 0
    row = MemberForm(prefix=f"{MEMBER_PREFIX}-{index}")
    return render(
        request,
        "registry/households/_member_row.html",
        {"row": row, "index": index, "total": index + 1, "oob": True},
    )


def _household_fields(form: HouseholdForm) -> dict[str, Any]:
    data = form.cleaned_data
    fields = {name: data[name] for name in services.HOUSEHOLD_FIELDS}
    fields["secondary_causes"] = list(data["secondary_causes"])
    return fields


def _own_village(user: Any) -> str:
    """A village clerk's own village, to start the form with."""
    codes = list(user.areas.filter(level=Level.VILLAGE).values_list("code", flat=True)[:2])
    return codes[0] if len(codes) == 1 else ""


def _village_name(request: HttpRequest, form: HouseholdForm) -> str:
    code = (form["village"].value() or "").strip()
    if not code:
        return ""
    area = AdminArea.objects.visible_to(request.user).filter(code=code, level=Level.VILLAGE).first()
    return area.display_name if area else ""


# --- edit -----------------------------------------------------------------------------------


@login_required
def household_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit a household. A user who may not see phone numbers gets the phone inputs
    empty, with the masked number as placeholder; left empty, the number is kept."""
    show = can_view_identifiers(request.user)
    if request.method == "POST":
        target = household_for_write(code)
        form = HouseholdForm(request.POST)
        helpers = HelperFormSet(request.POST, prefix=HELPER_PREFIX)
        if form.is_valid() and helpers.is_valid():
            changes = _household_fields(form)
            helper_rows = helper_data(helpers)
            if not show:
                _keep_hidden_phones(target, changes, helpers, helper_rows)
            changes["helpers"] = [services.HelperData(**h) for h in helper_rows]
            village = form.cleaned_data["village"].strip()
            if village != target.village.code:
                changes["village_code"] = village
            try:
                services.household_update(actor=request.user, household=target, changes=changes)
            except ApplicationError as exc:
                if household_get(user=request.user, code=code) is None:
                    return error_page(request, exc)
                show_error(request, exc, form=form)
            else:
                messages.success(request, _("Household %(code)s saved.") % {"code": code})
                return redirect("web:household_detail", code=code)
        household = visible_household_or_404(request, code)
    else:
        household = visible_household_or_404(request, code)
        form = HouseholdForm(
            initial={
                "village": household.village.code,
                **{name: getattr(household, name) for name in services.HOUSEHOLD_FIELDS},
                "secondary_causes": list(household.secondary_causes.values_list("cause", flat=True)),
            }
        )
        initial_helpers = list(household.helpers.order_by("id").values("name", "unit", "post", "phone"))
        if not show:
            for helper in initial_helpers:
                helper["phone"] = ""
            form.initial["phone"] = ""
        helpers = HelperFormSet(prefix=HELPER_PREFIX, initial=initial_helpers)
    if not show:
        _mask_phone_inputs(household, form, helpers)
    return render(
        request,
        "registry/households/edit.html",
        {
            "household": household,
            "form": form,
            "helpers": helpers,
            "village_name": _village_name(request, form),
        },
    )


def _mask_phone_inputs(household: Household, form: HouseholdForm, helpers: Any) -> None:
    keep = _("Leave empty to keep the number on file.")
    if household.phone:
        form.fields["phone"].widget.attrs["placeholder"] = idnumbers.mask_phone(household.phone)
        form.fields["phone"].help_text = keep
    phones = list(household.helpers.order_by("id").values_list("phone", flat=True))
    for helper_form, phone in zip(helpers.forms, phones, strict=False):
        if phone:
            helper_form.fields["phone"].widget.attrs["placeholder"] = idnumbers.mask_phone(phone)
            helper_form.fields["phone"].help_text = keep


def _keep_hidden_phones(
    household: Household, changes: dict[str, Any], helpers: Any, rows: list[dict[str, Any]]
) -> None:
    """For a user who was shown no phone numbers: an empty phone input keeps the number
    on file (the household's, and each existing helper's by position)."""
    if not changes.get("phone"):
        changes.pop("phone", None)
    phones = list(household.helpers.order_by("id").values_list("phone", flat=True))
    for row, helper_form in zip(rows, filled(helpers), strict=True):
        index = helpers.forms.index(helper_form)
        if not row.get("phone") and index < len(phones):
            row["phone"] = phones[index]


# --- members --------------------------------------------------------------------------------


@login_required
def member_add(request: HttpRequest, code: str) -> HttpResponse:
    if request.method == "POST":
        target = household_for_write(code)
        form = MemberForm(request.POST)
        if form.is_valid():
            try:
                person = services.member_add(
                    actor=request.user, household=target, data=services.MemberData(**form.member_data())
                )
            except ApplicationError as exc:
                if household_get(user=request.user, code=code) is None:
                    return error_page(request, exc)
                show_error(request, exc, form=form)
            else:
                messages.success(request, _("%(name)s added to the household.") % {"name": person.name})
                return redirect("web:household_detail", code=code)
    else:
        form = MemberForm()
    household = visible_household_or_404(request, code)
    return render(request, "registry/households/member_add.html", {"household": household, "form": form})


# --- incomes --------------------------------------------------------------------------------


@login_required
def income_enter(request: HttpRequest, code: str) -> HttpResponse:
    if request.method == "POST":
        target = household_for_write(code)
        form = IncomeForm(request.POST)
        if form.is_valid():
            try:
                income = services.income_record_save(
                    actor=request.user,
                    household=target,
                    year=form.cleaned_data["year"],
                    amounts=form.amounts(),
                    household_size=form.cleaned_data["household_size"],
                )
            except ApplicationError as exc:
                if household_get(user=request.user, code=code) is None:
                    return error_page(request, exc)
                show_error(request, exc, form=form)
            else:
                messages.success(
                    request,
                    _("Income of %(year)s saved: per capita net income %(pc)s yuan.")
                    % {"year": income.year, "pc": income.per_capita_net_income},
                )
                return redirect("web:household_detail", code=code)
        household = visible_household_or_404(request, code)
        existing = None
    else:
        household = visible_household_or_404(request, code)
        year = parse_year(request.GET.get("year")) or default_income_year()
        existing = IncomeRecord.objects.visible_to(request.user).filter(household=household, year=year).first()
        initial: dict[str, Any] = {"year": year, "household_size": household.members.count()}
        if existing is not None:
            initial["household_size"] = existing.household_size
            initial.update({name: getattr(existing, name) for name in IncomeRecord.AMOUNT_FIELDS})
        form = IncomeForm(initial=initial)
    years = list(
        IncomeRecord.objects.visible_to(request.user)
        .filter(household=household)
        .order_by("year")
        .values_list("year", flat=True)
    )
    return render(
        request,
        "registry/households/income.html",
        {"household": household, "form": form, "existing": existing, "years": years},
    )
