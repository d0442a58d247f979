"""Every rule the template format accepts is read by code that acts on it (a due item, a
reminder, a check, an email, a page), not only parsed and described: a new rule without a
reader fails here. Reading means an attribute access `.<rule>` in the product's modules
outside the format itself (schema.py, shape.py) and outside `describe_rules`, which only puts
the rules in words. The rules nothing runs yet are listed in rules.NOT_RUN_YET, which the
template page shows as run by the program outside Mentorpact."""

import ast
import dataclasses
from pathlib import Path

from mentorpact.agreement_templates import rules as rules_module
from mentorpact.agreement_templates.schema import (
    Contact,
    Deadline,
    Duration,
    MeetingLength,
    Rules,
)

PRODUCT = Path(rules_module.__file__).resolve().parents[1]
FORMAT = {
    PRODUCT / "agreement_templates" / "schema.py",
    PRODUCT / "agreement_templates" / "shape.py",
}


# Rules read through a method of Rules (schema.py): the method's callers are their readers.
READ_THROUGH = {
    "agreement_due": "due_date",
    # Deadline's dates are read through Deadline.resolve (Rules.due_date calls it).
    "date": "resolve",
    "days_after_kickoff": "resolve",
    "month_day": "resolve",
    "months_choices": "months_in",
    "end_date": "program_end",
    "end_months_after_kickoff": "program_end",
}


def product_modules() -> list[Path]:
    return [
        path
        for path in PRODUCT.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and path not in FORMAT
    ]


def attributes_read() -> set[str]:
    """Every `.name` read in the product, leaving out describe_rules' body."""
    names: set[str] = set()
    for path in product_modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        skipped = {
            id(node)
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef) and function.name == "describe_rules"
            for node in ast.walk(function)
        }
        names |= {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and id(node) not in skipped
        }
    return names


def test_every_rule_duration_and_contact_key_has_a_reader_or_is_said_to_be_run_outside():
    read = attributes_read()
    rules = {f.name for f in dataclasses.fields(Rules)}
    duration = {f.name for f in dataclasses.fields(Duration)}
    for part in (Contact, MeetingLength, Deadline):
        duration |= {f.name for f in dataclasses.fields(part)}

    read |= {rule for rule, method in READ_THROUGH.items() if method in read}

    unread = sorted((rules | duration) - read - set(rules_module.NOT_RUN_YET))

    assert unread == []


def test_the_rules_not_run_yet_are_real_rules_and_really_unread():
    read = attributes_read()
    rules = {f.name for f in dataclasses.fields(Rules)}
    for name in rules_module.NOT_RUN_YET:
        assert name in rules
        assert name not in read, f"{name} has a reader now: take it out of NOT_RUN_YET"


def test_the_template_page_says_which_rules_the_program_runs_outside():
    rows = dict(rules_module.describe_rules(Rules(networking_functions=True)))
    assert rows["Run by the program, outside Mentorpact for now"] == "networking functions"


def test_the_scan_sees_a_reader_and_misses_a_rule_that_has_none():
    read = attributes_read()
    assert "first_meeting_within_weeks" in read  # progress.schedule reads it
    assert "no_such_rule_anywhere" not in read
