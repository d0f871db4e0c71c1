from django.core.management.base import BaseCommand, CommandError

from fupin.accounts.services import user_create
from fupin.core.choices import Role
from fupin.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create a user with a role and one or more areas (by code)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--area", action="append", default=[], help="area code; repeat for several")
        parser.add_argument("--name", default="")
        parser.add_argument("--view-identifiers", action="store_true")

    def handle(self, *args, **o):
        from fupin.core.areacodes import normalize

        try:
            user = user_create(
                actor=None,
                username=o["username"],
                password=o["password"],
                role=o["role"],
                area_codes=[normalize(c) for c in o["area"]],
                full_name=o["name"],
                can_view_identifiers=o["view_identifiers"],
            )
        except (ApplicationError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"created {user.username} ({user.role})")
