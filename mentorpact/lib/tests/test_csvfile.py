import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from mentorpact.lib import csvfile

COLUMNS = ["email", "name", "role"]
OPTIONAL = ["department", "time_zone", "capacity"]


def read(text: str | bytes, **options):
    data = text.encode() if isinstance(text, str) else text
    return csvfile.read(data, columns=COLUMNS, optional=OPTIONAL, **options)


def test_it_reads_rows_by_column_with_their_line_numbers():
    sheet = read("email,name,role\nmia@example.org, Mia ,mentor\n\ntheo@example.org,Theo,mentee\n")
    assert sheet.ok
    assert sheet.columns == ["email", "name", "role"]
    assert [(row.line, row["email"], row["name"]) for row in sheet.rows] == [
        (2, "mia@example.org", "Mia"),
        (4, "theo@example.org", "Theo"),
    ]
    assert sheet.rows[0]["capacity"] == ""


def test_it_matches_headers_loosely_and_drops_a_byte_order_mark():
    sheet = read("\ufeffEmail, Name ,ROLE,Time zone\na@example.org,A,mentor,Europe/Paris\r\n")
    assert sheet.ok
    assert sheet.rows[0]["time_zone"] == "Europe/Paris"


def test_a_quoted_cell_over_two_lines_keeps_the_next_rows_line_number():
    sheet = read('email,name,role\na@example.org,"Ann\nLee",mentor\nb@example.org,Bo,mentee\n')
    assert [row.line for row in sheet.rows] == [2, 4]
    assert sheet.rows[0]["name"] == "Ann\nLee"


def test_it_refuses_a_file_over_the_size_limit_without_reading_it_whole():
    upload = SimpleUploadedFile("people.csv", b"email,name,role\n" + b"x" * 100)
    sheet = csvfile.read(upload, columns=COLUMNS, max_bytes=50)
    assert sheet.refusal.startswith("The file is larger than")
    assert sheet.rows == [] and not sheet.ok
    assert sheet.problems == [csvfile.Problem(None, None, sheet.refusal)]


def test_it_reads_an_uploaded_file_from_its_start():
    upload = SimpleUploadedFile("people.csv", b"email,name,role\na@example.org,A,mentor\n")
    upload.read()
    assert csvfile.read(upload, columns=COLUMNS).rows[0]["email"] == "a@example.org"


def test_it_refuses_text_that_is_not_utf8_naming_the_line():
    sheet = read("email,name,role\na@example.org,Zoë,mentor\n".encode("latin-1"))
    assert "not UTF-8" in sheet.refusal and "line 2" in sheet.refusal


def test_it_refuses_empty_files_and_files_without_the_columns():
    assert read("").refusal == "The file is empty."
    assert read("\n  \n").refusal == "The file is empty."
    assert read("email,name\n").refusal == (
        "Missing column role. The columns are email, name, role, and optionally "
        "department, time_zone, capacity."
    )
    assert read("email,name,role,shoe size\n").refusal.startswith("Unknown column shoe size.")
    assert read("email,name,role,Email\n").refusal == "The column email appears twice."
    assert "formula" in read("=email,name,role\n").refusal


def test_it_refuses_more_rows_than_the_limit():
    body = "".join(f"p{n}@example.org,P,mentee\n" for n in range(4))
    assert read("email,name,role\n" + body, max_rows=4).ok
    assert read("email,name,role\n" + body + "x@example.org,X,mentee\n", max_rows=4).refusal == (
        "The file has more than 4 rows. Split it into smaller files."
    )


def test_it_marks_every_formula_prefix_on_its_cell():
    sheet = read(
        "email,name,role,department\n"
        "a@example.org,=HYPERLINK(1),mentor,+x\n"
        'b@example.org,"\tTab",mentee, @sum\n'
        "c@example.org,C,-mentee,\n"
    )
    assert not sheet.ok
    assert [(p.line, p.column) for p in sheet.problems] == [
        (2, "name"),
        (2, "department"),
        (3, "name"),
        (3, "department"),
        (4, "role"),
    ]
    assert "“=”" in sheet.problems[0].message and "a tab" in sheet.problems[2].message


def test_it_marks_a_row_with_more_cells_than_the_header():
    sheet = read("email,name,role\na@example.org,A,mentor,extra\n")
    assert sheet.problems == [
        csvfile.Problem(2, None, "4 cells, but the header has 3 columns."),
    ]


def test_flag_duplicates_names_the_first_line():
    sheet = read(
        "email,name,role\nA@example.org,A,mentor\nb@x.org,B,mentee\na@example.org,A,mentee\n"
    )
    csvfile.flag_duplicates(sheet.rows, "email")
    assert sheet.problems == [csvfile.Problem(4, "email", "Also on line 2.")]


def test_flag_duplicates_can_key_on_several_cells():
    sheet = read("email,name,role\na@x.org,A,mentor\na@x.org,B,mentee\na@x.org,A,mentor\n")
    csvfile.flag_duplicates(sheet.rows, "email", key=lambda row: (row["email"], row["role"]))
    assert [p.line for p in sheet.problems] == [4]


def test_caller_problems_join_the_sheet_in_file_order():
    sheet = read("email,name,role\na@x.org,A,mentor\nnot-an-email,B,mentee\n")
    sheet.rows[1].problem("email", "Not an email address.")
    assert not sheet.ok and sheet.rows[0].ok
    assert sheet.problems == [csvfile.Problem(3, "email", "Not an email address.")]


@given(st.binary(max_size=300))
def test_it_never_raises_on_any_bytes(data):
    sheet = csvfile.read(io.BytesIO(data), columns=COLUMNS, optional=OPTIONAL)
    assert sheet.refusal or all(row.line >= 2 for row in sheet.rows)


@given(st.lists(st.lists(st.text(max_size=8), max_size=5), max_size=6))
def test_it_never_raises_on_any_text_table(cells):
    text = "email,name,role\n" + "\n".join(",".join(row) for row in cells)
    sheet = read(text)
    assert isinstance(sheet.problems, list)


def test_a_row_reads_its_columns_by_key_and_nothing_else():
    row = read("email,name,role\na@x.org,A,mentor\n").rows[0]
    assert (row["email"], row["department"]) == ("a@x.org", "")
    with pytest.raises(KeyError):
        row["line"]  # a template's row.line reaches the attribute


class WriteTestCase(SimpleTestCase):
    def test_cells_that_would_run_as_formulas_are_written_as_text(self):
        data = csvfile.write(
            ["goal", "=HEADER"],
            [['=HYPERLINK("http://x")', "+1"], ["-2", "@SUM(A1)"], ["\tx", "plain"]],
        )
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        self.assertEqual(
            rows,
            [
                ["goal", "'=HEADER"],
                ['\'=HYPERLINK("http://x")', "'+1"],
                ["'-2", "'@SUM(A1)"],
                ["'\tx", "plain"],
            ],
        )

    def test_it_starts_with_a_byte_order_mark_and_writes_none_as_empty(self):
        data = csvfile.write(["a", "b"], [[None, "Zoë"]])
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        self.assertEqual(data.decode("utf-8-sig"), "a,b\r\n,Zoë\r\n")
