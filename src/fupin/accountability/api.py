"""REST API of the responsibility and assessment system: responsibility assignments,
targets, assessments (create with weights, change the weights, run, the ranking, evidence
files up and down), typical models and promotion meetings. Every write calls its service
(which checks role and scope and audits the change); errors have the one shape of
``fupin.core.api``."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from fupin.accountability import evidence as files
from fupin.accountability import rules, selectors, services
from fupin.accountability.choices import EvidenceType, ModelKind
from fupin.accountability.filters import (
    AssessmentFilterSet,
    AssignmentFilterSet,
    MeetingFilterSet,
    ModelFilterSet,
    TargetFilterSet,
)
from fupin.accountability.models import (
    Assessment,
    Evidence,
    PromotionMeeting,
    ResponsibilityAssignment,
    Result,
    Score,
    Target,
    TypicalModel,
)
from fupin.core.api import router, validated, year_field
from fupin.core.errors import NotFound

# --- output shapes ----------------------------------------------------------------------------


class ResponsibilityAssignmentSerializer(serializers.ModelSerializer):
    area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    units = serializers.ListField(source="unit_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = ResponsibilityAssignment
        fields = ["id", "area", "area_name", "year", "leader_name", "leader_post", "units", "tasks"]


class AssessmentTargetSerializer(serializers.ModelSerializer):
    area = serializers.SerializerMethodField(help_text="the county, or the department's city")
    department = serializers.CharField(source="department.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Target
        fields = ["id", "year", "area", "department", "indicator", "value", "actual"]

    def get_area(self, obj: Target) -> str:
        return obj.area.code if obj.area is not None else obj.department.city.code  # type: ignore[union-attr]


class AssessmentWeightSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    weight = serializers.DecimalField(max_digits=rules.WEIGHT_DIGITS, decimal_places=rules.WEIGHT_DECIMALS)


class AssessmentSerializer(serializers.ModelSerializer):
    area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    weights = AssessmentWeightSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "area", "area_name", "year", "title", "status", "run_at", "snapshot_as_of", "weights"]


class AssessmentScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Score
        fields = ["indicator", "target", "actual", "achievement", "weight", "points"]


class AssessmentResultSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit_name", read_only=True)
    kind = serializers.SerializerMethodField(help_text="county or department")
    area = serializers.CharField(source="area.code", read_only=True, allow_null=True, default=None)
    scores = AssessmentScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Result
        fields = ["rank", "kind", "unit", "area", "score", "scores"]

    def get_kind(self, obj: Result) -> str:
        return "county" if obj.area_id else "department"


class EvidenceFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "name", "type", "size", "sha256", "description", "uploaded_at"]


class TypicalModelSerializer(serializers.ModelSerializer):
    area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    household = serializers.CharField(source="household.code", read_only=True, allow_null=True, default=None)
    enterprise = serializers.CharField(source="enterprise.code", read_only=True, allow_null=True, default=None)
    figures = serializers.SerializerMethodField()

    class Meta:
        model = TypicalModel
        fields = ["code", "kind", "year", "area", "household", "enterprise", "title", "case_zh", "case_en", "figures"]

    def get_figures(self, obj: TypicalModel) -> dict[str, str]:
        return {f.key: str(f.value) for f in obj.figures.all()}


class PromotionMeetingSerializer(serializers.ModelSerializer):
    area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = PromotionMeeting
        fields = ["id", "date", "area", "title", "participants"]


# --- input shapes -----------------------------------------------------------------------------

_NAME: Any = {"max_length": rules.NAME_MAX_LENGTH}
_LONG: Any = {"max_length": rules.TEXT_MAX_LENGTH}


def _weights(**kw: Any) -> serializers.DictField:
    # weights as text or numbers: the service's rules say what a negative or all zeros means
    return serializers.DictField(
        child=serializers.CharField(max_length=40, allow_blank=True),
        help_text="indicator id -> weight (0 or more; not all 0)",
        **kw,
    )


class AccountabilityAssignmentInput(serializers.Serializer):
    area = serializers.CharField(max_length=12)
    year = year_field()
    leader_name = serializers.CharField(**_NAME)
    leader_post = serializers.CharField(**_NAME)
    units = serializers.ListField(child=serializers.CharField(**_NAME), max_length=200)
    tasks = serializers.CharField(**_LONG)


class AccountabilityTargetInput(serializers.Serializer):
    year = year_field()
    area = serializers.CharField(max_length=12, help_text="the county, or the city of the department")
    department = serializers.CharField(required=False, default="", allow_blank=True, **_NAME)
    indicator = serializers.CharField(max_length=rules.INDICATOR_MAX_LENGTH)
    value = serializers.CharField(max_length=40, help_text="the target (a number above 0)")
    actual = serializers.CharField(
        max_length=40,
        required=False,
        default=None,
        allow_null=True,
        allow_blank=True,
        help_text="a department's actual figure (entered; a county's is computed)",
    )


class AccountabilityAssessmentInput(serializers.Serializer):
    area = serializers.CharField(max_length=12, help_text="the province, or a city")
    year = year_field()
    title = serializers.CharField(**_NAME)
    weights = _weights()


class AssessmentWeightsInput(serializers.Serializer):
    weights = _weights()


class EvidenceUploadInput(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    description = serializers.CharField(required=False, default="", allow_blank=True, **_NAME)


class TypicalModelInput(serializers.Serializer):
    code = serializers.CharField(max_length=rules.CODE_MAX_LENGTH)
    kind = serializers.ChoiceField(choices=ModelKind.choices)
    year = year_field()
    area = serializers.CharField(max_length=12, required=False, default="", allow_blank=True)
    household = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    enterprise = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    title = serializers.CharField(**_NAME)
    case_zh = serializers.CharField(**_LONG)
    case_en = serializers.CharField(**_LONG)
    figures = serializers.DictField(child=serializers.CharField(max_length=40), required=False, default=dict)


class PromotionMeetingInput(serializers.Serializer):
    date = serializers.DateField()
    area = serializers.CharField(max_length=12)
    title = serializers.CharField(**_NAME)
    participants = serializers.IntegerField(min_value=-(2**31), max_value=2**31 - 1)


# --- views --------------------------------------------------------------------------------------


class AssignmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Responsibility assignments (责任制): POST records one (or changes it, by area, year
    and leader)."""

    serializer_class = ResponsibilityAssignmentSerializer
    filterset_class = AssignmentFilterSet

    def get_queryset(self):
        return selectors.assignments(self.request.user).order_by("-year", "area__code", "id")

    @extend_schema(request=AccountabilityAssignmentInput, responses={201: ResponsibilityAssignmentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(AccountabilityAssignmentInput, request.data)
        item = services.assignment_save(actor=request.user, area_code=data.pop("area"), **data)
        return Response(ResponsibilityAssignmentSerializer(item).data, status=status.HTTP_201_CREATED)


class TargetViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Targets of counties and of cities' departments on indicators of the specification:
    POST sets one (refused for an unknown indicator)."""

    serializer_class = AssessmentTargetSerializer
    filterset_class = TargetFilterSet

    def get_queryset(self):
        return selectors.targets(self.request.user).order_by("-year", "id")

    @extend_schema(request=AccountabilityTargetInput, responses={201: AssessmentTargetSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(AccountabilityTargetInput, request.data)
        target = services.target_set(actor=request.user, area_code=data.pop("area"), **data)
        return Response(AssessmentTargetSerializer(target).data, status=status.HTTP_201_CREATED)


class AssessmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Assessments by the province or a city, with their weights. ``weights`` replaces the
    weights, ``run`` scores and ranks, ``ranking`` lists the results, ``evidence`` lists or
    attaches evidence files."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet

    def get_queryset(self):
        return selectors.assessments(self.request.user).order_by("-year", "area__code")

    @extend_schema(request=AccountabilityAssessmentInput, responses={201: AssessmentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(AccountabilityAssessmentInput, request.data)
        item = services.assessment_create(actor=request.user, area_code=data.pop("area"), **data)
        return Response(AssessmentSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssessmentWeightsInput, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def weights(self, request: Request, pk: str | None = None) -> Response:
        """Replace the weights."""
        data = validated(AssessmentWeightsInput, request.data)
        item = services.assessment_set_weights(actor=request.user, assessment=self.get_object(), **data)
        return Response(AssessmentSerializer(selectors.assessments(request.user).get(pk=item.pk)).data)

    @extend_schema(request=None, responses=AssessmentResultSerializer(many=True))
    @action(detail=True, methods=["post"])
    def run(self, request: Request, pk: str | None = None) -> Response:
        """Score every assessed unit against its targets and rank them."""
        item = services.assessment_run(actor=request.user, assessment=self.get_object())
        page = self.paginate_queryset(selectors.ranking(item))  # the ranking's first page, as GET ranking/
        return self.get_paginated_response(AssessmentResultSerializer(page, many=True).data)

    @extend_schema(responses=AssessmentResultSerializer(many=True))
    @action(detail=True, methods=["get"])
    def ranking(self, request: Request, pk: str | None = None) -> Response:
        """The results by rank (counties, then departments), with each indicator's score:
        paginated like every list of the API."""
        page = self.paginate_queryset(selectors.ranking(self.get_object()))
        return self.get_paginated_response(AssessmentResultSerializer(page, many=True).data)

    @extend_schema(
        methods=["POST"], request={"multipart/form-data": EvidenceUploadInput}, responses={201: EvidenceFileSerializer}
    )
    @extend_schema(methods=["GET"], responses=EvidenceFileSerializer(many=True))
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser])
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        """The evidence files; POST (multipart, ``file``) attaches one: PDF, PNG, JPEG, DOCX
        or XLSX by content, at most ``FUPIN_EVIDENCE_MAX_BYTES``."""
        assessment = self.get_object()
        if request.method == "GET":
            items = selectors.evidence(request.user).filter(assessment=assessment).order_by("pk")
            page = self.paginate_queryset(items)
            return self.get_paginated_response(EvidenceFileSerializer(page, many=True).data)
        data = validated(EvidenceUploadInput, request.data)
        upload = data["file"]
        content = services.read_limited(upload, size=upload.size)
        item = services.evidence_attach(
            actor=request.user,
            assessment=assessment,
            name=upload.name or "",
            data=content,
            description=data["description"],
        )
        return Response(EvidenceFileSerializer(item).data, status=status.HTTP_201_CREATED)


class EvidenceViewSet(viewsets.GenericViewSet):
    """Evidence files: ``download`` answers the file as an attachment (the user's scope is
    checked; the file is never a static file)."""

    serializer_class = EvidenceFileSerializer

    def get_queryset(self):
        return selectors.evidence(self.request.user).order_by("id")

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="the file")})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        return evidence_response(self.get_object())


def evidence_response(item: Evidence) -> FileResponse:
    """The file as an attachment, with its type by content and ``nosniff`` (the page's
    download view answers the same)."""
    try:
        handle = files.path_of(item.stored_name).open("rb")
    except (OSError, ValueError) as exc:
        raise NotFound(record=item.name, field="file") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=item.name, content_type=files.CONTENT_TYPES[EvidenceType(item.type)]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class ModelViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Typical models (典型) by code: POST records one (or changes it)."""

    serializer_class = TypicalModelSerializer
    filterset_class = ModelFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[^/]{1,32}"

    def get_queryset(self):
        return selectors.models(self.request.user).order_by("-year", "code")

    @extend_schema(request=TypicalModelInput, responses={201: TypicalModelSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(TypicalModelInput, request.data)
        item = services.model_save(
            actor=request.user,
            area_code=data.pop("area"),
            household_code=data.pop("household"),
            enterprise_code=data.pop("enterprise"),
            **data,
        )
        return Response(TypicalModelSerializer(item).data, status=status.HTTP_201_CREATED)


class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """On-the-spot promotion meetings: POST records one."""

    serializer_class = PromotionMeetingSerializer
    filterset_class = MeetingFilterSet

    def get_queryset(self):
        return selectors.meetings(self.request.user).order_by("-date", "id")

    @extend_schema(request=PromotionMeetingInput, responses={201: PromotionMeetingSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(PromotionMeetingInput, request.data)
        item = services.meeting_record(actor=request.user, area_code=data.pop("area"), **data)
        return Response(PromotionMeetingSerializer(item).data, status=status.HTTP_201_CREATED)


# the app's routes (found by ``fupin.core.api.discover_api``)
router.register("accountability/assignments", AssignmentViewSet, basename="accountability-assignment")
router.register("accountability/targets", TargetViewSet, basename="accountability-target")
router.register("accountability/assessments", AssessmentViewSet, basename="accountability-assessment")
router.register("accountability/evidence", EvidenceViewSet, basename="accountability-evidence")
router.register("accountability/models", ModelViewSet, basename="accountability-model")
router.register("accountability/meetings", MeetingViewSet, basename="accountability-meeting")
api_urls: list[Any] = []
