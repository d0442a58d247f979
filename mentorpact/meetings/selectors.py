"""Reads for meetings, notes and feedback, and who may see which.

Access: meetings, notes and feedback are the partners' own. Every page of this app starts with
`get_partnership_for_partner` (coordinator 403, outsider 404); a coordinator sees only
`meeting_summary` (counts, dates, statuses) on the partnership page. Agendas and topics are
confidential like notes: the seed forms promise that nothing said between mentor and mentee
reaches the program, and an agenda says what the pair will talk about.

What the agreement says about meetings (`meeting_terms`): the template's rules name the field
that says who arranges meetings (`organiser_field`) and the one holding the pair's words on
cancelling or postponing (`contingency_field`), and give the questions asked after each
session (`feedback_questions`, answered by `feedback_from`). A template without them gets the
mentee as organiser, no contingency shown and no feedback asked.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from mentorpact.agreement_templates import selectors as template_selectors
from mentorpact.agreement_templates.kinds import kind_of
from mentorpact.agreement_templates.schema import Field, Template
from mentorpact.agreement_templates.terms import agreed_contact
from mentorpact.agreements import content as agreement_content
from mentorpact.agreements.models import Agreement, AgreementVersion
from mentorpact.audit import selectors as audit_selectors
from mentorpact.audit.models import Event
from mentorpact.lib import csvfile
from mentorpact.lib.bounds import safe_localtime
from mentorpact.lib.timeline import TimelineEntry
from mentorpact.meetings.models import CalendarFeed, Feedback, Meeting, MeetingAction, Note
from mentorpact.partnerships.models import Partnership
from mentorpact.partnerships.selectors import PartnershipAccess, get_partnership_for_partner

# Used when the agreement has no meeting modes field.
DEFAULT_MODES = (
    ("face_to_face", "Face to face"),
    ("phone", "Phone"),
    ("video", "Video call"),
    ("email", "Email"),
    ("other", "Other"),
)
# How far ahead "agree the next one" suggests, by the program's minimum contact.
NEXT_MEETING_GAP = {"week": timedelta(days=7), "month": timedelta(days=28)}
DEFAULT_NEXT_MEETING_GAP = timedelta(days=14)


# --- What the agreement says ----------------------------------------------------------------


@dataclass(frozen=True)
class Organiser:
    role: str  # "mentee", "mentor" or "both"
    # "agreed": the agreement in effect says so (the rule `organiser_field`); "open": the form
    # asks who arranges meetings but nothing is agreed yet; "default": the form does not ask,
    # so the mentee, who drives the partnership.
    source: str

    def describe(self, partnership: Partnership) -> str:
        if self.role == "both":
            who = "Either of you arranges meetings"
        else:
            person = partnership.mentee if self.role == "mentee" else partnership.mentor
            who = f"{person.display_name} (the {self.role}) arranges meetings"
        if self.source == "agreed":
            return f"{who}, as your agreement says."
        if self.source == "open":
            return f"{who} until your agreement says who does."
        return f"{who}, unless you agree otherwise."


@dataclass(frozen=True)
class MeetingTerms:
    """The template of the partnership's agreement (with the program's overrides) and the
    content of the version in effect ({} before it is signed)."""

    template: Template | None
    content: dict[str, Any] = field(default_factory=dict)

    @property
    def keeps_activity_log(self) -> bool:
        """The rule `activity_log`: the program asks the pair to keep one (the log page says
        so above the notes)."""
        return bool(self.template and self.template.rules.activity_log)

    @property
    def _modes_field(self) -> Field | None:
        template = self.template
        key = template.rules.meeting_modes_field if template else None
        return template.field(key) if template and key else None

    def agreed_modes(self) -> list[str]:
        """The modes the pair chose in the agreement in effect, in the template's order."""
        modes_field = self._modes_field
        value = self.content.get(modes_field.key) if modes_field else None
        if modes_field is None or not value:
            return []
        return kind_of(modes_field).chosen_options(modes_field, value)

    def mode_choices(self) -> list[tuple[str, str]]:
        """(key, label) for a meeting's mode: the agreement's modes, the agreed ones first."""
        modes_field = self._modes_field
        if modes_field is None:
            return list(DEFAULT_MODES)
        other = self.content.get(modes_field.key)
        other_label = other.get("other_label") if isinstance(other, dict) else None
        labels = {option.key: option.label for option in modes_field.options}
        if modes_field.other:
            labels["other"] = other_label or modes_field.other_label or "Other"
        agreed = self.agreed_modes()
        keys = agreed + [key for key in modes_field.option_keys() if key not in agreed]
        return [(key, _capitalised(labels[key])) for key in keys]

    def organiser(self) -> Organiser:
        """Who arranges meetings: the option the pair chose in the field the rule
        `organiser_field` names (its options keyed mentee, mentor or both)."""
        key = self.template.rules.organiser_field if self.template else None
        chosen_by = self.template.field(key) if self.template and key else None
        if chosen_by is None:
            return Organiser(role="mentee", source="default")
        chosen = kind_of(chosen_by).chosen_options(chosen_by, self.content.get(chosen_by.key))
        role = next((r for r in chosen if r in ("mentee", "mentor", "both")), None)
        if role is not None:
            return Organiser(role=role, source="agreed")
        return Organiser(role="mentee", source="open")

    def contingency(self) -> tuple[str, str] | None:
        """(the field's label, what the pair wrote) in the field the rule `contingency_field`
        names, if they wrote it."""
        key = self.template.rules.contingency_field if self.template else None
        written = self.template.field(key) if self.template and key else None
        text = self.content.get(written.key) if written else None
        if written is None or not isinstance(text, str) or not text.strip():
            return None
        return written.label, text

    def feedback_questions(self) -> tuple[str, ...]:
        """The form's own questions after a session (the rule `feedback_questions`); none when
        it asks none: no program gets another program's questions."""
        rules = self.template.rules if self.template else None
        return (rules and rules.feedback_questions) or ()

    def feedback_from(self) -> tuple[str, ...]:
        """Who answers the questions (the rule `feedback_from`, the mentee by default); nobody
        when the form asks none."""
        if not self.feedback_questions():
            return ()
        rules = self.template.rules if self.template else None
        return (rules and rules.feedback_from) or ("mentee",)

    def next_meeting_gap(self) -> timedelta:
        """How far ahead the next meeting is suggested: the gap the least contact allows
        (what the pair agreed, else the program's rule), at most a month apart."""
        contact = agreed_contact(self.template, self.content) if self.template else None
        if contact is None:
            return DEFAULT_NEXT_MEETING_GAP
        return min(contact.gap, NEXT_MEETING_GAP["month"])


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]


