"""Tables for people to open in a spreadsheet, as CSV or XLSX, from the same rows.

Knows no models. Text cells are formula-safe in both (`csvfile.safe_cell`: a leading
`= + - @`, tab or carriage return gets an apostrophe, so no spreadsheet runs it), the CSV is
UTF-8 with a byte-order mark (`csvfile.write`), and dates are ISO 8601: in the CSV as text
(`2027-01-15`, moments in UTC as `2027-01-15T09:00:00Z`), in the XLSX as real dates
formatted `yyyy-mm-dd` (moments as UTC, `yyyy-mm-dd hh:mm:ss`). Numbers stay numbers.

    data = sheets.render("csv", header, rows)      # or "xlsx"
"""

import datetime
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from mentorpact.lib import csvfile

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def iso(value: object) -> object:
    """A cell's value for the CSV: dates and moments in ISO 8601 (moments in UTC)."""
    if isinstance(value, datetime.datetime):
        moment = value.astimezone(datetime.UTC).replace(microsecond=0, tzinfo=None)
        return moment.isoformat() + "Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    return csvfile.write(header, ([iso(v) for v in row] for row in rows))


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], *, title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append([_cell(sheet, name) for name in header])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet, value: object) -> WriteOnlyCell:
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(
            sheet, value.astimezone(datetime.UTC).replace(microsecond=0, tzinfo=None)
        )
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, bool):
        return WriteOnlyCell(sheet, "yes" if value else "no")
    if isinstance(value, int | float):
        return WriteOnlyCell(sheet, value)
    # Text: formula-safe as in the CSV, and always a string cell (openpyxl would take a
    # leading "=" for a formula).
    cell = WriteOnlyCell(sheet, csvfile.safe_cell(value))
    cell.data_type = "s"
    return cell


def render(
    fmt: str, header: Sequence[str], rows: Iterable[Sequence[object]], *, title: str
) -> bytes:
    if fmt == "xlsx":
        return xlsx_bytes(header, rows, title=title)
    return csv_bytes(header, rows)
