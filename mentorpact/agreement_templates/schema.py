"""The agreement template format: a program's agreement form described as YAML.

`load_template(text)` parses and validates a template and returns a frozen `Template`, or raises
`TemplateError` listing every problem found, each with the file, line and path. The format is
documented in docs/templates.md. This module is pure Python (no Django): it is used by the
models, the template editor, and the tests alike.

Blocks are `Paragraph`, `Bullets`, `Signatures` or `Field`. There is one `Field` dataclass for
every kind; the attributes that do not apply to a field's kind are None (or empty/False).
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is much faster; the pure-Python parser produces the same events.
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

FORMAT_VERSION = 1
MAX_TEMPLATE_CHARS = 200_000
MAX_DEPTH = 30

ROLES = ("mentor", "mentee", "coordinator")
PARTIES = ("shared", "mentor", "mentee")
PARTNERS = ("mentee", "mentor")
FIELD_KINDS = (
    "text",
    "textarea",
    "list",
    "goals",
    "number",
    "counts",
    "choice",
    "multichoice",
    "date",
    "table",
    "acknowledgement",
    "person",
)
COLUMN_KINDS = ("text", "textarea", "date")
GOAL_PARTS = ("goal", "measure", "target_date")
HORIZONS = ("short", "long")
DISTRIBUTIONS = ("program", "pair")
CONTACT_PERIODS = ("week", "month")

# Defaults filled in at load time, so a loaded Field always carries its effective limits.
DEFAULT_MAX_LENGTH = {
    "text": 200,
    "textarea": 5000,
    "person": 200,
    "list": 500,  # per item
    "goals": 1000,  # per goal / measure
}
DEFAULT_ITEM_NAME = {"list": "item", "goals": "goal", "table": "row"}
DEFAULT_MEASURE_LABEL = "How will you know you have achieved it?"
DEFAULT_OTHER_LABEL = "Other (specify)"
COUNT_MAX = 999  # a counts field's per-option ceiling when it sets no `max`
NUMBER_LIMIT = 1_000_000_000  # no number in a template or a value may exceed this

# Attribute limits: generous, but a template is a form, not a book.
_LIMIT_SHORT = 500  # titles, headings, labels, option labels
_LIMIT_LONG = 20_000  # paragraphs, statements, help, instructions

_KEY_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_MONTH_DAY_RE = re.compile(r"(\d{2})-(\d{2})\Z")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")

# ---------------------------------------------------------------------------------------------
# The data model


@dataclass(frozen=True)
class Option:
    key: str
    label: str


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text | textarea | date
    max_length: int | None = None  # None for date columns


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Signatures:
    """Where the signature block sits; the signers and their order come from Template.signers.
    A template without one gets its signature block at the end."""

    print_name: bool = False


@dataclass(frozen=True)
class Field:
    key: str
    kind: str
    label: str
    help: str | None = None
    required: bool = False
    party: str = "shared"  # shared | mentor | mentee: who fills it in
    # text, textarea, person: the value's limit; list and goals: each item's (each text's) limit;
    max_length: int | None = None
    # list, goals
    min_items: int | None = None
    max_items: int | None = None
    item_name: str | None = None  # list, goals, table: a singular noun for messages ("objective")
    # goals
    parts: tuple[str, ...] = ()  # which of goal, measure, target_date each goal asks
    measure_label: str | None = None
    horizons: tuple[str, ...] = ()  # () | ("short",) | ("long",) | ("short", "long")
    # number; counts use `max` per option
    unit: str | None = None
    min: int | None = None
    max: int | None = None
    step: int | None = None
    # counts, choice, multichoice
    options: tuple[Option, ...] = ()
    other: bool = False
    other_label: str | None = None
    # table
    columns: tuple[Column, ...] = ()
    min_rows: int | None = None
    max_rows: int | None = None
    # acknowledgement
    statement: str | None = None

    def option_keys(self) -> tuple[str, ...]:
        keys = tuple(option.key for option in self.options)
        return keys + ("other",) if self.other else keys


Block = Paragraph | Bullets | Signatures | Field


@dataclass(frozen=True)
class Section:
    key: str
    heading: str | None
    instructions: str | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Deadline:
    """When the signed agreement is due: exactly one attribute is set."""

    date: datetime.date | None = None
    days_after_kickoff: int | None = None
    month_day: str | None = None  # "MM-DD": that day each year ("by February 23rd")

    def resolve(self, kickoff: datetime.date | None) -> datetime.date | None:
        if self.date is not None:
            return self.date
        if kickoff is None:
            return None
        if self.days_after_kickoff is not None:
            return kickoff + datetime.timedelta(days=self.days_after_kickoff)
        if self.month_day is not None:
            month, day = (int(part) for part in self.month_day.split("-"))
            due = datetime.date(kickoff.year, month, day)
            return due if due >= kickoff else due.replace(year=kickoff.year + 1)
        return None


@dataclass(frozen=True)
class Contact:
    times: int
    per: str  # week | month


@dataclass(frozen=True)
class Duration:
    months_field: str | None = None  # a number field holding the agreed months
    end_date_field: str | None = None  # a date field holding the agreed end date
    suggested_months: int | None = None
    min_months: int | None = None
    max_months: int | None = None


@dataclass(frozen=True)
class Rules:
    distribution: str | None = None  # program | pair (always set on a loaded template)
    return_address: str | None = None
    agreement_due: Deadline | None = None
    first_meeting_within_weeks: int | None = None
    action_plan_by_meeting: int | None = None
    min_contact: Contact | None = None
    min_meetings: int | None = None
    duration: Duration | None = None
    midpoint_check: bool | None = None
    keep_copy: bool | None = None
    activity_log: bool | None = None
    networking_functions: bool | None = None
    periodic_evaluations: bool | None = None
    action_plan_owner_field: str | None = None
    meeting_modes_field: str | None = None
    feedback_questions: tuple[str, ...] | None = None
    feedback_from: tuple[str, ...] | None = None  # who answers them: mentee and/or mentor

    def due_date(self, kickoff: datetime.date | None) -> datetime.date | None:
        """The date the signed agreement is due, for a partnership kicked off on `kickoff`."""
        return self.agreement_due.resolve(kickoff) if self.agreement_due else None


@dataclass(frozen=True)
class Template:
    format: int
    slug: str
    title: str
    program_name: str | None
    source: str | None
    signers: tuple[str, ...]
    rules: Rules
    sections: tuple[Section, ...]
    subtitle: str | None = None
    instructions: str | None = None

    def fields(self) -> list[Field]:
        return [block for s in self.sections for block in s.blocks if isinstance(block, Field)]

    def field(self, key: str) -> Field:
        for f in self.fields():
            if f.key == key:
                return f
        raise KeyError(key)

    def texts(self) -> list[str]:
        """Every piece of text a reader sees, in reading order (signature lines excepted)."""
        out = [self.program_name, self.title, self.subtitle, self.instructions]
        for section in self.sections:
            out += [section.heading, section.instructions]
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    out.append(block.text)
                elif isinstance(block, Bullets):
                    out += block.items
                elif isinstance(block, Field):
                    out += [block.label, block.unit, block.help, block.statement]
                    out.append(block.measure_label)
                    out += [option.label for option in block.options]
                    out.append(block.other_label)
                    out += [column.label for column in block.columns]
        return [text for text in out if text]

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serialisable data that `from_dict` (and `load_template`) accepts."""
        d: dict[str, Any] = {"format": self.format, "slug": self.slug, "title": self.title}
        for name in ("subtitle", "program_name", "source", "instructions"):
            if getattr(self, name) is not None:
                d[name] = getattr(self, name)
        d["signers"] = list(self.signers)
        d["rules"] = _rules_to_dict(self.rules)
        d["sections"] = [_section_to_dict(s) for s in self.sections]
        return d

    @classmethod
    def from_dict(cls, data: Any, *, filename: str = "<stored template>") -> Template:
        """Rebuild a template from `to_dict()` data, validating it again."""
        return _build(data, filename, {})


