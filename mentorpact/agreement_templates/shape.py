"""The template format's shape, declared as pydantic models (`extra="forbid"`).

Each model says which attributes a part of a template has and how each value is checked;
schema.py turns a validated model into the frozen dataclasses the rest of Mentorpact reads.
The wording of every problem is ours, not pydantic's: each value check raises a `template`
error carrying the finished message, and `problems` turns pydantic's errors (their `loc` is the
path inside the template) into (path, message, line path) triples, naming an unknown attribute
with a "did you mean", a non-mapping as "expected ... (a mapping of name: value)" and so on.

The value checks keep today's rules: a value that is absent and a value that is null (`~`)
read the same; a text must not be blank; numbers are whole and within limits; yes/no values
are refused where text is expected, with a hint to quote them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import difflib
import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any, ClassVar, get_args, get_origin

from annotated_types import GroupedMetadata
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    WrapValidator,
    model_validator,
)
from pydantic import Field as Attr
from pydantic_core import InitErrorDetails, PydanticCustomError

from mentorpact.lib import bounds

from .yamltext import show

NUMBER_LIMIT = 1_000_000_000  # no number in a template or a value may exceed this
LIMIT_SHORT = 500  # titles, headings, labels, option labels
LIMIT_LONG = 20_000  # paragraphs, statements, help, instructions

KEY_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

Loc = tuple[str | int, ...]


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, int | float):
        return f"the number {show(value)}"
    if isinstance(value, datetime.date):
        return f"the date {value}"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f'the text "{show(value)}"'
    return f"a {type(value).__name__}"


# ---------------------------------------------------------------------------------------------
# Raising problems from inside a validator


def problem(message: str, **ctx: Any) -> PydanticCustomError:
    """Our finished message as a pydantic error. `at` names a sibling attribute whose line the
    message is shown on (the value itself may be absent); `also`, the index of an earlier item
    whose path replaces "{also}" in the message."""
    ctx = {"message": message, **{name: value for name, value in ctx.items() if value is not None}}
    # The message goes in the context: the template string itself is formatted by pydantic.
    return PydanticCustomError("template", "{message}", ctx)


class Problems:
    """Several problems found by one validator, each at a path below the value it checks."""

    def __init__(self) -> None:
        self.details: list[InitErrorDetails] = []

    def add(self, loc: Loc, message: str, *, value: Any = None, **ctx: Any) -> None:
        self.details.append(InitErrorDetails(type=problem(message, **ctx), loc=loc, input=value))

    def extend(self, error: ValidationError, prefix: Loc = ()) -> None:
        """Keep the problems pydantic found below this value (run by a wrap validator)."""
        for detail in error.errors(include_url=False):
            kind = detail["type"]
            ctx = detail.get("ctx") or {}
            error_type: Any = problem(**ctx) if kind == "template" else kind
            copied = InitErrorDetails(
                type=error_type, loc=prefix + tuple(detail["loc"]), input=detail.get("input")
            )
            if ctx and kind != "template":
                copied["ctx"] = ctx
            self.details.append(copied)

    def raise_any(self) -> None:
        if self.details:
            raise ValidationError.from_exception_data("template", self.details)


# ---------------------------------------------------------------------------------------------
# Value checks. Each returns the value (or None when absent) or raises a problem.


def check_text(
    value: Any, *, required: bool = False, limit: int = LIMIT_SHORT, why: str = ""
) -> str | None:
    if value is None:
        if required:
            raise problem(f"missing ({why})" if why else "missing")
        return None
    if not isinstance(value, str):
        hint = ""
        if isinstance(value, bool | int | float | datetime.date):
            hint = ' (put it in "quotes" if it is meant as text)'
        raise problem(f"expected text, got {describe(value)}{hint}")
    if not value.strip():
        raise problem("must not be empty")
    if len(value) > limit:
        raise problem(f"is {len(value):,} characters long; the limit is {limit:,}")
    return value


def check_key(value: Any, *, required: bool = True) -> str | None:
    text = check_text(value, required=required, limit=60)
    if text is not None and not KEY_RE.match(text):
        raise problem(
            f'"{show(text)}" is not a valid key (use lowercase letters, digits and _, '
            "starting with a letter)"
        )
    return text


def check_integer(
    value: Any,
    *,
    minimum: int = -NUMBER_LIMIT,
    maximum: int = NUMBER_LIMIT,
    required: bool = False,
) -> int | None:
    if value is None:
        if required:
            raise problem("missing")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise problem(f"expected a whole number, got {describe(value)}")
    if value < minimum:
        raise problem(f"must be at least {minimum:,} (got {show(value)})")
    if value > maximum:
        raise problem(f"must be at most {maximum:,} (got {show(value)})")
    return value


def check_boolean(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise problem(f"expected true or false, got {describe(value)}")


def check_one_of(
    value: Any, allowed: tuple[str, ...], *, what: str, missing: str | None = None
) -> str | None:
    if value is None:
        if missing is not None:
            raise problem(missing)
        return None
    if isinstance(value, str) and value in allowed:
        return value
    shown = f'"{show(value)}"' if isinstance(value, str) else describe(value)
    raise problem(f"unknown {what} {shown} (expected one of: {', '.join(allowed)})")


def check_list(value: Any, *, required: bool = False, empty: str | None = None) -> list | None:
    if value is None:
        if required:
            raise problem("missing")
        return None
    if not isinstance(value, list):
        raise problem(f"expected a list, got {describe(value)}")
    if not value and empty:
        raise problem(empty)
    return value


def check_date(value: Any) -> datetime.date | None:
    day = None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        day = value
    elif isinstance(value, str) and _DATE_RE.match(value):
        with contextlib.suppress(ValueError):  # 2027-02-30: not a real date
            day = datetime.date.fromisoformat(value)
    if day is None:
        raise problem(f"{describe(value)} is not a real date (write YYYY-MM-DD, like 2027-02-23)")
    out_of_range = bounds.date_problem(day)
    if out_of_range:
        raise problem(f"{day.isoformat()}: {out_of_range}")
    return day


def check_texts(value: Any, *, limit: int) -> tuple[str, ...]:
    items = check_list(value, required=True, empty="must not be empty") or []
    problems = Problems()
    for i, item in enumerate(items):
        try:
            check_text(item, required=True, limit=limit)
        except PydanticCustomError as error:
            problems.add((i,), error.context["message"], value=item)  # type: ignore[index]
    problems.raise_any()
    return tuple(items)


def unique_choices(
    value: Any, allowed: tuple[str, ...], *, what: str, problems: Problems
) -> list[str]:
    """The distinct allowed names in a list, each problem recorded at its index."""
    chosen: list[str] = []
    for i, item in enumerate(value):
        if item is None:
            problems.add((i,), f"missing (expected one of: {', '.join(allowed)})")
            continue
        try:
            name = check_one_of(item, allowed, what=what)
        except PydanticCustomError as error:
            problems.add((i,), error.context["message"], value=item)  # type: ignore[index]
            continue
        if name in chosen:
            problems.add((i,), f'"{name}" is listed twice')
        elif name is not None:
            chosen.append(name)
    return chosen


def _before(check: Callable[..., Any], **options: Any) -> Any:
    return BeforeValidator(lambda value: check(value, **options))


@dataclasses.dataclass(frozen=True)
class Input(GroupedMetadata):
    """A value check, and the control the form editor (builder.py) draws for the attribute:
    "text", "long" (a paragraph), "key", "number", "choice" (one of `choices`) or "field" (the
    key of a field of one of the kinds in `choices`). pydantic applies only the validator."""

    validator: Any
    control: str = "text"
    choices: tuple[str, ...] = ()

    def __iter__(self) -> Any:
        yield self.validator


def Text(*, required: bool = False, limit: int = LIMIT_SHORT, why: str = "") -> Any:  # noqa: N802
    check = _before(check_text, required=required, limit=limit, why=why)
    return Input(check, "long" if limit > LIMIT_SHORT else "text")


def Key(*, required: bool = True) -> Any:  # noqa: N802
    return Input(_before(check_key, required=required), "key")


def Integer(  # noqa: N802
    *, minimum: int = -NUMBER_LIMIT, maximum: int = NUMBER_LIMIT, required: bool = False
) -> Any:
    check = _before(check_integer, minimum=minimum, maximum=maximum, required=required)
    return Input(check, "number")


def OneOf(allowed: tuple[str, ...], *, what: str, missing: str | None = None) -> Any:  # noqa: N802
    check = _before(check_one_of, allowed=allowed, what=what, missing=missing)
    return Input(check, "choice", allowed)


Boolean = BeforeValidator(check_boolean)

# Every attribute may be left out: absent and null read the same, and the check says whether
# the attribute is required ("missing (every field needs a label)").
OPTIONAL: Any = Attr(default=None, validate_default=True)


# ---------------------------------------------------------------------------------------------
# The base of every model, and turning pydantic's errors into ours


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    # What the part is, for "expected <what> (a mapping of name: value)".
    what: ClassVar[str] = "a mapping"

    @classmethod
    def attribute_names(cls) -> tuple[str, ...]:
        return tuple(cls.model_fields)

    @classmethod
    def unknown_attribute(cls, name: str) -> str:
        message = f'unknown attribute "{show(name)}"'
        close = difflib.get_close_matches(str(name), cls.attribute_names(), n=1, cutoff=0.7)
        if close:
            message += f' (did you mean "{close[0]}"?)'
        return message


def join(path: str, step: str | int) -> str:
    if isinstance(step, int):
        return f"{path}[{step}]"
    return f"{path}.{show(step)}" if path else show(step)


def path_of(base: str, loc: Iterable[str | int]) -> str:
    for step in loc:
        base = join(base, step)
    return base


def _inner(annotation: Any) -> Any:
    """The model inside Annotated[...], X | None, tuple[X, ...] or list[X], if any."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (tuple, list) or (origin is not None and type(None) in get_args(annotation)):
            args = [a for a in get_args(annotation) if a is not type(None) and a is not Ellipsis]
            if not args:
                return None
            annotation = args[0]
        else:
            return annotation


