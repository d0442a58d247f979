"""A small stand-in template and helpers for the agreement tests.

The stand-in is written in the real template format (docs/templates.md) so these tests do not
depend on how the built-in seed templates word their fields.
"""

import hashlib
import subprocess
import tempfile
from functools import cache

from django.test import TestCase, override_settings

from mentorpact.accounts.models import User
from mentorpact.agreement_templates.models import AgreementTemplate, TemplateVersion
from mentorpact.agreement_templates.schema import load_template
from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements import selectors, services
from mentorpact.agreements.models import Agreement, AgreementVersion, Signature
from mentorpact.partnerships import services as partnership_services
from mentorpact.programs.models import Enrolment
from mentorpact.test import PersonasMixin

PACT_YAML = """\
format: 1
slug: test-pact
title: Test Pact
signers: [{signers}]
rules:
  distribution: {distribution}
{return_address}
  agreement_due: {{days_after_kickoff: 28}}
sections:
  - key: goals
    heading: Our goals
    blocks:
      - text: We agree to the following.
      - key: mentee_goals
        kind: textarea
        label: My goals as a mentee
        party: mentee
        required: true
      - key: mentor_goals
        kind: textarea
        label: My goals as a mentor
        party: mentor
        required: true
      - key: frequency
        kind: text
        label: How often we meet
        required: true
      - key: months
        kind: number
        label: For how many months
        min: 1
        max: 24
      - key: first_meeting
        kind: date
        label: Our first meeting
      - signatures: {{}}
"""


PAIR = ("mentee", "mentor")
# An extra signer in the flow list of `signers:` (docs/templates.md, "Who signs").
GUARDIAN = "{key: guardian, label: Parent or guardian, named_by: mentee}"


def pact_yaml(distribution: str = "program", signers: tuple[str, ...] = PAIR) -> str:
    address = "  return_address: office@example.org" if distribution == "program" else ""
    return PACT_YAML.format(
        distribution=distribution, return_address=address, signers=", ".join(signers)
    )


def make_template(
    distribution: str = "program",
    slug: str = "test-pact",
    signers: tuple[str, ...] = PAIR,
    source: str | None = None,
) -> AgreementTemplate:
    """A stored template with one version: the stand-in (PACT_YAML), or `source`."""
    source = (source or pact_yaml(distribution, signers)).replace(
        "slug: test-pact", f"slug: {slug}"
    )
    return make_template_from(source, slug)


def make_template_from(source: str, slug: str, title: str = "Test Pact") -> AgreementTemplate:
    """A stored template (version 1) of this YAML source."""
    template = AgreementTemplate.objects.create(slug=slug, title=title)
    TemplateVersion.objects.create(
        template=template,
        number=1,
        source=source,
        definition=load_template(source).to_dict(),
        source_sha256=hashlib.sha256(source.encode()).hexdigest(),
    )
    return template


# A form in several sections, for the agreement as steps (agreements/steps.py).
STEPS_YAML = """\
format: 1
slug: test-pact
title: Test Pact in steps
signers: [mentee, mentor]
rules:
  distribution: pair
  agreement_due: {days_after_kickoff: 28}
sections:
  - key: welcome
    heading: Welcome
    blocks:
      - text: Read this first.
  - key: goals
    heading: Our goals
    blocks:
      - {key: mentee_goals, kind: textarea, label: My goals as a mentee, party: mentee,
         required: true}
      - {key: mentor_goals, kind: textarea, label: My goals as a mentor, party: mentor,
         required: true}
  - key: terms
    heading: How we work
    blocks:
      - {key: frequency, kind: text, label: How often we meet, required: true}
      - {key: place, kind: text, label: Where we meet, required: true}
      - {key: months, kind: number, label: For how many months, min: 1, max: 24}
  - key: promise
    heading: Confidentiality
    blocks:
      - key: confidentiality
        kind: acknowledgement
        label: Confidentiality
        statement: We keep what we say between us.
        required: true
  - key: other
    heading: Anything else
    blocks:
      - key: other
        kind: textarea
        label: Anything else
      - signatures: {}
"""


MENTEE_PART = {"mentee_goals": "Publish my first paper.", "frequency": "Every two weeks"}
MENTOR_PART = {"mentor_goals": "Learn to mentor well."}


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


# The shared MEDIA_ROOT's directory object: kept alive so the directory lasts until the
# process ends.
_media_roots: list[tempfile.TemporaryDirectory] = []


@cache
def shared_media_root() -> str:
    """One MEDIA_ROOT (so one sealing key) for every agreement test in this process; the
    directory is removed when the process ends."""
    directory = tempfile.TemporaryDirectory(prefix="mentorpact-agreements-")
    _media_roots.append(directory)
    return directory.name


