from pathlib import Path

from django.core.management.base import BaseCommand

from fupin.geo.services import DATA_FILE, areas_load, read_area_file


class Command(BaseCommand):
    help = "Load (or update) the administrative tree from the shipped file of Heilongjiang's areas."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA_FILE)

    def handle(self, *args, **options):
        counts = areas_load(rows=read_area_file(options["file"]))
        self.stdout.write(f"areas: {counts['created']} created, {counts['updated']} updated")
