"""A program's effective rules: its template's rules with the program's overrides applied.

This module is the one place that merges them; everything that needs a program's rules (the
agreement's due date, where a signed agreement goes, reminders) asks `effective_rules` or
`effective_template`. docs/templates.md ("Program overrides") is the contract.

The overrides, lowest to highest priority, on top of the template's `rules`:

1. the program's own columns: `Program.agreement_due_date` becomes `agreement_due: {date}`,
   and `Program.return_address` becomes `return_address` (only when the template returns signed
   agreements to the program: `distribution: program`);
2. `Program.rules`, a mapping with the same keys and values as a template's `rules`.

Each rule named replaces the template's rule whole (`agreement_due: {date: 2027-02-23}` replaces
`{month_day: "02-23"}`), except `duration`, whose keys are merged one by one so a program can
change `suggested_months` and keep the template's `months_field`. A rule set to null removes
it. A program cannot override `distribution` (who may read a signed agreement is the form's
promise to the partners) nor the rules naming the form's fields.

An override that does not validate against the template is left out (each is tried on its own),
so a bad override never stops an agreement from being drafted, read or signed;
`override_errors` reports such problems where overrides are edited.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from .schema import (
    Contact,
    Deadline,
    Frequency,
    MeetingLength,
    Rules,
    Template,
    TemplateError,
)

logger = logging.getLogger(__name__)

# Rules a program may not override, and why (shown by override_errors).
FIXED_RULES = {
    "distribution": "who receives the signed agreement is part of the form: choose another "
    "template to change it",
    "action_plan_owner_field": "it names one of the form's fields: edit the template instead",
    "meeting_modes_field": "it names one of the form's fields: edit the template instead",
}
FIXED_DURATION_KEYS = ("months_field", "end_date_field")


def program_overrides(program: Any, template: Template) -> dict[str, Any]:
    """The program's overrides as `rules` data, before validation."""
    overrides: dict[str, Any] = {}
    if getattr(program, "agreement_due_date", None):
        overrides["agreement_due"] = {"date": program.agreement_due_date.isoformat()}
    if getattr(program, "return_address", "") and template.rules.distribution == "program":
        overrides["return_address"] = program.return_address
    rules = getattr(program, "rules", None)
    if isinstance(rules, dict):
        overrides.update(rules)
    return overrides


