"""REST API of Rain Plan training: bases, classes (with one endpoint per workflow action:
enrol, attendance, complete, drop, transfer, pay subsidies), enrolments, transfers,
targets with their completion, and the suggested allocation of next year's funds. Every
write calls its service (which checks role and scope and audits the change); errors have
the one shape of ``fupin.core.api``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fupin.core.api import column_integer, router
from fupin.core.errors import InvalidInput, NotFound
from fupin.core.policy import can_view_identifiers
from fupin.core.validation import YEARS
from fupin.funds.choices import Source
from fupin.programs.models import Project
from fupin.registry import idnumbers
from fupin.registry.models import Person
from fupin.training import rules, selectors, services
from fupin.training.choices import Certification, ClassType, Destination, LeaderRole, Sector
from fupin.training.filters import (
    EnrolmentFilterSet,
    TargetFilterSet,
    TrainingBaseFilterSet,
    TrainingClassFilterSet,
    TransferFilterSet,
)
from fupin.training.models import Enrolment, Target, TrainingBase, TrainingClass, Transfer

CODE_PATTERN = r"[^/]{1,32}"

# --- output shapes ----------------------------------------------------------------------------


class TrainingBaseSerializer(serializers.ModelSerializer):
    county: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = TrainingBase
        fields = [
            "code",
            "name",
            "county",
            "county_name",
            "certification",
            "certified_year",
            "capacity",
            "contact",
            "phone",
        ]


class TrainingClassSerializer(serializers.ModelSerializer):
    base: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    project: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    enrolled = serializers.IntegerField(read_only=True, required=False)
    completed = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = TrainingClass
        fields = [
            "code",
            "base",
            "organiser",
            "area",
            "type",
            "subject",
            "start_date",
            "end_date",
            "hours",
            "subsidy_per_trainee",
            "project",
            "enrolled",
            "completed",
        ]


class TransferSerializer(serializers.ModelSerializer):
    class_code = serializers.CharField(source="enrolment.klass.code", read_only=True)
    person = serializers.IntegerField(source="enrolment.person_id", read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "class_code",
            "person",
            "employer",
            "place",
            "destination",
            "sector",
            "start_date",
            "monthly_wage",
        ]


class EnrolmentSerializer(serializers.ModelSerializer):
    class_code = serializers.CharField(source="klass.code", read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.SerializerMethodField(
        help_text="18 digits; without the permission to see identifiers, the first 6 and then asterisks"
    )
    household = serializers.CharField(source="person.household.code", read_only=True)
    subsidy_paid = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "class_code",
            "person",
            "name",
            "id_number",
            "household",
            "enrolled_on",
            "status",
            "hours_attended",
            "completed_on",
            "certificate_number",
            "leader_role",
            "subsidy_paid",
        ]

    def get_id_number(self, obj: Enrolment) -> str:
        request = self.context.get("request")
        show = bool(request and can_view_identifiers(request.user))
        return obj.person.id_number if show else idnumbers.mask(obj.person.id_number)

    def get_subsidy_paid(self, obj: Enrolment) -> bool:
        return obj.subsidy_id is not None


class TargetSerializer(serializers.ModelSerializer):
    area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Target
        fields = ["area", "area_name", "year", "trained", "transferred"]


class TargetCompletionSerializer(serializers.Serializer):
    target = TargetSerializer()
    trained = serializers.IntegerField()
    transferred = serializers.IntegerField()
    trained_percent = serializers.FloatField(allow_null=True)
    transferred_percent = serializers.FloatField(allow_null=True)


class BaseAllocationSerializer(serializers.Serializer):
    base = serializers.CharField(source="base.code")
    name = serializers.CharField(source="base.name")
    county = serializers.CharField(source="base.county.code")
    trained = serializers.IntegerField()
    transferred = serializers.IntegerField()
    rate = serializers.FloatField(help_text="transferred / trained")
    share = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="suggested yuan for the next year")


class AllocationSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="the year of the results")
    for_year = serializers.IntegerField(help_text="the year the funds are for")
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    trained = serializers.IntegerField()
    transferred = serializers.IntegerField()
    rate = serializers.FloatField()
    bases = BaseAllocationSerializer(many=True)


# --- input shapes -----------------------------------------------------------------------------


def _year(**kw: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=YEARS[0], max_value=YEARS[1], **kw)


def _yuan(**kw: Any) -> serializers.DecimalField:
    # no min_value: the rules say what a negative means (a negative wage is refused by the service)
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kw)


class BaseInput(serializers.Serializer):
    code = serializers.CharField(max_length=rules.CODE_MAX_LENGTH)
    name = serializers.CharField(max_length=rules.NAME_MAX_LENGTH)
    county = serializers.CharField(help_text="12-digit county code")
    certification = serializers.ChoiceField(choices=Certification.choices)
    certified_year = _year(required=False, allow_null=True, default=None)
    capacity = column_integer(TrainingBase, "capacity", required=False, default=0)
    contact = serializers.CharField(max_length=rules.CONTACT_MAX_LENGTH, required=False, default="", allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)


class BaseUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=rules.NAME_MAX_LENGTH, required=False)
    certification = serializers.ChoiceField(choices=Certification.choices, required=False)
    certified_year = _year(required=False, allow_null=True)
    capacity = column_integer(TrainingBase, "capacity", required=False)
    contact = serializers.CharField(max_length=rules.CONTACT_MAX_LENGTH, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)


class ClassInput(serializers.Serializer):
    code = serializers.CharField(max_length=rules.CODE_MAX_LENGTH)
    type = serializers.ChoiceField(choices=ClassType.choices)
    subject = serializers.CharField(max_length=rules.NAME_MAX_LENGTH)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    hours = column_integer(TrainingClass, "hours", min_value=1, max_value=rules.HOURS_MAX)
    subsidy_per_trainee = _yuan(required=False, default=Decimal(0))
    base = serializers.CharField(required=False, default="", allow_blank=True, help_text="training base code")
    organiser = serializers.CharField(
        max_length=rules.NAME_MAX_LENGTH, required=False, default="", allow_blank=True, help_text="if not a base"
    )
    area = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="12-digit code of where it is held (default the base's county)",
    )
    project = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="code of the project that pays the subsidies"
    )


class TraineeInput(serializers.Serializer):
    id_number = serializers.CharField(required=False, default="", allow_blank=True, help_text="the trainee's ID number")
    person = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, help_text="or the person's id (a household member)"
    )


class EnrolInput(TraineeInput):
    enrolled_on = serializers.DateField(required=False, allow_null=True, default=None)
    leader_role = serializers.ChoiceField(choices=LeaderRole.choices, required=False, default="", allow_blank=True)


class AttendanceInput(TraineeInput):
    hours_attended = column_integer(Enrolment, "hours_attended")


class CompleteInput(TraineeInput):
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)
    certificate_number = serializers.CharField(
        max_length=rules.CERTIFICATE_MAX_LENGTH, required=False, default="", allow_blank=True
    )
    hours_attended = column_integer(Enrolment, "hours_attended", required=False, allow_null=True, default=None)


class DropInput(TraineeInput):
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class TransferInput(TraineeInput):
    employer = serializers.CharField(max_length=rules.NAME_MAX_LENGTH)
    place = serializers.CharField(max_length=rules.NAME_MAX_LENGTH)
    destination = serializers.ChoiceField(choices=Destination.choices)
    sector = serializers.ChoiceField(choices=Sector.choices)
    start_date = serializers.DateField()
    monthly_wage = _yuan()


class SubsidyInput(serializers.Serializer):
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]  # a field named like Field.source
    year = _year(help_text="fund year")
    date = serializers.DateField(required=False, allow_null=True, default=None)


class SubsidyOutput(serializers.Serializer):
    class_code = serializers.CharField(source="klass.code")
    entry = serializers.CharField(source="entry.number")
    trainees = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)


class TargetInput(serializers.Serializer):
    area = serializers.CharField(help_text="12-digit code of a county, or of the province")
    year = _year()
    trained = column_integer(Target, "trained")
    transferred = column_integer(Target, "transferred")


# --- lookups for writes -------------------------------------------------------------------------
# Unscoped: the service refuses records outside the user's areas (403, not a silent 404).


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return dict(s.validated_data)


def _base_by_code(code: str, field: str = "base") -> TrainingBase:
    base = TrainingBase.objects.select_related("county").filter(code=code).first()
    if base is None:
        raise InvalidInput(NotFound.default_message, record=code, field=field)
    return base


def _project_by_code(code: str) -> Project:
    project = Project.objects.select_related("area").filter(code=code).first()
    if project is None:
        raise InvalidInput(NotFound.default_message, record=code, field="project")
    return project


def _trainee(data: dict[str, Any]) -> dict[str, Any]:
    """The trainee of a request: by person id (picked from a household) or ID number."""
    person_id = data.pop("person", None)
    id_number = data.pop("id_number", "")
    if person_id is not None:
        person = Person.objects.select_related("household__village").filter(pk=person_id).first()
        if person is None:
            raise InvalidInput(NotFound.default_message, record=str(person_id), field="person")
        return {"person": person}
    return {"id_number": id_number}


# --- views --------------------------------------------------------------------------------------


class TrainingBaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Training bases (扶贫培训基地) by code. POST registers one (county office or above),
    PATCH changes it."""

    serializer_class = TrainingBaseSerializer
    filterset_class = TrainingBaseFilterSet
    lookup_field = "code"
    lookup_value_regex = CODE_PATTERN

    def get_queryset(self):
        return selectors.bases(self.request.user).order_by("code")

    @extend_schema(request=BaseInput, responses={201: TrainingBaseSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(BaseInput, request.data)
        base = services.base_create(actor=request.user, county_code=data.pop("county"), **data)
        return Response(TrainingBaseSerializer(base).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BaseUpdateInput, responses=TrainingBaseSerializer)
    def partial_update(self, request: Request, code: str | None = None) -> Response:
        data = _valid(BaseUpdateInput, request.data)
        base = services.base_update(actor=request.user, base=_base_by_code(str(code), field="code"), **data)
        return Response(TrainingBaseSerializer(base).data)


class TrainingClassViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Training classes by code, and their workflow: enrol a registry person, record
    attendance, completion (with the certificate) or dropping out, a transfer to
    employment, and pay the completed trainees' subsidies through the funds ledger."""

    serializer_class = TrainingClassSerializer
    filterset_class = TrainingClassFilterSet
    lookup_field = "code"
    lookup_value_regex = CODE_PATTERN

    def get_queryset(self):
        return selectors.classes(self.request.user).order_by("code")

    def _class(self, code: Any) -> TrainingClass:
        klass = TrainingClass.objects.select_related("area", "base", "project__area").filter(code=code).first()
        if klass is None:
            raise NotFound(record=str(code), field="class_code")
        return klass

    def _enrolment(self, enrolment: Enrolment, created: bool = False) -> Response:
        return Response(
            EnrolmentSerializer(enrolment, context={"request": self.request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=ClassInput, responses={201: TrainingClassSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(ClassInput, request.data)
        base = _base_by_code(data.pop("base")) if data["base"] else None
        data.pop("base", None)
        project = _project_by_code(data.pop("project")) if data["project"] else None
        data.pop("project", None)
        klass = services.class_create(
            actor=request.user, base=base, project=project, area_code=data.pop("area"), **data
        )
        return Response(TrainingClassSerializer(klass).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=EnrolmentSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def roster(self, request: Request, code: str | None = None) -> Response:
        """The class's trainees."""
        klass = self.get_object()
        page = self.paginate_queryset(selectors.class_roster(klass))
        serializer = EnrolmentSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)

    @extend_schema(request=EnrolInput, responses={201: EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def enrol(self, request: Request, code: str | None = None) -> Response:
        """Enrol a person of the registry, by ID number or person id."""
        data = _valid(EnrolInput, request.data)
        enrolment = services.enrolment_create(actor=request.user, klass=self._class(code), **_trainee(data), **data)
        return self._enrolment(enrolment, created=True)

    @extend_schema(request=AttendanceInput, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, code: str | None = None) -> Response:
        """Record the hours a trainee attended."""
        data = _valid(AttendanceInput, request.data)
        trainee = _trainee(data)
        enrolment = services.enrolment_attendance(
            actor=request.user, klass=self._class(code), hours=data["hours_attended"], **trainee
        )
        return self._enrolment(enrolment)

    @extend_schema(request=CompleteInput, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, code: str | None = None) -> Response:
        """Record that an enrolled trainee completed the class."""
        data = _valid(CompleteInput, request.data)
        trainee = _trainee(data)
        enrolment = services.enrolment_complete(
            actor=request.user,
            klass=self._class(code),
            on=data["completed_on"],
            certificate_number=data["certificate_number"],
            hours_attended=data["hours_attended"],
            **trainee,
        )
        return self._enrolment(enrolment)

    @extend_schema(request=DropInput, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def drop(self, request: Request, code: str | None = None) -> Response:
        """A trainee left the class without completing it."""
        data = _valid(DropInput, request.data)
        trainee = _trainee(data)
        enrolment = services.enrolment_drop(
            actor=request.user, klass=self._class(code), reason=data["reason"], **trainee
        )
        return self._enrolment(enrolment)

    @extend_schema(request=TransferInput, responses={201: TransferSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, code: str | None = None) -> Response:
        """Record a trainee's transfer to employment."""
        data = _valid(TransferInput, request.data)
        trainee = _trainee(data)
        transfer = services.transfer_record(actor=request.user, klass=self._class(code), **trainee, **data)
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SubsidyInput, responses={201: SubsidyOutput})
    @action(detail=True, methods=["post"], url_path="pay-subsidies")
    def pay_subsidies(self, request: Request, code: str | None = None) -> Response:
        """Pay the subsidies of the completed trainees not yet paid for, as one
        disbursement of the class's project in the funds ledger."""
        data = _valid(SubsidyInput, request.data)
        payment = services.subsidy_pay(
            actor=request.user, klass=self._class(code), source=data["source"], year=data["year"], on=data["date"]
        )
        return Response(SubsidyOutput(payment).data, status=status.HTTP_201_CREATED)


class EnrolmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Enrolments: in classes held in the user's areas, and of the user's people."""

    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilterSet

    def get_queryset(self):
        return selectors.enrolments(self.request.user).order_by("id")


class TransferViewSet(viewsets.ReadOnlyModelViewSet):
    """Transfers to employment of trainees."""

    serializer_class = TransferSerializer
    filterset_class = TransferFilterSet

    def get_queryset(self):
        return selectors.transfers(self.request.user).order_by("id")


class TargetViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Yearly targets of the counties and the province's plan. POST sets a year's target
    (replacing it); ``completion`` shows what was achieved against each."""

    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet

    def get_queryset(self):
        return selectors.targets(self.request.user).order_by("year", "area__code")

    @extend_schema(request=TargetInput, responses={201: TargetSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(TargetInput, request.data)
        target = services.target_set(actor=request.user, area_code=data.pop("area"), **data)
        return Response(TargetSerializer(target).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)], responses=TargetCompletionSerializer(many=True)
    )
    @action(detail=False, methods=["get"])
    def completion(self, request: Request) -> Response:
        """The year's targets with the people trained and transferred against them."""
        year = _valid(YearQuery, request.query_params)["year"]
        rows = selectors.target_completion(user=request.user, year=year)
        return Response(TargetCompletionSerializer(rows, many=True).data)


class YearQuery(serializers.Serializer):
    year = _year()


class AllocationQuery(serializers.Serializer):
    year = _year(help_text="the year of the results; the funds are for the next year")
    total = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        default=None,
        help_text="yuan to allocate (default: the training subsidies paid for the year)",
    )


class AllocationView(APIView):
    """The suggested allocation of next year's training funds across the bases by their
    transfers to employment (the formula is in docs/training.md)."""

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True), OpenApiParameter("total", str)],
        responses=AllocationSerializer,
    )
    def get(self, request: Request) -> Response:
        query = _valid(AllocationQuery, request.query_params)
        data = selectors.allocation(user=request.user, year=query["year"], total=query["total"])
        return Response(AllocationSerializer(data).data)


# the app's routes (found by ``fupin.core.api.discover_api``)
router.register("training/bases", TrainingBaseViewSet, basename="training-base")
router.register("training/classes", TrainingClassViewSet, basename="training-class")
router.register("training/enrolments", EnrolmentViewSet, basename="training-enrolment")
router.register("training/transfers", TransferViewSet, basename="training-transfer")
router.register("training/targets", TargetViewSet, basename="training-target")
api_urls = [path("training/allocation/", AllocationView.as_view(), name="api-training-allocation")]
