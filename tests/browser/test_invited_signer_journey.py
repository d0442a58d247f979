"""A form with a parent or guardian among its signers, in a real browser: Theo (the form
calls him the student) names his guardian on the agreement page; Gwen, who has no account,
opens the emailed link in a browser of her own, reads the agreement she signs (and nothing
else of the partnership), consents, signs, and the agreement comes into effect."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Browser, expect

from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements import selectors, services
from mentorpact.agreements.models import AgreementVersion, Signature
from mentorpact.agreements.tests.base import (
    GUARDIAN,
    MENTEE_PART,
    MENTOR_PART,
    make_template_from,
    pact_yaml,
    sign_draft,
)
from tests.browser.conftest import assert_no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser

ACKNOWLEDGEMENT = """\
      - key: photos
        kind: acknowledgement
        label: Photographs
        statement: The program may photograph our meetings for its newsletter.
        accepted_by: [guardian]
        required: true
"""

SOURCE = (
    pact_yaml(signers=("mentee", "mentor", GUARDIAN))
    .replace("signers:", "roles: {mentee: Student}\nsigners:")
    .replace("      - signatures: {}\n", ACKNOWLEDGEMENT + "      - signatures: {}\n")
)


@pytest.fixture
def agreement_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.AGREEMENT_SIGNING_KEY = settings.AGREEMENT_SIGNING_CERT = ""
    return settings


def signed_by_the_pair(personas):
    set_template(personas.program, make_template_from(SOURCE, "guardian-form"))
    agreement = services.start_agreement(partnership=personas.partnership, actor=personas.mia)
    for user, part in ((personas.theo, MENTEE_PART), (personas.mia, MENTOR_PART)):
        draft = selectors.draft_version(agreement)
        services.save_draft(
            agreement=agreement, user=user, values=part, based_on_revision=draft.revision
        )
    for user in (personas.theo, personas.mia):
        sign_draft(agreement, user)
    return agreement


def test_the_student_names_a_guardian_who_signs_through_the_emailed_link(
    browser: Browser, live_server, personas, agreement_settings, page, screenshot
):
    agreement = signed_by_the_pair(personas)
    url = live_server.url + reverse("agreements:agreement", args=[personas.partnership.public_id])

    # Theo, the student, names his guardian.
    sign_in(page, live_server, "theo@example.org")
    page.goto(url)
    signers = page.locator("#signers")
    expect(signers).to_contain_text("Parent or guardian")
    expect(page.get_by_text("Theo Mentee (student,")).to_be_visible()
    signers.get_by_label("Their full name").fill("Gwen Guardian")
    signers.get_by_label("Their email address").fill("gwen@example.org")
    screenshot("theo-names-the-guardian")
    signers.get_by_role("button", name="Invite the parent or guardian to sign").click()
    expect(page.get_by_text("Gwen Guardian is invited by email to sign")).to_be_visible()
    expect(page.locator("#signers")).to_contain_text("invited by email to sign")

    # Gwen's email carries her link; she opens it in a browser of her own, not signed in.
    [email] = [m for m in mail.outbox if m.to == ["gwen@example.org"]]
    found = re.search(r"https?://[^/\s]+(/\S*sign/\S+/)", email.body)
    assert found, email.body
    gwen = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    gwen.set_default_timeout(10_000)
    gwen.goto(live_server.url + found.group(1))
    expect(
        gwen.get_by_role("heading", name="Sign version 1 as the parent or guardian")
    ).to_be_visible()
    expect(gwen.get_by_text(MENTEE_PART["mentee_goals"])).to_be_visible()  # what she signs
    expect(gwen.get_by_text("What you accept by signing")).to_be_visible()
    expect(gwen.locator(f'a[href*="{personas.partnership.public_id}"]')).to_have_count(0)
    assert_no_horizontal_scroll(gwen, 360)
    screenshot("gwen-reads-what-she-signs", of=gwen)

    # Signing without consent is refused beside the box, her typed name kept.
    gwen.get_by_label("Type your full name to sign").fill("Gwen Guardian")
    gwen.get_by_role("button", name="Sign version 1").click()
    expect(
        gwen.get_by_text("Agree to do business electronically to sign here.").first
    ).to_be_visible()
    expect(gwen.get_by_label("Type your full name to sign")).to_have_value("Gwen Guardian")
    gwen.get_by_label("I agree to do business electronically").check()
    gwen.get_by_role("button", name="Sign version 1").click()
    expect(gwen.get_by_text("You signed version 1 as the parent or guardian")).to_be_visible()
    screenshot("gwen-signed", of=gwen)

    version = AgreementVersion.objects.get(agreement=agreement)
    assert version.status == AgreementVersion.Status.IN_EFFECT
    signature = Signature.objects.get(version=version, role="guardian")
    assert signature.signer.email == "gwen@example.org"
    assert "“Photographs”" in signature.intent_statement

    # Theo sees it in effect, signed by the three of them.
    page.goto(url)
    expect(page.get_by_text("Gwen Guardian (parent or guardian,")).to_be_visible()
    screenshot("theo-sees-it-in-effect")
