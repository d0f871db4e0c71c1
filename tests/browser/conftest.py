"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium)
against Django's live server. Run with ``make test-browser`` (``pytest -m browser``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ci/ensure-chromium (make test-browser does)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def tree(transactional_db):
    """Live-server tests flush the database after each test: reload the tree, the
    national poverty lines and the output catalogue that data migrations seed (each adds
    only what is missing)."""
    from importlib import import_module

    from django.apps import apps

    import_module("fupin.geo.migrations.0003_administrative_tree").load_tree(apps, None)
    import_module("fupin.registry.migrations.0002_national_poverty_lines").seed_lines(apps, None)
    import_module("fupin.programs.migrations.0002_output_catalogue").load(apps, None)
