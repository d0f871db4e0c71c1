"""REST API of land transfer: contracts by number (list, detail, POST records one with its
transferors, ``terminate`` ends one early), their transferors, and the large-scale
operation areas (规模经营) by village. Every write calls its service (which checks role and
scope and audits the change); errors have the one shape of ``fupin.core.api``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fupin.core.api import router, validated
from fupin.core.errors import NotFound
from fupin.land import rules, selectors, services
from fupin.land.choices import Mode, Payment, TransfereeKind
from fupin.land.filters import LandContractFilterSet
from fupin.land.models import LandContract, Transferor

NUMBER_PATTERN = r"[^/]{1,40}"

# --- output shapes ----------------------------------------------------------------------------


class TransferorSerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="household.code", read_only=True)

    class Meta:
        model = Transferor
        fields = ["household", "area_mu"]


class LandContractSerializer(serializers.ModelSerializer):
    village: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    transferee_enterprise: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    transferee_household: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    transferee = serializers.CharField(read_only=True, help_text="the transferee's name or household code")
    area_mu = serializers.DecimalField(
        source="total_area", max_digits=14, decimal_places=2, read_only=True, help_text="the transferors' area"
    )
    large_scale = serializers.BooleanField(read_only=True, help_text="at least the large-scale operation threshold")
    transferors = TransferorSerializer(many=True, read_only=True)

    class Meta:
        model = LandContract
        fields = [
            "number",
            "village",
            "village_name",
            "transferee_kind",
            "transferee_enterprise",
            "transferee_household",
            "transferee_name",
            "transferee",
            "mode",
            "start_date",
            "term_years",
            "end_date",
            "payment",
            "rent_per_mu",
            "dividend_terms",
            "terminated_on",
            "termination_reason",
            "area_mu",
            "large_scale",
            "transferors",
        ]


class LargeScaleAreaSerializer(serializers.Serializer):
    village = serializers.CharField(source="village.code")
    village_name = serializers.CharField(source="village.name")
    contracts = serializers.IntegerField()
    area_mu = serializers.DecimalField(source="area", max_digits=16, decimal_places=2)
    households = serializers.IntegerField()


# --- input shapes -----------------------------------------------------------------------------


class TransferorInput(serializers.Serializer):
    household = serializers.CharField(max_length=20, help_text="the household's code in the registry")
    # no min_value: the rules say what a zero or negative area means
    area_mu = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="mu")


class LandContractInput(serializers.Serializer):
    number = serializers.CharField(max_length=rules.NUMBER_MAX_LENGTH)
    village = serializers.CharField(max_length=12, help_text="12-digit village code")
    transferee_kind = serializers.ChoiceField(choices=TransfereeKind.choices)
    transferee_enterprise = serializers.CharField(
        max_length=18, required=False, default="", allow_blank=True, help_text="unified social credit code"
    )
    transferee_household = serializers.CharField(
        max_length=20, required=False, default="", allow_blank=True, help_text="household code (a large household)"
    )
    transferee_name = serializers.CharField(
        max_length=rules.NAME_MAX_LENGTH, required=False, default="", allow_blank=True, help_text="cooperative, other"
    )
    mode = serializers.ChoiceField(choices=Mode.choices)
    start_date = serializers.DateField()
    term_years = serializers.IntegerField(min_value=-32768, max_value=32767, help_text="whole years")
    payment = serializers.ChoiceField(choices=Payment.choices)
    rent_per_mu = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None, help_text="yuan per mu a year"
    )
    dividend_terms = serializers.CharField(
        max_length=rules.TERMS_MAX_LENGTH, required=False, default="", allow_blank=True
    )
    transferors = TransferorInput(many=True)


class TerminateInput(serializers.Serializer):
    terminated_on = serializers.DateField()
    reason = serializers.CharField(max_length=rules.REASON_MAX_LENGTH, required=False, default="", allow_blank=True)


class LargeScaleQuery(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True, default=None, help_text="default today")


# --- views --------------------------------------------------------------------------------------


class LandContractViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Land transfer contracts (土地流转合同) by number: POST records one with its transferor
    households (township cadre or above), ``terminate`` ends one before its term."""

    serializer_class = LandContractSerializer
    filterset_class = LandContractFilterSet
    lookup_field = "number"
    lookup_value_regex = NUMBER_PATTERN

    def get_queryset(self):
        return selectors.contracts(self.request.user).prefetch_related("transferors__household").order_by("number")

    def _contract(self, number: Any) -> LandContract:
        # unscoped: the service refuses a contract outside the user's areas (403, not a silent 404)
        contract = LandContract.objects.select_related("village").filter(number=number).first()
        if contract is None:
            raise NotFound(record=str(number), field="number")
        return contract

    def _out(self, contract: LandContract, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().filter(pk=contract.pk).first() or contract
        return Response(LandContractSerializer(fresh).data, status=code)

    @extend_schema(request=LandContractInput, responses={201: LandContractSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(LandContractInput, request.data)
        transferors = [services.TransferorData(t["household"], t["area_mu"]) for t in data.pop("transferors")]
        contract = services.contract_create(
            actor=request.user,
            village_code=data.pop("village"),
            transferee_enterprise=data.pop("transferee_enterprise") or None,
            transferee_household=data.pop("transferee_household") or None,
            transferors=transferors,
            **data,
        )
        return self._out(contract, status.HTTP_201_CREATED)

    @extend_schema(request=TerminateInput, responses=LandContractSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request: Request, number: str | None = None) -> Response:
        """End the contract before its term: from the date it is no longer in force."""
        data = validated(TerminateInput, request.data)
        contract = services.contract_terminate(
            actor=request.user, contract=self._contract(number), on=data["terminated_on"], reason=data["reason"]
        )
        return self._out(contract)


class LargeScaleView(APIView):
    """The large-scale operation areas (规模经营): by village, the contracts in force on the
    date of at least the threshold's area (``FUPIN_LAND_LARGE_SCALE_MU``, docs/land.md)."""

    @extend_schema(
        parameters=[OpenApiParameter("date", dt.date, required=False)], responses=LargeScaleAreaSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        query = validated(LargeScaleQuery, request.query_params)
        on = query["date"] or timezone.localdate()
        rows = selectors.large_scale_areas(request.user, on)
        return Response(LargeScaleAreaSerializer(rows, many=True).data)


# the app's routes (found by ``fupin.core.api.discover_api``)

router.register("land/contracts", LandContractViewSet, basename="land-contract")
api_urls = [path("land/large-scale/", LargeScaleView.as_view(), name="api-land-large-scale")]