# ---------------------------------------------------------------------------------------------
# Errors


class TemplateError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))

    def __str__(self) -> str:
        return "\n".join(self.errors)


# ---------------------------------------------------------------------------------------------
# Loading


def load_template(text: str, *, filename: str = "<template>") -> Template:
    if not isinstance(text, str):
        raise TypeError(f"load_template() needs a str, not {type(text).__name__}")
    if len(text) > MAX_TEMPLATE_CHARS:
        raise TemplateError(
            [
                f"{filename}: the template is {len(text):,} characters long; "
                f"the limit is {MAX_TEMPLATE_CHARS:,}"
            ]
        )
    data, lines, errors = _parse(text, filename)
    if errors:
        raise TemplateError(errors)
    return _build(data, filename, lines)


def builtin_templates() -> dict[str, str]:
    """The built-in templates' YAML sources, by slug (the file's stem)."""
    folder = Path(__file__).resolve().parent / "builtin"
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.yaml"))}


class _Abort(Exception):
    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message


_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def _parse(text: str, filename: str) -> tuple[Any, dict[str, int], list[str]]:
    """YAML text to plain data plus the line of every path ("sections[0].blocks[2].kind").

    We compose the document from parser events ourselves, instead of yaml.safe_load, to: know
    each value's line; reject duplicate keys (PyYAML keeps the last silently); refuse aliases
    (no "billion laughs"); and cap nesting so no input can exhaust the stack.
    """
    errors: list[str] = []
    lines: dict[str, int] = {}
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        return None, lines, [f"{filename}: the text contains invalid characters (surrogates)"]
    parser = _Parser(text)
    resolver = yaml.resolver.Resolver()
    constructor = yaml.constructor.SafeConstructor()

    def err(line: int, message: str) -> None:
        errors.append(f"{filename}:{line}: {message}")

    def scalar(event: yaml.ScalarEvent, path: str) -> Any:
        line = event.start_mark.line + 1
        tag = event.tag
        if tag in (None, "!"):
            tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        elif tag not in _STANDARD_TAGS:
            err(line, f"{path or 'the template'}: YAML tag {tag} is not allowed")
            return None
        node = yaml.ScalarNode(tag, event.value)
        try:
            if tag == "tag:yaml.org,2002:null":
                return None
            if tag == "tag:yaml.org,2002:bool":
                return constructor.construct_yaml_bool(node)
            if tag == "tag:yaml.org,2002:int":
                return constructor.construct_yaml_int(node)
            if tag == "tag:yaml.org,2002:float":
                return constructor.construct_yaml_float(node)
            if tag == "tag:yaml.org,2002:timestamp":
                return constructor.construct_yaml_timestamp(node)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            # A number too long to convert, or 2027-02-30: keep the text, and let the
            # attribute's own check say what is wrong with it.
            return event.value
        return event.value

    def node(path: str, depth: int) -> Any:
        event = parser.get_event()
        line = event.start_mark.line + 1
        if path:
            lines.setdefault(path, line)
        if isinstance(event, yaml.AliasEvent):
            raise _Abort(line, f"YAML aliases (*{event.anchor}) are not allowed in a template")
        if isinstance(event, yaml.ScalarEvent):
            return scalar(event, path)
        if depth >= MAX_DEPTH:
            raise _Abort(line, f"nesting is deeper than {MAX_DEPTH} levels")
        if isinstance(event, yaml.SequenceStartEvent):
            if event.tag not in (None, "!", "tag:yaml.org,2002:seq"):
                err(line, f"{path or 'the template'}: YAML tag {event.tag} is not allowed")
            items = []
            while not parser.check_event(yaml.SequenceEndEvent):
                items.append(node(f"{path}[{len(items)}]", depth + 1))
            parser.get_event()
            return items
        if isinstance(event, yaml.MappingStartEvent):
            if event.tag not in (None, "!", "tag:yaml.org,2002:map"):
                err(line, f"{path or 'the template'}: YAML tag {event.tag} is not allowed")
            mapping: dict[str, Any] = {}
            first_line: dict[str, int] = {}
            while not parser.check_event(yaml.MappingEndEvent):
                key_event = parser.peek_event()
                key_line = key_event.start_mark.line + 1
                if not isinstance(key_event, yaml.ScalarEvent):
                    node(f"{path}.?", depth + 1)  # skip the complex key
                    node(f"{path}.?", depth + 1)
                    err(key_line, f"{path or 'the template'}: a key must be plain text")
                    continue
                parser.get_event()
                key = key_event.value  # keys are names: the text as written, never 'yes'→True
                child = _join(path, key)
                if key in mapping:
                    err(
                        key_line,
                        f'{child}: duplicate key "{_show(key)}" '
                        f"(first given on line {first_line[key]})",
                    )
                    node(f"{child}#duplicate", depth + 1)
                    continue
                first_line[key] = key_line
                lines[child] = key_line
                mapping[key] = node(child, depth + 1)
            parser.get_event()
            return mapping
        raise _Abort(line, f"unexpected YAML {type(event).__name__}")  # pragma: no cover

    data = None
    try:
        parser.get_event()  # StreamStart
        if parser.check_event(yaml.StreamEndEvent):
            return None, lines, [f"{filename}: the template is empty"]
        parser.get_event()  # DocumentStart
        data = node("", 0)
        parser.get_event()  # DocumentEnd
        if not parser.check_event(yaml.StreamEndEvent):
            line = parser.peek_event().start_mark.line + 1
            err(line, "a template is one YAML document; remove the second '---' document")
    except _Abort as abort:
        errors.append(f"{filename}:{abort.line}: {abort.message}")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        text_lines = text.splitlines() or [""]
        line = min(mark.line + 1, len(text_lines)) if mark else None
        problem = " ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
        if line and "\t" in text_lines[line - 1]:
            problem += " (YAML does not allow tabs for indentation: use spaces)"
        where = f"{filename}:{line}" if line else filename
        errors.append(f"{where}: YAML syntax error: {problem}")
    except yaml.reader.ReaderError as exc:  # control characters and the like
        line = text.count("\n", 0, exc.position) + 1
        errors.append(f"{filename}:{line}: {_first_line(str(exc))}")
    except yaml.YAMLError as exc:
        errors.append(f"{filename}: YAML error: {_first_line(str(exc))}")
    except (ValueError, UnicodeError) as exc:  # pragma: no cover - libyaml edge cases
        errors.append(f"{filename}: could not read the template: {exc}")
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose:
            dispose()
    if data is None and not errors:
        errors.append(f"{filename}: the template is empty")
    return data, lines, errors


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def _show(value: Any, limit: int = 60) -> str:
    try:
        text = str(value)
    except ValueError:  # an int too long to print in decimal (sys.get_int_max_str_digits)
        return "(too large to show)"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, int | float):
        return f"the number {_show(value)}"
    if isinstance(value, datetime.date):
        return f"the date {value}"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f'the text "{_show(value)}"'
    return f"a {type(value).__name__}"


