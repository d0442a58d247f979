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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mentorpact.lib.dates import add_months

from . import kinds, shape, yamltext
from .kinds.counts import COUNT_MAX  # noqa: F401 - read from here by values.py
from .shape import (  # noqa: F401 - the format's names, read from here by the rest of Mentorpact
    DEFAULT_MAX_LENGTH,
    NUMBER_LIMIT,
    ROLES,
    describe,
)
from .yamltext import show as _show

FORMAT_VERSION = 1
MAX_TEMPLATE_CHARS = 200_000

FIELD_KINDS = tuple(shape.KIND_MODELS)  # the built-in kinds: text, textarea, list, goals, ...

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
    # textarea, list, goals: "goal"; table: "commitment"; None: not in the action plan
    plan: str | None = None
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
    # The attributes of a kind that none of the above hold, as (name, value) pairs in the
    # order its model declares them (a kind added in its own module keeps its attributes here).
    extra: tuple[tuple[str, Any], ...] = ()

    def attribute(self, name: str) -> Any:
        """One of the kind's attributes, wherever it is kept (None when it has none)."""
        if name in _FIELD_SLOTS:
            return getattr(self, name)
        return dict(self.extra).get(name)

    def option_keys(self) -> tuple[str, ...]:
        keys = tuple(option.key for option in self.options)
        return keys + ("other",) if self.other else keys


_FIELD_SLOTS = frozenset(f.name for f in dataclasses.fields(Field)) - {"extra"}

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
    by_meeting: int | None = None  # by the end of meeting N: due by an event, not a date

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
class Frequency:
    """At least `times` contacts every `every` `per`s ("twice a month", "once every 3 weeks")."""

    times: int
    per: str  # one of shape.PERIODS
    every: int = 1


@dataclass(frozen=True)
class Contact:
    """The least contact: fixed by the program (`times`, `per`, `every`), or read from what
    the pair agreed (`times_field`, `every_field`, `frequency_field` with `frequencies`); a
    fixed value is the default when the pair's field is empty. progress.schedule.agreed_contact
    resolves it."""

    times: int | None = None
    per: str | None = None
    every: int | None = None
    times_field: str | None = None  # a number field, or a counts field (its total)
    every_field: str | None = None  # a number field: "once every ___ weeks"
    frequency_field: str | None = None  # a choice field, its options in `frequencies`
    frequencies: tuple[tuple[str, Frequency], ...] = ()


@dataclass(frozen=True)
class MeetingLength:
    """How long each meeting lasts: fixed bounds, or the pair's own (a number field each);
    a fixed bound is the default when the pair's field is empty. Checked when a meeting is
    scheduled or recorded (terms.length_warning): the partners may record it anyway."""

    min_minutes: int | None = None
    max_minutes: int | None = None
    min_minutes_field: str | None = None
    max_minutes_field: str | None = None


@dataclass(frozen=True)
class Duration:
    months_field: str | None = None  # a number (or choice) field holding the agreed months
    end_date_field: str | None = None  # a date field holding the agreed end date
    suggested_months: int | None = None
    min_months: int | None = None
    max_months: int | None = None
    # A choice months_field's options as months: (("three", 3), ("six", 6), ...).
    months_choices: tuple[tuple[str, int], ...] = ()
    end_date: datetime.date | None = None  # the program's fixed end
    end_months_after_kickoff: int | None = None  # the program's end, after its kick-off

    def months_in(self, value: Any) -> int | None:
        """The months an agreed value of `months_field` stands for (None: none agreed)."""
        if self.months_choices:
            key = value.get("choice") if isinstance(value, dict) else value
            return dict(self.months_choices).get(key) if isinstance(key, str) else None
        try:
            months = int(value)
        except (TypeError, ValueError):
            return None
        return months if months > 0 else None

    def program_end(self, kickoff: datetime.date | None) -> datetime.date | None:
        """The program's own end date, fixed or counted from its kick-off."""
        if self.end_date is not None:
            return self.end_date
        if self.end_months_after_kickoff and kickoff is not None:
            return add_months(kickoff, self.end_months_after_kickoff)
        return None


