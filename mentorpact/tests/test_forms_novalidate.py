"""Every <form> in every template has `novalidate`: the browser's own bubble would otherwise
pre-empt the server's messages (beside the field, in the error summary), which are the ones
people should read (issue 13)."""

import re
from pathlib import Path

from django.conf import settings

FORM_TAG = re.compile(r"<form\b(?:[^>{]|\{[{%#].*?[}%#]\})*>", re.S)


def template_files() -> list[Path]:
    roots = [Path(settings.BASE_DIR, "templates")]
    roots += list(Path(settings.BASE_DIR, "mentorpact").glob("*/templates"))
    return sorted(p for root in roots for p in root.rglob("*.html"))


def forms_without_novalidate() -> list[str]:
    found = []
    for path in template_files():
        text = path.read_text()
        for match in FORM_TAG.finditer(text):
            if not re.search(r"\bnovalidate\b", match.group(0)):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{line}")
    return found


def test_every_form_in_every_template_has_novalidate():
    assert template_files(), "no templates found: the scan would prove nothing"
    assert forms_without_novalidate() == []


def test_the_scan_sees_a_form_tag_over_several_lines_with_template_tags(tmp_path):
    text = '<form method="post"\n action="{% url "x" %}"\n hx-target="this">'
    match = FORM_TAG.search(text)
    assert match is not None
    assert "novalidate" not in match.group(0)
    assert match.group(0).endswith('hx-target="this">')
