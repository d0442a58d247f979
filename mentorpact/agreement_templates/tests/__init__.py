"""Helpers shared by the agreement template tests."""

from html.parser import HTMLParser

from django.http import QueryDict

from mentorpact.agreement_templates.schema import (
    Bullets,
    Field,
    Paragraph,
    Signatures,
    Template,
    builtin_templates,
    load_template,
)
from mentorpact.programs.signals import terms_changed


def builtin(slug: str) -> Template:
    return load_template(builtin_templates()[slug], filename=f"{slug}.yaml")


def assert_in_order(template: Template, expected: list[str]) -> None:
    """Each expected text appears in the template's texts, in this order."""
    joined = "\n".join(template.texts())
    position = 0
    for text in expected:
        found = joined.find(text, position)
        if found < 0:
            where = "earlier than expected" if text in joined else "nowhere"
            raise AssertionError(f"{text!r} appears {where} in the template {template.slug!r}")
        position = found + len(text)


def outline(template: Template) -> list[str]:
    """The template's shape: headings, text, bullets, fields and the signature block."""
    out = []
    for section in template.sections:
        if section.heading:
            out.append(f"heading:{section.heading}")
        for block in section.blocks:
            if isinstance(block, Field):
                out.append(f"field:{block.key}")
            elif isinstance(block, Signatures):
                out.append("signatures")
            elif isinstance(block, Bullets):
                out.append("bullets")
            elif isinstance(block, Paragraph):
                out.append("text")
    return out


class _FormReader(HTMLParser):
    """What a browser submits for a form's controls: enabled inputs with a name, checked boxes
    and radios only, a select's selected option, a textarea's text (less the one line break
    a browser drops right after <textarea>)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pairs: list[tuple[str, str]] = []
        self._textarea: dict | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and "name" in a and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.pairs.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.pairs.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = {"name": a.get("name"), "on": "disabled" not in a, "text": ""}
        elif tag == "select":
            self._select = {"name": a.get("name"), "on": "disabled" not in a, "value": None}
        elif (
            tag == "option"
            and self._select is not None
            and (self._select["value"] is None or "selected" in a)
        ):
            self._select["value"] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            t, self._textarea = self._textarea, None
            text = t["text"][1:] if t["text"].startswith("\n") else t["text"]
            if t["on"] and t["name"]:
                self.pairs.append((t["name"], text))
        elif tag == "select" and self._select is not None:
            s, self._select = self._select, None
            if s["on"] and s["name"]:
                self.pairs.append((s["name"], s["value"] or ""))


def submitted(html: str) -> QueryDict:
    """The POST data a browser would send for the form controls in `html`."""
    reader = _FormReader()
    reader.feed(html)
    data = QueryDict(mutable=True)
    for name, value in reader.pairs:
        data.appendlist(name, value)
    return data


EVERY_KIND = """\
format: 1
slug: every-kind
title: Every kind of field
signers: [mentor, mentee]
rules: {distribution: pair}
sections:
  - key: all
    heading: All of them
    instructions: Fill in what you can.
    blocks:
      - text: A paragraph.
      - bullets: [one, two]
      - {key: goal, kind: text, label: Goal, required: true, help: One line.}
      - {key: notes, kind: textarea, label: Notes}
      - {key: objectives, kind: list, label: Objectives, item_name: objective,
         min_items: 3, max_items: 3, required: true}
      - {key: ideas, kind: list, label: Ideas, item_name: idea, max_length: 100}
      - {key: goals, kind: goals, label: Goals, horizons: [short, long], max_items: 4}
      - {key: short_goals, kind: goals, label: Short-term goals, horizon: short, parts: [goal]}
      - {key: months, kind: number, label: Meet for, unit: months, min: 1, max: 24}
      - key: modes
        kind: counts
        label: We will meet
        options: [{key: face_to_face, label: face to face}, {key: phone, label: by phone}]
        other: true
      - key: organiser
        kind: choice
        label: Who organises
        options: [{key: mentee, label: The mentee}, {key: mentor, label: The mentor}]
      - key: channel
        kind: choice
        label: How
        options: [{key: online, label: online}]
        other: true
      - key: ways
        kind: multichoice
        label: Ways
        options: [{key: online, label: online}, {key: phone, label: telephone}]
      - key: venues
        kind: multichoice
        label: Venues
        options: [{key: office, label: the office}, {key: cafe, label: a café}]
        other: true
        other_label: Somewhere else
      - {key: end_date, kind: date, label: End date}
      - key: places
        kind: table
        label: Learning opportunities
        item_name: opportunity
        min_rows: 2
        columns: [{key: what, label: What, kind: textarea}, {key: when, label: When, kind: date}]
      - {key: confidentiality, kind: acknowledgement, label: Confidentiality,
         statement: We keep confidences., required: true}
      - {key: mentee_name, kind: person, label: Mentee name, party: mentee}
      - {key: mentor_goals, kind: textarea, label: Mentor goals, party: mentor}
      - signatures: {print_name: true}