@dataclass(frozen=True)
class Rules:
    distribution: str | None = None  # program | pair (always set on a loaded template)
    return_address: str | None = None
    agreement_due: Deadline | None = None
    first_meeting_within_weeks: int | None = None
    action_plan_by_meeting: int | None = None
    sign_reminder_days: int | None = None  # remind a waiting signer every N days (default 3)
    min_contact: Contact | None = None
    min_meetings: int | None = None
    meeting_length: MeetingLength | None = None
    duration: Duration | None = None
    notice_days: int | None = None  # ending early takes effect N days after notice
    midpoint_check: bool | None = None
    keep_copy: bool | None = None
    activity_log: bool | None = None
    networking_functions: bool | None = None
    periodic_evaluations: bool | None = None
    action_plan_owner_field: str | None = None
    meeting_modes_field: str | None = None
    organiser_field: str | None = None  # a choice field: mentee, mentor or both arrange
    contingency_field: str | None = None  # the pair's words on cancelling or postponing
    feedback_questions: tuple[str, ...] | None = None
    feedback_from: tuple[str, ...] | None = None  # who answers them: mentee and/or mentor
    # The exceptions to confidentiality the form declares, kept as records by the
    # confidentiality app: agreed_disclosure and/or serious_danger.
    confidentiality_exceptions: tuple[str, ...] | None = None

    def due_date(self, kickoff: datetime.date | None) -> datetime.date | None:
        """The date the signed agreement is due, for a partnership kicked off on `kickoff`."""
        return self.agreement_due.resolve(kickoff) if self.agreement_due else None


DEFAULT_ROLE_LABELS = {"mentor": "Mentor", "mentee": "Mentee", "coordinator": "Coordinator"}
PARTNER_ROLES = ("mentor", "mentee")


@dataclass(frozen=True)
class ExtraSigner:
    """A signer beyond the pair and the program (a parent or guardian, a supervisor): the
    partner `named_by` gives their name and email, and they are invited by email to sign."""

    key: str
    label: str  # "Parent or guardian": how the form names them
    named_by: str  # mentee | mentor


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
    # How the form names the built-in roles, where it renames them: (("mentee", "Student"),).
    roles: tuple[tuple[str, str], ...] = ()
    # The signers beyond mentor, mentee and coordinator, in `signers` order.
    extra_signers: tuple[ExtraSigner, ...] = ()

    def role_label(self, role: str) -> str:
        """How the form names a role, as a title ("Student", "Parent or guardian"); the
        internal role (mentor, mentee, coordinator, an extra signer's key) stays as it is."""
        for extra in self.extra_signers:
            if extra.key == role:
                return extra.label
        return dict(self.roles).get(role) or DEFAULT_ROLE_LABELS.get(role, role)

    def role_noun(self, role: str) -> str:
        """The role's label inside a sentence ("the student", "the parent or guardian"); a
        label that starts with an acronym ("HR partner") keeps its capitals."""
        label = self.role_label(role)
        return label if label[1:2].isupper() else label[:1].lower() + label[1:]

    def extra_signer(self, key: str) -> ExtraSigner | None:
        return next((extra for extra in self.extra_signers if extra.key == key), None)

    @property
    def partner_signers(self) -> tuple[str, ...]:
        """The partners among the signers (the mentor, the mentee or both)."""
        return tuple(role for role in self.signers if role in PARTNER_ROLES)

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
        if self.roles:
            d["roles"] = dict(self.roles)
        extra = {signer.key: signer for signer in self.extra_signers}
        d["signers"] = [
            dataclasses.asdict(extra[key]) if key in extra else key for key in self.signers
        ]
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
    data, lines, errors = yamltext.read(text, filename)
    if errors:
        raise TemplateError(errors)
    return _build(data, filename, lines)


def builtin_templates() -> dict[str, str]:
    """The built-in templates' YAML sources, by slug (the file's stem)."""
    folder = Path(__file__).resolve().parent / "builtin"
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.yaml"))}


# ---------------------------------------------------------------------------------------------
# Validation: each part of the template is checked by its model in shape.py; this only walks
# the parts in order, so each problem is reported at its path, and builds the dataclasses.

_BLOCK_MARKERS = ("text", "bullets", "signatures")


class _Report:
    """Every problem found, each as `file:line: path: message`."""

    def __init__(self, filename: str, lines: dict[str, int]):
        self.filename = filename
        self.lines = lines
        self.errors: list[str] = []

    def error(self, path: str, message: str, *, at: str | None = None) -> None:
        """Record a message about `path`, on the line of `at` (default: `path` or the nearest
        enclosing value that has a line)."""
        self.errors.append(yamltext.message_at(self.filename, self.lines, path, message, at))

    def mapping(self, value: Any, path: str, what: str) -> dict | None:
        if isinstance(value, dict):
            return value
        self.error(path, f"expected {what} (a mapping of name: value), got {describe(value)}")
        return None

    def validate(self, model: type[shape.Shape], data: Any, path: str, **context: Any) -> Any:
        """The validated model, or None when it has problems (each one recorded)."""
        result, found = shape.validate(model, data, path, context=context)
        for problem_path, message, at in found:
            self.error(problem_path, message, at=at)
        return result


