"""The rules that take their value from what the pair fills in (min_contact's fields and
frequencies, meeting_length, duration from a choice or the program's end, agreement_due by a
meeting, notice_days): how they are written, refused with their line, read back from an
agreement's values, and put in words on the template page."""

import datetime
from pathlib import Path

import pytest

from mentorpact.agreement_templates.rules import describe_rules
from mentorpact.agreement_templates.schema import Template, TemplateError, load_template
from mentorpact.agreement_templates.terms import agreed_contact, length_bounds, length_warning

OUTSIDE = sorted((Path(__file__).resolve().parent / "outside_forms").glob("*.yaml"))

HEAD = """format: 1
slug: t
title: T
signers: [mentor, mentee]
rules:
  distribution: pair
"""
FIELDS = """sections:
  - key: s
    blocks:
      - key: often
        kind: choice
        label: How often
        options: [{key: weekly, label: Weekly}, {key: monthly, label: Monthly}]
      - {key: times, kind: number, label: Times}
      - {key: weeks, kind: number, label: Weeks}
      - key: modes
        kind: counts
        label: Modes
        options: [{key: phone, label: Phone}, {key: video, label: Video}]
      - {key: low, kind: number, label: Least minutes}
      - {key: high, kind: number, label: Most minutes}
      - key: period
        kind: choice
        label: Months
        options: [{key: three, label: "3"}, {key: six, label: "6"}]
      - {key: note, kind: text, label: Note}
"""


def template(rules: str) -> Template:
    return load_template(HEAD + rules + FIELDS, filename="t.yaml")


def errors(rules: str) -> list[str]:
    with pytest.raises(TemplateError) as raised:
        template(rules)
    return raised.value.errors


@pytest.mark.parametrize("path", OUTSIDE, ids=lambda p: p.stem)
def test_each_outside_form_loads_round_trips_and_names_its_source(path):
    loaded = load_template(path.read_text(), filename=path.name)

    assert Template.from_dict(loaded.to_dict()) == loaded
    assert loaded.source and loaded.source.startswith("http")
    assert path.read_text().startswith("# Source: " + loaded.source)


def test_there_are_five_outside_forms():
    assert len(OUTSIDE) == 5


def test_contact_from_a_choice_follows_the_option_chosen():
    t = template(
        "  min_contact:\n    frequency_field: often\n    frequencies:\n"
        "      weekly: {times: 1, per: week}\n      monthly: {times: 2, per: month}\n"
    )

    weekly = agreed_contact(t, {"often": "weekly"})
    monthly = agreed_contact(t, {"often": "monthly"})

    assert weekly is not None and monthly is not None
    assert (weekly.gap, weekly.agreed, weekly.words()) == (
        datetime.timedelta(days=7),
        True,
        "at least once a week",
    )
    assert (monthly.gap, monthly.words()) == (
        datetime.timedelta(days=15.5),
        "at least twice a month",
    )
    assert agreed_contact(t, {}) is None  # nothing chosen, no fixed default


def test_contact_times_from_a_number_or_a_counts_total_falls_back_on_the_fixed_times():
    by_number = template("  min_contact: {times: 1, per: quarter, times_field: times}\n")
    by_counts = template("  min_contact: {per: month, times_field: modes}\n")

    four = agreed_contact(by_number, {"times": 4})
    assert four is not None and four.frequency.times == 4
    fallback = agreed_contact(by_number, {})
    assert fallback is not None and (fallback.frequency.times, fallback.agreed) == (1, False)
    assert fallback.gap == datetime.timedelta(days=92)
    total = agreed_contact(by_counts, {"modes": {"phone": 2, "video": 1}})
    assert total is not None and total.words() == "at least 3 times a month"


def test_once_every_n_weeks_from_a_field():
    t = template("  min_contact: {times: 1, per: week, every_field: weeks}\n")

    contact = agreed_contact(t, {"weeks": 3})

    assert contact is not None
    assert (contact.gap, contact.words()) == (
        datetime.timedelta(days=21),
        "at least once every 3 weeks",
    )


