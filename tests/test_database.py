"""SQLite under concurrent use: a ``sqlite:///`` URL runs with the embedded default's options
(WAL, IMMEDIATE transactions, the busy timeout), the loser of two racing disbursements is
told it overdraws (400), and a lock that still times out is a 503 with a message."""

from __future__ import annotations

import sqlite3
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from fupin.core.middleware import is_lock_timeout
from tests import sqlite_files
from tests.sqlite_files import django_env, run_django

sqlite_template = sqlite_files.sqlite_template
sqlite_db = sqlite_files.sqlite_db

SETTINGS_PROBE = """
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy = cursor.fetchone()[0]
emit(
    options=settings.DATABASES["default"]["OPTIONS"],
    shared=settings.SQLITE_OPTIONS,
    journal=journal,
    busy=busy,
    mode=connection.transaction_mode,
)
"""


def test_a_sqlite_url_gets_the_options_of_the_embedded_default(tmp_path):
    from_url = run_django(SETTINGS_PROBE, django_env(tmp_path / "x.sqlite3"))
    embedded = run_django(SETTINGS_PROBE, django_env(None, FUPIN_DATA_DIR=str(tmp_path / "embedded")))
    assert from_url["journal"] == embedded["journal"] == "wal"
    assert from_url["mode"] == embedded["mode"] == "IMMEDIATE"
    assert from_url["busy"] == embedded["busy"] == 30000
    # one definition for both
    assert from_url["options"] == embedded["options"] == embedded["shared"]


RACE = """
import threading
from unittest import mock
from django.db import transaction
from django.test import Client
from fupin.accounts.models import User
from fupin.funds import services
from fupin.funds.models import Account
from fupin.geo.models import AdminArea
from fupin.programs import services as programs

actor = User.objects.create_superuser("racer", password="x")
village = AdminArea.objects.filter(code__startswith="230129", level="village").order_by("code").first()
project = programs.project_create(actor=actor, data=programs.ProjectData(
    code="RACE", name="项目RACE", program="village_advancement", category="infrastructure",
    area_code=village.code, start_year=2009, end_year=2009))
province = AdminArea.objects.get(code="230000000000")
services.appropriate(actor=actor, area=province, source="central", year=2009, amount="100", on=None)
services.allocate(actor=actor, from_area=province, project=project, source="central", year=2009, amount="100", on=None)

# Both requests read the balance inside their transaction, then meet, then write: the moment
# a deferred transaction loses (its snapshot is stale when it wants to write). With IMMEDIATE
# the second one waits at BEGIN; the meeting is given up after a second.
real = services.disburse
meeting = threading.Barrier(2)
def disburse(**kwargs):
    with transaction.atomic():
        Account.objects.filter(project=project).count()
        try:
            meeting.wait(timeout=1)
        except threading.BrokenBarrierError:
            pass
        return real(**kwargs)

statuses, bodies = [], []
def pay():
    client = Client(raise_request_exception=False)
    client.force_login(actor)
    response = client.post("/api/fund-entries/disburse/", {"project": "RACE", "source": "central",
        "year": 2009, "amount": "60"}, content_type="application/json")
    statuses.append(response.status_code)
    bodies.append(response.json())

with mock.patch.object(services, "disburse", disburse):
    threads = [threading.Thread(target=pay) for _ in range(2)]
    for t in threads: t.start()
    for t in threads: t.join(timeout=60)
account = Account.objects.get(project=project, source="central", year=2009)
emit(statuses=sorted(statuses), bodies=bodies, disbursed=account.disbursed)
"""


def test_the_loser_of_two_racing_disbursements_on_sqlite_is_told_it_overdraws(sqlite_db):
    result = run_django(RACE, django_env(sqlite_db))
    assert result["statuses"] == [201, 400], result["bodies"]
    assert [b["code"] for b in result["bodies"] if "code" in b] == ["overdrawn"]
    assert result["disbursed"] == "60.00"


HELD_LOCK = """
import sqlite3
from django.conf import settings
from django.test import Client
from fupin.accounts.models import User
from fupin.funds.models import Entry

actor = User.objects.create_superuser("writer", password="x")
client = Client(raise_request_exception=False)
client.force_login(actor)
other = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
other.execute("BEGIN IMMEDIATE")  # another writer holds the write lock and does not let go
pages = {}
for language in ("zh-hans", "en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post("/api/fund-entries/appropriate/", {"area": "230000000000", "source": "central",
        "year": 2009, "amount": "100"}, content_type="application/json")
    pages[language] = [response.status_code, response.json(), response.get("Retry-After")]
other.rollback()
emit(pages=pages, entries=Entry.objects.count())
"""


def test_a_lock_held_past_the_busy_timeout_is_a_503_with_a_message(sqlite_db):
    result = run_django(HELD_LOCK, django_env(sqlite_db, FUPIN_SQLITE_TIMEOUT="0.2"))
    zh, en = result["pages"]["zh-hans"], result["pages"]["en"]
    assert zh[0] == en[0] == 503
    assert zh[1]["code"] == en[1]["code"] == "database_busy"
    assert "数据库" in zh[1]["message"] and "busy" in en[1]["message"]
    assert zh[2] == en[2] == "5"
    assert result["entries"] == 0


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "数据库"), ("en", "The database is busy")])
def test_a_page_whose_database_stays_locked_is_a_503_page(province_user, settings, language, words):
    client = Client(raise_request_exception=False)
    client.force_login(province_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with mock.patch("fupin.exchange.views._home_page", side_effect=OperationalError("database is locked")):
        response = client.get("/exchange/")
    assert response.status_code == 503
    assert words in response.content.decode()
    assert response["Retry-After"] == "5"


def test_only_lock_timeouts_are_503s(province_user):
    assert is_lock_timeout(OperationalError("database is locked"))
    assert not is_lock_timeout(OperationalError("no such table: x"))
    client = Client(raise_request_exception=False)
    client.force_login(province_user)
    with mock.patch("fupin.exchange.views._home_page", side_effect=OperationalError("no such table: x")):
        assert client.get("/exchange/").status_code == 500


def test_sqlite3_names_a_held_lock_the_way_the_middleware_expects(tmp_path):
    path = tmp_path / "lock.sqlite3"
    first = sqlite3.connect(path, isolation_level=None)
    first.execute("BEGIN IMMEDIATE")
    second = sqlite3.connect(path, timeout=0.05, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        second.execute("BEGIN IMMEDIATE")
    first.rollback()
