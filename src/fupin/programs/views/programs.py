"""Pages of the programs: the batches of entire village advancement (and a new batch), a
batch's villages and progress (and a new village plan), a village plan (projects, funds,
outputs, the acceptance checklist and acceptance, and a new project) and a project
(outputs, disbursements, beneficiaries, labour, its ledger, and its status, years and
budget).

Each form calls one service; a service's error is shown as a message naming the record
and the field, on the form it came from, and changes nothing. A form is shown only to
the roles its service accepts (``has_role``); the service checks role and scope again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.choices import Role
from fupin.core.errors import ApplicationError, InvalidInput
from fupin.funds import services as fund_services
from fupin.funds.choices import Source
from fupin.funds.forms import DisburseForm, ReverseForm
from fupin.funds.models import Entry
from fupin.funds.selectors import project_entries
from fupin.programs import selectors, services
from fupin.programs.choices import PlanStatus, ProgramType
from fupin.programs.filters import VillagePlanFilterSet
from fupin.programs.forms import (
    AcceptForm,
    BatchForm,
    BeneficiariesForm,
    ChecklistForm,
    LabourForm,
    OutputForm,
    PlanForm,
    PlanStartForm,
    ProjectEditForm,
    ProjectForm,
)
from fupin.programs.models import (
    Batch,
    Beneficiary,
    ContiguousZone,
    LabourInput,
    OutputKind,
    Project,
    ProjectOutput,
    VillagePlan,
)
from fupin.registry.models import Household
from fupin.web.views.common import (
    can_write,
    error_page,
    has_role,
    invalid_form,
    show_service_error,
    submit,
    visible_ancestors,
)

PAGE_SIZE = 100


def next_code(prefix: str) -> str:
    """A suggested project code: ``prefix`` and the next two-digit number not yet used."""
    used = set(Project.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = 1
    while f"{prefix}{n:02d}" in used:
        n += 1
    return f"{prefix}{n:02d}"


# --- batches --------------------------------------------------------------------------------------


def _batch_list_page(request: HttpRequest, form: BatchForm | None = None) -> HttpResponse:
    rows = selectors.batch_progress(user=request.user)
    for row in rows:
        row["percent"] = round(100 * row[PlanStatus.ACCEPTED] / row["total"]) if row["total"] else 0
    can_create = has_role(request.user, Role.PROVINCE)
    if form is None and can_create:
        last = rows[-1]["batch"].number if rows else 0
        form = BatchForm(initial={"number": last + 1}, auto_id="batch_%s")
    return render(request, "programs/batch_list.html", {"rows": rows, "batch_form": form if can_create else None})


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    return _batch_list_page(request)


@login_required
@require_POST
def batch_create(request: HttpRequest) -> HttpResponse:
    def call(data: dict[str, Any]) -> Batch:
        return services.batch_create(
            actor=request.user,
            number=data["number"],
            name=data["name"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            note=data["note"],
        )

    form = BatchForm(request.POST, auto_id="batch_%s")
    ok, batch = submit(
        request,
        form,
        call,
        done=lambda b: _("Batch %(number)s created.") % {"number": b.number},
        models_=(Batch,),
    )
    if ok:
        return redirect("web:batch_detail", number=batch.number)
    return _batch_list_page(request, form)


def _batch_or_404(number: int) -> Batch:
    batch = Batch.objects.filter(number=number).first()
    if batch is None:
        raise Http404(_("No batch with this number."))
    return batch


@login_required
def batch_detail(request: HttpRequest, number: int) -> HttpResponse:
    return _batch_page(request, _batch_or_404(number))


def _batch_page(request: HttpRequest, batch: Batch, plan_form: PlanForm | None = None) -> HttpResponse:
    progress = selectors.batch_counties(user=request.user, batch=batch)
    base = selectors.batch_plans(user=request.user, batch=batch)
    filterset = VillagePlanFilterSet(request.GET or None, queryset=base)
    if filterset.is_bound and not filterset.is_valid():
        plans = base.none()
    else:
        try:
            plans = filterset.qs
        except ValidationError as exc:  # the area filter checks its code while filtering
            filterset.form.add_error("area", exc)
            plans = base.none()
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programs/batch_detail.html",
        {
            "batch": batch,
            "totals": progress["totals"],
            "counties": progress["counties"],
            "form": filterset.form,
            "page": page,
            "query": query.urlencode(),
            "statuses": PlanStatus.choices,
            "plan_form": (plan_form or PlanForm(auto_id="plan_%s")) if has_role(request.user, Role.COUNTY) else None,
        },
    )


@login_required
@require_POST
def plan_create(request: HttpRequest, number: int) -> HttpResponse:
    """Put a village into the batch with its plan; on to the new plan's page."""
    batch = _batch_or_404(number)

    def call(data: dict[str, Any]) -> VillagePlan:
        return services.plan_create(
            actor=request.user,
            batch=batch,
            village_code=data["village"].strip(),
            planned_investment=data["planned_investment"],
            note=data["note"],
        )

    form = PlanForm(request.POST, auto_id="plan_%s")
    ok, plan = submit(
        request,
        form,
        call,
        done=lambda p: _("Village plan of %(village)s created.") % {"village": p.village.display_name},
        models_=(VillagePlan,),
    )
    if ok:
        return redirect("web:plan_detail", village=plan.village.code)
    return _batch_page(request, batch, plan_form=form)


