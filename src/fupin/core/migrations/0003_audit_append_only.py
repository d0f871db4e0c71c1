# Data migration: chain the events written before the chain existed, then make the table
# append-only. The hash format and the trigger SQL come from fupin.core.auditchain, which
# depends on the standard library only and is frozen (an event hashed once must verify
# forever), so this migration stays valid as the app changes.

from django.db import migrations

from fupin.core import auditchain


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    db = schema_editor.connection.alias
    prev = auditchain.GENESIS
    last = 0
    while True:
        page = list(
            AuditEvent.objects.using(db)
            .filter(id__gt=last)
            .order_by("id")
            .values_list("id", *auditchain.FIELDS)[:5000]
        )
        if not page:
            break
        for row in page:
            values = dict(zip(auditchain.FIELDS, row[1:], strict=True))
            digest = auditchain.event_hash(values, prev)
            AuditEvent.objects.using(db).filter(id=row[0]).update(prev_hash=prev, hash=digest)
            prev = digest
        last = page[-1][0]


def create_triggers(apps, schema_editor):
    for sql in auditchain.trigger_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):
    for sql in auditchain.drop_trigger_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_audit_hash_chain"),
    ]

    operations = [
        migrations.RunPython(chain_existing, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
