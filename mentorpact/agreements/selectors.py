"""Reads for agreements, and who may read what.

Partners read everything about their agreement. A coordinator of the program reads a signed
version's content only when its template returns signed agreements to the program
(distribution "program"); with "pair" they see only that it is signed, and when. Drafts are
the partners' own, except where the template lists the coordinator among its signers: then
any one coordinator of the program signs too, and reads the draft on the sign page (it is
what they sign). Outsiders get 404 (from the partnership selector).
"""

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.agreement_templates.kinds import kind_of
from mentorpact.agreement_templates.schema import Template
from mentorpact.agreement_templates.values import incomplete
from mentorpact.agreements import content as agreement_content
from mentorpact.agreements.integrity import UNDECRYPTABLE
from mentorpact.agreements.models import (
    Agreement,
    AgreementAction,
    AgreementVersion,
    ESignConsent,
    InvitedSigner,
    Signature,
)
from mentorpact.agreements.sealing import Identity, Verification, verify_pdf
from mentorpact.audit import selectors as audit
from mentorpact.audit.models import Event
from mentorpact.lib import crypto, stored_files
from mentorpact.partnerships.models import Partnership
from mentorpact.partnerships.selectors import (
    PartnershipAccess,
    get_partnership_for_partner,
    get_partnership_for_user,
)
from mentorpact.programs.models import Enrolment


@dataclass(frozen=True)
class AgreementAccess:
    """A partnership, its (latest) agreement if it has one, and who is asking."""

    access: PartnershipAccess
    agreement: Agreement | None

    @property
    def partnership(self) -> Partnership:
        return self.access.partnership

    @property
    def role(self) -> str:
        return self.access.role

    @property
    def is_partner(self) -> bool:
        return self.access.is_partner

    @property
    def is_coordinator(self) -> bool:
        return self.access.is_coordinator


@dataclass(frozen=True)
class ExistingAgreementAccess(AgreementAccess):
    """An AgreementAccess whose partnership has an agreement (the partners' and signers'
    actions need one)."""

    agreement: Agreement


def latest_agreement(partnership: Partnership) -> Agreement | None:
    return partnership.agreements.order_by("-number").first()


def agreements_of(partnership: Partnership) -> list[Agreement]:
    """Every agreement the partnership has had, newest first (a continuation starts another)."""
    return list(partnership.agreements.order_by("-number"))


def get_agreement_for_user(user, code) -> AgreementAccess:
    """Partners and the program's coordinators; anyone else 404."""
    access = get_partnership_for_user(user, code)
    return AgreementAccess(access, latest_agreement(access.partnership))


def get_agreement_for_partner(user, code) -> ExistingAgreementAccess:
    """Partner-only actions (editing, signing, amending): coordinator 403, outsider 404."""
    access = get_partnership_for_partner(user, code)
    agreement = latest_agreement(access.partnership)
    if agreement is None:
        raise Http404
    return ExistingAgreementAccess(access, agreement)


def signers_of(version: AgreementVersion) -> tuple[str, ...]:
    return agreement_content.template_of(version.template_version).signers


def coordinator_signs(agreement: Agreement) -> bool:
    """Whether the program's coordinator signs this agreement's draft (its template lists
    "coordinator" among its signers); with no draft, the latest version's template."""
    version = draft_version(agreement) or agreement.versions.order_by("-number").first()
    return version is not None and "coordinator" in signers_of(version)


def get_agreement_for_signer(user, code) -> ExistingAgreementAccess:
    """Signing (and withdrawing consent to sign electronically): the partners, and a
    coordinator of the program when the coordinator signs too (see `coordinator_signs`).
    Any other coordinator 403, outsider 404."""
    access = get_agreement_for_user(user, code)
    if access.is_coordinator and not (access.agreement and coordinator_signs(access.agreement)):
        raise PermissionDenied("Only the mentor and mentee sign this agreement.")
    if access.agreement is None:
        raise Http404
    version = draft_version(access.agreement)
    if access.is_partner and version is not None:
        signer_role(version, user)  # a partner the form does not have sign: 403
    return ExistingAgreementAccess(access.access, access.agreement)


