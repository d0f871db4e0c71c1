from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_connection(sender, connection, **kwargs):
    from fupin.core.auditchain import register_sqlite_function

    register_sqlite_function(connection)


def _after_migrate(sender, using="default", plan=None, **kwargs):
    """Re-assert the audit log's triggers once ``core`` is migrated (SQLite drops them
    when a schema change rebuilds the table)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from fupin.core.auditchain import install_triggers

    connection = connections[using]
    if MigrationRecorder(connection).migration_qs.filter(app="core", name="0003_audit_append_only").exists():
        install_triggers(connection)


class CoreConfig(AppConfig):
    name = "fupin.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import autodiscover_modules

        connection_created.connect(_on_connection, dispatch_uid="fupin.core.audit_function")
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="fupin.core.audit_triggers")
        # each app's audit actions with their labels (fupin.core.audit.register_actions)
        autodiscover_modules("actions")
