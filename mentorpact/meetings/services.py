"""Writes for meetings, notes, feedback and calendar feeds: one function per change.

Rules of the road, each refused with a MeetingError that says why (beside a form field when
`field` names one): no meeting scheduled in the past; no feedback on a meeting that was not
held; nothing added or changed once the partnership has closed; a note changed by its author
only. Changes to an existing row are conditional UPDATEs naming the version they were based
on (SQLite ignores select_for_update), so two partners acting at once never both win.
"""

import hashlib
import json
import secrets
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.agreement_templates.terms import length_warning
from mentorpact.audit import selectors as audit_selectors
from mentorpact.audit import services as audit
from mentorpact.audit.models import Event
from mentorpact.lib import crypto
from mentorpact.meetings.models import (
    CalendarFeed,
    Feedback,
    Meeting,
    MeetingAction,
    MeetingReason,
    Note,
)
from mentorpact.meetings.selectors import MeetingTerms, meeting_terms
from mentorpact.partnerships import signals as partnership_signals
from mentorpact.partnerships.models import Partnership
from mentorpact.partnerships.selectors import closed_message

MAX_MINUTES = 24 * 60
MAX_NOTE_CHARS = 10_000
MAX_TEXT_CHARS = 5_000
NOT_ZONES = {"localtime", "posixrules", "Factory"}

NO_FEEDBACK = "Your program's form asks for no feedback after sessions."


