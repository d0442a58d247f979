"""What makes a signed record checkable, and the check (`manage.py verify_integrity`).

Each protected row's fields are digested (`audit.chain.digest`) into the audit event that
records it: a revision into its drafted / edited / amendment_proposed event, a consent into
consent_given, a signature into signed, a signed version into in_effect, a replaced version
and a voided signature into signature_voided. The events are hash-chained, so the chain
vouches for the rows: a row changed behind the database's back no longer matches its event,
and an event changed to match breaks the chain. Besides, every signed version's content hash
is computed again from its content (the ORM gives the plaintext, however it is stored at
rest), every signature is checked against its version, and every sealed PDF against its
stored SHA-256, its sealed event and `sealing.verify_pdf`.

Not checked: a version's `delivered_at` (a delivery mark the email task sets and clears, not
part of the record), drafts (being written), the rows' integer keys other than as fields of
the rows that point at them.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from mentorpact.agreements import content as agreement_content
from mentorpact.agreements import sealing
from mentorpact.agreements.models import (
    AgreementAction,
    AgreementRevision,
    AgreementVersion,
    ESignConsent,
    Signature,
)
from mentorpact.audit import chain
from mentorpact.audit.integrity import Problem
from mentorpact.audit.models import Event
from mentorpact.lib import crypto, stored_files

# The event agreements/migrations/0004 recorded for each row that existed before digests.
BASELINE = "integrity.baseline"
# The retention purge's event (privacy.retention): the ids of the signed records it deleted,
# which are then not "gone" behind the product's back.
PURGED = "privacy.partnership_purged"
SIGNED = AgreementVersion.SIGNED_STATUSES
REPLACED = AgreementVersion.Status.REPLACED

# --- What is digested (never change a list: stored digests would no longer match) -------

VERSION_FIELDS = [
    "id",
    "agreement_id",
    "number",
    "template_version_id",
    "content",
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
SIGNATURE_FIELDS = [
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
CONSENT_FIELDS = ["id", "user_id", "statement", "given_at", "ip", "user_agent"]
REVISION_FIELDS = [
    "id",
    "agreement_id",
    "version_id",
    "revision",
    "content",
    "author_id",
    "created_at",
]


def _digest(row: Any, fields: list[str], **extra: Any) -> str:
    values = {name: getattr(row, name) for name in fields}
    if "ip" in values:
        values["ip"] = chain.ip(values["ip"])
    return chain.digest({**values, **extra})


def version_sha256(version: AgreementVersion) -> str:
    """A signed version as signed (its status and supersession checked apart)."""
    return _digest(version, VERSION_FIELDS)


def replaced_sha256(version: AgreementVersion) -> str:
    """A replaced version, final: as signed, plus its status."""
    return _digest(version, VERSION_FIELDS, status=version.status)


def signature_sha256(signature: Signature) -> str:
    return _digest(signature, SIGNATURE_FIELDS)


def void_sha256(signature: Signature) -> str:
    return chain.digest({"voided_at": signature.voided_at, "void_reason": signature.void_reason})


def consent_sha256(consent: ESignConsent) -> str:
    return _digest(consent, CONSENT_FIELDS)


def withdrawal_sha256(consent: ESignConsent) -> str:
    return chain.digest({"withdrawn_at": consent.withdrawn_at})


def revision_sha256(revision: AgreementRevision) -> str:
    return _digest(revision, REVISION_FIELDS)


# --- The check ------------------------------------------------------------------------------

# Verifying a seal takes pyHanko tens of milliseconds; the answer for the same bytes is the
# same within one process (one installation certificate).
_seals: dict[str, sealing.Verification] = {}


def _seal(data: bytes, digest: str) -> sealing.Verification:
    if digest not in _seals:
        _seals[digest] = sealing.verify_pdf(data)
    return _seals[digest]


class _Digests:
    """What the agreement events recorded about each row, by (kind of row, id)."""

    ACTIONS = (
        AgreementAction.DRAFTED,
        AgreementAction.EDITED,
        AgreementAction.AMENDMENT_PROPOSED,
        AgreementAction.CONSENT_GIVEN,
        AgreementAction.CONSENT_WITHDRAWN,
        AgreementAction.SIGNED,
        AgreementAction.SIGNATURE_VOIDED,
        AgreementAction.IN_EFFECT,
        AgreementAction.PDF_SEALED,
        BASELINE,
        PURGED,
    )
    KEYS = {
        "revision_id": ("revision", "revision_sha256"),
        "consent_id": ("consent", "consent_sha256"),
        "signature_id": ("signature", "signature_sha256"),
    }

    def __init__(self) -> None:
        self.recorded: dict[tuple[str, int], set[str]] = defaultdict(set)
        self.purged: dict[str, set[int]] = defaultdict(set)
        rows = Event.objects.filter(action__in=self.ACTIONS).values_list("id", "action", "details")
        for event_id, action, details in rows.iterator(chunk_size=2000):
            if not isinstance(details, dict):
                continue
            self._read(event_id, action, details)

    def _add(self, kind: str, row_id: Any, digest: Any) -> None:
        if isinstance(row_id, int) and isinstance(digest, str):
            self.recorded[(kind, row_id)].add(digest)

    def _read(self, event_id: int, action: str, details: dict) -> None:
        if action == PURGED:
            for kind in ("signature", "revision", "version"):
                ids = details.get(f"{kind}_ids")
                if isinstance(ids, list):
                    self.purged[kind].update(i for i in ids if isinstance(i, int))
            return
        if action == BASELINE:
            self._add(str(details.get("row")), details.get("id"), details.get("sha256"))
            return
        if action == AgreementAction.CONSENT_WITHDRAWN:
            self._add("withdrawal", details.get("consent_id"), details.get("withdrawal_sha256"))
            return
        if action == AgreementAction.SIGNATURE_VOIDED:
            self._add("void", details.get("signature_id"), details.get("void_sha256"))
            self._add("replaced", details.get("version_id"), details.get("replaced_sha256"))
            return
        if action == AgreementAction.IN_EFFECT:
            self._add("version", details.get("version_id"), details.get("version_sha256"))
            return
        if action == AgreementAction.PDF_SEALED:
            self._add("pdf", details.get("version_id"), details.get("pdf_sha256"))
            return
        for key, (kind, digest_key) in self.KEYS.items():
            if key in details:
                self._add(kind, details.get(key), details.get(digest_key))

    def check(self, table: str, kind: str, row: Any, expected: str, what: str) -> Iterator[Problem]:
        """The row's digest against what its event recorded."""
        recorded = self.recorded.get((kind, row.pk))
        if not recorded:
            yield Problem(table, row.pk, f"no audit event records this {what}")
        elif expected not in recorded:
            yield Problem(table, row.pk, f"the {what} differs from what its audit event recorded")

    def ids(self, kind: str) -> set[int]:
        """The ids of the rows of `kind` events recorded, less those the retention purge
        deleted (and recorded deleting)."""
        return {row_id for k, row_id in self.recorded if k == kind} - self.purged[kind]