def _model_at(model: type[Shape], loc: Loc) -> type[Shape]:
    """The model that validates the value at `loc` inside `model` (loc's last step excluded
    by the caller)."""
    for step in loc:
        if isinstance(step, int):
            continue
        field = model.model_fields.get(str(step))
        inner = _inner(field.annotation) if field else None
        if not (isinstance(inner, type) and issubclass(inner, Shape)):
            break
        model = inner
    return model


def problems(
    error: ValidationError, model: type[Shape], base: str
) -> list[tuple[str, str, str | None]]:
    """(path, message, path of the line to show) for each of pydantic's errors."""
    out = []
    details = error.errors(include_url=False)
    # Unknown attributes first: a misspelt name explains the "missing" that may follow.
    details.sort(key=lambda detail: detail["type"] != "extra_forbidden")
    for detail in details:
        loc = tuple(detail["loc"])
        path = path_of(base, loc)
        kind = detail["type"]
        ctx = detail.get("ctx") or {}
        at = None
        if kind == "template":
            message = ctx["message"]
            at = path_of(base, loc[:-1] + (ctx["at"],)) if ctx.get("at") else None
            if "also" in ctx:
                message = message.replace("{also}", path_of(base, loc[:-2] + (ctx["also"],)))
        elif kind == "extra_forbidden":
            message = _model_at(model, loc[:-1]).unknown_attribute(str(loc[-1]))
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            what = _model_at(model, loc).what
            message = f"expected {what} (a mapping of name: value), got {describe(detail['input'])}"
        elif kind in ("tuple_type", "list_type"):
            message = f"expected a list, got {describe(detail['input'])}"
        else:  # pragma: no cover - every value check raises a template error first
            message = detail["msg"]
        out.append((path, message, at))
    return out