# ---------------------------------------------------------------------------------------------
# Validation

_TOP_ATTRS = (
    "format",
    "slug",
    "title",
    "subtitle",
    "program_name",
    "source",
    "instructions",
    "signers",
    "rules",
    "sections",
)
_SECTION_ATTRS = ("key", "heading", "instructions", "blocks")
_COMMON_FIELD_ATTRS = ("key", "kind", "label", "help", "required", "party")
_KIND_ATTRS: dict[str, tuple[str, ...]] = {
    "text": ("max_length",),
    "textarea": ("max_length",),
    "person": ("max_length",),
    "list": ("max_length", "min_items", "max_items", "item_name"),
    "goals": (
        "max_length",
        "min_items",
        "max_items",
        "item_name",
        "parts",
        "measure_label",
        "horizon",
        "horizons",
    ),
    "number": ("unit", "min", "max", "step"),
    "counts": ("options", "other", "other_label", "max"),
    "choice": ("options", "other", "other_label"),
    "multichoice": ("options", "other", "other_label"),
    "date": (),
    "table": ("columns", "min_rows", "max_rows", "item_name"),
    "acknowledgement": ("statement",),
}
_ALL_FIELD_ATTRS = tuple(
    dict.fromkeys(_COMMON_FIELD_ATTRS + tuple(a for v in _KIND_ATTRS.values() for a in v))
)
_RULE_ATTRS = tuple(f.name for f in dataclasses.fields(Rules))
_DURATION_ATTRS = tuple(f.name for f in dataclasses.fields(Duration))
_DEADLINE_ATTRS = ("date", "days_after_kickoff", "month_day")
_BLOCK_MARKERS = ("text", "bullets", "signatures")


def _join(path: str, name: Any) -> str:
    return f"{path}.{_show(name)}" if path else _show(name)


def _parent(path: str) -> str:
    match = re.match(r"(.*)(\.[^.\[]*|\[\d+\])\Z", path, re.DOTALL)
    return match.group(1) if match else ""