def baseline_digests(
    versions: Any, signatures: Any, consents: Any, revisions: Any
) -> Iterator[tuple[str, int, str]]:
    """(kind, id, digest) of every protected row given: what the baseline events record."""
    for version in versions:
        if version.status in SIGNED:
            yield "version", version.pk, version_sha256(version)
        elif version.status == REPLACED:
            yield "replaced", version.pk, replaced_sha256(version)
    for signature in signatures:
        yield "signature", signature.pk, signature_sha256(signature)
        if signature.voided_at is not None or signature.void_reason:
            yield "void", signature.pk, void_sha256(signature)
    for consent in consents:
        yield "consent", consent.pk, consent_sha256(consent)
        if consent.withdrawn_at is not None:
            yield "withdrawal", consent.pk, withdrawal_sha256(consent)
    for revision in revisions:
        yield "revision", revision.pk, revision_sha256(revision)


def problems() -> Iterator[Problem]:
    """Everything wrong with the agreements' signed records."""
    digests = _Digests()
    versions = {
        v.pk: v for v in AgreementVersion.objects.select_related("agreement", "template_version")
    }
    yield from _version_problems(versions, digests)
    yield from _signature_problems(versions, digests)
    yield from _consent_problems(digests)
    yield from _revision_problems(versions, digests)


