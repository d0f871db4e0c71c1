"""An import whose worker dies does not stay "importing" forever: its lock dies with the
process and its heartbeat stops, the next look marks it failed with the reason, nothing of
it was written, and the user starts it again."""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
import time
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from fupin.core.errors import Conflict, NotPermitted
from fupin.exchange.models import ImportRun
from fupin.exchange.services import WorkerLock, heartbeat_file, import_run_reap, import_run_retry
from fupin.registry.models import Household
from tests import sqlite_files
from tests.exchange.test_import import valid_package
from tests.sqlite_files import django_env, django_process, results, run_django

sqlite_template = sqlite_files.sqlite_template
sqlite_db = sqlite_files.sqlite_db
postgres_url = sqlite_files.postgres_url
ROWS = 30

# The web worker's code (import_run_create, then import_run_start in a background thread),
# with the import held up inside its transaction after its first rows, so that it can be
# killed mid-run.
WORKER = """
import time
from pathlib import Path
from django.core.files.uploadedfile import SimpleUploadedFile
from fupin.accounts.models import User
from fupin.exchange import services

actor = User.objects.create_superuser("clerk", password="x")
from rest_framework.authtoken.models import Token
token = Token.objects.create(user=actor)
upload = SimpleUploadedFile("package.zip", Path(os.environ["PACKAGE"]).read_bytes())
run = services.import_run_create(actor=actor, upload=upload)
assert run.state == "ready", (run.state, run.errors)

real = services.apply_import
def held_up(plan, *, user, progress):
    def slowly(name, n):
        progress(name, n)
        Path(os.environ["MARK"]).write_text(f"{name} {n}")
        time.sleep(3600)
    return real(plan, user=user, progress=slowly)
services.apply_import = held_up

run = services.import_run_start(actor=actor, run=run, background=True)
emit(run=run.pk, worker=run.worker, pid=os.getpid(), token=token.key)
time.sleep(3600)
"""

LOOK_WHILE_ALIVE = """
from django.test import Client
from fupin.exchange.models import ImportRun
from fupin.exchange.services import import_run_reap, last_heartbeat
run = import_run_reap(ImportRun.objects.get(pk=int(os.environ["RUN"])))
# reads go on while the import writes (WAL on SQLite)
client = Client(raise_request_exception=False, HTTP_AUTHORIZATION="Token " + os.environ["TOKEN"])
reads = [client.get(url).status_code for url in ("/api/households/", "/api/areas/?level=county", "/api/audit/")]
emit(state=run.state, heartbeat=last_heartbeat(run), reads=reads)
"""

VIEW_AND_RETRY = """
from django.conf import settings
from django.test import Client
from fupin.exchange.models import ImportRun
from fupin.registry.models import Household
from fupin.accounts.models import User

pk = int(os.environ["RUN"])
client = Client(raise_request_exception=False)
client.force_login(User.objects.get(username="clerk"))
client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
page = client.get(f"/exchange/runs/{pk}/")
run = ImportRun.objects.get(pk=pk)
seen = dict(status=page.status_code, page=page.content.decode(), state=run.state, message=run.message,
            households=Household.objects.count())
listed = client.get("/exchange/").content.decode()
settings.FUPIN_IMPORT_SYNC = True
again = client.post(f"/exchange/runs/{pk}/retry/")
run.refresh_from_db()
emit(seen=seen, listed=listed, again=again.status_code, state=run.state, done=run.done, total=run.total,
     households=Household.objects.count(), worker=run.worker)
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def process_db(request: pytest.FixtureRequest) -> Path | str:
    """The database the worker processes share: a SQLite file, or (in the PostgreSQL suite) a
    PostgreSQL database: a killed client's transaction is rolled back by the server."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "postgres_url")


