"""The data exchange pages: upload a package and read its validation report, confirm its
import and watch it run, download blank templates, and export within one's scope.

The views are thin: uploads and imports go through ``fupin.exchange.services``, exports
through ``fupin.exchange.exporter`` (which applies the user's scope and masking)."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fupin.core.errors import ApplicationError
from fupin.exchange import schema
from fupin.exchange.columns import escape_cell
from fupin.exchange.exporter import export_frames, write_package, write_xlsx
from fupin.exchange.forms import XLSX, ExportForm, UploadForm, entity_label
from fupin.exchange.models import ImportRun
from fupin.exchange.pages import HtmxHttpRequest, can_write, show_error
from fupin.exchange.services import (
    KEEP_ERRORS,
    import_run_create,
    import_run_progress,
    import_run_reap,
    import_run_retry,
    import_run_start,
    import_runs_reap,
)

HISTORY_SIZE = 25
ERRORS_PER_PAGE = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the exchange page ------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The upload form (POST), the templates, the export form and the user's imports."""
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                run = import_run_create(actor=request.user, upload=form.cleaned_data["file"])
            except ApplicationError as exc:
                show_error(request, exc, form=form)
            else:
                return redirect("exchange:run", run.pk)
    return _home_page(request, upload_form=form, export_form=ExportForm(user=request.user))


def _home_page(request: HttpRequest, *, upload_form: UploadForm, export_form: ExportForm) -> HttpResponse:
    runs = list(ImportRun.objects.filter(user_id=_user_id(request)).order_by("-created_at", "-id")[:HISTORY_SIZE])
    import_runs_reap(runs)  # an import whose worker died is shown failed, not importing forever
    context = {
        "upload_form": upload_form,
        "export_form": export_form,
        "can_import": can_write(request.user),
        "entities": [_entity_row(e) for e in schema.ENTITIES.values()],
        "runs": [{"run": run, "totals": _totals(run)} for run in runs],
        "history_size": HISTORY_SIZE,
    }
    return render(request, "exchange/home.html", context)


def _entity_row(entity: schema.Entity) -> dict[str, Any]:
    return {"name": entity.name, "label": entity_label(entity.name), "help": entity.help, "key": entity.key}


def _totals(run: ImportRun) -> dict[str, int]:
    counts = run.counts.values() if isinstance(run.counts, dict) else []
    return {k: sum(c.get(k, 0) for c in counts) for k in ("created", "updated", "unchanged")}


# --- export -------------------------------------------------------------------------------------


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    """The user's data in the exchange format, as a download: scope and masking are those
    of ``export_frames(user=...)``. Written to a temporary file, not held in memory twice."""
    form = ExportForm(request.GET, user=request.user)
    if not form.is_valid():
        return _home_page(request, upload_form=UploadForm(), export_form=form)
    area = form.cleaned_data["area"] or None
    frames = export_frames(user=request.user, area=area, entities=form.cleaned_data["entities"])
    suffix = ".xlsx" if form.cleaned_data["format"] == XLSX else ".zip"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"fupin-export-{area or 'all'}-{stamp}{suffix}"
    with tempfile.TemporaryDirectory(prefix="fupin-export-") as folder:
        target = Path(folder) / filename
        if suffix == ".xlsx":
            write_xlsx(frames, target, reference=True)
        else:
            write_package(frames, target)
        # the open file outlives its directory (POSIX); FileResponse closes it when sent
        handle = target.open("rb")
    content_type = XLSX_TYPE if suffix == ".xlsx" else "application/zip"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


# --- templates ----------------------------------------------------------------------------------


@login_required
@require_GET
def template(request: HttpRequest, entity: str) -> HttpResponse:
    if entity not in schema.ENTITIES:
        raise Http404(_("No such file in the exchange format."))
    return _xlsx_response(template_workbook([entity]), f"fupin-{entity}-template.xlsx")


@login_required
@require_GET
def template_all(request: HttpRequest) -> HttpResponse:
    return _xlsx_response(template_workbook(list(schema.ENTITIES)), "fupin-template.xlsx")


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