def distribution_of(version: AgreementVersion) -> str:
    program = version.agreement.partnership.program
    template = agreement_content.template_for_program(version.template_version, program)
    return template.rules.distribution or "pair"


def coordinator_may_read(version: AgreementVersion) -> bool:
    return version.is_signed and distribution_of(version) == "program"


def version_of(
    partnership: Partnership, agreement_number: int, number: int
) -> AgreementVersion | None:
    """Version `number` of the partnership's agreement `agreement_number` (no access check)."""
    return (
        AgreementVersion.objects.select_related(
            "template_version", "agreement__partnership__program"
        )
        .filter(agreement__partnership=partnership, agreement__number=agreement_number)
        .filter(number=number)
        .first()
    )


def get_version_for_reader(
    user, code, agreement_number: int, number: int
) -> tuple[AgreementAccess, AgreementVersion]:
    """Version `number` of the partnership's agreement `agreement_number`, when this person may
    read its content (partners: any; coordinator: see above). Every agreement a partnership ever
    had stays addressable, not only its latest one."""
    access = get_agreement_for_user(user, code)
    version = version_of(access.partnership, agreement_number, number)
    if version is None:
        raise Http404
    if access.is_coordinator and not coordinator_may_read(version):
        if version.is_signed:
            raise PermissionDenied(
                "This program's agreements stay between mentor and mentee: you can see that it "
                "is signed and when, not what it says."
            )
        raise PermissionDenied("Drafts are for the mentor and mentee only.")
    return access, version


def draft_version(agreement: Agreement) -> AgreementVersion | None:
    """The version being drafted (at most one), or None once it is signed."""
    return agreement.versions.filter(status=AgreementVersion.Status.DRAFT).first()


def in_effect_version(agreement: Agreement) -> AgreementVersion | None:
    return agreement.versions.filter(status=AgreementVersion.Status.IN_EFFECT).first()


def export_version(agreement: Agreement) -> AgreementVersion | None:
    """The version in effect, or else the latest draft."""
    return in_effect_version(agreement) or draft_version(agreement)


def valid_signatures(version: AgreementVersion) -> QuerySet[Signature]:
    return version.signatures.filter(voided_at__isnull=True).select_related("signer")


def invited_signers(agreement: Agreement) -> dict[str, InvitedSigner]:
    """The people named as the agreement's extra signers, by role."""
    return {
        invited.role: invited for invited in agreement.invited.select_related("user", "named_by")
    }


def waiting_signers(version: AgreementVersion) -> list[tuple[str, User]]:
    """(role, person) of each signer of the draft `version` who has not signed it: the mentor
    and the mentee by name; an extra signer once a partner has named them; when the
    coordinator signs and none has yet, each of the program's coordinators (any one of them
    signs)."""
    partnership = version.agreement.partnership
    signed = set(valid_signatures(version).values_list("role", flat=True))
    invited = invited_signers(version.agreement)
    out: list[tuple[str, User]] = []
    for role in signers_of(version):
        if role in signed:
            continue
        if role in ("mentor", "mentee"):
            out.append((role, getattr(partnership, role)))
        elif role in invited:
            out.append((role, invited[role].user))
        elif role == "coordinator":
            coordinators = User.objects.filter(
                enrolments__program_id=partnership.program_id,
                enrolments__role=Enrolment.Role.COORDINATOR,
            ).order_by("pk")
            out += [(role, user) for user in coordinators]
    return out


@dataclass
class VersionHistory:
    version: AgreementVersion
    previous: AgreementVersion | None
    changes: list[agreement_content.FieldChange]
    signatures: list[Signature]
    rows: list[dict] = field(default_factory=list)  # the changes as text, filled by the view


