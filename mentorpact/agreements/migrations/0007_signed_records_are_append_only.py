"""Every signed record append-only in the database (replacing 0006's two triggers).

0002 (and 0006, over the encrypted content) froze a signed version's content, hash and status
and its signatures' updates; a signed version's sealed PDF and creation columns could still
change, consents and revisions could be edited, signatures deleted, a version moved to
superseded. Now, on SQLite and PostgreSQL:

- a signed version (in effect or superseded) keeps every column as signed, except the changes
  the services make: in effect -> superseded together with `superseded_at` (once, and only
  while a signed draft of the same partnership is about to take its place:
  services._put_in_effect supersedes first), the sealed PDF and its SHA-256 set once ('' ->
  value, services.seal_signed_version), `delivered_at` (claimed and unclaimed by
  services.email_signed_version). A replaced version (an edit after a signature) never
  changes again. Only a draft may be deleted.
- a signature is never deleted; it changes only to be voided (voided_at set once, with its
  reason), and only while its version is not signed (services._replace_signed_draft).
- an e-sign consent is never deleted; it changes only to be withdrawn (withdrawn_at set once).
- a revision is never changed or deleted.
- key rotation (`manage.py rotate_notes_key`) may re-encrypt any version's or revision's
  `content_token`, in an UPDATE that moves `key_rotated_at` forward, as 0006 allowed: the
  triggers cannot read the plaintext; verify_integrity checks that it did not change (the
  content hash, and each row's digest in its audit event, are over the plaintext).

A row in audit_unlock (audit/migrations/0003: `manage.py flush` on SQLite) lets DELETE
through; nothing lets these UPDATEs through. SQLite drops a table's triggers when Django
rebuilds it for an ALTER: a later migration that alters one of these tables must run
`create_triggers` again (import it from here).
"""

import json

from django.db import migrations
from django.utils import timezone

from mentorpact.agreements import integrity
from mentorpact.audit import chain
from mentorpact.lib import crypto

SIGNED = "('in_effect', 'superseded')"
UNLOCKED = "EXISTS (SELECT 1 FROM audit_unlock)"

# Columns a signed version never changes (all but status, superseded_at, the sealed PDF's two
# and delivered_at), a signature never changes (all but voided_at and void_reason), a consent
# never changes (all but withdrawn_at).
VERSION_FIXED = [
    "id",
    "agreement_id",
    "number",
    "template_version_id",
    "content_sha256",
    "revision",
    "signature_count",
    "previous_id",
    "is_amendment",
    "created_by_id",
    "created_at",
    "updated_at",
    "effective_at",
]
VERSION_AFTER_SIGNING = [
    "status",
    "superseded_at",
    "sealed_pdf",
    "sealed_pdf_sha256",
    "delivered_at",
]
REVISION_FIXED = ["id", "agreement_id", "version_id", "revision", "author_id", "created_at"]
SIGNATURE_FIXED = [
    "id",
    "public_id",
    "version_id",
    "role",
    "signer_id",
    "consent_id",
    "typed_name",
    "intent_statement",
    "signed_at",
    "time_zone",
    "ip",
    "user_agent",
    "content_sha256",
    "revision",
    "is_late",
]
CONSENT_FIXED = ["id", "user_id", "statement", "given_at", "ip", "user_agent"]


def _changed(columns, distinct):
    return " OR ".join(f"NEW.{c} {distinct} OLD.{c}" for c in columns)


def _same(column, same):
    return f"NEW.{column} {same} OLD.{column}"


def _not_rotated(same):
    """The content token changed, or its stamp, other than by a rotation (stamp forward)."""
    return f"""NOT (
        (NEW.content_token {same} OLD.content_token
            AND NEW.key_rotated_at {same} OLD.key_rotated_at)
        OR (NEW.key_rotated_at IS NOT NULL
            AND (OLD.key_rotated_at IS NULL OR NEW.key_rotated_at > OLD.key_rotated_at))
    )"""


def _version_refused(distinct, same):
    """The WHEN of a refused update of a version (SQL over OLD and NEW)."""
    successor = """EXISTS (
        SELECT 1 FROM agreements_agreementversion v
        JOIN agreements_agreement a ON a.id = v.agreement_id
        WHERE v.status = 'draft' AND v.signature_count > 0 AND a.partnership_id = (
            SELECT partnership_id FROM agreements_agreement WHERE id = OLD.agreement_id
        )
    )"""
    return f"""(OLD.status = 'replaced' AND (
        {_changed(VERSION_FIXED + VERSION_AFTER_SIGNING, distinct)} OR {_not_rotated(same)}
    )) OR (OLD.status IN {SIGNED} AND (
        {_changed(VERSION_FIXED, distinct)} OR {_not_rotated(same)}
        OR NOT (
            ({_same("status", same)} AND {_same("superseded_at", same)})
            OR (OLD.status = 'in_effect' AND NEW.status = 'superseded'
                AND OLD.superseded_at IS NULL AND NEW.superseded_at IS NOT NULL
                AND {successor})
        )
        OR NOT (
            ({_same("sealed_pdf", same)} AND {_same("sealed_pdf_sha256", same)})
            OR (OLD.sealed_pdf = '' AND OLD.sealed_pdf_sha256 = ''
                AND NEW.sealed_pdf <> '' AND length(NEW.sealed_pdf_sha256) = 64)
        )
    ))"""


def _signature_refused(distinct):
    return f"""(SELECT status FROM agreements_agreementversion WHERE id = OLD.version_id)
            IN {SIGNED}
        OR OLD.voided_at IS NOT NULL OR NEW.voided_at IS NULL
        OR {_changed(SIGNATURE_FIXED, distinct)}"""  # noqa: S608 (SQL from this file's constants, no input)


