"""Writes for agreements: one named function per transition, each leaving an audit event.

Concurrency never relies on select_for_update (SQLite ignores it). Each transition starts with
a conditional UPDATE of the row it changes, naming the state it was based on (a revision, a
status, a content hash); when no row changed, someone else came first and nothing is written.
On PostgreSQL the UPDATE also takes the row lock, so the rest of the transaction runs alone
for that version; on SQLite a write transaction (BEGIN IMMEDIATE) is always alone.
"""

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.agreement_templates import selectors as template_selectors
from mentorpact.agreement_templates.kinds import kind_of
from mentorpact.agreement_templates.values import incomplete, validate_values
from mentorpact.agreements import content as agreement_content
from mentorpact.agreements import emails, integrity, pdf, sealing, selectors, tokens
from mentorpact.agreements.models import (
    Agreement,
    AgreementAction,
    AgreementRevision,
    AgreementVersion,
    ESignConsent,
    InvitedSigner,
    Signature,
)
from mentorpact.audit import services as audit
from mentorpact.audit.models import Event
from mentorpact.lib import crypto, stored_files
from mentorpact.lib.dates import in_zone, zone_named
from mentorpact.outbox import sender
from mentorpact.outbox import services as outbox
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships import signals as partnership_signals
from mentorpact.partnerships.models import Partnership
from mentorpact.partnerships.selectors import closed_message
from mentorpact.webhooks import services as webhooks
from mentorpact.webhooks.models import Event as WebhookEvent

logger = logging.getLogger(__name__)

ESIGN_CONSENT_STATEMENT = (
    "I agree to do business electronically through Mentorpact: to receive my mentoring "
    "partnership agreement, its copies and notices electronically, and to sign it by typing "
    "my full name. I can withdraw this consent at any time; withdrawing stops me signing "
    "electronically from then on and does not undo a signature already given. I can download "
    "a PDF copy of the agreement at any time and ask my program for a paper copy."
)


class AgreementError(Exception):
    """A refused change. `message` tells the person why; `field` names the form field it
    belongs beside, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class AgreementLocked(AgreementError):
    """The agreement is in effect: it changes only through an amendment both sign."""


class SignatureRefused(AgreementError):
    pass


class PartnershipClosed(AgreementLocked):
    """The partnership has concluded or ended early: its agreements are a closed record."""


def ensure_partnership_open(partnership: Partnership) -> None:
    """Refuse agreement changes once the partnership is closed (read fresh: a page may be old)."""
    message = closed_message(partnership, fresh=True)
    if message:
        raise PartnershipClosed(message)


class StaleDraft(AgreementError):
    """Someone saved after the revision this save was based on. Nothing was written."""

    def __init__(
        self,
        *,
        current: AgreementVersion,
        base_content: dict[str, Any],
        changes: list[agreement_content.FieldChange],
        authors: list[str],
    ):
        self.current = current
        self.base_content = base_content
        self.changes = changes
        self.authors = authors
        who = " and ".join(authors) or "Someone"
        if current.status != AgreementVersion.Status.DRAFT:
            what = "signed, and the agreement is now in effect"
        elif changes:
            what = "changed " + ", ".join(f"“{c.label}”" for c in changes)
        else:
            what = "saved the agreement"
        super().__init__(
            f"{who} {what} while you were editing, so your save was not applied. "
            "Your text is kept below: check it against their changes and save again."
        )


@dataclass(frozen=True)
class MergedDraft:
    """A refused save merged three ways: the partner's changes where you left a field alone,
    your text where you changed it. `conflicts` are fields you both changed."""

    content: dict[str, Any]
    conflicts: list[str]


def merge_stale(stale: StaleDraft, mine: dict[str, Any]) -> MergedDraft:
    base, theirs = stale.base_content, stale.current.content
    merged, conflicts = dict(theirs), []
    for key, value in mine.items():
        if value == base.get(key):
            continue  # I did not touch it: keep theirs
        if theirs.get(key) not in (base.get(key), value):
            conflicts.append(key)
        merged[key] = value
    return MergedDraft(merged, conflicts)


# --- Who is who -----------------------------------------------------------------------------


def _normalise_name(name: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name)).strip().casefold()


def _event(
    agreement: Agreement,
    action: str,
    *,
    actor: User | None,
    version: AgreementVersion | None = None,
    now: datetime | None = None,
    **details: Any,
) -> Event:
    if version is not None:
        details.update(version_id=version.pk, version_number=version.number)
    return audit.record(
        action, on=agreement, actor=actor, now=now, agreement_number=agreement.number, **details
    )


def _revision_digest(revision: AgreementRevision) -> dict[str, Any]:
    """What a revision's event records of it (verify_integrity checks the row against it)."""
    return {"revision_id": revision.pk, "revision_sha256": integrity.revision_sha256(revision)}


# --- Drafting -------------------------------------------------------------------------------