def validate(
    model: type[Shape], data: Any, base: str, *, context: dict[str, Any] | None = None
) -> tuple[Any, list[tuple[str, str, str | None]]]:
    """The validated model (or None) and every problem, at paths below `base`."""
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as error:
        return None, problems(error, model, base)


def wrap(check: Callable[[Any, Callable[[Any], Any], Problems], Any]) -> Any:
    """A wrap validator that checks the raw value, lets pydantic validate it, and reports both
    its own problems and pydantic's together."""

    def validator(value: Any, handler: Callable[[Any], Any]) -> Any:
        found = Problems()
        result = check(value, handler, found)
        found.raise_any()
        return result

    return WrapValidator(validator)


def run(handler: Callable[[Any], Any], value: Any, found: Problems) -> Any:
    """pydantic's own validation of `value`, its problems kept in `found`."""
    try:
        return handler(value)
    except ValidationError as error:
        found.extend(error)
        return None


class Checked(Shape):
    """A model with checks across its attributes: `check_raw` sees the mapping as written
    (absent and null alike), after pydantic has checked each attribute, so every problem is
    reported at once."""

    @model_validator(mode="wrap")
    @classmethod
    def _check_across(cls, data: Any, handler: Callable[[Any], Any], info: ValidationInfo) -> Any:
        found = Problems()
        result = run(handler, data, found)
        if isinstance(data, dict):
            cls.check_raw(data, found, info.context or {})
        found.raise_any()
        return result

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        pass


def valid(check: Callable[..., Any], value: Any, **options: Any) -> Any:
    """`check(value)` when the value passes it, else None (its problem is reported elsewhere)."""
    try:
        return check(value, **options)
    except (PydanticCustomError, ValidationError):
        return None


def low_high(
    d: dict[str, Any], found: Problems, low_name: str, high_name: str, **limits: Any
) -> None:
    low = valid(check_integer, d.get(low_name), **limits)
    high = valid(check_integer, d.get(high_name), **limits)
    if low is not None and high is not None and low > high:
        found.add((low_name,), f"{low_name} ({low}) is above {high_name} ({high})")


# ---------------------------------------------------------------------------------------------
# The template's parts

ROLES = ("mentor", "mentee", "coordinator")
PARTIES = ("shared", "mentor", "mentee")
PARTNERS = ("mentee", "mentor")
COLUMN_KINDS = ("text", "textarea", "date")
GOAL_PARTS = ("goal", "measure", "target_date")
HORIZONS = ("short", "long")
DISTRIBUTIONS = ("program", "pair")
# "At least N times a <period>": the periods a contact rule may name.
PERIODS = ("day", "week", "fortnight", "month", "quarter", "semester", "year")
CONTACT_PERIODS = PERIODS

_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
_MONTH_DAY_RE = re.compile(r"(\d{2})-(\d{2})\Z")


def check_slug(value: Any) -> str | None:
    slug = check_text(value, required=True, limit=60)
    if slug is not None and not _SLUG_RE.match(slug):
        raise problem(f'"{show(slug)}" is not a valid slug (use a-z, 0-9 and single hyphens)')
    return slug


MAX_EXTRA_SIGNERS = 3
SIGNER_KEY_LIMIT = 20  # agreements.Signature.role
ROLE_LABEL_LIMIT = 60


