"""REST API of the funds ledger: entries and account balances (read), one endpoint per
posting (appropriate, allocate, disburse, reverse) calling its service, and the reads
built on the ledger (balances of an area, the flow of funds, the funds that reached a
household)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fupin.core.api import router, validated, year_field
from fupin.core.areacodes import normalize
from fupin.core.errors import InvalidInput, NotFound
from fupin.core.modelfields import field_names
from fupin.core.policy import check_scope
from fupin.core.validation import check_year
from fupin.funds import selectors, services
from fupin.funds.choices import Source
from fupin.funds.filters import AccountFilterSet, EntryFilterSet
from fupin.funds.models import Account, Entry
from fupin.geo.models import AdminArea
from fupin.programs.api import project_by_code
from fupin.registry.selectors import household_get

# --- output shapes ----------------------------------------------------------------------------


def _code(**kw: Any) -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kw)


class EntrySerializer(serializers.ModelSerializer):
    area = _code(help_text="the area the money moves from (for a disbursement, the project's area)")
    to_area = _code(allow_null=True)
    project = _code(allow_null=True)
    reverses: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    recorded_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Entry
        fields = field_names(Entry, exclude=["number"], after={"id": ["number"]})


class AccountSerializer(serializers.ModelSerializer):
    area = _code(allow_null=True, help_text="the area of an area's account")
    project = _code(allow_null=True, help_text="the project of a project's account")
    available = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Account
        fields = field_names(Account, append=["available"])


def _money_field() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=2)


class FiguresSerializer(serializers.Serializer):
    received = _money_field()
    allocated = _money_field()
    disbursed = _money_field()
    available = _money_field()


class SourceFiguresSerializer(FiguresSerializer):
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]  # a field named like Field.source


class SourceYearFiguresSerializer(SourceFiguresSerializer):
    year = serializers.IntegerField()


class ChildFiguresSerializer(FiguresSerializer):
    area = serializers.CharField(source="area.code")
    name = serializers.CharField(source="area.name")


class BalancesSerializer(serializers.Serializer):
    area = serializers.CharField(source="area.code")
    year = serializers.IntegerField(allow_null=True)
    totals = FiguresSerializer()
    by_source = SourceFiguresSerializer(many=True)
    by_source_year = SourceYearFiguresSerializer(many=True)
    children = ChildFiguresSerializer(many=True)


class FlowNodeSerializer(serializers.Serializer):
    name = serializers.CharField(
        help_text="unique key: source:…, program:…, county:…, project:… (project:* the others)"
    )
    kind = serializers.ChoiceField(choices=["source", "program", "county", "project"])
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label


class FlowLinkSerializer(serializers.Serializer):
    source = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.source
    target = serializers.CharField()
    value = _money_field()


class FlowSerializer(serializers.Serializer):
    nodes = FlowNodeSerializer(many=True)
    links = FlowLinkSerializer(many=True)
    total = _money_field()
    projects = serializers.IntegerField(help_text="projects with disbursements")
    others = serializers.IntegerField(help_text="projects drawn together as project:*")


class SourceAmountSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]  # a field named like Field.source
    amount = _money_field()


class HouseholdProjectSerializer(serializers.Serializer):
    project = serializers.CharField(source="project.code")
    name = serializers.CharField(source="project.name")
    program = serializers.CharField(source="project.program")
    year = serializers.IntegerField(help_text="the year the project reached the household")
    by_source = SourceAmountSerializer(many=True, help_text="what the project disbursed, by source")
    total = _money_field()


class HouseholdFundsSerializer(serializers.Serializer):
    projects = HouseholdProjectSerializer(many=True)
    by_source = SourceAmountSerializer(many=True)
    total = _money_field()


# --- input shapes -------------------------------------------------------------------------------


class PostingInput(serializers.Serializer):
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]  # a field named like Field.source
    year = year_field(help_text="fund year")
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0.01"))
    date = serializers.DateField(required=False, help_text="date of the movement (default: today)")
    document = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class AppropriateInput(PostingInput):
    area = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="code of the province, city or county the funds reach"
    )
    project = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="or the project they reach (credit, households' own money, labour in kind)",
    )


class AllocateInput(PostingInput):
    from_area = serializers.CharField(help_text="code of the area the funds leave")
    to_area = serializers.CharField(required=False, default="", allow_blank=True, help_text="an area below it")
    project = serializers.CharField(required=False, default="", allow_blank=True, help_text="or a project in it")


class DisburseInput(PostingInput):
    project = serializers.CharField(help_text="project code")


class ReverseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    date = serializers.DateField(required=False, help_text="date of the correction (default: today)")


# --- helpers ------------------------------------------------------------------------------------


def _area(code: str, field: str) -> AdminArea:
    """Unscoped fetch for a posting: the service refuses an area outside the user's areas."""
    area = AdminArea.objects.filter(code=code).first()
    if area is None:
        raise InvalidInput(NotFound.default_message, record=code, field=field)
    return area


def visible_area(user: Any, value: str | None) -> AdminArea:
    """The area named by a query parameter, which the user must answer for."""
    if not value:
        raise InvalidInput(_("This parameter is required."), field="area")
    try:
        code = normalize(value)
    except ValueError as exc:
        raise InvalidInput(_("Not an area code."), record=value, field="area") from exc
    area = AdminArea.objects.filter(code=code).first()
    if area is None:
        raise InvalidInput(NotFound.default_message, record=code, field="area")
    check_scope(user, code, record=code, field="area")
    return area


def _year(value: str | None, *, required: bool) -> int | None:
    if not value:
        if required:
            raise InvalidInput(_("This parameter is required."), field="year")
        return None
    return check_year(value, field_name="year", record=value)


