"""Reading and editing a template's YAML text with ruamel.yaml (round-trip mode).

`read` turns the text into plain data (dict, list, str, int, float, bool, None, dates) plus
the line of every path ("sections[0].blocks[2].kind"), which schema.py needs to say
`file:line: path: message`. Round-trip mode records each key's and item's line, so nothing
here composes YAML by hand; the two small hooks below only add what a template needs on top:

- aliases are refused where they appear (no "billion laughs"), and nesting is capped so no
  input can exhaust the stack;
- keys are the text as written (`yes:` is the key "yes", never True; `<<` is not a merge);
- a duplicate key is reported with both lines, and reading goes on so every problem is listed;
- only the standard scalar, list and mapping tags are accepted (no `!!python/...`).

`set_top_level` edits top-level values through the same round trip, keeping every comment;
the form editor (builder.py) edits any value through `load_round_trip` and `dump_round_trip`.
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedOrderedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tag import Tag

MAX_DEPTH = 30

_STR = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {
    ScalarNode: {
        _STR,
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null",
    },
    SequenceNode: {"tag:yaml.org,2002:seq"},
    MappingNode: {"tag:yaml.org,2002:map"},
}
_HARMLESS_TAG = {
    ScalarNode: _STR,
    SequenceNode: "tag:yaml.org,2002:seq",
    MappingNode: "tag:yaml.org,2002:map",
}


class _Abort(Exception):
    """A problem after which the rest of the text cannot be read sensibly."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message


class _Composer(Composer):
    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent):
            raise _Abort(line, f"YAML aliases (*{event.anchor}) are not allowed in a template")
        if self.depth >= MAX_DEPTH and not isinstance(event, ScalarEvent):
            raise _Abort(line, f"nesting is deeper than {MAX_DEPTH} levels")
        node = super().compose_node(parent, index)
        position = (node.start_mark.line, node.start_mark.column)
        if parent is None:
            self.loader.root_position = position
        tag = str(node.tag)
        if getattr(event, "ctag", None) is not None and tag not in _ALLOWED_TAGS[type(node)]:
            # Read it as plain text, list or mapping; `read` reports the tag at its path.
            self.loader.bad_tags[position] = tag
            node.tag = Tag(suffix=_HARMLESS_TAG[type(node)])
        if index is None and parent is not None and isinstance(node, ScalarNode):
            node.tag = Tag(suffix=_STR)  # a key is its text as written
        return node


class _Constructor(RoundTripConstructor):
    def check_mapping_key(self, node, key_node, mapping, key, value) -> bool:
        if key in mapping:
            first = mapping.lc.key(key)[0] + 1
            self.loader.duplicates.append((mapping, key, key_node.start_mark.line + 1, first))
            return False  # keep the first value, and go on reading
        return True

    # A number too long to convert, or 2027-02-30: keep the text, and let the attribute's own
    # check say what is wrong with it.
    def construct_yaml_int(self, node: Any) -> Any:
        try:
            return super().construct_yaml_int(node)
        except (ValueError, OverflowError):
            return str(node.value)

    def construct_yaml_float(self, node: Any) -> Any:
        text = str(node.value).replace("_", "").lower()
        if "e" in text and "." not in text.split("e")[0]:  # 1e3: ruamel would warn (YAML 1.1)
            try:
                return float(text)
            except ValueError:
                pass
        return super().construct_yaml_float(node)

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError, YAMLError):
            return str(node.value)


# The constructors are looked up by tag in a table, not by method name.
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)
_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


class _TemplateYAML(YAML):
    """ruamel.yaml's round trip with our composer and constructor, and what they found."""

    def __init__(self) -> None:
        super().__init__(typ="rt", pure=True)
        # YAML 1.1, as templates have always been read: `yes`/`no` are true/false and must be
        # quoted to be text (schema.py says so when a text attribute gets one).
        self.version = (1, 1)
        self.Composer = _Composer
        self.Constructor = _Constructor
        self.bad_tags: dict[tuple[int, int], str] = {}  # (line, column) of a refused tag
        self.root_position = (0, 0)
        self.duplicates: list[tuple[CommentedMap, str, int, int]] = []


def _yaml() -> _TemplateYAML:
    return _TemplateYAML()


def _join(path: str, name: Any) -> str:
    return f"{path}.{show(name)}" if path else show(name)