class ExtraSigner(Checked):
    """A signer beyond the pair and the program: a parent or guardian, a supervisor. A partner
    gives their name and email; they are invited by email to sign."""

    what: ClassVar[str] = "a signer"

    key: Annotated[str, Key()] = OPTIONAL
    label: Annotated[
        str, Text(required=True, limit=ROLE_LABEL_LIMIT, why="how the form names this signer")
    ] = OPTIONAL
    named_by: Annotated[
        str,
        BeforeValidator(
            lambda v: check_one_of(
                v,
                PARTNERS,
                what="partner",
                missing="missing (the partner who gives this signer's name and email: "
                "mentee or mentor)",
            )
        ),
    ] = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        key = valid(check_key, d.get("key"))
        if key is not None and len(key) > SIGNER_KEY_LIMIT:
            found.add(("key",), f"is {len(key)} characters long; the limit is {SIGNER_KEY_LIMIT}")
        if d.get("key") in ROLES:
            found.add(
                ("key",),
                f'"{d["key"]}" is one of the built-in roles: list it as `- {d["key"]}` '
                "(rename it under roles)",
            )


def check_signers(value: Any) -> tuple[str | dict[str, str], ...]:
    """Each signer: a built-in role's name (mentor, mentee, coordinator) or an extra signer's
    mapping (key, label, named_by). The mentor or the mentee (or both) signs."""
    raw = check_list(value, required=True, empty="a template needs at least one signer") or []
    found = Problems()
    signers: list[str | dict[str, str]] = []
    keys: list[str] = []
    extra = 0
    for i, item in enumerate(raw):
        if isinstance(item, dict):
            extra += 1
            signer, found_here = validate(ExtraSigner, item, "")
            for path, message, _at in found_here:
                found.add((i, path) if path else (i,), message)
            if signer is None:
                continue
            if signer.key in keys:
                found.add((i, "key"), f'"{signer.key}" is listed twice')
                continue
            if extra > MAX_EXTRA_SIGNERS:
                found.add((i,), f"at most {MAX_EXTRA_SIGNERS} signers beyond the built-in roles")
                continue
            keys.append(signer.key)
            signers.append({"key": signer.key, "label": signer.label, "named_by": signer.named_by})
            continue
        if item is None:
            found.add((i,), f"missing (expected one of: {', '.join(ROLES)}, or a signer's mapping)")
            continue
        try:
            name = check_one_of(item, ROLES, what="signer")
        except PydanticCustomError as error:
            message = error.context["message"]  # type: ignore[index]
            if isinstance(item, str):
                message += (
                    f" (a signer beyond these is a mapping: {{key: {show(item)}, label: ..., "
                    "named_by: mentee})"
                )
            found.add((i,), message, value=item)
            continue
        if name in keys:
            found.add((i,), f'"{name}" is listed twice')
        elif name is not None:
            keys.append(name)
            signers.append(name)
    if raw and not found.details and not any(role in keys for role in PARTNERS):
        found.add((), "the mentor or the mentee must sign: add mentor (or mentee) to signers")
    found.raise_any()
    return tuple(signers)