def version_history(agreement: Agreement) -> list[VersionHistory]:
    """Every version, newest first, with what changed from the version it was drafted from."""
    versions = list(
        agreement.versions.select_related("template_version", "created_by")
        .prefetch_related(
            Prefetch("signatures", queryset=Signature.objects.select_related("signer"))
        )
        .order_by("number")
    )
    by_pk = {v.pk: v for v in versions}
    out = []
    for version in versions:
        template = agreement_content.template_of(version.template_version)
        previous = by_pk.get(version.previous_id) if version.previous_id else None
        if previous is None and version.number > 1:
            previous = next((v for v in versions if v.number == version.number - 1), None)
        before = previous.content if previous else {}
        out.append(
            VersionHistory(
                version=version,
                previous=previous,
                changes=agreement_content.changes_between(template, before, version.content),
                signatures=list(version.signatures.all()),
            )
        )
    return list(reversed(out))


def agreement_events(agreement: Agreement) -> QuerySet[Event]:
    """The agreement's history, newest first (its details name the version by id and number)."""
    return audit.history_of(agreement).select_related("actor").order_by("-at", "-id")


def voided_signature_event(agreement: Agreement, user, *, before: int) -> Event | None:
    """The latest voiding of a signature `user` gave on a version before number `before`."""
    signed = list(
        Signature.objects.filter(
            version__agreement=agreement, version__number__lt=before, signer=user
        ).values_list("version_id", flat=True)
    )
    if not signed:
        return None
    return (
        audit.history_of(agreement)
        .filter(action=AgreementAction.SIGNATURE_VOIDED, details__version_id__in=signed)
        .select_related("actor")
        .order_by("-id")
        .first()
    )


def version_for_identity(identity: Identity) -> AgreementVersion | None:
    """The version a verified PDF names, if it belongs to this installation's database."""
    return (
        AgreementVersion.objects.select_related(
            "agreement__partnership__mentor", "agreement__partnership__mentee"
        )
        .filter(
            agreement__public_id=identity.agreement,
            agreement__partnership__public_id=identity.partnership,
            number=identity.version,
        )
        .first()
    )


@dataclass(frozen=True)
class CheckedPdf:
    verification: Verification
    version: AgreementVersion | None  # the version the seal names, if this database has it

    @property
    def intact(self) -> bool:
        return self.verification.intact


def check_pdf(data: bytes) -> CheckedPdf:
    """Verify the seal, then compare the whole file with the copy this installation sealed:
    every copy handed out (download, email, export) is that stored file, byte for byte."""
    verification = verify_pdf(data)
    if not verification.intact or verification.identity is None:  # intact names an identity
        return CheckedPdf(verification, None)
    version = version_for_identity(verification.identity)
    if version is None:
        note = " This installation has no record of the agreement it names."
        return CheckedPdf(replace(verification, reason=verification.reason + note), None)
    recorded = version.sealed_pdf_sha256
    if recorded and hashlib.sha256(data).hexdigest() != recorded:
        return CheckedPdf(
            Verification(
                intact=False,
                reason="The PDF differs from the copy this installation sealed: it was changed.",
            ),
            version,
        )
    return CheckedPdf(verification, version)


@dataclass(frozen=True)
class AgreementSummary:
    agreement: Agreement | None
    draft: AgreementVersion | None
    in_effect: AgreementVersion | None  # the partnership's, from any of its agreements
    signatures: int  # valid signatures on the draft
    signers: int
    coordinator_may_read: bool
    # The draft's template has the coordinator sign, and they may now: the draft is complete
    # and no coordinator has signed it yet.
    awaiting_coordinator: bool = False
    coordinator_signs: bool = False
    # How the partnership's form names the pair ("Student"): the draft's, else the one in effect.
    mentor_label: str = "Mentor"
    mentee_label: str = "Mentee"

    @property
    def is_late(self) -> bool:
        due = self.agreement.due_on if self.agreement else None
        return bool(due and self.in_effect is None and timezone.localdate() > due)