# --- village plans --------------------------------------------------------------------------------


def _visible_plan(request: HttpRequest, village: str) -> VillagePlan:
    plan = selectors.plan_get(user=request.user, village_code=village)
    if plan is None:
        raise Http404(_("No village plan for this village in your areas."))
    return plan


def _plan_for_write(village: str) -> VillagePlan:
    """Unscoped fetch, only to hand to a service, which checks the scope itself."""
    plan = VillagePlan.objects.select_related("village", "batch").filter(village__code=village).first()
    if plan is None:
        raise Http404(_("No village plan for this village."))
    return plan


def _source_label(code: str) -> str:
    return str(Source(code).label) if code in Source.values else code


def _plan_page(request: HttpRequest, plan: VillagePlan, **bound: forms.Form) -> HttpResponse:
    overview = selectors.plan_overview(plan)
    for row in overview["projects"]:
        row["sources"] = [(_source_label(s), amount) for s, amount in row["disbursed_by_source"].items()]
    for row in overview["by_source"]:
        row["label"] = _source_label(row["source"])
    checklist = bound.get("checklist") or ChecklistForm(initial={n: v for n, _g, _l, v in plan.checklist()})
    if plan.status == PlanStatus.ACCEPTED:
        for field in checklist.fields.values():
            field.disabled = True
    context = {
        "plan": plan,
        "ancestors": visible_ancestors(request.user, plan.village),
        "overview": overview,
        "checklist_form": checklist,
        "checklist_done": plan.checklist_done(),
        "checklist_total": len(plan.CHECKLIST_FIELDS),
        "start_form": bound.get("start") or PlanStartForm(),
        "accept_form": bound.get("accept") or AcceptForm(),
        "can_write": can_write(request.user),
        "can_record": has_role(request.user, Role.TOWNSHIP),
        "can_manage": has_role(request.user, Role.COUNTY),
    }
    if context["can_manage"]:
        context["project_form"] = bound.get("project") or _new_project_form(plan)
    return render(request, "programs/plan_detail.html", context)


def _new_project_form(plan: VillagePlan, data: Any = None) -> ProjectForm:
    initial = {
        "code": next_code(f"ZT{plan.batch.number}-{plan.village.code}-"),
        "start_year": plan.batch.start_year,
        "end_year": plan.batch.end_year,
    }
    return ProjectForm(data, initial=initial, auto_id="project_%s")


@login_required
def plan_detail(request: HttpRequest, village: str) -> HttpResponse:
    return _plan_page(request, _visible_plan(request, village))


def _plan_action(
    request: HttpRequest,
    village: str,
    name: str,
    form: forms.Form,
    call: Callable[[VillagePlan, Any], Any],
    done: str | Callable[[Any], str],
    models_: tuple[type[models.Model], ...] = (VillagePlan,),
) -> HttpResponse:
    """Run one service on a plan from a posted form: back to the plan with a message, or
    the plan page again with the form and the error."""
    return _act_on(
        request,
        _plan_for_write(village),
        form,
        call,
        done,
        models_,
        visible=lambda: selectors.plan_get(user=request.user, village_code=village) is not None,
        success=lambda: redirect("web:plan_detail", village=village),
        again=lambda: _plan_page(request, _visible_plan(request, village), **{name: form}),
    )


