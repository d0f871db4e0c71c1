from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views import defaults

from fupin.analytics.api import (
    AnnualReportView,
    DynamicsView,
    MeasuresView,
    MultidimensionalView,
    TargetingView,
)
from fupin.core.api import Router, api_not_found
from fupin.core.api_docs import DocsView, SchemaView
from fupin.core.audit_api import AuditEventViewSet
from fupin.funds.api import AccountViewSet, BalancesView, EntryViewSet, FundFlowView, HouseholdFundsView
from fupin.geo.api import AdminAreaViewSet
from fupin.programs.api import (
    BatchViewSet,
    BeneficiaryViewSet,
    ContiguousZoneViewSet,
    LabourInputViewSet,
    OutputKindViewSet,
    ProjectOutputViewSet,
    ProjectViewSet,
    VillagePlanViewSet,
)
from fupin.registry.api import (
    HouseholdViewSet,
    IncomeRecordViewSet,
    PersonViewSet,
    PovertyLineViewSet,
    StatusEventViewSet,
)

router = Router()
router.register("areas", AdminAreaViewSet, basename="area")
router.register("households", HouseholdViewSet, basename="household")
router.register("persons", PersonViewSet, basename="person")
router.register("incomes", IncomeRecordViewSet, basename="income")
router.register("status-events", StatusEventViewSet, basename="status-event")
router.register("poverty-lines", PovertyLineViewSet, basename="poverty-line")
router.register("audit", AuditEventViewSet, basename="audit")
router.register("batches", BatchViewSet, basename="batch")
router.register("village-plans", VillagePlanViewSet, basename="village-plan")
router.register("zones", ContiguousZoneViewSet, basename="zone")
router.register("projects", ProjectViewSet, basename="project")
router.register("output-kinds", OutputKindViewSet, basename="output-kind")
router.register("outputs", ProjectOutputViewSet, basename="output")
router.register("beneficiaries", BeneficiaryViewSet, basename="beneficiary")
router.register("labour-inputs", LabourInputViewSet, basename="labour-input")
router.register("fund-entries", EntryViewSet, basename="fund-entry")
router.register("fund-accounts", AccountViewSet, basename="fund-account")

urlpatterns = [
    path("api/reports/annual/", AnnualReportView.as_view(), name="api-annual-report"),
    path("api/measures/", MeasuresView.as_view(), name="api-measures"),
    path("api/dynamics/", DynamicsView.as_view(), name="api-dynamics"),
    path("api/targeting/", TargetingView.as_view(), name="api-targeting"),
    path("api/multidimensional/", MultidimensionalView.as_view(), name="api-multidimensional"),
    path("api/funds/balances/", BalancesView.as_view(), name="api-fund-balances"),
    path("api/funds/flow/", FundFlowView.as_view(), name="api-fund-flow"),
    path("api/funds/households/<str:code>/", HouseholdFundsView.as_view(), name="api-household-funds"),
    path("api/", include(router.urls)),
    # for logged-in users only; no inline script (fupin.core.api_docs)
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", DocsView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("fupin.accounts.urls")),
    path("exchange/", include("fupin.exchange.urls")),
    path("reports/", include("fupin.analytics.urls")),
    path("", include("fupin.web.urls")),
]


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A URL that names nothing: under /api/ the API's 404 in its error shape, elsewhere the page."""
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)
