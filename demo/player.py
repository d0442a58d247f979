"""Replay the demo's story (story.yaml, with what people write in texts.yaml) through the
services, in the order it happened, each service told when (`now=`).

Nothing is patched and nothing is written behind the services' backs (but the two planned
dates of a partnership, which no service writes yet: see `_activated`): a partnership is
paired, drafts and signs its agreement (the second signature makes it active), meets, makes
its action plan and closes with its closing review, all in that order, so each service's
guards hold (a closed partnership refuses changes, a meeting is scheduled before it is held).
One timeline for everyone: a person's e-sign consent comes before any signature of theirs,
in whichever program.

Safe to run again: people, programs and enrolments are looked up by a natural key (an
email, a program's name) before they are made, and a pair whose partnership exists is not
replayed. The story's emails went out when it happened: the tasks the replay queued are
dropped once it has committed (`_drop_queued_tasks`), and its signed agreements are marked
delivered; the worker seals their PDFs (`seal_signed_agreement`), as it did on signing.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from ruamel.yaml import YAML

from mentorpact.accounts.models import User
from mentorpact.agreement_templates.models import AgreementTemplate
from mentorpact.agreement_templates.services import choose_template, ensure_builtin_templates
from mentorpact.agreements import selectors as agreement_selectors
from mentorpact.agreements import services as agreements
from mentorpact.agreements import tasks as agreement_tasks
from mentorpact.agreements.models import AgreementVersion
from mentorpact.confidentiality import services as confidentiality
from mentorpact.confidentiality.models import SafeguardingContact
from mentorpact.evaluations import selectors as evaluation_selectors
from mentorpact.evaluations import services as evaluations
from mentorpact.evaluations.models import Evaluation, Round
from mentorpact.events import services as program_events
from mentorpact.events.models import ProgramEvent
from mentorpact.events.services import EventDetails
from mentorpact.lib.dates import add_months
from mentorpact.matching import selectors as matching_selectors
from mentorpact.matching import services as matching
from mentorpact.matching.forms import ProfileForm
from mentorpact.matching.models import Questionnaire
from mentorpact.meetings import services as meetings
from mentorpact.meetings.models import Meeting
from mentorpact.meetings.selectors import meeting_terms
from mentorpact.partnerships import services as partnerships
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program
from mentorpact.progress import due_rows
from mentorpact.progress import services as progress
from mentorpact.progress.models import ActionPlan, ClosingReview

HERE = Path(__file__).resolve().parent


@cache
def _read(name: str) -> dict[str, Any]:
    return YAML(typ="safe").load((HERE / name).read_text(encoding="utf-8"))


def story() -> dict[str, Any]:
    return _read("story.yaml")


def texts() -> dict[str, Any]:
    return _read("texts.yaml")


def email(name: str) -> str:
    return name if "@" in name else f"{name}@example.org"


# --- The cast: people, programs, enrolments --------------------------------------------------


class _LazyPasswordHash:
    """One Argon2 hash of the demo password, computed only if someone needs creating.

    Hashing is deliberately slow (about 0.1 s); the demo's accounts share one published
    password, so sharing its hash reveals nothing more."""

    def __init__(self, password: str) -> None:
        self._password, self._hash = password, ""

    def __str__(self) -> str:
        if not self._hash:
            self._hash = make_password(self._password)
        return self._hash


def new_user(email: str, full_name: str, password_hash: object, **extra: Any) -> User:
    user = User(email=email, full_name=full_name, password=str(password_hash), **extra)
    user.full_clean()
    user.save()
    return user


def ensure_people() -> dict[str, User]:
    """Every person in the story (and the superuser for /admin/), by email."""
    people = {email(name): full_name for name, full_name in story()["people"].items()}
    admin = story()["admin"]
    existing = {u.email: u for u in User.objects.filter(email__in=[*people, admin["email"]])}
    password_hash = _LazyPasswordHash(story()["password"])
    for address, full_name in people.items():
        if address not in existing:
            existing[address] = new_user(address, full_name, password_hash)
    if admin["email"] not in existing:
        existing[admin["email"]] = new_user(
            admin["email"], admin["name"], password_hash, is_staff=True, is_superuser=True
        )
    return existing


PROGRAM_FIELDS = (
    "sponsor",
    "contact_email",
    "contact_phone",
    "return_address",
    "kickoff_date",
    "agreement_due_date",
)


def ensure_program(spec: dict[str, Any], users: dict[str, User]) -> Program:
    program = Program.objects.filter(name=spec["name"]).first()
    if program is None:
        program = Program(
            name=spec["name"],
            # A program's own settings over its form's rules (its feedback questions).
            rules=spec.get("rules", {}),
            **{key: spec[key] for key in PROGRAM_FIELDS},
        )
        program.full_clean()
        program.save()
    roles = (
        (Enrolment.Role.COORDINATOR, spec["coordinators"]),
        (Enrolment.Role.MENTOR, [pair["mentor"] for pair in spec["pairs"]]),
        (Enrolment.Role.MENTEE, [pair["mentee"] for pair in spec["pairs"]]),
    )
    for role, names in roles:
        enrol(program, [users[email(name)] for name in names], role)
    return program


def enrol(
    program: Program, users: list[User], role: str, capacity: dict[int, int] | None = None
) -> None:
    """Enrol whoever of `users` is not enrolled yet; a mentor with the capacity given for
    them (by user id), or the default."""
    enrolled = set(
        Enrolment.objects.filter(program=program, role=role).values_list("user_id", flat=True)
    )
    for user in users:
        if user.pk not in enrolled:
            enrolment = Enrolment(program=program, user=user, role=role)
            if capacity and user.pk in capacity:
                enrolment.capacity = capacity[user.pk]
            enrolment.full_clean()
            enrolment.save()
            enrolled.add(user.pk)


def intake(spec: dict[str, Any], program: Program, users: dict[str, User]) -> None:
    """A program's matching intake, if the story gives it one: its people enrolled, the
    coordinator's questions, each person's answers (cleaned by the profile form, as if typed)
    and the mentees' rankings, through matching's services. A program whose questions exist
    is left alone."""
    told = spec.get("intake")
    if not told or Questionnaire.objects.filter(program=program).exists():
        return
    now = _at(told["on"])
    person = {
        name: users[email(name)]
        for group in ("mentors", "mentees")
        for name in (entry["name"] for entry in told[group])
    }
    enrol(
        program,
        [person[entry["name"]] for entry in told["mentors"]],
        Enrolment.Role.MENTOR,
        capacity={person[e["name"]].pk: e["capacity"] for e in told["mentors"]},
    )
    enrol(program, [person[entry["name"]] for entry in told["mentees"]], Enrolment.Role.MENTEE)
    coordinator = users[email(spec["coordinators"][-1])]
    matching.save_questions(program=program, source=told["questions"], actor=coordinator, now=now)
    questions = matching_selectors.intake(program)
    for group, role in (("mentors", Enrolment.Role.MENTOR), ("mentees", Enrolment.Role.MENTEE)):
        for entry in told[group]:
            form = ProfileForm(data=entry["answers"], intake=questions, role=role)
            if not form.is_valid():
                raise ValueError(f"demo intake: {entry['name']}'s answers: {form.errors}")
            matching.save_profile(
                program=program,
                user=person[entry["name"]],
                role=role,
                answers=form.cleaned_data,
                now=now,
            )
    for entry in told["mentees"]:
        if entry.get("ranks"):
            matching.rank_mentors(
                program=program,
                mentee=person[entry["name"]],
                mentor_ids=[str(person[name].public_id) for name in entry["ranks"]],
                now=now,
            )


def attach_templates(programs: dict[str, Program]) -> None:
    """Give each demo program without a template the built-in one made from its own form,
    through the templates' service (which records the choice). A program that already has
    a template keeps it."""
    ensure_builtin_templates()
    specs = {spec["name"]: spec for spec in story()["programs"]}
    templates = AgreementTemplate.objects.in_bulk(
        [spec["template"] for spec in specs.values()], field_name="slug"
    )
    for program in Program.objects.filter(pk__in=[p.pk for p in programs.values()]).filter(
        template_choice__isnull=True
    ):
        template = templates[specs[program.name]["template"]]
        choose_template(program=program, template=template, user=None)


# --- The timeline -----------------------------------------------------------------------------


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A time of day in UTC, so the story reads the same in every time zone setting."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _local(day: date, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _pick(items: list, n: int) -> Any:
    return items[n % len(items)]


def _fill(value: Any, names: dict[str, str]) -> Any:
    """texts.yaml's {mentor}, {mentee_first}, ... filled in, all through a nested value."""
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {key: _fill(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, names) for item in value]
    return value