def _build(data: Any, filename: str, lines: dict[str, int]) -> Template:
    report = _Report(filename, lines)
    top = report.mapping(data, "", "a template")
    if top is None:
        raise TemplateError(report.errors)

    version = top.get("format")
    if version is None:
        report.error("format", f"missing (start the template with `format: {FORMAT_VERSION}`)")
        raise TemplateError(report.errors)
    if type(version) is not int or version != FORMAT_VERSION:
        # Another version may have another structure: checking further would only mislead.
        shown = f'"{_show(version)}"' if isinstance(version, str) else _show(version)
        report.error(
            "format",
            f"unknown format version {shown} "
            f"(this version of Mentorpact reads format {FORMAT_VERSION})",
        )
        raise TemplateError(report.errors)

    head = report.validate(shape.Top, top, "")
    signer_keys = (
        tuple(s if isinstance(s, str) else s["key"] for s in head.signers) if head else None
    )
    sections = _sections(report, top.get("sections"), signer_keys)
    found = [b for s in sections for b in s.blocks if isinstance(b, Field)]
    fields = {f.key: f.kind for f in found}
    options = {f.key: f.option_keys() for f in found if f.kind == "choice"}
    rules = _rules(report, top.get("rules"), fields, options)

    if report.errors:
        raise TemplateError(report.errors)
    return Template(
        format=FORMAT_VERSION,
        slug=head.slug,
        title=head.title,
        program_name=head.program_name,
        source=head.source,
        signers=signer_keys or (),
        rules=rules,  # type: ignore[arg-type]
        sections=sections,
        subtitle=head.subtitle,
        instructions=head.instructions,
        roles=tuple((role, head.roles[role]) for role in shape.ROLES if role in head.roles)
        if head.roles
        else (),
        extra_signers=tuple(ExtraSigner(**s) for s in head.signers if isinstance(s, dict)),
    )


def _sections(report: _Report, value: Any, signers: tuple[str, ...] | None) -> tuple[Section, ...]:
    raw = value if isinstance(value, list) else []  # shape.Top said what else is wrong
    if isinstance(value, list) and not value:
        report.error("sections", "a template needs at least one section")
    sections: list[Section] = []
    section_paths: dict[str, str] = {}
    field_paths: dict[str, str] = {}
    signature_paths: list[str] = []
    for i, item in enumerate(raw):
        path = f"sections[{i}]"
        d = report.mapping(item, path, "a section")
        if d is None:
            continue
        section = report.validate(shape.Section, d, path)
        key = d.get("key")
        if isinstance(key, str) and key in section_paths:
            report.error(
                f"{path}.key", f'duplicate section key "{key}" (also {section_paths[key]})'
            )
        elif isinstance(key, str):
            section_paths[key] = path
        blocks: list[Block] = []
        blocks_raw = d.get("blocks")
        for j, block_raw in enumerate(blocks_raw if isinstance(blocks_raw, list) else ()):
            block_path = f"{path}.blocks[{j}]"
            block = _block(report, block_raw, block_path, signers)
            # Check field keys on the raw block, so a duplicate is reported even when the
            # field has other errors too.
            raw_key = block_raw.get("key") if isinstance(block_raw, dict) else None
            if isinstance(raw_key, str) and shape.KEY_RE.match(raw_key):
                if raw_key in field_paths:
                    report.error(
                        f"{block_path}.key",
                        f'duplicate field key "{raw_key}" (also used at {field_paths[raw_key]})',
                    )
                    block = None
                field_paths.setdefault(raw_key, block_path)
            if isinstance(block, Signatures):
                if signature_paths:
                    report.error(
                        block_path,
                        f"a template has one signature block (the first is {signature_paths[0]})",
                    )
                signature_paths.append(block_path)
            if block is not None:
                blocks.append(block)
        if section is not None:
            sections.append(
                Section(section.key, section.heading, section.instructions, tuple(blocks))
            )
    return tuple(sections)


def _block(
    report: _Report, raw: Any, path: str, signers: tuple[str, ...] | None = None
) -> Block | None:
    d = report.mapping(raw, path, "a block")
    if d is None:
        return None
    found = [m for m in _BLOCK_MARKERS if m in d]
    if "kind" in d or "key" in d:
        found.append("a field (key, kind)")
    if len(found) > 1:
        report.error(
            path,
            "a block is one of text, bullets, signatures or a field; this one has "
            + " and ".join(found),
        )
        return None
    if not found:
        report.error(
            path, "expected a block: text, bullets, signatures, or a field (key, kind, label)"
        )
        return None
    if "text" in d:
        paragraph = report.validate(shape.ParagraphBlock, d, path)
        return Paragraph(paragraph.text) if paragraph else None
    if "bullets" in d:
        bullets = report.validate(shape.BulletsBlock, d, path)
        return Bullets(bullets.bullets, bool(bullets.numbered)) if bullets else None
    if "signatures" in d:
        signatures = report.validate(shape.SignaturesBlock, d, path)
        return Signatures(bool(signatures.signatures.print_name)) if signatures else None
    return _field(report, d, path, signers)


