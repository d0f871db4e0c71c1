"""REST API of the discounted loans: pilots, loans (with the actions repay and quote),
repayments, discounts, and the payment of a year's discounts from a discount project.
Every write calls its service (which checks role and scope and audits the change); errors
have the one shape of ``fupin.core.api``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from fupin.core.api import router, validated, year_field
from fupin.core.errors import InvalidInput, NotFound
from fupin.credit.loans import rules, selectors, services
from fupin.credit.loans.choices import BorrowerKind
from fupin.credit.loans.filters import DiscountFilterSet, DiscountPilotFilterSet, LoanFilterSet, RepaymentFilterSet
from fupin.credit.loans.models import Discount, DiscountPilot, Loan, LoanRepayment
from fupin.funds.choices import Source
from fupin.programs.models import Project

CODE_PATTERN = r"[^/]{1,40}"

# --- output shapes ----------------------------------------------------------------------------


def _yuan(**kw: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kw)


class PilotSerializer(serializers.ModelSerializer):
    area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = DiscountPilot
        fields = ["id", "area", "area_name", "first_year", "last_year", "rate", "note"]


class LoanSerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="household.code", read_only=True, allow_null=True, default=None)
    enterprise = serializers.CharField(source="enterprise.code", read_only=True, allow_null=True, default=None)
    project = serializers.CharField(source="project.code", read_only=True, allow_null=True, default=None)
    area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    outstanding = serializers.SerializerMethodField()

    class Meta:
        model = Loan
        fields = [
            "code",
            "kind",
            "household",
            "enterprise",
            "project",
            "area",
            "lender",
            "principal",
            "rate",
            "drawn_on",
            "matures_on",
            "purpose",
            "outstanding",
        ]

    def get_outstanding(self, obj: Loan) -> str:
        value = getattr(obj, "outstanding_amount", None)
        return f"{selectors.outstanding(obj) if value is None else value:.2f}"


class RepaymentSerializer(serializers.ModelSerializer):
    loan = serializers.CharField(source="loan.code", read_only=True)

    class Meta:
        model = LoanRepayment
        fields = ["id", "loan", "paid_on", "amount"]


class DiscountSerializer(serializers.ModelSerializer):
    loan = serializers.CharField(source="loan.code", read_only=True)
    pilot = serializers.IntegerField(source="pilot_id", read_only=True)
    paid_on = serializers.DateField(source="payment.entry.date", read_only=True)
    entry = serializers.CharField(source="payment.entry.number", read_only=True)

    class Meta:
        model = Discount
        fields = ["id", "loan", "year", "pilot", "basis", "days", "rate", "amount", "paid_on", "entry"]


class QuoteSerializer(serializers.Serializer):
    loan = serializers.CharField(source="loan.code")
    year = serializers.IntegerField()
    in_pilot = serializers.SerializerMethodField()
    basis = _yuan(help_text="principal discounted after the household cap")
    days = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=2)
    cap = _yuan(help_text="the discount the rule allows")

    def get_in_pilot(self, obj: selectors.Quote) -> bool:
        return obj.pilot is not None


class PaymentSerializer(serializers.Serializer):
    project = serializers.CharField(source="project.code")
    year = serializers.IntegerField()
    entry = serializers.CharField(source="entry.number")
    amount = _yuan()
    loans = serializers.SerializerMethodField()

    def get_loans(self, obj: Any) -> int:
        return int(obj.discounts.count())


# --- input shapes -----------------------------------------------------------------------------


class PilotInput(serializers.Serializer):
    area = serializers.CharField(help_text="12-digit code of a county, a city or the province")
    first_year = year_field()
    last_year = year_field()
    rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, default=rules.DEFAULT_ENTERPRISE_RATE
    )
    note = serializers.CharField(max_length=rules.NOTE_MAX_LENGTH, required=False, default="", allow_blank=True)


class LoanInput(serializers.Serializer):
    code = serializers.CharField(max_length=rules.CODE_MAX_LENGTH)
    kind = serializers.ChoiceField(choices=BorrowerKind.choices)
    household = serializers.CharField(required=False, default="", allow_blank=True, help_text="household code")
    enterprise = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="the enterprise's unified social credit code"
    )
    project = serializers.CharField(required=False, default="", allow_blank=True, help_text="project code")
    lender = serializers.CharField(max_length=rules.NAME_MAX_LENGTH)
    principal = _yuan()
    rate = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="annual interest rate, %")
    drawn_on = serializers.DateField()
    matures_on = serializers.DateField()
    purpose = serializers.CharField(max_length=rules.NAME_MAX_LENGTH, required=False, default="", allow_blank=True)


class RepayInput(serializers.Serializer):
    paid_on = serializers.DateField()
    amount = _yuan()


class PayLoanInput(serializers.Serializer):
    loan = serializers.CharField(max_length=rules.CODE_MAX_LENGTH)
    amount = _yuan(required=False, allow_null=True, default=None, help_text="default: the rule's amount")


class PayInput(serializers.Serializer):
    project = serializers.CharField(help_text="code of the county's discount project")
    year = year_field()
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]  # a field named like Field.source
    date = serializers.DateField(required=False, allow_null=True, default=None)
    loans = PayLoanInput(many=True, required=False, help_text="default: every loan of the county with a discount due")


class QuoteInput(serializers.Serializer):
    year = year_field()


# --- lookups for writes: unscoped, the service refuses outside the user's areas ---------------


def loan_by_code(code: Any, field: str = "loan") -> Loan:
    loan = Loan.objects.select_related("area").filter(code=str(code)).first()
    if loan is None:
        raise InvalidInput(NotFound.default_message, record=str(code), field=field)
    return loan


def project_by_code(code: Any) -> Project:
    project = Project.objects.select_related("area").filter(code=str(code)).first()
    if project is None:
        raise InvalidInput(NotFound.default_message, record=str(code), field="project")
    return project


# --- views ------------------------------------------------------------------------------------


class PilotViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The areas and years of the loan discount reform pilot. POST puts an area in it."""

    serializer_class = PilotSerializer
    filterset_class = DiscountPilotFilterSet

    def get_queryset(self):
        return selectors.pilots(self.request.user).order_by("area__code", "first_year")

    @extend_schema(request=PilotInput, responses={201: PilotSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(PilotInput, request.data)
        pilot = services.pilot_create(actor=request.user, area_code=data.pop("area"), **data)
        return Response(PilotSerializer(pilot).data, status=status.HTTP_201_CREATED)


class LoanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Discounted loans by contract number: POST records one; ``repay`` records a
    repayment; ``quote`` gives the discount the rule allows for a year."""

    serializer_class = LoanSerializer
    filterset_class = LoanFilterSet
    lookup_field = "code"
    lookup_value_regex = CODE_PATTERN

    def get_queryset(self):
        return selectors.loans(self.request.user).order_by("code")

    @extend_schema(request=LoanInput, responses={201: LoanSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(LoanInput, request.data)
        loan = services.loan_create(actor=request.user, **data)
        return Response(LoanSerializer(loan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RepayInput, responses={201: RepaymentSerializer})
    @action(detail=True, methods=["post"])
    def repay(self, request: Request, code: str | None = None) -> Response:
        """Record a repayment of principal (refused beyond what is outstanding)."""
        data = validated(RepayInput, request.data)
        repayment = services.repayment_record(actor=request.user, loan=loan_by_code(code, "code"), **data)
        return Response(RepaymentSerializer(repayment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True, description="the discount's year")],
        responses=QuoteSerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def quote(self, request: Request, code: str | None = None) -> Response:
        """The discount the rule allows on the loan for a year."""
        loan = self.get_object()
        year = validated(QuoteInput, request.query_params)["year"]
        return Response(QuoteSerializer(selectors.discount_quote(loan, year)).data)


class RepaymentViewSet(viewsets.ReadOnlyModelViewSet):
    """Repayments of discounted loans."""

    serializer_class = RepaymentSerializer
    filterset_class = RepaymentFilterSet

    def get_queryset(self):
        return selectors.repayments(self.request.user).order_by("loan__code", "paid_on", "id")


class DiscountViewSet(viewsets.ReadOnlyModelViewSet):
    """Loan discounts as paid; POST ``pay`` pays a year's discounts from a county's discount
    project through the funds ledger."""

    serializer_class = DiscountSerializer
    filterset_class = DiscountFilterSet

    def get_queryset(self):
        return selectors.discounts(self.request.user).select_related("payment__entry").order_by("year", "loan__code")

    @extend_schema(request=PayInput, responses={201: PaymentSerializer})
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def pay(self, request: Request) -> Response:
        """Pay the year's discounts (refused outside the pilot and beyond the rule's amount)."""
        data = validated(PayInput, request.data)
        given = data.get("loans")
        loans = None if not given else [(loan_by_code(row["loan"]), row["amount"]) for row in given]
        payment = services.discount_pay(
            actor=request.user,
            project=project_by_code(data["project"]),
            year=data["year"],
            source=data["source"],
            loans=loans,
            on=data["date"],
        )
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


router.register("discount-pilots", PilotViewSet, basename="discount-pilot")
router.register("discount-loans", LoanViewSet, basename="discount-loan")
router.register("discount-repayments", RepaymentViewSet, basename="discount-repayment")
router.register("loan-discounts", DiscountViewSet, basename="loan-discount")
