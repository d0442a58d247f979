"""Background work for meetings, run by `manage.py db_worker`. Ids as arguments: a task may
run long after it was enqueued, so it reads the rows fresh."""

from django.tasks import task

from mentorpact.accounts.models import User
from mentorpact.meetings import emails, services
from mentorpact.meetings.models import Meeting
from mentorpact.partnerships.models import Partnership


def _meeting(meeting_id: int) -> Meeting:
    return Meeting.objects.select_related(
        "partnership__mentor", "partnership__mentee", "partnership__program"
    ).get(pk=meeting_id)


@task
def tell_partner_about_change(meeting_id: int, actor_id: int, change: str) -> None:
    emails.send_change_notice(
        meeting=_meeting(meeting_id), actor=User.objects.get(pk=actor_id), change=change
    )


@task
def invite_feedback(meeting_id: int) -> None:
    services.send_feedback_invitations(meeting=_meeting(meeting_id))


@task
def tell_partners_meetings_cancelled(partnership_id: int, meeting_ids: list[int]) -> None:
    partnership = Partnership.objects.select_related("mentor", "mentee", "program").get(
        pk=partnership_id
    )
    meetings = list(
        Meeting.objects.select_related("partnership__mentor", "partnership__mentee", "organiser")
        .filter(pk__in=meeting_ids, partnership=partnership)
        .order_by("starts_at", "pk")
    )
    emails.send_ended_cancellations(partnership=partnership, meetings=meetings)
