"""Reads for a person's own data: everything Mentorpact holds about them that they may see,
and what stops their account from being deleted now.

"May see" is the product's own rule, not a new one: the partnership record (progress.record)
already holds what a partner may read of their partnership (the notes shared with them, their
own private notes, the feedback shared with them); a coordinator's programs give only their
own enrolment and actions, never a pair's content.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from mentorpact.accounts.models import User
from mentorpact.agreements.models import ESignConsent, Signature
from mentorpact.audit.models import Event
from mentorpact.events.models import Invitation as EventInvitation
from mentorpact.meetings.models import CalendarFeed
from mentorpact.office.models import Invitation
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program
from mentorpact.support.models import HelpMessage, HelpRequest


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


@dataclass(frozen=True)
class Table:
    """One kind of record: its name (the CSV's file name), columns and rows, the same data
    the JSON file holds."""

    name: str
    columns: list[str]
    rows: list[list[Any]]

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def partnerships_of(user: User) -> list[Partnership]:
    """Every partnership this person was or is a partner in, any status."""
    return list(
        Partnership.objects.filter(Q(mentor=user) | Q(mentee=user))
        .select_related("program", "mentor", "mentee")
        .order_by("created_at", "id")
    )


def personal_tables(user: User) -> list[Table]:
    profile = Table(
        "profile",
        [
            "full name",
            "preferred name",
            "email",
            "department",
            "time zone",
            "joined",
            "last sign-in",
        ],
        [
            [
                user.full_name,
                user.preferred_name,
                user.email,
                user.department,
                user.time_zone,
                _iso(user.date_joined),
                _iso(user.last_login),
            ]
        ],
    )
    enrolments = Table(
        "programs",
        ["program", "role", "mentees taken at once", "enrolled"],
        [
            [
                e.program.name,
                e.get_role_display(),
                e.capacity if e.role == "mentor" else "",
                _iso(e.created_at),
            ]
            for e in Enrolment.objects.filter(user=user)
            .select_related("program")
            .order_by("created_at", "id")
        ],
    )
    invitations = Table(
        "invitations",
        ["program", "role", "sent", "accepted", "revoked"],
        [
            [
                i.program.name,
                i.get_role_display(),
                _iso(i.sent_at),
                _iso(i.accepted_at),
                _iso(i.revoked_at),
            ]
            for i in Invitation.objects.filter(user=user)
            .select_related("program")
            .order_by("created_at", "id")
        ],
    )
    partnerships = Table(
        "partnerships",
        [
            "code",
            "program",
            "your role",
            "partner",
            "status",
            "agreement due",
            "started",
            "ends",
            "paired",
        ],
        [
            [
                str(p.public_id),
                p.program.name,
                p.role_of(user),
                (p.mentee if p.mentor_id == user.pk else p.mentor).display_name,
                p.get_status_display(),
                _iso(p.agreement_due_on),
                _iso(p.started_on),
                _iso(p.ends_on),
                _iso(p.created_at),
            ]
            for p in partnerships_of(user)
        ],
    )
    signatures = Table(
        "signatures",
        [
            "partnership",
            "agreement",
            "version",
            "role",
            "name as signed",
            "signed",
            "time zone",
            "address",
            "browser",
            "hash of what was signed",
            "voided",
            "why voided",
        ],
        [
            [
                str(s.version.agreement.partnership.public_id),
                s.version.agreement.number,
                s.version.number,
                # The role as the form names it ("Student", "Parent or guardian").
                s.version.template_version.as_template().role_label(s.role),
                s.typed_name,
                _iso(s.signed_at),
                s.time_zone,
                s.ip or "",
                s.user_agent,
                s.content_sha256,
                _iso(s.voided_at),
                s.void_reason,
            ]
            for s in Signature.objects.filter(signer=user)
            .select_related("version__agreement__partnership", "version__template_version")
            .order_by("signed_at", "id")
        ],
    )
    consents = Table(
        "consents",
        ["statement", "given", "address", "browser", "withdrawn"],
        [
            [c.statement, _iso(c.given_at), c.ip or "", c.user_agent, _iso(c.withdrawn_at)]
            for c in ESignConsent.objects.filter(user=user).order_by("given_at", "id")
        ],
    )
    feeds = Table(
        "calendar-feeds",
        ["made", "revoked"],
        [
            [_iso(f.created_at), _iso(f.revoked_at)]
            for f in CalendarFeed.objects.filter(user=user).order_by("created_at", "id")
        ],
    )
    # What this person asked the program for, and every message on it (theirs and the
    # program's replies to them): all written to or by them.
    help_requests = Table(
        "help-requests",
        [
            "request",
            "partnership",
            "kind",
            "sent",
            "partner may be told",
            "status",
            "outcome",
            "closed",
            "message",
        ],
        [
            [
                str(r.public_id),
                str(r.partnership.public_id),
                r.get_kind_display(),
                _iso(r.created_at),
                "yes" if r.partner_may_know else "no",
                r.get_status_display(),
                r.get_outcome_display(),
                _iso(r.closed_at),
                r.message,
            ]
            for r in HelpRequest.objects.filter(requester=user)
            .select_related("partnership")
            .order_by("created_at", "id")
        ],
    )
    help_messages = Table(
        "help-messages",
        ["request", "from", "sent", "message"],
        [
            [
                str(m.request.public_id),
                "the program" if m.from_program else "you",
                _iso(m.created_at),
                m.body,
            ]
            for m in HelpMessage.objects.filter(request__requester=user)
            .select_related("request")
            .order_by("created_at", "id")
        ],
    )
    # The program events this person was invited to, their answer and attendance.
    events = Table(
        "events",
        ["event", "program", "starts", "answer", "reason for absence", "attended"],
        [
            [
                i.event.title,
                i.event.program.name,
                _iso(i.event.starts_at),
                i.answer,
                i.absence_reason,
                {True: "yes", False: "no", None: ""}[i.attended],
            ]
            for i in EventInvitation.objects.filter(user=user)
            .select_related("event__program")
            .order_by("event__starts_at", "id")
        ],
    )
    # What this person did, as the audit trail recorded it (its details are never
    # confidential: audit.services.record's contract).
    activity = Table(
        "activity",
        ["when", "what", "from address", "on", "details"],
        [
            [_iso(e.at), e.action, e.ip or "", e.object_type, e.details]
            for e in Event.objects.filter(actor=user).order_by("at", "id")
        ],
    )
    return [
        profile,
        enrolments,
        invitations,
        partnerships,
        signatures,
        consents,
        feeds,
        help_requests,
        help_messages,
        events,
        activity,
    ]


@dataclass(frozen=True)
class Blocker:
    message: str


def deletion_blockers(user: User) -> list[Blocker]:
    """Why this account cannot be deleted yet, in words the person can act on (empty: it can).

    An open partnership has a partner relying on it and an agreement in progress: it must end
    first (ended early, or concluded). A program must keep a coordinator.
    """
    blockers = [
        Blocker(
            f"You are in an open partnership with {partner.display_name} in {p.program.name}. "
            "It must end first: end it early from its closing page, or ask your coordinator."
        )
        for p in partnerships_of(user)
        if p.status in Partnership.OPEN_STATUSES
        for partner in [p.mentee if p.mentor_id == user.pk else p.mentor]
    ]
    sole = (
        Program.objects.filter(
            archived_at__isnull=True,
            enrolments__user=user,
            enrolments__role=Enrolment.Role.COORDINATOR,
        )
        .filter(
            ~Q(
                pk__in=Enrolment.objects.filter(role=Enrolment.Role.COORDINATOR)
                .exclude(user=user)
                .values("program")
            )
        )
        .order_by("name")
    )
    blockers += [
        Blocker(f"You are the only coordinator of {program.name}: appoint another one first.")
        for program in sole
    ]
    return blockers