class _Checker:
    """Collects errors. Each getter checks one value at a path, records what is wrong with it,
    and returns the value, or None when it is absent or wrong."""

    def __init__(self, filename: str, lines: dict[str, int]):
        self.filename = filename
        self.lines = lines
        self.errors: list[str] = []

    def error(self, path: str, message: str, *, at: str | None = None) -> None:
        """Record a message about `path`, on the line of `at` (default: `path` or the nearest
        enclosing value that has a line)."""
        line = None
        probe = at or path
        while probe and line is None:
            line = self.lines.get(probe)
            probe = _parent(probe)
        where = f"{self.filename}:{line}" if line else self.filename
        self.errors.append(f"{where}: {path}: {message}" if path else f"{where}: {message}")

    def mapping(self, value: Any, path: str, what: str) -> dict | None:
        if isinstance(value, dict):
            return value
        self.error(path, f"expected {what} (a mapping of name: value), got {_describe(value)}")
        return None

    def attrs(self, d: dict, path: str, allowed: tuple[str, ...]) -> None:
        for name in d:
            if name in allowed:
                continue
            message = f'unknown attribute "{_show(name)}"'
            close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.7)
            if close:
                message += f' (did you mean "{close[0]}"?)'
            self.error(_join(path, name), message)

    def text(
        self,
        value: Any,
        path: str,
        *,
        required: bool = False,
        limit: int = _LIMIT_SHORT,
        why: str = "",
    ) -> str | None:
        if value is None:
            if required:
                self.error(path, f"missing ({why})" if why else "missing")
            return None
        if not isinstance(value, str):
            hint = ""
            if isinstance(value, bool | int | float | datetime.date):
                hint = ' (put it in "quotes" if it is meant as text)'
            self.error(path, f"expected text, got {_describe(value)}{hint}")
            return None
        if not value.strip():
            self.error(path, "must not be empty")
            return None
        if len(value) > limit:
            self.error(path, f"is {len(value):,} characters long; the limit is {limit:,}")
            return None
        return value

    def key(self, value: Any, path: str, *, required: bool = True) -> str | None:
        text = self.text(value, path, required=required, limit=60)
        if text is not None and not _KEY_RE.match(text):
            self.error(
                path,
                f'"{_show(text)}" is not a valid key (use lowercase letters, digits and _, '
                "starting with a letter)",
            )
            return None
        return text

    def integer(
        self,
        value: Any,
        path: str,
        *,
        minimum: int = -NUMBER_LIMIT,
        maximum: int = NUMBER_LIMIT,
        required: bool = False,
    ) -> int | None:
        if value is None:
            if required:
                self.error(path, "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, f"expected a whole number, got {_describe(value)}")
            return None
        if value < minimum:
            self.error(path, f"must be at least {minimum:,} (got {_show(value)})")
            return None
        if value > maximum:
            self.error(path, f"must be at most {maximum:,} (got {_show(value)})")
            return None
        return value

    def boolean(self, value: Any, path: str) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        self.error(path, f"expected true or false, got {_describe(value)}")
        return None

    def one_of(self, value: Any, path: str, allowed: tuple[str, ...], *, what: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) and value in allowed:
            return value
        shown = f'"{_show(value)}"' if isinstance(value, str) else _describe(value)
        self.error(path, f"unknown {what} {shown} (expected one of: {', '.join(allowed)})")
        return None

    def sequence(self, value: Any, path: str, *, required: bool = False) -> list | None:
        if value is None:
            if required:
                self.error(path, "missing")
            return None
        if not isinstance(value, list):
            self.error(path, f"expected a list, got {_describe(value)}")
            return None
        return value

    def texts(self, value: Any, path: str, *, limit: int) -> tuple[str, ...] | None:
        items = self.sequence(value, path, required=True)
        if items is None:
            return None
        if not items:
            self.error(path, "must not be empty")
            return None
        texts = [
            self.text(item, f"{path}[{i}]", required=True, limit=limit)
            for i, item in enumerate(items)
        ]
        return None if None in texts else tuple(texts)  # type: ignore[arg-type]

    def date(self, value: Any, path: str) -> datetime.date | None:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str) and _DATE_RE.match(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        self.error(
            path, f"{_describe(value)} is not a real date (write YYYY-MM-DD, like 2027-02-23)"
        )
        return None

    def low_high(self, path: str, low: int | None, high: int | None, names: str) -> None:
        low_name, high_name = names.split()
        if low is not None and high is not None and low > high:
            self.error(_join(path, low_name), f"{low_name} ({low}) is above {high_name} ({high})")


def _build(data: Any, filename: str, lines: dict[str, int]) -> Template:
    c = _Checker(filename, lines)
    top = c.mapping(data, "", "a template")
    if top is None:
        raise TemplateError(c.errors)

    version = top.get("format")
    if version is None:
        c.error("format", f"missing (start the template with `format: {FORMAT_VERSION}`)")
        raise TemplateError(c.errors)
    if type(version) is not int or version != FORMAT_VERSION:
        # Another version may have another structure: checking further would only mislead.
        shown = f'"{_show(version)}"' if isinstance(version, str) else _show(version)
        c.error(
            "format",
            f"unknown format version {shown} "
            f"(this version of Mentorpact reads format {FORMAT_VERSION})",
        )
        raise TemplateError(c.errors)

    c.attrs(top, "", _TOP_ATTRS)
    slug = c.text(top.get("slug"), "slug", required=True, limit=60)
    if slug is not None and not _SLUG_RE.match(slug):
        c.error("slug", f'"{_show(slug)}" is not a valid slug (use a-z, 0-9 and single hyphens)')
    title = c.text(top.get("title"), "title", required=True)
    subtitle = c.text(top.get("subtitle"), "subtitle")
    program_name = c.text(top.get("program_name"), "program_name")
    source = c.text(top.get("source"), "source")
    instructions = c.text(top.get("instructions"), "instructions", limit=_LIMIT_LONG)
    signers = _signers(c, top.get("signers"))
    sections = _sections(c, top.get("sections"))
    fields = {b.key: b for s in sections for b in s.blocks if isinstance(b, Field)}
    rules = _rules(c, top.get("rules"), fields)

    if c.errors:
        raise TemplateError(c.errors)
    return Template(
        format=FORMAT_VERSION,
        slug=slug,  # type: ignore[arg-type]
        title=title,  # type: ignore[arg-type]
        program_name=program_name,
        source=source,
        signers=signers,
        rules=rules,  # type: ignore[arg-type]
        sections=sections,
        subtitle=subtitle,
        instructions=instructions,
    )


def _signers(c: _Checker, value: Any) -> tuple[str, ...]:
    raw = c.sequence(value, "signers", required=True)
    if raw is None:
        return ()
    signers: list[str] = []
    for i, role in enumerate(raw):
        role = c.one_of(role, f"signers[{i}]", ROLES, what="signer")
        if role in signers:
            c.error(f"signers[{i}]", f'"{role}" is listed twice')
        elif role is not None:
            signers.append(role)
    for role in ("mentor", "mentee"):
        if role not in signers:
            c.error("signers", f"the {role} must sign: add {role} to signers")
    return tuple(signers)


def _sections(c: _Checker, value: Any) -> tuple[Section, ...]:
    raw = c.sequence(value, "sections", required=True)
    if raw is None:
        return ()
    if not raw:
        c.error("sections", "a template needs at least one section")
    sections: list[Section] = []
    section_paths: dict[str, str] = {}
    field_paths: dict[str, str] = {}
    signature_paths: list[str] = []
    for i, item in enumerate(raw):
        path = f"sections[{i}]"
        d = c.mapping(item, path, "a section")
        if d is None:
            continue
        c.attrs(d, path, _SECTION_ATTRS)
        key = c.key(d.get("key"), f"{path}.key")
        if key in section_paths:
            c.error(f"{path}.key", f'duplicate section key "{key}" (also {section_paths[key]})')
        elif key is not None:
            section_paths[key] = path
        heading = c.text(d.get("heading"), f"{path}.heading")
        instructions = c.text(d.get("instructions"), f"{path}.instructions", limit=_LIMIT_LONG)
        blocks_raw = c.sequence(d.get("blocks"), f"{path}.blocks", required=True)
        if blocks_raw is not None and not blocks_raw:
            c.error(f"{path}.blocks", "a section needs at least one block")
        blocks: list[Block] = []
        for j, block_raw in enumerate(blocks_raw or ()):
            block_path = f"{path}.blocks[{j}]"
            block = _block(c, block_raw, block_path)
            # Check field keys on the raw block, so a duplicate is reported even when the
            # field has other errors too.
            raw_key = block_raw.get("key") if isinstance(block_raw, dict) else None
            if isinstance(raw_key, str) and _KEY_RE.match(raw_key):
                if raw_key in field_paths:
                    c.error(
                        f"{block_path}.key",
                        f'duplicate field key "{raw_key}" (also used at {field_paths[raw_key]})',
                    )
                    block = None
                field_paths.setdefault(raw_key, block_path)
            if isinstance(block, Signatures):
                if signature_paths:
                    c.error(
                        block_path,
                        f"a template has one signature block (the first is {signature_paths[0]})",
                    )
                signature_paths.append(block_path)
            if block is not None:
                blocks.append(block)
        sections.append(Section(key or "", heading, instructions, tuple(blocks)))
    return tuple(sections)


def _block(c: _Checker, raw: Any, path: str) -> Block | None:
    d = c.mapping(raw, path, "a block")
    if d is None:
        return None
    found = [m for m in _BLOCK_MARKERS if m in d]
    if "kind" in d or "key" in d:
        found.append("a field (key, kind)")
    if len(found) > 1:
        c.error(
            path,
            "a block is one of text, bullets, signatures or a field; this one has "
            + " and ".join(found),
        )
        return None
    if not found:
        c.error(path, "expected a block: text, bullets, signatures, or a field (key, kind, label)")
        return None
    if "text" in d:
        c.attrs(d, path, ("text",))
        text = c.text(d["text"], f"{path}.text", required=True, limit=_LIMIT_LONG)
        return Paragraph(text) if text is not None else None
    if "bullets" in d:
        c.attrs(d, path, ("bullets", "numbered"))
        numbered = c.boolean(d.get("numbered"), f"{path}.numbered")
        items = c.texts(d["bullets"], f"{path}.bullets", limit=_LIMIT_LONG)
        return Bullets(items, bool(numbered)) if items is not None else None
    if "signatures" in d:
        c.attrs(d, path, ("signatures",))
        spec = d["signatures"]
        if spec is None or spec is True:
            return Signatures()
        spec = c.mapping(spec, f"{path}.signatures", "signature options")
        if spec is None:
            return None
        c.attrs(spec, f"{path}.signatures", ("print_name",))
        print_name = c.boolean(spec.get("print_name"), f"{path}.signatures.print_name")
        return Signatures(print_name=bool(print_name))
    return _field(c, d, path)


def _field(c: _Checker, d: dict, path: str) -> Field | None:
    errors_before = len(c.errors)

    def get(name: str) -> tuple[Any, str]:
        return d.get(name), f"{path}.{name}"

    c.attrs({n: v for n, v in d.items() if n not in _ALL_FIELD_ATTRS}, path, _ALL_FIELD_ATTRS)
    key = c.key(*get("key"))
    kind = c.one_of(*get("kind"), FIELD_KINDS, what="kind")
    if d.get("kind") is None:
        c.error(f"{path}.kind", f"missing (expected one of: {', '.join(FIELD_KINDS)})")
    label = c.text(*get("label"), required=True, why="every field needs a label")
    help_text = c.text(*get("help"), limit=_LIMIT_LONG)
    required = bool(c.boolean(*get("required")))
    party = c.one_of(*get("party"), PARTIES, what="party") or "shared"
    if kind is None:
        return None  # the kind decides which other attributes apply: check no further
    kind_attrs = _KIND_ATTRS[kind]
    for name in d:
        if name in _ALL_FIELD_ATTRS and name not in _COMMON_FIELD_ATTRS + kind_attrs:
            c.error(_join(path, name), f'"{name}" does not apply to a {kind} field')
    if kind == "acknowledgement" and party != "shared":
        c.error(f"{path}.party", "every signer accepts an acknowledgement: party must be shared")

    a: dict[str, Any] = {}
    if "max_length" in kind_attrs:
        a["max_length"] = (
            c.integer(*get("max_length"), minimum=1, maximum=100_000) or DEFAULT_MAX_LENGTH[kind]
        )
    if kind in ("list", "goals"):
        a["min_items"] = c.integer(*get("min_items"), minimum=0, maximum=1000)
        a["max_items"] = c.integer(*get("max_items"), minimum=1, maximum=1000)
        c.low_high(path, a["min_items"], a["max_items"], "min_items max_items")
    if kind in ("list", "goals", "table"):
        a["item_name"] = c.text(*get("item_name"), limit=60) or DEFAULT_ITEM_NAME[kind]
    if kind == "goals":
        a.update(_goal_attrs(c, d, path))
    if kind == "number":
        a["unit"] = c.text(*get("unit"))
        a["min"] = c.integer(*get("min"))
        a["max"] = c.integer(*get("max"))
        a["step"] = c.integer(*get("step"), minimum=1)
        c.low_high(path, a["min"], a["max"], "min max")
    if kind == "counts":
        a["max"] = c.integer(*get("max"), minimum=1)
    if kind in ("counts", "choice", "multichoice"):
        a["options"] = _options(c, d.get("options"), f"{path}.options")
        a["other"] = bool(c.boolean(*get("other")))
        a["other_label"] = c.text(*get("other_label"))
        if a["other_label"] is not None and not a["other"]:
            c.error(f"{path}.other_label", "other_label needs other: true")
        if a["other"]:
            a["other_label"] = a["other_label"] or DEFAULT_OTHER_LABEL
    if kind == "table":
        a["columns"] = _columns(c, d.get("columns"), f"{path}.columns")
        a["min_rows"] = c.integer(*get("min_rows"), minimum=0, maximum=1000)
        a["max_rows"] = c.integer(*get("max_rows"), minimum=1, maximum=1000)
        c.low_high(path, a["min_rows"], a["max_rows"], "min_rows max_rows")
    if kind == "acknowledgement":
        a["statement"] = c.text(
            *get("statement"),
            required=True,
            limit=_LIMIT_LONG,
            why="the clause each signer accepts",
        )
    if len(c.errors) > errors_before:
        return None
    return Field(
        key=key,
        kind=kind,
        label=label,
        help=help_text,
        required=required,  # type: ignore[arg-type]
        party=party,
        **a,
    )


def _goal_attrs(c: _Checker, d: dict, path: str) -> dict[str, Any]:
    parts = GOAL_PARTS
    raw = c.sequence(d.get("parts"), f"{path}.parts")
    if raw is not None:
        chosen = _unique_choices(c, raw, f"{path}.parts", GOAL_PARTS, what="goal part")
        if "goal" not in chosen:
            c.error(f"{path}.parts", 'every goal has its "goal" part: add goal to parts')
        parts = tuple(p for p in GOAL_PARTS if p in chosen)  # one canonical order
    measure_label = c.text(d.get("measure_label"), f"{path}.measure_label")
    if measure_label is not None and "measure" not in parts:
        c.error(f"{path}.measure_label", 'measure_label needs "measure" in parts')
    horizons: tuple[str, ...] = ()
    if "horizon" in d and "horizons" in d:
        c.error(f"{path}.horizons", "give horizon or horizons, not both")
    elif "horizon" in d:
        one = c.one_of(d["horizon"], f"{path}.horizon", HORIZONS, what="horizon")
        if d["horizon"] is None:
            c.error(f"{path}.horizon", f"missing (expected one of: {', '.join(HORIZONS)})")
        horizons = (one,) if one else ()
    elif "horizons" in d:
        raw = c.sequence(d["horizons"], f"{path}.horizons", required=True)
        chosen = _unique_choices(c, raw or [], f"{path}.horizons", HORIZONS, what="horizon")
        horizons = tuple(h for h in HORIZONS if h in chosen)
        if raw is not None and not raw:
            c.error(f"{path}.horizons", "must not be empty")
    return {
        "parts": parts,
        "measure_label": (measure_label or DEFAULT_MEASURE_LABEL) if "measure" in parts else None,
        "horizons": horizons,
    }


def _unique_choices(
    c: _Checker, raw: list, path: str, allowed: tuple[str, ...], *, what: str
) -> list[str]:
    chosen: list[str] = []
    for i, item in enumerate(raw):
        value = c.one_of(item, f"{path}[{i}]", allowed, what=what)
        if item is None:
            c.error(f"{path}[{i}]", f"missing (expected one of: {', '.join(allowed)})")
        elif value in chosen:
            c.error(f"{path}[{i}]", f'"{value}" is listed twice')
        elif value is not None:
            chosen.append(value)
    return chosen


def _options(c: _Checker, value: Any, path: str) -> tuple[Option, ...]:
    raw = c.sequence(value, path, required=True)
    if raw is not None and not raw:
        c.error(path, "needs at least one option")
    options: list[Option] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw or ()):
        opath = f"{path}[{i}]"
        od = c.mapping(item, opath, "an option with key and label")
        if od is None:
            continue
        c.attrs(od, opath, ("key", "label"))
        key = c.key(od.get("key"), f"{opath}.key")
        label = c.text(
            od.get("label"), f"{opath}.label", required=True, why="every option needs a label"
        )
        if key in ("other", "other_label"):
            c.error(f"{opath}.key", f'"{key}" is reserved: use other: true for an "other" option')
        elif key in seen:
            c.error(f"{opath}.key", f'duplicate option key "{key}" (also {path}[{seen[key]}])')
        elif key is not None and label is not None:
            seen[key] = i
            options.append(Option(key, label))
    return tuple(options)


