"""Demo data and generated load: what `manage.py load_demo` and `manage.py generate_load` run.

`load_demo()` builds the five seed programs with named people and partnerships at every stage.
It looks everything up by a natural key (an email, a program's name, a program + mentor +
mentee) before writing, so a second run changes nothing. Partnerships go through the
partnership services, so every status change has its event row; afterwards the demo moves
their timestamps back to the dates in the story below ("today" is 23 November 2026).

`generate_load()` makes one large program fast (bulk inserts, one password hash) for the
benchmarks in bench/ and the query-count tests.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from mentorpact.accounts.models import User
from mentorpact.agreement_templates.models import AgreementTemplate
from mentorpact.agreement_templates.services import choose_template, ensure_builtin_templates
from mentorpact.audit.models import Event
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership, PartnershipAction
from mentorpact.programs.models import Enrolment, Program

DEMO_PASSWORD = "mentorpact-demo"
ADMIN_EMAIL = "admin@example.org"

DRAFTING = Partnership.Status.DRAFTING
ACTIVE = Partnership.Status.ACTIVE
CONCLUDED = Partnership.Status.CONCLUDED
ENDED_EARLY = Partnership.Status.ENDED_EARLY
UNPAIRED = Partnership.Status.UNPAIRED


# --- The story --------------------------------------------------------------------------

# Everyone in the demo, by email. The first four are the personas the docs and tests use.
PEOPLE = {
    "cora@example.org": "Cora Coordinator",
    "mia@example.org": "Mia Mentor",
    "theo@example.org": "Theo Mentee",
    "olive@example.org": "Olive Outsider",
    # Each program other than RED also has a coordinator of its own, alongside Cora.
    "priya.raman@example.org": "Priya Raman",
    "tomas.herrera@example.org": "Tomás Herrera",
    "fiona.macleod@example.org": "Fiona MacLeod",
    "kwame.mensah@example.org": "Kwame Mensah",
    # Mentors and mentees.
    "aiko.tanaka@example.org": "Aiko Tanaka",
    "samuel.okafor@example.org": "Samuel Okafor",
    "lucia.fernandez@example.org": "Lucía Fernández",
    "dmitri.volkov@example.org": "Dmitri Volkov",
    "amara.nwosu@example.org": "Amara Nwosu",
    "hannah.schmidt@example.org": "Hannah Schmidt",
    "rahul.mehta@example.org": "Rahul Mehta",
    "grace.kim@example.org": "Grace Kim",
    "mateus.silva@example.org": "Mateus Silva",
    "yasmin.haddad@example.org": "Yasmin Haddad",
    "noah.goldberg@example.org": "Noah Goldberg",
    "seun.adeyemi@example.org": "Oluwaseun Adeyemi",
    "leilani.kahale@example.org": "Leilani Kahale",
    "sofia.rossi@example.org": "Sofia Rossi",
    "ethan.walker@example.org": "Ethan Walker",
    "meilin.chen@example.org": "Mei Lin Chen",
    "jamal.carter@example.org": "Jamal Carter",
    "ingrid.larsen@example.org": "Ingrid Larsen",
    "arjun.nair@example.org": "Arjun Nair",
    "zainab.bello@example.org": "Zainab Bello",
    "carlos.mendoza@example.org": "Carlos Mendoza",
    "eleanor.whitfield@example.org": "Eleanor Whitfield",
    "tariq.aziz@example.org": "Tariq Aziz",
    "nadia.petrova@example.org": "Nadia Petrova",
    "kofi.boateng@example.org": "Kofi Boateng",
    "isabella.moreau@example.org": "Isabella Moreau",
    "hiroshi.sato@example.org": "Hiroshi Sato",
    "liam.oconnor@example.org": "Liam O'Connor",
    "ana.kovac@example.org": "Ana Kovač",
    "fatima.elamrani@example.org": "Fatima El Amrani",
    "beatriz.santos@example.org": "Beatriz Santos",
    "omar.farouk@example.org": "Omar Farouk",
    "chloe.dubois@example.org": "Chloé Dubois",
    "daniel.abebe@example.org": "Daniel Abebe",
}


@dataclass(frozen=True)
class PairSpec:
    mentor: str
    mentee: str
    # (status, day) from matching onwards: the first entry is always ("drafting", matched on).
    history: tuple[tuple[str, date], ...]
    # The planned end of the partnership, once it has one.
    ends_on: date | None = None

    @property
    def status(self) -> str:
        return self.history[-1][0]

    @property
    def started_on(self) -> date | None:
        return next((day for status, day in self.history if status == ACTIVE), None)


@dataclass(frozen=True)
class ProgramSpec:
    short: str  # the label in the accounts table
    name: str  # the natural key
    sponsor: str
    contact_email: str
    contact_phone: str
    return_address: str
    kickoff_date: date | None
    agreement_due_date: date | None
    coordinators: tuple[str, ...]
    # The built-in agreement template made from this program's own seed form.
    template_slug: str
    pairs: tuple[PairSpec, ...] = field(default=())


def _pair(mentor: str, mentee: str, *history: tuple[str, date], ends_on=None) -> PairSpec:
    return PairSpec(f"{mentor}@example.org", f"{mentee}@example.org", history, ends_on)


PROGRAMS = (
    # The 2027 cohort kicks off in January; signed agreements are due to RSP on 23 February,
    # four weeks later, as the form asks. Mia and Theo were matched early and are drafting.
    # The other pairs are from the 2026 cohort.
    ProgramSpec(
        short="RED",
        name="RED Peer Mentoring Program",
        sponsor="Research and Sponsored Programs (RSP)",
        contact_email="red@rsp.wisc.edu",
        contact_phone="608-262-3822",
        return_address="red@rsp.wisc.edu",
        kickoff_date=date(2027, 1, 26),
        agreement_due_date=date(2027, 2, 23),
        coordinators=("cora@example.org",),
        template_slug="red-peer-mentoring",
        pairs=(
            _pair("mia", "theo", (DRAFTING, date(2026, 11, 16))),
            _pair("rahul.mehta", "grace.kim", (DRAFTING, date(2026, 11, 18))),
            _pair(
                "aiko.tanaka",
                "samuel.okafor",
                (DRAFTING, date(2026, 1, 20)),
                (ACTIVE, date(2026, 2, 17)),
                ends_on=date(2027, 1, 26),
            ),
            _pair(
                "lucia.fernandez",
                "dmitri.volkov",
                (DRAFTING, date(2026, 1, 21)),
                (ACTIVE, date(2026, 2, 12)),
                (CONCLUDED, date(2026, 10, 30)),
                ends_on=date(2026, 10, 30),
            ),
            _pair(
                "amara.nwosu",
                "hannah.schmidt",
                (DRAFTING, date(2026, 1, 22)),
                (ACTIVE, date(2026, 2, 20)),
                (ENDED_EARLY, date(2026, 5, 11)),
                ends_on=date(2027, 1, 26),
            ),
        ),
    ),
    # Agreements for the November intake are due in two weeks.
    ProgramSpec(
        short="ASPE",
        name="ASPE Mentoring Program",
        sponsor="ASPE",
        contact_email="aspementor@aspe.org",
        contact_phone="",
        return_address="aspementor@aspe.org",
        kickoff_date=date(2026, 11, 2),
        agreement_due_date=date(2026, 12, 7),
        coordinators=("cora@example.org", "priya.raman@example.org"),
        template_slug="aspe-partnership",
        pairs=(
            _pair(
                "mia",
                "mateus.silva",
                (DRAFTING, date(2026, 11, 2)),
                (ACTIVE, date(2026, 11, 12)),
                ends_on=date(2027, 5, 12),
            ),
            _pair("yasmin.haddad", "noah.goldberg", (DRAFTING, date(2026, 11, 2))),
            _pair(
                "seun.adeyemi",
                "leilani.kahale",
                (DRAFTING, date(2025, 11, 3)),
                (ACTIVE, date(2025, 11, 20)),
                (CONCLUDED, date(2026, 5, 20)),
                ends_on=date(2026, 5, 20),
            ),
            # Paired by mistake on kick-off day and undone the next morning, before anyone
            # signed (the pairing page's Undo); Ethan was then paired with Sofia.
            _pair(
                "yasmin.haddad",
                "ethan.walker",
                (DRAFTING, date(2026, 11, 1)),
                (UNPAIRED, date(2026, 11, 2)),
            ),
            _pair(
                "sofia.rossi",
                "ethan.walker",
                (DRAFTING, date(2026, 11, 2)),
                (ENDED_EARLY, date(2026, 11, 16)),
            ),
        ),
    ),
    # The overdue one: agreements were due on 12 October and one pair has still not signed.
    ProgramSpec(
        short="WHPRMS",
        name="WHPRMS Mentor Program",
        sponsor="WHPRMS",
        contact_email="president_elect@whprms.org",
        contact_phone="",
        return_address="president_elect@whprms.org",
        kickoff_date=date(2026, 9, 14),
        agreement_due_date=date(2026, 10, 12),
        coordinators=("cora@example.org", "tomas.herrera@example.org"),
        template_slug="whprms-partnership",
        pairs=(
            _pair(
                "meilin.chen",
                "jamal.carter",
                (DRAFTING, date(2026, 9, 14)),
                (ACTIVE, date(2026, 10, 5)),
                ends_on=date(2027, 1, 5),
            ),
            _pair("ingrid.larsen", "arjun.nair", (DRAFTING, date(2026, 9, 14))),
            _pair(
                "mia",
                "zainab.bello",
                (DRAFTING, date(2026, 5, 4)),
                (ACTIVE, date(2026, 5, 18)),
                (CONCLUDED, date(2026, 8, 18)),
                ends_on=date(2026, 8, 18),
            ),
            _pair(
                "carlos.mendoza",
                "eleanor.whitfield",
                (DRAFTING, date(2026, 9, 14)),
                (ACTIVE, date(2026, 10, 1)),
                (ENDED_EARLY, date(2026, 11, 6)),
                ends_on=date(2027, 1, 1),
            ),
        ),
    ),
    # The agreement stays between mentor and mentee: no return address, no due date.
    ProgramSpec(
        short="Pilot",
        name="University Mentoring Pilot",
        sponsor="Staff Development, the University",
        contact_email="mentoring-pilot@example.org",
        contact_phone="",
        return_address="",
        kickoff_date=date(2026, 10, 19),
        agreement_due_date=None,
        coordinators=("cora@example.org", "fiona.macleod@example.org"),
        template_slug="university-pilot",
        pairs=(
            _pair(
                "tariq.aziz",
                "nadia.petrova",
                (DRAFTING, date(2026, 10, 19)),
                (ACTIVE, date(2026, 10, 28)),
                ends_on=date(2027, 3, 31),
            ),
            _pair("kofi.boateng", "isabella.moreau", (DRAFTING, date(2026, 11, 9))),
            _pair(
                "hiroshi.sato",
                "liam.oconnor",
                (DRAFTING, date(2026, 10, 19)),
                (ACTIVE, date(2026, 10, 22)),
                (CONCLUDED, date(2026, 11, 20)),
                ends_on=date(2026, 11, 20),
            ),
            _pair(
                "ana.kovac",
                "fatima.elamrani",
                (DRAFTING, date(2026, 10, 19)),
                (ACTIVE, date(2026, 10, 26)),
                (ENDED_EARLY, date(2026, 11, 13)),
                ends_on=date(2027, 3, 31),
            ),
        ),
    ),
    # Six-month partnerships with a mid-point check; the June intake's agreements are all in.
    ProgramSpec(
        short="Remote",
        name="Remote Mentoring Programme",
        sponsor="People Team (fully remote)",
        contact_email="people-team@example.org",
        contact_phone="",
        return_address="",
        kickoff_date=date(2026, 6, 1),
        agreement_due_date=date(2026, 6, 29),
        coordinators=("cora@example.org", "kwame.mensah@example.org"),
        template_slug="remote-planning",
        pairs=(
            _pair(
                "mia",
                "theo",
                (DRAFTING, date(2026, 6, 1)),
                (ACTIVE, date(2026, 6, 22)),
                ends_on=date(2026, 12, 18),
            ),
            _pair(
                "beatriz.santos",
                "omar.farouk",
                (DRAFTING, date(2026, 1, 12)),
                (ACTIVE, date(2026, 1, 26)),
                (CONCLUDED, date(2026, 7, 24)),
                ends_on=date(2026, 7, 24),
            ),
            _pair(
                "chloe.dubois",
                "daniel.abebe",
                (DRAFTING, date(2026, 6, 1)),
                (ACTIVE, date(2026, 6, 15)),
                (ENDED_EARLY, date(2026, 9, 4)),
                ends_on=date(2026, 12, 15),
            ),
        ),
    ),
)


# --- load_demo ----------------------------------------------------------------------------


@transaction.atomic
def load_demo() -> None:
    """Create whatever of the demo is missing; leave everything that exists alone.

    Later parts of the product add their step at the end (signed agreements, meetings,
    reminders), each looking its rows up by a natural key in the same way.
    """
    users = ensure_people()
    ensure_admin()
    for spec in PROGRAMS:
        program = ensure_program(spec)
        enrol(program, [users[e] for e in spec.coordinators], Enrolment.Role.COORDINATOR)
        enrol(program, [users[p.mentor] for p in spec.pairs], Enrolment.Role.MENTOR)
        enrol(program, [users[p.mentee] for p in spec.pairs], Enrolment.Role.MENTEE)
        for pair in spec.pairs:
            ensure_partnership(program, pair, users=users, actor=users[spec.coordinators[-1]])
    attach_templates()
    demo_agreements(users)
    ensure_meeting_stages()
    ensure_progress_stages()


class _LazyPasswordHash:
    """One Argon2 hash of the demo password, computed only if someone needs creating.

    Hashing is deliberately slow (about 0.1 s); the demo's accounts share one published
    password, so sharing its hash reveals nothing more.
    """

    def __init__(self) -> None:
        self._hash = ""

    def __str__(self) -> str:
        if not self._hash:
            self._hash = make_password(DEMO_PASSWORD)
        return self._hash


def _new_user(email: str, full_name: str, password_hash: str | _LazyPasswordHash, **extra) -> User:
    user = User(email=email, full_name=full_name, password=str(password_hash), **extra)
    user.full_clean()
    user.save()
    return user


def ensure_people() -> dict[str, User]:
    existing = {u.email: u for u in User.objects.filter(email__in=PEOPLE)}
    password_hash = _LazyPasswordHash()
    for email, name in PEOPLE.items():
        if email not in existing:
            existing[email] = _new_user(email, name, password_hash)
    return existing


def ensure_admin() -> User:
    """The superuser for /admin/: admin@example.org, with the demo password."""
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        admin = _new_user(
            ADMIN_EMAIL,
            "Demo Administrator",
            _LazyPasswordHash(),
            is_staff=True,
            is_superuser=True,
        )
    return admin


def ensure_program(spec: ProgramSpec) -> Program:
    program = Program.objects.filter(name=spec.name).first()
    if program is None:
        program = Program(
            name=spec.name,
            sponsor=spec.sponsor,
            contact_email=spec.contact_email,
            contact_phone=spec.contact_phone,
            return_address=spec.return_address,
            kickoff_date=spec.kickoff_date,
            agreement_due_date=spec.agreement_due_date,
        )
        program.full_clean()
        program.save()
    return program


def enrol(program: Program, users: list[User], role: str) -> None:
    enrolled = set(
        Enrolment.objects.filter(program=program, role=role).values_list("user_id", flat=True)
    )
    for user in users:
        if user.pk not in enrolled:
            enrolment = Enrolment(program=program, user=user, role=role)
            enrolment.full_clean()
            enrolment.save()
            enrolled.add(user.pk)


def _at(day: date) -> datetime:
    """Mid-morning UTC on `day`, so the demo reads the same in every time zone setting."""
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


def ensure_partnership(
    program: Program, pair: PairSpec, *, users: dict[str, User], actor: User
) -> Partnership:
    mentor, mentee = users[pair.mentor], users[pair.mentee]
    existing = Partnership.objects.filter(program=program, mentor=mentor, mentee=mentee).first()
    if existing is not None:
        return existing
    partnership = partnership_services.create_partnership(
        program=program, mentor=mentor, mentee=mentee, actor=actor, now=_at(pair.history[0][1])
    )
    # Activation is the second signature (the mentee's, in this story); closing is done by
    # the mentor when it concludes and by the coordinator when it ends early.
    actors: dict[str, User] = {
        ACTIVE: mentee,
        CONCLUDED: mentor,
        ENDED_EARLY: actor,
        UNPAIRED: actor,
    }
    for status, _day in pair.history[1:]:
        partnership_services.change_status(
            partnership=partnership, to_status=status, actor=actors[status]
        )
    _backdate(partnership, pair)
    partnership.refresh_from_db()
    return partnership


def _backdate(partnership: Partnership, pair: PairSpec) -> None:
    """Move the rows the services just wrote to the story's dates (one event per step)."""
    events = list(
        Event.objects.filter(partnership_id=partnership.pk, action__in=PartnershipAction.values)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    for event_pk, (_status, day) in zip(events, pair.history, strict=True):
        Event.objects.filter(pk=event_pk).update(at=_at(day))
    Partnership.objects.filter(pk=partnership.pk).update(
        created_at=_at(pair.history[0][1]),
        status_changed_at=_at(pair.history[-1][1]),
        started_on=pair.started_on,
        ends_on=pair.ends_on,
    )


def attach_templates() -> None:
    """Give each demo program without a template the built-in one made from its own form.

    The built-ins are imported first (migrate already does; this covers a database that
    skipped it), then chosen through the agreement templates' service, which records who chose
    what. A program that already has a template keeps it, so a second run changes nothing.
    """
    ensure_builtin_templates()
    templates = AgreementTemplate.objects.in_bulk(
        [spec.template_slug for spec in PROGRAMS], field_name="slug"
    )
    for program in Program.objects.filter(
        name__in=[spec.name for spec in PROGRAMS], template_choice__isnull=True
    ):
        spec = next(spec for spec in PROGRAMS if spec.name == program.name)
        choose_template(program=program, template=templates[spec.template_slug], user=None)


# --- After signing: plans, midpoint checks, closing reviews (mentorpact/progress) ----------


def ensure_progress_stages() -> None:
    """Pairs of every program at each stage after signing: action plan, midpoint check,
    concluded, continued with a new agreement, ended early (mentorpact/progress/demo_story.py
    tells the story). Idempotent."""
    from mentorpact.progress.demo_story import ensure_progress_stages as ensure

    ensure()


# --- Agreements (the agreements app) -------------------------------------------------------


def demo_agreements(users: dict[str, User]) -> None:
    """Signed agreements for every partnership that has been active, one amendment and two
    drafts in progress; the story and its texts are in mentorpact/agreements/demo.py."""
    from mentorpact.agreements.demo import ensure_agreements

    ensure_agreements(PROGRAMS, users)


# --- Meetings, notes and feedback (mentorpact/meetings) -----------------------------------


def ensure_meeting_stages() -> None:
    """Every started partnership's meetings to date (held, one cancelled, the next scheduled,
    one moved), its notes and the mentee's feedback; new pairs at their first meeting. The
    story is in mentorpact/meetings/demo.py. Idempotent."""
    from mentorpact.meetings.demo import ensure_meetings

    ensure_meetings()


# --- The accounts table --------------------------------------------------------------------


def demo_accounts() -> list[tuple[str, str, str]]:
    """(email, name, roles) for every demo account, the four personas first."""
    short = {spec.name: spec.short for spec in PROGRAMS}
    order = {spec.name: i for i, spec in enumerate(PROGRAMS)}

    def program_order(name: str) -> int:
        return order.get(name, len(order))  # any other program after the seed ones

    emails = [*PEOPLE, ADMIN_EMAIL]
    roles: dict[str, dict[str, list[str]]] = {email: {} for email in emails}
    for email, role, program in (
        Enrolment.objects.filter(user__email__in=emails, program__name__in=short)
        .order_by("role")
        .values_list("user__email", "role", "program__name")
    ):
        roles[email].setdefault(role, []).append(program)
    names = dict(User.objects.filter(email__in=emails).values_list("email", "full_name"))
    rows = []
    for email in emails:
        described = [
            f"{role} ({', '.join(short[p] for p in sorted(programs, key=program_order))})"
            for role, programs in roles[email].items()
        ]
        if email == ADMIN_EMAIL:
            described.append("superuser (admin site)")
        rows.append((email, names.get(email, ""), "; ".join(described) or "enrolled in nothing"))
    return rows


# --- generate_load -------------------------------------------------------------------------

DEFAULT_LOAD_PROGRAM = "Load Test Program"
LOAD_ANCHOR = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
# Every tenth partnership: half active, a fifth drafting, a fifth concluded, one ended early.
LOAD_STATUSES: tuple[str, ...] = (
    ACTIVE,
    DRAFTING,
    ACTIVE,
    CONCLUDED,
    ACTIVE,
    DRAFTING,
    ACTIVE,
    CONCLUDED,
    ACTIVE,
)
LOAD_STATUSES += (ENDED_EARLY,)

FIRST_NAMES = (
    ("Ada", "Bilal", "Chiara", "Dev", "Efua", "Felipe", "Gita", "Hamza", "Ines")
    + ("Jonas", "Keiko", "Lars", "Maya", "Nikolai", "Olu", "Paz", "Quinn", "Rosa", "Sanjay")
    + ("Tove", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zofia")
)
LAST_NAMES = (
    ("Abara", "Berg", "Castillo", "Dimitriou", "Eze", "Fischer", "Gupta", "Hansen")
    + ("Ito", "Jovanovic", "Kowalski", "Lindqvist", "Mwangi", "Novak", "Ortiz", "Park", "Quispe")
    + ("Reyes", "Suzuki", "Tran", "Uddin", "Varga", "Wójcik", "Xu", "Yilmaz", "Zulu")
)


@dataclass(frozen=True)
class LoadResult:
    program: Program
    coordinator: User
    created: int  # partnerships added by this run
    total: int
    sample: Partnership  # a concluded partnership (the longest timeline), for benchmarks


@contextmanager
def _explicit_timestamps(*models) -> Iterator[None]:
    """Let bulk_create keep the created_at values we set instead of stamping "now".

    auto_now_add overwrites the value in Field.pre_save for every insert; generated history
    needs dates spread over past months. Only this module's bulk inserts run inside.
    """
    fields = [
        f for model in models for f in model._meta.concrete_fields if getattr(f, "auto_now_add", 0)
    ]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


def _load_history(i: int) -> tuple[str, list[tuple[str, datetime]], date | None]:
    """Status, timeline and planned end of the i-th generated partnership (deterministic)."""
    status = LOAD_STATUSES[i % len(LOAD_STATUSES)]
    spread = (i * 7919) % 997  # scatter the dates without randomness
    recent: dict[str, int] = {DRAFTING: 1 + spread % 60, ACTIVE: 20 + spread % 150}
    days_ago = recent.get(status, 200 + spread % 400)
    matched = LOAD_ANCHOR - timedelta(days=days_ago, minutes=i % 1440)
    history: list[tuple[str, datetime]] = [(DRAFTING, matched)]
    if status != DRAFTING:
        history.append((ACTIVE, matched + timedelta(days=14)))
    if status == CONCLUDED:
        history.append((CONCLUDED, matched + timedelta(days=194)))
    if status == ENDED_EARLY:
        history.append((ENDED_EARLY, matched + timedelta(days=44)))
    ends_on = (matched + timedelta(days=194)).date() if status != DRAFTING else None
    return status, history, ends_on


@transaction.atomic
def generate_load(
    *, partnerships: int, program_name: str = DEFAULT_LOAD_PROGRAM, batch_size: int = 1000
) -> LoadResult:
    """A program with `partnerships` partnerships, topped up if it already has fewer.

    Re-running with the same or a smaller number changes nothing; a larger number adds the
    missing partnerships (and their people) after the existing ones.
    """
    program = Program.objects.filter(name=program_name).first()
    if program is None:
        program = Program(
            name=program_name,
            sponsor="Generated load",
            kickoff_date=date(2026, 1, 12),
            agreement_due_date=date(2026, 12, 14),
        )
        program.full_clean()
        program.save()
    # Generated people's emails carry the program's id, so two load programs never collide.
    domain = f"load-{program.public_id.hex[:12]}.example.org"
    password = make_password(DEMO_PASSWORD)
    coordinator = User.objects.filter(email=f"coordinator@{domain}").first()
    if coordinator is None:
        coordinator = _new_user(f"coordinator@{domain}", "Casey Coordinator", password)
    enrol(program, [coordinator], Enrolment.Role.COORDINATOR)

    existing = program.partnerships.count()
    wanted = range(existing, max(existing, partnerships))
    if wanted:
        _add_load(program, coordinator, wanted, domain=domain, password=password, batch=batch_size)
    sample = (
        program.partnerships.filter(status=CONCLUDED).order_by("pk").first()
        or program.partnerships.order_by("pk").first()
    )
    assert sample is not None, "generate_load needs partnerships >= 1 (the command checks)"
    return LoadResult(
        program=program,
        coordinator=coordinator,
        created=len(wanted),
        total=existing + len(wanted),
        sample=sample,
    )


def _add_load(
    program: Program, coordinator: User, wanted: range, *, domain: str, password: str, batch: int
) -> None:
    def name(i: int, offset: int) -> str:
        j = i * 2 + offset
        return f"{FIRST_NAMES[j % 26]} {LAST_NAMES[(j // 26) % 26]}"

    people = {}
    for i in wanted:
        people[f"mentor-{i:05d}@{domain}"] = name(i, 0)
        people[f"mentee-{i:05d}@{domain}"] = name(i, 1)
    # People left behind by partnerships deleted by hand are reused, not duplicated.
    known = dict(User.objects.filter(email__endswith=f"@{domain}").values_list("email", "pk"))
    User.objects.bulk_create(
        [
            User(email=e, full_name=n, password=password)
            for e, n in people.items()
            if e not in known
        ],
        batch_size=batch,
    )
    ids = dict(User.objects.filter(email__endswith=f"@{domain}").values_list("email", "pk"))

    enrolments = [
        Enrolment(program=program, user_id=ids[f"{role}-{i:05d}@{domain}"], role=role)
        for i in wanted
        for role in (Enrolment.Role.MENTOR, Enrolment.Role.MENTEE)
    ]
    Enrolment.objects.bulk_create(enrolments, batch_size=batch, ignore_conflicts=True)

    histories = [_load_history(i) for i in wanted]
    programs_date = partnership_services.programs_due_date(program)
    rows = [
        Partnership(
            program=program,
            mentor_id=ids[f"mentor-{i:05d}@{domain}"],
            mentee_id=ids[f"mentee-{i:05d}@{domain}"],
            status=status,
            created_at=history[0][1],
            status_changed_at=history[-1][1],
            agreement_due_on=partnership_services.agreement_due_on(
                program, paired_on=history[0][1].date(), programs_date=programs_date
            ),
            started_on=history[1][1].date() if len(history) > 1 else None,
            ends_on=ends_on,
        )
        for i, (status, history, ends_on) in zip(wanted, histories, strict=True)
    ]
    with _explicit_timestamps(Partnership):
        created = Partnership.objects.bulk_create(rows, batch_size=batch)
        events = []
        for p, (_status, history, _ends) in zip(created, histories, strict=True):
            actors: dict[str, int] = {
                ACTIVE: p.mentee_id,
                CONCLUDED: p.mentor_id,
                ENDED_EARLY: coordinator.pk,
            }
            of = {
                "object_type": "partnership",
                "object_id": p.pk,
                "partnership_id": p.pk,
                "program_id": program.pk,
            }
            events.append(
                Event(
                    actor_id=coordinator.pk,
                    action=PartnershipAction.CREATED,
                    details={"to_status": DRAFTING},
                    at=history[0][1],
                    **of,
                )
            )
            events += [
                Event(
                    actor_id=actors[to_status],
                    action=PartnershipAction.STATUS_CHANGED,
                    details={"from_status": from_status, "to_status": to_status},
                    at=at,
                    **of,
                )
                for (from_status, _), (to_status, at) in zip(history, history[1:], strict=False)
            ]
        Event.objects.bulk_create(events, batch_size=batch)
