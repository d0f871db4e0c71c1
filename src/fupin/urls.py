from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from fupin.analytics.api import (
    AnnualReportView,
    DynamicsView,
    MeasuresView,
    MultidimensionalView,
    TargetingView,
)
from fupin.core.audit_api import AuditEventViewSet
from fupin.geo.api import AdminAreaViewSet
from fupin.registry.api import (
    HouseholdViewSet,
    IncomeRecordViewSet,
    PersonViewSet,
    PovertyLineViewSet,
    StatusEventViewSet,
)

router = DefaultRouter()
router.register("areas", AdminAreaViewSet, basename="area")
router.register("households", HouseholdViewSet, basename="household")
router.register("persons", PersonViewSet, basename="person")
router.register("incomes", IncomeRecordViewSet, basename="income")
router.register("status-events", StatusEventViewSet, basename="status-event")
router.register("poverty-lines", PovertyLineViewSet, basename="poverty-line")
router.register("audit", AuditEventViewSet, basename="audit")

urlpatterns = [
    path("api/reports/annual/", AnnualReportView.as_view(), name="api-annual-report"),
    path("api/measures/", MeasuresView.as_view(), name="api-measures"),
    path("api/dynamics/", DynamicsView.as_view(), name="api-dynamics"),
    path("api/targeting/", TargetingView.as_view(), name="api-targeting"),
    path("api/multidimensional/", MultidimensionalView.as_view(), name="api-multidimensional"),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("exchange/", include("fupin.exchange.urls")),
    path("reports/", include("fupin.analytics.urls")),
    path("", include("fupin.web.urls")),
]