def _version_problems(
    versions: dict[int, AgreementVersion], digests: _Digests
) -> Iterator[Problem]:
    table = AgreementVersion._meta.db_table
    templates: dict[int, Any] = {}
    signed_ids, replaced_ids = digests.ids("version"), digests.ids("replaced")
    effective: dict[int, list[AgreementVersion]] = defaultdict(list)  # by partnership
    for version in versions.values():
        if version.is_signed:
            effective[version.agreement.partnership_id].append(version)
    for version in sorted(versions.values(), key=lambda v: v.pk):
        if version.pk in signed_ids and not version.is_signed:
            yield Problem(table, version.pk, f"status {version.status!r}, but it was signed")
            continue
        if version.pk in replaced_ids and version.status != REPLACED:
            yield Problem(table, version.pk, f"status {version.status!r}, but it was replaced")
            continue
        if version.status == AgreementVersion.Status.DRAFT:
            continue
        if crypto.is_unreadable(version.content):
            yield Problem(table, version.pk, "its content cannot be decrypted")
            continue
        try:
            if version.template_version_id not in templates:
                templates[version.template_version_id] = agreement_content.template_of(
                    version.template_version
                )
            template = templates[version.template_version_id]
            computed = agreement_content.content_sha256(template, version.content)
        except Exception as error:  # a content or template no longer readable
            yield Problem(table, version.pk, f"content cannot be read: {error}")
            continue
        if computed != version.content_sha256:
            yield Problem(table, version.pk, "its content does not match its content_sha256")
        if version.status == REPLACED:
            yield from digests.check(
                table, "replaced", version, replaced_sha256(version), "replaced version"
            )
            if version.superseded_at or version.sealed_pdf.name or version.sealed_pdf_sha256:
                yield Problem(table, version.pk, "replaced, yet superseded or sealed")
            continue
        yield from digests.check(table, "version", version, version_sha256(version), "version")
        yield from _supersession_problems(version, effective, table)
        yield from _pdf_problems(version, digests, table)


def _supersession_problems(
    version: AgreementVersion, effective: dict[int, list[AgreementVersion]], table: str
) -> Iterator[Problem]:
    """Superseded exactly when a later version took effect at that moment."""
    partnership = version.agreement.partnership_id
    if version.status == AgreementVersion.Status.IN_EFFECT:
        if version.superseded_at is not None:
            yield Problem(table, version.pk, "in effect, yet it has a superseded_at")
        others = [
            v
            for v in effective[partnership]
            if v.pk != version.pk and v.status == AgreementVersion.Status.IN_EFFECT
        ]
        if others:
            yield Problem(table, version.pk, "another version of the partnership is in effect")
        return
    successors = [
        v
        for v in effective[partnership]
        if v.pk != version.pk
        and v.effective_at == version.superseded_at
        and (v.agreement.number, v.number) > (version.agreement.number, version.number)
    ]
    if version.superseded_at is None or not successors:
        yield Problem(table, version.pk, "superseded, but no later version took effect then")


UNDECRYPTABLE = (
    "cannot be decrypted: it was changed, or the key that encrypted it is not in "
    "NOTES_ENCRYPTION_KEYS"
)