@transaction.atomic
def start_agreement(
    *, partnership: Partnership, actor: User | None, now: datetime | None = None
) -> Agreement:
    """The partnership's agreement, drafted from its program's current template version.

    Idempotent: two partners opening a new partnership at once get the same agreement (the
    loser of the race hits the unique (partnership, number) index and reads the winner's)."""
    existing = partnership.agreements.order_by("-number").first()
    if existing is not None:
        return existing
    ensure_partnership_open(partnership)
    program = partnership.program
    if template_selectors.chosen_template(program) is None:
        raise AgreementError(f"{program} has no agreement template yet. Ask its coordinator.")
    template_version = template_selectors.chosen_version(program)
    if template_version is None:
        raise AgreementError(f"{program}'s agreement template has no version yet.")
    rules = agreement_content.template_for_program(template_version, program).rules
    # The pair's own date, fixed when they were paired (partnerships.services.agreement_due_on);
    # partnerships from before that field fall back on the program's rules.
    due_on = partnership.agreement_due_on or rules.due_date(program.kickoff_date)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            agreement = Agreement.objects.create(
                partnership=partnership, number=1, due_on=due_on, created_at=now
            )
    except IntegrityError:
        return partnership.agreements.get(number=1)
    version = AgreementVersion(
        agreement=agreement,
        number=1,
        template_version=template_version,
        content_token="",
        content_sha256=agreement_content.content_sha256(
            agreement_content.template_of(template_version), {}
        ),
        revision=1,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    version.full_clean()
    version.save()
    revision = AgreementRevision.objects.create(
        agreement=agreement,
        version=version,
        revision=1,
        content_token="",
        author=actor,
        created_at=now,
    )
    _event(
        agreement,
        AgreementAction.DRAFTED,
        actor=actor,
        version=version,
        now=now,
        **_revision_digest(revision),
        template=str(template_version),
        due_on=due_on.isoformat() if due_on else None,
    )
    partnership_signals.changed(partnership, now=now)
    return agreement


@transaction.atomic
def start_continuation(
    *, partnership: Partnership, actor: User | None, now: datetime | None = None
) -> Agreement:
    """The next agreement of a partnership that continues with new goals (a closing review's
    decision): number + 1, from the same template version as the agreement in effect, its
    draft pre-filled with that agreement's content to be edited and signed again.
    Acknowledgements are left out: each signer accepts them anew. The agreement in effect
    stays in effect until the new one is signed.

    Idempotent: while the continuation is being drafted, it is returned again."""
    current = partnership.agreements.order_by("-number").first()
    if current is None or current.status != Agreement.Status.IN_EFFECT:
        if current is not None and current.number > 1:
            return current  # the continuation already being drafted
        raise AgreementError("Only a partnership whose agreement is in effect can continue.")
    in_effect = current.versions.get(status=AgreementVersion.Status.IN_EFFECT)
    template = agreement_content.template_of(in_effect.template_version)
    accepted_anew = {f.key for f in template.fields() if not kind_of(f).carried_over}
    content = {k: v for k, v in in_effect.content.items() if k not in accepted_anew}
    now = now or timezone.now()
    try:
        with transaction.atomic():
            agreement = Agreement.objects.create(
                partnership=partnership, number=current.number + 1, created_at=now
            )
    except IntegrityError:  # both partners confirmed at once: the other one made it
        return partnership.agreements.get(number=current.number + 1)
    version = AgreementVersion(
        agreement=agreement,
        number=1,
        template_version=in_effect.template_version,
        content_token=crypto.encrypt_json(content),
        content_sha256=agreement_content.content_sha256(template, content),
        revision=1,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    version.full_clean()
    version.save()
    revision = AgreementRevision.objects.create(
        agreement=agreement,
        version=version,
        revision=1,
        content_token=crypto.encrypt_json(content),
        author=actor,
        created_at=now,
    )
    _event(
        agreement,
        AgreementAction.DRAFTED,
        actor=actor,
        version=version,
        now=now,
        **_revision_digest(revision),
        template=str(in_effect.template_version),
        continues=current.number,
    )
    partnership_signals.changed(partnership, now=now)
    return agreement


def _stale(agreement: Agreement, based_on_revision: int, user: User) -> StaleDraft:
    current = (
        selectors.draft_version(agreement)
        or agreement.versions.filter(status=AgreementVersion.Status.IN_EFFECT).first()
    )
    assert current is not None
    base = agreement.revisions.filter(revision=based_on_revision).first()
    base_content = base.content if base else {}
    template = agreement_content.template_of(current.template_version)
    authors = (
        User.objects.filter(
            pk__in=agreement.revisions.filter(revision__gt=based_on_revision).values("author_id")
        )
        .exclude(pk=user.pk)
        .order_by("full_name")
        .values_list("full_name", flat=True)
    )
    if current.status != AgreementVersion.Status.DRAFT:
        authors = (
            User.objects.filter(
                pk__in=Signature.objects.filter(version=current).values("signer_id")
            )
            .exclude(pk=user.pk)
            .values_list("full_name", flat=True)
        )
    return StaleDraft(
        current=current,
        base_content=base_content,
        changes=agreement_content.changes_between(template, base_content, current.content),
        authors=list(authors),
    )


def merge_party_values(
    template, content: dict[str, Any], submitted: dict, cleaned: dict[str, Any], role: str
) -> dict[str, Any]:
    """The content after this party's submitted fields: a submitted field left empty is
    cleared, one not submitted stays, and an acknowledgement changes only this party's own
    acceptance."""
    merged = dict(content)
    for key in submitted:
        field = template.field(key)
        # a field's cleaned value: text, a number, a list, a dict of acceptances
        value: Any = kind_of(field).merge(merged.get(key), cleaned.get(key), role)
        if value in (None, {}):
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _hold_open_partnership(agreement: Agreement) -> None:
    """The partnership is still open as we write, by a conditional UPDATE that holds its row
    until we commit: a coordinator undoing the pairing now (pairing.services.unpair, whose
    first write is the same row) either committed before us (no row: refused here), or waits
    for us and then sees what we wrote. ensure_partnership_open's read cannot tell, on
    PostgreSQL, that an undo is under way.

    Every write to a version takes this row first, then the version's: one order, so two
    writers never hold one each (a save ends by bumping this row's facts_version through
    partnerships.signals.changed; had it taken the version first, a signature holding the
    partnership and waiting for the version would deadlock with it)."""
    if not Partnership.objects.filter(
        pk=agreement.partnership_id, status__in=Partnership.OPEN_STATUSES
    ).update(status=F("status")):
        raise PartnershipClosed(closed_message(agreement.partnership, fresh=True))


@transaction.atomic
def save_draft(
    *,
    agreement: Agreement,
    user: User,
    values: dict[str, Any],
    based_on_revision: int,
    now: datetime | None = None,
) -> AgreementVersion:
    """Save this party's fields of the draft.

    Raises ValidationError (per field key) for bad input, StaleDraft when the partner saved
    after `based_on_revision`, AgreementLocked when there is no draft (the agreement is in
    effect). An edit of a draft that someone has signed becomes a new version and voids those
    signatures; their signers are told by email."""
    role = selectors.partner_role(agreement.partnership, user)
    ensure_partnership_open(agreement.partnership)
    draft = selectors.draft_version(agreement)
    if draft is None:
        raise AgreementLocked(
            "This agreement is signed and in effect, so it cannot be edited. "
            "Propose an amendment to change it."
        )
    template = agreement_content.template_of(draft.template_version)
    editable = agreement_content.editable_keys(template, role)
    submitted = {key: value for key, value in values.items() if key in editable}
    cleaned, errors = validate_values(
        template, submitted, party=role, today=timezone.localdate(now or timezone.now())
    )
    if errors:
        raise ValidationError(errors)
    content = merge_party_values(template, draft.content, submitted, cleaned, role)
    if draft.revision != based_on_revision:
        raise _stale(agreement, based_on_revision, user)
    changes = agreement_content.changes_between(template, draft.content, content)
    if not changes:
        return draft  # nothing changed: no new revision, and no signature is voided

    now = now or timezone.now()
    new_hash = agreement_content.content_sha256(template, content)
    token = crypto.encrypt_json(content)
    new_revision = based_on_revision + 1
    changed_keys = [c.key for c in changes]
    _hold_open_partnership(agreement)
    # The guard: still the draft, still the revision we read, and nobody has signed it.
    updated = AgreementVersion.objects.filter(
        pk=draft.pk,
        status=AgreementVersion.Status.DRAFT,
        revision=based_on_revision,
        signature_count=0,
    ).update(
        content_token=token,
        content_sha256=new_hash,
        revision=new_revision,
        updated_at=now,
    )
    if updated == 1:
        version = draft
        version.content_token, version.content_sha256, version.revision = (
            token,
            new_hash,
            new_revision,
        )
    else:
        version = _replace_signed_draft(
            draft=draft,
            user=user,
            content=content,
            content_hash=new_hash,
            based_on_revision=based_on_revision,
            now=now,
        )
    saved = AgreementRevision.objects.create(
        agreement=agreement,
        version=version,
        revision=new_revision,
        content_token=token,
        author=user,
        created_at=now,
    )
    _event(
        agreement,
        AgreementAction.EDITED,
        actor=user,
        version=version,
        now=now,
        **_revision_digest(saved),
        fields=changed_keys,
        revision=new_revision,
    )
    partnership_signals.changed(agreement.partnership, now=now)
    return version


def _replace_signed_draft(
    *,
    draft: AgreementVersion,
    user: User,
    content: dict[str, Any],
    content_hash: str,
    based_on_revision: int,
    now,
) -> AgreementVersion:
    """An edit after a signature: the signed draft is kept as it was signed (status replaced,
    its signatures void) and the edit becomes the next version."""
    agreement = draft.agreement
    replaced = AgreementVersion.objects.filter(
        pk=draft.pk, status=AgreementVersion.Status.DRAFT, revision=based_on_revision
    ).update(status=AgreementVersion.Status.REPLACED, updated_at=now)
    if replaced != 1:
        raise _stale(agreement, based_on_revision, user)
    voided = list(draft.signatures.filter(voided_at__isnull=True).select_related("signer"))
    reason = f"{user.full_name} edited the agreement after it was signed."
    Signature.objects.filter(pk__in=[s.pk for s in voided]).update(
        voided_at=now, void_reason=reason
    )
    # The replaced version as it now stays, digested into each voiding's event (verify_integrity).
    replaced_sha256 = integrity.replaced_sha256(AgreementVersion.objects.get(pk=draft.pk))
    number = agreement.versions.aggregate(n=Max("number"))["n"] + 1
    version = AgreementVersion(
        agreement=agreement,
        number=number,
        template_version=draft.template_version,
        content_token=crypto.encrypt_json(content),
        content_sha256=content_hash,
        revision=based_on_revision + 1,
        previous=draft,
        is_amendment=draft.is_amendment,
        created_by=user,
        created_at=now,
        updated_at=now,
    )
    version.full_clean(validate_constraints=False)  # the database checks them on insert
    version.save()
    from mentorpact.agreements import tasks

    for signature in voided:
        signature.voided_at, signature.void_reason = now, reason
        _event(
            agreement,
            AgreementAction.SIGNATURE_VOIDED,
            actor=user,
            version=draft,
            now=now,
            signature_id=signature.pk,
            void_sha256=integrity.void_sha256(signature),
            replaced_sha256=replaced_sha256,
            role=signature.role,
            signer=signature.signer.full_name,
            new_version=number,
        )
        transaction.on_commit(
            partial(tasks.notify_signature_voided.enqueue, signature_id=signature.pk)
        )
    partnership_signals.changed(agreement.partnership, now=now)
    return version


# --- Consent --------------------------------------------------------------------------------


@transaction.atomic
def give_esign_consent(
    *,
    user: User,
    agreement: Agreement | None,
    ip: str | None,
    user_agent: str,
    now: datetime | None = None,
) -> ESignConsent:
    """Record consent to do business electronically, once per person (until withdrawn)."""
    existing = selectors.active_consent(user)
    if existing is not None:
        return existing
    now = now or timezone.now()
    try:
        with transaction.atomic():
            consent = ESignConsent.objects.create(
                user=user,
                statement=ESIGN_CONSENT_STATEMENT,
                given_at=now,
                ip=ip,
                user_agent=user_agent[:500],
            )
    except IntegrityError:  # a double submit: the other request recorded it
        return ESignConsent.objects.get(user=user, withdrawn_at__isnull=True)
    _consent_event(
        agreement,
        AgreementAction.CONSENT_GIVEN,
        user=user,
        consent_id=consent.pk,
        consent_sha256=integrity.consent_sha256(consent),
        now=now,
    )
    return consent


@transaction.atomic
def withdraw_esign_consent(*, user: User, agreement: Agreement | None) -> bool:
    """Withdraw consent; signatures already given stay. False if there was none to withdraw."""
    consent = selectors.active_consent(user)
    if consent is None:
        return False
    now = timezone.now()
    withdrawn = ESignConsent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    )
    if withdrawn:
        consent.withdrawn_at = now
        _consent_event(
            agreement,
            AgreementAction.CONSENT_WITHDRAWN,
            user=user,
            consent_id=consent.pk,
            withdrawal_sha256=integrity.withdrawal_sha256(consent),
        )
    return bool(withdrawn)


def _consent_event(
    agreement: Agreement | None,
    action: str,
    *,
    user: User,
    now: datetime | None = None,
    **details: Any,
) -> None:
    """A consent's event: on the agreement it was given from, else on the person."""
    if agreement is not None:
        _event(agreement, action, actor=user, now=now, **details)
    else:
        audit.record(action, on=user, actor=user, now=now, **details)


# --- Signers beyond the pair ----------------------------------------------------------------


@transaction.atomic
def name_invited_signer(
    *,
    agreement: Agreement,
    user: User,
    role: str,
    name: str,
    email: str,
    now: datetime | None = None,
) -> InvitedSigner:
    """The partner the template says names an extra signer (a parent or guardian): their name
    and email, and they are emailed a link to sign (through the outbox). Naming someone else
    replaces the first (whose link stops working), until the named person has signed the
    draft. Their consent and signature are recorded on the account of that email address,
    made without a password when there is none (it opens nothing: the link is their way in)."""
    partner = selectors.partner_role(agreement.partnership, user)
    ensure_partnership_open(agreement.partnership)
    draft = selectors.draft_version(agreement)
    if draft is None:
        raise AgreementLocked("There is no draft to sign: the agreement is in effect.")
    template = agreement_content.template_of(draft.template_version)
    extra = template.extra_signer(role)
    if extra is None:
        raise AgreementError("This agreement has no such signer.")
    if extra.named_by != partner:
        raise AgreementError(
            f"The {template.role_noun(extra.named_by)} names the {template.role_noun(role)}."
        )
    name, email = name.strip(), User.objects.normalize_email(email.strip()).lower()
    partnership = agreement.partnership
    if email in (partnership.mentor.email.lower(), partnership.mentee.email.lower()):
        raise AgreementError(
            f"The {template.role_noun(role)} is someone other than the two of you.", field="email"
        )
    if draft.signatures.filter(role=role, voided_at__isnull=True).exists():
        raise AgreementError(
            f"The {template.role_noun(role)} has signed this version: a change to the draft "
            "voids their signature first."
        )
    now = now or timezone.now()
    person = User.objects.filter(email=email).first()
    if person is None:
        person = User.objects.create_user(email, None, full_name=name, date_joined=now)
    existing = agreement.invited.filter(role=role).first()
    if existing is not None and (existing.email, existing.name) == (email, name):
        return existing  # named again as they were: nothing changes, nothing is sent
    if existing is None:
        invited = InvitedSigner(
            agreement=agreement, role=role, name=name, email=email, user=person, named_by=user
        )
        invited.named_at = now
    else:
        invited = existing
        invited.name, invited.email, invited.user, invited.named_by = name, email, person, user
        invited.named_at = now
        invited.link_version += 1
    invited.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            invited.save()
    except IntegrityError:  # both partners naming at once: the other came first
        raise AgreementError("Someone named this signer at the same moment: look again.") from None
    _event(
        agreement,
        AgreementAction.SIGNER_NAMED,
        actor=user,
        version=draft,
        now=now,
        role=role,
        invited_id=invited.pk,
        signer_id=person.pk,
        again=existing is not None,
    )
    from mentorpact.agreements import tasks

    transaction.on_commit(
        partial(
            tasks.invite_signer.enqueue,
            invited_id=invited.pk,
            link_version=invited.link_version,
        )
    )
    partnership_signals.changed(partnership, now=now)
    return invited


def email_signer_invitation(*, invited: InvitedSigner, link_version: int) -> bool:
    """Email an invited signer their link to sign (run by a task), through the outbox, once
    per naming (the key holds the link version). False when they were named anew since."""
    if invited.link_version != link_version:
        return False
    agreement = invited.agreement
    partnership = agreement.partnership
    draft = selectors.draft_version(agreement)
    version = draft or selectors.in_effect_version(agreement)
    if version is None:
        return False
    template = agreement_content.template_of(version.template_version)
    email = outbox.enqueue(
        key=f"agreement-signer-invited:{invited.pk}:{link_version}",
        kind="agreement-signer-invited",
        to=invited.email,
        rendered=emails.render(
            "agreement-signer-invited",
            context={
                "invited": invited,
                "role_label": template.role_noun(invited.role),
                "named_by": invited.named_by,
                "named_by_role": template.role_noun(partnership.role_of(invited.named_by) or ""),
                "program": partnership.program,
                "template": template,
                "url": emails.invited_sign_url(tokens.make(invited)),
                "max_age_days": tokens.max_age().days,
            },
        ),
        program_id=partnership.program_id,
        partnership_id=partnership.pk,
    )
    sender.deliver([email.pk])
    return True


# --- Signing --------------------------------------------------------------------------------


@transaction.atomic
def sign_agreement(
    *,
    version: AgreementVersion,
    user: User,
    typed_name: str,
    intent_statement: str,
    ip: str | None,
    user_agent: str,
    content_sha256_shown: str,
    revision_shown: int | None = None,
    invited: InvitedSigner | None = None,
    now: datetime | None = None,
) -> Signature:
    """Sign the version exactly as it was shown. The last signature puts it in effect.
    `invited`: the extra signer (a parent or guardian) whose emailed link the person signs
    through."""
    role = selectors.signer_role(version, user, invited=invited)
    agreement = version.agreement
    ensure_partnership_open(agreement.partnership)
    template = agreement_content.template_of(version.template_version)
    consent = selectors.active_consent(user)
    if consent is None:
        raise SignatureRefused(
            "First agree to sign electronically (the consent above).", field="consent"
        )
    if not typed_name.strip():
        raise SignatureRefused("Type your full name to sign.", field="typed_name")
    if _normalise_name(typed_name) != _normalise_name(user.full_name):
        raise SignatureRefused(
            f"Type your full name exactly as it appears on your account: {user.full_name}.",
            field="typed_name",
        )
    if version.status != AgreementVersion.Status.DRAFT:
        raise AgreementLocked("This version is no longer open for signing.")
    if version.content_sha256 != content_sha256_shown or (
        revision_shown is not None and version.revision != revision_shown
    ):
        raise SignatureRefused(
            "The agreement changed after it was shown to you. Read it again before signing."
        )
    if intent_statement != selectors.signing_statement(version=version, user=user, role=role):
        raise SignatureRefused("The signing statement has changed. Read it again and sign.")
    problems = incomplete(
        template, version.content, today=timezone.localdate(now or timezone.now())
    )
    if problems:
        labels = agreement_content.field_labels(template, list(problems))
        raise SignatureRefused(
            "Not ready to sign yet: "
            + "; ".join(
                f"“{label}”: {message}"
                for label, message in zip(labels, problems.values(), strict=True)
            )
        )

    now = now or timezone.now()
    _hold_open_partnership(agreement)
    # The guard: the version is still the draft, with the content the signer saw. Bumping
    # signature_count takes the row lock, so a concurrent save or signature waits for us.
    guard = {"pk": version.pk, "status": AgreementVersion.Status.DRAFT}
    guard["content_sha256"] = content_sha256_shown
    if revision_shown is not None:
        guard["revision"] = revision_shown
    bumped = AgreementVersion.objects.filter(**guard).update(
        signature_count=F("signature_count") + 1
    )
    if bumped != 1:
        raise SignatureRefused(
            "The agreement changed after it was shown to you. Read it again before signing."
        )
    if Signature.objects.filter(version=version, role=role).exists():
        raise SignatureRefused(
            f"This version already has the {template.role_noun(role)}'s signature."
        )
    zone = zone_named(user.time_zone)
    due_on = agreement.due_on
    signature = Signature(
        version=version,
        role=role,
        signer=user,
        consent=consent,
        typed_name=typed_name.strip(),
        intent_statement=intent_statement,
        signed_at=now,
        time_zone=str(zone),
        ip=ip or None,
        user_agent=user_agent[:500],
        content_sha256=version.content_sha256,
        revision=version.revision,
        is_late=bool(due_on and timezone.localtime(now, zone).date() > due_on),
    )
    signature.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            signature.save()
    except IntegrityError:  # the same role signing twice at once: the other one won
        raise SignatureRefused(
            f"This version already has the {template.role_noun(role)}'s signature."
        ) from None
    _event(
        agreement,
        AgreementAction.SIGNED,
        actor=user,
        version=version,
        now=now,
        signature_id=signature.pk,
        signature_sha256=integrity.signature_sha256(signature),
        role=role,
        late=signature.is_late,
        content_sha256=version.content_sha256,
    )
    # A fresh read inside our transaction: on PostgreSQL it sees every signature committed
    # before our UPDATE got the lock, so exactly one signer sees the full count.
    count = AgreementVersion.objects.filter(pk=version.pk).values_list(
        "signature_count", flat=True
    )[0]
    if count >= len(template.signers):
        _put_in_effect(version=version, actor=user, now=now)
    else:
        from mentorpact.agreements import tasks

        transaction.on_commit(
            lambda: tasks.notify_your_turn_to_sign.enqueue(signature_id=signature.pk)
        )
    partnership_signals.changed(version.agreement.partnership, now=now)
    return signature


def _put_in_effect(*, version: AgreementVersion, actor: User, now) -> None:
    agreement = version.agreement
    # The unique "one in effect per agreement" index needs the old one superseded first. A
    # continuation (the partnership's next agreement) supersedes the previous agreement too.
    AgreementVersion.objects.filter(
        agreement__partnership_id=agreement.partnership_id,
        status=AgreementVersion.Status.IN_EFFECT,
    ).update(status=AgreementVersion.Status.SUPERSEDED, superseded_at=now)
    activated = AgreementVersion.objects.filter(
        pk=version.pk, status=AgreementVersion.Status.DRAFT
    ).update(status=AgreementVersion.Status.IN_EFFECT, effective_at=now)
    if activated != 1:  # cannot happen while the signature_count guard holds
        raise AgreementError("This version was put in effect by someone else.")
    version.status, version.effective_at = AgreementVersion.Status.IN_EFFECT, now
    # The version as signed, read back (its count and dates as stored), digested into the
    # in_effect event (verify_integrity).
    signed_sha256 = integrity.version_sha256(AgreementVersion.objects.get(pk=version.pk))
    first_time = Agreement.objects.filter(pk=agreement.pk, status=Agreement.Status.DRAFTING).update(
        status=Agreement.Status.IN_EFFECT, in_effect_since=now
    )
    _event(
        agreement,
        AgreementAction.IN_EFFECT,
        actor=actor,
        version=version,
        now=now,
        version_sha256=signed_sha256,
        number=version.number,
        amendment=version.is_amendment,
        content_sha256=version.content_sha256,
    )
    partnership = Partnership.objects.get(pk=agreement.partnership_id)
    webhooks.emit(
        program_id=partnership.program_id,
        event=WebhookEvent.AGREEMENT_SIGNED,
        now=now,
        data={
            "partnership": str(partnership.public_id),
            "agreement": agreement.number,
            "version": version.number,
            "amendment": version.is_amendment,
            "effective_at": now.isoformat(),
            "content_sha256": version.content_sha256,
        },
    )
    if first_time and partnership.status == Partnership.Status.DRAFTING:
        partnership_services.change_status(
            partnership=partnership,
            to_status=Partnership.Status.ACTIVE,
            actor=actor,
            detail={"agreement": str(agreement.public_id), "version": version.number},
            now=now,
        )
    from mentorpact.agreements import tasks

    transaction.on_commit(lambda: tasks.deliver_signed_agreement.enqueue(version_id=version.pk))


# --- Amendments -----------------------------------------------------------------------------


@transaction.atomic
def propose_amendment(
    *, agreement: Agreement, user: User, now: datetime | None = None
) -> AgreementVersion:
    """A new draft from the version in effect, which stays in effect until both sign."""
    selectors.partner_role(agreement.partnership, user)
    ensure_partnership_open(agreement.partnership)
    in_effect = agreement.versions.filter(status=AgreementVersion.Status.IN_EFFECT).first()
    if in_effect is None:
        raise AgreementError("Nothing is in effect yet: edit and sign the draft instead.")
    if selectors.draft_version(agreement) is not None:
        raise AgreementError("An amendment is already being drafted.")
    now = now or timezone.now()
    numbers = agreement.versions.aggregate(n=Max("number"))
    revision = agreement.revisions.aggregate(r=Max("revision"))["r"] + 1
    version = AgreementVersion(
        agreement=agreement,
        number=numbers["n"] + 1,
        template_version=in_effect.template_version,
        content_token=crypto.encrypt_json(dict(in_effect.content)),
        content_sha256=in_effect.content_sha256,
        revision=revision,
        previous=in_effect,
        is_amendment=True,
        created_by=user,
        created_at=now,
        updated_at=now,
    )
    version.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError:  # the partner proposed one at the same moment
        raise AgreementError("An amendment is already being drafted.") from None
    saved = AgreementRevision.objects.create(
        agreement=agreement,
        version=version,
        revision=revision,
        content_token=crypto.encrypt_json(version.content),
        author=user,
        created_at=now,
    )
    _event(
        agreement,
        AgreementAction.AMENDMENT_PROPOSED,
        actor=user,
        version=version,
        now=now,
        **_revision_digest(saved),
        amends=in_effect.number,
    )
    partnership_signals.changed(agreement.partnership, now=now)
    return version


# --- Copies ---------------------------------------------------------------------------------


@transaction.atomic
def record_pdf_download(*, version: AgreementVersion, user: User | None, via: str = "web") -> None:
    _event(
        version.agreement,
        AgreementAction.PDF_DOWNLOADED,
        actor=user,
        version=version,
        number=version.number,
        signed=version.is_signed,
        via=via,
    )


def identity_of(version: AgreementVersion) -> sealing.Identity:
    agreement = version.agreement
    return sealing.Identity(
        partnership=str(agreement.partnership.public_id),
        agreement=str(agreement.public_id),
        version=version.number,
        content_sha256=version.content_sha256,
    )


def seal_signed_version(*, version: AgreementVersion) -> bytes:
    """The sealed PDF of a signed version: made, stored and recorded once, then always the
    same bytes (downloads, emails and exports all hand out the stored file)."""
    if not version.is_signed:
        raise AgreementError("Only a signed version has a sealed PDF.")
    if version.sealed_pdf:
        return _stored_pdf(version)
    data = sealing.seal_pdf(pdf.render_pdf(version), identity_of(version))
    digest = hashlib.sha256(data).hexdigest()
    # Encrypted at rest (lib.stored_files): the agreement's text is confidential; its
    # SHA-256 is the plain PDF's, the one people download and verify.
    name = stored_files.save(
        f"agreements/{version.agreement.public_id}/v{version.number}-{digest[:12]}.pdf", data
    )
    with transaction.atomic():
        # Two workers (or a worker and a download) may seal at once: the first to store wins.
        stored = AgreementVersion.objects.filter(pk=version.pk, sealed_pdf="").update(
            sealed_pdf=name, sealed_pdf_sha256=digest
        )
        if stored == 1:
            _event(
                version.agreement,
                AgreementAction.PDF_SEALED,
                actor=None,
                version=version,
                pdf_sha256=digest,
            )
    if stored != 1:
        stored_files.delete(name)
        version.refresh_from_db()
        return _stored_pdf(version)
    version.sealed_pdf.name, version.sealed_pdf_sha256 = name, digest
    return data


def _stored_pdf(version: AgreementVersion) -> bytes:
    name = version.sealed_pdf.name
    assert name, "called only for a version whose sealed PDF is stored"
    data = stored_files.read(name)
    if hashlib.sha256(data).hexdigest() != version.sealed_pdf_sha256:
        logger.error("Stored PDF of %s does not match its recorded SHA-256", version)
        raise AgreementError("The stored signed PDF is damaged. Ask your administrator.")
    return data


def version_pdf(*, version: AgreementVersion) -> bytes:
    """A PDF of any version: the sealed one when signed, else a fresh draft marked DRAFT."""
    return seal_signed_version(version=version) if version.is_signed else pdf.render_pdf(version)


# --- Telling people -------------------------------------------------------------------------


def email_voided_signature(*, signature: Signature) -> None:
    """Tell a signer that an edit voided their signature (run by a task), through the outbox."""
    old = signature.version
    new = AgreementVersion.objects.filter(previous=old).select_related("created_by").first()
    partnership = old.agreement.partnership
    invited = selectors.invited_signers(old.agreement).get(signature.role)
    # An invited signer (a parent or guardian) has no sign-in: their own link shows the new
    # version; everyone else, the agreement page.
    url = (
        emails.invited_sign_url(tokens.make(invited))
        if invited is not None and invited.user_id == signature.signer_id
        else emails.agreement_url(partnership)
    )
    email = outbox.enqueue(
        key=f"agreement-signature-voided:{signature.pk}",
        kind="agreement-signature-voided",
        to=signature.signer.email,
        rendered=emails.render(
            "agreement-signature-voided",
            context={
                "signer": signature.signer,
                "editor": new.created_by if new else None,
                "old_version": old,
                "new_version_number": new.number if new else None,
                "signed_at": in_zone(signature.signed_at, signature.time_zone),
                "url": url,
            },
        ),
        program_id=partnership.program_id,
        partnership_id=partnership.pk,
    )
    sender.deliver([email.pk])


def email_your_turn_to_sign(*, signature: Signature) -> int:
    """Tell the signers who have not signed that `signature`'s signer has: their turn (run by
    a task), through the outbox, one email each under a key of the signature and the person,
    so a task run twice sends once. Nothing is sent when the signature was voided or the
    version is no longer the draft by the time the task runs. Returns how many were sent."""
    version = AgreementVersion.objects.select_related(
        "agreement__partnership__program", "template_version"
    ).get(pk=signature.version_id)
    if signature.voided_at is not None or version.status != AgreementVersion.Status.DRAFT:
        return 0
    partnership = version.agreement.partnership
    template = agreement_content.template_of(version.template_version)
    invited = selectors.invited_signers(version.agreement)
    ids = []
    for role, person in selectors.waiting_signers(version):
        # An invited signer has no sign-in: their own link is their way in.
        url = (
            emails.invited_sign_url(tokens.make(invited[role]))
            if role in invited
            else emails.sign_url(partnership)
        )
        rendered = emails.render(
            "agreement-your-turn",
            context={
                "person": person,
                "role": role,
                "role_label": template.role_noun(role),
                "signer": signature.signer,
                "signer_role": template.role_noun(signature.role),
                "is_partner": role in ("mentor", "mentee"),
                "version": version,
                "signed_at": in_zone(signature.signed_at, person.time_zone),
                "url": url,
            },
        )
        email = outbox.enqueue(
            key=f"agreement-your-turn:{signature.pk}:{person.pk}",
            kind="agreement-your-turn",
            to=person.email,
            rendered=rendered,
            program_id=partnership.program_id,
            partnership_id=partnership.pk,
        )
        ids.append(email.pk)
    sender.deliver(ids)
    return len(ids)


def email_signed_version(*, version: AgreementVersion) -> None:
    """Email the sealed PDF to both partners (and the coordinator who signed, when the template
    has the coordinator sign), and to the program's return address when the template returns
    signed agreements to the program (run by a task).

    Durable (mentorpact/outbox): the emails are written to the outbox first, one row each
    under a key made of the version and the recipient, in one transaction with the version's
    `delivered_at` mark and the "emailed" event; then they are sent. A task run again after a
    crash enqueues nothing twice and sends only what is still unsent; an email that fails is
    retried by the outbox's sweep."""
    seal_signed_version(version=version)
    version.refresh_from_db()
    ids = _enqueue_signed_version(version)
    sender.deliver(ids)


def _names_and_roles(people: list[tuple[str, str]]) -> str:
    """ "Mia Mentor (mentor), Theo Mentee (mentee) and Cora Coordinator (coordinator)"."""
    named = [f"{name} ({role})" for name, role in people]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


@transaction.atomic
def _enqueue_signed_version(version: AgreementVersion) -> list[int]:
    partnership = version.agreement.partnership
    program = partnership.program
    template = agreement_content.template_for_program(version.template_version, program)
    attachment = [
        {
            "filename": pdf.filename(version),
            "path": str(version.sealed_pdf.name),
            "mimetype": "application/pdf",
            "sha256": version.sealed_pdf_sha256 or "",
        }
    ]
    context = {
        "version": version,
        "partnership": partnership,
        "program": program,
        "template": template,
        "url": emails.agreement_url(partnership),
        # The rule `keep_copy` ("Mentor and mentee should keep a copy"): said to the partners.
        "keep_copy": bool(template.rules.keep_copy),
    }
    # Every signer gets a copy: the partners, and the coordinator and any invited signer (a
    # parent or guardian) who signed (any one coordinator signs, so it is that person, not
    # every coordinator). An invited signer's copy is the version they signed, and the email
    # links to nothing of the partnership (they have no sign-in).
    signatures = pdf.ordered_signatures(version, template.signers)
    context["signed_by"] = _names_and_roles(
        [(s.signer.full_name, template.role_noun(s.role)) for s in signatures]
    )
    context["signed_count"] = len(signatures)
    context["pair"] = f"{template.role_noun('mentor')} and {template.role_noun('mentee')}"
    coordinator = next((s for s in signatures if s.role == Signature.Role.COORDINATOR), None)
    others = [s for s in signatures if s.role not in ("mentor", "mentee")]
    partners = [partnership.mentor, partnership.mentee]
    rows = []
    enqueue = partial(
        outbox.enqueue,
        attachments=attachment,
        program_id=program.pk,
        partnership_id=partnership.pk,
    )
    recipients_of = [(person, "partner") for person in partners]
    recipients_of += [(s.signer, s.role) for s in others if s.signer not in partners]
    for person, role in recipients_of:
        is_partner = role == "partner"
        rendered = emails.render(
            "agreement-signed",
            context={
                **context,
                "person": person,
                "is_partner": is_partner,
                "url": context["url"] if is_partner or role == "coordinator" else "",
                "effective_at": in_zone(version.effective_at, person.time_zone),
            },
        )
        rows.append(
            enqueue(
                key=f"agreement-signed:{version.pk}:{person.pk}",
                kind="agreement-signed",
                to=person.email,
                rendered=rendered,
            )
        )
    address = agreement_content.return_address(template)
    if address:
        rendered = emails.render(
            "agreement-returned",
            context={**context, "effective_at": in_zone(version.effective_at, "UTC")},
        )
        rows.append(
            enqueue(
                key=f"agreement-returned:{version.pk}",
                kind="agreement-returned",
                to=address,
                rendered=rendered,
            )
        )
    # Marked (and recorded) once: the rows are in the outbox, so delivery is under way.
    marked = AgreementVersion.objects.filter(pk=version.pk, delivered_at__isnull=True).update(
        delivered_at=timezone.now()
    )
    if marked == 1:
        recipients: dict[str, Any] = {"partners": len(partners), "program": bool(address)}
        if coordinator:
            recipients["coordinator"] = True
        invited = [s.role for s in others if s.role != Signature.Role.COORDINATOR]
        if invited:
            recipients["invited"] = invited
        _event(
            version.agreement, AgreementAction.EMAILED, actor=None, version=version, **recipients
        )
    return [row.pk for row in rows]