def _act_on(
    request: HttpRequest,
    target: Any,
    form: forms.Form,
    call: Callable[[Any, Any], Any],
    done: str | Callable[[Any], str],
    models_: tuple[type[models.Model], ...],
    *,
    visible: Callable[[], bool],
    success: Callable[[], HttpResponse],
    again: Callable[[], HttpResponse],
) -> HttpResponse:
    """Run one service on a plan or project from a posted form: ``success`` with a
    message; or ``again`` (its page with the form and the error); or an error page when
    the user may not even see the object."""
    if not form.is_valid():
        invalid_form(request)
        return again()
    try:
        result = call(target, form)
    except ApplicationError as exc:
        if not visible():
            return error_page(request, exc)
        show_service_error(request, exc, form=form, models_=models_)
        return again()
    messages.success(request, done(result) if callable(done) else done)
    return success()


@login_required
@require_POST
def plan_start(request: HttpRequest, village: str) -> HttpResponse:
    def call(plan: VillagePlan, form: forms.Form) -> None:
        services.plan_start(actor=request.user, plan=plan, on=form.cleaned_data["date"])

    return _plan_action(request, village, "start", PlanStartForm(request.POST), call, _("Work on the plan has begun."))


@login_required
@require_POST
def plan_checklist(request: HttpRequest, village: str) -> HttpResponse:
    def call(plan: VillagePlan, form: ChecklistForm) -> None:
        services.plan_checklist_set(actor=request.user, plan=plan, items=form.items())

    form = ChecklistForm(request.POST)
    return _plan_action(request, village, "checklist", form, call, _("Acceptance checklist saved."))


@login_required
@require_POST
def plan_accept(request: HttpRequest, village: str) -> HttpResponse:
    def call(plan: VillagePlan, form: forms.Form) -> None:
        data = form.cleaned_data
        services.plan_accept(actor=request.user, plan=plan, on=data["accepted_on"], officials=data["accepted_by"])

    form = AcceptForm(request.POST)
    return _plan_action(request, village, "accept", form, call, _("The village is accepted as completed."))


@login_required
@require_POST
def project_create(request: HttpRequest, village: str) -> HttpResponse:
    """A new project of the village plan, in its village, of entire village advancement."""

    def call(plan: VillagePlan, form: forms.Form) -> Project:
        data = form.cleaned_data
        return services.project_create(
            actor=request.user,
            data=services.ProjectData(
                code=data["code"],
                name=data["name"],
                program=ProgramType.VILLAGE_ADVANCEMENT,
                category=data["category"],
                area_code=plan.village.code,
                start_year=data["start_year"],
                end_year=data["end_year"],
                budget=data["budget"],
                plan=plan,
                note=data["note"],
            ),
        )

    def done(project: Project) -> str:
        return _("Project %(code)s created.") % {"code": project.code}

    form = _new_project_form(_plan_for_write(village), request.POST)
    return _plan_action(request, village, "project", form, call, done, (Project,))


# --- projects -------------------------------------------------------------------------------------


def _visible_project(request: HttpRequest, code: str) -> Project:
    project = selectors.project_get(user=request.user, code=code)
    if project is None:
        raise Http404(_("No project with this code in your areas."))
    return project


def _project_for_write(code: str) -> Project:
    """Unscoped fetch, only to hand to a service, which checks the scope itself."""
    project = Project.objects.select_related("area", "plan__village").filter(code=code).first()
    if project is None:
        raise Http404(_("No project with this code."))
    return project


def _output_form(data: Any = None) -> OutputForm:
    return OutputForm(
        data, kinds=OutputKind.objects.order_by("order", "code"), initial=_year_initial(), auto_id="output_%s"
    )


def _year_initial() -> dict[str, Any]:
    return {"year": timezone.localdate().year}