def check_role_labels(value: Any) -> dict[str, str] | None:
    """How the form names the built-in roles ({mentee: Student}); absent: Mentor, Mentee,
    Coordinator."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise problem(f"expected a mapping of role: label, got {describe(value)}")
    found = Problems()
    labels: dict[str, str] = {}
    for role, label in value.items():
        if role not in ROLES:
            shown = f'"{show(role)}"' if isinstance(role, str) else describe(role)
            found.add((str(role),), f"unknown role {shown} (expected one of: {', '.join(ROLES)})")
            continue
        try:
            text = check_text(label, required=True, limit=ROLE_LABEL_LIMIT)
        except PydanticCustomError as error:
            found.add((role,), error.context["message"], value=label)  # type: ignore[index]
            continue
        if text is not None:
            labels[role] = text
    found.raise_any()
    return labels


class Top(Shape):
    what: ClassVar[str] = "a template"

    format: Any = None  # read first, by schema.load_template: another version reads otherwise
    slug: Annotated[str, BeforeValidator(check_slug)] = OPTIONAL
    title: Annotated[str, Text(required=True)] = OPTIONAL
    subtitle: Annotated[str | None, Text()] = OPTIONAL
    program_name: Annotated[str | None, Text()] = OPTIONAL
    source: Annotated[str | None, Text()] = OPTIONAL
    instructions: Annotated[str | None, Text(limit=LIMIT_LONG)] = OPTIONAL
    roles: Annotated[dict[str, str] | None, BeforeValidator(check_role_labels)] = OPTIONAL
    signers: Annotated[tuple[str | dict[str, str], ...], BeforeValidator(check_signers)] = OPTIONAL
    rules: Any = None  # validated by Rules, once the fields are known
    sections: Annotated[list[Any], _before(check_list, required=True)] = OPTIONAL


class Section(Shape):
    what: ClassVar[str] = "a section"

    key: Annotated[str, Key()] = OPTIONAL
    heading: Annotated[str | None, Text()] = OPTIONAL
    instructions: Annotated[str | None, Text(limit=LIMIT_LONG)] = OPTIONAL
    # Each block is validated by the model its marker names (schema._block).
    blocks: Annotated[
        list[Any], _before(check_list, required=True, empty="a section needs at least one block")
    ] = OPTIONAL


class ParagraphBlock(Shape):
    text: Annotated[str, Text(required=True, limit=LIMIT_LONG)] = OPTIONAL


class BulletsBlock(Shape):
    bullets: Annotated[tuple[str, ...], _before(check_texts, limit=LIMIT_LONG)] = OPTIONAL
    numbered: Annotated[bool | None, Boolean] = OPTIONAL


class SignatureOptions(Shape):
    what: ClassVar[str] = "signature options"

    print_name: Annotated[bool | None, Boolean] = OPTIONAL


class SignaturesBlock(Shape):
    # `signatures:` alone (or `signatures: true`) is the default signature block.
    signatures: Annotated[
        SignatureOptions, BeforeValidator(lambda v: {} if v is None or v is True else v)
    ] = OPTIONAL


# ---------------------------------------------------------------------------------------------
# Fields: the attributes every field has; each kind adds its own (kinds.py)


def check_kind(value: Any) -> str | None:
    kinds = tuple(KIND_MODELS)
    return check_one_of(
        value, kinds, what="kind", missing=f"missing (expected one of: {', '.join(kinds)})"
    )


class FieldBase(Checked):
    what: ClassVar[str] = "a block"
    kind_name: ClassVar[str | None] = None  # None: the attributes every field has
    all_attributes: ClassVar[tuple[str, ...]] = ()  # every kind's, filled in by kinds.py

    key: Annotated[str, Key()] = OPTIONAL
    kind: Annotated[str, BeforeValidator(lambda v: check_kind(v))] = OPTIONAL
    label: Annotated[str, Text(required=True, why="every field needs a label")] = OPTIONAL
    help: Annotated[str | None, Text(limit=LIMIT_LONG)] = OPTIONAL
    required: Annotated[bool | None, Boolean] = OPTIONAL
    party: Annotated[str | None, OneOf(PARTIES, what="party")] = OPTIONAL

    @classmethod
    def unknown_attribute(cls, name: str) -> str:
        if cls.kind_name and name in cls.all_attributes:
            return f'"{name}" does not apply to a {cls.kind_name} field'
        message = f'unknown attribute "{show(name)}"'
        close = difflib.get_close_matches(str(name), cls.all_attributes, n=1, cutoff=0.7)
        if close:
            message += f' (did you mean "{close[0]}"?)'
        return message

    def attributes(self) -> dict[str, Any]:
        """The kind's own attributes, as schema.Field takes them (defaults filled in): by
        default every attribute its model adds to the common ones, as validated."""
        return {
            name: getattr(self, name)
            for name in type(self).model_fields
            if name not in FieldBase.model_fields
        }


class Option(Checked):
    what: ClassVar[str] = "an option with key and label"

    key: Annotated[str, Key()] = OPTIONAL
    label: Annotated[str, Text(required=True, why="every option needs a label")] = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        key = valid(check_key, d.get("key"))
        if key in ("other", "other_label"):
            found.add(("key",), f'"{key}" is reserved: use other: true for an "other" option')


class Column(Checked):
    what: ClassVar[str] = "a column with key, label and kind"

    key: Annotated[str, Key()] = OPTIONAL
    label: Annotated[str, Text(required=True, why="every column needs a label")] = OPTIONAL
    kind: Annotated[str | None, OneOf(COLUMN_KINDS, what="column kind")] = OPTIONAL
    max_length: Annotated[int | None, Integer(minimum=1, maximum=100_000)] = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        if d.get("kind") == "date" and d.get("max_length") is not None:
            found.add(("max_length",), '"max_length" does not apply to a date column')


def unique_keys(what: str, *, empty: str) -> Any:
    """A list of options or columns: at least one, each key once."""

    def check(value: Any, handler: Callable[[Any], Any], found: Problems) -> Any:
        raw = check_list(value, required=True, empty=empty)
        result = run(handler, raw, found)
        seen: dict[str, int] = {}
        for i, item in enumerate(raw or ()):
            if not isinstance(item, dict):
                continue
            key = valid(check_key, item.get("key"))
            label = valid(check_text, item.get("label"), required=True)
            if key in seen:
                found.add(
                    (i, "key"), f'duplicate {what} key "{key}" (also {{also}})', also=seen[key]
                )
            elif key is not None and label is not None:
                seen[key] = i
        return result

    return wrap(check)


# ---------------------------------------------------------------------------------------------
# Rules


def check_field_ref(value: Any, info: ValidationInfo, kinds: tuple[str, ...]) -> str | None:
    key = check_key(value, required=False)
    if key is None:
        return None
    fields = (info.context or {}).get("fields", {})
    wanted = " or ".join(kinds)
    if key not in fields:
        known = ", ".join(k for k, kind in fields.items() if kind in kinds) or "none"
        raise problem(f'no field "{key}" (the {wanted} fields are: {known})')
    if fields[key] not in kinds:
        raise problem(f'field "{key}" is a {fields[key]} field; expected a {wanted} field')
    return key


def FieldRef(*kinds: str) -> Any:  # noqa: N802
    check = BeforeValidator(lambda value, info: check_field_ref(value, info, kinds))
    return Input(check, "field", kinds)


def check_month_day(value: Any) -> str | None:
    month_day = check_text(value, required=True, limit=10)
    match = _MONTH_DAY_RE.match(month_day or "")
    try:
        if not match:
            raise ValueError(month_day)
        datetime.date(2027, int(match.group(1)), int(match.group(2)))  # 2027 is not a leap year
    except ValueError:
        raise problem(
            f'"{show(month_day)}" is not a day of every year (write MM-DD, like "02-23"; '
            "February 29th is not allowed)"
        ) from None
    return month_day


class Deadline(Checked):
    what: ClassVar[str] = (
        "{date: YYYY-MM-DD}, {days_after_kickoff: N}, {month_day: MM-DD} or {by_meeting: N}"
    )

    date: Annotated[datetime.date | None, BeforeValidator(lambda v: v and check_date(v))] = None
    days_after_kickoff: Annotated[int | None, Integer(minimum=0, maximum=3650)] = None
    month_day: Annotated[str | None, BeforeValidator(lambda v: v and check_month_day(v))] = None
    # Due by an event: signed by the end of meeting N ("at the initial meeting": 1).
    by_meeting: Annotated[int | None, Integer(minimum=1, maximum=1000)] = None

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        given = [name for name in cls.model_fields if name in d]
        if len(given) != 1:
            found.details.clear()  # which one was meant is unclear: say only that
            found.add((), "give exactly one of date, days_after_kickoff, month_day or by_meeting")


class Frequency(Shape):
    what: ClassVar[str] = "{times: N, per: a period, every: N}"

    times: Annotated[int, Integer(minimum=1, maximum=100, required=True)] = OPTIONAL
    per: Annotated[
        str,
        OneOf(PERIODS, what="period", missing=f"missing (one of: {', '.join(PERIODS)})"),
    ] = OPTIONAL
    every: Annotated[int | None, Integer(minimum=1, maximum=100)] = OPTIONAL


def option_keys_of(field: str | None, context: dict[str, Any]) -> tuple[str, ...] | None:
    """The option keys of a choice field the context knows (None for another field)."""
    if not isinstance(field, str):
        return None
    return (context.get("options") or {}).get(field)


def check_option_mapping(
    d: dict[str, Any],
    found: Problems,
    context: dict[str, Any],
    *,
    field_name: str,
    mapping_name: str,
) -> None:
    """`mapping_name` maps the options of the choice field `field_name` names: it is needed
    with the field, refused without it, and each key must be one of the field's options."""
    field, mapping = d.get(field_name), d.get(mapping_name)
    if field is not None and mapping is None:
        found.add((mapping_name,), f"missing: say what each option of {field_name} means")
    if field is None and mapping is not None:
        found.add((mapping_name,), f"{mapping_name} needs {field_name}")
    keys = option_keys_of(valid(check_key, field), context)
    if keys is None or not isinstance(mapping, dict):
        return
    for key in mapping:
        if key not in keys:
            found.add(
                (mapping_name, key),
                f'"{show(key)}" is not an option of field "{field}" '
                f"(its options are: {', '.join(keys)})",
            )


