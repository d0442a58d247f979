"""The audit trail becomes hash-chained and append-only in the database.

Existing events are numbered in id order (their insertion order) and chained here, with the
same `chain.link` the services use; `ChainHead` starts at the last one. Then triggers, on
SQLite and PostgreSQL:

- an event is never updated, and never deleted;
- an insert must extend the chain: its `seq` is the head's plus one, and it moves the head
  (so a row written past `audit.services.record`, which locks the head first, is refused);
- the head only moves forward, one event at a time, and is never deleted.

`audit_unlock` is the one way to delete these rows: a row in it lets DELETE through. Only
`manage.py flush` (audit/management/commands/flush.py) writes it, because SQLite's flush
empties tables with DELETE (PostgreSQL's TRUNCATE fires no row trigger). The agreements
app's triggers read it too. It is not a model: flush must not empty it.

SQLite drops a table's triggers when Django rebuilds the table for an ALTER: a later migration
that alters audit_event or audit_chainhead must create them again (`triggers` below).

Irreversible, like 0002: going back would unchain the trail.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from mentorpact.audit import chain

BATCH = 2000

UNLOCKED = "EXISTS (SELECT 1 FROM audit_unlock)"

SQLITE = [
    "CREATE TABLE IF NOT EXISTS audit_unlock (reason varchar(100) NOT NULL)",
    """
    CREATE TRIGGER audit_event_extends_chain BEFORE INSERT ON audit_event
    FOR EACH ROW BEGIN
        SELECT RAISE(ABORT, 'an audit event must extend the chain (audit.services.record)')
        WHERE NEW.seq IS NOT (SELECT seq + 1 FROM audit_chainhead WHERE id = 1);
        UPDATE audit_chainhead SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
    END
    """,
    """
    CREATE TRIGGER audit_event_is_final BEFORE UPDATE ON audit_event
    FOR EACH ROW BEGIN SELECT RAISE(ABORT, 'an audit event cannot be changed'); END
    """,
    f"""
    CREATE TRIGGER audit_event_is_kept BEFORE DELETE ON audit_event
    FOR EACH ROW WHEN NOT {UNLOCKED}
    BEGIN SELECT RAISE(ABORT, 'an audit event cannot be deleted'); END
    """,
    """
    CREATE TRIGGER audit_chainhead_moves_forward BEFORE UPDATE ON audit_chainhead
    FOR EACH ROW WHEN NEW.id IS NOT OLD.id
        OR NOT (NEW.seq = OLD.seq + 1 OR (NEW.seq = OLD.seq AND NEW.hash IS OLD.hash))
    BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward'); END
    """,
    f"""
    CREATE TRIGGER audit_chainhead_is_kept BEFORE DELETE ON audit_chainhead
    FOR EACH ROW WHEN NOT {UNLOCKED}
    BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be deleted'); END
    """,
]

# ERRCODE 23000 (integrity_constraint_violation) reaches Django as IntegrityError, as SQLite's
# RAISE(ABORT) does. The head moves in the BEFORE trigger: PostgreSQL runs AFTER ROW triggers
# only at the end of a multi-row INSERT, too late for the next row's check.
POSTGRESQL = [
    "CREATE TABLE IF NOT EXISTS audit_unlock (reason varchar(100) NOT NULL)",
    """
    CREATE FUNCTION audit_event_extends_chain() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE audit_chainhead SET seq = NEW.seq, hash = NEW.hash
            WHERE id = 1 AND seq = NEW.seq - 1;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'an audit event must extend the chain (audit.services.record)'
                USING ERRCODE = '23000';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER audit_event_extends_chain BEFORE INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_extends_chain()
    """,
    """
    CREATE FUNCTION audit_event_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_unlock) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'an audit event cannot be changed or deleted' USING ERRCODE = '23000';
    END $$
    """,
    """
    CREATE TRIGGER audit_event_is_final BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_final()
    """,
    """
    CREATE FUNCTION audit_chainhead_moves_forward() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF EXISTS (SELECT 1 FROM audit_unlock) THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'the audit chain head cannot be deleted' USING ERRCODE = '23000';
        END IF;
        IF NEW.id IS DISTINCT FROM OLD.id OR NOT (
            NEW.seq = OLD.seq + 1 OR (NEW.seq = OLD.seq AND NEW.hash = OLD.hash)
        ) THEN
            RAISE EXCEPTION 'the audit chain head only moves forward' USING ERRCODE = '23000';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER audit_chainhead_moves_forward BEFORE UPDATE OR DELETE ON audit_chainhead
    FOR EACH ROW EXECUTE FUNCTION audit_chainhead_moves_forward()
    """,
]

triggers = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


def create_triggers(apps, schema_editor):
    for statement in triggers.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def chain_existing_events(apps, schema_editor):
    Event = apps.get_model("audit", "Event")
    ChainHead = apps.get_model("audit", "ChainHead")
    seq, previous = 0, chain.GENESIS
    batch = []
    for event in Event.objects.order_by("id").iterator(chunk_size=BATCH):
        seq += 1
        event.seq = seq
        event.hash = previous = chain.link(previous, event)
        batch.append(event)
        if len(batch) >= BATCH:
            Event.objects.bulk_update(batch, ["seq", "hash"])
            batch = []
    Event.objects.bulk_update(batch, ["seq", "hash"])
    ChainHead.objects.create(pk=1, seq=seq, hash=previous)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_copy_app_events"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
        ),
        migrations.AddField(
            model_name="event",
            name="seq",
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="event",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_events, reverse_code=None, elidable=False),
        migrations.AlterField(
            model_name="event",
            name="seq",
            field=models.BigIntegerField(unique=True),
        ),
        migrations.AlterField(
            model_name="event",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(create_triggers, reverse_code=None, elidable=False),
    ]
