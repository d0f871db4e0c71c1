import getpass

from django.core.management.base import BaseCommand, CommandError

from fupin.accounts.models import User
from fupin.accounts.services import user_password_set
from fupin.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Set a user's password (asked twice unless --password is given); the password rules apply."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password")

    def handle(self, *args, **o):
        user = User.objects.filter(username=o["username"]).first()
        if user is None:
            raise CommandError(f"no user {o['username']!r}")
        password = o["password"]
        if password is None:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the passwords differ")
        try:
            user_password_set(user=user, password=password, actor=None)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"password set for {user.username}")
