"""Agreement forms rendered from their template: the screen form, what a POST of it means, and
the print (PDF) layout.

The screen form, inside any page's own <form>:

    agreement_form = rendering.build_form(template, values, errors, party="mentee",
                                          names={"mentor": "Mia", "mentee": "Theo"})
    {% include "agreement_templates/_form.html" with form=agreement_form %}

and back again: `values = rendering.parse_post(template, request.POST, party="mentee")` gives
the values dict that values.validate_values expects, with every field this party may fill in
(an empty one as empty, so clearing a field clears it) and nothing of the other party's.
`errors` is what validate_values (and values.incomplete) returned, keyed by field key or by a
path into a value ("objectives.1", "meeting_modes.phone"): each message is shown beside the
input it belongs to. After an error, pass the parsed POST back as `values` so the typed text
stays.

The print layout (a tidy version of the paper form):

    agreement_print = rendering.build_print(template, values, signatures=...)
    {% include "agreement_templates/_print.html" with doc=agreement_print %}

Each field is drawn by its kind (kinds/<kind>.py): `form` fills in its inputs, `read_post`
reads them back, `print` lays it out on paper, and its own templates show it
(templates/agreement_templates/kinds/); nothing here knows one kind from another.

`print_pdf(agreement_print)` renders it as a PDF with WeasyPrint; `print_css()` is the print
layout's stylesheet text for a PDF of your own (static/css/agreement-print.css; pages link
static/css/agreement.css, which imports it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .drawing import (
    Control,
    FieldView,
    FormContext,
    Group,
    PrintField,
    PrintItem,
    PrintOption,
    capfirst,
    control_name,
    date_text,
    item_slots,
    person,
    text_of,
)
from .kinds import kind_of
from .schema import Bullets, Field, Paragraph, Signatures, Template
from .values import NON_FIELD

__all__ = [
    "Control",
    "FieldView",
    "Group",
    "PrintField",
    "PrintItem",
    "PrintOption",
    "build_form",
    "build_print",
    "date_text",
    "item_slots",
    "one_section",
    "parse_post",
    "print_css",
    "print_html",
    "print_pdf",
]

PREFIX = "f"  # inputs are named "f.<key>[.<part>]": no clash with the page's own fields


# ---------------------------------------------------------------------------------------------
# The screen form


@dataclass
class Block[F]:
    """One block of a section; F is FieldView in the form, PrintField in the print layout."""

    type: str  # paragraph | bullets | signatures | field
    text: str = ""
    items: tuple[str, ...] = ()
    numbered: bool = False
    field: F | None = None


@dataclass
class SectionView[F]:
    key: str
    heading: str | None
    instructions: str | None
    blocks: list[Block[F]]


@dataclass
class FormView:
    template: Template
    party: str | None
    sections: list[SectionView[FieldView]]
    signers: list[str]  # "Mia (mentor)", in the signature block's order
    errors: list[str]  # errors not about one field (NON_FIELD)
    disabled: bool
    step: bool = False  # one section of the form on its own page (`one_section`): no header

    @property
    def has_errors(self) -> bool:
        """True when the page shows errors (its title says "Error: ", mentorpact.lib.ui)."""
        return bool(self.errors or self.error_summary)

    @property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """(input id, field label, message) for every error, in form order."""
        out = []
        for section in self.sections:
            for block in section.blocks:
                if block.field and block.field.all_errors:
                    for message in block.field.all_errors:
                        out.append((block.field.first_error_id, block.field.label, message))
        return out


class _FormBuilder(FormContext):
    def build(self) -> FormView:
        sections: list[SectionView[FieldView]] = []
        for section in self.template.sections:
            blocks: list[Block[FieldView]] = []
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    blocks.append(Block("paragraph", text=block.text))
                elif isinstance(block, Bullets):
                    blocks.append(Block("bullets", items=block.items, numbered=block.numbered))
                elif isinstance(block, Signatures):
                    blocks.append(Block("signatures"))
                else:
                    view = self.field(block)
                    view.label_is_heading = block.label == section.heading
                    blocks.append(Block("field", field=view))
            sections.append(SectionView(section.key, section.heading, section.instructions, blocks))
        if not any(b.type == "signatures" for s in sections for b in s.blocks) and sections:
            sections[-1].blocks.append(Block("signatures"))
        return FormView(
            template=self.template,
            party=self.party,
            sections=sections,
            signers=[person(role, self.names, self.template) for role in self.template.signers],
            errors=self.errors_at(NON_FIELD),
            disabled=self.disabled,
        )

    def field(self, f: Field) -> FieldView:
        kind = kind_of(f)
        other_party = self.party is not None and f.party not in ("shared", self.party)
        note = ""
        if f.party != "shared" and (other_party or self.party is None):
            note = capfirst(f"{person(f.party, self.names, self.template)} fills this in")
        view = FieldView(
            field=f,
            id=f"{self.prefix}-{f.key}",
            label=f.label,
            help=f.help,
            required=f.required,
            locked=self.disabled or other_party,
            note=note,
            errors=self.errors_at(f.key),
            unit=f.unit,
            statement=f.statement,
            is_group=not kind.one_input,
            template=kind.form_template,
        )
        kind.form(self, f, view, self.values.get(f.key))
        return view


def build_form(
    template: Template,
    values: dict | None = None,
    errors: dict[str, list[str]] | None = None,
    *,
    party: str | None = None,
    names: dict[str, str] | None = None,
    disabled: bool = False,
    prefix: str = PREFIX,
) -> FormView:
    """The form's view for `_form.html`.

    `party` ("mentor", "mentee" or "coordinator") is who is filling it in: the other party's
    fields are shown read-only with a note ("Theo (mentee) fills this in"); None shows every
    field open. `names` gives each role's name for those notes. `disabled` shows it all
    read-only (a preview, or a signed agreement).
    """
    return _FormBuilder(template, values or {}, errors, party, names, disabled, prefix).build()


def one_section(form: FormView, key: str) -> FormView:
    """The form with only section `key`, for a page that fills in a long form one section
    at a time (the agreement's steps): its error summary lists that section's errors only, and
    the form's header (title, instructions) is left to the page."""
    return replace(form, sections=[s for s in form.sections if s.key == key], step=True)


# ---------------------------------------------------------------------------------------------
# Reading a POST back


def parse_post(
    template: Template, data, *, party: str | None = None, prefix: str = PREFIX
) -> dict[str, Any]:
    """The values a POST of `build_form(...)`'s inputs stands for, in the shape
    values.validate_values expects: every field `party` may fill in (all of them when None),
    each present even when empty; acknowledgements only for `party`'s own acceptance."""
    return {
        f.key: kind_of(f).read_post(f, data, control_name(prefix, f.key), template, party)
        for f in template.fields()
        if party is None or f.party in ("shared", party)
    }


# ---------------------------------------------------------------------------------------------
# The print layout


@dataclass
class PrintSignature:
    role: str
    label: str  # "Mentor's signature"
    typed_name: str = ""
    date: str = ""


@dataclass
class PrintDocument:
    template: Template
    sections: list[SectionView[PrintField]]
    signatures: list[PrintSignature]
    print_name: bool
    is_draft: bool


def _print_field(f: Field, value: Any, template: Template) -> PrintField:
    kind = kind_of(f)
    printed = PrintField(field=f, label=f.label, text="", template=kind.print_template)
    kind.print(printed, f, value, template)
    return printed


def build_print(
    template: Template,
    values: dict | None = None,
    *,
    signatures: list[dict] | None = None,
    is_draft: bool = True,
) -> PrintDocument:
    """The print layout's view for `_print.html`. `signatures` fills the signature block:
    a list of {"role", "typed_name", "date"} (date as text); blank lines otherwise."""
    values = values if isinstance(values, dict) else {}
    sections: list[SectionView[PrintField]] = []
    print_name = False
    for section in template.sections:
        blocks: list[Block[PrintField]] = []
        for block in section.blocks:
            if isinstance(block, Paragraph):
                blocks.append(Block("paragraph", text=block.text))
            elif isinstance(block, Bullets):
                blocks.append(Block("bullets", items=block.items, numbered=block.numbered))
            elif isinstance(block, Signatures):
                print_name = block.print_name
                blocks.append(Block("signatures"))
            else:
                pf = _print_field(block, values.get(block.key), template)
                pf.label_is_heading = block.label == section.heading
                blocks.append(Block("field", field=pf))
        sections.append(SectionView(section.key, section.heading, section.instructions, blocks))
    if sections and not any(b.type == "signatures" for s in sections for b in s.blocks):
        sections[-1].blocks.append(Block("signatures"))
    signed = {s.get("role"): s for s in signatures or []}
    return PrintDocument(
        template=template,
        sections=sections,
        signatures=[
            PrintSignature(
                role=role,
                label=f"{template.role_label(role)}'s signature",
                typed_name=text_of(signed.get(role, {}).get("typed_name")),
                date=text_of(signed.get(role, {}).get("date")),
            )
            for role in template.signers
        ],
        print_name=print_name,
        is_draft=is_draft,
    )


@cache
def print_css() -> str:
    """The print layout's stylesheet (static/css/agreement-print.css), for a PDF's <style>."""
    path = finders.find("css/agreement-print.css")
    assert isinstance(path, str), "static/css/agreement-print.css is missing"
    with open(path, encoding="utf-8") as css:
        return css.read()


def print_html(doc: PrintDocument) -> str:
    """A standalone HTML document of the print layout, as WeasyPrint reads it."""
    return render_to_string(
        "agreement_templates/print_document.html", {"doc": doc, "css": print_css()}
    )


def print_pdf(doc: PrintDocument) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # No protocol is allowed: nothing in the document is ever fetched.
    return HTML(string=print_html(doc), url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