def partnership_in_effect(partnership: Partnership) -> AgreementVersion | None:
    """The version in effect for the partnership (a continuation's draft does not replace its
    predecessor until it is signed)."""
    return (
        AgreementVersion.objects.filter(
            agreement__partnership=partnership, status=AgreementVersion.Status.IN_EFFECT
        )
        .select_related("agreement", "template_version")
        .order_by("-agreement__number")
        .first()
    )


_UNREAD: Any = object()  # agreement_summary: the caller has not read it


def agreement_summary(
    partnership: Partnership,
    *,
    viewer_role: str,
    latest: Agreement | None = _UNREAD,
    in_effect: AgreementVersion | None = _UNREAD,
) -> AgreementSummary:
    """`latest` (`latest_agreement`) and `in_effect` (`partnership_in_effect`): when the
    caller read them already (the partnership page's progress has both), so the page does
    not read them twice."""
    agreement = latest_agreement(partnership) if latest is _UNREAD else latest
    draft = draft_version(agreement) if agreement else None
    if in_effect is _UNREAD:
        in_effect = partnership_in_effect(partnership)
    template = agreement_content.template_of(draft.template_version) if draft else None
    signers = template.signers if template else ()
    signed = set(valid_signatures(draft).values_list("role", flat=True)) if draft else set()
    coordinator_signs = "coordinator" in signers
    named_by = template or (
        agreement_content.template_of(in_effect.template_version) if in_effect else None
    )
    return AgreementSummary(
        mentor_label=named_by.role_label("mentor") if named_by else "Mentor",
        mentee_label=named_by.role_label("mentee") if named_by else "Mentee",
        agreement=agreement,
        draft=draft,
        in_effect=in_effect,
        signatures=len(signed),
        signers=len(signers),
        coordinator_may_read=bool(in_effect and coordinator_may_read(in_effect)),
        awaiting_coordinator=bool(
            coordinator_signs
            and "coordinator" not in signed
            and template is not None  # coordinator_signs: the draft has a template
            and draft is not None
            and not incomplete(template, draft.content, today=timezone.localdate())
        ),
        coordinator_signs=coordinator_signs,
    )


# --- Who signs, and what they sign ----------------------------------------------------------


def partner_role(partnership: Partnership, user: User) -> str:
    role = partnership.role_of(user)
    if role is None:
        raise PermissionDenied("Only the mentor and mentee can change their agreement.")
    return role


def signer_role(
    version: AgreementVersion, user: User, *, invited: InvitedSigner | None = None
) -> str:
    """The role in which this person signs this version, or PermissionDenied. `invited`: the
    extra signer whose link they came by (they sign as that role, and only as it)."""
    partnership = version.agreement.partnership
    template = agreement_content.template_of(version.template_version)
    if invited is not None:
        if (
            invited.user_id != user.pk
            or invited.agreement_id != version.agreement_id
            or invited.role not in template.signers
        ):
            raise PermissionDenied("You are not one of this agreement's signers.")
        return invited.role
    role = partnership.role_of(user)
    if role is not None and role not in template.signers:
        raise PermissionDenied(
            f"The {template.role_noun(role)} does not sign this agreement: "
            f"{' and '.join('the ' + template.role_noun(r) for r in template.signers)} do."
        )
    if role is None and "coordinator" in template.signers:
        is_coordinator = Enrolment.objects.filter(
            program_id=partnership.program_id, user=user, role=Enrolment.Role.COORDINATOR
        ).exists()
        role = "coordinator" if is_coordinator else None
    if role is None or role not in template.signers:
        raise PermissionDenied("You are not one of this agreement's signers.")
    return role


def accepted_by_signing(template: Template, role: str) -> list[str]:
    """The labels of the acknowledgements this signer accepts by signing (they do not tick
    the draft: the coordinator, an invited signer)."""
    return [
        field.label
        for field in template.fields()
        if role in kind_of(field).accepted_on_signing(field, template)
    ]