def project_page(request: HttpRequest, project: Project, **bound: forms.Form) -> HttpResponse:
    overview = selectors.project_overview(project)
    for row in overview["funds"]:
        row["label"] = _source_label(row["source"])
    entries = list(project_entries(project))
    context = {
        "project": project,
        "ancestors": visible_ancestors(request.user, project.area),
        "overview": overview,
        "entries": entries,
        "output_form": bound.get("output") or _output_form(),
        "disburse_form": bound.get("disburse") or DisburseForm(initial=_year_initial(), auto_id="disburse_%s"),
        "labour_form": bound.get("labour") or LabourForm(initial=_year_initial(), auto_id="labour_%s"),
        "beneficiaries_form": bound.get("beneficiaries")
        or BeneficiariesForm(initial=_year_initial(), auto_id="beneficiaries_%s"),
        "edit_form": bound.get("edit") or _edit_form(project),
        "zone_visible": project.zone_id is not None
        and ContiguousZone.objects.visible_to(request.user).filter(pk=project.zone_id).exists(),
        "reverse_form": ReverseForm(),
        "can_write": can_write(request.user),
        "can_record": has_role(request.user, Role.TOWNSHIP),
        "can_manage": has_role(request.user, Role.COUNTY),
    }
    return render(request, "programs/project_detail.html", context)


def _edit_form(project: Project, data: Any = None) -> ProjectEditForm:
    initial = {name: getattr(project, name) for name in ("status", "start_year", "end_year", "budget")}
    return ProjectEditForm(data, initial=initial, auto_id="edit_%s")


@login_required
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    return project_page(request, _visible_project(request, code))


def _project_action(
    request: HttpRequest,
    code: str,
    name: str,
    form: forms.Form,
    call: Callable[[Project, Any], Any],
    done: str | Callable[[Any], str],
    models_: tuple[type[models.Model], ...],
) -> HttpResponse:
    return _act_on(
        request,
        _project_for_write(code),
        form,
        call,
        done,
        models_,
        visible=lambda: selectors.project_get(user=request.user, code=code) is not None,
        success=lambda: redirect("web:project_detail", code=code),
        again=lambda: project_page(request, _visible_project(request, code), **{name: form}),
    )


@login_required
@require_POST
def output_record(request: HttpRequest, code: str) -> HttpResponse:
    def call(project: Project, form: forms.Form) -> None:
        data = form.cleaned_data
        services.output_record(
            actor=request.user, project=project, kind_code=data["kind"], year=data["year"], quantity=data["quantity"]
        )

    return _project_action(
        request, code, "output", _output_form(request.POST), call, _("Output recorded."), (ProjectOutput,)
    )


@login_required
@require_POST
def disburse(request: HttpRequest, code: str) -> HttpResponse:
    def call(project: Project, form: forms.Form) -> None:
        data = form.cleaned_data
        fund_services.disburse(
            actor=request.user,
            project=project,
            source=data["source"],
            year=data["year"],
            amount=data["amount"],
            on=data["date"],
            document=data["document"],
            note=data["note"],
        )

    form = DisburseForm(request.POST, auto_id="disburse_%s")
    return _project_action(request, code, "disburse", form, call, _("Disbursement recorded."), (Entry,))


@login_required
@require_POST
def labour_record(request: HttpRequest, code: str) -> HttpResponse:
    def call(project: Project, form: forms.Form) -> None:
        data = form.cleaned_data
        services.labour_record(
            actor=request.user,
            project=project,
            year=data["year"],
            persons=data["persons"],
            person_days=data["person_days"],
        )

    return _project_action(
        request,
        code,
        "labour",
        LabourForm(request.POST, auto_id="labour_%s"),
        call,
        _("Labour recorded."),
        (LabourInput,),
    )


@login_required
@require_POST
def beneficiaries_add(request: HttpRequest, code: str) -> HttpResponse:
    def call(project: Project, form: BeneficiariesForm) -> int:
        codes = form.codes()
        households = {h.code: h for h in Household.objects.select_related("village").filter(code__in=codes)}
        missing = [c for c in codes if c not in households]
        if missing:
            raise InvalidInput(_("No household with this code."), record=missing[0], field="households")
        return services.beneficiaries_add(
            actor=request.user,
            project=project,
            households=[households[c] for c in codes],
            year=form.cleaned_data["year"],
        )

    def done(count: int) -> str:
        return _("Households added: %(count)s.") % {"count": count}

    form = BeneficiariesForm(request.POST, auto_id="beneficiaries_%s")
    return _project_action(request, code, "beneficiaries", form, call, done, (Beneficiary,))


@login_required
@require_POST
def project_update(request: HttpRequest, code: str) -> HttpResponse:
    def call(project: Project, form: ProjectEditForm) -> Project:
        return services.project_update(actor=request.user, project=project, changes=form.changes())

    form = _edit_form(_project_for_write(code), request.POST)
    return _project_action(request, code, "edit", form, call, _("Project saved."), (Project,))