def test_contact_rules_are_refused_with_their_line():
    assert errors("  min_contact: {per: month}\n") == [
        "t.yaml:7: rules.min_contact.times: missing (a number of times, or times_field or "
        "frequency_field naming what the pair fills in)"
    ]
    assert errors("  min_contact: {times: 1, per: eon}\n") == [
        't.yaml:7: rules.min_contact.per: unknown period "eon" (expected one of: day, week, '
        "fortnight, month, quarter, semester, year)"
    ]
    assert errors(
        "  min_contact:\n    frequency_field: often\n    frequencies:\n"
        "      daily: {times: 1, per: day}\n"
    ) == [
        't.yaml:10: rules.min_contact.frequencies.daily: "daily" is not an option of field '
        '"often" (its options are: weekly, monthly)'
    ]
    assert errors("  min_contact: {frequency_field: often}\n") == [
        "t.yaml:7: rules.min_contact.frequencies: missing: say what each option of "
        "frequency_field means"
    ]
    assert errors("  min_contact: {per: week, times_field: note}\n") == [
        't.yaml:7: rules.min_contact.times_field: field "note" is a text field; expected a '
        "number or counts field"
    ]


def test_meeting_length_bounds_the_pair_writes_and_the_warning():
    t = template(
        "  meeting_length: {min_minutes: 30, min_minutes_field: low, max_minutes_field: high}\n"
    )

    assert length_bounds(t, {"low": 45, "high": 90}) == (45, 90)
    assert length_bounds(t, {}) == (30, None)
    assert length_warning(t, {"low": 45, "high": 90}, 60) is None
    assert "at least 45 minutes; this one is 20" in (length_warning(t, {"low": 45}, 20) or "")
    assert "at most 90 minutes" in (length_warning(t, {"high": 90}, 120) or "")
    assert errors("  meeting_length: {min_minutes: 90, max_minutes: 30}\n") == [
        "t.yaml:7: rules.meeting_length.min_minutes: min_minutes (90) is above max_minutes (30)"
    ]
    assert errors("  meeting_length: {}\n") == [
        "t.yaml:7: rules.meeting_length: give at least one of min_minutes, max_minutes, "
        "min_minutes_field or max_minutes_field"
    ]


def test_duration_from_a_choice_and_the_program_s_end():
    t = template("  duration: {months_field: period, months_choices: {three: 3, six: 6}}\n")
    duration = t.rules.duration
    assert duration is not None
    assert (duration.months_in("six"), duration.months_in({"choice": "three"})) == (6, 3)
    assert duration.months_in("other") is None

    fixed = template("  duration: {end_date: 2027-05-31}\n").rules.duration
    relative = template("  duration: {end_months_after_kickoff: 10}\n").rules.duration
    assert fixed is not None and relative is not None
    assert fixed.program_end(None) == datetime.date(2027, 5, 31)
    assert relative.program_end(datetime.date(2027, 1, 15)) == datetime.date(2027, 11, 15)

    assert errors("  duration: {months_field: period}\n") == [
        "t.yaml:7: rules.duration.months_choices: missing: say what each option of "
        "months_field means"
    ]
    assert errors("  duration: {months_field: times, months_choices: {a: 1}}\n") == [
        "t.yaml:7: rules.duration.months_choices: months_choices applies to a choice months_field"
    ]
    assert errors("  duration: {end_date: 2027-05-31, end_months_after_kickoff: 3}\n") == [
        "t.yaml:7: rules.duration.end_months_after_kickoff: give end_date or this, not both"
    ]


def test_notice_and_by_meeting_are_said_on_the_template_page():
    t = template(
        "  agreement_due: {by_meeting: 2}\n  notice_days: 7\n"
        "  meeting_length: {min_minutes: 60}\n"
        "  min_contact: {times: 1, per: month, times_field: times}\n"
        "  duration: {months_field: period, months_choices: {three: 3, six: 6}}\n"
    )

    rows = dict(describe_rules(t.rules))

    assert rows["Signed agreement due"] == "by the end of meeting 2"
    assert rows["Ending early"] == "either partner, with 7 days' notice"
    assert rows["Each meeting lasts"].startswith("at least 60 minutes")
    assert rows["Contact at least"] == (
        'as the pair agrees: the number of times in "times" a month; otherwise once a month'
    )
    assert rows["Duration"] == "3 or 6 months, as the pair chooses"
    assert errors("  notice_days: 0\n") == [
        "t.yaml:7: rules.notice_days: must be at least 1 (got 0)"
    ]