_UNREAD: Any = object()  # meeting_terms: the caller has not read the latest agreement


def meeting_terms(partnership: Partnership, *, latest: Agreement | None = _UNREAD) -> MeetingTerms:
    """What the partnership's agreement says about meetings.

    The template is that of the version in effect, else of the latest draft, else the
    program's current template; the content is the version in effect's only, because the pair
    has agreed nothing until both have signed (meetings may still be held while drafting:
    the forms say the agreement is made at the first meeting). `latest`: the partnership's
    latest agreement (or None), when the caller read it already (the partnership page).
    """
    program = partnership.program
    agreement = partnership.agreements.order_by("-number").first() if latest is _UNREAD else latest
    template_version = None
    content: dict[str, Any] = {}
    if agreement is not None:
        versions = agreement.versions.select_related("template_version")
        version = versions.filter(status=AgreementVersion.Status.IN_EFFECT).first()
        if version is not None:
            content = version.content
        else:
            version = versions.order_by("-number").first()
        template_version = version.template_version if version else None
    if template_version is None:
        template_version = template_selectors.chosen_version(program)
    if template_version is None:
        return MeetingTerms(template=None)
    template = agreement_content.template_for_program(template_version, program)
    return MeetingTerms(template=template, content=content)


# --- Access ---------------------------------------------------------------------------------


