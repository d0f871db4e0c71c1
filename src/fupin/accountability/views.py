"""The accountability pages: assessments (open one with weights, change the weights, run
it, the ranking, evidence files up and down), targets (set per area and indicator, the
indicator chosen from the specification's list), responsibility assignments, typical
models and promotion meetings. Thin: every write is a service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fupin.accountability import selectors, services
from fupin.accountability.api import evidence_response
from fupin.accountability.filters import AssessmentFilterSet
from fupin.accountability.forms import (
    AssessmentForm,
    AssignmentForm,
    EvidenceForm,
    MeetingForm,
    ModelForm,
    TargetForm,
    WeightsForm,
    YearForm,
)
from fupin.analytics.indicators import indicators
from fupin.core.errors import ApplicationError
from fupin.web.views.common import can_write, show_error


def _year(request: HttpRequest) -> int:
    query = YearForm(request.GET or None)
    return (query.cleaned_data.get("year") if query.is_valid() else None) or timezone.localdate().year


def _names() -> dict[str, str]:
    language = translation.get_language() or "zh-hans"
    return {i.id: i.name(language) for i in indicators().values()}


@login_required
@require_http_methods(["GET", "POST"])
def assessment_list(request: HttpRequest) -> HttpResponse:
    filters = AssessmentFilterSet(
        request.GET, queryset=selectors.assessments(request.user).order_by("-year", "area__code")
    )
    form = AssessmentForm(prefix="assessment")
    if request.method == "POST" and can_write(request.user):
        form = AssessmentForm(request.POST, prefix="assessment")
        if form.is_valid():
            data = form.cleaned_data
            try:
                assessment = services.assessment_create(
                    actor=request.user,
                    area_code=data["area"],
                    year=data["year"],
                    title=data["title"],
                    weights=form.weights(),
                )
                messages.success(request, _("Assessment opened."))
                return redirect("accountability:assessment_detail", pk=assessment.pk)
            except ApplicationError as exc:
                show_error(request, exc, form=form)
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accountability/assessment_list.html",
        {"filters": filters, "page": page, "form": form, "can_write": can_write(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessments(request.user).filter(pk=pk).first()
    if assessment is None:
        raise Http404
    initial: dict[str, Any] = {}
    for i, w in enumerate(assessment.weights.all(), start=1):
        initial[f"indicator_{i}"], initial[f"weight_{i}"] = w.indicator, w.weight
    weights_form = WeightsForm(prefix="weights", initial=initial)
    evidence_form = EvidenceForm(prefix="evidence")
    if request.method == "POST" and can_write(request.user):
        which = request.POST.get("action", "")
        try:
            if which == "weights":
                weights_form = WeightsForm(request.POST, prefix="weights")
                if weights_form.is_valid():
                    services.assessment_set_weights(
                        actor=request.user, assessment=assessment, weights=weights_form.weights()
                    )
                    messages.success(request, _("Weights saved."))
                    return redirect("accountability:assessment_detail", pk=pk)
            elif which == "run":
                services.assessment_run(actor=request.user, assessment=assessment)
                messages.success(request, _("Assessment run: the ranking is below."))
                return redirect("accountability:assessment_detail", pk=pk)
            elif which == "evidence":
                evidence_form = EvidenceForm(request.POST, request.FILES, prefix="evidence")
                if evidence_form.is_valid():
                    upload = evidence_form.cleaned_data["file"]
                    services.evidence_attach(
                        actor=request.user,
                        assessment=assessment,
                        name=upload.name or "",
                        data=services.read_limited(upload, size=upload.size),
                        description=evidence_form.cleaned_data["description"],
                    )
                    messages.success(request, _("Evidence file attached."))
                    return redirect("accountability:assessment_detail", pk=pk)
        except ApplicationError as exc:
            show_error(request, exc, form=evidence_form if which == "evidence" else weights_form)
    names = _names()
    context = {
        "assessment": assessment,
        "weights": [(w, names.get(w.indicator, w.indicator)) for w in assessment.weights.all()],
        "ranking": selectors.ranking(assessment),
        "indicator_names": names,
        "evidence": selectors.evidence(request.user).filter(assessment=assessment),
        "weights_form": weights_form,
        "evidence_form": evidence_form,
        "can_write": can_write(request.user),
    }
    return render(request, "accountability/assessment_detail.html", context)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    item = selectors.evidence(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    try:
        return evidence_response(item)
    except ApplicationError as exc:
        raise Http404 from exc


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    form = TargetForm(initial={"year": year})
    if request.method == "POST" and can_write(request.user):
        form = TargetForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.target_set(actor=request.user, area_code=data.pop("area"), **data)
                messages.success(request, _("Assessment target saved."))
                return redirect(f"{request.path}?year={data['year']}")
            except ApplicationError as exc:
                show_error(request, exc, form=form)
    rows = selectors.targets(request.user).filter(year=year).order_by("area__code", "department__name", "indicator")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "accountability/targets.html",
        {"page": page, "year": year, "form": form, "names": _names(), "can_write": can_write(request.user)},
    )


def _simple(request: HttpRequest, form_class: Any, save: Any, done: str, rows: Any, template: str) -> HttpResponse:
    form = form_class()
    if request.method == "POST" and can_write(request.user):
        form = form_class(request.POST)
        if form.is_valid():
            try:
                save(dict(form.cleaned_data))
                messages.success(request, done)
                return redirect(request.path)
            except ApplicationError as exc:
                show_error(request, exc, form=form)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, template, {"page": page, "form": form, "can_write": can_write(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest) -> HttpResponse:
    def save(data: dict[str, Any]) -> None:
        services.assignment_save(actor=request.user, area_code=data.pop("area"), **data)

    rows = selectors.assignments(request.user).order_by("-year", "area__code", "leader_name")
    return _simple(
        request, AssignmentForm, save, _("Responsibility assignment saved."), rows, "accountability/assignments.html"
    )


@login_required
@require_http_methods(["GET", "POST"])
def models(request: HttpRequest) -> HttpResponse:
    def save(data: dict[str, Any]) -> None:
        services.model_save(
            actor=request.user,
            area_code=data.pop("area"),
            household_code=data.pop("household"),
            enterprise_code=data.pop("enterprise"),
            **data,
        )

    rows = selectors.models(request.user).order_by("-year", "code")
    return _simple(request, ModelForm, save, _("Typical model saved."), rows, "accountability/models.html")


@login_required
@require_GET
def model_detail(request: HttpRequest, code: str) -> HttpResponse:
    model = selectors.models(request.user).filter(code=code).first()
    if model is None:
        raise Http404
    english = (translation.get_language() or "").startswith("en")
    return render(
        request,
        "accountability/model_detail.html",
        {
            "model": model,
            "case": model.case_en if english else model.case_zh,
            "other": model.case_zh if english else model.case_en,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest) -> HttpResponse:
    def save(data: dict[str, Any]) -> None:
        services.meeting_record(actor=request.user, area_code=data.pop("area"), **data)

    rows = selectors.meetings(request.user).order_by("-date", "area__code")
    return _simple(request, MeetingForm, save, _("Promotion meeting recorded."), rows, "accountability/meetings.html")