def _pdf_problems(version: AgreementVersion, digests: _Digests, table: str) -> Iterator[Problem]:
    name, recorded = version.sealed_pdf.name or "", version.sealed_pdf_sha256
    sealed = digests.recorded.get(("pdf", version.pk), set())
    if not name and not recorded:
        if sealed:
            yield Problem(table, version.pk, "its sealed PDF was recorded but is gone")
        return
    if recorded not in sealed:
        yield Problem(table, version.pk, "sealed_pdf_sha256 differs from its pdf_sealed event")
    try:
        data = stored_files.read(name)
    except (OSError, ValueError) as error:
        yield Problem(table, version.pk, f"sealed PDF {name!r} cannot be read: {error}")
        return
    except crypto.UnreadableText:
        yield Problem(table, version.pk, f"sealed PDF {name!r} {UNDECRYPTABLE}")
        return
    digest = hashlib.sha256(data).hexdigest()
    if digest != recorded:
        yield Problem(table, version.pk, f"sealed PDF {name!r} differs from its sealed_pdf_sha256")
        return
    result = _seal(data, digest)
    if not result.intact or result.identity is None:
        yield Problem(table, version.pk, f"sealed PDF {name!r}: {result.reason}")
        return
    identity = result.identity
    named = (identity.agreement, identity.version, identity.content_sha256)
    if named != (str(version.agreement.public_id), version.number, version.content_sha256):
        yield Problem(table, version.pk, f"sealed PDF {name!r} names another agreement version")


def _signature_problems(
    versions: dict[int, AgreementVersion], digests: _Digests
) -> Iterator[Problem]:
    table = Signature._meta.db_table
    counts: dict[int, int] = defaultdict(int)
    consents = dict(ESignConsent.objects.values_list("id", "user_id"))
    signatures = Signature.objects.order_by("id")
    seen = set()
    for signature in signatures.iterator(chunk_size=2000):
        seen.add(signature.pk)
        counts[signature.version_id] += 1
        yield from digests.check(
            table, "signature", signature, signature_sha256(signature), "signature"
        )
        version = versions.get(signature.version_id)
        if version is None:
            yield Problem(table, signature.pk, "its version is gone")
            continue
        if (signature.content_sha256, signature.revision) != (
            version.content_sha256,
            version.revision,
        ):
            yield Problem(table, signature.pk, "signed another content than its version's")
        if consents.get(signature.consent_id) != signature.signer_id:
            yield Problem(table, signature.pk, "its consent is not the signer's")
        if signature.voided_at is not None or signature.void_reason:
            yield from digests.check(table, "void", signature, void_sha256(signature), "voiding")
            if version.is_signed:
                yield Problem(table, signature.pk, "voided, on a signed version")
        elif version.status == REPLACED:
            yield Problem(table, signature.pk, "not voided, on a replaced version")
    for version in versions.values():
        if version.is_signed and counts[version.pk] != version.signature_count:
            yield Problem(
                AgreementVersion._meta.db_table,
                version.pk,
                f"signature_count {version.signature_count}, but {counts[version.pk]} signatures",
            )
    for missing in sorted(digests.ids("signature") - seen):
        yield Problem(table, missing, "recorded by its signed event, but gone")


def _consent_problems(digests: _Digests) -> Iterator[Problem]:
    table = ESignConsent._meta.db_table
    seen = set()
    for consent in ESignConsent.objects.order_by("id").iterator(chunk_size=2000):
        seen.add(consent.pk)
        yield from digests.check(table, "consent", consent, consent_sha256(consent), "consent")
        withdrawn = digests.recorded.get(("withdrawal", consent.pk))
        if consent.withdrawn_at is None and withdrawn:
            yield Problem(table, consent.pk, "withdrawn by its event, but not withdrawn")
        elif consent.withdrawn_at is not None:
            yield from digests.check(
                table, "withdrawal", consent, withdrawal_sha256(consent), "withdrawal"
            )
    for missing in sorted(digests.ids("consent") - seen):
        yield Problem(table, missing, "recorded by its consent_given event, but gone")


def _revision_problems(
    versions: dict[int, AgreementVersion], digests: _Digests
) -> Iterator[Problem]:
    table = AgreementRevision._meta.db_table
    seen = set()
    for revision in AgreementRevision.objects.order_by("id").iterator(chunk_size=2000):
        seen.add(revision.pk)
        if crypto.is_unreadable(revision.content):
            yield Problem(table, revision.pk, "its content cannot be decrypted")
        yield from digests.check(table, "revision", revision, revision_sha256(revision), "revision")
        if revision.version_id not in versions:
            yield Problem(table, revision.pk, "its version is gone")
    for missing in sorted(digests.ids("revision") - seen):
        yield Problem(table, missing, "recorded by its audit event, but gone")
