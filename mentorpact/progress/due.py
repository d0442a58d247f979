"""What a partnership has to do, and by when: the one definition.

`obligations(progress)` reads a partnership's facts (its agreements, meetings held, plan,
reviews, dates, and the rules in force) and says what is due: each item's kind, its date,
from when it is overdue, what the partners' page says about it, and the reminder it gives.
Everything else reads it:
- the partnership page's "due next" (`due_list`, with the meetings app's own items: the next
  meeting, a past one to record or give feedback on);
- the rows the services keep (`due_rows.refresh`, `DueEntry`): the program overview's
  totals filter them in SQL (workspace.selectors.attention_querysets), and the reminder
  planner claims the ones whose reminder has come (reminders.plan_reminders);
- the check a reminder passes before it is sent (`reminders_due`, reminders.send_one).

Nothing here depends on the clock but the action plan's "overdue" (the meeting that was to
end with the plan is held: overdue from the day that is known), so a row written when the
facts changed stays true until they change again. mentorpact/workspace/tests/test_due_agrees.py
generates partnership histories and checks the page, the rows and the reminders agree.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC
from typing import TYPE_CHECKING

from django.urls import reverse

from mentorpact.agreement_templates.rules import sign_reminder_interval
from mentorpact.agreement_templates.terms import agreed_contact
from mentorpact.agreements import content as agreement_content
from mentorpact.agreements.models import Agreement, AgreementVersion, Signature
from mentorpact.evaluations.form import EvaluationForm
from mentorpact.evaluations.models import Evaluation
from mentorpact.evaluations.schedule import Facts, Occurrence, occurrences
from mentorpact.events.models import ProgramEvent
from mentorpact.lib.dates import long_date
from mentorpact.partnerships.models import Partnership
from mentorpact.progress.models import Reminder
from mentorpact.progress.schedule import first_meeting_due_on

if TYPE_CHECKING:
    from mentorpact.progress.selectors import PartnershipProgress

SEND_HOUR = 9  # date-only deadlines are reminded at 09:00 UTC
AGREEMENT_NOTICE = datetime.timedelta(days=7)  # remind a week before the agreement is due
END_NOTICE = datetime.timedelta(days=14)  # and two weeks before the agreed end
FIRST_MEETING_NOTICE = datetime.timedelta(days=7)  # a week before the first meeting is due
EVALUATION_AHEAD = datetime.timedelta(days=14)  # "due next" lists an evaluation this early
SIGN_REMINDERS = 5  # a signer still waited for is reminded at most this many times a version
ONE_DAY = datetime.timedelta(days=1)
PARTNERS = ("mentor", "mentee")


@dataclass(frozen=True)
class DueItem:
    """One line of the partnership page's "due next"."""

    kind: str
    title: str
    detail: str = ""
    due_on: datetime.date | None = None  # None: due now, or by an event rather than a date
    url: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class Reminding:
    """The reminder an obligation gives: when, to which roles, and what the email says.
    Each recipient's Reminder row has the dedupe key "<key>:<user id>"."""

    kind: str  # Reminder.Kind
    key: str
    at: datetime.datetime
    roles: tuple[str, ...]
    subject: str
    message: str
    action: str
    url: str


@dataclass(frozen=True)
class Obligation:
    kind: str  # DueEntry.Kind
    key: str  # which one, within the partnership
    title: str
    detail: str = ""
    due_on: datetime.date | None = None
    overdue_on: datetime.date | None = None  # overdue from this day on
    url: str = ""
    overdue_title: str = ""  # the title once overdue, when it reads differently
    listed: bool = True  # on the page's due list (the signing series is reminders only)
    reminder: Reminding | None = None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.overdue_on is not None and self.overdue_on <= today

    def item(self, today: datetime.date) -> DueItem:
        overdue = self.is_overdue(today)
        title = self.overdue_title if overdue and self.overdue_title else self.title
        return DueItem(self.kind, title, self.detail, self.due_on, self.url, overdue)