def _columns(c: _Checker, value: Any, path: str) -> tuple[Column, ...]:
    raw = c.sequence(value, path, required=True)
    if raw is not None and not raw:
        c.error(path, "needs at least one column")
    columns: list[Column] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw or ()):
        cpath = f"{path}[{i}]"
        cd = c.mapping(item, cpath, "a column with key, label and kind")
        if cd is None:
            continue
        c.attrs(cd, cpath, ("key", "label", "kind", "max_length"))
        key = c.key(cd.get("key"), f"{cpath}.key")
        label = c.text(
            cd.get("label"), f"{cpath}.label", required=True, why="every column needs a label"
        )
        kind = c.one_of(cd.get("kind"), f"{cpath}.kind", COLUMN_KINDS, what="column kind")
        kind = kind or "text"
        max_length = c.integer(
            cd.get("max_length"), f"{cpath}.max_length", minimum=1, maximum=100_000
        )
        if kind == "date":
            if cd.get("max_length") is not None:
                c.error(f"{cpath}.max_length", '"max_length" does not apply to a date column')
            max_length = None
        else:
            max_length = max_length or DEFAULT_MAX_LENGTH[kind]
        if key in seen:
            c.error(f"{cpath}.key", f'duplicate column key "{key}" (also {path}[{seen[key]}])')
        elif key is not None and label is not None:
            seen[key] = i
            columns.append(Column(key, label, kind, max_length))
    return tuple(columns)


