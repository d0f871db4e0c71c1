"""The analytics engine over HTTP: the annual report and the poverty measures of an area
the user answers for."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fupin.analytics.engine import Engine
from fupin.analytics.formats import CONTENT_TYPES, FORMATS, file_name, render
from fupin.analytics.report import annual_report, year_end
from fupin.analytics.selectors import (
    LEVEL_COLUMNS,
    decomposition,
    measures,
    multidimensional,
    status_flows,
    targeting_check,
)
from fupin.analytics.snapshot import snapshot_for
from fupin.core.areacodes import normalize
from fupin.core.errors import InvalidInput, NotFound
from fupin.core.policy import check_scope

PROVINCE = "230000000000"


class ReportQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=1980, max_value=2100)
    area = serializers.CharField(required=False, help_text="area code; default: the user's (first) area")
    lang = serializers.ChoiceField(choices=["zh", "en"], required=False, default="zh")

    def validate_area(self, value: str) -> str:
        try:
            return normalize(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class MeasuresQuery(ReportQuery):
    by = serializers.ChoiceField(choices=list(LEVEL_COLUMNS), required=False, allow_blank=True)
    line = serializers.FloatField(required=False, min_value=0.01)
    inclusive = serializers.BooleanField(required=False, default=False)
    decompose = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("decompose") and not attrs.get("by"):
            raise serializers.ValidationError({"by": "decompose needs by"})
        return attrs


def default_area(user: Any) -> str:
    """The area a user's reports are about unless they choose: their first area."""
    if user.is_superuser:
        return PROVINCE
    code = user.areas.order_by("code").values_list("code", flat=True).first()
    return code or PROVINCE


def _query(request: Request, serializer_class: type[ReportQuery]) -> dict[str, Any]:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = dict(query.validated_data)
    if "area" not in data:
        data["area"] = default_area(request.user)
    if not request.user.is_superuser:
        check_scope(request.user, data["area"], field="area")
    return data


def _params(serializer_class: type[ReportQuery]) -> list[OpenApiParameter]:
    return [
        OpenApiParameter(name, OpenApiTypes.STR, required=field.required, description=str(field.help_text or ""))
        for name, field in serializer_class().fields.items()
    ]


class AnnualReportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=_params(ReportQuery), responses=OpenApiTypes.OBJECT, summary="Annual report")
    def get(self, request: Request) -> Response:
        data = _query(request, ReportQuery)
        try:
            report = annual_report(year=data["year"], area=data["area"])
        except LookupError as exc:
            raise NotFound(field="area") from exc
        return Response(report.as_json("en" if data["lang"] == "en" else "zh-hans"))


class ReportFileQuery(ReportQuery):
    format = serializers.ChoiceField(
        choices=list(FORMATS), help_text="html, pdf, xlsx or json (the file; JSON as `/api/reports/annual/` gives it)"
    )


class _ErrorsAsJSON(BaseContentNegotiation):
    """The file endpoint answers the file, or an error as JSON: DRF's own negotiation would
    read ``?format=pdf`` as a renderer's name and answer 404."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Any, renderers: Any, format_suffix: str | None = None) -> Any:
        return JSONRenderer(), JSONRenderer.media_type


class AnnualReportFileView(APIView):
    """The annual report of an area as a file, an attachment named like
    ``fupin-annual-2009-230000000000-zh.pdf``."""

    permission_classes = [IsAuthenticated]
    content_negotiation_class = _ErrorsAsJSON

    @extend_schema(
        parameters=[
            *_params(ReportQuery),
            OpenApiParameter(
                "format", OpenApiTypes.STR, required=True, enum=list(FORMATS), description="the file's format"
            ),
        ],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
            (200, "text/html"): OpenApiTypes.STR,
            (200, "application/json"): OpenApiTypes.OBJECT,
        },
        summary="Annual report as a file (PDF, XLSX, HTML or JSON)",
    )
    def get(self, request: Request) -> HttpResponse:
        data = _query(request, ReportFileQuery)
        try:
            report = annual_report(year=data["year"], area=data["area"])
        except LookupError as exc:
            raise NotFound(field="area") from exc
        fmt, lang = data["format"], data["lang"]
        response = HttpResponse(render(report, fmt, lang), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{file_name(report, fmt, lang)}"'
        return response


class MeasuresView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=_params(MeasuresQuery), responses=OpenApiTypes.OBJECT, summary="Poverty measures")
    def get(self, request: Request) -> Response:
        data = _query(request, MeasuresQuery)
        scope = Engine(snapshot_for(year_end(data["year"]))).scope(year=data["year"], area=data["area"])
        try:
            scope.area  # noqa: B018 - the area must exist
        except LookupError as exc:
            raise NotFound(field="area") from exc
        try:
            if data["decompose"]:
                rows = decomposition(scope, by=data["by"], line=data.get("line"), inclusive=data["inclusive"])
            else:
                rows = measures(scope, by=data.get("by") or None, line=data.get("line"), inclusive=data["inclusive"])
        except LookupError as exc:
            raise InvalidInput(str(exc), field="line") from exc
        return Response({"year": data["year"], "area": data["area"], "by": data.get("by") or None, "results": rows})


class DynamicsQuery(ReportQuery):
    by = serializers.ChoiceField(choices=list(LEVEL_COLUMNS), required=False, allow_blank=True)


class TargetingQuery(ReportQuery):
    margin = serializers.FloatField(required=False, default=0.5, min_value=0)
    limit = serializers.IntegerField(required=False, default=100, min_value=1, max_value=5000)


def _scope(data: dict[str, Any]) -> Any:
    scope = Engine(snapshot_for(year_end(data["year"]))).scope(year=data["year"], area=data["area"])
    try:
        scope.area  # noqa: B018 - the area must exist
    except LookupError as exc:
        raise NotFound(field="area") from exc
    return scope


class DynamicsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=_params(DynamicsQuery), responses=OpenApiTypes.OBJECT, summary="Status flows")
    def get(self, request: Request) -> Response:
        data = _query(request, DynamicsQuery)
        rows = status_flows(_scope(data), by=data.get("by") or None)
        return Response({"year": data["year"], "area": data["area"], "by": data.get("by") or None, "results": rows})


class TargetingView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=_params(TargetingQuery), responses=OpenApiTypes.OBJECT, summary="Targeting check")
    def get(self, request: Request) -> Response:
        data = _query(request, TargetingQuery)
        try:
            review = targeting_check(_scope(data), margin=data["margin"], limit=data["limit"])
        except LookupError as exc:
            raise InvalidInput(str(exc), field="year") from exc
        return Response({"year": data["year"], "area": data["area"], **review})


class MultidimensionalQuery(DynamicsQuery):
    k = serializers.FloatField(required=False, default=1 / 3, min_value=0.0001, max_value=1)
    poor_only = serializers.BooleanField(required=False, default=False)


class MultidimensionalView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=_params(MultidimensionalQuery), responses=OpenApiTypes.OBJECT, summary="Multidimensional poverty"
    )
    def get(self, request: Request) -> Response:
        data = _query(request, MultidimensionalQuery)
        rows = multidimensional(_scope(data), by=data.get("by") or None, k=data["k"], poor_only=data["poor_only"])
        return Response(
            {"year": data["year"], "area": data["area"], "by": data.get("by") or None, "k": data["k"], "results": rows}
        )