def _merged(base: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    rules = dict(base)
    if name in FIXED_RULES:
        return rules
    if name == "duration" and isinstance(value, dict) and isinstance(rules.get(name), dict):
        duration = dict(rules[name])
        for key, part in value.items():
            if key in FIXED_DURATION_KEYS:
                continue
            if part is None:
                duration.pop(key, None)
            else:
                duration[key] = part
        rules[name] = duration
    elif value is None:
        rules.pop(name, None)
    else:
        rules[name] = value
    return rules


def _with_rules(template: Template, rules: dict[str, Any]) -> Template:
    data = template.to_dict()
    data["rules"] = rules
    return Template.from_dict(data, filename="program rules")


def apply_overrides(template: Template, overrides: dict[str, Any]) -> Template:
    """The template with these overrides applied; any override that does not validate is left
    out (and logged)."""
    if not overrides:
        return template
    base = template.to_dict()["rules"]
    rules = base
    for name, value in overrides.items():
        rules = _merged(rules, name, value)
    try:
        return _with_rules(template, rules)
    except TemplateError:
        pass
    # Something does not fit: keep each override that works on its own.
    rules = base
    for name, value in overrides.items():
        candidate = _merged(rules, name, value)
        try:
            _with_rules(template, candidate)
        except TemplateError as error:
            logger.warning("Program rule override %r left out: %s", name, error)
            continue
        rules = candidate
    return _with_rules(template, rules)


def override_errors(template: Template, rules: Any) -> list[str]:
    """What is wrong with a `Program.rules` value for this template ([] when it is fine)."""
    if not isinstance(rules, dict):
        return ["The program's rules must be a mapping of rule: value."]
    errors = [
        f"{name}: a program cannot change this rule ({why})."
        for name, why in FIXED_RULES.items()
        if name in rules
    ]
    duration = rules.get("duration")
    if isinstance(duration, dict):
        errors += [
            f"duration.{key}: a program cannot change this (it names one of the form's fields)."
            for key in FIXED_DURATION_KEYS
            if key in duration
        ]
    merged = template.to_dict()["rules"]
    for name, value in rules.items():
        merged = _merged(merged, name, value)
    try:
        _with_rules(template, merged)
    except TemplateError as error:
        errors += [message.split(": ", 1)[-1] for message in error.errors]
    return errors


def effective_template(template: Template, program: Any) -> Template:
    """The template as this program runs it: its rules with the program's overrides."""
    return apply_overrides(template, program_overrides(program, template))


def effective_rules(program: Any, template: Template | None = None) -> Rules:
    """The program's rules: those of `template` (default: the latest version of the program's
    chosen template) with the program's overrides. A program without a template has only the
    rules its own columns give (a due date)."""
    if template is None:
        # The program's ProgramTemplate row (its reverse one-to-one), read without importing
        # models so that this module stays model-free; None when the program has none.
        choice = getattr(program, "template_choice", None)
        version = choice.template.latest_version() if choice is not None else None
        if version is None:
            due = getattr(program, "agreement_due_date", None)
            return Rules(agreement_due=Deadline(date=due) if due else None)
        template = version.as_template()
    return effective_template(template, program).rules


def _deadline_text(deadline: Deadline) -> str:
    if deadline.date is not None:
        return f"{deadline.date.day} {deadline.date:%B %Y}"
    if deadline.days_after_kickoff is not None:
        return f"{deadline.days_after_kickoff} days after the kick-off"
    if deadline.by_meeting is not None:
        if deadline.by_meeting == 1:
            return "at the first meeting"
        return f"by the end of meeting {deadline.by_meeting}"
    month, day = (int(part) for part in (deadline.month_day or "01-01").split("-"))
    return f"{day} {datetime.date(2027, month, day):%B} each year"


def _frequency_text(f: Frequency) -> str:
    times = {1: "once", 2: "twice"}.get(f.times, f"{f.times} times")
    return f"{times} a {f.per}" if f.every == 1 else f"{times} every {f.every} {f.per}s"


def _contact_text(contact: Contact) -> str:
    """ "once a month"; "as the pair agrees (field "often": ...), otherwise ..." """
    fixed = (
        _frequency_text(Frequency(contact.times, contact.per, contact.every or 1))
        if contact.times and contact.per
        else ""
    )
    if contact.frequency_field:
        choices = "; ".join(f"{key}: {_frequency_text(f)}" for key, f in contact.frequencies)
        agreed = f'as the pair chooses in "{contact.frequency_field}" ({choices})'
    elif contact.times_field or contact.every_field:
        parts = []
        if contact.times_field:
            parts.append(f'the number of times in "{contact.times_field}"')
        if contact.every_field:
            parts.append(f'every "{contact.every_field}" {contact.per}s')
        agreed = " ".join(parts) + f" a {contact.per}" * (not contact.every_field)
        agreed = f"as the pair agrees: {agreed}"
    else:
        return fixed
    return f"{agreed}; otherwise {fixed}" if fixed else agreed


def _length_text(length: MeetingLength) -> str:
    """ "at least 60 minutes"; "as the pair agrees ("min_minutes" to "max_minutes")"."""
    low = f'"{length.min_minutes_field}"' if length.min_minutes_field else length.min_minutes
    high = f'"{length.max_minutes_field}"' if length.max_minutes_field else length.max_minutes
    agreed = length.min_minutes_field or length.max_minutes_field
    if low and high:
        text = f"{low} to {high} minutes"
    elif low:
        text = f"at least {low} minutes"
    else:
        text = f"at most {high} minutes"
    text += " (a length outside it is kept only when a partner confirms it)"
    return f"as the pair agrees: {text}" if agreed else text


# Without a `sign_reminder_days` rule, a signer still waited for is reminded every 3 days.
DEFAULT_SIGN_REMINDER_DAYS = 3


def sign_reminder_interval(rules: Rules) -> datetime.timedelta:
    """How long after a partner signs (and again after each reminder) a signer who has not
    signed is reminded: the `sign_reminder_days` rule, or DEFAULT_SIGN_REMINDER_DAYS."""
    return datetime.timedelta(days=rules.sign_reminder_days or DEFAULT_SIGN_REMINDER_DAYS)


# Rules a template may state that Mentorpact does not act on yet (the program's own events and
# evaluations come with program activities, issue 14): the template page says so.
NOT_RUN_YET = {
    "networking_functions": "networking functions",
    "periodic_evaluations": "periodic evaluations",
}


def describe_rules(rules: Rules) -> list[tuple[str, str]]:
    """The rules in words, as (what, value) rows for the coordinator's pages."""
    rows: list[tuple[str, str]] = []
    if rules.distribution == "program":
        rows.append(("Signed agreements go to", rules.return_address or "the program"))
    elif rules.distribution == "pair":
        rows.append(("Signed agreements", "stay between mentor and mentee"))
    if rules.agreement_due:
        rows.append(("Signed agreement due", _deadline_text(rules.agreement_due)))
    if rules.first_meeting_within_weeks:
        rows.append(("First meeting", f"within {rules.first_meeting_within_weeks} weeks"))
    if rules.min_contact:
        rows.append(("Contact at least", _contact_text(rules.min_contact)))
    if rules.min_meetings:
        rows.append(("Meetings", f"at least {rules.min_meetings}"))
    if rules.action_plan_by_meeting:
        rows.append(("Action plan", f"by the end of meeting {rules.action_plan_by_meeting}"))
    days = sign_reminder_interval(rules).days
    rows.append(
        ("Reminder to sign", f"every {days} day{'s' if days != 1 else ''} after a partner signs")
    )
    duration = rules.duration
    if duration and (
        duration.suggested_months
        or duration.min_months
        or duration.max_months
        or duration.months_choices
        or duration.end_date
        or duration.end_months_after_kickoff
    ):
        parts = []
        if duration.months_choices:
            *most, last = sorted({m for _, m in duration.months_choices})
            months = f"{', '.join(map(str, most))} or {last}" if most else str(last)
            parts.append(f"{months} months, as the pair chooses")
        if duration.end_date:
            parts.append(f"ends {duration.end_date.day} {duration.end_date:%B %Y}")
        if duration.end_months_after_kickoff:
            parts.append(f"ends {duration.end_months_after_kickoff} months after the kick-off")
        if duration.min_months or duration.max_months:
            parts.append(f"{duration.min_months or 1} to {duration.max_months or '…'} months")
        if duration.suggested_months:
            parts.append(f"{duration.suggested_months} months suggested")
        rows.append(("Duration", "; ".join(parts)))
    if rules.notice_days:
        days = rules.notice_days
        rows.append(
            ("Ending early", f"either partner, with {days} day{'s' if days != 1 else ''}' notice")
        )
    if rules.meeting_length:
        rows.append(("Each meeting lasts", _length_text(rules.meeting_length)))
    flags = [
        ("midpoint_check", "a mid-point check"),
        ("keep_copy", "both partners keep a copy"),
        ("activity_log", "an activity log"),
    ]
    chosen = [text for name, text in flags if getattr(rules, name)]
    if chosen:
        rows.append(("Also", ", ".join(chosen)))
    # Rules the format accepts that nothing in Mentorpact runs yet: said plainly, so a
    # coordinator knows to run them outside it (tests/test_every_rule_is_read.py lists them).
    offline = [text for name, text in NOT_RUN_YET.items() if getattr(rules, name)]
    if offline:
        rows.append(("Run by the program, outside Mentorpact for now", ", ".join(offline)))
    if rules.feedback_questions:
        rows.append(("Feedback questions", f"{len(rules.feedback_questions)} after each meeting"))
    exceptions = {
        "agreed_disclosure": "an agreed disclosure (both partners agree)",
        "serious_danger": "disclosure in serious danger (the safeguarding contact is alerted)",
    }
    if rules.confidentiality_exceptions:
        rows.append(
            (
                "Exceptions to confidentiality",
                ", ".join(exceptions[e] for e in rules.confidentiality_exceptions),
            )
        )
    return rows
