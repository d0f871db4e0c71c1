"""Imports through the web: upload and validate, then confirm and import in the background.

A background import belongs to the worker process that runs it. While it runs, the worker
holds an exclusive lock on a file beside the upload (the kernel lets go of it when the
process dies, however it dies) and touches a heartbeat file every few seconds. A run that
is "importing" while its lock is free, or whose heartbeat is older than
``FUPIN_IMPORT_STALE_SECONDS``, has lost its worker: the next look at it (its page, the
list, another start) marks it failed with the reason, and the user can start it again.
Nothing of it was written: the import is one transaction, rolled back with the process."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import socket
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.choices import Role
from fupin.core.errors import ApplicationError, Conflict, InvalidInput, NotPermitted
from fupin.core.policy import check_role
from fupin.exchange.importer import apply_import, plan_import
from fupin.exchange.models import ImportRun
from fupin.exchange.reader import max_bytes, read_package

KEEP_ERRORS = 1000
UPLOAD_SUFFIXES = (".zip", ".csv", ".xlsx")


def _upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports" / uuid.uuid4().hex
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_run_create(*, actor: Any, upload: UploadedFile) -> ImportRun:
    """Store the uploaded file and validate it; the run is ``invalid`` (with every error),
    ``ready`` (with what would change) or ``unchanged``. Nothing is imported yet."""
    check_role(actor, Role.VILLAGE)
    name = Path(upload.name or "upload").name
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise InvalidInput(_("Upload a .zip of CSV files, a .csv or an .xlsx file."), field="file", record=name)
    if upload.size and upload.size > max_bytes():
        raise InvalidInput(_("The file is over the size limit."), field="file", record=name)
    path = _upload_dir() / name
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    package = read_package(path)
    plan = plan_import(package, user=actor)
    if plan.errors:
        state = ImportRun.State.INVALID
    elif plan.has_changes:
        state = ImportRun.State.READY
    else:
        state = ImportRun.State.UNCHANGED
    counts = plan.counts()
    return ImportRun.objects.create(
        user=actor,
        file_name=name,
        path=str(path),
        sha256=package.sha256,
        size=package.size,
        state=state,
        error_count=len(plan.errors),
        errors=[[e.file, e.line, e.column, e.reason] for e in plan.errors[:KEEP_ERRORS]],
        counts=counts,
        total=sum(c["created"] + c["updated"] for c in counts.values()),
    )


def _validate(run: ImportRun, *, user: Any) -> None:
    """Read and plan the stored upload again and record what it would do (not saved)."""
    plan = plan_import(read_package(Path(run.path)), user=user)
    if plan.errors:
        run.state = ImportRun.State.INVALID
    elif plan.has_changes:
        run.state = ImportRun.State.READY
    else:
        run.state = ImportRun.State.UNCHANGED
    counts = plan.counts()
    run.error_count = len(plan.errors)
    run.errors = [[e.file, e.line, e.column, e.reason] for e in plan.errors[:KEEP_ERRORS]]
    run.counts = counts
    run.total = sum(c["created"] + c["updated"] for c in counts.values())


def _check_owner(actor: Any, run: ImportRun) -> None:
    if run.user_id != actor.pk and not getattr(actor, "is_superuser", False):
        raise NotPermitted(_("Only the person who uploaded the file can confirm its import."), record=run.file_name)


def import_run_start(*, actor: Any, run: ImportRun, background: bool = True) -> ImportRun:
    """Confirm a valid run and import it, in a background thread unless told otherwise."""
    _check_owner(actor, run)
    if not Path(run.path).exists():
        raise Conflict(_("The uploaded file is no longer stored; upload it again."), field="file", record=run.file_name)
    lock = WorkerLock(run)
    if not lock.acquire():
        raise Conflict(_("This upload is being imported already."), field="state", record=run.file_name)
    try:
        with transaction.atomic():
            run = ImportRun.objects.select_for_update().get(pk=run.pk)
            if run.state != ImportRun.State.READY:
                raise Conflict(_("This upload is not waiting for confirmation."), field="state", record=run.file_name)
            run.state = ImportRun.State.IMPORTING
            run.worker = worker_name()
            run.heartbeat_at = timezone.now()
            run.message = ""
            run.save(update_fields=["state", "worker", "heartbeat_at", "message", "updated_at"])
        heartbeat_file(run).write_text(run.heartbeat_at.isoformat())
    except BaseException:
        lock.release()
        raise
    if background:
        threading.Thread(target=_run_in_thread, args=(run.pk, actor.pk, lock), daemon=True).start()
    else:
        _run(run.pk, actor.pk, lock)
    run.refresh_from_db()
    return run


def import_run_retry(*, actor: Any, run: ImportRun, background: bool = True) -> ImportRun:
    """Start a failed run again: its stored upload is validated again (the database may
    have changed) and, if it is still valid and changes something, imported."""
    _check_owner(actor, run)
    run = import_run_reap(run)
    if run.state != ImportRun.State.FAILED:
        raise Conflict(_("Only a failed import can be started again."), field="state", record=run.file_name)
    if not Path(run.path).exists():
        raise Conflict(_("The uploaded file is no longer stored; upload it again."), field="file", record=run.file_name)
    _validate(run, user=actor)
    progress_file(run).unlink(missing_ok=True)
    with transaction.atomic():
        updated = ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.FAILED).update(
            state=run.state,
            error_count=run.error_count,
            errors=run.errors,
            counts=run.counts,
            total=run.total,
            done=0,
            message="",
            finished_at=None,
            updated_at=timezone.now(),
        )
    if not updated:
        raise Conflict(_("Only a failed import can be started again."), field="state", record=run.file_name)
    run.refresh_from_db()
    if run.state == ImportRun.State.READY:
        return import_run_start(actor=actor, run=run, background=background)
    return run


# --- the worker's lock and heartbeat ----------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def heartbeat_seconds() -> float:
    return float(getattr(settings, "FUPIN_IMPORT_HEARTBEAT_SECONDS", 5))


def stale_seconds() -> float:
    return float(getattr(settings, "FUPIN_IMPORT_STALE_SECONDS", 60))


def heartbeat_file(run: ImportRun) -> Path:
    return Path(run.path).with_name("heartbeat")


def lock_file(run: ImportRun) -> Path:
    return Path(run.path).with_name("worker.lock")


class WorkerLock:
    """An exclusive ``flock`` on the run's lock file, held by the process that imports it:
    the kernel releases it when the process ends, even by SIGKILL or a power cut."""

    def __init__(self, run: ImportRun) -> None:
        self.path = lock_file(run)
        self.fd: int | None = None

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, worker_name().encode())
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def worker_holds_lock(run: ImportRun) -> bool:
    """Whether some live process holds the run's lock (a free lock means its worker died)."""
    try:
        fd = os.open(lock_file(run), os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing lets go of the shared lock we may have taken
    return False


def last_heartbeat(run: ImportRun) -> dt.datetime | None:
    beats = [run.heartbeat_at] if run.heartbeat_at else []
    with contextlib.suppress(FileNotFoundError):
        beats.append(dt.datetime.fromtimestamp(heartbeat_file(run).stat().st_mtime, tz=dt.UTC))
    return max(beats) if beats else None


class Heartbeat:
    """Touches the heartbeat file every ``FUPIN_IMPORT_HEARTBEAT_SECONDS`` while the import
    runs. A file, not a column: on SQLite the import's transaction holds the write lock."""

    def __init__(self, run: ImportRun) -> None:
        self.path = heartbeat_file(run)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True, name=f"heartbeat-{run.pk}")

    def _beat(self) -> None:
        while not self.stopped.wait(heartbeat_seconds()):
            self.path.write_text(timezone.now().isoformat())

    def __enter__(self) -> Heartbeat:
        self.path.write_text(timezone.now().isoformat())
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=heartbeat_seconds() + 1)


