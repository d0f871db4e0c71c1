import time

from django.core.management.base import BaseCommand, CommandError

from fupin.demo.load import DEMO_PASSWORD, DemoError, build_demo, describe, occupied
from fupin.geo.services import areas_load, read_area_file


class Command(BaseCommand):
    help = (
        "Build the demo province: Heilongjiang at the end of 2009 on the real administrative tree, "
        "with population figures scaled by --scale (1 = the seed's 692,000 poor households)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.01)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) when the registry already has data",
        )

    def handle(self, *args, **o):
        if o["if_empty"] and occupied():
            self.stdout.write("The registry already holds data; the demo was not loaded again.")
            return
        if not 0 < o["scale"] <= 10:
            raise CommandError("--scale must be more than 0 and at most 10")
        started = time.perf_counter()
        areas_load(rows=read_area_file())
        try:
            summary = build_demo(scale=o["scale"], seed=o["seed"], progress=self.stdout.write)
        except (DemoError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo province loaded in {time.perf_counter() - started:.1f} s: {describe(summary)}.")
        self.stdout.write(f"Log in as province / {DEMO_PASSWORD} (also harbin, yanshou, bayan, clerk, auditor).")