@dataclass(order=True)
class Step:
    at: datetime
    seq: int
    run: Callable[[], object] = field(compare=False)


_seq = itertools.count()


@dataclass
class Pair:
    """One pair's story and, once paired, its partnership."""

    spec: dict[str, Any]
    program_spec: dict[str, Any]
    program: Program
    mentor: User
    mentee: User
    coordinator: User
    steps: list[Step] = field(default_factory=list)
    partnership: Partnership | None = None
    modes: list[str] = field(default_factory=list)
    feedback: tuple[str, int] | None = None

    def __getitem__(self, key: str) -> Any:
        return self.spec.get(key)

    @property
    def p(self) -> Partnership:
        assert self.partnership is not None, "every later step follows the pairing"
        return self.partnership

    def at(self, moment: datetime, run: Callable[[], object]) -> None:
        self.steps.append(Step(moment, next(_seq), run))

    def names(self) -> dict[str, str]:
        return {
            "mentor": self.mentor.full_name,
            "mentee": self.mentee.full_name,
            "mentor_first": self.mentor.full_name.split()[0],
            "mentee_first": self.mentee.full_name.split()[0],
        }

    def user(self, role: str) -> User:
        return self.mentor if role == "mentor" else self.mentee

    def fresh(self) -> Partnership:
        self.p.refresh_from_db()
        return self.p

    @property
    def closes_at(self) -> datetime | None:
        return _at(self["stage_on"]) if self["closed"] else None