def test_a_killed_worker_is_found_dead_and_its_import_starts_again(process_db, tmp_path, yanshou_village):
    folder = valid_package(tmp_path / "package", yanshou_village, n=ROWS)
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("households.csv", "members.csv"):
            zf.write(folder / name, name)
    mark = tmp_path / "mark"
    (tmp_path / "data").mkdir(exist_ok=True)
    env = django_env(process_db, tmp_path / "data", PACKAGE=str(archive), MARK=str(mark))
    worker = django_process(WORKER, env)
    watchdog = threading.Timer(180, worker.kill)  # never hang the suite on a stuck worker
    watchdog.start()
    try:
        first = worker.stdout.readline() if worker.stdout else ""
        started = results(first)
        assert started, (first, worker.stderr.read() if worker.stderr else "")
        for _ in range(600):
            if mark.exists():
                break
            time.sleep(0.1)
        assert mark.read_text() == f"households {ROWS}"  # mid-run: households written, members not yet
        assert started["worker"].endswith(f":{started['pid']}")
        # alive, it is left alone
        alive = run_django(LOOK_WHILE_ALIVE, {**env, "RUN": str(started["run"]), "TOKEN": started["token"]})
        assert alive["state"] == "importing"
        assert alive["reads"] == [200, 200, 200]
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        watchdog.cancel()
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == -signal.SIGKILL

    after = run_django(VIEW_AND_RETRY, {**env, "RUN": str(started["run"])})
    seen = after["seen"]
    assert seen["status"] == 200 and seen["state"] == "failed"
    assert seen["message"].startswith("The worker stopped: no heartbeat since ")
    assert started["worker"] in seen["message"]
    assert "The worker stopped" in seen["page"] and "Start again" in seen["page"]
    assert seen["households"] == 0  # the killed import's transaction was rolled back
    assert 'class="badge state-failed"' in after["listed"] and 'class="badge state-importing"' not in after["listed"]
    assert after["again"] == 302
    assert after["state"] == "done" and after["done"] == after["total"] == 2 * ROWS
    assert after["households"] == ROWS


# --- in process ------------------------------------------------------------------------------


def _importing(user, tmp_path: Path, village: str, **fields) -> ImportRun:
    folder = valid_package(tmp_path / "upload", village, n=2)
    defaults = {
        "user": user,
        "file_name": "upload.zip",
        "path": str(folder),  # the stored upload: a folder of CSV files
        "state": ImportRun.State.IMPORTING,
        "worker": "elsewhere:4242",
        "heartbeat_at": timezone.now(),
    }
    return ImportRun.objects.create(**{**defaults, **fields})


def test_a_live_worker_is_left_alone(province_user, tmp_path, yanshou_village):
    run = _importing(province_user, tmp_path, yanshou_village)
    lock = WorkerLock(run)
    assert lock.acquire()
    try:
        assert import_run_reap(run).state == ImportRun.State.IMPORTING
        assert not WorkerLock(run).acquire()  # and a second start is refused
    finally:
        lock.release()
    # its process gone, the lock is free: dead at once
    assert import_run_reap(run).state == ImportRun.State.FAILED


def test_a_worker_without_heartbeat_is_dead_even_while_its_lock_is_held(
    province_user, tmp_path, settings, yanshou_village
):
    settings.FUPIN_IMPORT_STALE_SECONDS = 60
    old = timezone.now() - dt.timedelta(minutes=10)
    run = _importing(province_user, tmp_path, yanshou_village, heartbeat_at=old)
    heartbeat_file(run).write_text("")
    os.utime(heartbeat_file(run), (old.timestamp(), old.timestamp()))
    lock = WorkerLock(run)  # say, a frozen worker, or one on another machine sharing the folder
    assert lock.acquire()
    try:
        with translation.override("zh-hans"):
            run = import_run_reap(run)
    finally:
        lock.release()
    assert run.state == ImportRun.State.FAILED and run.finished_at
    since = timezone.localtime(old).strftime("%Y-%m-%d %H:%M:%S")
    assert since in run.message and "elsewhere:4242" in run.message and "心跳" in run.message


def test_the_run_page_reaps_and_offers_to_start_again(client, province_user, tmp_path, settings, yanshou_village):
    run = _importing(province_user, tmp_path, yanshou_village)  # no process holds its lock
    client.force_login(province_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("exchange:run", args=[run.pk])).content.decode()
    assert "The worker stopped" in html and reverse("exchange:retry", args=[run.pk]) in html
    settings.FUPIN_IMPORT_SYNC = True
    response = client.post(reverse("exchange:retry", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE and run.message == "" and run.worker.endswith(f":{os.getpid()}")
    assert Household.objects.filter(code__startswith=f"{yanshou_village}900").count() == 2
    assert WorkerLock(run).acquire()  # the worker let go of its lock when it finished


def test_only_a_failed_run_of_ones_own_starts_again(province_user, make_user, tmp_path, yanshou_village):
    run = _importing(province_user, tmp_path, yanshou_village)
    lock = WorkerLock(run)
    assert lock.acquire()
    try:
        with pytest.raises(Conflict):
            import_run_retry(actor=province_user, run=run, background=False)
    finally:
        lock.release()
    with pytest.raises(NotPermitted):
        import_run_retry(actor=make_user(), run=run, background=False)
    assert ImportRun.objects.get(pk=run.pk).state == ImportRun.State.IMPORTING
