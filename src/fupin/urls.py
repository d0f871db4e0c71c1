"""The root URLconf: the API (the frameworks' routes, and those each app's ``api.py``
registers: ``fupin.core.api.discover_api``), the pages of the frameworks mounted under a
prefix of their own, and the web shell with the pages each app's ``urls.py`` brings
(``fupin.web.urls.page_urls``). It names no domain app."""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views import defaults

from fupin.analytics.api import (
    AnnualReportFileView,
    AnnualReportView,
    DynamicsView,
    MeasuresView,
    MultidimensionalView,
    TargetingView,
)
from fupin.core.api import api_not_found, discover_api, router
from fupin.core.api_docs import DocsView, SchemaView
from fupin.core.audit_api import AuditEventViewSet
from fupin.geo.api import AdminAreaViewSet
from fupin.web.urls import page_urls

router.register("areas", AdminAreaViewSet, basename="area")
app_api_urls = discover_api()  # each app's api.py registers its viewsets on the router
router.register("audit", AuditEventViewSet, basename="audit")

# the frameworks whose pages live under a prefix of their own
MOUNTED = {
    "fupin.accounts": "account/",
    "fupin.exchange": "exchange/",
    "fupin.analytics": "reports/",
}

urlpatterns = [
    path("api/reports/annual/", AnnualReportView.as_view(), name="api-annual-report"),
    path("api/reports/annual/file/", AnnualReportFileView.as_view(), name="api-annual-report-file"),
    path("api/measures/", MeasuresView.as_view(), name="api-measures"),
    path("api/dynamics/", DynamicsView.as_view(), name="api-dynamics"),
    path("api/targeting/", TargetingView.as_view(), name="api-targeting"),
    path("api/multidimensional/", MultidimensionalView.as_view(), name="api-multidimensional"),
    path("api/", include(app_api_urls)),
    path("api/", include(router.urls)),
    # for logged-in users only; no inline script (fupin.core.api_docs)
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", DocsView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    *(path(prefix, include(f"{app}.urls")) for app, prefix in MOUNTED.items()),
    *page_urls(exclude=MOUNTED),
]


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A URL that names nothing: under /api/ the API's 404 in its error shape, elsewhere the page."""
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)
