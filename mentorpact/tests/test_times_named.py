"""Every time a page shows is in the viewer's zone with the zone named (issue 13, item 4): page
templates format moments with the builtin `local_time` filter (mentorpact/lib/ui.py), never
with `date` or `time` formats that show hours and minutes without a zone."""

import re

from django.conf import settings

from mentorpact.tests.test_forms_novalidate import template_files

# A `date` filter whose format shows the hour (H, G, h, g) or a `time` filter.
CLOCK_FORMAT = re.compile(r"""\|\s*(?:date\s*:\s*["'][^"']*[HGhg][^"']*["']|time\b)""")
# Not pages: emails (their own zone handling), the PDF (each signer's zone and UTC, by design).
NOT_PAGES = ("templates/emails/", "templates/agreements/pdf.html")


def unnamed_times() -> list[str]:
    found = []
    for path in template_files():
        relative = str(path.relative_to(settings.BASE_DIR))
        if relative.startswith(NOT_PAGES):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if CLOCK_FORMAT.search(line):
                found.append(f"{relative}:{number}")
    return found


def test_no_page_template_shows_a_clock_time_without_its_zone():
    assert unnamed_times() == []


def test_the_scan_sees_a_clock_format():
    assert CLOCK_FORMAT.search('{{ x|date:"j M Y H:i" }}')
    assert CLOCK_FORMAT.search("{{ x|time }}")
    assert not CLOCK_FORMAT.search('{{ x|date:"j M Y" }}')
    assert not CLOCK_FORMAT.search("{{ x|date:'c' }}")
