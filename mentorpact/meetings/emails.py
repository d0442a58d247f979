"""The meeting emails (templates/emails/meeting-*): a change told to the partner, with the
calendar file attached, the meetings cancelled because the partnership ended (to both), and
the invitation to give feedback after a held meeting. Neither
carries an agenda, topics or a reason: the email links to the meeting's page."""

from django.urls import reverse

from mentorpact.lib.emails import absolute
from mentorpact.meetings import ical
from mentorpact.meetings.models import Meeting
from mentorpact.meetings.templatetags.meetings import when_text
from mentorpact.outbox.services import post


def _context(meeting: Meeting, person) -> dict:
    partnership = meeting.partnership
    return {
        "meeting": meeting,
        "partnership": partnership,
        "person": person,
        "partner": partnership.partner_of(person),
        "when": when_text(meeting.starts_at, meeting.time_zone, person.time_zone),
        "url": ical.meeting_url(meeting),
    }


def send_change_notice(*, meeting: Meeting, actor, change: str) -> None:
    """Tell the partner of `actor` that a meeting was scheduled, rescheduled or cancelled."""
    partnership = meeting.partnership
    person = partnership.partner_of(actor)
    post(
        "meeting-changed",
        key=f"meeting-changed:{meeting.pk}:{meeting.sequence}:{change}:{person.pk}",
        to=person.email,
        program_id=partnership.program_id,
        partnership_id=partnership.pk,
        context={**_context(meeting, person), "actor": actor, "change": change},
        files=[(ical.ics_filename(meeting), ical.meeting_ics(meeting), "text/calendar")],
    )


def send_feedback_invitation(*, meeting: Meeting, person) -> None:
    partnership = meeting.partnership
    url = absolute(reverse("meetings:feedback", args=[partnership.public_id, meeting.public_id]))
    post(
        "meeting-feedback",
        key=f"meeting-feedback:{meeting.pk}:{person.pk}",
        to=person.email,
        context={**_context(meeting, person), "url": url},
        program_id=partnership.program_id,
        partnership_id=partnership.pk,
    )


def send_ended_cancellations(*, partnership, meetings: list[Meeting]) -> None:
    """Tell both partners that the partnership's meetings still to come are cancelled because
    it ended: one email each, a calendar file per meeting (METHOD:CANCEL) attached."""
    if not meetings:
        return
    files = [(ical.ics_filename(m), ical.meeting_ics(m), "text/calendar") for m in meetings]
    for person in (partnership.mentor, partnership.mentee):
        when = [when_text(m.starts_at, m.time_zone, person.time_zone) for m in meetings]
        post(
            "meetings-ended",
            key=f"meetings-ended:{partnership.pk}:{person.pk}",
            to=person.email,
            program_id=partnership.program_id,
            partnership_id=partnership.pk,
            context={
                "partnership": partnership,
                "person": person,
                "partner": partnership.partner_of(person),
                "status": partnership.get_status_display().lower(),
                "when": when,
                "url": absolute(reverse("meetings:log", args=[partnership.public_id])),
            },
            files=files,
        )