def _rules(c: _Checker, value: Any, fields: dict[str, Field]) -> Rules | None:
    if value is None:
        c.error("rules", "missing (at least `distribution: program` or `distribution: pair`)")
        return None
    d = c.mapping(value, "rules", "the program's rules")
    if d is None:
        return None
    c.attrs(d, "rules", _RULE_ATTRS)

    def get(name: str) -> tuple[Any, str]:
        return d.get(name), f"rules.{name}"

    r: dict[str, Any] = {}
    r["distribution"] = c.one_of(*get("distribution"), DISTRIBUTIONS, what="distribution")
    if d.get("distribution") is None:
        c.error(
            "rules.distribution",
            "missing: say who receives the signed agreement (program: returned to the program, "
            "whose coordinators may read it; pair: it stays between mentor and mentee)",
        )
    r["return_address"] = c.text(*get("return_address"), limit=254)
    if r["return_address"] is not None and not _EMAIL_RE.match(r["return_address"]):
        c.error("rules.return_address", f'"{_show(r["return_address"])}" is not an email address')
    if r["distribution"] == "program" and d.get("return_address") is None:
        c.error(
            "rules.return_address",
            "missing: distribution is program, so say where the signed agreement is returned",
            at="rules.distribution",
        )
    if r["distribution"] == "pair" and d.get("return_address") is not None:
        c.error(
            "rules.return_address",
            "distribution is pair (the agreement stays with the partners): remove return_address",
        )
    if d.get("agreement_due") is not None:
        r["agreement_due"] = _deadline(c, d["agreement_due"], "rules.agreement_due")
    r["first_meeting_within_weeks"] = c.integer(
        *get("first_meeting_within_weeks"), minimum=1, maximum=520
    )
    r["action_plan_by_meeting"] = c.integer(*get("action_plan_by_meeting"), minimum=1, maximum=1000)
    r["min_meetings"] = c.integer(*get("min_meetings"), minimum=1, maximum=1000)
    if d.get("min_contact") is not None:
        r["min_contact"] = _contact(c, d["min_contact"], "rules.min_contact")
    if d.get("duration") is not None:
        r["duration"] = _duration(c, d["duration"], "rules.duration", fields)
    for name in (
        "midpoint_check",
        "keep_copy",
        "activity_log",
        "networking_functions",
        "periodic_evaluations",
    ):
        r[name] = c.boolean(*get(name))
    r["action_plan_owner_field"] = _field_ref(
        c, *get("action_plan_owner_field"), fields, ("person", "text")
    )
    r["meeting_modes_field"] = _field_ref(
        c, *get("meeting_modes_field"), fields, ("counts", "choice", "multichoice")
    )
    if d.get("feedback_questions") is not None:
        r["feedback_questions"] = c.texts(*get("feedback_questions"), limit=_LIMIT_SHORT)
    if d.get("feedback_from") is not None:
        raw = c.sequence(*get("feedback_from"), required=True)
        if raw == []:
            c.error("rules.feedback_from", "must not be empty (mentee, mentor or both)")
        chosen = _unique_choices(c, raw or [], "rules.feedback_from", PARTNERS, what="partner")
        r["feedback_from"] = tuple(p for p in PARTNERS if p in chosen) or None
    return Rules(**r)


