"""Objects the access matrix probes the program office's URLs with, made once per test case."""

from mentorpact.office import services, tokens
from mentorpact.office.models import Invitation


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
