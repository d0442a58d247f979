"""Helpers shared by the built-in template tests."""

from mentorpact.agreement_templates.schema import (
    Bullets,
    Field,
    Paragraph,
    Signatures,
    Template,
    builtin_templates,
    load_template,
)


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
