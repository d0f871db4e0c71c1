"""The training pages: the classes, a base, a class with its roster (enrol by ID number,
completion, transfers), enrolment from a household's members, county targets and the
suggested allocation. Thin: every write is a service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fupin.core.errors import ApplicationError
from fupin.registry.models import Household
from fupin.training import selectors, services
from fupin.training.filters import TrainingClassFilterSet
from fupin.training.forms import CompleteForm, TargetForm, TraineeForm, TransferForm, YearForm
from fupin.training.models import TrainingClass
from fupin.web.views.common import can_write, show_error


def _class(request: HttpRequest, code: str) -> TrainingClass:
    klass = selectors.classes(request.user).filter(code=code).first()
    if klass is None:
        raise Http404
    return klass


@login_required
def class_list(request: HttpRequest) -> HttpResponse:
    filters = TrainingClassFilterSet(
        request.GET, queryset=selectors.classes(request.user).order_by("-end_date", "code")
    )
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    bases = selectors.bases(request.user).order_by("code")[:200]
    return render(request, "training/class_list.html", {"filters": filters, "page": page, "bases": bases})


@login_required
def base_detail(request: HttpRequest, code: str) -> HttpResponse:
    base = selectors.bases(request.user).filter(code=code).first()
    if base is None:
        raise Http404
    classes = selectors.classes(request.user).filter(base=base).order_by("-start_date")
    return render(request, "training/base_detail.html", {"base": base, "classes": classes})


@login_required
@require_http_methods(["GET", "POST"])
def class_detail(request: HttpRequest, code: str) -> HttpResponse:
    klass = _class(request, code)
    forms = {
        "enrol": TraineeForm(prefix="enrol"),
        "complete": CompleteForm(prefix="complete"),
        "transfer": TransferForm(prefix="transfer"),
    }
    if request.method == "POST" and can_write(request.user):
        which = request.POST.get("action", "")
        form_class = {"enrol": TraineeForm, "complete": CompleteForm, "transfer": TransferForm}.get(which)
        if form_class is not None:
            form = form_class(request.POST, prefix=which)
            forms[which] = form
            if form.is_valid():
                data = dict(form.cleaned_data)
                try:
                    if which == "enrol":
                        services.enrolment_create(actor=request.user, klass=klass, id_number=data["id_number"])
                        messages.success(request, _("Enrolled."))
                    elif which == "complete":
                        services.enrolment_complete(
                            actor=request.user,
                            klass=klass,
                            id_number=data["id_number"],
                            on=data["completed_on"],
                            certificate_number=data["certificate_number"],
                        )
                        messages.success(request, _("Completion recorded."))
                    else:
                        services.transfer_record(actor=request.user, klass=klass, **data)
                        messages.success(request, _("Transfer recorded."))
                    return redirect("training:class_detail", code=klass.code)
                except ApplicationError as exc:
                    show_error(request, exc, form=form)
    roster = selectors.class_roster(klass)
    return render(
        request,
        "training/class_detail.html",
        {"klass": klass, "roster": roster, "forms": forms, "can_write": can_write(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrol_members(request: HttpRequest, code: str, household: str) -> HttpResponse:
    """Enrol members of a household in a class: the household's members, ticked."""
    klass = _class(request, code)
    found = Household.objects.visible_to(request.user).filter(code=household).first()
    if found is None:
        raise Http404
    members = list(found.members.order_by("id"))
    enrolled = set(klass.enrolments.filter(person__household=found).values_list("person_id", flat=True))
    if request.method == "POST" and can_write(request.user):
        chosen = {int(v) for v in request.POST.getlist("person") if v.isdigit()}
        try:
            for person in members:
                if person.pk in chosen and person.pk not in enrolled:
                    services.enrolment_create(actor=request.user, klass=klass, person=person)
            messages.success(request, _("Enrolled."))
            return redirect("training:class_detail", code=klass.code)
        except ApplicationError as exc:
            show_error(request, exc)
    return render(
        request,
        "training/enrol_members.html",
        {"klass": klass, "household": found, "members": members, "enrolled": enrolled},
    )


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    query = YearForm(request.GET or None)
    year = (query.cleaned_data.get("year") if query.is_valid() else None) or timezone.localdate().year
    form = TargetForm(initial={"year": year})
    if request.method == "POST" and can_write(request.user):
        form = TargetForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.target_set(actor=request.user, area_code=data.pop("area"), **data)
                messages.success(request, _("Target saved."))
                return redirect(f"{request.path}?year={data['year']}")
            except ApplicationError as exc:
                show_error(request, exc, form=form)
    rows = selectors.target_completion(user=request.user, year=year)
    return render(request, "training/targets.html", {"rows": rows, "year": year, "form": form, "query": query})


@login_required
def allocation(request: HttpRequest) -> HttpResponse:
    query = YearForm(request.GET or None)
    year = (query.cleaned_data.get("year") if query.is_valid() else None) or timezone.localdate().year - 1
    total = query.cleaned_data.get("total") if query.is_valid() else None
    result = selectors.allocation(user=request.user, year=year, total=total)
    return render(request, "training/allocation.html", {"result": result, "query": query, "year": year})
