"""Agreement content encrypted at rest, step 3 of 3: the plain JSON columns dropped, and the
triggers of 0002 created again over the token.

What the triggers can and cannot check, since the content is now a token: they cannot read
the plaintext, and key rotation (`manage.py rotate_notes_key`) must re-encrypt a signed
version's content. So a signed version's `content_token` may change only in an UPDATE that
also moves `key_rotated_at` forward (what the rotation does, and nothing else does); every
other change of it is refused as before. The proof that a rotation changed the ciphertext
only is the content hash: `content_sha256` (and each signature's) stays frozen by the trigger
and is over the canonical plaintext, so a token whose plaintext differs fails verification.
A signature's row stays final exactly as in 0002.

SQLite drops a table's triggers when Django rebuilds the table for an ALTER: a later migration
that alters agreements_agreementversion or agreements_signature must create them again.
"""

from django.db import migrations

FROZEN = "('in_effect', 'superseded')"
MESSAGE = "a signed agreement version cannot be changed"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER agreements_signed_version_is_final
    BEFORE UPDATE ON agreements_agreementversion
    FOR EACH ROW WHEN OLD.status IN {FROZEN} AND (
        (NEW.content_token IS NOT OLD.content_token AND NOT (
            NEW.key_rotated_at IS NOT NULL
            AND (OLD.key_rotated_at IS NULL OR NEW.key_rotated_at > OLD.key_rotated_at)
        ))
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
    """,  # noqa: S608 (SQL from this file's constants, no input)
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS agreements_signed_version_is_final;",
    "DROP TRIGGER IF EXISTS agreements_signature_is_final;",
]

POSTGRESQL_FORWARD = [
    f"""
    CREATE FUNCTION agreements_signed_version_is_final() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.status IN {FROZEN} AND (
            (NEW.content_token IS DISTINCT FROM OLD.content_token AND NOT (
                NEW.key_rotated_at IS NOT NULL
                AND (OLD.key_rotated_at IS NULL OR NEW.key_rotated_at > OLD.key_rotated_at)
            ))
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
    """
    CREATE FUNCTION agreements_signature_is_final() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF (SELECT status FROM agreements_agreementversion WHERE id = OLD.version_id)
                IN ('in_effect', 'superseded') THEN
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
    dependencies = [("agreements", "0005_encrypt_content")]

    operations = [
        migrations.RemoveField(model_name="agreementversion", name="content"),
        migrations.RemoveField(model_name="agreementrevision", name="content"),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
