"""The emails pairing sends (templates/emails/pairing-*), run by tasks: each partner learns who
the other is, what the program asks of them first and when their agreement is due."""

from django.urls import reverse

from mentorpact.agreement_templates.rules import effective_rules
from mentorpact.lib.emails import absolute
from mentorpact.outbox.services import post
from mentorpact.partnerships.models import Partnership


def first_steps(partnership: Partnership) -> list[str]:
    """What the program asks of a new pair first, in words (dates and rules only)."""
    rules = effective_rules(partnership.program)
    due = partnership.agreement_due_on
    steps = [
        "Draft your mentoring agreement together in Mentorpact and both sign it"
        + (f" by {due.day} {due:%B %Y}." if due else ".")
    ]
    if rules.first_meeting_within_weeks:
        weeks = rules.first_meeting_within_weeks
        steps.append(f"Hold your first meeting within {weeks} week{'s' if weeks != 1 else ''}.")
    return steps


def paired(partnership: Partnership) -> None:
    url = absolute(reverse("partnerships:detail", args=[partnership.public_id]))
    steps = first_steps(partnership)
    for person, role in ((partnership.mentor, "mentor"), (partnership.mentee, "mentee")):
        post(
            "pairing-paired",
            key=f"pairing-paired:{partnership.pk}:{person.pk}",
            to=person.email,
            program_id=partnership.program_id,
            partnership_id=partnership.pk,
            context={
                "person": person,
                "role": role,
                "partner": partnership.partner_of(person),
                "partner_role": "mentee" if role == "mentor" else "mentor",
                "program": partnership.program,
                "due_on": partnership.agreement_due_on,
                "steps": steps,
                "partnership_url": url,
            },
        )


def unpaired(partnership: Partnership) -> None:
    for person in (partnership.mentor, partnership.mentee):
        post(
            "pairing-undone",
            key=f"pairing-undone:{partnership.pk}:{person.pk}",
            to=person.email,
            program_id=partnership.program_id,
            partnership_id=partnership.pk,
            context={
                "person": person,
                "partner": partnership.partner_of(person),
                "program": partnership.program,
            },
        )
