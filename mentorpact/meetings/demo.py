"""The demo's meetings, notes and feedback: `manage.py load_demo` runs `ensure_meetings` through
mentorpact.demo.ensure_meeting_stages. "Today" is Monday 23 November 2026.

Every partnership that has started meets at its program's rhythm from its first day to today
(or to the day it closed): held meetings with agendas and topics, one cancelled with a reason,
notes shared and private, and the mentee's feedback on most sessions (the last one is still
due). Open pairs have their next meeting scheduled; Mia and Theo's remote partnership has one
that was moved. New pairs are at their first meeting, where the forms say the agreement is
made: one scheduled, one held off the platform and recorded afterwards.

The rows are written as history (the partnerships the demo has already closed are read-only
to the services) with the clock set to each moment, so their timestamps tell the story. No
emails or tasks result: a demo's past meetings were announced and invited long ago. A
partnership that has any meeting is left alone, so a second run changes nothing.
"""

import datetime
import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from mentorpact.agreement_templates import selectors as template_selectors
from mentorpact.meetings import services
from mentorpact.meetings.models import Feedback, Meeting, MeetingAction, Note
from mentorpact.meetings.selectors import meeting_terms
from mentorpact.partnerships.models import Partnership

TODAY = date(2026, 11, 23)

# Per program (by its template): how often the pair meets, where, and at what local time.
RHYTHM = {
    "red-peer-mentoring": (timedelta(days=28), "America/Chicago", time(9, 30)),
    "aspe-partnership": (timedelta(days=21), "America/New_York", time(8, 0)),
    "whprms-partnership": (timedelta(days=21), "America/Denver", time(12, 0)),
    "university-pilot": (timedelta(days=14), "Europe/London", time(14, 0)),
    "remote-planning": (timedelta(days=14), "Europe/Berlin", time(16, 0)),
}
AGENDAS = (
    "Where you are now and what you want from this year",
    "The goals in our agreement: which first?",
    "Your draft, and who should read it next",
    "Saying no to extra work without burning bridges",
    "Preparing for the review in January",
    "Networking at the spring conference",
)
TOPICS = (
    "We agreed two goals and how we will know we reached them.",
    "Went through the draft section by section; three things to rewrite.",
    "Practised the conversation with the head of department.",
    "Talked about workload and which meetings to drop.",
    "Planned who to meet at the conference and what to ask them.",
    "Reviewed progress on both goals: one done, one halfway.",
)
MENTEE_NOTES = (
    ("shared", "Sent you the outline we talked about. Comments welcome before Friday."),
    ("private", "I was more nervous than I expected when we talked about the review."),
    ("shared", "Read the two papers you suggested; the second one is the model I want."),
)
MENTOR_NOTES = (
    ("private", "Next time: ask what is behind the hesitation about the new role."),
    ("shared", "The article on writing budgets I mentioned is in our shared folder."),
)
FEEDBACK = (
    "Very useful: I left with a clear next step.",
    "More time on my draft; less on the admin side.",
    "I felt better once we broke the goal into steps.",
    "Yes: I will block two mornings a week for writing.",
)
CANCEL_REASONS = (
    "I have to cover a colleague's teaching that day, sorry.",
    "Flu. Can we find another slot next week?",
)


@contextmanager
def _clock(moment: datetime.datetime) -> Iterator[None]:
    """Timestamps written inside read `moment` (a second later at each reading)."""
    seconds = itertools.count()
    with mock.patch(
        "django.utils.timezone.now", side_effect=lambda: moment + timedelta(seconds=next(seconds))
    ):
        yield