AREA = OpenApiParameter("area", OpenApiTypes.STR, description="area code (12 digits or a prefix such as 2301)")


# --- views --------------------------------------------------------------------------------------


class EntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The funds ledger: append-only entries, scoped by the area the money moves from.
    Money moves only through the posting actions; a correction is a reversing entry."""

    serializer_class = EntrySerializer
    filterset_class = EntryFilterSet

    def get_queryset(self):
        return (
            Entry.objects.visible_to(self.request.user)
            .select_related("area", "to_area", "project", "recorded_by")
            .order_by("date", "id")
        )

    def _created(self, entry: Entry) -> Response:
        entry = Entry.objects.select_related("area", "to_area", "project", "recorded_by").get(pk=entry.pk)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AppropriateInput, responses={201: EntrySerializer})
    @action(detail=False, methods=["post"])
    def appropriate(self, request: Request) -> Response:
        """Funds of a source and year reach an area or a project: which office may
        appropriate which source where is the table of ``fupin.funds.authority``."""
        data = validated(AppropriateInput, request.data)
        area_code, project_code = data.pop("area"), data.pop("project")
        entry = services.appropriate(
            actor=request.user,
            area=_area(area_code, "area") if area_code else None,
            project=project_by_code(project_code) if project_code else None,
            on=data.pop("date", None),
            **data,
        )
        return self._created(entry)

    @extend_schema(request=AllocateInput, responses={201: EntrySerializer})
    @action(detail=False, methods=["post"])
    def allocate(self, request: Request) -> Response:
        """Pass funds down: to an area below, or to a project in the area."""
        data = validated(AllocateInput, request.data)
        from_area = _area(data.pop("from_area"), "from_area")
        to_code, project_code = data.pop("to_area"), data.pop("project")
        entry = services.allocate(
            actor=request.user,
            from_area=from_area,
            to_area=_area(to_code, "to_area") if to_code else None,
            project=project_by_code(project_code) if project_code else None,
            on=data.pop("date", None),
            **data,
        )
        return self._created(entry)

    @extend_schema(request=DisburseInput, responses={201: EntrySerializer})
    @action(detail=False, methods=["post"])
    def disburse(self, request: Request) -> Response:
        """A project pays out funds allocated to it."""
        data = validated(DisburseInput, request.data)
        project = project_by_code(data.pop("project"))
        return self._created(services.disburse(actor=request.user, project=project, on=data.pop("date", None), **data))

    @extend_schema(request=ReverseInput, responses={201: EntrySerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: Any = None) -> Response:
        """Correct an entry by posting its opposite."""
        data = validated(ReverseInput, request.data)
        entry = Entry.objects.filter(pk=pk).first()
        if entry is None:
            raise NotFound(record=f"#{pk}")
        return self._created(
            services.reverse(actor=request.user, entry=entry, reason=data["reason"], on=data.get("date"))
        )


class AccountViewSet(viewsets.ReadOnlyModelViewSet):
    """Balances of each node (an area or a project) by source and fund year."""

    serializer_class = AccountSerializer
    filterset_class = AccountFilterSet

    def get_queryset(self):
        return Account.objects.visible_to(self.request.user).select_related("area", "project").order_by("id")


class BalancesView(APIView):
    @extend_schema(
        parameters=[AREA, OpenApiParameter("year", OpenApiTypes.INT, description="fund year (default: every year)")],
        responses=BalancesSerializer,
    )
    def get(self, request: Request) -> Response:
        """The balances of an area as a whole and of each of its children, by source (and
        fund year): received, allocated to projects, disbursed, available."""
        area = visible_area(request.user, request.query_params.get("area"))
        year = _year(request.query_params.get("year"), required=False)
        return Response(BalancesSerializer(selectors.area_balances(user=request.user, area=area, year=year)).data)


class FundFlowView(APIView):
    @extend_schema(
        parameters=[
            AREA,
            OpenApiParameter("year", OpenApiTypes.INT, description="fund year (default: the latest)"),
            OpenApiParameter("limit", OpenApiTypes.INT, description="projects shown one by one (default 30)"),
        ],
        responses=FlowSerializer,
    )
    def get(self, request: Request) -> Response:
        """Disbursements of a fund year in an area, net of reversals, as the nodes and
        links of a Sankey diagram: fund source → program → county → project."""
        area = visible_area(request.user, request.query_params.get("area"))
        year = _year(request.query_params.get("year"), required=False)
        if year is None:
            years = selectors.fund_years(user=request.user)
            if not years:
                raise InvalidInput(_("This parameter is required."), field="year")
            year = years[0]
        try:
            limit = max(1, min(int(request.query_params.get("limit") or 30), 500))
        except ValueError as exc:
            raise InvalidInput(_("Not a number."), field="limit") from exc
        data = selectors.fund_flow(user=request.user, area=area, year=year, limit=limit)
        return Response(FlowSerializer(data).data)


class HouseholdFundsView(APIView):
    @extend_schema(responses=HouseholdFundsSerializer)
    def get(self, request: Request, code: str) -> Response:
        """The projects that reached a household and what each disbursed, by source."""
        household = household_get(user=request.user, code=code)
        if household is None:
            raise NotFound(record=code, field="household")
        return Response(HouseholdFundsSerializer(selectors.household_funds(household)).data)


# --- routes (discovered by the root URLconf: fupin.core.api.discover_api) -------------------

router.register("fund-entries", EntryViewSet, basename="fund-entry")
router.register("fund-accounts", AccountViewSet, basename="fund-account")

api_urls = [
    path("funds/balances/", BalancesView.as_view(), name="api-fund-balances"),
    path("funds/flow/", FundFlowView.as_view(), name="api-fund-flow"),
    path("funds/households/<str:code>/", HouseholdFundsView.as_view(), name="api-household-funds"),
]
