"""``fupin flush``: Django's flush (empty every table, after a confirmation), run under the
audit log's maintenance path, the one way past its append-only triggers
(``fupin.core.auditchain.audit_maintenance``). The test runner's transactional tests
flush through this command too."""

from django.core.management.commands import flush
from django.db import connections

from fupin.core.auditchain import audit_maintenance


class Command(flush.Command):
    help = flush.Command.help + " The audit log is emptied too (its one maintenance path)."

    def handle(self, **options):
        with audit_maintenance(connections[options["database"]]):
            return super().handle(**options)