def _field_ref(
    c: _Checker, value: Any, path: str, fields: dict[str, Field], kinds: tuple[str, ...]
) -> str | None:
    key = c.key(value, path, required=False)
    if key is None:
        return None
    wanted = " or ".join(kinds)
    if key not in fields:
        known = ", ".join(f.key for f in fields.values() if f.kind in kinds) or "none"
        c.error(path, f'no field "{key}" (the {wanted} fields are: {known})')
        return None
    if fields[key].kind not in kinds:
        c.error(path, f'field "{key}" is a {fields[key].kind} field; expected a {wanted} field')
        return None
    return key


def _contact(c: _Checker, value: Any, path: str) -> Contact | None:
    d = c.mapping(value, path, "{times: N, per: week or month}")
    if d is None:
        return None
    c.attrs(d, path, ("times", "per"))
    times = c.integer(d.get("times"), f"{path}.times", minimum=1, maximum=100, required=True)
    per = c.one_of(d.get("per"), f"{path}.per", CONTACT_PERIODS, what="period")
    if d.get("per") is None:
        c.error(f"{path}.per", "missing (week or month)")
    return Contact(times, per) if times is not None and per is not None else None


def _deadline(c: _Checker, value: Any, path: str) -> Deadline | None:
    d = c.mapping(value, path, "{date: YYYY-MM-DD}, {days_after_kickoff: N} or {month_day: MM-DD}")
    if d is None:
        return None
    c.attrs(d, path, _DEADLINE_ATTRS)
    given = [name for name in _DEADLINE_ATTRS if name in d]
    if len(given) != 1:
        c.error(path, "give exactly one of date, days_after_kickoff or month_day")
        return None
    if "date" in d:
        day = c.date(d["date"], f"{path}.date")
        return Deadline(date=day) if day else None
    if "days_after_kickoff" in d:
        days = c.integer(
            d["days_after_kickoff"],
            f"{path}.days_after_kickoff",
            minimum=0,
            maximum=3650,
            required=True,
        )
        return Deadline(days_after_kickoff=days) if days is not None else None
    month_day = c.text(d["month_day"], f"{path}.month_day", required=True, limit=10)
    if month_day is None:
        return None
    match = _MONTH_DAY_RE.match(month_day)
    try:
        if not match:
            raise ValueError(month_day)
        datetime.date(2027, int(match.group(1)), int(match.group(2)))  # 2027 is not a leap year
    except ValueError:
        c.error(
            f"{path}.month_day",
            f'"{_show(month_day)}" is not a day of every year (write MM-DD, like "02-23"; '
            "February 29th is not allowed)",
        )
        return None
    return Deadline(month_day=month_day)


