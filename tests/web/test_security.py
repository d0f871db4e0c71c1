"""Deployment settings: the Content-Security-Policy on every page, no inline script or
style in the templates, ``fupin check --deploy`` clean under the documented production
environment, and the API schema and docs behind a login."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.testing import api

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src"


def directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("url", ["/accounts/login/", "/", "/households/", "/programs/", "/exchange/", "/api/docs/"])
def test_every_page_has_a_strict_csp(client, province_user, url):
    client.force_login(province_user)
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["font-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    body = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", body), "inline script"
    assert "<style" not in body and " style=" not in body


def test_templates_have_no_inline_script_or_style():
    offenders = []
    for path in SRC.glob("fupin/*/templates/**/*.html"):
        if path.name == "annual_report.html":  # a self-contained file that is downloaded, not shown
            continue
        text = path.read_text()
        if re.search(r"<style|\sstyle=|<script(?![^>]*\bsrc=)|\son[a-z]+=", text):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


def test_htmx_injects_no_indicator_style(client, province_user):
    client.force_login(province_user)
    body = client.get("/").content.decode()
    assert '"includeIndicatorStyles": false' in body


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FUPIN_", "DATABASE_URL", "DJANGO_"))}
    base.update({"PYTHONPATH": str(SRC), "FUPIN_DATA_DIR": os.environ.get("FUPIN_DATA_DIR", str(SRC.parent / "var"))})
    base.update(env)
    return subprocess.run(
        [sys.executable, "-m", "fupin", "check", "--deploy"],
        env=base,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


PRODUCTION = {
    "FUPIN_HTTPS": "1",
    "FUPIN_DEBUG": "0",
    "FUPIN_SECRET_KEY": secrets.token_urlsafe(50),
    "FUPIN_ALLOWED_HOSTS": "fupin.example.org",
}


def test_check_deploy_is_clean_with_the_production_environment():
    result = run_check(PRODUCTION)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "WARNINGS" not in output and "ERRORS" not in output
    assert "System check identified no issues" in output


def test_without_https_the_check_names_the_https_settings():
    result = run_check({**PRODUCTION, "FUPIN_HTTPS": "0"})
    output = result.stdout + result.stderr
    for code in ("W004", "W008", "W012", "W016"):
        assert code in output


def test_https_settings_follow_the_switch(settings):
    import importlib

    import fupin.settings as module

    os.environ["FUPIN_HTTPS"] = "1"
    os.environ["FUPIN_BEHIND_PROXY"] = "1"
    try:
        reloaded = importlib.reload(module)
        assert reloaded.SECURE_SSL_REDIRECT and reloaded.SESSION_COOKIE_SECURE and reloaded.CSRF_COOKIE_SECURE
        assert reloaded.SECURE_HSTS_SECONDS >= 31536000
        assert reloaded.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    finally:
        del os.environ["FUPIN_HTTPS"], os.environ["FUPIN_BEHIND_PROXY"]
        importlib.reload(module)


def test_schema_and_docs_need_a_login(client, province_user):
    assert api().get("/api/schema/").status_code in {401, 403}
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("login"))
    assert client.get("/api/docs/?script").status_code == 302
    client.force_login(province_user)
    page = client.get("/api/docs/")
    assert page.status_code == 200 and b"swagger-ui" in page.content
    script = client.get("/api/docs/?script")
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    assert client.get("/api/schema/").status_code == 200
