"""REST API of the programs: resources, and one endpoint per workflow action, each
calling its service (which checks role and scope, and audits the change)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from fupin.core.api import ID_PATTERN, column_integer, router, validated, year_field
from fupin.core.errors import InvalidInput, NotFound
from fupin.core.modelfields import TIMESTAMPS, field_names
from fupin.programs import selectors, services
from fupin.programs.choices import CHECKLIST, CHECKLIST_FIELDS, Category, ProgramType, ProjectStatus, Unit
from fupin.programs.filters import (
    BatchFilterSet,
    BeneficiaryFilterSet,
    ContiguousZoneFilterSet,
    LabourInputFilterSet,
    OutputKindFilterSet,
    ProjectFilterSet,
    ProjectOutputFilterSet,
    VillagePlanFilterSet,
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
from fupin.programs.rules import LABOUR_MIN_PERSONS, NOTE_MAX_LENGTH
from fupin.registry.models import Household

# --- output shapes ----------------------------------------------------------------------------


class BatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = Batch
        fields = field_names(Batch, exclude=("id", *TIMESTAMPS))


class VillagePlanSerializer(serializers.ModelSerializer):
    village: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    batch: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="number", read_only=True)
    checklist_done = serializers.SerializerMethodField(help_text="how many of the 10 items are ticked")

    class Meta:
        model = VillagePlan
        fields = field_names(
            VillagePlan,
            exclude=("id", *TIMESTAMPS, "batch"),
            after={"village": ["village_name", "batch"], CHECKLIST_FIELDS[-1]: ["checklist_done"]},
        )

    def get_checklist_done(self, obj: VillagePlan) -> int:
        return obj.checklist_done()


class ContiguousZoneSerializer(serializers.ModelSerializer):
    counties: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = ContiguousZone
        fields = field_names(ContiguousZone, exclude=("id", *TIMESTAMPS), after={"name_en": ["counties"]})


class ProjectSerializer(serializers.ModelSerializer):
    area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    plan = serializers.CharField(
        source="plan.village.code", read_only=True, allow_null=True, help_text="village code of the village plan"
    )
    zone: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Project
        fields = field_names(Project, exclude=("id", *TIMESTAMPS), after={"area": ["area_name"]})


class OutputKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutputKind
        fields = field_names(OutputKind, exclude=["id"])


class ProjectOutputSerializer(serializers.ModelSerializer):
    project: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.CharField(source="kind.unit", read_only=True)

    class Meta:
        model = ProjectOutput
        fields = field_names(ProjectOutput, exclude=TIMESTAMPS, append=["unit"])


class BeneficiarySerializer(serializers.ModelSerializer):
    project: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    household: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    village = serializers.CharField(source="household.village.code", read_only=True)

    class Meta:
        model = Beneficiary
        fields = field_names(Beneficiary, after={"household": ["village"]})


class LabourInputSerializer(serializers.ModelSerializer):
    project: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = LabourInput
        fields = field_names(LabourInput)


class StatusCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    planned = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    accepted = serializers.IntegerField()


class CountyProgressSerializer(StatusCountsSerializer):
    code = serializers.CharField(help_text="county code")
    name = serializers.SerializerMethodField()
    percent_accepted = serializers.IntegerField()

    def get_name(self, row: dict[str, Any]) -> str:
        return row["county"].name if row["county"] is not None else ""


class BatchProgressSerializer(serializers.Serializer):
    totals = StatusCountsSerializer()
    counties = CountyProgressSerializer(many=True)


# --- input shapes -----------------------------------------------------------------------------


def _money(**kw: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal(0), **kw)


class BatchInput(serializers.Serializer):
    number = column_integer(Batch, "number", min_value=1)
    name = serializers.CharField(max_length=100)
    start_year = year_field()
    end_year = year_field()
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, default="", allow_blank=True)


class PlanCreateInput(serializers.Serializer):
    batch = column_integer(Batch, "number", help_text="batch number")
    village = serializers.CharField(help_text="12-digit village code")
    planned_investment = _money(required=False, default=Decimal(0))
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, default="", allow_blank=True)


class DateInput(serializers.Serializer):
    date = serializers.DateField(help_text="the day work on the plan began")


class ChecklistInput(serializers.Serializer):
    """Tick (true) or untick (false) items of the acceptance checklist; items left out
    are left as they are."""

    check_household_projects = serializers.BooleanField(required=False, help_text=str(CHECKLIST[0][2]))
    check_training = serializers.BooleanField(required=False, help_text=str(CHECKLIST[1][2]))
    check_machinery = serializers.BooleanField(required=False, help_text=str(CHECKLIST[2][2]))
    check_clinic = serializers.BooleanField(required=False, help_text=str(CHECKLIST[3][2]))
    check_road = serializers.BooleanField(required=False, help_text=str(CHECKLIST[4][2]))
    check_tap_water = serializers.BooleanField(required=False, help_text=str(CHECKLIST[5][2]))
    check_tv = serializers.BooleanField(required=False, help_text=str(CHECKLIST[6][2]))
    check_conditions = serializers.BooleanField(required=False, help_text=str(CHECKLIST[7][2]))
    check_civility = serializers.BooleanField(required=False, help_text=str(CHECKLIST[8][2]))
    check_democracy = serializers.BooleanField(required=False, help_text=str(CHECKLIST[9][2]))


class AcceptInput(serializers.Serializer):
    date = serializers.DateField(help_text="the day of acceptance")
    officials = serializers.CharField(max_length=200, help_text="the officials who accepted the village")


class ZoneInput(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=100)
    name_en = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    counties = serializers.ListField(child=serializers.CharField(), help_text="12-digit county codes")
    start_year = year_field()
    end_year = year_field(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, default="", allow_blank=True)


class ProjectCreateInput(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=200)
    program = serializers.ChoiceField(choices=ProgramType.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    area = serializers.CharField(help_text="12-digit code of the village, county or province of the project")
    start_year = year_field()
    end_year = year_field()
    budget = _money(required=False, default=Decimal(0))
    plan = serializers.CharField(required=False, default="", allow_blank=True, help_text="village plan (village code)")
    zone = serializers.CharField(required=False, default="", allow_blank=True, help_text="contiguous zone (code)")
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False, default=ProjectStatus.PLANNED)
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, default="", allow_blank=True)


class ProjectUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    start_year = year_field(required=False)
    end_year = year_field(required=False)
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False)
    budget = _money(required=False)
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True)


class OutputInput(serializers.Serializer):
    project = serializers.CharField(help_text="project code")
    kind = serializers.CharField(help_text="code of the kind of output (the output catalogue)")
    year = year_field()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=Decimal(0))
    unit = serializers.ChoiceField(
        choices=Unit.choices, required=False, allow_blank=True, help_text="if given, must be the catalogue's unit"
    )


class BeneficiariesInput(serializers.Serializer):
    project = serializers.CharField(help_text="project code")
    households = serializers.ListField(child=serializers.CharField(), min_length=1, help_text="household codes")
    year = year_field()


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class LabourInputInput(serializers.Serializer):
    project = serializers.CharField(help_text="project code")
    year = year_field()
    persons = column_integer(LabourInput, "persons", min_value=LABOUR_MIN_PERSONS)
    person_days = column_integer(LabourInput, "person_days", min_value=0)


# --- lookups for writes -------------------------------------------------------------------------
# Unscoped: the service itself refuses records outside the user's areas (403, not a
# silent 404), as the registry's API does.


def project_by_code(code: str, field: str = "project") -> Project:
    project = Project.objects.select_related("area", "plan__village").filter(code=code).first()
    if project is None:
        raise NotFound(record=code, field=field)
    return project


def _plan_by_village(code: str, field: str = "plan") -> VillagePlan:
    plan = VillagePlan.objects.select_related("village", "batch").filter(village__code=code).first()
    if plan is None:
        raise NotFound(record=code, field=field)
    return plan


def _batch_by_number(number: int) -> Batch:
    batch = Batch.objects.filter(number=number).first()
    if batch is None:
        raise InvalidInput(NotFound.default_message, record=str(number), field="batch")
    return batch


def _households(codes: list[str]) -> list[Household]:
    found = {h.code: h for h in Household.objects.select_related("village").filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise InvalidInput(NotFound.default_message, record=missing[0], field="households")
    return [found[c] for c in codes]


# --- views --------------------------------------------------------------------------------------


class BatchViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Batches of entire village advancement (province-wide). POST opens a batch
    (province office)."""

    serializer_class = BatchSerializer
    filterset_class = BatchFilterSet
    queryset = Batch.objects.order_by("number")
    lookup_field = "number"
    lookup_value_regex = ID_PATTERN

    @extend_schema(request=BatchInput, responses={201: BatchSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        batch = services.batch_create(actor=request.user, **validated(BatchInput, request.data))
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=BatchProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, number: str | None = None) -> Response:
        """The batch's villages in the user's areas by status, for the batch and each county."""
        data = selectors.batch_counties(user=request.user, batch=self.get_object())
        return Response(BatchProgressSerializer(data).data)


class VillagePlanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Village plans of entire village advancement, by village code. The actions start
    the plan, tick its acceptance checklist (四有三通三提高) and accept it."""

    serializer_class = VillagePlanSerializer
    filterset_class = VillagePlanFilterSet
    lookup_field = "village__code"
    lookup_url_kwarg = "village"
    lookup_value_regex = "[0-9]{12}"

    def get_queryset(self):
        return VillagePlan.objects.visible_to(self.request.user).select_related("village", "batch")

    def _out(self, plan: VillagePlan) -> Response:
        return Response(VillagePlanSerializer(plan).data)

    @extend_schema(request=PlanCreateInput, responses={201: VillagePlanSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(PlanCreateInput, request.data)
        plan = services.plan_create(
            actor=request.user,
            batch=_batch_by_number(data["batch"]),
            village_code=data["village"],
            planned_investment=data["planned_investment"],
            note=data["note"],
        )
        response = self._out(plan)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=DateInput, responses=VillagePlanSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, village: str | None = None) -> Response:
        """Work on the plan begins."""
        data = validated(DateInput, request.data)
        return self._out(services.plan_start(actor=request.user, plan=_plan_by_village(str(village)), on=data["date"]))

    @extend_schema(request=ChecklistInput, responses=VillagePlanSerializer)
    @action(detail=True, methods=["post"])
    def checklist(self, request: Request, village: str | None = None) -> Response:
        """Tick or untick items of the acceptance checklist (四有三通三提高)."""
        items = validated(ChecklistInput, request.data)
        plan = services.plan_checklist_set(actor=request.user, plan=_plan_by_village(str(village)), items=items)
        return self._out(plan)

    @extend_schema(request=AcceptInput, responses=VillagePlanSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, village: str | None = None) -> Response:
        """Accept the village as having completed entire village advancement (every item
        of the checklist ticked)."""
        data = validated(AcceptInput, request.data)
        plan = services.plan_accept(
            actor=request.user, plan=_plan_by_village(str(village)), on=data["date"], officials=data["officials"]
        )
        return self._out(plan)


class ContiguousZoneViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Contiguous development zones with a county in the user's areas. POST creates one
    (province office)."""

    serializer_class = ContiguousZoneSerializer
    filterset_class = ContiguousZoneFilterSet
    lookup_field = "code"

    def get_queryset(self):
        return ContiguousZone.objects.visible_to(self.request.user).prefetch_related("counties").order_by("code")

    @extend_schema(request=ZoneInput, responses={201: ContiguousZoneSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(ZoneInput, request.data)
        zone = services.zone_create(actor=request.user, county_codes=data.pop("counties"), **data)
        return Response(ContiguousZoneSerializer(zone).data, status=status.HTTP_201_CREATED)


class ProjectViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Projects in the user's areas. POST creates one, PATCH changes its name, category,
    years, status, budget or note."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    lookup_field = "code"

    def get_queryset(self):
        return (
            Project.objects.visible_to(self.request.user)
            .select_related("area", "plan__village", "zone")
            .order_by("code")
        )

    @extend_schema(request=ProjectCreateInput, responses={201: ProjectSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(ProjectCreateInput, request.data)
        plan_code, zone_code = data.pop("plan"), data.pop("zone")
        zone = None
        if zone_code:
            zone = ContiguousZone.objects.filter(code=zone_code).first()
            if zone is None:
                raise InvalidInput(NotFound.default_message, record=zone_code, field="zone")
        project = services.project_create(
            actor=request.user,
            data=services.ProjectData(
                area_code=data.pop("area"),
                plan=_plan_by_village(plan_code) if plan_code else None,
                zone=zone,
                **data,
            ),
        )
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProjectUpdateInput, responses=ProjectSerializer)
    def partial_update(self, request: Request, code: str | None = None) -> Response:
        changes = validated(ProjectUpdateInput, request.data)
        project = services.project_update(actor=request.user, project=project_by_code(str(code)), changes=changes)
        return Response(ProjectSerializer(project).data)


class OutputKindViewSet(viewsets.ReadOnlyModelViewSet):
    """The output catalogue: the kinds of output a project records, with their units."""

    serializer_class = OutputKindSerializer
    filterset_class = OutputKindFilterSet
    queryset = OutputKind.objects.order_by("order", "code")
    lookup_field = "code"


class ProjectOutputViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """What projects delivered, by year and kind. POST records a year's figure (replacing
    the figure already recorded for that project, kind and year)."""

    serializer_class = ProjectOutputSerializer
    filterset_class = ProjectOutputFilterSet

    def get_queryset(self):
        return (
            ProjectOutput.objects.visible_to(self.request.user)
            .select_related("project", "kind")
            .order_by("project__code", "year", "kind__order")
        )

    @extend_schema(request=OutputInput, responses={201: ProjectOutputSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(OutputInput, request.data)
        output = services.output_record(
            actor=request.user,
            project=project_by_code(data["project"]),
            kind_code=data["kind"],
            year=data["year"],
            quantity=data["quantity"],
            unit=data.get("unit") or None,
        )
        return Response(ProjectOutputSerializer(output).data, status=status.HTTP_201_CREATED)


class BeneficiaryViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """Households that projects reached, scoped by the household's village. POST adds
    households to a project; DELETE (with a reason) removes one."""

    serializer_class = BeneficiarySerializer
    filterset_class = BeneficiaryFilterSet

    def get_queryset(self):
        return (
            Beneficiary.objects.visible_to(self.request.user)
            .select_related("project", "household__village")
            .order_by("project__code", "household__code")
        )

    @extend_schema(
        request=BeneficiariesInput,
        responses={
            201: inline_serializer(
                "BeneficiariesAdded",
                {"added": serializers.IntegerField(), "results": BeneficiarySerializer(many=True)},
            )
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(BeneficiariesInput, request.data)
        project = project_by_code(data["project"])
        households = _households(data["households"])
        added = services.beneficiaries_add(
            actor=request.user, project=project, households=households, year=data["year"]
        )
        rows = (
            Beneficiary.objects.filter(project=project, household__in=households)
            .select_related("project", "household__village")
            .order_by("household__code")
        )
        return Response(
            {"added": added, "results": BeneficiarySerializer(rows, many=True).data}, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ReasonInput, responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(ReasonInput, request.data)
        benefit = self.get_object()
        services.beneficiary_remove(
            actor=request.user, project=benefit.project, household=benefit.household, reason=data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class LabourInputViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Labour villagers put into projects (投工投劳). POST records a year's figure."""

    serializer_class = LabourInputSerializer
    filterset_class = LabourInputFilterSet

    def get_queryset(self):
        return (
            LabourInput.objects.visible_to(self.request.user)
            .select_related("project")
            .order_by("project__code", "year")
        )

    @extend_schema(request=LabourInputInput, responses={201: LabourInputSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(LabourInputInput, request.data)
        labour = services.labour_record(
            actor=request.user,
            project=project_by_code(data["project"]),
            year=data["year"],
            persons=data["persons"],
            person_days=data["person_days"],
        )
        return Response(LabourInputSerializer(labour).data, status=status.HTTP_201_CREATED)


__all__ = [
    "BatchViewSet",
    "BeneficiaryViewSet",
    "ContiguousZoneViewSet",
    "LabourInputViewSet",
    "OutputKindViewSet",
    "ProjectOutputViewSet",
    "ProjectViewSet",
    "VillagePlanViewSet",
]


# --- routes (discovered by the root URLconf: fupin.core.api.discover_api) -------------------

router.register("batches", BatchViewSet, basename="batch")
router.register("village-plans", VillagePlanViewSet, basename="village-plan")
router.register("zones", ContiguousZoneViewSet, basename="zone")
router.register("projects", ProjectViewSet, basename="project")
router.register("output-kinds", OutputKindViewSet, basename="output-kind")
router.register("outputs", ProjectOutputViewSet, basename="output")
router.register("beneficiaries", BeneficiaryViewSet, basename="beneficiary")
router.register("labour-inputs", LabourInputViewSet, basename="labour-input")
