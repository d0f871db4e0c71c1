"""Logins: lockout after repeated failures (django-axes), the unlock command, the audit
of failed logins, lockouts and logouts, the password rules everywhere a password is set,
the session idle timeout and API tokens."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token

from fupin.accounts.models import User
from fupin.accounts.services import user_create, user_password_set
from fupin.core.choices import Role
from fupin.core.errors import InvalidInput
from fupin.core.models import AuditEvent
from tests.conftest import PASSWORD
from tests.testing import api

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def try_login(client, username, password, language="en"):
    client.cookies["django_language"] = language
    return client.post(LOGIN, {"username": username, "password": password})


def fail(client, user, times):
    for _ in range(times):
        response = try_login(client, user.username, "wrong-password")
        assert response.status_code in {200, 429}


# --- lockout ----------------------------------------------------------------------------


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, province_user):
    fail(client, province_user, 30)
    response = try_login(client, province_user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("web:home")).status_code == 302  # still not logged in


def test_the_limit_is_per_user_and_address(client, province_user):
    limit = settings.AXES_FAILURE_LIMIT
    fail(client, province_user, limit - 1)
    assert try_login(client, province_user.username, PASSWORD).status_code == 302  # under the limit
    client.logout()
    fail(client, province_user, limit)
    assert try_login(client, province_user.username, PASSWORD).status_code == 429
    # the same user from another address is not locked out by this one
    other = client_class_from(client)
    response = other.post(LOGIN, {"username": province_user.username, "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302


def client_class_from(client):
    return type(client)()


@pytest.mark.parametrize(("language", "text"), [("en", "Too many failed logins"), ("zh-hans", "登录失败次数过多")])
def test_the_lockout_page_speaks_both_languages(client, province_user, language, text):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, province_user.username, "wrong-password", language)
    response = try_login(client, province_user.username, PASSWORD, language)
    assert response.status_code == 429
    body = response.content.decode()
    assert text in body
    assert "fupin unlock" in body


def test_unlock_command_lifts_the_lockout(client, province_user):
    fail(client, province_user, settings.AXES_FAILURE_LIMIT)
    assert try_login(client, province_user.username, PASSWORD).status_code == 429
    out = io.StringIO()
    call_command("unlock", province_user.username, stdout=out)
    assert province_user.username in out.getvalue()
    assert try_login(client, province_user.username, PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="login.unlock", object_repr=province_user.username).exists()


def test_the_lockout_ends_after_the_cooloff(client, province_user, settings):
    fail(client, province_user, settings.AXES_FAILURE_LIMIT)
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(
        attempt_time=dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    )
    assert try_login(client, province_user.username, PASSWORD).status_code == 302


def test_basic_and_programmatic_logins_with_a_request_are_counted(province_user):
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="10.9.9.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert authenticate(request, username=province_user.username, password="wrong") is None
    assert authenticate(request, username=province_user.username, password=PASSWORD) is None
    assert authenticate(None, username=province_user.username, password=PASSWORD) == province_user


# --- audit ------------------------------------------------------------------------------


def test_failed_logins_lockouts_and_logouts_are_audited(client, province_user):
    try_login(client, "nobody-here", "secret-guess")
    event = AuditEvent.objects.get(action="login.failed")
    assert event.actor is None
    assert event.after == {"username": "nobody-here", "ip": "127.0.0.1"}
    assert "secret-guess" not in str(event.after) + event.object_repr + event.note
    fail(client, province_user, settings.AXES_FAILURE_LIMIT)
    locked = AuditEvent.objects.get(action="login.locked_out")
    assert locked.after["username"] == province_user.username
    assert "wrong-password" not in str(AuditEvent.objects.values_list("after", "note"))

    client.force_login(province_user)
    client.post(reverse("logout"))
    logout = AuditEvent.objects.get(action="logout")
    assert logout.actor == province_user
    assert logout.channel == "web"


# --- password rules ---------------------------------------------------------------------


def test_user_add_refuses_a_weak_password():
    with pytest.raises(CommandError, match="password"):
        call_command("user_add", "weak", "--password", "1", "--role", Role.PROVINCE, "--area", "230000000000")
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.parametrize("password", ["1", "password", "short7!"])
def test_user_create_applies_the_validators(password):
    with pytest.raises(InvalidInput) as info:
        user_create(actor=None, username="weak", password=password, role=Role.PROVINCE, area_codes=["230000000000"])
    assert info.value.field == "password"
    assert not User.objects.filter(username="weak").exists()


def test_password_change_applies_the_validators(province_user):
    with pytest.raises(InvalidInput):
        user_password_set(user=province_user, password="12345678", actor=None)
    province_user.refresh_from_db()
    assert province_user.check_password(PASSWORD)
    with pytest.raises(CommandError):
        call_command("user_password", province_user.username, "--password", "1")


def test_password_page(client, province_user):
    client.force_login(province_user)
    client.cookies["django_language"] = "en"
    url = reverse("accounts:password")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "1", "new_password2": "1"})
    assert weak.status_code == 200 and b"too short" in weak.content
    province_user.refresh_from_db()
    assert province_user.check_password(PASSWORD)
    new = "a-longer-pass-phrase"
    done = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302
    province_user.refresh_from_db()
    assert province_user.check_password(new)
    assert client.get(reverse("web:home")).status_code == 200  # still logged in
    assert AuditEvent.objects.filter(action="user.password", actor=province_user).exists()


# --- sessions ---------------------------------------------------------------------------


def test_the_session_ends_after_the_idle_timeout(client, province_user):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert 30 <= settings.SESSION_IDLE_MINUTES <= 60
    assert try_login(client, province_user.username, PASSWORD).status_code == 302
    age = client.session.get_expiry_age()
    assert age <= settings.SESSION_IDLE_MINUTES * 60


def test_a_request_renews_the_session(client, province_user, monkeypatch):
    import time

    from django.contrib.sessions.models import Session

    assert try_login(client, province_user.username, PASSWORD).status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    first = Session.objects.get(session_key=key).expire_date
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(reverse("web:home")).status_code == 200
    assert Session.objects.get(session_key=key).expire_date > first


def test_an_expired_session_is_logged_out(client, province_user):
    from django.contrib.sessions.models import Session

    client.force_login(province_user)
    Session.objects.update(expire_date=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    assert client.get(reverse("web:home")).status_code == 302


# --- API tokens -------------------------------------------------------------------------


def test_token_command_prints_a_working_token_and_rotates_it(province_user):
    out = io.StringIO()
    call_command("token", province_user.username, stdout=out)
    key = out.getvalue().strip()
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/areas/").status_code == 200
    out2 = io.StringIO()
    call_command("token", province_user.username, stdout=out2)
    assert out2.getvalue().strip() != key
    assert client.get("/api/areas/").status_code in {401, 403}  # the old token stopped working
    call_command("token", province_user.username, "--revoke", stdout=io.StringIO())
    assert not Token.objects.filter(user=province_user).exists()
    with pytest.raises(CommandError):
        call_command("token", "nobody-here")


def test_token_page_creates_shows_once_and_revokes(client, province_user, county_user):
    other = Token.objects.create(user=county_user)
    client.force_login(province_user)
    url = reverse("accounts:tokens")
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("accounts:tokens").encode() in client.get(reverse("web:home")).content  # in the header
    created = client.post(url, {"action": "create"})
    key = Token.objects.get(user=province_user).key
    assert key.encode() in created.content
    assert key.encode() not in client.get(url).content  # shown once
    client.post(url, {"action": "revoke", "user": county_user.pk})
    assert not Token.objects.filter(user=province_user).exists()
    assert Token.objects.filter(pk=other.pk).exists()  # only the user's own
    assert AuditEvent.objects.filter(action="token.revoke", actor=province_user).exists()


def test_token_page_needs_a_login(client):
    assert client.get(reverse("accounts:tokens")).status_code == 302