# --- Pairing and the agreement -----------------------------------------------------------------


def _pairing(pair: Pair) -> None:
    def pair_them(now: datetime) -> None:
        pair.partnership = partnerships.create_partnership(
            program=pair.program,
            mentor=pair.mentor,
            mentee=pair.mentee,
            actor=pair.coordinator,
            now=now,
        )

    pair.at(_at(pair["paired"]), lambda: pair_them(_at(pair["paired"])))
    if pair["closed"] == "unpaired":  # undone before anyone signed (the pairing page's Undo)
        undone = _at(pair["stage_on"], 9)
        pair.at(
            undone,
            lambda: partnerships.change_status(
                partnership=pair.fresh(),
                to_status=Partnership.Status.UNPAIRED,
                actor=pair.coordinator,
                now=undone,
            ),
        )


def _save(pair: Pair, role: str, values: dict[str, Any], now: datetime) -> None:
    agreement = pair.p.agreements.order_by("-number").first()
    assert agreement is not None
    draft = agreement_selectors.draft_version(agreement)
    assert draft is not None, "each save follows a step that left a draft"
    agreements.save_draft(
        agreement=agreement,
        user=pair.user(role),
        values=values,
        based_on_revision=draft.revision,
        now=now,
    )


def _sign(pair: Pair, role: str, now: datetime) -> None:
    agreement = pair.p.agreements.order_by("-number").first()
    assert agreement is not None
    version = agreement_selectors.draft_version(agreement)
    assert version is not None
    user = pair.user(role)
    agreements.give_esign_consent(
        user=user, agreement=agreement, ip=None, user_agent="Mentorpact demo", now=now
    )
    agreements.sign_agreement(
        version=version,
        user=user,
        typed_name=user.full_name,
        intent_statement=agreement_selectors.signing_statement(
            version=version, user=user, role=role
        ),
        ip=None,
        user_agent="Mentorpact demo",
        content_sha256_shown=version.content_sha256,
        revision_shown=version.revision,
        now=now + timedelta(seconds=1),
    )


def _activated(pair: Pair) -> None:
    """The partnership's planned dates: from the day it started to the end its pair planned.
    No service writes these two yet (the program office sets them), so the player does."""
    Partnership.objects.filter(pk=pair.p.pk).update(
        started_on=pair["signed"], ends_on=pair["ends_on"]
    )


