"""Imports through the web: upload and validate, then confirm and import in the background."""

from __future__ import annotations

import threading
import uuid
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


def import_run_start(*, actor: Any, run: ImportRun, background: bool = True) -> ImportRun:
    """Confirm a valid run and import it, in a background thread unless told otherwise."""
    if run.user_id != actor.pk and not getattr(actor, "is_superuser", False):
        raise NotPermitted(_("Only the person who uploaded the file can confirm its import."), record=run.file_name)
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.state != ImportRun.State.READY:
            raise Conflict(_("This upload is not waiting for confirmation."), field="state", record=run.file_name)
        run.state = ImportRun.State.IMPORTING
        run.save(update_fields=["state", "updated_at"])
    if background:
        threading.Thread(target=_run_in_thread, args=(run.pk, actor.pk), daemon=True).start()
    else:
        _run(run.pk, actor.pk)
    run.refresh_from_db()
    return run


def progress_file(run: ImportRun) -> Path:
    """Rows written so far, kept beside the upload: the import's transaction hides its own
    writes from other connections until it commits, and a file is seen by every worker."""
    return Path(run.path).with_name("progress")


def import_run_progress(run: ImportRun) -> int:
    try:
        return int(progress_file(run).read_text() or 0)
    except (FileNotFoundError, ValueError):
        return run.done


def _run_in_thread(run_pk: int, user_pk: int) -> None:
    close_old_connections()
    try:
        _run(run_pk, user_pk)
    finally:
        close_old_connections()


def _run(run_pk: int, user_pk: int) -> None:
    from fupin.accounts.models import User

    run = ImportRun.objects.get(pk=run_pk)
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