class Contact(Checked):
    what: ClassVar[str] = "{times: N, per: a period}, or the fields the pair fills in"

    times: Annotated[int | None, Integer(minimum=1, maximum=100)] = OPTIONAL
    per: Annotated[str | None, OneOf(PERIODS, what="period")] = OPTIONAL
    every: Annotated[int | None, Integer(minimum=1, maximum=100)] = OPTIONAL
    # What the pair agrees, read from their signed agreement (docs/templates.md): the
    # number of times (a number field, or the total of a counts field), "every N <per>"
    # (a number field), or one choice among frequencies.
    times_field: Annotated[str | None, FieldRef("number", "counts")] = OPTIONAL
    every_field: Annotated[str | None, FieldRef("number")] = OPTIONAL
    frequency_field: Annotated[str | None, FieldRef("choice")] = OPTIONAL
    frequencies: dict[str, Frequency] | None = None

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        chooses = d.get("frequency_field") is not None
        if d.get("times") is None and d.get("times_field") is None and not chooses:
            found.add(
                ("times",),
                "missing (a number of times, or times_field or frequency_field naming "
                "what the pair fills in)",
            )
        if d.get("per") is None and not chooses:
            found.add(("per",), f"missing (one of: {', '.join(PERIODS)})")
        if chooses and d.get("times_field") is not None:
            found.add(("times_field",), "give times_field or frequency_field, not both")
        check_option_mapping(
            d, found, context, field_name="frequency_field", mapping_name="frequencies"
        )


