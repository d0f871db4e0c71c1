from django.core.management.base import BaseCommand

from fupin.accounts.services import user_unlock


class Command(BaseCommand):
    help = "Lift a login lockout: forget the failed login attempts of one or more usernames."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="+")

    def handle(self, *args, **o):
        for username in o["username"]:
            count = user_unlock(username=username, actor=None)
            self.stdout.write(f"{username}: {count} failed attempt record(s) removed")
