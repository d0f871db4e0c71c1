"""REST API of social and pairing assistance, under ``/api/assistance/``: units (with their
pairings, cadres and contributions), pairings, cadres, visits, contributions (received in
the funds ledger), supported projects, classes organised by units and aided students.
Every write calls its service (which checks role and scope and audits the change); errors
have the one shape of ``fupin.core.api``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from fupin.assistance import rules, selectors, services
from fupin.assistance.choices import CadreKind, ContributionForm, ContributionKind, UnitLevel
from fupin.assistance.filters import (
    CadreFilterSet,
    ContributionFilterSet,
    PairingFilterSet,
    StudentFilterSet,
    UnitFilterSet,
)
from fupin.assistance.models import (
    AssistingUnit,
    Cadre,
    Contribution,
    Pairing,
    StudentAid,
    SupportedProject,
    UnitClass,
)
from fupin.core.api import router, validated, year_field
from fupin.core.errors import InvalidInput, NotFound
from fupin.core.policy import can_view_identifiers
from fupin.programs.models import Project
from fupin.registry import idnumbers
from fupin.training.models import TrainingClass

CODE_PATTERN = r"[^/]{1,32}"

# --- output shapes ----------------------------------------------------------------------------


class AssistingUnitSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    pairings = serializers.IntegerField(source="pairing_count", read_only=True, required=False)
    cadres = serializers.IntegerField(source="cadre_count", read_only=True, required=False)
    contributed = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, required=False, help_text="yuan, all years"
    )

    class Meta:
        model = AssistingUnit
        fields = ["code", "name", "name_en", "level", "area", "area_name", "pairings", "cadres", "contributed"]


class AssistancePairingSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Pairing
        fields = ["id", "unit", "area", "area_name", "start_year", "end_year"]


class AssistanceCadreSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    place = serializers.CharField(source="place.code", read_only=True)

    class Meta:
        model = Cadre
        fields = ["id", "unit", "name", "post", "kind", "place", "start_date", "end_date"]


class AssistanceContributionSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    project = serializers.CharField(source="project.code", read_only=True, allow_null=True, default=None)
    ledger_entry = serializers.CharField(
        source="entry.number", read_only=True, allow_null=True, default=None, help_text="the funds ledger's entry"
    )

    class Meta:
        model = Contribution
        fields = ["number", "unit", "kind", "form", "value", "date", "area", "project", "description", "ledger_entry"]


class AssistanceProjectSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    project = serializers.CharField(source="project.code", read_only=True)

    class Meta:
        model = SupportedProject
        fields = ["id", "unit", "project", "year"]


class AssistanceClassSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    klass = serializers.CharField(source="klass.code", read_only=True)

    class Meta:
        model = UnitClass
        fields = ["id", "unit", "klass"]


class AidedStudentSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.SerializerMethodField(
        help_text="18 digits; without the permission to see identifiers, the first 6 and then asterisks"
    )
    household = serializers.CharField(source="person.household.code", read_only=True)

    class Meta:
        model = StudentAid
        fields = ["id", "unit", "person", "name", "id_number", "household", "year", "school", "amount"]

    def get_id_number(self, obj: StudentAid) -> str:
        request = self.context.get("request")
        show = bool(request and can_view_identifiers(request.user))
        return obj.person.id_number if show else idnumbers.mask(obj.person.id_number)


# --- input shapes -----------------------------------------------------------------------------


def _number(**kw: Any) -> serializers.DecimalField:
    # no min_value: the rules say what a negative or zero means (the service refuses it)
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kw)


def _unit_field() -> serializers.CharField:
    return serializers.CharField(max_length=rules.CODE_MAX_LENGTH, help_text="the unit's code")


class AssistingUnitInput(serializers.Serializer):
    code = serializers.CharField(max_length=rules.CODE_MAX_LENGTH)
    name = serializers.CharField(max_length=rules.NAME_MAX_LENGTH)
    name_en = serializers.CharField(max_length=rules.NAME_MAX_LENGTH, required=False, default="", allow_blank=True)
    level = serializers.ChoiceField(choices=UnitLevel.choices)
    area = serializers.CharField(max_length=12, help_text="12-digit code of the unit's own area")


class AssistancePairingInput(serializers.Serializer):
    unit = _unit_field()
    area = serializers.CharField(max_length=12, help_text="12-digit code of a county, township or village")
    start_year = year_field()
    end_year = year_field(required=False, allow_null=True, default=None)


class AssistanceCadreInput(serializers.Serializer):
    unit = _unit_field()
    name = serializers.CharField(max_length=100)
    post = serializers.CharField(max_length=rules.TEXT_MAX_LENGTH, required=False, default="", allow_blank=True)
    kind = serializers.ChoiceField(choices=CadreKind.choices)
    place = serializers.CharField(max_length=12, help_text="12-digit code of the area the cadre is sent to")
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)


class AssistanceContributionInput(serializers.Serializer):
    unit = _unit_field()
    number = serializers.CharField(max_length=rules.CODE_MAX_LENGTH)
    kind = serializers.ChoiceField(choices=ContributionKind.choices)
    form = serializers.ChoiceField(choices=ContributionForm.choices, required=False, default=ContributionForm.CASH)
    value = _number(help_text="yuan, more than 0")
    date = serializers.DateField()
    area = serializers.CharField(max_length=12, required=False, default="", allow_blank=True)
    project = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    description = serializers.CharField(max_length=rules.TEXT_MAX_LENGTH, required=False, default="", allow_blank=True)


class AssistanceProjectInput(serializers.Serializer):
    unit = _unit_field()
    project = serializers.CharField(max_length=32, help_text="programs project code")
    year = year_field()


class AssistanceClassInput(serializers.Serializer):
    unit = _unit_field()
    klass = serializers.CharField(max_length=64, help_text="training class code")


class AidedStudentInput(serializers.Serializer):
    unit = _unit_field()
    id_number = serializers.CharField(max_length=40, help_text="the student's ID number (a registry person)")
    year = year_field()
    school = serializers.CharField(max_length=rules.TEXT_MAX_LENGTH)
    amount = _number(help_text="yuan, more than 0")


# --- lookups for writes -------------------------------------------------------------------------
# Unscoped: the service refuses records outside the user's areas (403, not a silent 404).


def unit_by_code(code: str, field: str = "unit") -> AssistingUnit:
    unit = AssistingUnit.objects.select_related("area").filter(code=code.strip()).first()
    if unit is None:
        raise InvalidInput(NotFound.default_message, record=code, field=field)
    return unit


# --- views --------------------------------------------------------------------------------------


class UnitViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Assisting units (帮扶单位) by code; POST registers one in its own area."""

    serializer_class = AssistingUnitSerializer
    filterset_class = UnitFilterSet
    lookup_field = "code"
    lookup_value_regex = CODE_PATTERN

    def get_queryset(self):
        return selectors.units(self.request.user).order_by("code")

    @extend_schema(request=AssistingUnitInput, responses={201: AssistingUnitSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(AssistingUnitInput, request.data)
        unit = services.unit_create(actor=request.user, area_code=data.pop("area"), **data)
        found = selectors.units(request.user).filter(pk=unit.pk).first() or unit
        return Response(AssistingUnitSerializer(found).data, status=status.HTTP_201_CREATED)


class PairingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Pairings of units with counties, townships and villages (结对帮扶)."""

    serializer_class = AssistancePairingSerializer
    filterset_class = PairingFilterSet

    def get_queryset(self):
        return selectors.pairings(self.request.user).order_by("id")

    @extend_schema(request=AssistancePairingInput, responses={201: AssistancePairingSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(AssistancePairingInput, request.data)
        pairing = services.pairing_create(
            actor=request.user, unit=unit_by_code(data.pop("unit")), area_code=data.pop("area"), **data
        )
        return Response(AssistancePairingSerializer(pairing).data, status=status.HTTP_201_CREATED)


class CadreViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Cadres dispatched by units: resident work team members, first secretaries."""

    serializer_class = AssistanceCadreSerializer
    filterset_class = CadreFilterSet

    def get_queryset(self):
        return selectors.cadres(self.request.user).order_by("id")

    @extend_schema(request=AssistanceCadreInput, responses={201: AssistanceCadreSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(AssistanceCadreInput, request.data)
        cadre = services.cadre_create(
            actor=request.user, unit=unit_by_code(data.pop("unit")), place_code=data.pop("place"), **data
        )
        return Response(AssistanceCadreSerializer(cadre).data, status=status.HTTP_201_CREATED)


class ContributionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Contributions of units (grants and introduced investment) by number; POST records one
    and its receipt in the funds ledger."""

    serializer_class = AssistanceContributionSerializer
    filterset_class = ContributionFilterSet
    lookup_field = "number"
    lookup_value_regex = CODE_PATTERN

    def get_queryset(self):
        return selectors.contributions(self.request.user).order_by("-date", "number")

    @extend_schema(request=AssistanceContributionInput, responses={201: AssistanceContributionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(AssistanceContributionInput, request.data)
        contribution = services.contribution_create(
            actor=request.user,
            unit=unit_by_code(data.pop("unit")),
            area_code=data.pop("area"),
            project_code=data.pop("project"),
            **data,
        )
        return Response(AssistanceContributionSerializer(contribution).data, status=status.HTTP_201_CREATED)


class SupportedProjectViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Programs projects built with units' help, by year."""

    serializer_class = AssistanceProjectSerializer

    def get_queryset(self):
        return selectors.supported_projects(self.request.user).order_by("id")

    @extend_schema(request=AssistanceProjectInput, responses={201: AssistanceProjectSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(AssistanceProjectInput, request.data)
        project = Project.objects.select_related("area").filter(code=data["project"].strip()).first()
        if project is None:
            raise InvalidInput(NotFound.default_message, record=data["project"], field="project")
        link = services.project_support(
            actor=request.user, unit=unit_by_code(data["unit"]), project=project, year=data["year"]
        )
        return Response(AssistanceProjectSerializer(link).data, status=status.HTTP_201_CREATED)


class UnitClassViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Training classes organised by units (their trainees are the class's enrolments)."""

    serializer_class = AssistanceClassSerializer

    def get_queryset(self):
        return UnitClass.objects.visible_to(self.request.user).select_related("unit", "klass").order_by("id")

    @extend_schema(request=AssistanceClassInput, responses={201: AssistanceClassSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(AssistanceClassInput, request.data)
        klass = TrainingClass.objects.select_related("area").filter(code=data["klass"].strip()).first()
        if klass is None:
            raise InvalidInput(NotFound.default_message, record=data["klass"], field="klass")
        link = services.class_organise(actor=request.user, unit=unit_by_code(data["unit"]), klass=klass)
        return Response(AssistanceClassSerializer(link).data, status=status.HTTP_201_CREATED)


class StudentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Students aided by units: persons of the registry, by ID number."""

    serializer_class = AidedStudentSerializer
    filterset_class = StudentFilterSet

    def get_queryset(self):
        return selectors.students(self.request.user).order_by("id")

    @extend_schema(request=AidedStudentInput, responses={201: AidedStudentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(AidedStudentInput, request.data)
        aid = services.student_aid(actor=request.user, unit=unit_by_code(data.pop("unit")), **data)
        return Response(AidedStudentSerializer(aid, context={"request": request}).data, status=status.HTTP_201_CREATED)


# the app's routes (found by ``fupin.core.api.discover_api``)
router.register("assistance/units", UnitViewSet, basename="assistance-unit")
router.register("assistance/pairings", PairingViewSet, basename="assistance-pairing")
router.register("assistance/cadres", CadreViewSet, basename="assistance-cadre")
router.register("assistance/contributions", ContributionViewSet, basename="assistance-contribution")
router.register("assistance/projects", SupportedProjectViewSet, basename="assistance-project")
router.register("assistance/classes", UnitClassViewSet, basename="assistance-class")
router.register("assistance/students", StudentViewSet, basename="assistance-student")
api_urls: list[Any] = []
