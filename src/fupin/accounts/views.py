"""A user's own account: API tokens and the password."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from fupin.accounts.services import token_revoke, token_rotate, user_password_set


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API token: create (or replace) it, shown once, or revoke it. Only
    ever the logged-in user's: there is no user parameter to change."""
    user: Any = request.user
    new_key = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if token_revoke(user=user, actor=user):
                messages.success(request, _("Your API token was revoked."))
            return redirect("accounts:tokens")
        new_key = token_rotate(user=user, actor=user)
    token = Token.objects.filter(user=user).first()
    return render(request, "accounts/tokens.html", {"token": token, "new_key": new_key})


class PasswordForm(PasswordChangeForm):
    """Django's form (old password, the validators on the new one), saved by the service."""

    def save(self, commit: bool = True) -> Any:
        user_password_set(user=self.user, password=self.cleaned_data["new_password1"], actor=self.user)
        return self.user


@login_required
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest) -> HttpResponse:
    form = PasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, _("Your password was changed."))
        return redirect("accounts:password")
    return render(request, "accounts/password.html", {"form": form})


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The page django-axes shows for a locked login (AXES_LOCKOUT_CALLABLE), 429."""
    from django.conf import settings

    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)
