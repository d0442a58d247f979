"""Objects the access matrix probes the program office's URLs with, made once per test case."""

from django.utils import timezone

from mentorpact.lib.emails import Rendered
from mentorpact.office import services, tokens
from mentorpact.office.models import Invitation
from mentorpact.outbox import services as outbox_services
from mentorpact.outbox.models import Email


def _once(t, name, make):
    if not hasattr(t, name):
        setattr(t, name, make())
    return getattr(t, name)


def ivys_invitation(t) -> Invitation:
    """Ivy, new to Mentorpact, invited by Cora as a mentee of the persona program."""

    def invite():
        services.enrol_people(
            program=t.program,
            people=[services.Person(email="ivy@example.org", full_name="Ivy New", role="mentee")],
            actor=t.cora,
        )
        return Invitation.objects.get(user__email="ivy@example.org")

    return _once(t, "office_invitation", invite)


def invitation_kwargs(t) -> dict:
    return {"program_id": t.program.public_id, "invitation_id": ivys_invitation(t).public_id}


def upload_kwargs(t) -> dict:
    upload = _once(
        t,
        "office_upload",
        lambda: services.save_upload(
            program=t.program,
            actor=t.cora,
            filename="people.csv",
            content=b"email,name,role\nivo@example.org,Ivo,mentor\n",
        ),
    )
    return {"program_id": t.program.public_id, "upload_id": upload.public_id}


def accept_kwargs(t) -> dict:
    return {"token": tokens.make(ivys_invitation(t))}


def given_up_email_kwargs(t) -> dict:
    """An email to Theo that the sender gave up on (made anew each probe: a retry clears it)."""
    email = outbox_services.enqueue(
        key=f"probe:{Email.objects.count()}",
        kind="agreement-signed",
        to="theo@example.org",
        rendered=Rendered(subject="s", body="b", html="h"),
        program_id=t.program.pk,
    )
    Email.objects.filter(pk=email.pk).update(gave_up_at=timezone.now(), attempts=5)
    return {"program_id": t.program.public_id, "email_id": email.public_id}
