"""REST API of the registry: resources and one endpoint per workflow action."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from fupin.core.api import column_integer, router, validated, year_field
from fupin.core.masking import mask_birth_date
from fupin.core.modelfields import TIMESTAMPS, field_names
from fupin.core.policy import can_view_identifiers
from fupin.registry import idnumbers, services
from fupin.registry.choices import (
    Action,
    Cause,
    Disability,
    Education,
    Health,
    Labour,
    MigrantWork,
    Procedure,
    Relation,
    Sex,
)
from fupin.registry.filters import (
    HouseholdFilterSet,
    IncomeRecordFilterSet,
    PersonFilterSet,
    StatusEventFilterSet,
)
from fupin.registry.models import (
    ASSURANCE_FIELDS,
    MEMBER_FIELDS,
    Helper,
    Household,
    IncomeRecord,
    Person,
    PovertyLine,
    StatusEvent,
)
from fupin.registry.rules import HOUSEHOLD_SIZE_MAX
from fupin.registry.workflow import available_actions

# --- output shapes ----------------------------------------------------------------------


class MaskedMixin:
    def _show(self) -> bool:
        request = self.context.get("request")  # type: ignore[attr-defined]
        return bool(request and can_view_identifiers(request.user))

    def mask_id(self, value: str) -> str:
        return value if self._show() else idnumbers.mask(value)

    def mask_phone(self, value: str) -> str:
        return value if (self._show() or not value) else idnumbers.mask_phone(value)

    def mask_birth_date(self, person: Person) -> str:
        if self._show():
            return person.birth_date.isoformat() if person.birth_date else ""
        return mask_birth_date(person.birth_date, recorded=person.created_at)


class HelperSerializer(MaskedMixin, serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Helper
        fields = field_names(Helper, exclude=("id", "household"))

    def get_phone(self, obj: Helper) -> str:
        return self.mask_phone(obj.phone)


class PersonSerializer(MaskedMixin, serializers.ModelSerializer):
    household: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    id_number = serializers.SerializerMethodField(
        help_text="18 digits; without the permission to see identifiers, the first 6 and then asterisks"
    )
    birth_date = serializers.SerializerMethodField(
        help_text="YYYY-MM-DD; without the permission to see identifiers, the year only (YYYY), "
        "or **** for a person born in the year their record was created"
    )

    class Meta:
        model = Person
        fields = ["id", "household", *MEMBER_FIELDS]

    def get_id_number(self, obj: Person) -> str:
        return self.mask_id(obj.id_number)

    def get_birth_date(self, obj: Person) -> str:
        return self.mask_birth_date(obj)


class HouseholdSerializer(MaskedMixin, serializers.ModelSerializer):
    village: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    phone = serializers.SerializerMethodField()
    member_count = serializers.IntegerField(read_only=True)
    secondary_causes = serializers.SerializerMethodField()
    helpers = HelperSerializer(many=True, read_only=True)
    next_actions = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = field_names(
            Household,
            exclude=("id", *TIMESTAMPS, *ASSURANCE_FIELDS),
            after={"village": ["village_name"], "main_cause": ["secondary_causes", *ASSURANCE_FIELDS]},
            append=["member_count", "helpers", "next_actions"],
        )

    def get_phone(self, obj: Household) -> str:
        return self.mask_phone(obj.phone)

    def get_secondary_causes(self, obj: Household) -> list[str]:
        return sorted(c.cause for c in obj.secondary_causes.all())

    def get_next_actions(self, obj: Household) -> list[str]:
        return available_actions(obj.status, obj.procedure, obj.stage)


class HouseholdDetailSerializer(HouseholdSerializer):
    members = PersonSerializer(many=True, read_only=True)

    class Meta(HouseholdSerializer.Meta):
        fields = [*HouseholdSerializer.Meta.fields, "members"]


class IncomeRecordSerializer(serializers.ModelSerializer):
    household: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    per_capita_net_income = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    transfer = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    net_income = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = IncomeRecord
        fields = field_names(IncomeRecord, exclude=TIMESTAMPS, append=["per_capita_net_income"])


class StatusEventSerializer(serializers.ModelSerializer):
    household: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    actor: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = StatusEvent
        fields = field_names(StatusEvent, exclude=["recorded_at"])


class PovertyLineSerializer(serializers.ModelSerializer):
    area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = PovertyLine
        fields = field_names(PovertyLine, exclude=["id"])


# --- input shapes -----------------------------------------------------------------------


class MemberInput(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    id_number = serializers.CharField(max_length=18)
    relation = serializers.ChoiceField(choices=Relation.choices)
    education = serializers.ChoiceField(choices=Education.choices)
    labour = serializers.ChoiceField(choices=Labour.choices)
    health = serializers.ChoiceField(choices=Health.choices, default=Health.HEALTHY)
    disability = serializers.ChoiceField(choices=Disability.choices, default="", allow_blank=True)
    migrant_work = serializers.ChoiceField(choices=MigrantWork.choices, default="", allow_blank=True)
    migrant_months = serializers.IntegerField(min_value=0, max_value=12, default=0)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    birth_date = serializers.DateField(required=False)


class MemberAddInput(MemberInput):
    household = serializers.CharField(help_text="household code")


class MemberUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=64, required=False)
    id_number = serializers.CharField(max_length=18, required=False)
    relation = serializers.ChoiceField(choices=Relation.choices, required=False)
    education = serializers.ChoiceField(choices=Education.choices, required=False)
    labour = serializers.ChoiceField(choices=Labour.choices, required=False)
    health = serializers.ChoiceField(choices=Health.choices, required=False)
    disability = serializers.ChoiceField(choices=Disability.choices, required=False, allow_blank=True)
    migrant_work = serializers.ChoiceField(choices=MigrantWork.choices, required=False, allow_blank=True)
    migrant_months = serializers.IntegerField(min_value=0, max_value=12, required=False)


class HelperInput(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    unit = serializers.CharField(max_length=128, required=False, default="", allow_blank=True)
    post = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)


def _assurance(*, register: bool) -> serializers.BooleanField:
    """One 两不愁三保障 item: true (assured), false (not assured) or null (not yet assessed)."""
    help_text = "true: assured; false: not assured (deprived); null: not yet assessed"
    if register:
        return serializers.BooleanField(required=False, allow_null=True, default=None, help_text=help_text)
    return serializers.BooleanField(required=False, allow_null=True, help_text=help_text)


class HouseholdRegisterInput(serializers.Serializer):
    village = serializers.CharField(help_text="12-digit village code")
    code = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    type_ordinary = serializers.BooleanField(required=False, default=False)
    type_dibao = serializers.BooleanField(required=False, default=False)
    type_wubao = serializers.BooleanField(required=False, default=False)
    main_cause = serializers.ChoiceField(choices=Cause.choices, required=False, default="", allow_blank=True)
    secondary_causes = serializers.ListField(
        child=serializers.ChoiceField(choices=Cause.choices), required=False, default=list
    )
    helpers = HelperInput(many=True, required=False, default=list)
    members = MemberInput(many=True)
    assured_food = _assurance(register=True)
    assured_clothing = _assurance(register=True)
    assured_education = _assurance(register=True)
    assured_medical = _assurance(register=True)
    assured_housing = _assurance(register=True)
    assured_water = _assurance(register=True)


class HouseholdUpdateInput(serializers.Serializer):
    village = serializers.CharField(required=False, help_text="12-digit village code (moves the household)")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    type_ordinary = serializers.BooleanField(required=False)
    type_dibao = serializers.BooleanField(required=False)
    type_wubao = serializers.BooleanField(required=False)
    main_cause = serializers.ChoiceField(choices=Cause.choices, required=False, allow_blank=True)
    secondary_causes = serializers.ListField(child=serializers.ChoiceField(choices=Cause.choices), required=False)
    helpers = HelperInput(many=True, required=False)
    assured_food = _assurance(register=False)
    assured_clothing = _assurance(register=False)
    assured_education = _assurance(register=False)
    assured_medical = _assurance(register=False)
    assured_housing = _assurance(register=False)
    assured_water = _assurance(register=False)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class MoveInput(serializers.Serializer):
    household = serializers.CharField(help_text="code of the household the person joins")
    relation = serializers.ChoiceField(choices=Relation.choices)


def _amount() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal(0), default=Decimal(0))


class IncomeInput(serializers.Serializer):
    household = serializers.CharField(help_text="household code")
    year = year_field()
    household_size = column_integer(
        IncomeRecord, "household_size", min_value=1, max_value=HOUSEHOLD_SIZE_MAX, required=False
    )
    wage = _amount()
    business = _amount()
    property_income = _amount()
    transfer_family_planning = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, default=Decimal(0)
    )
    transfer_dibao = _amount()
    transfer_wubao = _amount()
    transfer_pension = _amount()
    transfer_eco_compensation = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, default=Decimal(0)
    )
    transfer_other = _amount()
    production_costs = _amount()


class StepInput(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="date of the step (default: today)")
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class ApplyInput(StepInput):
    procedure = serializers.ChoiceField(choices=Procedure.choices[1:])


class PovertyLineInput(serializers.Serializer):
    year = year_field()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    area = serializers.CharField(required=False, help_text="province or city code; omit for the national line")
    basis = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    source = serializers.CharField(  # type: ignore[assignment]  # a field named like Field.source, as in the model
        max_length=300, required=False, default="", allow_blank=True
    )


# --- views --------------------------------------------------------------------------------


def _household_by_code(code: str) -> Household:
    """Unscoped fetch for writes: the service itself refuses households outside the
    user's areas (403, not a silent 404)."""
    from fupin.core.errors import NotFound

    household = Household.objects.select_related("village").filter(code=code).first()
    if household is None:
        raise NotFound(record=code, field="household")
    return household


