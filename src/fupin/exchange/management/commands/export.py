from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fupin.accounts.selectors import user_by_username
from fupin.core.areacodes import normalize
from fupin.core.errors import NotFound
from fupin.exchange.exporter import export_package
from fupin.exchange.schema import ENTITIES


class Command(BaseCommand):
    help = "Export in the exchange format: TARGET is a folder, a .zip or an .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path)
        parser.add_argument("--area", help="only this area and below (code)")
        parser.add_argument("--entity", action="append", choices=list(ENTITIES), help="repeat for several")
        parser.add_argument("--as", dest="as_user", help="export as this user: their scope and masking apply")

    def handle(self, *args, **o):
        try:
            area = normalize(o["area"]) if o["area"] else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            user = user_by_username(o["as_user"]) if o["as_user"] else None
        except NotFound as exc:
            raise CommandError(str(exc.message)) from exc
        counts = export_package(o["target"], user=user, area=area, entities=o["entity"])
        for name, n in counts.items():
            self.stdout.write(f"{name}: {n} rows")
        self.stdout.write(f"written to {o['target']}")