def _agreement(pair: Pair) -> None:
    signed, how = pair["signed"], pair["agreement"]
    if signed is None and how is None:
        return  # most new pairs have not opened their agreement yet
    matched = pair["paired"]
    # {term_end}: eight months after pairing, inside the remote form's "six to twelve months
    # ahead" on every day the pair saves and signs (within two months of pairing).
    names = {**pair.names(), "term_end": add_months(matched, 8).isoformat()}
    values = _fill(texts()["agreements"][pair.program_spec["template"]], names)
    span = max(((signed or matched + timedelta(days=8)) - matched).days, 4)
    started = _at(matched, 11)
    pair.at(
        started,
        lambda: agreements.start_agreement(partnership=pair.p, actor=None, now=started),
    )
    mentee_saves = _at(matched + timedelta(days=span // 4), 11)
    pair.at(mentee_saves, lambda: _save(pair, "mentee", values["mentee"], mentee_saves))
    if how == "mentee_wrote":
        return  # the mentor has not started hers
    mentor_saves = _at(matched + timedelta(days=span // 2), 15)
    pair.at(mentor_saves, lambda: _save(pair, "mentor", values["mentor"], mentor_saves))
    if how == "mentee_signed":
        mentee_signs = _at(pair["mentee_signed_on"], 16)
        pair.at(mentee_signs, lambda: _sign(pair, "mentee", mentee_signs))
    if signed is not None:
        # The mentor signs the afternoon before; the mentee's signature puts it in effect.
        mentor_signs, mentee_signs = _at(signed - timedelta(days=1), 17), _at(signed)
        pair.at(mentor_signs, lambda: _sign(pair, "mentor", mentor_signs))
        pair.at(mentee_signs, lambda: _sign(pair, "mentee", mentee_signs))
        pair.at(mentee_signs + timedelta(minutes=1), lambda: _activated(pair))
    amendment = pair["amendment"]
    if amendment:
        proposed = _at(amendment["on"], 14)
        role = amendment["by"]

        def amend() -> None:
            agreement = pair.p.agreements.get()
            agreements.propose_amendment(agreement=agreement, user=pair.user(role), now=proposed)
            _save(pair, role, amendment["values"], proposed + timedelta(minutes=5))

        pair.at(proposed, amend)


# --- Meetings, notes and feedback --------------------------------------------------------------


@dataclass
class Rhythm:
    gap: timedelta
    zone: str
    at: time

    @classmethod
    def of(cls, program_spec: dict[str, Any]) -> "Rhythm":
        meets = program_spec["meets"]
        hour, minute = (int(part) for part in meets["at"].split(":"))
        return cls(timedelta(days=meets["every_days"]), meets["zone"], time(hour, minute))


def _mode(pair: Pair, n: int) -> str:
    """One of the first two ways of meeting the pair's terms offer, in turn."""
    if not pair.modes:  # read once: the template's choices stay, only their order may change
        pair.modes = [key for key, _label in meeting_terms(pair.p).mode_choices()][:2]
    return _pick(pair.modes, n)


def _feedback_terms(pair: Pair) -> tuple[str, int]:
    """Who gives feedback (the mentee, where the program asks them) and to how many
    questions: the template's rules, read once per pair. ("", 0): the form asks none."""
    if pair.feedback is None:
        terms = meeting_terms(pair.p)
        asked = terms.feedback_from()
        pair.feedback = (
            ("mentee" if "mentee" in asked else asked[0]) if asked else "",
            len(terms.feedback_questions()),
        )
    return pair.feedback


def _schedule(pair: Pair, n: int, day: date, *, announced: date) -> list[Meeting]:
    """The mentee plans meeting n for `day`; the list gets the meeting once it exists."""
    rhythm, words = Rhythm.of(pair.program_spec), texts()["meetings"]
    made: list[Meeting] = []
    # Announced a week ahead, or on the day they were paired if that came later.
    planned = _local(max(announced, pair["paired"]), time(18, 0), rhythm.zone)

    def schedule() -> None:
        made.append(
            meetings.schedule_meeting(
                partnership=pair.p,
                user=pair.mentee,
                starts_at=_local(day, rhythm.at, rhythm.zone),
                time_zone=rhythm.zone,
                duration_minutes=60,
                mode=_mode(pair, n),
                place="https://meet.example.org/" + pair.mentee.email.split("@")[0],
                agenda=_pick(words["agendas"], n),
                now=planned,
            )
        )

    pair.at(planned, schedule)
    return made


def _held(pair: Pair, n: int, day: date, *, feedback: bool) -> None:
    rhythm, words = Rhythm.of(pair.program_spec), texts()["meetings"]
    made = _schedule(pair, n, day, announced=day - timedelta(days=7))
    starts = _local(day, rhythm.at, rhythm.zone)
    after = starts + timedelta(hours=2)

    def record() -> None:
        meeting = made[0]
        meetings.record_held_meeting(
            meeting=meeting,
            user=pair.mentee if n % 3 else pair.mentor,
            based_on_version=meeting.version,
            starts_at=meeting.starts_at,
            held_minutes=50 + (n % 3) * 10,
            mode=meeting.mode,
            topics=_pick(words["topics"], n),
            now=after,
        )

    pair.at(after, record)
    _notes_and_feedback(pair, n, made, starts + timedelta(hours=6), feedback=feedback)


def _notes_and_feedback(
    pair: Pair, n: int, made: list[Meeting], evening: datetime, *, feedback: bool
) -> None:
    words = texts()["meetings"]

    def write() -> None:
        meeting = Meeting.objects.get(pk=made[0].pk)
        visibility, body = _pick(words["mentee_notes"], n)
        meetings.add_note(
            partnership=pair.p,
            user=pair.mentee,
            body=body,
            visibility=visibility,
            meeting=meeting,
            now=evening,
        )
        if n % 2 == 0:
            visibility, body = _pick(words["mentor_notes"], n // 2)
            meetings.add_note(
                partnership=pair.p,
                user=pair.mentor,
                body=body,
                visibility=visibility,
                meeting=meeting,
                now=evening + timedelta(minutes=20),
            )
        role, questions = _feedback_terms(pair) if feedback else ("", 0)
        if questions:
            meetings.submit_feedback(
                meeting=meeting,
                user=pair.user(role),
                answers=[_pick(words["feedback"], i) for i in range(questions)],
                shared_with_partner=n % 2 == 1,
                now=evening + timedelta(minutes=40),
            )

    pair.at(evening, write)


def _cancelled(pair: Pair, n: int, day: date) -> None:
    rhythm, words = Rhythm.of(pair.program_spec), texts()["meetings"]
    made = _schedule(pair, n, day, announced=day - timedelta(days=7))
    when = _local(day - timedelta(days=1), time(8, 0), rhythm.zone)

    def cancel() -> None:
        meeting = made[0]
        meetings.cancel_meeting(
            meeting=meeting,
            user=pair.mentor,
            based_on_version=meeting.version,
            reason=_pick(words["cancel_reasons"], n),
            now=when,
        )

    pair.at(when, cancel)


def _moved(pair: Pair, n: int, day: date, to: date) -> None:
    rhythm, words = Rhythm.of(pair.program_spec), texts()["meetings"]
    made = _schedule(pair, n, day, announced=day - timedelta(days=10))
    when = _local(day - timedelta(days=3), time(9, 0), rhythm.zone)

    def move() -> None:
        meeting = made[0]
        meetings.reschedule_meeting(
            meeting=meeting,
            user=pair.mentor,
            based_on_version=meeting.version,
            starts_at=_local(to, rhythm.at, rhythm.zone),
            time_zone=rhythm.zone,
            duration_minutes=meeting.duration_minutes,
            reason=words["moved_reason"],
            now=when,
        )

    pair.at(when, move)


def _meetings(pair: Pair, today: date) -> None:
    """Meetings at the program's rhythm from the first day to today (or the closing day):
    held, with notes and the mentee's feedback (the last open one still due), one cancelled,
    the next one scheduled. Pairs that never signed are at their first meeting."""
    rhythm, signed = Rhythm.of(pair.program_spec), pair["signed"]
    if signed is None:
        first = pair["first_meeting"]
        if first == "scheduled":
            _schedule(pair, 0, today + timedelta(days=3), announced=pair["paired"] + timedelta(1))
        elif first == "off_platform":
            _off_platform(pair, pair["paired"] + timedelta(days=3))
        elif first == "cancelled":
            _cancelled(pair, 0, pair["paired"] + timedelta(days=7))
        return
    is_open = not pair["closed"]
    last_day = today if is_open else pair["stage_on"]
    days, day = [], signed
    while day < last_day:
        days.append(day)
        day += rhythm.gap
    held = [n for n in range(len(days)) if not (n == 2 and len(days) > 4)]
    for n, meeting_day in enumerate(days):
        if n in held:
            # The mentee answers after every session but the last, which is still due.
            _held(pair, n, meeting_day, feedback=n != held[-1] or not is_open)
        else:  # one of the later meetings fell through
            _cancelled(pair, n, meeting_day)
    last = _local(days[held[-1]] if held else signed, rhythm.at, rhythm.zone)
    free_note = last + timedelta(days=2)
    if pair.closes_at is not None:
        free_note = min(free_note, pair.closes_at - timedelta(hours=1))
    mentor_note = texts()["meetings"]["mentor_notes"][1]
    pair.at(
        free_note,
        lambda: meetings.add_note(  # a free entry, about no meeting
            partnership=pair.p,
            user=pair.mentor,
            body=mentor_note[1],
            visibility=mentor_note[0],
            now=free_note,
        ),
    )
    n = len(days)
    if is_open and pair["moved_meeting"]:
        _moved(pair, n, day, day + timedelta(days=2))
        _schedule(pair, n + 1, day + rhythm.gap, announced=today - timedelta(days=2))
    elif is_open:
        _schedule(pair, n, max(day, today + timedelta(days=2)), announced=today - timedelta(3))


def _off_platform(pair: Pair, day: date) -> None:
    """Their first meeting, held off the platform and recorded that evening."""
    rhythm, words = Rhythm.of(pair.program_spec), texts()["meetings"]
    recorded = _local(day, time(20, 0), rhythm.zone)
    made: list[Meeting] = []

    def record() -> None:
        made.append(
            meetings.record_past_meeting(
                partnership=pair.p,
                user=pair.mentee,
                starts_at=_local(day, rhythm.at, rhythm.zone),
                time_zone=rhythm.zone,
                held_minutes=30,
                mode=_mode(pair, 0),
                topics=_pick(words["topics"], 0),
                now=recorded,
            )
        )

    pair.at(recorded, record)
    _notes_and_feedback(pair, 0, made, recorded + timedelta(minutes=30), feedback=False)


# --- After signing: plan, midpoint check, closing review ------------------------------------


def _plan(pair: Pair, day: date) -> None:
    now = _at(day, 12)
    pair.at(now, lambda: progress.start_action_plan(partnership=pair.p, actor=pair.mentee, now=now))


def _work_on(pair: Pair, day: date, statuses: list[str], *, hour: int = 12) -> None:
    """The mentee gives the plan's goals steps, due dates and `statuses` (in order)."""
    words, now = texts()["progress"], _at(day, hour, 30)

    def work() -> None:
        plan = ActionPlan.objects.get(partnership=pair.p, agreement__number=1)
        for item, status in zip(plan.items.order_by("position"), statuses, strict=False):
            progress.update_plan_item(
                item=item,
                actor=pair.mentee,
                changes=progress.ItemChanges(
                    status=status,
                    action_steps=words["action_steps"],
                    measure=item.measure or words["measure"],
                    owner=item.owner,
                    owner_name=item.owner_name,
                    due_on=day + timedelta(days=45),
                    progress_note=words["under_way"] if status == "in_progress" else "",
                ),
                based_on_version=item.version,
                now=now,
            )

    pair.at(now, work)


def _answers(pair: Pair, key: str, value: str, text: str) -> dict[str, dict[str, str]]:
    other = "comment" if key == "assessment" else "evidence"
    plan = ActionPlan.objects.filter(partnership=pair.p, agreement__number=1).first()
    items = plan.items.all() if plan else []
    return {str(item.public_id): {key: value, other: text} for item in items}


def _midpoint(pair: Pair, day: date, roles: tuple[str, ...]) -> None:
    words = texts()["progress"]
    start = pair["signed"]
    _plan(pair, start + timedelta(days=14))
    _work_on(pair, start + timedelta(days=21), ["done", "in_progress"])
    done_at = _at(day, 9)

    def commitment_done() -> None:
        plan = ActionPlan.objects.get(partnership=pair.p, agreement__number=1)
        commitment = plan.commitments.order_by("position").first()
        if commitment is not None:
            progress.set_commitment_done(
                commitment=commitment,
                actor=pair.mentee,
                done=True,
                based_on_version=commitment.version,
                now=done_at,
            )

    pair.at(done_at, commitment_done)
    for minute, role in enumerate(roles):
        now = _at(day, 10, minute)

        def review(role: str = role, now: datetime = now) -> None:
            progress.submit_midpoint_review(
                partnership=pair.p,
                actor=pair.user(role),
                answers=_answers(pair, "assessment", "on_track", words["midpoint_comment"]),
                overall=words["midpoint_overall"],
                change_course=False,
                now=now,
            )

        pair.at(now, review)


def _continued(pair: Pair, day: date) -> None:
    """Reviewed and continued with a new agreement; the plan was completed at their second
    meeting, as RED asks."""
    words = texts()["progress"]["continued"]
    start = pair["signed"]
    _plan(pair, start + timedelta(days=20))
    _work_on(pair, start + timedelta(days=30), ["done"])
    completed = _at(start + timedelta(days=40))
    pair.at(
        completed,
        lambda: progress.complete_action_plan(
            plan=ActionPlan.objects.get(partnership=pair.p, agreement__number=1),
            actor=pair.mentee,
            now=completed,
        ),
    )
    _close(pair, day, ClosingReview.Decision.CONTINUE, "partly", words, proposer="mentee")


def _close(
    pair: Pair,
    day: date,
    decision: str,
    outcome: str,
    words: dict[str, str],
    *,
    proposer: str,
    outside_intervention: bool = False,
) -> None:
    """The closing review at 10:00 on `day`; the partner confirms it half an hour later
    (ending early takes effect at once)."""
    proposed, confirmer = _at(day), "mentor" if proposer == "mentee" else "mentee"

    def propose() -> None:
        outcomes = _answers(pair, "outcome", outcome, words["evidence"])
        review = progress.propose_closing(
            partnership=pair.fresh(),
            actor=pair.user(proposer),
            decision=decision,
            outcomes=outcomes,
            learning=words[f"{proposer}_learning"],
            outside_intervention=outside_intervention,
            now=proposed,
        )
        if decision != ClosingReview.Decision.END_EARLY:
            progress.confirm_closing(
                review=review,
                actor=pair.user(confirmer),
                based_on_version=review.version,
                outcomes=outcomes,
                learning=words[f"{confirmer}_learning"],
                now=proposed + timedelta(minutes=30),
            )

    pair.at(proposed, propose)


def _progress(pair: Pair) -> None:
    stage, day = pair["stage"], pair["stage_on"]
    words = texts()["progress"]
    if stage == "plan":
        _plan(pair, day)
        _work_on(pair, day, ["in_progress"], hour=13)
    elif stage in ("midpoint", "midpoint_half"):
        _midpoint(pair, day, ("mentor", "mentee") if stage == "midpoint" else ("mentor",))
    elif stage == "continued":
        _continued(pair, day)
    elif stage in ("concluded", "concluded_thanks"):
        _plan(pair, pair["signed"])
        _work_on(pair, day - timedelta(days=1), ["done"] * 9)
        _close(
            pair, day, ClosingReview.Decision.CONCLUDE, "met", words["concluded"], proposer="mentor"
        )
        if stage == "concluded_thanks":
            sent = _at(day + timedelta(days=1))
            thanks = _fill(words["thank_you"], pair.names())
            pair.at(
                sent,
                lambda: progress.send_thank_you(
                    partnership=pair.fresh(),
                    actor=pair.mentee,
                    subject=thanks["subject"],
                    body=thanks["body"],
                    now=sent,
                ),
            )
    elif stage in ("ended_early", "ended_early_intervention"):
        if pair["signed"] is not None:
            _plan(pair, pair["signed"])
            _work_on(pair, day - timedelta(days=1), ["in_progress"] * 9)
        _close(
            pair,
            day,
            ClosingReview.Decision.END_EARLY,
            "not_met",
            words["ended_early"],
            proposer="mentee",
            outside_intervention=stage == "ended_early_intervention",
        )


# --- load_demo ---------------------------------------------------------------------------------


def load_demo() -> None:
    """Create whatever of the demo is missing; leave everything that exists alone."""
    started = timezone.now()
    with transaction.atomic():
        replayed = _load()
    _drop_queued_tasks(since=started)
    # The worker seals the story's signed agreements, as it would have when they were signed.
    for version_id in replayed:
        agreement_tasks.seal_signed_agreement.enqueue(version_id=version_id)


def _load() -> list[int]:
    """Replay the pairs not yet in the database; the ids of their signed versions."""
    users = ensure_people()
    today = story()["today"]
    programs, pairs = {}, []
    for spec in story()["programs"]:
        program = programs[spec["name"]] = ensure_program(spec, users)
        intake(spec, program, users)
        coordinator = users[email(spec["coordinators"][-1])]
        for pair_spec in spec["pairs"]:
            mentor, mentee = users[email(pair_spec["mentor"])], users[email(pair_spec["mentee"])]
            if Partnership.objects.filter(program=program, mentor=mentor, mentee=mentee).exists():
                continue
            pair = Pair(pair_spec, spec, program, mentor, mentee, coordinator)
            _pairing(pair)
            _agreement(pair)
            _meetings(pair, today)
            if pair["stage"]:
                _progress(pair)
            pairs.append(pair)
    attach_templates(programs)
    for step in sorted(step for pair in pairs for step in pair.steps):
        step.run()
    for spec in story()["programs"]:
        _evaluations(programs[spec["name"]], spec, users)
        _events(programs[spec["name"]], spec, users)
        _safeguarding(programs[spec["name"]], spec, users)
    # The story's signed agreements were delivered when they were signed: no emails now.
    signed = AgreementVersion.objects.filter(
        agreement__partnership__in=[pair.p for pair in pairs],
        status__in=AgreementVersion.SIGNED_STATUSES,
    )
    signed.filter(delivered_at__isnull=True).update(delivered_at=F("effective_at"))
    # The player writes a few facts itself (the planned dates no service writes yet), so the
    # due rows are brought up to date once the story is told, as a service would have.
    due_rows.refresh_many(
        list(
            Partnership.objects.filter(pk__in=[pair.p.pk for pair in pairs]).select_related(
                "program", "mentor", "mentee"
            )
        )
    )
    return list(signed.order_by("pk").values_list("pk", flat=True))


def _evaluations(program: Program, spec: dict[str, Any], users: dict[str, User]) -> None:
    """The program's evaluations, asked on their day, and the answers given, each on its
    day (after the pairs' story: an evaluation's rounds come from the pairs' facts)."""
    coordinator = users[email(spec["coordinators"][-1])]
    for told in spec.get("evaluations", []):
        source = told["form"]
        if Evaluation.objects.filter(program=program, source=source).exists():
            continue
        evaluation = evaluations.create_evaluation(
            program=program, actor=coordinator, source=source, now=_at(told["on"], 9)
        )
        words = texts().get("evaluations", {})
        for answer in told.get("answers", []):
            person = users[email(answer["by"])]
            found = Round.objects.get(
                Q(partnership__mentor=person) | Q(partnership__mentee=person),
                evaluation=evaluation,
            )
            asked = evaluation_selectors.get_round_for_respondent(
                person, evaluation.public_id, found.partnership.public_id, found.key
            )
            values = {k: v for k, v in answer.items() if k not in ("by", "on")}
            if answer["by"] in words:
                values["comments"] = words[answer["by"]]
            evaluations.answer(
                asked=asked, user=person, answers=values, version=None, now=_at(answer["on"], 12)
            )


def _events(program: Program, spec: dict[str, Any], users: dict[str, User]) -> None:
    """The program's own events: created on their day (everyone enrolled is invited), the
    answers given, and for one that is over, who attended (recorded that evening)."""
    coordinator = users[email(spec["coordinators"][-1])]
    for told in spec.get("events", []):
        if ProgramEvent.objects.filter(program=program, title=told["title"]).exists():
            continue
        day, zone = told["on"], told["zone"]
        event = program_events.create_event(
            program=program,
            actor=coordinator,
            details=EventDetails(
                title=told["title"],
                description=told.get("description", ""),
                starts_at=_local(day, time.fromisoformat(told["from"]), zone),
                ends_at=_local(day, time.fromisoformat(told["to"]), zone),
                time_zone=zone,
                place=told["place"],
                capacity=told.get("capacity"),
                invited_roles=told["invited"],
                required=told.get("required", False),
            ),
            now=_at(told["created"], 9),
        )
        for answer in told.get("answers", []):
            person = users[email(answer["by"])]
            program_events.answer(
                invitation=event.invitations.get(user=person),
                user=person,
                answer=answer["answer"],
                absence_reason=answer.get("reason", ""),
                now=_at(answer["on"], 12),
            )
        if "attended" in told:
            program_events.record_attendance(
                event=event,
                actor=coordinator,
                attended_user_ids={users[email(name)].pk for name in told["attended"]},
                now=event.ends_at + timedelta(hours=3),
            )


def _safeguarding(program: Program, spec: dict[str, Any], users: dict[str, User]) -> None:
    """The program's designated safeguarding contact, if the story names one."""
    if spec.get("safeguarding") and not SafeguardingContact.objects.filter(program=program):
        confidentiality.set_safeguarding_contact(
            program=program,
            actor=users[email(spec["coordinators"][0])],
            user=users[email(spec["safeguarding"])],
            now=_at(spec["kickoff_date"], 9),
        )


def _drop_queued_tasks(*, since: datetime) -> None:
    """The replay's emails (meeting changes, feedback invitations, closing notices, signed
    copies) were queued as tasks when it committed; the story's people had them long ago."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(enqueued_at__gte=since, status="READY").delete()


# --- The accounts table ------------------------------------------------------------------------


def demo_accounts() -> list[tuple[str, str, str]]:
    """(email, name, roles) for every demo account, the four personas first."""
    specs = story()["programs"]
    short = {spec["name"]: spec["short"] for spec in specs}
    order = {spec["name"]: i for i, spec in enumerate(specs)}

    def program_order(name: str) -> int:
        return order.get(name, len(order))  # any other program after the seed ones

    admin = story()["admin"]["email"]
    emails = [*(email(name) for name in story()["people"]), admin]
    roles: dict[str, dict[str, list[str]]] = {address: {} for address in emails}
    for address, role, program in (
        Enrolment.objects.filter(user__email__in=emails, program__name__in=short)
        .order_by("role")
        .values_list("user__email", "role", "program__name")
    ):
        roles[address].setdefault(role, []).append(program)
    names = dict(User.objects.filter(email__in=emails).values_list("email", "full_name"))
    rows = []
    for address in emails:
        described = [
            f"{role} ({', '.join(short[p] for p in sorted(programs, key=program_order))})"
            for role, programs in roles[address].items()
        ]
        if address == admin:
            described.append("superuser (admin site)")
        rows.append(
            (address, names.get(address, ""), "; ".join(described) or "enrolled in nothing")
        )
    return rows
