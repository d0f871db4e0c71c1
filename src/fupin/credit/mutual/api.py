"""REST API of the village mutual funds: funds by code (with their balance sheet at a date,
members, application queue, seed capital, joining and public-welfare spending) and loans
(apply or record, approve, reject, repay, write off). Every write calls its service (which
checks role and scope and audits the change); errors have the one shape of
``fupin.core.api``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from fupin.core.api import router, validated
from fupin.core.errors import InvalidInput, NotFound
from fupin.credit.mutual import rules, selectors, services
from fupin.credit.mutual.choices import SeedKind
from fupin.credit.mutual.filters import FundFilterSet, FundLoanFilterSet
from fupin.credit.mutual.models import FundLoan, FundRepayment, FundSeed, FundWelfareSpending, Membership, MutualFund
from fupin.funds.choices import Source
from fupin.programs.models import Project

CODE_PATTERN = r"[^/]{1,32}"


def _yuan(**kw: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, max_value=rules.MONEY_MAX, min_value=-rules.MONEY_MAX, **kw
    )


def _rate(**kw: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=5, decimal_places=2, min_value=-999, max_value=999, **kw)


# --- output shapes ------------------------------------------------------------------------------


class FundSerializer(serializers.ModelSerializer):
    village: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = MutualFund
        fields = [
            "code",
            "name",
            "village",
            "village_name",
            "established_on",
            "closed_on",
            "share_value",
            "loan_ceiling",
            "longest_term",
            "fee_rate",
            "welfare_share",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    fund = serializers.CharField(source="fund.code", read_only=True)
    household = serializers.CharField(source="household.code", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "fund", "household", "joined_on", "shares", "base_paid_by_fund", "paid_in", "poor"]


class SeedSerializer(serializers.ModelSerializer):
    fund = serializers.CharField(source="fund.code", read_only=True)
    entry = serializers.CharField(source="entry.number", read_only=True, allow_null=True, default=None)

    class Meta:
        model = FundSeed
        fields = ["id", "fund", "kind", "amount", "received_on", "donor", "entry"]


class FundLoanSerializer(serializers.ModelSerializer):
    fund = serializers.CharField(source="fund.code", read_only=True)
    household = serializers.CharField(source="member.household.code", read_only=True)
    poor = serializers.BooleanField(source="member.poor", read_only=True)

    class Meta:
        model = FundLoan
        fields = [
            "id",
            "fund",
            "number",
            "household",
            "poor",
            "applied_on",
            "amount",
            "term_months",
            "fee_rate",
            "purpose",
            "status",
            "approved_on",
            "due_on",
            "decided_on",
            "written_off_on",
            "written_off",
        ]


class FundRepaymentSerializer(serializers.ModelSerializer):
    loan = serializers.IntegerField(source="loan_id", read_only=True)

    class Meta:
        model = FundRepayment
        fields = ["id", "loan", "paid_on", "principal", "fee"]


class WelfareSerializer(serializers.ModelSerializer):
    fund = serializers.CharField(source="fund.code", read_only=True)

    class Meta:
        model = FundWelfareSpending
        fields = ["id", "fund", "spent_on", "amount", "purpose"]


class BalanceSheetSerializer(serializers.Serializer):
    on = serializers.DateField()
    seed_fiscal = _yuan()
    seed_other = _yuan()
    seed = _yuan()
    shares = _yuan()
    fees = _yuan()
    lent = _yuan()
    repaid = _yuan()
    loans_outstanding = _yuan()
    written_off = _yuan()
    welfare_drawn = _yuan()
    welfare_spent = _yuan()
    welfare_balance = _yuan()
    cash = _yuan()
    total_assets = _yuan()
    retained = _yuan()
    members = serializers.IntegerField()
    poor_members = serializers.IntegerField()
    poor_share = serializers.FloatField(allow_null=True)
    base_shares_paid_by_fund = serializers.IntegerField()
    arrears_count = serializers.IntegerField()
    arrears = _yuan()


# --- inputs -------------------------------------------------------------------------------------


class FundInput(serializers.Serializer):
    code = serializers.CharField(max_length=rules.CODE_MAX_LENGTH)
    name = serializers.CharField(max_length=rules.NAME_MAX_LENGTH)
    village = serializers.CharField(max_length=12, help_text="12-digit village code")
    established_on = serializers.DateField()
    share_value = _yuan(required=False, default="100")
    loan_ceiling = _yuan()
    longest_term = serializers.IntegerField(min_value=0, max_value=10_000)
    fee_rate = _rate()
    welfare_share = _rate(required=False, default="10")


class FundUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=rules.NAME_MAX_LENGTH, required=False)
    share_value = _yuan(required=False)
    loan_ceiling = _yuan(required=False)
    longest_term = serializers.IntegerField(min_value=0, max_value=10_000, required=False)
    fee_rate = _rate(required=False)
    welfare_share = _rate(required=False)


class DateQuery(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None, help_text="default: today")


class SeedInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SeedKind.choices)
    amount = _yuan()
    received_on = serializers.DateField()
    donor = serializers.CharField(max_length=rules.NAME_MAX_LENGTH, required=False, default="", allow_blank=True)
    project = serializers.CharField(
        max_length=32, required=False, default="", allow_blank=True, help_text="county-level project (fiscal seed)"
    )
    source = serializers.ChoiceField(choices=Source.choices, required=False, default=Source.CENTRAL)  # type: ignore[assignment]
    year = serializers.IntegerField(min_value=1980, max_value=2100, required=False, allow_null=True, default=None)


class JoinInput(serializers.Serializer):
    household = serializers.CharField(max_length=20, help_text="household code")
    joined_on = serializers.DateField()
    shares = serializers.IntegerField(min_value=0, max_value=10_000, required=False, default=1)
    base_paid_by_fund = serializers.BooleanField(required=False, default=False)


class WelfareInput(serializers.Serializer):
    spent_on = serializers.DateField()
    amount = _yuan()
    purpose = serializers.CharField(max_length=rules.PURPOSE_MAX_LENGTH)


class FundLoanInput(serializers.Serializer):
    fund = serializers.CharField(max_length=rules.CODE_MAX_LENGTH, help_text="fund code")
    household = serializers.CharField(max_length=20, help_text="the member household's code")
    number = serializers.CharField(max_length=rules.CODE_MAX_LENGTH, required=False, default="", allow_blank=True)
    applied_on = serializers.DateField()
    amount = _yuan()
    term_months = serializers.IntegerField(min_value=0, max_value=10_000)
    fee_rate = _rate(required=False, allow_null=True, default=None)
    purpose = serializers.CharField(max_length=rules.PURPOSE_MAX_LENGTH)
    approved_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="given: the application is approved and lent at once"
    )


class DecisionInput(serializers.Serializer):
    on = serializers.DateField()


class FundRepayInput(serializers.Serializer):
    paid_on = serializers.DateField()
    principal = _yuan(required=False, default="0")
    fee = _yuan(required=False, default="0")


# --- views ---------------------------------------------------------------------------------------


def fund_by_code(code: Any, field: str = "fund") -> MutualFund:
    fund = MutualFund.objects.select_related("village").filter(code=str(code)).first()
    if fund is None:
        raise InvalidInput(NotFound.default_message, record=str(code), field=field)
    return fund


class FundViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Village mutual funds (互助资金) by code. POST establishes one (county office or
    above), PATCH changes its rules."""

    serializer_class = FundSerializer
    filterset_class = FundFilterSet
    lookup_field = "code"
    lookup_value_regex = CODE_PATTERN

    def get_queryset(self):
        return selectors.funds_for(self.request.user).order_by("code")

    @extend_schema(request=FundInput, responses={201: FundSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(FundInput, request.data)
        fund = services.fund_create(actor=request.user, village_code=data.pop("village"), **data)
        return Response(FundSerializer(fund).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FundUpdateInput, responses=FundSerializer)
    def partial_update(self, request: Request, code: str | None = None) -> Response:
        data = validated(FundUpdateInput, request.data)
        fund = services.fund_update(actor=request.user, fund=self.get_object(), **data)
        return Response(FundSerializer(fund).data)

    @extend_schema(parameters=[OpenApiParameter("on", dt.date)], responses=BalanceSheetSerializer)
    @action(detail=True, methods=["get"], filter_backends=[])
    def balance(self, request: Request, code: str | None = None) -> Response:
        """The balance sheet at the end of a day: cash = seed capital + shares + fees −
        loans outstanding − write-offs − public-welfare spending; total assets."""
        on = validated(DateQuery, request.query_params)["on"] or timezone.localdate()
        return Response(BalanceSheetSerializer(selectors.balance_sheet(self.get_object(), on)).data)

    @extend_schema(responses=MembershipSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def members(self, request: Request, code: str | None = None) -> Response:
        """The fund's member households."""
        fund = self.get_object()
        qs = Membership.objects.filter(fund=fund).select_related("fund", "household").order_by("id")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(MembershipSerializer(page, many=True).data)

    @extend_schema(responses=FundLoanSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def queue(self, request: Request, code: str | None = None) -> Response:
        """Pending applications, poor members' first."""
        page = self.paginate_queryset(selectors.application_queue(self.get_object()).select_related("fund"))
        return self.get_paginated_response(FundLoanSerializer(page, many=True).data)

    @extend_schema(request=JoinInput, responses={201: MembershipSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def join(self, request: Request, code: str | None = None) -> Response:
        """A household of the village joins (one membership per household)."""
        data = validated(JoinInput, request.data)
        fund = fund_by_code(code)
        m = services.member_join(actor=request.user, fund=fund, household_code=data.pop("household"), **data)
        return Response(MembershipSerializer(m).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SeedInput, responses={201: SeedSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def seed(self, request: Request, code: str | None = None) -> Response:
        """Seed capital: fiscal (paid from a county-level project of the ledger) or other."""
        data = validated(SeedInput, request.data)
        project = None
        if data["project"]:
            project = Project.objects.select_related("area", "zone").filter(code=data["project"]).first()
            if project is None:
                raise InvalidInput(NotFound.default_message, record=data["project"], field="project")
        data.pop("project")
        seed = services.seed_record(actor=request.user, fund=fund_by_code(code), project=project, **data)
        return Response(SeedSerializer(seed).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WelfareInput, responses={201: WelfareSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def welfare(self, request: Request, code: str | None = None) -> Response:
        """Spend from the public-welfare fund."""
        data = validated(WelfareInput, request.data)
        spending = services.welfare_spend(actor=request.user, fund=fund_by_code(code), **data)
        return Response(WelfareSerializer(spending).data, status=status.HTTP_201_CREATED)


class FundLoanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Loans of the mutual funds to their members. POST applies (or, with
    ``approved_on``, records an approved loan); approve, reject, repay and write off."""

    serializer_class = FundLoanSerializer
    filterset_class = FundLoanFilterSet

    def get_queryset(self):
        return FundLoan.objects.visible_to(self.request.user).select_related("fund", "member__household").order_by("id")

    def _loan(self, pk: Any) -> FundLoan:
        loan = FundLoan.objects.select_related("fund__village").filter(pk=pk).first()
        if loan is None:
            raise NotFound(record=str(pk), field="loan")
        return loan

    def _out(self, loan: FundLoan, created: bool = False) -> Response:
        loan = FundLoan.objects.select_related("fund", "member__household").get(pk=loan.pk)
        return Response(FundLoanSerializer(loan).data, status=status.HTTP_201_CREATED if created else 200)

    @extend_schema(request=FundLoanInput, responses={201: FundLoanSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(FundLoanInput, request.data)
        fund = fund_by_code(data.pop("fund"))
        approved_on = data.pop("approved_on")
        application = {"household_code": data.pop("household"), **data}
        if approved_on is not None:
            loan = services.loan_record(actor=request.user, fund=fund, approved_on=approved_on, **application)
        else:
            loan = services.loan_apply(actor=request.user, fund=fund, **application)
        return self._out(loan, created=True)

    @extend_schema(request=DecisionInput, responses=FundLoanSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        data = validated(DecisionInput, request.data)
        return self._out(services.loan_approve(actor=request.user, loan=self._loan(pk), on=data["on"]))

    @extend_schema(request=DecisionInput, responses=FundLoanSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        data = validated(DecisionInput, request.data)
        return self._out(services.loan_reject(actor=request.user, loan=self._loan(pk), on=data["on"]))

    @extend_schema(request=DecisionInput, responses=FundLoanSerializer)
    @action(detail=True, methods=["post"], url_path="write-off", filter_backends=[])
    def write_off(self, request: Request, pk: str | None = None) -> Response:
        data = validated(DecisionInput, request.data)
        return self._out(services.write_off(actor=request.user, loan=self._loan(pk), on=data["on"]))

    @extend_schema(request=FundRepayInput, responses={201: FundRepaymentSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def repay(self, request: Request, pk: str | None = None) -> Response:
        data = validated(FundRepayInput, request.data)
        repayment = services.repay(actor=request.user, loan=self._loan(pk), **data)
        return Response(FundRepaymentSerializer(repayment).data, status=status.HTTP_201_CREATED)


router.register("credit/funds", FundViewSet, basename="mutual-fund")
router.register("credit/fund-loans", FundLoanViewSet, basename="mutual-fund-loan")
api_urls: list[Any] = []