def _local(day: date, at: time, zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _pick(items: tuple, n: int):
    return items[n % len(items)]


class _Pair:
    """One partnership's story: its rhythm, the ways it meets, its people."""

    def __init__(self, partnership: Partnership):
        self.p = partnership
        template = template_selectors.chosen_template(partnership.program)
        assert template is not None, "every seed program has a template"
        slug = template.slug
        self.gap, self.zone, self.at = RHYTHM[slug]
        self.modes = [key for key, _label in meeting_terms(partnership).mode_choices()]
        self.place = "https://meet.example.org/" + partnership.mentee.email.split("@")[0]

    def new(self, n: int, day: date, organiser, *, at: time | None = None, **fields) -> Meeting:
        starts = _local(day, at or self.at, self.zone)
        fields.setdefault("duration_minutes", 60)
        return services._new_meeting(
            partnership=self.p,
            user=organiser,
            starts_at=starts,
            time_zone=self.zone,
            mode=_pick(tuple(self.modes[:2]), n),
            place=self.place,
            agenda=_pick(AGENDAS, n),
            **fields,
        )

    def scheduled(self, n: int, day: date, *, announced: date, at: time | None = None) -> Meeting:
        with _clock(_local(announced, time(18, 0), self.zone)):
            meeting = self.new(n, day, self.p.mentee, at=at)
            meeting.original_starts_at = meeting.starts_at
            meeting.save(update_fields=["original_starts_at"])
            services._event(
                meeting,
                MeetingAction.SCHEDULED,
                actor=self.p.mentee,
                starts_at=services._iso(meeting.starts_at),
                time_zone=self.zone,
                minutes=meeting.duration_minutes,
            )
        return meeting

    def held(self, n: int, day: date, *, off_platform: bool = False) -> Meeting:
        if off_platform:
            recorded = _local(day, time(20, 0), self.zone)
            with _clock(recorded):
                meeting = self.new(
                    n,
                    day,
                    self.p.mentee,
                    status=Meeting.Status.HELD,
                    held_minutes=30,
                    duration_minutes=30,
                    off_platform=True,
                    topics=_pick(TOPICS, n),
                    recorded_by=self.p.mentee,
                    recorded_at=recorded,
                    feedback_invited_at=recorded,
                )
                services._event(
                    meeting,
                    MeetingAction.HELD,
                    actor=self.p.mentee,
                    starts_at=services._iso(meeting.starts_at),
                    minutes=30,
                    mode=meeting.mode,
                    off_platform=True,
                )
            return meeting
        meeting = self.scheduled(n, day, announced=day - timedelta(days=7))
        after = _local(day, self.at, self.zone) + timedelta(hours=2)
        with _clock(after):
            recorder = self.p.mentee if n % 3 else self.p.mentor
            Meeting.objects.filter(pk=meeting.pk).update(
                status=Meeting.Status.HELD,
                held_minutes=50 + (n % 3) * 10,
                topics_token=services.crypto.encrypt(_pick(TOPICS, n)),
                recorded_at=after,
                recorded_by=recorder,
                feedback_invited_at=after,
                version=2,
                updated_at=after,
            )
            meeting.refresh_from_db()
            services._event(
                meeting,
                MeetingAction.HELD,
                actor=recorder,
                starts_at=services._iso(meeting.starts_at),
                minutes=meeting.held_minutes,
                mode=meeting.mode,
            )
        return meeting

    def cancelled(self, n: int, day: date) -> Meeting:
        meeting = self.scheduled(n, day, announced=day - timedelta(days=7))
        when = _local(day - timedelta(days=1), time(8, 0), self.zone)
        with _clock(when):
            Meeting.objects.filter(pk=meeting.pk).update(
                status=Meeting.Status.CANCELLED,
                cancelled_at=when,
                sequence=1,
                version=2,
                updated_at=when,
            )
            meeting.refresh_from_db()
            services._event(
                meeting,
                MeetingAction.CANCELLED,
                actor=self.p.mentor,
                reason=_pick(CANCEL_REASONS, n),
            )
        return meeting

    def moved(self, n: int, day: date, to: date) -> Meeting:
        meeting = self.scheduled(n, day, announced=day - timedelta(days=10))
        when = _local(day - timedelta(days=3), time(9, 0), self.zone)
        with _clock(when):
            before = meeting.starts_at
            Meeting.objects.filter(pk=meeting.pk).update(
                starts_at=_local(to, self.at, self.zone), sequence=1, version=2, updated_at=when
            )
            meeting.refresh_from_db()
            services._event(
                meeting,
                MeetingAction.RESCHEDULED,
                actor=self.p.mentor,
                reason="A workshop moved onto our usual slot; the contingency plan says Thursday.",
                from_starts_at=services._iso(before),
                from_time_zone=self.zone,
                starts_at=services._iso(meeting.starts_at),
                time_zone=self.zone,
                minutes=meeting.duration_minutes,
            )
        return meeting

    def notes_and_feedback(self, n: int, meeting: Meeting, *, feedback: bool) -> None:
        evening = meeting.starts_at + timedelta(hours=6)
        with _clock(evening):
            visibility, body = _pick(MENTEE_NOTES, n)
            self.note(self.p.mentee, body, visibility, meeting)
            if n % 2 == 0:
                visibility, body = _pick(MENTOR_NOTES, n // 2)
                self.note(self.p.mentor, body, visibility, meeting)
            if feedback:
                terms = meeting_terms(self.p)
                item = Feedback(
                    meeting=meeting,
                    author=self.p.mentee,
                    role="mentee",
                    shared_with_partner=n % 2 == 1,
                )
                item.answers_json = json.dumps(
                    [
                        {"question": q, "answer": a}
                        for q, a in zip(terms.feedback_questions(), FEEDBACK, strict=False)
                    ],
                    ensure_ascii=False,
                )
                item.full_clean()
                item.save()

    def note(self, author, body: str, visibility: str, meeting: Meeting | None = None) -> Note:
        note = Note(partnership=self.p, meeting=meeting, author=author, visibility=visibility)
        note.body = body
        note.full_clean()
        note.save()
        return note


def _story(pair: _Pair) -> None:
    p = pair.p
    names = (p.mentor.email.split("@")[0], p.mentee.email.split("@")[0])
    if p.status == Partnership.Status.DRAFTING or p.started_on is None:
        matched = p.created_at.date()
        if names == ("mia", "theo") or names == ("rahul.mehta", "grace.kim"):
            # The first meeting, where they will make the agreement.
            pair.scheduled(0, TODAY + timedelta(days=3), announced=matched + timedelta(days=1))
        elif names == ("yasmin.haddad", "noah.goldberg"):
            first = pair.held(0, matched + timedelta(days=3), off_platform=True)
            pair.notes_and_feedback(0, first, feedback=False)
        elif p.status == Partnership.Status.ENDED_EARLY:
            pair.cancelled(0, matched + timedelta(days=7))
        return
    last_day = TODAY if p.is_open else p.status_changed_at.date()
    days = []
    day = p.started_on
    while day < last_day:
        days.append(day)
        day += pair.gap
    held = []
    for n, meeting_day in enumerate(days):
        if n == 2 and len(days) > 4:  # one of the later meetings fell through
            pair.cancelled(n, meeting_day)
        else:
            held.append((n, pair.held(n, meeting_day)))
    n = len(days)
    for i, (number, meeting) in enumerate(held):
        # The mentee answers after every session but the last, which is still due.
        pair.notes_and_feedback(number, meeting, feedback=i < len(held) - 1 or not p.is_open)
    last = held[-1][1].starts_at if held else _local(p.started_on, pair.at, pair.zone)
    with _clock(last + timedelta(days=2)):
        pair.note(p.mentor, MENTOR_NOTES[1][1], "shared")  # a free entry, about no meeting
    if p.is_open and names == ("mia", "theo"):
        pair.moved(n, day, day + timedelta(days=2))
        pair.scheduled(n + 1, day + pair.gap, announced=TODAY - timedelta(days=2))
    elif p.is_open:
        pair.scheduled(n, max(day, TODAY + timedelta(days=2)), announced=TODAY - timedelta(days=3))


def ensure_meetings() -> None:
    partnerships = (
        Partnership.objects.filter(program__template_choice__template__slug__in=list(RHYTHM))
        .select_related("program__template_choice__template", "mentor", "mentee")
        .order_by("pk")
    )
    for partnership in partnerships:
        if partnership.meetings.exists():
            continue
        _story(_Pair(partnership))
