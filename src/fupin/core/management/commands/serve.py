import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Fupin with gunicorn (static files by WhiteNoise): the production-style server."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, **o):
        call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "fupin.wsgi:application",
            "--bind",
            f"{o['host']}:{o['port']}",
            "--workers",
            str(o["workers"]),
            "--threads",
            str(o["threads"]),
            "--access-logfile",
            "-",
        ]
        os.environ.setdefault("FUPIN_DATA_DIR", str(settings.DATA_DIR))
        self.stdout.write(f"Serving on http://{o['host']}:{o['port']}/")
        self.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
