"""The form editor: a template's YAML edited part by part through an HTML form.

Between two requests the state is the YAML itself: the page carries the draft in a hidden
field. Each request reads the draft with ruamel.yaml's round trip, applies the values typed
in the page's inputs (each input is named by its path in the template, like
`sections[0].blocks[2].label`, the path the format's error messages use), then the one
action asked for (add, move up or down, remove), and writes the draft back. Comments and
every line nobody changed stay as written, so the YAML editor ("Advanced") and this one edit
the same text, saved through the same service (services.save_template_source).

Which inputs a part has is read from its model in shape.py, never listed here: a field's
inputs are its kind's model's attributes, the rules' are shape.Rules', and each attribute's
control follows its annotation and its check (shape.Input: text, paragraph, key, number, one
of a list, a field's key).
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field
from typing import Annotated, Any, Union, get_args, get_origin

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from . import shape, yamltext

Step = str | int

# The top-level attributes drawn by their own parts (or not at all: format and slug are fixed).
_TOP_OWN = ("format", "slug", "roles", "signers", "rules", "sections")
BLOCK_TYPES = (("text", "Paragraph"), ("bullets", "Bullet list"), ("signatures", "Signatures"))
_STEP_RE = re.compile(r"\.?([a-z_][a-z0-9_]*)|\[(\d+)\]")
_ERROR_PATH_RE = re.compile(r"((?:[a-z_][a-z0-9_]*)(?:\[\d+\]|\.[a-z_][a-z0-9_]*)*): (.*)\Z", re.S)


class DraftError(Exception):
    """The draft is not YAML the editor can walk (fix it in the YAML editor)."""


# --- Paths --------------------------------------------------------------------------------------


def steps(path: str) -> list[Step]:
    out: list[Step] = []
    position = 0
    while position < len(path):
        match = _STEP_RE.match(path, position)
        if not match:
            raise ValueError(path)
        out.append(match.group(1) if match.group(1) else int(match.group(2)))
        position = match.end()
    return out


def path_of(parts: list[Step]) -> str:
    path = ""
    for step in parts:
        path = shape.join(path, step)
    return path


def dom_id(path: str) -> str:
    return "e-" + (re.sub(r"[^a-z0-9]+", "-", path).strip("-") or "top")


def get(data: Any, path: str) -> Any:
    for step in steps(path):
        if isinstance(step, int):
            if not isinstance(data, list) or step >= len(data):
                return None
            data = data[step]
        else:
            if not isinstance(data, dict):
                return None
            data = data.get(step)
    return data


def _put(data: Any, parts: list[Step], value: Any, order: tuple[str, ...] = ()) -> None:
    """Set (or, with None, remove) the value at `parts`, making the mappings on the way. A new
    attribute goes where `order` (its model's) puts it among the ones already written."""
    for step in parts[:-1]:
        if isinstance(step, int):
            if not isinstance(data, list) or step >= len(data):
                return
            data = data[step]
        else:
            if not isinstance(data, dict):
                return
            if data.get(step) is None:
                if value is None:
                    return
                data[step] = CommentedMap()
            data = data[step]
    last = parts[-1]
    if not isinstance(data, dict) or isinstance(last, int):
        return
    if value is None:
        data.pop(last, None)
    elif last in data or last not in order or not isinstance(data, CommentedMap):
        data[last] = value
    else:
        later = order[order.index(last) + 1 :]
        keys = list(data)
        position = next((i for i, key in enumerate(keys) if key in later), len(keys))
        data.insert(position, last, value)


# --- What each attribute is drawn as ------------------------------------------------------------


def _unwrap(annotation: Any) -> tuple[bool, Any]:
    """(many, the type): `tuple[Option, ...] | None` is (True, Option)."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        elif origin in (tuple, list):
            args = [a for a in get_args(annotation) if a is not Ellipsis]
            return True, (args[0] if args else Any)
        else:
            return False, annotation


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, shape.Shape)


def control_of(info: Any) -> tuple[str, tuple[str, ...], Any]:
    """(control, choices, model) for one attribute of a shape model."""
    for meta in info.metadata:
        if isinstance(meta, shape.Input):
            return meta.control, meta.choices, None
    many, kind = _unwrap(info.annotation)
    if _is_model(kind):
        return ("items" if many else "group"), (), kind
    if many:
        return "lines", (), None
    if kind is bool:
        return "yesno", (), None
    if kind is int:
        return "number", (), None
    return "text", (), None


def humanize(name: str) -> str:
    return name.replace("_", " ").capitalize()


# --- The page's parts ---------------------------------------------------------------------------


@dataclass
class Control:
    """One input (or a group of inputs, or a list of items) at `path`."""

    path: str
    name: str
    control: str  # text long key number choice field yesno lines checks group items
    value: Any = ""
    choices: tuple[tuple[str, str], ...] = ()
    errors: list[str] = field(default_factory=list)
    children: list[Control] = field(default_factory=list)  # a group's
    items: list[Part] = field(default_factory=list)  # a list of items'
    item_model: Any = None
    order: tuple[str, ...] = ()  # the attributes of the model it belongs to, in order
    prune: bool = False  # a group removed when none of its values is set
    note: str = ""  # what this editor keeps as it is (edited in the YAML editor)

    @property
    def id(self) -> str:
        return dom_id(self.path)

    @property
    def label(self) -> str:
        return humanize(self.name)

    @property
    def item_name(self) -> str:
        return self.name.removesuffix("s")


@dataclass
class Part:
    """A section, a block, an option or a column: its inputs, and its place in its list."""

    path: str
    title: str
    controls: list[Control] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    first: bool = False
    last: bool = False
    children: list[Part] = field(default_factory=list)  # a section's blocks

    @property
    def id(self) -> str:
        return dom_id(self.path)

    @property
    def blocks_id(self) -> str:
        return dom_id(self.path + ".blocks")


@dataclass
class Outline:
    top: list[Control]
    signers: Control
    rules: list[Control]
    sections: list[Part]
    general: list[str] = field(default_factory=list)  # errors about no one part
    # (where, message, "#<id of the input or part>") of each problem, for the error summary
    summary: list[tuple[str, str, str]] = field(default_factory=list)

    def controls(self) -> list[Control]:
        out = [*self.top, self.signers, *self.rules]
        for section in self.sections:
            out += section.controls
            for block in section.children:
                out += block.controls
        return out


def _controls(model: type[shape.Shape], data: Any, base: str, ctx: dict, *, skip=()) -> list:
    out = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        path = shape.join(base, name)
        value = data.get(name) if isinstance(data, dict) else None
        control, choices, sub = control_of(info)
        c = Control(path, name, control, order=tuple(model.model_fields))
        if control == "group":
            c.children = _controls(sub, value, path, ctx)
            c.prune = base.startswith("rules")
        elif control == "items":
            c.item_model = sub
            items = value if isinstance(value, list) else []
            for i, item in enumerate(items):
                item_path = f"{path}[{i}]"
                label = item.get("label") if isinstance(item, dict) else None
                c.items.append(
                    Part(
                        item_path,
                        f"{humanize(c.item_name)} {i + 1}" + (f": {label}" if label else ""),
                        _controls(sub, item, item_path, ctx),
                        first=i == 0,
                        last=i == len(items) - 1,
                    )
                )
        elif control == "field":
            keys = [k for k, kind in ctx["fields"].items() if kind in choices]
            c.choices = tuple((k, k) for k in keys)
            c.value = value if isinstance(value, str) else ""
            if c.value and c.value not in keys:
                c.choices += ((c.value, c.value),)
        elif control == "choice":
            c.choices = tuple((v, v) for v in choices)
            c.value = value if isinstance(value, str) else ("" if value is None else str(value))
            if c.value and c.value not in choices:
                c.choices += ((c.value, c.value),)
        elif control == "yesno":
            c.value = "" if value is None else ("yes" if value is True else "no")
            if value not in (None, True, False):
                c.control, c.value = "text", str(value)
        elif control == "lines":
            c.value = "\n".join(str(v) for v in value) if isinstance(value, list) else ""
        else:
            c.value = "" if value is None else str(value)
        if isinstance(value, dict | list) and control not in ("group", "items", "lines"):
            # A mapping or list this editor has no inputs for (role labels, a choice's
            # meanings): shown as it is and kept, never turned into text.
            c.control, c.value = "kept", yamltext.dump(value).strip()
        out.append(c)
    return out


def _field_kinds(data: Any) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for section in _list(data, "sections"):
        for block in _list(section, "blocks"):
            if isinstance(block, dict) and isinstance(block.get("key"), str):
                kinds.setdefault(block["key"], str(block.get("kind")))
    return kinds


def _list(data: Any, name: str) -> list:
    value = data.get(name) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def block_model(block: Any) -> tuple[type[shape.Shape], str]:
    """The model that checks a block, and the block's title."""
    if isinstance(block, dict):
        if "text" in block:
            return shape.ParagraphBlock, "Paragraph"
        if "bullets" in block:
            return shape.BulletsBlock, "Bullet list"
        if "signatures" in block:
            return shape.SignaturesBlock, "Signatures"
        kind = block.get("kind")
        if isinstance(kind, str) and kind in shape.KIND_MODELS:
            return shape.KIND_MODELS[kind], f"Field ({kind})"
    return shape.FieldBase, "Field"


def outline(data: Any) -> Outline:
    if not isinstance(data, dict):
        raise DraftError("the template is not a mapping of name: value")
    ctx = {"fields": _field_kinds(data)}
    top = _controls(shape.Top, data, "", ctx, skip=_TOP_OWN)
    chosen = data.get("signers")
    chosen = chosen if isinstance(chosen, list) else []
    extra = [s for s in chosen if isinstance(s, dict)]
    signers = Control(
        "signers",
        "signers",
        "checks",
        value=[s for s in chosen if isinstance(s, str)],
        choices=tuple((role, role.capitalize()) for role in shape.ROLES),
        note=(
            "Also signing, kept as they are (edit them in the YAML editor): "
            + "; ".join(
                f"{s.get('label') or s.get('key')}, named by the {s.get('named_by')}" for s in extra
            )
            if extra
            else ""
        ),
    )
    labels = data.get("roles")
    labels = labels if isinstance(labels, dict) else {}
    top.append(
        Control(
            "roles",
            "roles",
            "group",
            prune=True,
            note="What the form calls each role (Student, Protégé); empty: Mentor, Mentee, "
            "Coordinator.",
            children=[
                Control(f"roles.{role}", role, "text", value=str(labels.get(role) or ""))
                for role in shape.ROLES
            ],
        )
    )
    rules = _controls(shape.Rules, data.get("rules"), "rules", ctx)
    sections = []
    raw_sections = _list(data, "sections")
    for i, section in enumerate(raw_sections):
        path = f"sections[{i}]"
        heading = section.get("heading") if isinstance(section, dict) else None
        part = Part(
            path,
            f"Section {i + 1}" + (f": {heading}" if heading else ""),
            _controls(shape.Section, section, path, ctx, skip=("blocks",)),
            first=i == 0,
            last=i == len(raw_sections) - 1,
        )
        blocks = _list(section, "blocks")
        for j, block in enumerate(blocks):
            block_path = f"{path}.blocks[{j}]"
            model, title = block_model(block)
            label = block.get("label") if isinstance(block, dict) else None
            controls = _controls(model, block, block_path, ctx)
            for control in controls:
                if control.name == "kind":
                    control.control = "choice"
                    control.choices = tuple((k, k) for k in shape.KIND_MODELS)
            part.children.append(
                Part(
                    block_path,
                    f"{j + 1}. {title}" + (f": {label}" if label else ""),
                    controls,
                    first=j == 0,
                    last=j == len(blocks) - 1,
                )
            )
        sections.append(part)
    return Outline(top, signers, rules, sections)


# --- Applying what was typed --------------------------------------------------------------------


def _text(raw: str, existing: Any, *, long: bool) -> Any:
    text = raw.replace("\r\n", "\n")
    text = text.rstrip() if long else text.strip()
    if not text:
        return None
    if isinstance(existing, str) and existing.rstrip() == text:
        return existing  # unchanged: keep its quotes and style
    if isinstance(existing, FoldedScalarString | LiteralScalarString):
        return type(existing)(text)
    if long and "\n" in text:
        return LiteralScalarString(text)
    return text


def _seq(values: list[str], existing: Any) -> Any:
    """A list, written as the list it replaces was (`[a, b]` stays on one line)."""
    if isinstance(existing, list) and [str(v) for v in existing] == values:
        return existing
    if not values:
        return None
    seq = CommentedSeq(values)
    if isinstance(existing, CommentedSeq) and existing.fa.flow_style():
        seq.fa.set_flow_style()
    return seq


def _convert(control: Control, posted: list[str], existing: Any) -> Any:
    raw = posted[-1] if posted else ""
    kind = control.control
    if kind == "checks":
        chosen = [v for v in posted if v]
        ordered = [v for v, _ in control.choices if v in chosen]
        # Entries the boxes do not draw (a signer beyond the pair, as a mapping) stay.
        kept = [v for v in existing if not isinstance(v, str)] if isinstance(existing, list) else []
        return _seq([*ordered, *kept], existing)
    if kind == "lines":
        lines = [line.strip() for line in raw.replace("\r\n", "\n").split("\n") if line.strip()]
        return _seq(lines, existing)
    if kind == "yesno":
        if raw not in ("yes", "no"):
            return None
        return raw == "yes"
    if kind == "number":
        raw = raw.strip()
        if not raw:
            return None
        if re.fullmatch(r"-?\d{1,12}", raw):
            return int(raw)
        return raw  # the check says "expected a whole number"
    return _text(raw, existing, long=kind == "long")


def _apply(controls: list[Control], data: Any, post: Any) -> None:
    for control in controls:
        if control.control == "group":
            _apply(control.children, data, post)
            group = get(data, control.path)
            if control.prune and isinstance(group, dict) and not group:
                _put(data, steps(control.path), None)
            continue
        if control.control == "items":
            for item in control.items:
                _apply(item.controls, data, post)
            continue
        name = "v:" + control.path
        if control.control == "kept" or name not in post:
            continue
        existing = get(data, control.path)
        value = _convert(control, post.getlist(name), existing)
        if value is existing:
            continue
        _put(data, steps(control.path), value, control.order)


def apply_values(data: Any, post: Any) -> None:
    """Each posted input's value at its path (an emptied input removes the attribute). A
    field whose kind changed loses the attributes its new kind does not have."""
    before = outline(data)
    old_kinds = {
        block.path: get(data, block.path + ".kind")
        for section in before.sections
        for block in section.children
    }
    _apply(before.top + [before.signers] + before.rules, data, post)
    for section in before.sections:
        _apply(section.controls, data, post)
        for block in section.children:
            _apply(block.controls, data, post)
    for path, kind in old_kinds.items():
        block = get(data, path)
        new_kind = block.get("kind") if isinstance(block, dict) else None
        if new_kind != kind and new_kind in shape.KIND_MODELS:
            model = shape.KIND_MODELS[new_kind]
            for name in list(block):
                if name not in model.model_fields:
                    del block[name]
            _fill_field(block, model)


# --- Adding, moving and removing parts ----------------------------------------------------------


def _unique(prefix: str, taken: set[str]) -> str:
    n = 1
    while f"{prefix}_{n}" in taken:
        n += 1
    return f"{prefix}_{n}"


def _fill_field(block: CommentedMap, model: type[shape.Shape]) -> None:
    """What a new field (or one whose kind changed) needs before it is valid."""
    if "options" in model.model_fields and not block.get("options"):
        block["options"] = CommentedSeq([CommentedMap(key="option_1", label="Option 1")])
    if "columns" in model.model_fields and not block.get("columns"):
        block["columns"] = CommentedSeq([CommentedMap(key="column_1", label="Column 1")])
    if "statement" in model.model_fields and not block.get("statement"):
        block["statement"] = "I agree."


def new_block(choice: str, data: Any) -> CommentedMap | None:
    """A new block: "block:text", "block:bullets", "block:signatures" or "field:<kind>"."""
    what, _, kind = choice.partition(":")
    if what == "field":
        if kind not in shape.KIND_MODELS:
            return None
        key = _unique(kind, set(_field_kinds(data)))
        block = CommentedMap(key=key, kind=kind, label="New question")
        _fill_field(block, shape.KIND_MODELS[kind])
        return block
    if what != "block":
        return None
    if kind == "text":
        return CommentedMap(text="New paragraph: say what this part is for.")
    if kind == "bullets":
        return CommentedMap(bullets=CommentedSeq(["First point"]))
    if kind == "signatures":
        return CommentedMap(signatures=CommentedMap())
    return None


@dataclass(frozen=True)
class Done:
    """What an action did: the message to say, and the id of the element to focus."""

    message: str
    focus: str


def act(data: Any, op: str, post: Any) -> Done | None:
    """Apply one action ("add-section", "add-block <section>", "add-item <list>", "up <item>",
    "down <item>", "remove <item>"); None when it names nothing that exists."""
    verb, _, path = op.partition(" ")
    try:
        parts = steps(path)
    except ValueError:
        return None
    if verb == "add-section":
        sections = data.get("sections")
        if not isinstance(sections, list):
            sections = data["sections"] = CommentedSeq()
        taken = {s.get("key") for s in sections if isinstance(s, dict)}
        key = _unique("section", {k for k in taken if isinstance(k, str)})
        blocks = CommentedSeq([CommentedMap(text="Say what this section is for.")])
        sections.append(CommentedMap(key=key, heading="New section", blocks=blocks))
        path = f"sections[{len(sections) - 1}]"
        return Done(f"Section {len(sections)} added.", dom_id(path + ".heading"))
    if verb == "add-block":
        section = get(data, path)
        block = new_block(str(post.get("new-block:" + path, "")), data)
        if not isinstance(section, dict) or block is None:
            return None
        if not isinstance(section.get("blocks"), list):
            section["blocks"] = CommentedSeq()
        section["blocks"].append(block)
        block_path = f"{path}.blocks[{len(section['blocks']) - 1}]"
        first = "label" if "label" in block else next(iter(block))
        if first == "signatures":
            return Done("Signature block added.", dom_id(block_path))
        return Done("Block added.", dom_id(f"{block_path}.{first}"))
    if verb == "add-item":
        items = get(data, path)
        name = str(parts[-1]) if parts else ""
        if not isinstance(get(data, path_of(parts[:-1])), dict) or not name:
            return None
        if not isinstance(items, list):
            items = CommentedSeq()
            _put(data, parts, items)
        singular = name.removesuffix("s")
        taken = {i.get("key") for i in items if isinstance(i, dict)}
        key = _unique(singular, {k for k in taken if isinstance(k, str)})
        n = key.rsplit("_", 1)[1]
        items.append(CommentedMap(key=key, label=f"{humanize(singular)} {n}"))
        return Done(f"{humanize(singular)} added.", dom_id(f"{path}[{len(items) - 1}].label"))
    if verb in ("up", "down", "remove") and parts and isinstance(parts[-1], int):
        siblings = get(data, path_of(parts[:-1]))
        i = parts[-1]
        if not isinstance(siblings, list) or i >= len(siblings):
            return None
        if verb == "remove":
            del siblings[i]
            return Done("Removed.", dom_id(path_of(parts[:-1])))
        j = i - 1 if verb == "up" else i + 1
        if not 0 <= j < len(siblings):
            return None
        siblings[i], siblings[j] = siblings[j], siblings[i]
        moved = path_of([*parts[:-1], j])
        where = "up" if verb == "up" else "down"
        return Done(f"Moved {where}: now number {j + 1}.", dom_id(moved) + "-" + verb)
    return None


# --- Reading and writing the draft --------------------------------------------------------------


def read(source: str) -> Any:
    try:
        return yamltext.load_round_trip(source)
    except Exception as exc:  # any YAML problem: the YAML editor lists it by line
        raise DraftError(str(exc)) from exc


def write(data: Any) -> str:
    return yamltext.dump_round_trip(data)


# --- Errors beside their part -------------------------------------------------------------------


def place_errors(view: Outline, errors: list[str], filename: str) -> None:
    """Each of the format's messages ("<file>:<line>: <path>: <message>") beside the input or
    part its path names (the nearest enclosing one the page draws), and in the summary."""
    targets: dict[str, Control | Part] = {}

    def collect(controls: list[Control]) -> None:
        for control in controls:
            targets[control.path] = control
            collect(control.children)
            for item in control.items:
                targets[item.path] = item
                collect(item.controls)

    collect(view.top + [view.signers] + view.rules)
    for section in view.sections:
        targets[section.path] = section
        collect(section.controls)
        for block in section.children:
            targets[block.path] = block
            collect(block.controls)
    for error in errors:
        message = error
        if message.startswith(filename):
            message = re.sub(r"\A[^:]*(?::\d+)?: ", "", message, count=1)
        path, text = "", message
        match = _ERROR_PATH_RE.match(message)
        if match:
            path, text = match.group(1), match.group(2)
        target = None
        probe = path
        while probe:
            if probe in targets:
                target = targets[probe]
                break
            probe = _parent(probe)
        if target is None:
            view.general.append(message)
            view.summary.append(("", message, ""))
            continue
        shown = text if target.path == path else f"{path}: {text}"
        target.errors.append(shown)
        view.summary.append((describe_path(target.path), shown, "#" + target.id))


def describe_path(path: str) -> str:
    """A path as words: sections[1].blocks[0].label is "Section 2, block 1, label"."""
    words: list[str] = []
    for step in steps(path):
        if isinstance(step, int) and words:
            words[-1] = f"{words[-1].removesuffix('s')} {step + 1}"
        else:
            words.append(str(step).replace("_", " "))
    return ", ".join(words).capitalize() if words else "The form"


def _parent(path: str) -> str:
    match = re.match(r"(.*)(\.[^.\[]*|\[\d+\])\Z", path, re.DOTALL)
    return match.group(1) if match else ""
