"""The meeting emails (templates/emails/meeting-*): a change told to the partner, with the
calendar file attached, and the invitation to give feedback after a held meeting. Neither
carries an agenda, topics or a reason: the email links to the meeting's page."""

from django.urls import reverse

from mentorpact.lib.emails import absolute, send
from mentorpact.meetings import ical
from mentorpact.meetings.models import Meeting
from mentorpact.meetings.templatetags.meetings import when_text


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
    person = meeting.partnership.partner_of(actor)
    send(
        "meeting-changed",
        to=[person.email],
        context={**_context(meeting, person), "actor": actor, "change": change},
        attachments=[(ical.ics_filename(meeting), ical.meeting_ics(meeting), "text/calendar")],
    )


def send_feedback_invitation(*, meeting: Meeting, person) -> None:
    partnership = meeting.partnership
    url = absolute(reverse("meetings:feedback", args=[partnership.public_id, meeting.public_id]))
    send("meeting-feedback", to=[person.email], context={**_context(meeting, person), "url": url})