def _duration(c: _Checker, value: Any, path: str, fields: dict[str, Field]) -> Duration | None:
    d = c.mapping(value, path, "the agreed duration")
    if d is None:
        return None
    c.attrs(d, path, _DURATION_ATTRS)

    def get(name: str) -> tuple[Any, str]:
        return d.get(name), f"{path}.{name}"

    months_field = _field_ref(c, *get("months_field"), fields, ("number",))
    end_date_field = _field_ref(c, *get("end_date_field"), fields, ("date",))
    suggested = c.integer(*get("suggested_months"), minimum=1, maximum=600)
    low = c.integer(*get("min_months"), minimum=1, maximum=600)
    high = c.integer(*get("max_months"), minimum=1, maximum=600)
    c.low_high(path, low, high, "min_months max_months")
    if suggested is not None and (
        (low is not None and suggested < low) or (high is not None and suggested > high)
    ):
        c.error(f"{path}.suggested_months", "suggested_months is outside min_months to max_months")
    return Duration(months_field, end_date_field, suggested, low, high)


# ---------------------------------------------------------------------------------------------
# to_dict


def _rules_to_dict(rules: Rules) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(rules):
        value = getattr(rules, f.name)
        if value is None:
            continue
        if isinstance(value, Deadline | Contact | Duration):
            value = {k: v for k, v in dataclasses.asdict(value).items() if v is not None}
            if isinstance(value.get("date"), datetime.date):
                value["date"] = value["date"].isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def _section_to_dict(section: Section) -> dict[str, Any]:
    d: dict[str, Any] = {"key": section.key}
    if section.heading is not None:
        d["heading"] = section.heading
    if section.instructions is not None:
        d["instructions"] = section.instructions
    d["blocks"] = [_block_to_dict(b) for b in section.blocks]
    return d


def _block_to_dict(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"text": block.text}
    if isinstance(block, Bullets):
        d: dict[str, Any] = {"bullets": list(block.items)}
        if block.numbered:
            d["numbered"] = True
        return d
    if isinstance(block, Signatures):
        return {"signatures": {"print_name": True} if block.print_name else {}}
    d = {"key": block.key, "kind": block.kind, "label": block.label}
    if block.help is not None:
        d["help"] = block.help
    if block.required:
        d["required"] = True
    if block.party != "shared":
        d["party"] = block.party
    for name in _KIND_ATTRS[block.kind]:
        if name == "horizon":
            continue
        value = getattr(block, name)
        if value is None or value == () or value is False:
            continue
        if name == "options":
            value = [{"key": o.key, "label": o.label} for o in value]
        elif name == "columns":
            value = [_column_to_dict(col) for col in value]
        elif isinstance(value, tuple):
            value = list(value)
        d[name] = value
    return d


def _column_to_dict(column: Column) -> dict[str, Any]:
    d: dict[str, Any] = {"key": column.key, "label": column.label, "kind": column.kind}
    if column.max_length is not None:
        d["max_length"] = column.max_length
    return d