def get_meeting_for_partner(user, code, meeting_id) -> tuple[PartnershipAccess, Meeting]:
    """A meeting of a partnership this person is a partner in (coordinator 403, else 404)."""
    access = get_partnership_for_partner(user, code)
    meeting = (
        Meeting.objects.select_related("organiser", "recorded_by")
        .filter(partnership=access.partnership, public_id=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404
    meeting.partnership = access.partnership
    return access, meeting


def get_note_for_partner(user, code, note_id) -> tuple[PartnershipAccess, Note]:
    """A note this partner may see: shared ones, and their own private ones. A partner's
    private note is not found (404), so nobody learns that it exists."""
    access = get_partnership_for_partner(user, code)
    note = (
        visible_notes(access.partnership, user)
        .filter(public_id=note_id)
        .select_related("author", "meeting")
        .first()
    )
    if note is None:
        raise Http404
    return access, note


# --- Lists ----------------------------------------------------------------------------------


def partnership_meetings(partnership: Partnership) -> QuerySet[Meeting]:
    return partnership.meetings.select_related("organiser").order_by("-starts_at", "-id")


def upcoming_meetings(partnership: Partnership) -> QuerySet[Meeting]:
    return (
        partnership.meetings.filter(
            status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now() - timedelta(hours=12)
        )
        .select_related("organiser")
        .order_by("starts_at", "id")
    )


def visible_notes(partnership: Partnership, user) -> QuerySet[Note]:
    """Notes shared by either partner, and this person's own private ones."""
    return partnership.notes.filter(Q(visibility=Note.Visibility.SHARED) | Q(author=user))


def activity_log(partnership: Partnership, user) -> list[Note]:
    return list(
        visible_notes(partnership, user)
        .select_related("author", "meeting")
        .order_by("-created_at", "-id")
    )


def meeting_notes(meeting: Meeting, user) -> list[Note]:
    return list(
        visible_notes(meeting.partnership, user)
        .filter(meeting=meeting)
        .select_related("author")
        .order_by("created_at", "id")
    )


def visible_feedback(meeting: Meeting, user) -> list[Feedback]:
    """This person's own feedback, and their partner's where the partner shared it."""
    return list(
        meeting.feedback.filter(Q(author=user) | Q(shared_with_partner=True))
        .select_related("author")
        .order_by("created_at", "id")
    )


def own_feedback(meeting: Meeting, user) -> Feedback | None:
    return meeting.feedback.filter(author=user).first()


def meeting_history(meeting: Meeting) -> list[tuple[Event, str]]:
    """A meeting's events in order, each with its label, and its reason (partner-only text)
    when it has one."""
    events = audit_selectors.history_of(meeting).select_related("actor", "meeting_reason")
    return [(event, MeetingAction(event.action).label) for event in events]


def active_feed(user) -> CalendarFeed | None:
    return user.calendar_feeds.filter(revoked_at__isnull=True).first()


def feed_meetings(feed: CalendarFeed) -> QuerySet[Meeting]:
    """Every meeting of every partnership the feed's owner is a partner in."""
    user = feed.user
    return (
        Meeting.objects.filter(Q(partnership__mentor=user) | Q(partnership__mentee=user))
        .select_related("partnership__mentor", "partnership__mentee")
        .order_by("starts_at", "id")
    )


# --- For the partnership page, the timeline and the progress work ---------------------------


def held_meeting_count(partnership: Partnership) -> int:
    return partnership.meetings.filter(status=Meeting.Status.HELD).count()


def first_held_by_partnership(ids: list[int]) -> dict[int, datetime]:
    """When each partnership's first held meeting began, in one query (an evaluation asked
    after the first meeting); a partnership with none held is left out."""
    rows = (
        Meeting.objects.filter(partnership_id__in=ids, status=Meeting.Status.HELD)
        .values("partnership_id")
        .annotate(first=Min("starts_at"))
        .order_by()
    )
    return {row["partnership_id"]: row["first"] for row in rows}


def last_contact_at(partnership: Partnership) -> datetime | None:
    """When the pair last met (the latest held meeting, however they met), or None."""
    return partnership.meetings.filter(status=Meeting.Status.HELD).aggregate(last=Max("starts_at"))[
        "last"
    ]


def contact_by_partnership(ids: list[int]) -> dict[int, tuple[int, datetime | None]]:
    """`held_meeting_count` and `last_contact_at` of many partnerships in one query:
    {partnership id: (held, last contact)}; a partnership with no meeting held is left out."""
    rows = (
        Meeting.objects.filter(partnership_id__in=ids, status=Meeting.Status.HELD)
        .values("partnership_id")
        .annotate(held=Count("id"), last=Max("starts_at"))
        .order_by()
    )
    return {row["partnership_id"]: (row["held"], row["last"]) for row in rows}


@dataclass(frozen=True)
class MeetingSummary:
    """What anyone who may see the partnership may know: counts, dates and statuses."""

    held: int
    scheduled: int
    cancelled: int
    last_contact_at: datetime | None
    next_meeting_at: datetime | None


def meeting_summary(
    partnership: Partnership, *, meetings: list[Meeting] | None = None
) -> MeetingSummary:
    """`meetings`: the partnership's meetings when the caller read them already
    (`meetings_of`, as the partnership page does for its timeline): then no query."""
    now = timezone.now()
    if meetings is not None:
        held = [m.starts_at for m in meetings if m.status == Meeting.Status.HELD]
        coming = [
            m.starts_at
            for m in meetings
            if m.status == Meeting.Status.SCHEDULED and m.starts_at >= now
        ]
        return MeetingSummary(
            held=len(held),
            scheduled=sum(m.status == Meeting.Status.SCHEDULED for m in meetings),
            cancelled=sum(m.status == Meeting.Status.CANCELLED for m in meetings),
            last_contact_at=max(held, default=None),
            next_meeting_at=min(coming, default=None),
        )
    numbers = partnership.meetings.aggregate(
        held=Count("id", filter=Q(status=Meeting.Status.HELD)),
        scheduled=Count("id", filter=Q(status=Meeting.Status.SCHEDULED)),
        cancelled=Count("id", filter=Q(status=Meeting.Status.CANCELLED)),
        last=Max("starts_at", filter=Q(status=Meeting.Status.HELD)),
        next=Min("starts_at", filter=Q(status=Meeting.Status.SCHEDULED, starts_at__gte=now)),
    )
    return MeetingSummary(
        held=numbers["held"],
        scheduled=numbers["scheduled"],
        cancelled=numbers["cancelled"],
        last_contact_at=numbers["last"],
        next_meeting_at=numbers["next"],
    )


def contact_of(meetings: list[Meeting]) -> tuple[int, datetime | None]:
    """`contact_by_partnership`'s (held, last contact) for one partnership's meetings read
    already (`meetings_of`): no query."""
    held = [m.starts_at for m in meetings if m.status == Meeting.Status.HELD]
    return len(held), max(held, default=None)


def meetings_of(partnership: Partnership) -> list[Meeting]:
    """The partnership's meetings in time order, the columns its page needs: read once, then
    given to `timeline_entries`, `meeting_summary` and `contact_of`."""
    return list(
        partnership.meetings.only(
            "public_id",
            "partnership_id",
            "status",
            "starts_at",
            "duration_minutes",
            "held_minutes",
            "mode_label",
            "cancelled_at",
            "off_platform",
        ).order_by("starts_at", "id")
    )


def _meeting_url(partnership: Partnership, meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[partnership.public_id, meeting.public_id])


def timeline_entries(
    partnership: Partnership,
    viewer,
    *,
    meetings: list[Meeting] | None = None,
    terms: MeetingTerms | None = None,
) -> list[TimelineEntry]:
    """Meetings (and, for a partner, feedback due) as timeline entries, in time order.

    A coordinator gets dates and statuses only: no links into partner-only pages, no titles
    that carry what the partners wrote. Notes are not timeline entries: the log shows them.
    `meetings` (`meetings_of`) and `terms` (`meeting_terms`): when the caller read them.
    """
    is_partner = partnership.role_of(viewer) is not None
    now = timezone.now()
    meetings = meetings_of(partnership) if meetings is None else meetings
    answered: set[int] = set()
    asked = False
    if is_partner:
        role = partnership.role_of(viewer)
        asked = role in (terms or meeting_terms(partnership)).feedback_from()
        answered = set(
            Feedback.objects.filter(meeting__partnership=partnership, author=viewer).values_list(
                "meeting_id", flat=True
            )
        )
    entries = []
    for meeting in meetings:
        url = _meeting_url(partnership, meeting) if is_partner else ""
        mode = f", {meeting.mode_label.lower()}" if is_partner and meeting.mode_label else ""
        if meeting.is_held:
            entries.append(
                TimelineEntry(
                    at=meeting.starts_at,
                    kind="meeting_held",
                    title="Meeting held"
                    + (" (recorded afterwards)" if meeting.off_platform else ""),
                    detail=f"{meeting.held_minutes} minutes{mode}",
                    url=url,
                )
            )
            if asked and meeting.pk not in answered:
                entries.append(
                    TimelineEntry(
                        at=meeting.starts_at,
                        kind="feedback_due",
                        title="Your feedback on this meeting",
                        url=reverse(
                            "meetings:feedback", args=[partnership.public_id, meeting.public_id]
                        ),
                        is_due=True,
                    )
                )
        elif meeting.is_cancelled:
            entries.append(
                TimelineEntry(
                    at=meeting.starts_at,
                    kind="meeting_cancelled",
                    title="Meeting cancelled",
                    url=url,
                )
            )
        elif meeting.starts_at >= now or not is_partner:
            entries.append(
                TimelineEntry(
                    at=meeting.starts_at,
                    kind="meeting_scheduled",
                    title="Meeting scheduled",
                    detail=f"{meeting.duration_minutes} minutes{mode}",
                    url=url,
                    is_due=meeting.starts_at >= now,
                )
            )
        else:
            entries.append(
                TimelineEntry(
                    at=meeting.starts_at,
                    kind="meeting_to_record",
                    title="Was this meeting held? Record it, or cancel it",
                    detail=f"{meeting.duration_minutes} minutes{mode}",
                    url=url,
                    is_due=True,
                )
            )
    return entries


# --- The partnership's record, for its download ---------------------------------------------


def _local_iso(moment: datetime | None, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return safe_localtime(moment, ZoneInfo(zone)).isoformat(timespec="minutes") if moment else ""


def record_files(partnership: Partnership, user) -> dict[str, bytes]:
    """This partner's part of the partnership's record (the progress app's download): every
    meeting with its agenda and topics, the notes and feedback this person may see, and the
    meetings as one calendar file. Partners only: the caller checked the access."""
    from mentorpact.meetings import ical

    meetings = list(
        partnership.meetings.select_related("partnership__mentor", "partnership__mentee").order_by(
            "starts_at", "id"
        )
    )
    meeting_rows = [
        [
            _local_iso(m.starts_at, m.time_zone),
            m.time_zone,
            m.get_status_display(),
            m.mode_label,
            m.duration_minutes,
            m.held_minutes or "",
            m.place,
            m.agenda,
            m.topics,
            "yes" if m.off_platform else "",
        ]
        for m in meetings
    ]
    zone = user.time_zone
    note_rows = [
        [
            _local_iso(note.created_at, zone),
            note.author.display_name,
            note.get_visibility_display(),
            _local_iso(note.meeting.starts_at, note.meeting.time_zone) if note.meeting else "",
            note.body,
        ]
        for note in reversed(activity_log(partnership, user))
    ]
    feedback = (
        Feedback.objects.filter(meeting__partnership=partnership)
        .filter(Q(author=user) | Q(shared_with_partner=True))
        .select_related("author", "meeting")
        .order_by("meeting__starts_at", "created_at")
    )
    feedback_rows = [
        [
            _local_iso(item.meeting.starts_at, item.meeting.time_zone),
            item.author.display_name,
            "yes" if item.shared_with_partner else "no",
            answer["question"],
            answer["answer"],
        ]
        for item in feedback
        for answer in item.answers
    ]
    return {
        "meetings.csv": csvfile.write(
            [
                "starts (local time)",
                "time zone",
                "status",
                "how",
                "planned minutes",
                "held minutes",
                "place or link",
                "agenda",
                "what we talked about",
                "recorded afterwards",
            ],
            meeting_rows,
        ),
        "notes.csv": csvfile.write(
            ["written (your time)", "by", "who sees it", "about the meeting of", "note"], note_rows
        ),
        "feedback.csv": csvfile.write(
            ["meeting", "by", "shared with the partner", "question", "answer"], feedback_rows
        ),
        "meetings.ics": ical.feed_ics(user, meetings),
    }