def _consent_refused(distinct):
    return f"""OLD.withdrawn_at IS NOT NULL OR NEW.withdrawn_at IS NULL
        OR {_changed(CONSENT_FIXED, distinct)}"""


# (table, trigger name, operation, refused-when, message) for both vendors.
def _rules(distinct, same):
    return [
        (
            "agreements_agreementversion",
            "agreements_signed_version_is_final",
            "UPDATE",
            _version_refused(distinct, same),
            "a signed agreement version cannot be changed",
        ),
        (
            "agreements_agreementversion",
            "agreements_signed_version_is_kept",
            "DELETE",
            f"OLD.status <> 'draft' AND NOT {UNLOCKED}",
            "a signed agreement version cannot be deleted",
        ),
        (
            "agreements_signature",
            "agreements_signature_is_final",
            "UPDATE",
            _signature_refused(distinct),
            "a signature can only be voided, once, before its version is signed",
        ),
        (
            "agreements_signature",
            "agreements_signature_is_kept",
            "DELETE",
            f"NOT {UNLOCKED}",
            "a signature cannot be deleted",
        ),
        (
            "agreements_esignconsent",
            "agreements_consent_is_final",
            "UPDATE",
            _consent_refused(distinct),
            "an e-sign consent can only be withdrawn, once",
        ),
        (
            "agreements_esignconsent",
            "agreements_consent_is_kept",
            "DELETE",
            f"NOT {UNLOCKED}",
            "an e-sign consent cannot be deleted",
        ),
        (
            "agreements_agreementrevision",
            "agreements_revision_is_final",
            "UPDATE",
            f"{_changed(REVISION_FIXED, distinct)} OR {_not_rotated(same)}",
            "an agreement revision cannot be changed",
        ),
        (
            "agreements_agreementrevision",
            "agreements_revision_is_kept",
            "DELETE",
            f"NOT {UNLOCKED}",
            "an agreement revision cannot be deleted",
        ),
    ]


def _sqlite():
    statements = [
        "DROP TRIGGER IF EXISTS agreements_signed_version_is_final",
        "DROP TRIGGER IF EXISTS agreements_signature_is_final",
    ]
    for table, name, operation, refused, message in _rules("IS NOT", "IS"):
        statements.append(
            f"CREATE TRIGGER {name} BEFORE {operation} ON {table} FOR EACH ROW "
            f"WHEN {refused} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
    return statements


# ERRCODE 23000 (integrity_constraint_violation) reaches Django as IntegrityError, as SQLite's
# RAISE(ABORT) does.
def _postgresql():
    statements = [
        "DROP TRIGGER IF EXISTS agreements_signature_is_final ON agreements_signature",
        "DROP FUNCTION IF EXISTS agreements_signature_is_final()",
        "DROP TRIGGER IF EXISTS agreements_signed_version_is_final ON agreements_agreementversion",
        "DROP FUNCTION IF EXISTS agreements_signed_version_is_final()",
    ]
    for table, name, operation, refused, message in _rules(
        "IS DISTINCT FROM", "IS NOT DISTINCT FROM"
    ):
        result = "OLD" if operation == "DELETE" else "NEW"
        statements += [
            f"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {refused} THEN
                    RAISE EXCEPTION '{message}' USING ERRCODE = '23000';
                END IF;
                RETURN {result};
            END $$
            """,
            f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    return statements


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": _sqlite, "postgresql": _postgresql}.get(vendor, list)():
        schema_editor.execute(statement)


class _Decrypted:
    """A historical row (which has no EncryptedJSON attribute) with its `content` decrypted."""

    def __init__(self, row):
        self._row = row

    def __getattr__(self, name):
        if name == "content":
            token = self._row.content_token
            return json.loads(crypto.decrypt(token) or "{}") if token else {}
        return getattr(self._row, name)


def record_baseline(apps, schema_editor):
    """One `integrity.baseline` audit event per protected row that exists now, with its
    digest: the rows signed before digests went into their own events become checkable too
    (verify_integrity). The events extend the chain as audit.services.record would."""
    Event = apps.get_model("audit", "Event")
    ChainHead = apps.get_model("audit", "ChainHead")
    digests = integrity.baseline_digests(
        map(_Decrypted, apps.get_model("agreements", "AgreementVersion").objects.order_by("id")),
        apps.get_model("agreements", "Signature").objects.order_by("id"),
        apps.get_model("agreements", "ESignConsent").objects.order_by("id"),
        map(_Decrypted, apps.get_model("agreements", "AgreementRevision").objects.order_by("id")),
    )
    head = ChainHead.objects.get(pk=1)
    seq, previous, now, events = head.seq, head.hash, timezone.now(), []
    for kind, pk, digest in digests:
        seq += 1
        event = Event(
            at=now,
            action=integrity.BASELINE,
            details={"row": kind, "id": pk, "sha256": digest},
            seq=seq,
        )
        event.hash = previous = chain.link(previous, event)
        events.append(event)
    Event.objects.bulk_create(events, batch_size=1000)


def drop_triggers(apps, schema_editor):
    """Back to 0006: these triggers dropped and 0006's two created again (the baseline events
    stay: the audit trail is append-only, and they still match the rows)."""
    import importlib

    vendor = schema_editor.connection.vendor
    previous = importlib.import_module("mentorpact.agreements.migrations.0006_drop_plain_content")
    for table, name, _operation, _refused, _message in _rules("", ""):
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
    forward = {"sqlite": previous.SQLITE_FORWARD, "postgresql": previous.POSTGRESQL_FORWARD}
    for statement in forward.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0006_drop_plain_content"),
        ("audit", "0003_hash_chain_and_append_only"),
    ]

    # Reversible to 0006's triggers (the encryption migrations' test goes back and forth).
    operations = [
        migrations.RunPython(record_baseline, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
