"""Background work for the program office, run by `manage.py db_worker`. Ids as arguments:
the rows are read fresh, so a link revoked or re-sent before the task runs is not emailed."""

from django.tasks import task
from django.urls import reverse

from mentorpact.lib import emails
from mentorpact.office import services, tokens
from mentorpact.office.models import Invitation
from mentorpact.outbox.services import post
from mentorpact.programs.models import Enrolment


@task
def send_invitations(invitation_ids: list[int]) -> None:
    """Straight through the mail backend, not the outbox: the email carries a link that opens
    an account, which is never kept at rest (a lost one is sent again from the People page)."""
    invitations = Invitation.objects.filter(
        pk__in=invitation_ids, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("program", "user", "invited_by")
    for invitation in invitations:
        link = reverse("office:accept", kwargs={"token": tokens.make(invitation)})
        emails.send(
            "invitation",
            to=[invitation.user.email],
            context={
                "invitation": invitation,
                "program": invitation.program,
                "person": invitation.user,
                "role": invitation.get_role_display().lower(),
                "link": emails.absolute(link),
                "days": tokens.max_age().days,
            },
        )


@task
def send_enrolment_notices(enrolment_ids: list[int]) -> None:
    for enrolment in Enrolment.objects.filter(pk__in=enrolment_ids).select_related(
        "program", "user"
    ):
        post(
            "enrolled",
            key=f"enrolled:{enrolment.pk}:{enrolment.created_at.timestamp()}",
            to=enrolment.user.email,
            program_id=enrolment.program_id,
            context={
                "program": enrolment.program,
                "person": enrolment.user,
                "role": enrolment.get_role_display().lower(),
                "link": emails.absolute(reverse("home")),
            },
        )


@task
def import_people(upload_id: int) -> None:
    """A previewed people file, imported by the worker: services.run_import."""
    services.run_import(upload_id=upload_id)