def import_run_reap(run: ImportRun) -> ImportRun:
    """If ``run`` is importing but its worker is gone (its lock is free, or its heartbeat
    is older than ``FUPIN_IMPORT_STALE_SECONDS``), mark it failed, saying so."""
    if run.state != ImportRun.State.IMPORTING:
        return run
    last = last_heartbeat(run)
    now = timezone.now()
    stale = last is None or (now - last).total_seconds() > stale_seconds()
    if worker_holds_lock(run) and not stale:
        return run
    since = timezone.localtime(last).strftime("%Y-%m-%d %H:%M:%S") if last else "-"
    message = _(
        "The worker stopped: no heartbeat since %(time)s (worker %(worker)s). The import runs in one "
        "transaction, so nothing of it was written; start it again."
    ) % {"time": since, "worker": run.worker or "?"}
    ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.IMPORTING).update(
        state=ImportRun.State.FAILED, message=message, finished_at=now, updated_at=now
    )
    run.refresh_from_db()
    return run


def import_runs_reap(runs: Iterable[ImportRun]) -> None:
    """``import_run_reap`` for each of ``runs`` that is importing (updates them in place)."""
    for run in runs:
        if run.state == ImportRun.State.IMPORTING:
            reaped = import_run_reap(run)
            run.state, run.message, run.finished_at = reaped.state, reaped.message, reaped.finished_at


def progress_file(run: ImportRun) -> Path:
    """Rows written so far, kept beside the upload: the import's transaction hides its own
    writes from other connections until it commits, and a file is seen by every worker."""
    return Path(run.path).with_name("progress")


def import_run_progress(run: ImportRun) -> int:
    try:
        return int(progress_file(run).read_text() or 0)
    except (FileNotFoundError, ValueError):
        return run.done


def _run_in_thread(run_pk: int, user_pk: int, lock: WorkerLock) -> None:
    close_old_connections()
    try:
        _run(run_pk, user_pk, lock)
    finally:
        close_old_connections()


def _run(run_pk: int, user_pk: int, lock: WorkerLock) -> None:
    run = ImportRun.objects.get(pk=run_pk)
    try:
        with Heartbeat(run):
            _import(run, user_pk)
    finally:
        lock.release()


def _import(run: ImportRun, user_pk: int) -> None:
    from fupin.accounts.models import User

    user = User.objects.get(pk=user_pk)
    try:
        # validate again: the database may have changed since the upload was checked
        plan = plan_import(read_package(Path(run.path)), user=user)
        if plan.errors:
            ImportRun.objects.filter(pk=run.pk).update(
                state=ImportRun.State.INVALID,
                error_count=len(plan.errors),
                errors=[[e.file, e.line, e.column, e.reason] for e in plan.errors[:KEEP_ERRORS]],
                finished_at=timezone.now(),
            )
            return
        done = 0

        def progress(_name: str, n: int) -> None:
            nonlocal done
            done += n
            progress_file(run).write_text(str(done))

        apply_import(plan, user=user, progress=progress)
        ImportRun.objects.filter(pk=run.pk).update(
            state=ImportRun.State.DONE, done=run.total, counts=plan.counts(), finished_at=timezone.now()
        )
    except ApplicationError as exc:
        ImportRun.objects.filter(pk=run.pk).update(
            state=ImportRun.State.FAILED, message=str(exc), finished_at=timezone.now()
        )
    except Exception as exc:
        ImportRun.objects.filter(pk=run.pk).update(
            state=ImportRun.State.FAILED, message=f"{type(exc).__name__}: {exc}", finished_at=timezone.now()
        )
        raise
