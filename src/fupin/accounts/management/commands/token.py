from django.core.management.base import BaseCommand, CommandError

from fupin.accounts.models import User
from fupin.accounts.services import token_revoke, token_rotate


class Command(BaseCommand):
    help = (
        "Print a new API token for USER (Authorization: Token <key>); an earlier token of "
        "the user stops working. --revoke removes it instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="remove the user's token")

    def handle(self, *args, **o):
        user = User.objects.filter(username=o["username"]).first()
        if user is None:
            raise CommandError(f"no user {o['username']!r}")
        if not user.is_active:
            raise CommandError(f"user {user.username!r} is not active")
        if o["revoke"]:
            revoked = token_revoke(user=user, actor=None)
            self.stdout.write("token revoked" if revoked else "the user had no token")
            return
        self.stdout.write(token_rotate(user=user, actor=None))