def day_of(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(UTC).date()


def at_send_hour(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(SEND_HOUR), tzinfo=UTC)


def _after(day: datetime.date | None) -> datetime.date | None:
    """A date-due item is overdue from the day after its date (the last day there is stays
    itself: a stored 31 December 9999 must not break the page)."""
    if day is None:
        return None
    return day + ONE_DAY if day < datetime.date.max else day


# --- The rules' words and periods -------------------------------------------------------------


def first_meeting_due(progress: "PartnershipProgress") -> datetime.date | None:
    """When the first meeting is due (the rule `first_meeting_within_weeks`), while none has
    been held; None otherwise."""
    if progress.held:
        return None
    partnership = progress.partnership
    return first_meeting_due_on(
        progress.rules,
        paired_on=day_of(partnership.created_at),
        kickoff=partnership.program.kickoff_date,
    )


def _meetings_short(progress: "PartnershipProgress") -> str:
    """The `min_meetings` rule's part of the end-approaching email, while it is not met."""
    wanted = progress.rules.min_meetings
    if not wanted or progress.held >= wanted:
        return ""
    return (
        f"The program asks for at least {wanted} meetings and {progress.held} are recorded: "
        "hold the rest before the end, or record meetings you held elsewhere. "
    )


# --- The definition -----------------------------------------------------------------------


def obligations(
    progress: "PartnershipProgress", *, signatures: Sequence[Signature] | None = None
) -> list[Obligation]:
    """Everything the partnership has to do, from its facts. `signatures`: the valid
    signatures of its draft (`draft_signatures`), for the "your turn to sign" series; the
    page, which does not list it, leaves them out."""
    partnership, standing = progress.partnership, progress.standing
    if not partnership.is_open:
        return []
    code = partnership.public_id
    found: list[Obligation] = []
    latest = progress.latest
    if latest is None or latest.status == Agreement.Status.DRAFTING:
        found.append(_agreement(progress, latest))
    if signatures:
        found += _signing(partnership, signatures)
    first_by = first_meeting_due(progress)
    if first_by is not None:
        weeks = progress.rules.first_meeting_within_weeks
        late = "was" if first_by < progress.now.date() else "is"
        found.append(
            Obligation(
                "first_meeting",
                f"first_meeting:{partnership.pk}",
                "First meeting",
                f"The program asks for your first meeting within {weeks} "
                f"week{'s' if weeks != 1 else ''}: by {first_by:%-d %B %Y}.",
                due_on=first_by,
                overdue_on=_after(first_by),
                url=reverse("meetings:schedule", args=[code]),
                reminder=Reminding(
                    Reminder.Kind.FIRST_MEETING,
                    f"first_meeting:{partnership.pk}",
                    at_send_hour(first_by) - FIRST_MEETING_NOTICE,
                    PARTNERS,
                    f"Your first mentoring meeting {late} due by {long_date(first_by)}",
                    f"The program asks you to hold your first meeting within {weeks} weeks, "
                    f"by {long_date(first_by)}. Agree a time together and put it in Mentorpact.",
                    "Plan your first meeting",
                    reverse("meetings:schedule", args=[code]),
                ),
            )
        )
    found += _evaluations(progress) + _required_events(progress) + _notice(progress)
    if standing is None:
        return found

    agreement = standing.agreement.pk
    wanted = progress.rules.min_meetings
    ends_on = standing.term.ends_on
    if wanted and progress.held < wanted and not progress.reviewed:
        found.append(
            Obligation(
                "min_meetings",
                f"min_meetings:{agreement}",
                f"At least {wanted} meetings",
                f"{progress.held} of {wanted} held"
                + (f" before the agreement ends on {ends_on:%-d %B %Y}." if ends_on else "."),
                due_on=ends_on,
                overdue_on=_after(ends_on),
                url=reverse("meetings:log", args=[code]),
            )
        )
    by_meeting = progress.plan_by_meeting
    if by_meeting and not (progress.plan and progress.plan.is_complete):
        plan_url = reverse("progress:plan", args=[code])
        found.append(
            Obligation(
                "action_plan_due",
                f"action_plan:{agreement}",
                f"Action plan due by the end of meeting {by_meeting}",
                f"{progress.held} of {by_meeting} meetings held.",
                # Due by an event, not a date: overdue once that meeting is held.
                overdue_on=progress.now.date() if progress.held >= by_meeting else None,
                url=plan_url,
                reminder=(
                    Reminding(
                        Reminder.Kind.ACTION_PLAN_DUE,
                        f"action_plan:{agreement}",
                        progress.now,
                        PARTNERS,
                        f"Your action plan is due by the end of meeting {by_meeting}",
                        "The program asks for the mentee action plan by the end of meeting "
                        f"{by_meeting}; {progress.held} of {by_meeting} meetings are held.",
                        "Open the action plan",
                        plan_url,
                    )
                    if progress.held >= by_meeting - 1
                    else None
                ),
            )
        )
    found += _contact(progress)
    term = standing.term
    if progress.reviewed:  # closed with "continue": the next agreement's term has not begun
        term = replace(term, midpoint_on=None, ends_on=None)
    if term.midpoint_on and len(progress.midpoint_roles) < 2:
        pending = tuple(role for role in PARTNERS if role not in progress.midpoint_roles)
        midpoint_url = reverse("progress:midpoint", args=[code])
        found.append(
            Obligation(
                "midpoint",
                f"midpoint:{agreement}",
                "Midpoint check",
                f"{len(progress.midpoint_roles)} of 2 reviews in.",
                due_on=term.midpoint_on,
                overdue_on=_after(term.midpoint_on),
                url=midpoint_url,
                reminder=Reminding(
                    Reminder.Kind.MIDPOINT,
                    f"midpoint:{agreement}",
                    at_send_hour(term.midpoint_on),
                    pending,
                    "Midpoint check: how are your goals going?",
                    f"You are halfway through your agreed term ({long_date(term.midpoint_on)}). "
                    "Review your progress on each goal and say whether to change course.",
                    "Review your progress",
                    midpoint_url,
                ),
            )
        )
    closing_url = reverse("progress:closing", args=[code])
    proposal = progress.open_proposal
    if proposal is not None:
        other = "mentee" if proposal.proposed_role == "mentor" else "mentor"
        found.append(
            Obligation(
                "closing_proposed",
                f"closing_proposed:{proposal.pk}",
                f"Closing review proposed: {proposal.get_decision_display().lower()}",
                f"The {proposal.proposed_role} proposed it; the {other} confirms.",
                url=closing_url,
            )
        )
    elif term.ends_on:
        found.append(
            Obligation(
                "closing_due",
                f"closing_due:{agreement}",
                "End date: closing review",
                f"{term.end_source.capitalize()}.",
                due_on=term.ends_on,
                overdue_on=_after(term.ends_on),
                url=closing_url,
                reminder=Reminding(
                    Reminder.Kind.END_APPROACHING,
                    f"end:{agreement}:{term.ends_on:%Y%m%d}",
                    at_send_hour(term.ends_on) - END_NOTICE,
                    PARTNERS,
                    f"Your mentoring agreement ends on {long_date(term.ends_on)}",
                    f"Your agreed term ends on {long_date(term.ends_on)}. "
                    + _meetings_short(progress)
                    + "Plan your closing review: the outcome of each goal, what each of you "
                    "learned, and whether to conclude or continue with new goals.",
                    "Open the closing review",
                    closing_url,
                ),
            )
        )
    return found


def evaluation_rounds(
    progress: "PartnershipProgress",
) -> list[tuple[Evaluation, EvaluationForm, Occurrence]]:
    """Every round of the program's open evaluations this partnership is asked, from its
    facts (evaluations.schedule); progress.due_rows keeps them as evaluations.Round rows."""
    if not progress.evaluations:
        return []
    partnership, standing = progress.partnership, progress.standing
    term = standing.term if standing is not None and not progress.reviewed else None
    first = progress.first_meeting_at
    facts = Facts(
        paired_on=day_of(partnership.created_at),
        first_meeting_on=day_of(first) if first else None,
        starts_on=term.starts_on if term else None,
        midpoint_on=term.midpoint_on if term else None,
        ends_on=term.ends_on if term else None,
    )
    return [
        (evaluation, form, occurrence)
        for evaluation, form in progress.evaluations
        for occurrence in occurrences(form, facts)
    ]


def _evaluations(progress: "PartnershipProgress") -> list[Obligation]:
    """Each round still open (its deadline not passed) that a partner has yet to answer:
    reminded to those partners on the day it opens; listed from two weeks before."""
    partnership = progress.partnership
    today = day_of(progress.now)
    found = []
    for evaluation, form, occurrence in evaluation_rounds(progress):
        if occurrence.closes_on < today:
            continue
        done = progress.evaluation_answers.get((evaluation.pk, occurrence.key), set())
        pending = tuple(role for role in PARTNERS if role not in done)
        if not pending:
            continue
        url = reverse(
            "evaluations:answer", args=[evaluation.public_id, partnership.public_id, occurrence.key]
        )
        opens, closes = long_date(occurrence.opens_on), long_date(occurrence.closes_on)
        key = f"evaluation:{evaluation.pk}:{occurrence.key}"
        found.append(
            Obligation(
                "evaluation",
                key,
                f"Evaluation: {form.title}",
                f"Open from {occurrence.opens_on:%-d %B %Y}, answers until "
                f"{occurrence.closes_on:%-d %B %Y}. {len(done)} of 2 answered.",
                due_on=occurrence.closes_on,
                url=url,
                listed=occurrence.opens_on <= today + EVALUATION_AHEAD,
                reminder=Reminding(
                    Reminder.Kind.EVALUATION,
                    key,
                    at_send_hour(occurrence.opens_on),
                    pending,
                    f"The program asks for your evaluation: {form.title}",
                    f'The program\'s evaluation "{form.title}" is open from {opens}; '
                    f"answer it by {closes}. "
                    + (
                        "Your answers are shown to the program's coordinators with your name."
                        if form.named
                        else "Your answers are confidential: the coordinators see only totals "
                        "over several people."
                    ),
                    "Answer the evaluation",
                    url,
                ),
            )
        )
    return found


def _required_events(progress: "PartnershipProgress") -> list[Obligation]:
    """Each required program event a partner is invited to, until it is over (the events app
    emails the invitation and the reminder the day before: no reminder here)."""
    by_event: dict[int, tuple[ProgramEvent, list[str]]] = {}
    for role in PARTNERS:
        for invitation in progress.required_events.get(role, []):
            by_event.setdefault(invitation.event_id, (invitation.event, []))[1].append(role)
    found = []
    for event, roles in by_event.values():
        who = "both of you" if len(roles) == 2 else f"the {roles[0]}"
        found.append(
            Obligation(
                "event",
                f"event:{event.pk}",
                f"Required event: {event.title}",
                f"Attendance required of {who}; {event.place}.",
                due_on=day_of(event.starts_at),
                url=reverse("events:event", args=[event.public_id]),
            )
        )
    return found


def _notice(progress: "PartnershipProgress") -> list[Obligation]:
    """A partner gave notice to end early (the rule `notice_days`): both see when the end
    takes effect (services.end_after_notice carries it out then)."""
    for review in progress.reviews:
        if review.status == "confirmed" and review.takes_effect_at is not None:
            ends_on = day_of(review.takes_effect_at)
            given = day_of(review.decided_at or review.created_at)
            return [
                Obligation(
                    "notice",
                    f"notice:{review.pk}",
                    f"The partnership ends on {ends_on:%-d %B %Y}",
                    f"The {review.proposed_role} gave notice to end it on {given:%-d %B %Y}; "
                    "the end takes effect when the notice has run.",
                    due_on=ends_on,
                    url=reverse("progress:closing", args=[progress.partnership.public_id]),
                )
            ]
    return []


def _agreement(progress: "PartnershipProgress", latest: Agreement | None) -> Obligation:
    partnership = progress.partnership
    url = reverse("agreements:agreement", args=[partnership.public_id])
    # Before drafting starts, the pair's own date (the first agreement will carry it).
    due_on = latest.due_on if latest else partnership.agreement_due_on
    continuing = latest is not None and latest.number > 1
    reminder = None
    if latest is not None and due_on is not None:
        # Reminded while drafting (the pairing email asked them to start).
        was = "was" if due_on < progress.now.date() else "is"
        reminder = Reminding(
            Reminder.Kind.AGREEMENT_DUE,
            f"agreement_due:{latest.pk}",
            at_send_hour(due_on) - AGREEMENT_NOTICE,
            PARTNERS,
            f"Your mentoring agreement {was} due {long_date(due_on)}",
            f"Your signed mentoring agreement {was} due by {long_date(due_on)}. "
            "Finish it together and both sign it.",
            "Open the agreement",
            url,
        )
    overdue_on = _after(due_on)
    detail = "Both partners sign it." if due_on is None else f"Due {due_on:%-d %B %Y}."
    deadline = progress.rules.agreement_due
    by_meeting = deadline.by_meeting if deadline and not continuing else None
    if by_meeting:
        # Due by an event (`agreement_due: {by_meeting: N}`): overdue once that meeting is
        # held unsigned, whatever the date says.
        meeting = "the first meeting" if by_meeting == 1 else f"meeting {by_meeting}"
        detail = f"Sign it by the end of {meeting}; {progress.held} held." + (
            f" At the latest {due_on:%-d %B %Y}." if due_on else ""
        )
        if progress.held >= by_meeting:
            overdue_on = day_of(progress.now)
    return Obligation(
        "agreement_due",
        f"agreement_due:{latest.pk if latest else 'first'}",
        "Sign the continued agreement" if continuing else "Signed agreement due",
        detail,
        due_on=due_on,
        overdue_on=overdue_on,
        url=url,
        reminder=reminder,
    )


def _signing(partnership: Partnership, signatures: Sequence[Signature]) -> list[Obligation]:
    """A partner has signed the draft and the other has not: remind the other every
    `sign_reminder_days` (rules.sign_reminder_interval) after the last signature, up to
    SIGN_REMINDERS times, each reminder its own item (its own key: planned once)."""
    last = signatures[-1]
    version = last.version
    template = agreement_content.template_for_program(version.template_version, partnership.program)
    signed = {s.role for s in signatures if s.version_id == version.pk}
    waiting = tuple(role for role in template.signers if role in PARTNERS and role not in signed)
    if not waiting:
        return []
    interval = sign_reminder_interval(template.rules)
    day = long_date(day_of(last.signed_at))
    url = reverse("agreements:sign", args=[partnership.public_id])
    return [
        Obligation(
            "sign",
            f"sign:{version.pk}:{n}",
            "Your turn to sign",
            listed=False,
            reminder=Reminding(
                Reminder.Kind.SIGN,
                f"sign:{version.pk}:{n}",
                last.signed_at + n * interval,
                waiting,
                "Your turn to sign your mentoring agreement",
                f"{last.signer.display_name} signed version {version.number} of your agreement "
                f"on {day}, and it waits for your signature. Read it and sign it, or change it "
                "together.",
                "Read and sign the agreement",
                url,
            ),
        )
        for n in range(1, SIGN_REMINDERS + 1)
    ]


def _contact(progress: "PartnershipProgress") -> list[Obligation]:
    standing, partnership = progress.standing, progress.partnership
    assert standing is not None
    contact = agreed_contact(standing.template, standing.content)
    since = progress.last_contact or standing.version.effective_at
    if contact is None or since is None or partnership.status != Partnership.Status.ACTIVE:
        return []
    period = contact.gap
    asks = "your agreement asks" if contact.agreed else "the program asks"
    next_by = day_of(since + period)
    seen = "No contact recorded yet" if progress.last_contact is None else "Last contact"
    stamp = f"{since.astimezone(UTC):%Y%m%dT%H%M}"
    words = f"contact {contact.words()}"
    return [
        Obligation(
            "contact",
            f"contact:{stamp}",
            "Contact due",
            f"{seen}: {day_of(since):%-d %B %Y}. {asks.capitalize()} for {words}.",
            due_on=next_by,
            overdue_on=_after(next_by),
            overdue_title="Contact overdue",
            reminder=Reminding(
                Reminder.Kind.CONTACT_OVERDUE,
                f"contact:{partnership.pk}:{stamp}",
                since + period,
                PARTNERS,
                "Time to get in touch with your mentoring partner",
                f"You have had no recorded contact since {long_date(day_of(since))}, and "
                f"{asks} for {words}.",
                "Plan your next meeting",
                reverse("partnerships:detail", args=[partnership.public_id]),
            ),
        )
    ]


# --- Its readers ----------------------------------------------------------------------------


def due_list(progress: "PartnershipProgress") -> list[DueItem]:
    """The partnership page's "due next", soonest first: the listed obligations and the
    meetings app's items (the next meeting; a past one still to record or give feedback on)."""
    if not progress.partnership.is_open:
        return []
    today = day_of(progress.now)
    items = [o.item(today) for o in obligations(progress) if o.listed]
    upcoming = [m for m in progress.meetings if m.is_due and m.at >= progress.now]
    if upcoming:
        meeting = min(upcoming, key=lambda m: m.at)
        items.append(
            DueItem("meeting", "Next meeting", meeting.detail, day_of(meeting.at), url=meeting.url)
        )
    items += [
        DueItem(m.kind, m.title, f"Meeting of {day_of(m.at):%-d %B %Y}.", url=m.url)
        for m in progress.meetings
        if m.is_due and m.at < progress.now
    ]
    if not progress.is_partner:  # the plan, midpoint and closing pages are the partners'
        agreement_url = reverse("agreements:agreement", args=[progress.partnership.public_id])
        items = [replace(i, url="") if i.url != agreement_url else i for i in items]
    return sorted(items, key=_due_order)


def _due_order(item: DueItem) -> tuple:
    # Overdue first, then undated (due now), then by date.
    return (not item.overdue, item.due_on is not None, item.due_on or datetime.date.min)


def reminders_due(
    progress: "PartnershipProgress", signatures: Sequence[Signature], now: datetime.datetime
) -> list[Reminding]:
    """The reminders due at `now`: each obligation's whose time has come; of the signing
    series only the latest (a reminder an earlier pass missed is not sent late)."""
    due = [
        o.reminder
        for o in obligations(progress, signatures=signatures)
        if o.reminder is not None and o.reminder.at <= now
    ]
    signing = [r for r in due if r.kind == Reminder.Kind.SIGN]
    return [r for r in due if r.kind != Reminder.Kind.SIGN] + signing[-1:]


def draft_signatures(partnership_ids: Iterable[int]) -> dict[int, list[Signature]]:
    """The valid signatures of each partnership's draft version, in signing order."""
    out: dict[int, list[Signature]] = {}
    for signature in (
        Signature.objects.filter(
            version__agreement__partnership_id__in=list(partnership_ids),
            version__status=AgreementVersion.Status.DRAFT,
            voided_at__isnull=True,
        )
        .select_related("signer", "version__template_version", "version__agreement")
        .order_by("signed_at", "pk")
    ):
        out.setdefault(signature.version.agreement.partnership_id, []).append(signature)
    return out