def show(value: Any, limit: int = 60) -> str:
    try:
        text = str(value)
    except ValueError:  # an int too long to print in decimal (sys.get_int_max_str_digits)
        return "(too large to show)"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def read(text: str, filename: str) -> tuple[Any, dict[str, int], list[str]]:
    """YAML text to plain data, the line of every path, and every problem found."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        return None, {}, [f"{filename}: the text contains invalid characters (surrogates)"]
    yaml = _yaml()
    try:
        loaded = yaml.load(text)
    except _Abort as abort:
        return None, {}, [f"{filename}:{abort.line}: {abort.message}"]
    except ReaderError as exc:  # control characters and the like
        at = text.count("\n", 0, exc.position) + 1
        return None, {}, [f"{filename}:{at}: {_first_line(str(exc))}"]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.problem == "but found another document" and mark is not None:
            message = "a template is one YAML document; remove the second '---' document"
            return None, {}, [f"{filename}:{mark.line + 1}: {message}"]
        text_lines = text.splitlines() or [""]
        line: int | None = min(mark.line + 1, len(text_lines)) if mark else None
        problem = " ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
        if line and "\t" in text_lines[line - 1]:
            problem += " (YAML does not allow tabs for indentation: use spaces)"
        where = f"{filename}:{line}" if line else filename
        return None, {}, [f"{where}: YAML syntax error: {problem}"]
    except (YAMLError, RecursionError) as exc:
        return None, {}, [f"{filename}: YAML error: {_first_line(str(exc))}"]
    if loaded is None:
        return None, {}, [f"{filename}: the template is empty"]
    reader = _Plain(yaml, filename)
    data = reader.plain(loaded, "", yaml.root_position)
    for mapping, key, line, first in yaml.duplicates:
        child = _join(reader.paths.get(id(mapping), ""), key)
        reader.error(line, f'{child}: duplicate key "{show(key)}" (first given on line {first})')
    reader.errors.sort(key=lambda error: error[0])
    return data, reader.lines, [message for _, message in reader.errors]


class _Plain:
    """Turns round-trip data into plain data, recording each path's line."""

    def __init__(self, yaml: _TemplateYAML, filename: str):
        self.bad_tags = yaml.bad_tags
        self.filename = filename
        self.lines: dict[str, int] = {}
        self.paths: dict[int, str] = {}
        self.errors: list[tuple[int, str]] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append((line, f"{self.filename}:{line}: {message}"))

    def plain(self, value: Any, path: str, position: tuple[int, int] | None) -> Any:
        tag = self.bad_tags.get(position) if position is not None else None
        if tag is not None and position is not None:
            self.error(position[0] + 1, f"{path or 'the template'}: YAML tag {tag} is not allowed")
            return None
        if isinstance(value, CommentedMap) and not isinstance(value, CommentedOrderedMap):
            self.paths[id(value)] = path
            mapping: dict[str, Any] = {}
            for key, item in value.items():
                key_line, key_column, value_line, value_column = value.lc.data[key]
                if not isinstance(key, str):
                    self.error(key_line + 1, f"{path or 'the template'}: a key must be plain text")
                    continue
                child = _join(path, key)
                self.lines[child] = key_line + 1
                mapping[key] = self.plain(item, child, (value_line, value_column))
            return mapping
        if isinstance(value, CommentedSeq):
            items = []
            for i, item in enumerate(value):
                child = f"{path}[{i}]"
                line, column = value.lc.data[i]
                self.lines.setdefault(child, line + 1)
                items.append(self.plain(item, child, (line, column)))
            return items
        if isinstance(value, TaggedScalar):  # an explicit standard tag, like !!str 5
            return str(value.value)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, ScalarBoolean):  # a yes/no value with an anchor
            return bool(value)
        if isinstance(value, int):  # ruamel's ScalarInt (HexInt, OctalInt...) are ints
            return int(value)
        if isinstance(value, float):
            return float(value)
        if isinstance(value, str):
            return str(value)
        if isinstance(value, datetime.datetime):
            return datetime.datetime.fromisoformat(value.isoformat())
        if isinstance(value, datetime.date):
            return value
        line = position[0] + 1 if position else 1
        tag = getattr(getattr(value, "tag", None), "value", None) or type(value).__name__
        self.error(line, f"{path or 'the template'}: YAML tag {tag} is not allowed")
        return None


# --- Editing ------------------------------------------------------------------------------------


def set_top_level(source: str, values: dict[str, Any]) -> str:
    """`source` with each top-level key's value replaced, every other line and comment kept
    as written (ruamel's round trip)."""
    yaml = _yaml()
    yaml.preserve_quotes = True
    yaml.width = 4096  # lines stay as long as the author wrote them
    data = yaml.load(source)
    for name, value in values.items():
        if isinstance(data.get(name), FoldedScalarString | LiteralScalarString):
            # A block scalar stays one (the blank lines and comments after it stay put).
            value = type(data[name])(str(value))
        data[name] = value
    return dump(data, yaml)


def load_round_trip(source: str) -> Any:
    """The text as ruamel's round-trip data (comments, quotes and styles kept) for the form
    editor to change; `dump_round_trip` writes it back."""
    yaml = _yaml()
    yaml.preserve_quotes = True
    return yaml.load(source)


def dump_round_trip(data: Any) -> str:
    yaml = _yaml()
    yaml.preserve_quotes = True
    yaml.width = 4096  # lines stay as long as the author wrote them
    return dump(data, yaml)


def dump(data: Any, yaml: YAML | None = None) -> str:
    """YAML text for `data` (round-trip data or plain), read back the same by `read`, in the
    built-in templates' layout (lists indented under their key)."""
    if yaml is None:
        yaml = _yaml()
        yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(data, out)
    text = out.getvalue()
    # The 1.1 directive only tells a reader what `read` assumes anyway: leave the text as the
    # author wrote it.
    return text.removeprefix("%YAML 1.1\n---\n")


def parent(path: str) -> str:
    """The path of the value that holds `path`: 'sections[0].blocks' for
    'sections[0].blocks[2]', '' at the top."""
    found = re.match(r"(.*)(\.[^.\[]*|\[\d+\])\Z", path, re.DOTALL)
    return found.group(1) if found else ""


def message_at(
    filename: str, lines: dict[str, int], path: str, message: str, at: str | None = None
) -> str:
    """`file:line: path: message`, on the line of `at` (default: `path`), or of the nearest
    value holding it that has a line (a missing key is reported on its mapping's line)."""
    line = None
    probe = at or path
    while probe and line is None:
        line = lines.get(probe)
        probe = parent(probe)
    where = f"{filename}:{line}" if line else filename
    return f"{where}: {path}: {message}" if path else f"{where}: {message}"