"""


def own_template(program, slug: str = "peer-own"):
    """The program's own template (a clone of the ASPE built-in), made once."""
    from mentorpact.agreement_templates.models import AgreementTemplate
    from mentorpact.agreement_templates.services import clone_template

    existing = AgreementTemplate.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    return clone_template(
        template=AgreementTemplate.objects.get(slug="aspe-partnership"),
        slug=slug,
        title="Peer Mentoring's own agreement",
        user=None,
        program=program,
    )


def sample_values(template: Template) -> dict:
    """Plausible answers for every field of a template (each within its limits), to see a form
    filled in: screenshots, and the print layout's tests."""
    values: dict = {}
    for f in template.fields():
        kind = f.kind
        if kind == "person":
            values[f.key] = "Dr Ana Kovač"
        elif kind == "text":
            values[f.key] = "Neonatal ward, Northfield General"[: f.max_length]
        elif kind == "textarea":
            values[f.key] = (
                "Meet on the first Tuesday of each month, alternating video calls and coffee "
                "near the office.\nWe will confirm each meeting by email a week ahead."
            )[: f.max_length]
        elif kind == "list":
            count = f.max_items or f.min_items or 3
            values[f.key] = [
                f"Draft and submit a conference abstract by spring ({i + 1})"[: f.max_length]
                for i in range(min(count, 3))
            ]
        elif kind == "goals":
            count = min(f.max_items or f.min_items or 2, 2)
            goals = []
            for i in range(count):
                goal = {"goal": f"Lead the team's quarterly planning meeting ({i + 1})"}
                if "measure" in f.parts:
                    goal["measure"] = "My manager asks me to run the next one"
                if "target_date" in f.parts:
                    goal["target_date"] = "2027-06-30"
                if len(f.horizons) > 1:
                    goal["horizon"] = f.horizons[i % 2]
                goals.append(goal)
            values[f.key] = goals
        elif kind == "number":
            low, high = f.min if f.min is not None else 1, f.max if f.max is not None else 12
            values[f.key] = max(low, min(high, 6))
        elif kind == "counts":
            counts = {f.options[0].key: 2}
            if len(f.options) > 1:
                counts[f.options[1].key] = 1
            values[f.key] = counts
        elif kind == "choice":
            values[f.key] = {"choice": f.options[0].key} if f.other else f.options[0].key
        elif kind == "multichoice":
            keys = [o.key for o in f.options[:2]]
            values[f.key] = {"choices": keys} if f.other else keys
        elif kind == "date":
            values[f.key] = "2027-06-30"
        elif kind == "table":
            values[f.key] = [
                {
                    c.key: ("2027-05-12" if c.kind == "date" else f"{c.label}: spring meeting")
                    for c in f.columns
                },
                {
                    c.key: ("2027-09-20" if c.kind == "date" else f"{c.label}: journal club")
                    for c in f.columns
                },
            ]
        elif kind == "acknowledgement":
            values[f.key] = {role: True for role in template.signers}
    return values


def set_template(program, template) -> None:
    """Make `template` the program's (None: no template), as a coordinator's choice would,
    without the choice's event row, and announce the program's new terms as the choice does;
    the program object forgets the template it had."""
    from mentorpact.agreement_templates.models import ProgramTemplate

    if template is None:
        ProgramTemplate.objects.filter(program=program).delete()
        program.template_choice = None
    else:
        program.template_choice, _ = ProgramTemplate.objects.update_or_create(
            program=program, defaults={"template": template}
        )
    # As choose_template does: the apps above follow the program's new terms (due rows).
    terms_changed.send(sender=type(program), program=program)