def signing_statement(*, version: AgreementVersion, user: User, role: str) -> str:
    """The exact statement a signer agrees to: it names the version and its content hash, the
    role as the form names it, and each acknowledgement this signer accepts by signing."""
    template = agreement_content.template_of(version.template_version)
    statement = (
        f"I, {user.full_name}, sign version {version.number} of this mentoring partnership "
        f"agreement as the {template.role_noun(role)}. I have read it as shown (content SHA-256 "
        f"{version.content_sha256}). I intend my typed name to be my electronic signature, "
        "with the same effect as a handwritten one."
    )
    accepted = accepted_by_signing(template, role)
    if accepted:
        statement += " By signing I also accept, as written: " + "; ".join(
            f"“{label}”" for label in accepted
        )
        statement += "."
    return statement


def active_consent(user: User) -> ESignConsent | None:
    return user.esign_consents.filter(withdrawn_at__isnull=True).first()


@dataclass(frozen=True)
class RecordCheck:
    """What `signed_record_problems` looked at, and what it found wrong (empty: all sound)."""

    signed_versions: int
    sealed_pdfs: int
    problems: list[str]


def signed_record_problems() -> RecordCheck:
    """Every signed version: its content still hashes to the recorded SHA-256 its signatures
    are bound to, and its sealed PDF (where one was made) is in storage, byte for byte the one
    recorded, with an intact seal by this installation naming this version. `manage.py
    restore` runs it over a restored backup."""
    problems: list[str] = []
    sealed = 0
    versions = (
        AgreementVersion.objects.filter(status__in=AgreementVersion.SIGNED_STATUSES)
        .select_related("agreement__partnership", "template_version")
        .prefetch_related("signatures")
        .order_by("pk")
    )
    count = 0
    for version in versions.iterator(chunk_size=200):
        count += 1
        name = f"agreement {version.agreement.public_id} version {version.number}"
        template = agreement_content.template_of(version.template_version)
        if agreement_content.content_sha256(template, version.content) != version.content_sha256:
            problems.append(f"{name}: its content no longer matches its SHA-256")
        for signature in version.signatures.all():
            if signature.voided_at is None and signature.content_sha256 != version.content_sha256:
                problems.append(f"{name}: the {signature.role}'s signature is for other content")
        stored_name = version.sealed_pdf.name
        if not stored_name:
            continue
        sealed += 1
        try:
            data = stored_files.read(stored_name)
        except OSError:
            problems.append(f"{name}: its sealed PDF {stored_name} is missing")
            continue
        except crypto.UnreadableText:
            problems.append(f"{name}: its sealed PDF {stored_name} {UNDECRYPTABLE}")
            continue
        if hashlib.sha256(data).hexdigest() != version.sealed_pdf_sha256:
            problems.append(f"{name}: its sealed PDF differs from the one recorded")
            continue
        verification = verify_pdf(data)
        identity = verification.identity
        if not verification.intact or identity is None:
            problems.append(f"{name}: its sealed PDF does not verify: {verification.reason}")
        elif (identity.agreement, identity.version, identity.content_sha256) != (
            str(version.agreement.public_id),
            version.number,
            version.content_sha256,
        ):
            problems.append(f"{name}: its sealed PDF names another version")
    return RecordCheck(signed_versions=count, sealed_pdfs=sealed, problems=problems)


def version_metadata(agreement: Agreement, *, signed_only: bool) -> QuerySet[AgreementVersion]:
    """An agreement's versions without their content, oldest first (the REST API): numbers,
    statuses, dates, hashes. `signed_only` leaves the drafts out: a coordinator learns what was
    signed and when, never that a draft was edited."""
    versions = (
        agreement.versions.select_related("template_version", "agreement__partnership__program")
        .defer("content_token")
        .order_by("number")
    )
    if signed_only:
        versions = versions.filter(status__in=AgreementVersion.SIGNED_STATUSES)
    return versions