def template_workbook(names: list[str]) -> bytes:
    """A blank workbook: one sheet per entity with only its header row (an example row
    would be imported by mistake), a ``reference`` sheet describing every column (type,
    required, example, help, codes) and a ``code lists`` sheet with every code's label.
    Both are sheet names the reader skips, so a filled-in template imports as it is.

    Columns other than numbers are formatted as text, so that Excel keeps ID numbers,
    household codes and area codes as typed (as numbers it would round them)."""
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    frames = {name: pl.DataFrame(schema=dict.fromkeys(schema.ENTITIES[name].column_names, pl.String)) for name in names}
    buffer = io.BytesIO()
    write_xlsx(frames, buffer, reference=True)
    buffer.seek(0)
    book = load_workbook(buffer)
    bold = Font(bold=True)
    for name in names:
        sheet = book[name]
        for index, column in enumerate(schema.ENTITIES[name].columns, start=1):
            letter = get_column_letter(index)
            sheet[f"{letter}1"].font = bold
            dimension = sheet.column_dimensions[letter]
            dimension.width = max(12, len(column.name) + 2, len(column.example) + 4)
            if column.kind not in (schema.INT, schema.DECIMAL):
                dimension.number_format = "@"
        sheet.freeze_panes = "A2"
    # write_xlsx's reference sheet lists the codes of every entity: keep this template's
    codes = book["reference"]
    codes.title = "code lists"
    for row in range(codes.max_row, 1, -1):
        if codes.cell(row, 1).value not in names:
            codes.delete_rows(row)
    _style_table(codes, [14, 20, 22, 40], bold)
    # and describe each column on a reference sheet of its own, right after the entities
    reference = book.create_sheet("reference", index=len(names))
    reference.append(
        [_("entity"), _("column"), _("type"), _("required"), _("example"), _("help"), _("codes (see code lists)")]
    )
    for name in names:
        entity = schema.ENTITIES[name]
        for column in entity.columns:
            reference.append(
                [
                    name,
                    column.name,
                    str(schema.KIND_HELP[column.kind]),
                    _("yes") if column.required else "",
                    column.example,
                    str(column.help),
                    ";".join(column.codes),
                ]
            )
    _style_table(reference, [14, 24, 28, 9, 20, 50, 40], bold)
    for row in reference.iter_rows(min_row=2):
        row[5].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _style_table(sheet: Any, widths: list[int], bold: Any) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.cell(1, index).font = bold
    sheet.freeze_panes = "A2"


# --- one import: report, confirmation, progress -------------------------------------------------


def _user_id(request: HttpRequest) -> int:
    return int(request.user.pk or 0)  # the views are login_required: there is always one


def _run_or_404(request: HttpRequest, pk: int) -> ImportRun:
    """Only the person who uploaded the file (or a superuser) sees its run."""
    runs = ImportRun.objects.all()
    if not request.user.is_superuser:
        runs = runs.filter(user_id=_user_id(request))
    return get_object_or_404(runs, pk=pk)


@login_required
@require_GET
def run_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The validation report; while importing, its HTMX poll gets the report alone."""
    run = import_run_reap(_run_or_404(request, pk))
    context = _report_context(request, run)
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "exchange/_report.html", context)
    else:
        response = render(request, "exchange/run.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _report_context(request: HttpRequest, run: ImportRun) -> dict[str, Any]:
    state = ImportRun.State
    if run.state == state.IMPORTING:
        run.done = import_run_progress(run)
    counts = run.counts if isinstance(run.counts, dict) else {}
    rows = [{"name": name, "label": entity_label(name), **counts[name]} for name in schema.ENTITIES if name in counts]
    page = Paginator(run.errors or [], ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "run": run,
        "State": state,
        "counts": rows,
        "totals": _totals(run),
        "page": page,
        "errors": [{"file": f, "line": line, "column": c, "reason": r} for f, line, c, r in page.object_list],
        "errors_cut": run.error_count > len(run.errors or []),
        "keep_errors": KEEP_ERRORS,
        "polling": run.state == state.IMPORTING,
        "can_start": run.state == state.READY and _owns(request, run),
        "can_retry": run.state == state.FAILED and _owns(request, run),
    }


def _owns(request: HttpRequest, run: ImportRun) -> bool:
    return run.user_id == request.user.pk or request.user.is_superuser


@login_required
@require_POST
def run_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a valid upload: import it, in the background unless FUPIN_IMPORT_SYNC."""
    run = _run_or_404(request, pk)
    sync = getattr(settings, "FUPIN_IMPORT_SYNC", False)
    try:
        import_run_start(actor=request.user, run=run, background=not sync)
    except ApplicationError as exc:
        show_error(request, exc)
    return redirect("exchange:run", run.pk)


@login_required
@require_POST
def run_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a failed import again: its stored upload is validated again, then imported."""
    run = _run_or_404(request, pk)
    sync = getattr(settings, "FUPIN_IMPORT_SYNC", False)
    try:
        import_run_retry(actor=request.user, run=run, background=not sync)
    except ApplicationError as exc:
        show_error(request, exc)
    return redirect("exchange:run", run.pk)


@login_required
@require_GET
def run_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's errors as a CSV file (UTF-8 with BOM, so that Excel reads it)."""
    run = _run_or_404(request, pk)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["file", "line", "column", "reason"])
    writer.writerows([escape_cell(str(v)) for v in error] for error in run.errors or [])
    stem = Path(run.file_name).stem or "upload"
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}.errors.csv") or ""
    return response
