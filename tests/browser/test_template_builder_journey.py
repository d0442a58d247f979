"""A coordinator builds a new three-section form with the form editor alone (issue 13, item
6): starts a template, adds sections, a paragraph, fields and options, moves and removes
parts, previews it as the mentee and the mentor, saves it, and the program uses it. No YAML
is typed anywhere."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorpact.agreement_templates.models import AgreementTemplate
from mentorpact.agreement_templates.schema import Field, Paragraph, Signatures
from mentorpact.agreement_templates.selectors import chosen_template
from mentorpact.programs.models import Program
from tests.browser.conftest import assert_no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser


def add_to_section(page: Page, number: int, what: str) -> None:
    page.get_by_label(f"Add to section {number}").select_option(label=what)
    page.get_by_role("button", name=f"Add to section {number}", exact=True).click()


def test_cora_builds_a_three_section_form_with_the_form_editor_alone(
    page, live_server, personas, screenshot
):
    sign_in(page, live_server, "cora@example.org")
    page.goto(
        live_server.url + reverse("agreement_templates:program", args=[personas.program.public_id])
    )

    # A new template: one section to begin with.
    page.get_by_label(re.compile(r"^Short name\W*$")).fill("skills-2027")
    page.get_by_label("Title of the form").fill("Research Skills Pairing")
    page.get_by_role("button", name="Start the template").click()
    expect(
        page.get_by_role("heading", name="Build Research Skills Pairing", level=1)
    ).to_be_visible()
    expect(page.get_by_text("is Peer Mentoring's new template, with one section")).to_be_visible()

    # Section 1: its heading, a text field; the starter paragraph moved below the field.
    page.locator("#e-sections-0-heading").fill("About you")
    add_to_section(page, 1, "Field: text")
    label = page.locator("#e-sections-0-blocks-1-label")
    expect(label).to_be_focused()  # the new field's first input
    label.fill("Your research area")
    page.get_by_role("button", name=re.compile(r"^Move down\W+1\. Paragraph")).first.click()
    expect(page.locator("#e-sections-0-blocks-0 legend")).to_have_text(
        "1. Field (text): Your research area"
    )
    expect(page.get_by_text("Moved down: now number 2.")).to_be_visible()

    # Section 2: a question only the mentee answers; its starter paragraph removed.
    page.get_by_role("button", name="Add a section").click()
    heading = page.locator("#e-sections-1-heading")
    expect(heading).to_be_focused()
    heading.fill("What you want to learn")
    add_to_section(page, 2, "Field: textarea")
    page.locator("#e-sections-1-blocks-1-label").fill("What do you want to learn this year?")
    page.locator("#e-sections-1-blocks-1-party").select_option("mentee")
    page.locator("#e-sections-1-blocks-1-required").select_option("yes")
    page.locator("#e-sections-1").get_by_role(
        "button", name=re.compile(r"^Remove\W+1\. Paragraph")
    ).click()
    expect(page.locator("#e-sections-1-blocks-0 legend")).to_have_text(
        "1. Field (textarea): What do you want to learn this year?"
    )

    # Section 3: a choice with two options, and the signature block.
    page.get_by_role("button", name="Add a section").click()
    page.locator("#e-sections-2-heading").fill("Meetings")
    add_to_section(page, 3, "Field: choice")
    page.locator("#e-sections-2-blocks-1-label").fill("How will you meet?")
    page.locator("#e-sections-2-blocks-1-options-0-label").fill("In person")
    page.get_by_role("button", name=re.compile(r"^Add option\W+to options")).click()
    option = page.locator("#e-sections-2-blocks-1-options-1-label")
    expect(option).to_be_focused()
    option.fill("Online")
    add_to_section(page, 3, "Signatures")
    screenshot("built")

    # A mistake shows beside its input, and nothing is saved.
    page.locator("#e-sections-2-blocks-1-label").fill("")
    page.get_by_role("button", name="Save as a new version").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Section 3, block 2, label: missing")
    expect(page.locator("#e-sections-2-blocks-1-label-error")).to_contain_text("missing")
    assert AgreementTemplate.objects.get(slug="skills-2027").versions.count() == 1
    summary.get_by_role("link").click()
    expect(page.locator("#e-sections-2-blocks-1-label")).to_be_focused()
    page.locator("#e-sections-2-blocks-1-label").fill("How will you meet?")

    # The live preview (htmx), as the mentee, then as the mentor.
    preview = page.locator("#builder-preview")
    expect(preview.get_by_text("How will you meet?")).to_be_visible()
    expect(preview.get_by_role("heading", name="Preview as the mentee")).to_be_visible()
    for text in ("About you", "What you want to learn", "Meetings", "Your research area"):
        expect(preview.get_by_text(text, exact=True).first).to_be_visible()
    expect(preview.get_by_label("What do you want to learn this year?")).to_be_visible()
    screenshot("preview-mentee")
    page.get_by_label("The mentor").check()
    expect(preview.get_by_role("heading", name="Preview as the mentor")).to_be_visible()
    screenshot("preview-mentor")

    page.set_viewport_size({"width": 320, "height": 740})
    assert_no_horizontal_scroll(page, 320)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("Saved as version 2.")).to_be_visible()

    template = AgreementTemplate.objects.get(slug="skills-2027")
    loaded = template.latest_version().as_template()
    assert [s.heading for s in loaded.sections] == [
        "About you",
        "What you want to learn",
        "Meetings",
    ]
    assert [type(b) for b in loaded.sections[0].blocks] == [Field, Paragraph]
    learn = loaded.field("textarea_1")
    assert (learn.label, learn.party, learn.required) == (
        "What do you want to learn this year?",
        "mentee",
        True,
    )
    meet = loaded.field("choice_1")
    assert [o.label for o in meet.options] == ["In person", "Online"]
    assert isinstance(loaded.sections[2].blocks[-1], Signatures)
    # The YAML stays readable: the form editor writes the same format the YAML editor reads.
    source = template.latest_version().source
    assert "heading: About you" in source
    assert "label: How will you meet?" in source

    # The program uses it.
    page.goto(
        live_server.url + reverse("agreement_templates:program", args=[personas.program.public_id])
    )
    page.get_by_role(
        "button", name=re.compile(r"^Use this template\W+Research Skills Pairing \(skills-2027")
    ).click()
    expect(
        page.get_by_text("New agreements in Peer Mentoring will be drafted from Research Skills")
    ).to_be_visible()
    program = Program.objects.get(pk=personas.program.pk)
    assert chosen_template(program).slug == "skills-2027"