class Duration(Checked):
    what: ClassVar[str] = "the agreed duration"

    # The months the pair agrees: a number field, or a choice field ("3, 6 or 12 months")
    # whose options `months_choices` turns into months.
    months_field: Annotated[str | None, FieldRef("number", "choice")] = OPTIONAL
    months_choices: dict[str, Annotated[int, Integer(minimum=1, maximum=600)]] | None = None
    end_date_field: Annotated[str | None, FieldRef("date")] = OPTIONAL
    # The program's own end: a fixed date ("until May 2014") or months after its kick-off.
    end_date: Annotated[datetime.date | None, BeforeValidator(lambda v: v and check_date(v))] = None
    end_months_after_kickoff: Annotated[int | None, Integer(minimum=1, maximum=600)] = OPTIONAL
    suggested_months: Annotated[int | None, Integer(minimum=1, maximum=600)] = OPTIONAL
    min_months: Annotated[int | None, Integer(minimum=1, maximum=600)] = OPTIONAL
    max_months: Annotated[int | None, Integer(minimum=1, maximum=600)] = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        low_high(d, found, "min_months", "max_months", minimum=1, maximum=600)
        if d.get("end_date") is not None and d.get("end_months_after_kickoff") is not None:
            found.add(("end_months_after_kickoff",), "give end_date or this, not both")
        field = valid(check_key, d.get("months_field"))
        is_choice = option_keys_of(field, context) is not None
        fields = context.get("fields") or {}
        if d.get("months_choices") is not None and fields.get(field) == "number":
            found.add(("months_choices",), "months_choices applies to a choice months_field")
        elif is_choice or d.get("months_choices") is not None:
            check_option_mapping(
                d, found, context, field_name="months_field", mapping_name="months_choices"
            )
        months = {
            name: valid(check_integer, d.get(name), minimum=1, maximum=600)
            for name in ("suggested_months", "min_months", "max_months")
        }
        suggested, low, high = months.values()
        if suggested is not None and (
            (low is not None and suggested < low) or (high is not None and suggested > high)
        ):
            found.add(("suggested_months",), "suggested_months is outside min_months to max_months")


class MeetingLength(Checked):
    what: ClassVar[str] = "{min_minutes: N, max_minutes: N} (or the fields the pair fills in)"

    min_minutes: Annotated[int | None, Integer(minimum=1, maximum=1440)] = OPTIONAL
    max_minutes: Annotated[int | None, Integer(minimum=1, maximum=1440)] = OPTIONAL
    # "Each meeting will last a minimum of ___ minutes and a maximum of ___ minutes."
    min_minutes_field: Annotated[str | None, FieldRef("number")] = OPTIONAL
    max_minutes_field: Annotated[str | None, FieldRef("number")] = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        low_high(d, found, "min_minutes", "max_minutes", minimum=1, maximum=1440)
        if all(d.get(name) is None for name in cls.model_fields):
            found.add(
                (),
                "give at least one of min_minutes, max_minutes, min_minutes_field or "
                "max_minutes_field",
            )


