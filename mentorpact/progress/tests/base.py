"""Cora, Mia and Theo (mentorpact.test) with one of the built-in seed templates on their
program, and a helper that signs its agreement through the agreements app's services.

Meetings come from the meetings app: `hold_meetings` records held meetings as rows of its
`Meeting` table, which progress reads through the meetings selectors.
"""

import hashlib
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import TestCase
from django.utils import timezone

from mentorpact.agreement_templates.models import AgreementTemplate, TemplateVersion
from mentorpact.agreement_templates.schema import builtin_templates, load_template
from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements import selectors as agreement_selectors
from mentorpact.agreements import services as agreement_services
from mentorpact.agreements.models import Agreement, AgreementVersion
from mentorpact.agreements.tests.base import draft_of
from mentorpact.meetings import services as meeting_services
from mentorpact.meetings.models import Meeting
from mentorpact.partnerships import signals as partnership_signals
from mentorpact.partnerships.models import Partnership
from mentorpact.progress import services
from mentorpact.progress.models import ActionPlan
from mentorpact.test import PersonasMixin

# The day the pair signs, and "today" for most tests (the demo's day is 23 November 2026).
SIGNED_AT = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
TODAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
MATCHED_AT = datetime(2026, 8, 17, 9, 0, tzinfo=UTC)

# What each party fills in, per built-in template: {"mentor": {...}, "mentee": {...}}.
CONTENT: dict[str, dict[str, dict]] = {
    "aspe-partnership": {
        "mentee": {
            "goal": "Become a confident peer reviewer.",
            "objectives": [
                "Review two papers with Mia's comments",
                "Write one review alone",
                "Join a journal's reviewer pool",
            ],
            "months": 6,
            "meeting_modes": {"face_to_face": 3, "phone": 3},
            "schedule": "First Monday of each month",
            "ground_rules": "Be on time; say so when busy.",
            "feedback_method": "Five minutes at the end of each meeting.",
            "confidentiality": {"mentee": True},
        },
        "mentor": {"confidentiality": {"mentor": True}},
    },
    "whprms-partnership": {
        "mentee": {
            "goal": "Lead a risk review at my hospital.",
            "objectives": ["Shadow a review", "Co-lead a review", "Lead a review"],
            "months": 3,
            "meeting_modes": {"face_to_face": 2, "email": 4},
            "schedule": "Every other Thursday",
            "learning_opportunities": [
                {"opportunity": "The annual WHPRMS conference", "venue": "Madison"},
                {"opportunity": "A claims committee meeting", "venue": "Mia's hospital"},
            ],
            "ground_rules": "Honest and kind.",
            "feedback_method": "A short email after each meeting.",
            "confidentiality": {"mentee": True},
        },
        "mentor": {"confidentiality": {"mentor": True}},
    },
    "red-peer-mentoring": {
        "mentee": {
            "mentee_name": "Theo Mentee",
            "mentee_goals": "Submit my first federal grant proposal.",
            "action_plan_owner": "Theo Mentee",
            "meeting_frequency": "Monthly, in person",
            "accountability": "We check the plan at each meeting.",
            "commitment": {"mentee": True},
        },
        "mentor": {
            "mentor_name": "Mia Mentor",
            "mentor_goals": "Learn to mentor a new colleague.",
            "commitment": {"mentor": True},
        },
    },
    "university-pilot": {
        "mentee": {
            "mentee_goals": [
                {"goal": "Submit my first grant proposal", "measure": "It is submitted"},
                {"goal": "Build a network in my field", "measure": "Three new contacts"},
            ],
            "confidentiality": {"mentee": True},
        },
        "mentor": {"confidentiality": {"mentor": True}, "meeting_modes": ["online"]},
    },
    "remote-planning": {
        "mentee": {
            "purpose": "Grow into a team lead.",
            "short_term_goals": [{"goal": "Run the sprint reviews"}],
            "long_term_goals": [{"goal": "Lead a team of five"}],
            "timeframe": "Until the March performance review",
            "end_date": "2027-03-01",
            "meeting_plan": "Video call every second Tuesday",
            "contingency_plan": "Move it to Thursday; skip at most one.",
        },
        "mentor": {},
    },
}


def install_template(slug: str, source: str | None = None) -> AgreementTemplate:
    """The built-in seed template `slug` (or a template of that slug made from `source`),
    stored as a template with one version."""
    builtin = source is None
    source = builtin_templates()[slug] if source is None else source
    template, created = AgreementTemplate.objects.get_or_create(
        slug=slug, defaults={"title": slug, "is_builtin": builtin}
    )
    if created:
        TemplateVersion.objects.create(
            template=template,
            number=1,
            source=source,
            definition=load_template(source, filename=f"{slug}.yaml").to_dict(),
            source_sha256=hashlib.sha256(source.encode()).hexdigest(),
        )
    return template


