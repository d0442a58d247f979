"""Background work for matching, run by `manage.py db_worker`: ids as arguments, rows read
fresh, every email through the outbox under a key (a task run twice sends once)."""

from django.tasks import task
from django.urls import reverse

from mentorpact.accounts.models import User
from mentorpact.lib import emails
from mentorpact.outbox.services import post
from mentorpact.programs.models import Program


@task
def send_profile_reminders(program_id: int, user_ids: list[int], day: str) -> None:
    program = Program.objects.get(pk=program_id)
    link = emails.absolute(reverse("matching:profile", args=[program.public_id]))
    for person in User.objects.filter(pk__in=user_ids):
        post(
            "matching-reminder",
            # One reminder a person a day, however often the coordinator presses the button.
            key=f"matching-reminder:{program.pk}:{person.pk}:{day}",
            to=person.email,
            program_id=program.pk,
            context={"program": program, "person": person, "link": link},
        )
