"""The API's schema and its Swagger UI, for logged-in users only.

The schema describes every endpoint, so it needs a login like the endpoints do (401 or
403 for an anonymous client). The docs page sends an anonymous browser to the login
page, and uses drf-spectacular's split view: its start-up script is a file of its own
(``?script``), so the page runs under the Content-Security-Policy without inline script."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny, IsAuthenticated


class SchemaView(SpectacularAPIView):
    permission_classes = [IsAuthenticated]


class DocsView(SpectacularSwaggerSplitView):
    template_name = "core/swagger_ui.html"
    permission_classes = [AllowAny]  # checked in get(): an anonymous browser is redirected

    @extend_schema(exclude=True)
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)
