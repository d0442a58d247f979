"""Database triggers that keep a signed agreement version exactly as it was signed.

The services already refuse such changes; these make the database refuse them too, whoever
writes (a bug, the admin, a shell). A signed version may still be superseded, and gain its
sealed PDF and delivery time; nothing it says, and none of its signatures, may change.

SQLite drops a table's triggers when Django rebuilds the table for an ALTER: a later migration
that alters agreements_agreementversion or agreements_signature must create them again.
Deletes are not blocked: on SQLite, tests flush tables with DELETE, and PROTECT foreign keys
already keep signed versions from being deleted through the ORM.
"""

from django.db import migrations

FROZEN = "('in_effect', 'superseded')"
MESSAGE = "a signed agreement version cannot be changed"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER agreements_signed_version_is_final
    BEFORE UPDATE ON agreements_agreementversion
    FOR EACH ROW WHEN OLD.status IN {FROZEN} AND (
        NEW.content IS NOT OLD.content
        OR NEW.content_sha256 IS NOT OLD.content_sha256
        OR NEW.template_version_id IS NOT OLD.template_version_id
        OR NEW.agreement_id IS NOT OLD.agreement_id
        OR NEW.number IS NOT OLD.number
        OR NEW.revision IS NOT OLD.revision
        OR NEW.signature_count IS NOT OLD.signature_count
        OR NEW.effective_at IS NOT OLD.effective_at
        OR NEW.status NOT IN {FROZEN}
        OR (OLD.status = 'superseded' AND NEW.status <> 'superseded')
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER agreements_signature_is_final
    BEFORE UPDATE ON agreements_signature
    FOR EACH ROW WHEN (
        SELECT status FROM agreements_agreementversion WHERE id = OLD.version_id
    ) IN {FROZEN}
    BEGIN SELECT RAISE(ABORT, 'a signature on a signed agreement version cannot be changed'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS agreements_signed_version_is_final;",
    "DROP TRIGGER IF EXISTS agreements_signature_is_final;",
]

# ERRCODE 23000 (integrity_constraint_violation) reaches Django as IntegrityError, as SQLite's
# RAISE(ABORT) does.
POSTGRESQL_FORWARD = [
    f"""
    CREATE FUNCTION agreements_signed_version_is_final() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.status IN {FROZEN} AND (
            NEW.content IS DISTINCT FROM OLD.content
            OR NEW.content_sha256 IS DISTINCT FROM OLD.content_sha256
            OR NEW.template_version_id IS DISTINCT FROM OLD.template_version_id
            OR NEW.agreement_id IS DISTINCT FROM OLD.agreement_id
            OR NEW.number IS DISTINCT FROM OLD.number
            OR NEW.revision IS DISTINCT FROM OLD.revision
            OR NEW.signature_count IS DISTINCT FROM OLD.signature_count
            OR NEW.effective_at IS DISTINCT FROM OLD.effective_at
            OR NEW.status NOT IN {FROZEN}
            OR (OLD.status = 'superseded' AND NEW.status <> 'superseded')
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000';
        END IF;
        RETURN NEW;
    END $$;
    """,
    """
    CREATE TRIGGER agreements_signed_version_is_final
    BEFORE UPDATE ON agreements_agreementversion
    FOR EACH ROW EXECUTE FUNCTION agreements_signed_version_is_final();
    """,
    f"""
    CREATE FUNCTION agreements_signature_is_final() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF (SELECT status FROM agreements_agreementversion WHERE id = OLD.version_id)
                IN {FROZEN} THEN
            RAISE EXCEPTION 'a signature on a signed agreement version cannot be changed'
                USING ERRCODE = '23000';
        END IF;
        RETURN NEW;
    END $$;
    """,
    """
    CREATE TRIGGER agreements_signature_is_final
    BEFORE UPDATE ON agreements_signature
    FOR EACH ROW EXECUTE FUNCTION agreements_signature_is_final();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS agreements_signature_is_final ON agreements_signature;",
    "DROP FUNCTION IF EXISTS agreements_signature_is_final();",
    "DROP TRIGGER IF EXISTS agreements_signed_version_is_final ON agreements_agreementversion;",
    "DROP FUNCTION IF EXISTS agreements_signed_version_is_final();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
