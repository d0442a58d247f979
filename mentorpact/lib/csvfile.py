"""A coordinator's CSV upload, read for a preview: whole-file refusals, problems per cell.

Knows no models; the caller checks what its columns mean. Used by the people import
(programs) and the pairing import (`mentor_email, mentee_email`).

    from mentorpact.lib import csvfile

    sheet = csvfile.read(upload, columns=["email", "name", "role"], optional=["capacity"])
    if sheet.refusal:       # the whole file is refused, in one plain sentence (too big,
        ...                 # not UTF-8, no header, unknown column, too many rows...)
    for row in sheet.rows:  # data rows only; blank lines are skipped
        row.line            # the line of the file the row starts on (the header is line 1)
        row["email"]        # the cell, stripped; "" for an optional column the file lacks
        if not looks_right(row["email"]):
            row.problem("email", "Not an email address.")
    csvfile.flag_duplicates(sheet.rows, "email")   # "Also on line 3." on the later rows
    sheet.problems                    # every Problem(line, column, message), in file order
    sheet.ok                          # no refusal and no problem: safe to write

`read` never raises on any input. It already marks, on their own cells, values a spreadsheet
would run as a formula (a cell starting with `= + - @`, a tab or a carriage return) and rows
with more cells than the header. Header names are matched loosely ("Time zone", "time-zone"
and "time_zone" are the same column). `read` accepts bytes or an uploaded file; a file over
`max_bytes` is refused without being read whole.
"""

import csv
import io
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# What Excel, LibreOffice and Google Sheets treat as the start of a formula (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Problem:
    line: int | None  # None: the file as a whole
    column: str | None  # None: the whole row (or file)
    message: str


@dataclass
class Row:
    line: int
    values: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    # Every column read() was asked for, present in the file or not.
    known: tuple[str, ...] = ()

    def __getitem__(self, column: str) -> str:
        # A KeyError for anything else, so Django templates (which try row["line"] before
        # row.line) reach the attributes.
        if column not in self.known and column not in self.values:
            raise KeyError(column)
        return self.values.get(column, "")

    def problem(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.line, column, message))

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Sheet:
    columns: list[str]  # the columns the file has, in its order, by their canonical names
    rows: list[Row]
    refusal: str = ""

    @property
    def problems(self) -> list[Problem]:
        found = [Problem(None, None, self.refusal)] if self.refusal else []
        for row in self.rows:
            found.extend(row.problems)
        return found

    @property
    def ok(self) -> bool:
        return not self.refusal and all(row.ok for row in self.rows)


def canonical(header: str) -> str:
    """ "Time zone", "time-zone", " TIME_ZONE " -> "time_zone"."""
    return "_".join(header.strip().lower().replace("-", " ").replace("_", " ").split())


def formula_prefix(cell: str) -> str:
    """The formula character a cell starts with (leading spaces skipped), or ""."""
    for text in (cell, cell.lstrip(" ")):
        if text.startswith(FORMULA_PREFIXES):
            return text[0]
    return ""


def _describe(prefix: str) -> str:
    return {"\t": "a tab", "\r": "a carriage return"}.get(prefix, f"“{prefix}”")


def _refused(message: str) -> Sheet:
    return Sheet(columns=[], rows=[], refusal=message)


def _read_bytes(upload, max_bytes: int) -> bytes | None:
    """The upload's bytes, or None when it is larger than max_bytes."""
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            return None
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


def _column_list(names: Iterable[str]) -> str:
    return ", ".join(names)


def read(
    upload,
    *,
    columns: Sequence[str],
    optional: Sequence[str] = (),
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> Sheet:
    """Read a CSV with a header row naming `columns` (all required) and any of `optional`."""
    data = _read_bytes(upload, max_bytes)
    if data is None:
        return _refused(
            f"The file is larger than {max_bytes // (1024 * 1024)} MB. Split it into smaller files."
        )
    try:
        # utf-8-sig: a byte-order mark (Excel's "CSV UTF-8") is dropped, not read as text.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return _refused(
            f"The file is not UTF-8 text (line {line} has bytes that are not). "
            "In your spreadsheet, save it as “CSV UTF-8”."
        )
    if not text.strip():
        return _refused("The file is empty.")
    if "\x00" in text:
        return _refused("The file has NUL characters: it is not a CSV text file.")

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header, line = _first_record(reader)
        if header is None:
            return _refused("The file has no header row.")
        names = [canonical(cell) for cell in header]
        known = list(columns) + list(optional)
        expected = f"The columns are {_column_list(columns)}"
        if optional:
            expected += f", and optionally {_column_list(optional)}"
        for cell in header:
            if formula_prefix(cell):
                return _refused(
                    f"The header cell “{cell.strip()}” starts with a formula character."
                )
        unknown = [
            raw.strip() or "(blank)"
            for raw, name in zip(header, names, strict=True)
            if name not in known
        ]
        if unknown:
            return _refused(f"Unknown column {', '.join(unknown)}. {expected}.")
        doubled = sorted({name for name in names if names.count(name) > 1})
        if doubled:
            return _refused(f"The column {', '.join(doubled)} appears twice.")
        missing = [name for name in columns if name not in names]
        if missing:
            return _refused(f"Missing column {', '.join(missing)}. {expected}.")

        rows: list[Row] = []
        previous_end = line
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) == max_rows:
                return _refused(
                    f"The file has more than {max_rows:,} rows. Split it into smaller files."
                )
            row = Row(
                line=start,
                values={name: cell.strip() for name, cell in zip(names, record, strict=False)},
                known=tuple(known),
            )
            for name, cell in zip(names, record, strict=False):
                prefix = formula_prefix(cell)
                if prefix:
                    row.problem(
                        name,
                        f"Starts with {_describe(prefix)}, which a spreadsheet would run as a "
                        "formula. Remove that character.",
                    )
            if len(record) > len(names):
                row.problem(None, f"{len(record)} cells, but the header has {len(names)} columns.")
            rows.append(row)
    except csv.Error as error:
        return _refused(f"The file is not a well-formed CSV (line {reader.line_num}: {error}).")
    return Sheet(columns=names, rows=rows)


def _first_record(reader) -> tuple[list[str] | None, int]:
    for record in reader:
        if any(cell.strip() for cell in record):
            return record, reader.line_num
    return None, reader.line_num


def flag_duplicates(
    rows: Iterable[Row],
    column: str,
    *,
    key: Callable[[Row], Hashable] | None = None,
    message: str = "Also on line {first}.",
) -> None:
    """Mark, on `column`, every row whose key repeats an earlier row's. The key is the cell
    casefolded unless `key(row)` says otherwise (e.g. a pair of cells); a blank or None key
    is skipped. `message` may name the earlier row's line as {first}."""
    first: dict[Hashable, int] = {}
    for row in rows:
        value = key(row) if key is not None else row[column].casefold()
        if value is None or value == "":
            continue
        seen = first.setdefault(value, row.line)
        if seen != row.line:
            row.problem(column, message.format(first=seen))


def safe_cell(value: object) -> str:
    """A value as a CSV cell a spreadsheet shows and never runs: text starting like a formula
    (FORMULA_PREFIXES) gets a leading apostrophe, which spreadsheets read as "this is text"
    (OWASP's advice for CSV injection). None is an empty cell."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def write(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file for people to open in a spreadsheet: UTF-8 with a byte-order mark (so the
    accents read right), every cell formula-safe (safe_cell)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(name) for name in header])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")