def sign_as(partnership, version: AgreementVersion, role: str) -> None:
    """The partner in `role` consents (once) and signs `version` as shown to them."""
    user = getattr(partnership, role)
    version.refresh_from_db()
    agreement_services.give_esign_consent(
        user=user, agreement=version.agreement, ip=None, user_agent="test"
    )
    agreement_services.sign_agreement(
        version=version,
        user=user,
        typed_name=user.full_name,
        intent_statement=agreement_selectors.signing_statement(
            version=version, user=user, role=role
        ),
        ip=None,
        user_agent="test",
        content_sha256_shown=version.content_sha256,
        revision_shown=version.revision,
    )


def sign_as_both(partnership, version: AgreementVersion) -> None:
    """The mentee, then the mentor, consent (once) and sign `version` as shown to them."""
    for role in ("mentee", "mentor"):
        sign_as(partnership, version, role)
    version.refresh_from_db()


def sign_agreement(partnership, content: dict, *, at: datetime = SIGNED_AT) -> AgreementVersion:
    """Draft, fill in and sign the partnership's (latest) agreement as both partners, at `at`."""
    with time_machine.travel(at):  # ticking: each step gets its own moment
        agreement = agreement_services.start_agreement(
            partnership=partnership, actor=partnership.mentor
        )
        version = draft_of(agreement)
        for role in ("mentee", "mentor"):
            user = getattr(partnership, role)
            values = content.get(role) or {}
            if values:
                version = agreement_services.save_draft(
                    agreement=agreement,
                    user=user,
                    values=values,
                    based_on_revision=version.revision,
                )
        sign_as_both(partnership, version)
    partnership.refresh_from_db()
    return version


def sign_amendment(partnership, values: dict[str, dict]) -> AgreementVersion:
    """Propose an amendment of the agreement in effect, change `values` ({role: {...}}) and
    have both sign it."""
    agreement = partnership.agreements.order_by("-number").first()
    version = agreement_services.propose_amendment(agreement=agreement, user=partnership.mentor)
    for role, part in values.items():
        version = agreement_services.save_draft(
            agreement=agreement,
            user=getattr(partnership, role),
            values=part,
            based_on_revision=version.revision,
        )
    sign_as_both(partnership, version)
    return version


def hold_meetings(partnership: Partnership, count: int, last_contact: datetime | None = None):
    """Bring the partnership's held meetings up to `count`, the latest at `last_contact`
    (default: an hour ago) and the others a week apart before it."""
    last_contact = last_contact or timezone.now() - timedelta(hours=1)
    held = partnership.meetings.filter(status=Meeting.Status.HELD).count()
    for n in range(count - held):
        starts_at = last_contact - timedelta(weeks=n)
        Meeting.objects.create(
            partnership=partnership,
            status=Meeting.Status.HELD,
            starts_at=starts_at,
            time_zone="UTC",
            duration_minutes=60,
            held_minutes=60,
            recorded_at=starts_at,
            mode="face_to_face",
            mode_label="Face to face",
            organiser=partnership.mentee,
        )
    # Rows written here, not through the meetings app's services: announce them as they do.
    partnership_signals.changed(partnership)


def schedule_meeting(partnership: Partnership, *, days: int = 2) -> Meeting:
    """A meeting Theo schedules `days` from now (through the meetings app's service)."""
    return meeting_services.schedule_meeting(
        partnership=partnership,
        user=partnership.mentee,
        starts_at=timezone.now() + timedelta(days=days),
        time_zone="UTC",
        duration_minutes=60,
        mode="face_to_face",
    )


class ProgressMixin(PersonasMixin):
    """The persona program runs `slug`'s template; `sign()` puts its agreement in effect."""

    slug = "aspe-partnership"
    # The pair was matched before they sign (SIGNED_AT), as in life.
    paired_at = MATCHED_AT

    def setUp(self) -> None:
        super().setUp()
        set_template(self.program, install_template(self.slug))
        Partnership.objects.filter(pk=self.partnership.pk).update(created_at=MATCHED_AT)
        traveller = time_machine.travel(TODAY, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)

    def sign(self, slug: str | None = None, **changes) -> AgreementVersion:
        content = CONTENT[slug or self.slug]
        content = {role: {**values, **changes.get(role, {})} for role, values in content.items()}
        return sign_agreement(self.partnership, content)

    def start_plan(self) -> ActionPlan:
        return services.start_action_plan(partnership=self.partnership, actor=self.theo)

    def agreement(self) -> Agreement:
        return self.partnership.agreements.latest("number")


class ProgressTestCase(ProgressMixin, PersonasMixin, TestCase):
    pass
