"""Cora, Mia and Theo (mentorpact.test) with a built-in seed template on their program, and
helpers to sign its agreement and to put meetings in every state.

"Now" in these tests is Monday 23 November 2026, 10:00 UTC (the demo's day): each test runs
inside time_machine, so "tomorrow" and "yesterday" are fixed.
"""

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django.test import TestCase
from django.urls import reverse

from mentorpact.agreement_templates.models import AgreementTemplate, TemplateVersion
from mentorpact.agreement_templates.schema import builtin_templates, load_template
from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements import selectors as agreement_selectors
from mentorpact.agreements import services as agreement_services
from mentorpact.agreements.models import AgreementVersion
from mentorpact.agreements.tests.base import draft_of
from mentorpact.meetings import services
from mentorpact.meetings.models import Meeting, Note
from mentorpact.partnerships import services as partnership_services
from mentorpact.test import PersonasMixin

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
TOMORROW = NOW + timedelta(days=1)
YESTERDAY = NOW - timedelta(days=1)

# What Mia and Theo agree in the university pilot's form.
PILOT_AGREEMENT: dict[str, dict] = {
    "mentor": {
        "confidentiality": {"mentor": True},
        "organiser": "mentee",
        "meeting_modes": ["online", "telephone"],
        "cancellation": "We tell each other a day ahead and suggest two new times.",
    },
    "mentee": {
        "confidentiality": {"mentee": True},
        "mentee_goals": [
            {"goal": "Submit my first grant proposal", "measure": "It is submitted"},
            {"goal": "Build a network in my field", "measure": "Three new contacts"},
        ],
    },
}


def install_builtin(slug: str) -> AgreementTemplate:
    """The built-in seed template `slug` as a stored template with one version."""
    source = builtin_templates()[slug]
    template, _ = AgreementTemplate.objects.get_or_create(
        slug=slug, defaults={"title": slug, "is_builtin": True}
    )
    if not template.versions.exists():
        TemplateVersion.objects.create(
            template=template,
            number=1,
            source=source,
            definition=load_template(source, filename=f"{slug}.yaml").to_dict(),
            source_sha256=hashlib.sha256(source.encode()).hexdigest(),
        )
    return template


def sign_agreement(partnership, parts: dict[str, dict]) -> AgreementVersion:
    """Mentor and mentee fill in their parts and both sign: the agreement comes into effect."""
    agreement = agreement_services.start_agreement(
        partnership=partnership, actor=partnership.mentor
    )
    people = {"mentor": partnership.mentor, "mentee": partnership.mentee}
    for role, values in parts.items():
        draft = draft_of(agreement)
        agreement_services.save_draft(
            agreement=agreement, user=people[role], values=values, based_on_revision=draft.revision
        )
    for person in people.values():
        version = draft_of(agreement)
        agreement_services.give_esign_consent(
            user=person, agreement=agreement, ip="127.0.0.1", user_agent="test"
        )
        role = partnership.role_of(person)
        agreement_services.sign_agreement(
            version=version,
            user=person,
            typed_name=person.full_name,
            intent_statement=agreement_selectors.signing_statement(
                version=version, user=person, role=role
            ),
            ip="127.0.0.1",
            user_agent="test",
            content_sha256_shown=version.content_sha256,
            revision_shown=version.revision,
        )
    partnership.refresh_from_db()
    return AgreementVersion.objects.get(agreement=agreement, status="in_effect")


class MeetingsMixin(PersonasMixin):
    template_slug = "university-pilot"

    def setUp(self) -> None:
        self.clock = time_machine.travel(NOW, tick=False)
        self.clock.start()
        self.addCleanup(self.clock.stop)
        super().setUp()
        set_template(self.program, install_builtin(self.template_slug))

    def url(self, name: str, *args) -> str:
        """A meetings URL of the persona partnership: url("detail", meeting)."""
        ids = [getattr(arg, "public_id", arg) for arg in args]
        return reverse(f"meetings:{name}", args=[self.partnership.public_id, *ids])

    def htmx(self, **headers) -> dict:
        return {"HX-Request": "true", **headers}

    def clock_at(self, moment):
        """Travel from the tests' fixed "now" to `moment` for the block, and back."""
        return time_machine.travel(moment, tick=False)

    def sign_pilot_agreement(self) -> AgreementVersion:
        return sign_agreement(self.partnership, PILOT_AGREEMENT)

    def schedule(self, user=None, **overrides) -> Meeting:
        arguments: dict[str, Any] = {
            "partnership": self.partnership,
            "user": user or self.theo,
            "starts_at": TOMORROW,
            "time_zone": "Europe/London",
            "duration_minutes": 60,
            "mode": "online",
            "place": "https://meet.example.org/mia-theo",
            "agenda": "Grant proposal outline",
        }
        return services.schedule_meeting(**(arguments | overrides))

    def held(self, meeting: Meeting | None = None, user=None, **overrides) -> Meeting:
        """A meeting that took place yesterday, recorded as held."""
        if meeting is None:
            with time_machine.travel(NOW - timedelta(days=3), tick=False):
                meeting = self.schedule(starts_at=YESTERDAY)
        arguments: dict[str, Any] = {
            "meeting": meeting,
            "user": user or self.theo,
            "based_on_version": meeting.version,
            "starts_at": meeting.starts_at,
            "held_minutes": 50,
            "mode": meeting.mode,
            "topics": "Budget section",
        }
        return services.record_held_meeting(**(arguments | overrides))

    def note(self, user=None, **overrides) -> Note:
        arguments: dict[str, Any] = {
            "partnership": self.partnership,
            "user": user or self.theo,
            "body": "Ask Mia about the budget table.",
            "visibility": Note.Visibility.PRIVATE,
        }
        return services.add_note(**(arguments | overrides))

    def close_partnership(self, status: str = "concluded") -> None:
        if self.partnership.status == "drafting":
            partnership_services.change_status(
                partnership=self.partnership, to_status="active", actor=self.cora
            )
        partnership_services.change_status(
            partnership=self.partnership, to_status=status, actor=self.cora
        )


class MeetingsTestCase(MeetingsMixin, PersonasMixin, TestCase):
    pass