def check_feedback_from(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    raw = check_list(value, required=True, empty="must not be empty (mentee, mentor or both)")
    found = Problems()
    chosen = unique_choices(raw or [], PARTNERS, what="partner", problems=found)
    found.raise_any()
    return tuple(p for p in PARTNERS if p in chosen) or None


CONFIDENTIALITY_EXCEPTIONS = ("agreed_disclosure", "serious_danger")


def check_confidentiality_exceptions(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    raw = check_list(
        value, required=True, empty="must not be empty (agreed_disclosure, serious_danger)"
    )
    found = Problems()
    chosen = unique_choices(raw or [], CONFIDENTIALITY_EXCEPTIONS, what="exception", problems=found)
    found.raise_any()
    return tuple(e for e in CONFIDENTIALITY_EXCEPTIONS if e in chosen) or None


class Rules(Checked):
    what: ClassVar[str] = "the program's rules"

    distribution: Annotated[
        str,
        OneOf(
            DISTRIBUTIONS,
            what="distribution",
            missing="missing: say who receives the signed agreement (program: returned to the "
            "program, whose coordinators may read it; pair: it stays between mentor and mentee)",
        ),
    ] = OPTIONAL
    return_address: Annotated[str | None, Text(limit=254)] = OPTIONAL
    agreement_due: Deadline | None = None
    first_meeting_within_weeks: Annotated[int | None, Integer(minimum=1, maximum=520)] = OPTIONAL
    action_plan_by_meeting: Annotated[int | None, Integer(minimum=1, maximum=1000)] = OPTIONAL
    sign_reminder_days: Annotated[int | None, Integer(minimum=1, maximum=365)] = OPTIONAL
    min_contact: Contact | None = None
    min_meetings: Annotated[int | None, Integer(minimum=1, maximum=1000)] = OPTIONAL
    meeting_length: MeetingLength | None = None
    duration: Duration | None = None
    # "Either party may end the relationship with 7 days' notice": ending early takes effect
    # this many days after a partner gives notice.
    notice_days: Annotated[int | None, Integer(minimum=1, maximum=365)] = OPTIONAL
    midpoint_check: Annotated[bool | None, Boolean] = OPTIONAL
    keep_copy: Annotated[bool | None, Boolean] = OPTIONAL
    activity_log: Annotated[bool | None, Boolean] = OPTIONAL
    networking_functions: Annotated[bool | None, Boolean] = OPTIONAL
    periodic_evaluations: Annotated[bool | None, Boolean] = OPTIONAL
    action_plan_owner_field: Annotated[str | None, FieldRef("person", "text")] = OPTIONAL
    meeting_modes_field: Annotated[str | None, FieldRef("counts", "choice", "multichoice")] = (
        OPTIONAL
    )
    # Who arranges the meetings (a choice among mentee, mentor, both) and what the pair
    # agreed about cancelling or postponing one: the meetings pages show both.
    organiser_field: Annotated[str | None, FieldRef("choice")] = OPTIONAL
    contingency_field: Annotated[str | None, FieldRef("textarea", "text")] = OPTIONAL
    feedback_questions: Annotated[
        tuple[str, ...] | None,
        BeforeValidator(lambda v: None if v is None else check_texts(v, limit=LIMIT_SHORT)),
    ] = OPTIONAL
    feedback_from: Annotated[tuple[str, ...] | None, BeforeValidator(check_feedback_from)] = (
        OPTIONAL
    )
    confidentiality_exceptions: Annotated[
        tuple[str, ...] | None, BeforeValidator(check_confidentiality_exceptions)
    ] = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        address = valid(check_text, d.get("return_address"), limit=254)
        if address is not None and not _EMAIL_RE.match(address):
            found.add(("return_address",), f'"{show(address)}" is not an email address')
        if d.get("distribution") == "program" and d.get("return_address") is None:
            found.add(
                ("return_address",),
                "missing: distribution is program, so say where the signed agreement is returned",
                at="distribution",
            )
        if d.get("distribution") == "pair" and d.get("return_address") is not None:
            found.add(
                ("return_address",),
                "distribution is pair (the agreement stays with the partners): "
                "remove return_address",
            )


# ---------------------------------------------------------------------------------------------
# Field kinds: each adds its own attributes to FieldBase

DEFAULT_MAX_LENGTH = {
    "text": 200,
    "textarea": 5000,
    "person": 200,
    "list": 500,  # per item
    "goals": 1000,  # per goal / measure
}
DEFAULT_MEASURE_LABEL = "How will you know you have achieved it?"
DEFAULT_OTHER_LABEL = "Other (specify)"

MaxLength = Annotated[int | None, Integer(minimum=1, maximum=100_000)]
ItemName = Annotated[str | None, Text(limit=60)]
# What a field gives the mentee action plan, said by the form (docs/templates.md "plan"):
# each goal of a textarea, list or goals field is a plan item; each row of a table is a
# commitment. A field without `plan` stays in the agreement only.
PlanAsGoal = Annotated[str | None, OneOf(("goal",), what="plan")]
PlanAsCommitment = Annotated[str | None, OneOf(("commitment",), what="plan")]


class TextLike(FieldBase):
    max_length: MaxLength = OPTIONAL

    def attributes(self) -> dict[str, Any]:
        return {"max_length": self.max_length or DEFAULT_MAX_LENGTH[str(self.kind_name)]}


class LongText(TextLike):
    """textarea: text that may be one goal of the action plan."""

    plan: PlanAsGoal = OPTIONAL

    def attributes(self) -> dict[str, Any]:
        return {**super().attributes(), "plan": self.plan}


class Items(TextLike):
    """list and goals: a list of items, each a text (each a goal, with `plan: goal`)."""

    default_item_name: ClassVar[str] = "item"

    min_items: Annotated[int | None, Integer(minimum=0, maximum=1000)] = OPTIONAL
    max_items: Annotated[int | None, Integer(minimum=1, maximum=1000)] = OPTIONAL
    item_name: ItemName = OPTIONAL
    plan: PlanAsGoal = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        low_high(d, found, "min_items", "max_items")

    def attributes(self) -> dict[str, Any]:
        return {
            **super().attributes(),
            "min_items": self.min_items,
            "max_items": self.max_items,
            "item_name": self.item_name or self.default_item_name,
            "plan": self.plan,
        }


class Options(FieldBase):
    """counts, choice and multichoice: options to pick from, and maybe "other"."""

    options: Annotated[
        tuple[Option, ...], unique_keys("option", empty="needs at least one option")
    ] = OPTIONAL
    other: Annotated[bool | None, Boolean] = OPTIONAL
    other_label: Annotated[str | None, Text()] = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        if valid(check_text, d.get("other_label")) is not None and d.get("other") is not True:
            found.add(("other_label",), "other_label needs other: true")

    def attributes(self) -> dict[str, Any]:
        return {
            "options": self.options,  # schema.Field holds them as schema.Option
            "other": bool(self.other),
            "other_label": (self.other_label or DEFAULT_OTHER_LABEL) if self.other else None,
        }


# The kinds, in the order the format's documentation and messages list them: filled in by
# kinds.register, one module per kind (kinds/<kind>.py).
KIND_MODELS: dict[str, type[FieldBase]] = {}
COMMON_FIELD_ATTRS = tuple(FieldBase.model_fields)
KIND_ATTRS: dict[str, tuple[str, ...]] = {}


def add_kind(name: str, model: type[FieldBase], *, position: int) -> None:
    """Make `model` the attributes of kind `name` (kinds.register calls this)."""
    model.position = position  # type: ignore[attr-defined]
    KIND_MODELS[name] = model
    _reindex()


def remove_kind(name: str) -> None:
    del KIND_MODELS[name]
    _reindex()


def _reindex() -> None:
    ordered = sorted(KIND_MODELS.items(), key=lambda item: item[1].position)  # type: ignore[attr-defined]
    KIND_MODELS.clear()
    KIND_MODELS.update(ordered)
    KIND_ATTRS.clear()
    for kind, model in ordered:
        KIND_ATTRS[kind] = tuple(a for a in model.model_fields if a not in COMMON_FIELD_ATTRS)
    FieldBase.all_attributes = tuple(
        dict.fromkeys(COMMON_FIELD_ATTRS + tuple(a for v in KIND_ATTRS.values() for a in v))
    )