def _workflow_action(action_name: str, input_class: type[serializers.Serializer]) -> Any:
    @extend_schema(request=input_class, responses=HouseholdDetailSerializer, summary=str(Action(action_name).label))
    def view(self: HouseholdViewSet, request: Request, code: str | None = None) -> Response:
        data = validated(input_class, request.data)
        household = _household_by_code(str(code))
        services.household_step(
            actor=request.user,
            household=household,
            action=action_name,
            on=data.get("date"),
            procedure=data.get("procedure"),
            note=data.get("note", ""),
        )
        return Response(HouseholdDetailSerializer(self._fresh(household), context={"request": request}).data)

    view.__name__ = action_name
    view.__doc__ = f"Workflow step: {Action(action_name).label}."
    return action(detail=True, methods=["post"], url_path=action_name.replace("_", "-"))(view)


def _member_count() -> Coalesce:
    """Members per household as a correlated subquery: computed for the page's rows only,
    and left out of the count query (a ``Count`` join would group the whole registry)."""
    members = Person.objects.filter(household=OuterRef("pk")).order_by().values("household")
    return Coalesce(Subquery(members.annotate(n=Count("id")).values("n"), output_field=IntegerField()), 0)


class HouseholdViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Households of the registry, scoped to the user's areas."""

    filterset_class = HouseholdFilterSet
    lookup_field = "code"

    def get_queryset(self):
        qs = (
            Household.objects.visible_to(self.request.user)
            .select_related("village")
            .prefetch_related("secondary_causes", "helpers")
            .annotate(member_count=_member_count())
            .order_by("code")
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related(Prefetch("members", queryset=Person.objects.order_by("id")))
        return qs

    def get_serializer_class(self):
        return HouseholdDetailSerializer if self.action == "retrieve" else HouseholdSerializer

    def _fresh(self, household: Household) -> Household:
        return self.get_queryset().prefetch_related("members").get(pk=household.pk)

    @extend_schema(request=HouseholdRegisterInput, responses={201: HouseholdDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(HouseholdRegisterInput, request.data)
        household = services.household_register(
            actor=request.user,
            data=services.HouseholdData(
                village_code=data.pop("village"),
                members=[services.MemberData(**m) for m in data.pop("members")],
                helpers=[services.HelperData(**h) for h in data.pop("helpers")],
                **data,
            ),
        )
        return Response(
            HouseholdDetailSerializer(self._fresh(household), context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=HouseholdUpdateInput, responses=HouseholdDetailSerializer)
    def partial_update(self, request: Request, code: str | None = None) -> Response:
        data = validated(HouseholdUpdateInput, request.data)
        if "village" in data:
            data["village_code"] = data.pop("village")
        if "helpers" in data:
            data["helpers"] = [services.HelperData(**h) for h in data["helpers"]]
        household = services.household_update(actor=request.user, household=_household_by_code(str(code)), changes=data)
        return Response(HouseholdDetailSerializer(self._fresh(household), context={"request": request}).data)

    @extend_schema(request=ReasonInput, responses={204: None})
    def destroy(self, request: Request, code: str | None = None) -> Response:
        data = validated(ReasonInput, request.data)
        services.household_delete(actor=request.user, household=_household_by_code(str(code)), reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    apply = _workflow_action(Action.APPLY, ApplyInput)
    appraise = _workflow_action(Action.APPRAISE, StepInput)
    first_notice = _workflow_action(Action.FIRST_NOTICE, StepInput)
    review = _workflow_action(Action.REVIEW, StepInput)
    second_notice = _workflow_action(Action.SECOND_NOTICE, StepInput)
    approve = _workflow_action(Action.APPROVE, StepInput)
    object = _workflow_action(Action.OBJECT, StepInput)
    reject = _workflow_action(Action.REJECT, StepInput)


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Household members, scoped to the user's areas."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet

    def get_queryset(self):
        return Person.objects.visible_to(self.request.user).select_related("household").order_by("id")

    def _person(self, pk: Any) -> Person:
        from fupin.core.errors import NotFound

        person = Person.objects.select_related("household__village").filter(pk=pk).first()
        if person is None:
            raise NotFound(record=str(pk))
        return person

    def _out(self, person: Person) -> Response:
        return Response(PersonSerializer(person, context={"request": self.request}).data)

    @extend_schema(request=MemberAddInput, responses={201: PersonSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(MemberAddInput, request.data)
        household = _household_by_code(data.pop("household"))
        person = services.member_add(actor=request.user, household=household, data=services.MemberData(**data))
        return Response(PersonSerializer(person, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberUpdateInput, responses=PersonSerializer)
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        data = validated(MemberUpdateInput, request.data)
        return self._out(services.member_update(actor=request.user, person=self._person(pk), changes=data))

    @extend_schema(request=ReasonInput, responses={204: None})
    def destroy(self, request: Request, pk: Any = None) -> Response:
        data = validated(ReasonInput, request.data)
        services.member_remove(actor=request.user, person=self._person(pk), reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MoveInput, responses=PersonSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: Any = None) -> Response:
        """Move the person to another household."""
        data = validated(MoveInput, request.data)
        person = services.member_move(
            actor=request.user,
            person=self._person(pk),
            to_household=_household_by_code(data["household"]),
            relation=data["relation"],
        )
        return self._out(person)


class IncomeRecordViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Yearly income records. POST enters or corrects the record of a household's year."""

    serializer_class = IncomeRecordSerializer
    filterset_class = IncomeRecordFilterSet

    def get_queryset(self):
        return (
            IncomeRecord.objects.visible_to(self.request.user)
            .select_related("household")
            .order_by("household_id", "year")
        )

    @extend_schema(request=IncomeInput, responses={201: IncomeRecordSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(IncomeInput, request.data)
        household = _household_by_code(data.pop("household"))
        year = data.pop("year")
        size = data.pop("household_size", None)
        income = services.income_record_save(
            actor=request.user, household=household, year=year, amounts=data, household_size=size
        )
        return Response(IncomeRecordSerializer(income).data, status=status.HTTP_201_CREATED)


class StatusEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The dated steps of every household's procedures."""

    serializer_class = StatusEventSerializer
    filterset_class = StatusEventFilterSet

    def get_queryset(self):
        return (
            StatusEvent.objects.visible_to(self.request.user)
            .select_related("household", "actor")
            .order_by("household_id", "date", "id")
        )


class PovertyLineViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Poverty lines by year: national, and the province's or a city's own."""

    serializer_class = PovertyLineSerializer
    queryset = PovertyLine.objects.select_related("area").order_by("year", "scope")
    filterset_fields = ["year", "scope"]

    @extend_schema(request=PovertyLineInput, responses={201: PovertyLineSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from fupin.core.errors import InvalidInput
        from fupin.geo.models import AdminArea

        data = validated(PovertyLineInput, request.data)
        area = None
        if data.get("area"):
            area = AdminArea.objects.filter(code=data["area"]).first()
            if area is None:
                raise InvalidInput("Unknown area code.", field="area", record=data["area"])
        line = services.poverty_line_set(
            actor=request.user,
            year=data["year"],
            amount=data["amount"],
            area=area,
            basis=data["basis"],
            source=data["source"],
        )
        return Response(PovertyLineSerializer(line).data, status=status.HTTP_201_CREATED)


# --- routes (discovered by the root URLconf: fupin.core.api.discover_api) -------------------

router.register("households", HouseholdViewSet, basename="household")
router.register("persons", PersonViewSet, basename="person")
router.register("incomes", IncomeRecordViewSet, basename="income")
router.register("status-events", StatusEventViewSet, basename="status-event")
router.register("poverty-lines", PovertyLineViewSet, basename="poverty-line")
