import csv
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from fupin.accounts.selectors import user_by_username
from fupin.core.errors import NotFound
from fupin.exchange.importer import apply_import, plan_import
from fupin.exchange.reader import read_package

MANY = 20


def user_named(username: str | None):
    if not username:
        return None
    try:
        return user_by_username(username)
    except NotFound as exc:
        raise CommandError(str(exc.message)) from exc


class Command(BaseCommand):
    help = (
        "Import an exchange package (a folder or .zip of CSV files, an .xlsx workbook, or one CSV/XLSX file). "
        "Everything is validated first; any error imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("package", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        parser.add_argument("--as", dest="as_user", help="import as this user: their scope and role apply")

    def handle(self, *args, **o):
        user = user_named(o["as_user"])
        path: Path = o["package"]
        bar = tqdm(total=4, desc="validating", unit="step", disable=not sys.stderr.isatty(), leave=False)
        package = read_package(path)
        bar.update(1)
        plan = plan_import(package, user=user)
        bar.update(3)
        bar.close()
        if plan.errors:
            for error in plan.errors[:200]:
                self.stderr.write(str(error))
            if len(plan.errors) > MANY:
                report = path.with_name(path.name.rstrip("/") + ".errors.csv")
                with report.open("w", encoding="utf-8-sig", newline="") as fh:
                    writer = csv.writer(fh)
                    writer.writerow(["file", "line", "column", "reason"])
                    for e in plan.errors:
                        writer.writerow([e.file, e.line, e.column, e.reason])
                self.stderr.write(f"all {len(plan.errors)} errors are in {report}")
            raise CommandError(f"{len(plan.errors)} error(s): nothing was imported")
        for name, counts in plan.counts().items():
            self.stdout.write(
                f"{name}: {counts['created']} new, {counts['updated']} changed, {counts['unchanged']} unchanged"
            )
        if o["dry_run"]:
            self.stdout.write("dry run: nothing was written")
            return
        if not plan.has_changes:
            self.stdout.write("nothing to change: the database already holds this package")
            return
        total = sum(c["created"] + c["updated"] for c in plan.counts().values())
        with tqdm(total=total, desc="importing", unit="row", disable=not sys.stderr.isatty()) as progress:
            result = apply_import(plan, user=user, progress=lambda _name, n: progress.update(n))
        self.stdout.write(f"imported in {result['seconds']:.1f} s (package sha256 {package.sha256[:16]}…)")