def _field(
    report: _Report, d: dict, path: str, signers: tuple[str, ...] | None = None
) -> Field | None:
    kind = d.get("kind")
    if not (isinstance(kind, str) and kind in kinds.KINDS):
        # The kind decides which other attributes apply: check only those every field has.
        common = {
            n: v
            for n, v in d.items()
            if n not in shape.FieldBase.all_attributes or n in shape.COMMON_FIELD_ATTRS
        }
        report.validate(shape.FieldBase, common, path)
        return None
    # The signers (None when they have problems of their own): an acknowledgement names who
    # accepts it among them.
    field = report.validate(shape.KIND_MODELS[kind], d, path, signers=signers)
    if field is None:
        return None
    attributes = field.attributes()
    if "options" in attributes:
        attributes["options"] = tuple(Option(o.key, o.label) for o in attributes["options"])
    if "columns" in attributes:
        attributes["columns"] = tuple(_column(c) for c in attributes["columns"])
    return Field(
        key=field.key,
        kind=kind,
        label=field.label,
        help=field.help,
        required=bool(field.required),
        party=field.party or "shared",
        **{name: value for name, value in attributes.items() if name in _FIELD_SLOTS},
        extra=tuple((n, v) for n, v in attributes.items() if n not in _FIELD_SLOTS),
    )


def _column(column: shape.Column) -> Column:
    kind = column.kind or "text"
    max_length = None if kind == "date" else column.max_length or DEFAULT_MAX_LENGTH[kind]
    return Column(column.key, column.label, kind, max_length)


def _rules(
    report: _Report, value: Any, fields: dict[str, str], options: dict[str, tuple[str, ...]]
) -> Rules | None:
    if value is None:
        report.error("rules", "missing (at least `distribution: program` or `distribution: pair`)")
        return None
    d = report.mapping(value, "rules", "the program's rules")
    if d is None:
        return None
    rules = report.validate(shape.Rules, d, "rules", fields=fields, options=options)
    if rules is None:
        return None
    deadline = rules.agreement_due
    contact = rules.min_contact
    duration = rules.duration
    return Rules(
        **{
            name: getattr(rules, name)
            for name in shape.Rules.model_fields
            if name not in ("agreement_due", "min_contact", "duration", "meeting_length")
        },
        agreement_due=Deadline(**dict(deadline)) if deadline else None,
        min_contact=_contact(contact) if contact else None,
        duration=_duration(duration) if duration else None,
        meeting_length=MeetingLength(**dict(rules.meeting_length))
        if rules.meeting_length
        else None,
    )


def _contact(contact: shape.Contact) -> Contact:
    frequencies = tuple(
        (key, Frequency(f.times, f.per, f.every or 1))
        for key, f in sorted((contact.frequencies or {}).items())
    )
    return Contact(
        **{
            name: getattr(contact, name)
            for name in shape.Contact.model_fields
            if name != "frequencies"
        },
        frequencies=frequencies,
    )


def _duration(duration: shape.Duration) -> Duration:
    attributes = dict(duration)
    # Sorted: a stored definition (PostgreSQL's jsonb) does not keep a mapping's order.
    attributes["months_choices"] = tuple(sorted((attributes.pop("months_choices") or {}).items()))
    return Duration(**attributes)


# ---------------------------------------------------------------------------------------------
# to_dict


def _rules_to_dict(rules: Rules) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(rules):
        value = getattr(rules, f.name)
        if value is None:
            continue
        if isinstance(value, Deadline | Contact | Duration | MeetingLength):
            value = {
                k: v for k, v in dataclasses.asdict(value).items() if v is not None and v != ()
            }
            for name in ("date", "end_date"):
                if isinstance(value.get(name), datetime.date):
                    value[name] = value[name].isoformat()
            if "frequencies" in value:  # asdict made each (key, Frequency) a list
                value["frequencies"] = {key: f for key, f in value["frequencies"]}
            if "months_choices" in value:
                value["months_choices"] = dict(value["months_choices"])
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
    for name in shape.KIND_ATTRS[block.kind]:
        if name == "horizon":
            continue
        value = block.attribute(name)
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