def pdf_pages_text(data: bytes) -> list[str]:
    """The text of each page, as poppler's pdftotext reads it."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return text.split("\f")[:-1]  # a form feed ends every page


def sign_draft(agreement: Agreement, user, invited=None) -> Signature:
    """`user` consents (once) and signs the agreement's draft as shown, as the signing page
    has them: in their own role (or the invited signer's), with the statement it shows."""
    draft = draft_of(agreement)
    role = selectors.signer_role(draft, user, invited=invited)
    services.give_esign_consent(user=user, agreement=agreement, ip=None, user_agent="test")
    return services.sign_agreement(
        version=draft,
        user=user,
        typed_name=user.full_name,
        intent_statement=selectors.signing_statement(version=draft, user=user, role=role),
        ip=None,
        user_agent="test",
        content_sha256_shown=draft.content_sha256,
        revision_shown=draft.revision,
        invited=invited,
    )


def draft_of(agreement: Agreement) -> AgreementVersion:
    """The agreement's current draft; the test fails when it has none."""
    draft = selectors.draft_version(agreement)
    assert draft is not None, f"agreement {agreement.pk} has no draft"
    return draft


class AgreementMixin(PersonasMixin):
    """Cora, Mia and Theo (mentorpact.test) with the stand-in template on their program."""

    distribution = "program"
    signers: tuple[str, ...] = PAIR
    template_source: str | None = None  # another form than the stand-in (STEPS_YAML)
    source = ""  # a form of the test's own (YAML), instead of the stand-in

    def setUp(self) -> None:
        super().setUp()
        template = (
            make_template_from(self.source, "own-form")
            if self.source
            else make_template(self.distribution, signers=self.signers, source=self.template_source)
        )
        set_template(self.program, template)
        self.agreement = services.start_agreement(partnership=self.partnership, actor=self.mia)

    def draft(self) -> AgreementVersion:
        return draft_of(Agreement.objects.get(pk=self.agreement.pk))

    def save(self, user, values: dict, based_on: int | None = None) -> AgreementVersion:
        if based_on is None:
            based_on = self.draft().revision
        return services.save_draft(
            agreement=self.agreement, user=user, values=values, based_on_revision=based_on
        )

    def complete(self) -> AgreementVersion:
        """Both partners fill in their required fields."""
        self.save(self.theo, MENTEE_PART)
        return self.save(self.mia, MENTOR_PART)

    def signing_arguments(self, user, version: AgreementVersion | None = None, **overrides):
        """What the signing form sends: the version as shown, its statement, the typed name."""
        version = version or self.draft()
        role = self.partnership.role_of(user) or "coordinator"
        arguments = {
            "version": version,
            "user": user,
            "typed_name": user.full_name,
            "intent_statement": selectors.signing_statement(version=version, user=user, role=role),
            "ip": "192.0.2.10",
            "user_agent": "Mozilla/5.0 (test)",
            "content_sha256_shown": version.content_sha256,
            "revision_shown": version.revision,
        }
        return {**arguments, **overrides}

    def sign(self, user, version: AgreementVersion | None = None, **overrides) -> Signature:
        """Consent (once) and sign, as the signing form does."""
        services.give_esign_consent(
            user=user, agreement=self.agreement, ip="127.0.0.1", user_agent="test"
        )
        return services.sign_agreement(**self.signing_arguments(user, version, **overrides))

    def sign_by_both(self) -> AgreementVersion:
        version = self.complete()
        self.sign(self.theo, version)
        self.sign(self.mia, AgreementVersion.objects.get(pk=version.pk))
        return AgreementVersion.objects.get(pk=version.pk)


class AgreementTestCase(AgreementMixin, PersonasMixin, TestCase):
    @classmethod
    def setUpClass(cls):
        media = override_settings(
            MEDIA_ROOT=shared_media_root(), AGREEMENT_SIGNING_KEY="", AGREEMENT_SIGNING_CERT=""
        )
        media.enable()
        cls.addClassCleanup(media.disable)
        super().setUpClass()


class AgreementViewTestCase(AgreementTestCase):
    """Views: URLs of the persona partnership's agreement."""

    def url(self, name: str, *args) -> str:
        from django.urls import reverse

        return reverse(f"agreements:{name}", args=[self.partnership.public_id, *args])

    def sign_form(self, user, version: AgreementVersion, **overrides) -> dict:
        """What the sign page posts: the version as shown, its statement, the name, consent."""
        role = self.partnership.role_of(user) or "coordinator"
        data = {
            "number": version.number,
            "revision": version.revision,
            "content_sha256": version.content_sha256,
            "statement": selectors.signing_statement(version=version, user=user, role=role),
            "typed_name": user.full_name,
            "consent": "on",
        }
        return {**data, **overrides}

    def form_post(self, version: AgreementVersion, **fields) -> dict:
        """What the edit form posts: the revision it was based on and the f.<key> inputs."""
        return {"revision": version.revision, **{f"f.{k}": v for k, v in fields.items()}}


class RacingPairsMixin(PersonasMixin):
    """For race tests (TransactionTestCase, with AgreementMixin): fresh pairs with a
    completed draft, and a partner's signing call to run in a thread."""

    def new_pair(self, n: int) -> tuple[User, User, Agreement]:
        """A fresh mentor and mentee (no password hashing: fast) with a completed draft."""
        mentor = User.objects.create_user(f"mentor{n}@example.org", None, full_name=f"Mentor {n}")
        mentee = User.objects.create_user(f"mentee{n}@example.org", None, full_name=f"Mentee {n}")
        Enrolment.objects.bulk_create(
            [
                Enrolment(program=self.program, user=mentor, role=Enrolment.Role.MENTOR),
                Enrolment(program=self.program, user=mentee, role=Enrolment.Role.MENTEE),
            ]
        )
        partnership = partnership_services.create_partnership(
            program=self.program, mentor=mentor, mentee=mentee
        )
        agreement = services.start_agreement(partnership=partnership, actor=mentor)
        for user, part in ((mentee, MENTEE_PART), (mentor, MENTOR_PART)):
            draft = draft_of(agreement)
            services.save_draft(
                agreement=agreement, user=user, values=part, based_on_revision=draft.revision
            )
            services.give_esign_consent(user=user, agreement=agreement, ip=None, user_agent="")
        return mentor, mentee, agreement

    def signing(self, version: AgreementVersion, user: User):
        role = version.agreement.partnership.role_of(user)
        assert role is not None, "only the partners sign in these races"
        statement = selectors.signing_statement(version=version, user=user, role=role)
        return lambda: services.sign_agreement(
            version=version,
            user=user,
            typed_name=user.full_name,
            intent_statement=statement,
            ip="192.0.2.1",
            user_agent="race",
            content_sha256_shown=version.content_sha256,
            revision_shown=version.revision,
        )
