"""REST API of leading enterprises: enterprises (with their contracts' compliance),
employees, production bases (with the link of a household), base links and order
contracts (with the record of deliveries and payments). Every write calls its service
(which checks role and scope and audits the change); errors have the one shape of
``fupin.core.api``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from fupin.core.api import router, validated, year_field
from fupin.core.errors import InvalidInput, NotFound
from fupin.core.policy import can_view_identifiers
from fupin.industry import rules, selectors, services
from fupin.industry.choices import Level, Sector, Status
from fupin.industry.filters import (
    BaseFilterSet,
    BaseLinkFilterSet,
    ContractFilterSet,
    EmploymentFilterSet,
    EnterpriseFilterSet,
)
from fupin.industry.models import BaseLink, Employment, Enterprise, OrderContract, ProductionBase
from fupin.registry import idnumbers
from fupin.registry.models import Household, Person

CODE_PATTERN = r"[^/]{1,32}"

# --- output shapes ----------------------------------------------------------------------------


class EnterpriseSerializer(serializers.ModelSerializer):
    county: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True)
    contracts = serializers.IntegerField(source="contract_count", read_only=True, required=False)
    contracts_complied = serializers.IntegerField(source="complied_count", read_only=True, required=False)
    compliance_rate = serializers.SerializerMethodField(help_text="contracts complied with / contracts (0 to 1)")
    employees = serializers.IntegerField(source="employee_count", read_only=True, required=False)

    class Meta:
        model = Enterprise
        fields = [
            "code",
            "name",
            "county",
            "county_name",
            "level",
            "sector",
            "identified_year",
            "status",
            "contracts",
            "contracts_complied",
            "compliance_rate",
            "employees",
        ]

    def get_compliance_rate(self, obj: Enterprise) -> float | None:
        total = getattr(obj, "contract_count", None)
        return getattr(obj, "complied_count", 0) / total if total else None


class EmploymentSerializer(serializers.ModelSerializer):
    enterprise: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.SerializerMethodField(
        help_text="18 digits; without the permission to see identifiers, the first 6 and then asterisks"
    )
    household = serializers.CharField(source="person.household.code", read_only=True)

    class Meta:
        model = Employment
        fields = [
            "id",
            "enterprise",
            "person",
            "name",
            "id_number",
            "household",
            "start_date",
            "end_date",
            "monthly_wage",
        ]

    def get_id_number(self, obj: Employment) -> str:
        request = self.context.get("request")
        show = bool(request and can_view_identifiers(request.user))
        return obj.person.id_number if show else idnumbers.mask(obj.person.id_number)


class ProductionBaseSerializer(serializers.ModelSerializer):
    enterprise: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    villages: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, many=True
    )
    households = serializers.IntegerField(source="household_count", read_only=True, required=False)

    class Meta:
        model = ProductionBase
        fields = ["code", "enterprise", "name", "product", "area_mu", "established_year", "villages", "households"]


class BaseLinkSerializer(serializers.ModelSerializer):
    base = serializers.CharField(source="base.code", read_only=True)
    enterprise = serializers.CharField(source="base.enterprise.code", read_only=True)
    household = serializers.CharField(source="household.code", read_only=True)
    village = serializers.CharField(source="household.village.code", read_only=True)

    class Meta:
        model = BaseLink
        fields = ["id", "base", "enterprise", "household", "village", "joined_on"]


class ContractSerializer(serializers.ModelSerializer):
    enterprise: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    household = serializers.CharField(source="household.code", read_only=True)
    due = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, help_text="delivered × agreed price − inputs on credit"
    )
    complied = serializers.BooleanField(read_only=True, help_text="delivered in full and paid as agreed")

    class Meta:
        model = OrderContract
        fields = [
            "number",
            "enterprise",
            "household",
            "year",
            "product",
            "unit",
            "quantity",
            "agreed_price",
            "inputs_on_credit",
            "delivered",
            "paid",
            "due",
            "complied",
        ]


# --- input shapes -----------------------------------------------------------------------------


def _number(**kw: Any) -> serializers.DecimalField:
    # no min_value: the rules say what a negative or zero means (the service refuses it)
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kw)


class EnterpriseInput(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="unified social credit code (GB 32100)")
    name = serializers.CharField(max_length=rules.NAME_MAX_LENGTH)
    county = serializers.CharField(max_length=12, help_text="12-digit county code")
    level = serializers.ChoiceField(choices=Level.choices)
    sector = serializers.ChoiceField(choices=Sector.choices)
    identified_year = year_field()
    status = serializers.ChoiceField(choices=Status.choices, required=False, default=Status.ACTIVE)


class EnterpriseUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=rules.NAME_MAX_LENGTH, required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)
    identified_year = year_field(required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)


class EmploymentInput(serializers.Serializer):
    enterprise = serializers.CharField(max_length=40, help_text="the enterprise's credit code")
    id_number = serializers.CharField(required=False, default="", allow_blank=True, max_length=40)
    person = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=2**62, help_text="or the person's id"
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    monthly_wage = _number()


class EmploymentEndInput(serializers.Serializer):
    end_date = serializers.DateField()


class ProductionBaseInput(serializers.Serializer):
    code = serializers.CharField(max_length=rules.CODE_MAX_LENGTH)
    enterprise = serializers.CharField(max_length=40, help_text="the enterprise's credit code")
    name = serializers.CharField(max_length=rules.NAME_MAX_LENGTH)
    product = serializers.CharField(max_length=rules.PRODUCT_MAX_LENGTH)
    area_mu = _number()
    established_year = year_field()
    villages = serializers.ListField(
        child=serializers.CharField(max_length=12), max_length=500, help_text="12-digit codes of the villages"
    )


class BaseLinkInput(serializers.Serializer):
    household = serializers.CharField(max_length=40, help_text="household code")
    joined_on = serializers.DateField()


class ContractInput(serializers.Serializer):
    number = serializers.CharField(max_length=rules.CODE_MAX_LENGTH)
    enterprise = serializers.CharField(max_length=40, help_text="the enterprise's credit code")
    household = serializers.CharField(max_length=40, help_text="household code")
    year = year_field()
    product = serializers.CharField(max_length=rules.PRODUCT_MAX_LENGTH)
    unit = serializers.CharField(max_length=rules.UNIT_MAX_LENGTH, required=False, default="kg")
    quantity = _number()
    agreed_price = _number()
    inputs_on_credit = _number(required=False, default=0)
    delivered = _number(required=False, default=0)
    paid = _number(required=False, default=0)


class ContractFulfilInput(serializers.Serializer):
    delivered = _number()
    paid = _number()


# --- lookups for writes -------------------------------------------------------------------------
# Unscoped: the service refuses records outside the user's areas (403, not a silent 404).


def _enterprise(code: str, field: str = "enterprise") -> Enterprise:
    enterprise = Enterprise.objects.select_related("county").filter(code=code.strip().upper()).first()
    if enterprise is None:
        raise InvalidInput(NotFound.default_message, record=code, field=field)
    return enterprise


def _household(code: str, record: str) -> Household:
    household = Household.objects.select_related("village").filter(code=code.strip()).first()
    if household is None:
        raise InvalidInput(NotFound.default_message, record=record, field="household")
    return household


# --- views --------------------------------------------------------------------------------------


class EnterpriseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Leading enterprises (扶贫龙头企业) by credit code. POST registers one (county office or
    above), PATCH changes it."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    lookup_field = "code"
    lookup_value_regex = CODE_PATTERN

    def get_queryset(self):
        return selectors.enterprises(self.request.user).order_by("code")

    @extend_schema(request=EnterpriseInput, responses={201: EnterpriseSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(EnterpriseInput, request.data)
        enterprise = services.enterprise_create(actor=request.user, county_code=data.pop("county"), **data)
        return Response(EnterpriseSerializer(self._annotated(enterprise)).data, status=status.HTTP_201_CREATED)

    def _annotated(self, enterprise: Enterprise) -> Enterprise:
        """The enterprise with its counts (the response has them, as the list's rows do)."""
        found = selectors.enterprises(self.request.user).filter(pk=enterprise.pk).first()
        if found is None:  # not possible for the user who just wrote it; counts of none
            for name in ("contract_count", "complied_count", "employee_count"):
                setattr(enterprise, name, 0)
            return enterprise
        return found

    @extend_schema(request=EnterpriseUpdateInput, responses=EnterpriseSerializer)
    def partial_update(self, request: Request, code: str | None = None) -> Response:
        data = validated(EnterpriseUpdateInput, request.data)
        enterprise = services.enterprise_update(
            actor=request.user, enterprise=_enterprise(str(code), field="code"), **data
        )
        return Response(EnterpriseSerializer(self._annotated(enterprise)).data)


class EmploymentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Members of registry households employed by leading enterprises. POST records one
    (by ID number or person id); ``end`` records its last day."""

    serializer_class = EmploymentSerializer
    filterset_class = EmploymentFilterSet

    def get_queryset(self):
        return selectors.employments(self.request.user).order_by("id")

    @extend_schema(request=EmploymentInput, responses={201: EmploymentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(EmploymentInput, request.data)
        enterprise = _enterprise(data.pop("enterprise"))
        person_id = data.pop("person")
        person = None
        if person_id is not None:
            person = Person.objects.select_related("household__village").filter(pk=person_id).first()
            if person is None:
                raise InvalidInput(NotFound.default_message, record=str(person_id), field="person")
        job = services.employment_create(actor=request.user, enterprise=enterprise, person=person, **data)
        return Response(EmploymentSerializer(job, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EmploymentEndInput, responses=EmploymentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        """Record the employment's last day."""
        job = self.get_object()
        data = validated(EmploymentEndInput, request.data)
        job = services.employment_end(actor=request.user, employment=job, **data)
        return Response(EmploymentSerializer(job, context={"request": request}).data)


class BaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Production bases by code: the villages they are set up in; ``link`` links a registry
    household of those villages' counties."""

    serializer_class = ProductionBaseSerializer
    filterset_class = BaseFilterSet
    lookup_field = "code"
    lookup_value_regex = CODE_PATTERN

    def get_queryset(self):
        return selectors.bases(self.request.user).order_by("code")

    @extend_schema(request=ProductionBaseInput, responses={201: ProductionBaseSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(ProductionBaseInput, request.data)
        base = services.base_create(
            actor=request.user,
            enterprise=_enterprise(data.pop("enterprise")),
            village_codes=data.pop("villages"),
            **data,
        )
        return Response(ProductionBaseSerializer(base).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BaseLinkInput, responses={201: BaseLinkSerializer})
    @action(detail=True, methods=["post"])
    def link(self, request: Request, code: str | None = None) -> Response:
        """Link a registry household to the base."""
        base = ProductionBase.objects.filter(code=code).first()
        if base is None:
            raise NotFound(record=str(code), field="code")
        data = validated(BaseLinkInput, request.data)
        link = services.base_link(
            actor=request.user,
            base=base,
            household=_household(data["household"], base.code),
            joined_on=data["joined_on"],
        )
        return Response(BaseLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class BaseLinkViewSet(viewsets.ReadOnlyModelViewSet):
    """Households linked to production bases."""

    serializer_class = BaseLinkSerializer
    filterset_class = BaseLinkFilterSet

    def get_queryset(self):
        return selectors.base_links(self.request.user).order_by("id")


class ContractViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Order contracts of enterprises with households by number; ``fulfil`` records what
    has been delivered and paid."""

    serializer_class = ContractSerializer
    filterset_class = ContractFilterSet
    lookup_field = "number"
    lookup_value_regex = CODE_PATTERN

    def get_queryset(self):
        return selectors.contracts(self.request.user).order_by("-year", "number")

    @extend_schema(request=ContractInput, responses={201: ContractSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(ContractInput, request.data)
        contract = services.contract_create(
            actor=request.user,
            enterprise=_enterprise(data.pop("enterprise")),
            household=_household(data.pop("household"), data["number"]),
            **data,
        )
        return Response(ContractSerializer(contract).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContractFulfilInput, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def fulfil(self, request: Request, number: str | None = None) -> Response:
        """Record the totals delivered and paid so far."""
        contract = self.get_object()
        data = validated(ContractFulfilInput, request.data)
        contract = services.contract_fulfil(actor=request.user, contract=contract, **data)
        return Response(ContractSerializer(contract).data)


# the app's routes (found by ``fupin.core.api.discover_api``)
router.register("industry/enterprises", EnterpriseViewSet, basename="industry-enterprise")
router.register("industry/employments", EmploymentViewSet, basename="industry-employment")
router.register("industry/bases", BaseViewSet, basename="industry-base")
router.register("industry/base-links", BaseLinkViewSet, basename="industry-base-link")
router.register("industry/contracts", ContractViewSet, basename="industry-contract")
api_urls: list[Any] = []
