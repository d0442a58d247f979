"""The `duration` rule's bounds act: the months agreed and the end date agreed are checked
against min_months / max_months, beside the field when a draft is saved and again before
signing (the remote programme's "a target date six to twelve months ahead")."""

import datetime

import pytest

from mentorpact.agreement_templates.rules import apply_overrides
from mentorpact.agreement_templates.values import incomplete, validate_values

from . import builtin

TODAY = datetime.date(2026, 12, 2)


def end_date_problem(end: str, today=TODAY) -> list[str]:
    return validate_values(builtin("remote-planning"), {"end_date": end}, today=today)[1].get(
        "end_date", []
    )


@pytest.mark.parametrize(
    ("end", "problem"),
    [
        ("2026-12-01", "This date has passed: choose a date after today."),
        ("2026-12-02", "This date has passed: choose a date after today."),
        (
            "2027-06-01",
            "The program asks for 6 to 12 months ahead: choose a date between 2 June 2027 and "
            "2 December 2027.",
        ),
        (
            "2030-12-02",
            "The program asks for 6 to 12 months ahead: choose a date between 2 June 2027 and "
            "2 December 2027.",
        ),
    ],
)
def test_an_end_date_outside_the_term_is_refused_beside_the_field(end, problem):
    assert end_date_problem(end) == [problem]


@pytest.mark.parametrize("end", ["2027-06-02", "2027-09-15", "2027-12-02"])
def test_an_end_date_six_to_twelve_months_ahead_is_kept(end):
    cleaned, errors = validate_values(builtin("remote-planning"), {"end_date": end}, today=TODAY)
    assert (cleaned, errors) == ({"end_date": end}, {})


def test_without_today_a_save_checks_no_dates_and_signing_checks_them_on_the_day():
    template = builtin("remote-planning")
    assert validate_values(template, {"end_date": "2027-08-01"})[1] == {}
    # Saved in time, signed after the date passed: signing says why, by the field.
    assert "end_date" not in incomplete(template, {"end_date": "2027-08-01"}, today=TODAY)
    late = incomplete(template, {"end_date": "2027-08-01"}, today=datetime.date(2027, 8, 1))
    assert late["end_date"] == "This date has passed: choose a date after today."


def test_the_months_agreed_are_held_to_a_program_s_bounds():
    template = apply_overrides(builtin("aspe-partnership"), {"duration": {"min_months": 3}})
    template = apply_overrides(template, {"duration": {"max_months": 12}})

    cleaned, errors = validate_values(template, {"months": 2}, today=TODAY)
    assert errors == {"months": ["The program asks for 3 to 12 months."]}
    assert cleaned == {}  # not kept: the page shows what was typed, with the message
    assert validate_values(template, {"months": 12}, today=TODAY) == ({"months": 12}, {})
    assert incomplete(template, {"months": 24})["months"] == "The program asks for 3 to 12 months."


def test_one_sided_bounds_read_naturally():
    at_least = apply_overrides(builtin("aspe-partnership"), {"duration": {"min_months": 4}})
    at_most = apply_overrides(builtin("aspe-partnership"), {"duration": {"max_months": 6}})
    too_few = incomplete(at_least, {"months": 2})["months"]
    assert too_few == "The program asks for at least 4 months."
    assert "months" not in incomplete(at_least, {"months": 60})
    assert incomplete(at_most, {"months": 9})["months"] == "The program asks for at most 6 months."


def test_a_form_without_bounds_checks_only_that_the_end_date_is_ahead():
    template = apply_overrides(
        builtin("remote-planning"), {"duration": {"min_months": None, "max_months": None}}
    )
    assert validate_values(template, {"end_date": "2040-01-01"}, today=TODAY)[1] == {}
    assert end_date_problem("2026-11-30") == ["This date has passed: choose a date after today."]