class MeetingError(Exception):
    """A refused change: `message` says why, `field` names the form field it belongs beside."""

    def __init__(self, message: str, *, field: str | None = None, code: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field
        # "length": outside the agreed meeting length, which the partner may accept.
        self.code = code


@lru_cache(maxsize=1)
def time_zone_names() -> frozenset[str]:
    """The IANA zones a meeting may be planned in (not the machine's "localtime" link)."""
    return frozenset(available_timezones()) - NOT_ZONES


def _require_partner(partnership: Partnership, user: User) -> str:
    role = partnership.role_of(user)
    if role is None:
        raise PermissionDenied("Only the mentor and mentee can do this.")
    return role


def _require_open(partnership: Partnership) -> None:
    message = closed_message(partnership, fresh=True)
    if message:
        raise MeetingError(message)


def _check_zone(name: str) -> None:
    if name not in time_zone_names():
        raise MeetingError(
            "Choose a time zone from the list, like Europe/London.", field="time_zone"
        )


def _check_minutes(minutes: int, field: str) -> None:
    if not 1 <= minutes <= MAX_MINUTES:
        raise MeetingError("Give the length in minutes, from 1 to 1440.", field=field)


def _check_length(partnership: Partnership, minutes: int, field: str, *, accepted: bool) -> bool:
    """Whether the length is outside what the agreement says (the rule `meeting_length`):
    refused with a warning unless the partner accepted it ("keep it anyway"), never passed
    silently; an accepted one is marked on its event."""
    terms = meeting_terms(partnership)
    if terms.template is None:
        return False
    warning = length_warning(terms.template, terms.content, minutes)
    if warning and not accepted:
        raise MeetingError(warning, field=field, code="length")
    return warning is not None


def _length_detail(outside: bool) -> dict[str, Any]:
    """The event's mark for a length kept outside the agreement's bounds."""
    return {"length_outside_agreement": True} if outside else {}


def _check_text(text: str, field: str, *, limit: int = MAX_TEXT_CHARS) -> str:
    if len(text) > limit:
        raise MeetingError(
            f"Keep this under {limit:,} characters (it has {len(text):,}).", field=field
        )
    return text


def _mode_label(terms: MeetingTerms, mode: str) -> str:
    labels = dict(terms.mode_choices())
    if mode not in labels:
        raise MeetingError("Choose one of the ways of meeting in the list.", field="mode")
    return labels[mode]


def _event(
    meeting: Meeting,
    action: str,
    *,
    actor: User | None,
    reason: str = "",
    now: datetime | None = None,
    **details,
) -> Event:
    event = audit.record(action, on=meeting, actor=actor, now=now, **details)
    if reason:
        kept = MeetingReason(event=event)
        kept.reason = reason
        kept.save()
    return event


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _in_future(starts_at: datetime, now: datetime) -> None:
    if starts_at <= now:
        raise MeetingError(
            "Choose a time in the future. A meeting that has already taken place is recorded "
            "as held instead.",
            field="date",
        )


def _not_in_future(starts_at: datetime, now: datetime) -> None:
    if starts_at > now:
        raise MeetingError(
            "That time is still to come: record a meeting as held once it has taken place.",
            field="date",
        )


def _stale(meeting: Meeting) -> MeetingError:
    """Someone changed the meeting after it was shown: say who and what."""
    current = Meeting.objects.get(pk=meeting.pk)
    last = audit_selectors.history_of(current).select_related("actor").last()
    who = last.actor.display_name if last and last.actor else "Someone"
    what: str = {
        Meeting.Status.HELD.value: "recorded it as held",
        Meeting.Status.CANCELLED.value: "cancelled it",
    }.get(current.status, "changed it")
    return MeetingError(
        f"{who} {what} while you were looking at this meeting, so your change was not saved. "
        "Check the meeting and try again."
    )


def _require_scheduled(meeting: Meeting, doing: str) -> None:
    if meeting.is_cancelled:
        raise MeetingError(f"This meeting was cancelled, so it cannot be {doing}.")
    if meeting.is_held:
        raise MeetingError(f"This meeting is already recorded as held, so it cannot be {doing}.")


def _tell_partner(meeting: Meeting, actor: User, change: str) -> None:
    from mentorpact.meetings import tasks

    transaction.on_commit(
        lambda: tasks.tell_partner_about_change.enqueue(
            meeting_id=meeting.pk, actor_id=actor.pk, change=change
        )
    )


def _invite_feedback(meeting: Meeting) -> None:
    from mentorpact.meetings import tasks

    transaction.on_commit(lambda: tasks.invite_feedback.enqueue(meeting_id=meeting.pk))


# --- Meetings -------------------------------------------------------------------------------


def _new_meeting(
    *, partnership: Partnership, user: User, time_zone: str, mode: str, now: datetime, **fields
) -> Meeting:
    """Save a new meeting (`agenda` and `topics` are encrypted by the model's attributes)."""
    _check_zone(time_zone)
    texts = {name: fields.pop(name, "") for name in ("agenda", "topics")}
    meeting = Meeting(
        partnership=partnership,
        time_zone=time_zone,
        mode=mode,
        mode_label=_mode_label(meeting_terms(partnership), mode),
        organiser=user,
        created_by=user,
        created_at=now,
        updated_at=now,
        **fields,
    )
    meeting.agenda, meeting.topics = texts["agenda"], texts["topics"]
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def schedule_meeting(
    *,
    partnership: Partnership,
    user: User,
    starts_at: datetime,
    time_zone: str,
    duration_minutes: int,
    mode: str,
    place: str = "",
    agenda: str = "",
    now: datetime | None = None,
    length_accepted: bool = False,
) -> Meeting:
    """A meeting to come (`now`, default the clock, is when it was planned)."""
    _require_partner(partnership, user)
    _require_open(partnership)
    now = now or timezone.now()
    _in_future(starts_at, now)
    _check_minutes(duration_minutes, "duration_minutes")
    outside = _check_length(
        partnership, duration_minutes, "duration_minutes", accepted=length_accepted
    )
    meeting = _new_meeting(
        partnership=partnership,
        user=user,
        starts_at=starts_at,
        time_zone=time_zone,
        mode=mode,
        duration_minutes=duration_minutes,
        place=place.strip(),
        original_starts_at=starts_at,
        agenda=_check_text(agenda.strip(), "agenda"),
        now=now,
    )
    _event(
        meeting,
        MeetingAction.SCHEDULED,
        actor=user,
        now=now,
        starts_at=_iso(starts_at),
        time_zone=time_zone,
        minutes=duration_minutes,
        **_length_detail(outside),
    )
    _tell_partner(meeting, user, "scheduled")
    return meeting


@transaction.atomic
def record_held_meeting(
    *,
    meeting: Meeting,
    user: User,
    based_on_version: int,
    starts_at: datetime,
    held_minutes: int,
    mode: str,
    topics: str = "",
    time_zone: str | None = None,
    now: datetime | None = None,
    length_accepted: bool = False,
) -> Meeting:
    """A scheduled meeting took place: when (in `time_zone`, by default the planned one),
    how long, how, and what was discussed."""
    partnership = meeting.partnership
    _require_partner(partnership, user)
    _require_open(partnership)
    _require_scheduled(meeting, "recorded as held")
    time_zone = time_zone or meeting.time_zone
    _check_zone(time_zone)
    now = now or timezone.now()
    _not_in_future(starts_at, now)
    _check_minutes(held_minutes, "held_minutes")
    outside = _check_length(
        meeting.partnership, held_minutes, "held_minutes", accepted=length_accepted
    )
    label = _mode_label(meeting_terms(partnership), mode)
    updated = Meeting.objects.filter(
        pk=meeting.pk, status=Meeting.Status.SCHEDULED, version=based_on_version
    ).update(
        status=Meeting.Status.HELD,
        starts_at=starts_at,
        time_zone=time_zone,
        held_minutes=held_minutes,
        mode=mode,
        mode_label=label,
        topics_token=crypto.encrypt(_check_text(topics.strip(), "topics")),
        recorded_at=now,
        recorded_by=user,
        version=F("version") + 1,
        updated_at=now,
    )
    if updated != 1:
        raise _stale(meeting)
    meeting.refresh_from_db()
    _event(
        meeting,
        MeetingAction.HELD,
        actor=user,
        now=now,
        starts_at=_iso(starts_at),
        minutes=held_minutes,
        mode=mode,
        **_length_detail(outside),
    )
    _invite_feedback(meeting)
    partnership_signals.changed(meeting.partnership, now=now)
    return meeting


@transaction.atomic
def record_past_meeting(
    *,
    partnership: Partnership,
    user: User,
    starts_at: datetime,
    time_zone: str,
    held_minutes: int,
    mode: str,
    topics: str = "",
    now: datetime | None = None,
    length_accepted: bool = False,
) -> Meeting:
    """A meeting held off the platform, recorded after the fact in one step."""
    _require_partner(partnership, user)
    _require_open(partnership)
    now = now or timezone.now()
    _not_in_future(starts_at, now)
    _check_minutes(held_minutes, "held_minutes")
    outside = _check_length(partnership, held_minutes, "held_minutes", accepted=length_accepted)
    meeting = _new_meeting(
        partnership=partnership,
        user=user,
        starts_at=starts_at,
        time_zone=time_zone,
        mode=mode,
        status=Meeting.Status.HELD,
        duration_minutes=held_minutes,
        held_minutes=held_minutes,
        recorded_at=now,
        recorded_by=user,
        off_platform=True,
        topics=_check_text(topics.strip(), "topics"),
        now=now,
    )
    _event(
        meeting,
        MeetingAction.HELD,
        actor=user,
        now=now,
        starts_at=_iso(starts_at),
        minutes=held_minutes,
        mode=mode,
        off_platform=True,
        **_length_detail(outside),
    )
    _invite_feedback(meeting)
    partnership_signals.changed(meeting.partnership, now=now)
    return meeting


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise MeetingError("Say why, so your partner knows.", field="reason")
    return _check_text(reason, "reason", limit=2000)


@transaction.atomic
def reschedule_meeting(
    *,
    meeting: Meeting,
    user: User,
    based_on_version: int,
    starts_at: datetime,
    time_zone: str,
    duration_minutes: int,
    reason: str,
    place: str | None = None,
    now: datetime | None = None,
    length_accepted: bool = False,
) -> Meeting:
    """Move a scheduled meeting. It stays the same meeting, and the same calendar event (its
    SEQUENCE goes up, so calendar programs move it); its history keeps the earlier time."""
    partnership = meeting.partnership
    _require_partner(partnership, user)
    _require_open(partnership)
    _require_scheduled(meeting, "rescheduled")
    _check_zone(time_zone)
    now = now or timezone.now()
    _in_future(starts_at, now)
    _check_minutes(duration_minutes, "duration_minutes")
    outside = _check_length(
        meeting.partnership, duration_minutes, "duration_minutes", accepted=length_accepted
    )
    reason = _reason(reason)
    before = (meeting.starts_at, meeting.time_zone)
    changes = {"starts_at": starts_at, "time_zone": time_zone, "duration_minutes": duration_minutes}
    if place is not None:
        changes["place"] = place.strip()
    updated = Meeting.objects.filter(
        pk=meeting.pk, status=Meeting.Status.SCHEDULED, version=based_on_version
    ).update(
        **changes,
        sequence=F("sequence") + 1,
        version=F("version") + 1,
        updated_at=now,
    )
    if updated != 1:
        raise _stale(meeting)
    meeting.refresh_from_db()
    _event(
        meeting,
        MeetingAction.RESCHEDULED,
        actor=user,
        now=now,
        reason=reason,
        from_starts_at=_iso(before[0]),
        from_time_zone=before[1],
        starts_at=_iso(starts_at),
        time_zone=time_zone,
        minutes=duration_minutes,
        **_length_detail(outside),
    )
    _tell_partner(meeting, user, "rescheduled")
    return meeting


def _mark_cancelled(meeting: Meeting, now: datetime, **still) -> bool:
    """Cancel `meeting` if it is still scheduled (and matches `still`): one conditional
    UPDATE, so of two racing changes only one applies. The SEQUENCE goes up for calendars."""
    updated = Meeting.objects.filter(
        pk=meeting.pk, status=Meeting.Status.SCHEDULED, **still
    ).update(
        status=Meeting.Status.CANCELLED,
        cancelled_at=now,
        sequence=F("sequence") + 1,
        version=F("version") + 1,
        updated_at=now,
    )
    return updated == 1


@transaction.atomic
def cancel_meeting(
    *,
    meeting: Meeting,
    user: User,
    based_on_version: int,
    reason: str,
    now: datetime | None = None,
) -> Meeting:
    partnership = meeting.partnership
    _require_partner(partnership, user)
    _require_open(partnership)
    _require_scheduled(meeting, "cancelled")
    reason = _reason(reason)
    now = now or timezone.now()
    if not _mark_cancelled(meeting, now, version=based_on_version):
        raise _stale(meeting)
    meeting.refresh_from_db()
    _event(meeting, MeetingAction.CANCELLED, actor=user, reason=reason, now=now)
    _tell_partner(meeting, user, "cancelled")
    return meeting


@transaction.atomic
def cancel_meetings_of_ended(
    *, partnership: Partnership, actor: User | None, now: datetime | None = None
) -> list[Meeting]:
    """A partnership that has ended (concluded, ended early, pairing undone) keeps no meeting
    still to come: each is cancelled (its SEQUENCE goes up, an event says the partnership
    ended) and both partners are emailed the files that remove them from their calendars.
    Meetings already past are left as they were. Called by the services that end a
    partnership, in their transaction, after the status has changed."""
    if partnership.is_open:
        raise MeetingError("Meetings are cancelled this way only once the partnership has ended.")
    now = now or timezone.now()
    cancelled = []
    for meeting in partnership.meetings.filter(
        status=Meeting.Status.SCHEDULED, starts_at__gt=now
    ).order_by("starts_at", "pk"):
        # A meeting a partner cancelled or recorded meanwhile is left to them (their own
        # change already told the other).
        if not _mark_cancelled(meeting, now):
            continue
        meeting.refresh_from_db()
        _event(
            meeting,
            MeetingAction.CANCELLED,
            actor=actor,
            now=now,
            partnership_ended=partnership.status,
        )
        cancelled.append(meeting)
    if cancelled:
        from mentorpact.meetings import tasks

        ids = [meeting.pk for meeting in cancelled]
        transaction.on_commit(
            lambda: tasks.tell_partners_meetings_cancelled.enqueue(
                partnership_id=partnership.pk, meeting_ids=ids
            )
        )
    return cancelled


# --- Notes ----------------------------------------------------------------------------------


def _note_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise MeetingError("Write something in the note.", field="body")
    return _check_text(body, "body", limit=MAX_NOTE_CHARS)


def _visibility(visibility: str) -> str:
    if visibility not in Note.Visibility.values:
        raise MeetingError("Choose who sees the note.", field="visibility")
    return visibility


@transaction.atomic
def add_note(
    *,
    partnership: Partnership,
    user: User,
    body: str,
    visibility: str,
    meeting: Meeting | None = None,
    now: datetime | None = None,
) -> Note:
    _require_partner(partnership, user)
    _require_open(partnership)
    if meeting is not None and meeting.partnership_id != partnership.pk:
        raise MeetingError("That meeting belongs to another partnership.")
    now = now or timezone.now()
    note = Note(
        partnership=partnership,
        meeting=meeting,
        author=user,
        visibility=_visibility(visibility),
        created_at=now,
        updated_at=now,
    )
    note.body = _note_body(body)
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def edit_note(*, note: Note, user: User, body: str, visibility: str, based_on_version: int) -> Note:
    if note.author_id != user.pk:
        raise PermissionDenied("Only its author can change a note.")
    _require_open(note.partnership)
    if crypto.is_unreadable(note.body):
        raise MeetingError(
            "This note cannot be decrypted with this installation's keys, so it cannot be "
            "changed: ask your administrator to configure the missing key."
        )
    body, visibility = _note_body(body), _visibility(visibility)
    return _update_own(
        note,
        based_on_version,
        "This note",
        body_token=crypto.encrypt(body),
        visibility=visibility,
    )


def _update_own(
    row, based_on_version: int | None, what: str, *, now: datetime | None = None, **changes
):
    """Change one's own note or feedback, unless it changed since `based_on_version` (in
    another window): a conditional UPDATE, so of two saves only the first wins. None (a
    form for new feedback, sent when some was saved meanwhile) matches no row: refused."""
    updated = (
        type(row)
        .objects.filter(pk=row.pk, version=based_on_version)
        .update(**changes, version=F("version") + 1, updated_at=now or timezone.now())
    )
    if updated != 1:
        raise MeetingError(
            f"{what} was changed in another window after you opened it, so this change was "
            "not saved. What you wrote is kept below: check it and save again."
        )
    row.refresh_from_db()
    return row


# --- Feedback -------------------------------------------------------------------------------


@transaction.atomic
def submit_feedback(
    *,
    meeting: Meeting,
    user: User,
    answers: list[str],
    shared_with_partner: bool,
    based_on_version: int | None = None,
    now: datetime | None = None,
) -> Feedback:
    """Save this person's answers to the program's questions about a held meeting (again,
    to change them: `based_on_version` names the saved answers the change started from)."""
    partnership = meeting.partnership
    role = _require_partner(partnership, user)
    _require_open(partnership)
    if meeting.is_cancelled:
        raise MeetingError("This meeting was cancelled: there is no session to give feedback on.")
    if not meeting.is_held:
        raise MeetingError("Feedback opens once the meeting is recorded as held.")
    terms = meeting_terms(partnership)
    if not terms.feedback_from():
        raise MeetingError(NO_FEEDBACK)
    if role not in terms.feedback_from():
        raise MeetingError(
            f"Your program asks the {' and the '.join(terms.feedback_from())} for feedback "
            "after each session, not the " + role + "."
        )
    questions = terms.feedback_questions()
    answers = [answer.strip() for answer in answers]
    if len(answers) != len(questions):
        raise MeetingError("Answer the questions as they are shown.")
    for i, answer in enumerate(answers):
        _check_text(answer, f"answer_{i}")
    if not any(answers):
        raise MeetingError("Answer at least one question.", field="answer_0")
    payload = json.dumps(
        [{"question": q, "answer": a} for q, a in zip(questions, answers, strict=True)],
        ensure_ascii=False,
    )
    existing = meeting.feedback.filter(author=user).first()
    now = now or timezone.now()
    if existing is None:
        feedback = Feedback(
            meeting=meeting,
            author=user,
            role=role,
            shared_with_partner=shared_with_partner,
            created_at=now,
            updated_at=now,
        )
        feedback.answers_json = payload
        feedback.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                feedback.save()
        except IntegrityError:  # the same person submitting twice at once
            raise MeetingError("Your feedback on this meeting was already saved.") from None
        return feedback
    return _update_own(
        existing,
        based_on_version,
        "Your feedback",
        answers_token=crypto.encrypt(payload),
        shared_with_partner=shared_with_partner,
        now=now,
    )


def send_feedback_invitations(*, meeting: Meeting) -> int:
    """Email the partners the program asks for feedback (once per meeting); how many went."""
    from mentorpact.meetings import emails

    asked = meeting_terms(meeting.partnership).feedback_from()
    if not asked:
        return 0  # the form asks no questions after a session
    now = timezone.now()
    claimed = Meeting.objects.filter(
        pk=meeting.pk, status=Meeting.Status.HELD, feedback_invited_at__isnull=True
    ).update(feedback_invited_at=now)
    if claimed != 1:
        return 0
    partnership = meeting.partnership
    answered = set(meeting.feedback.values_list("author_id", flat=True))
    people = [partnership.mentee if role == "mentee" else partnership.mentor for role in asked]
    people = [person for person in people if person.pk not in answered]
    try:
        for person in people:
            emails.send_feedback_invitation(meeting=meeting, person=person)
    except Exception:
        # Unclaim, so running the task again sends the emails.
        Meeting.objects.filter(pk=meeting.pk, feedback_invited_at=now).update(
            feedback_invited_at=None
        )
        raise
    _event(meeting, MeetingAction.FEEDBACK_INVITED, actor=None, invited=len(people))
    return len(people)


# --- Calendar feeds -------------------------------------------------------------------------


def feed_token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_calendar_feed(*, user: User) -> str:
    """A new private feed URL token for this person; any earlier one stops working. Only its
    hash is kept, so the token is shown once."""
    revoke_calendar_feed(user=user)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, token_sha256=feed_token_sha256(token))
    return token


@transaction.atomic
def revoke_calendar_feed(*, user: User) -> bool:
    revoked = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return revoked > 0
