"""The template format's reference, docs/templates.md, rendered as a page of the product.

The Markdown is the repository's own (docs/ ships with the code), rendered by markdown-it-py
(CommonMark with tables; raw HTML in the file is shown as text, never passed through). Each
heading gets an id from its text, so the page has a table of contents and the editor can link
to a part of the format ("#rules", "#fields").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

SOURCE = Path(settings.BASE_DIR) / "docs" / "templates.md"


@dataclass(frozen=True)
class Reference:
    title: str
    contents: tuple[tuple[str, str], ...]  # (id, heading) of each second-level heading
    html: SafeString


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "part"


def render(markdown: str) -> Reference:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    title = ""
    first, _, rest = markdown.partition("\n")
    if first.startswith("# "):  # the page's own <h1>
        title, markdown = first[2:].strip(), rest
    tokens = md.parse(markdown)
    contents: list[tuple[str, str]] = []
    taken: set[str] = set()
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = tokens[i + 1].content
        anchor = slugify(text.replace("`", ""))
        while anchor in taken:
            anchor += "-more"
        taken.add(anchor)
        token.attrSet("id", anchor)
        if token.tag == "h2":
            contents.append((anchor, text.replace("`", "")))
    html = md.renderer.render(tokens, md.options, {})
    return Reference(title or "Agreement templates", tuple(contents), mark_safe(html))  # noqa: S308


@functools.lru_cache(maxsize=4)
def _rendered(mtime_ns: int) -> Reference:
    return render(SOURCE.read_text(encoding="utf-8"))


def page() -> Reference:
    """The rendered reference, rendered again only when the file changed."""
    return _rendered(SOURCE.stat().st_mtime_ns)
