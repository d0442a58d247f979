"""Due work: reminders planned from the program's rules and the record, sent exactly once.

`plan_reminders()` looks at every open partnership and inserts a `Reminder` row for each
thing now due (agreement due, action plan due by the Nth meeting, no contact for longer than
the program's minimum, the midpoint check, the end date approaching), once per recipient: the
row's `dedupe_key` is unique, so planning again inserts nothing new.

`send_due_reminders()` claims one row at a time with a conditional UPDATE (unsent, and
unclaimed or its claim's lease run out) and sends only when exactly one row changed, so two
workers never send the same reminder at once (model: healthchecks' sendreports). The claim is
committed before the email goes out and the `sent_at` mark only after the SMTP server took it.
A worker that dies mid-send leaves its row claimed and unsent; once the lease
(MAIL_LEASE_SECONDS) has run out, any worker claims and sends it again. Each reminder goes out
under a Message-ID fixed by the row (`message_id`), so the one duplicate a crash can make (a
kill between the SMTP accept and the mark) is the same message to the recipient's mail
system. A failed send unclaims the row, records `failed_at` and retries later, backing off,
up to MAX_ATTEMPTS. Before sending, the worker checks the reminder is still due (the plan may
have been completed, the partnership closed) and cancels it if not.
"""

import datetime
import logging
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from mentorpact.agreement_templates.rules import effective_rules, sign_reminder_interval
from mentorpact.agreement_templates.schema import Rules
from mentorpact.agreements import content as agreement_content
from mentorpact.agreements.models import Agreement, AgreementVersion, Signature
from mentorpact.lib import emails
from mentorpact.lib.dates import long_date
from mentorpact.lib.emails import absolute
from mentorpact.outbox import sender as outbox_sender
from mentorpact.partnerships.models import Partnership
from mentorpact.progress import selectors
from mentorpact.progress.models import Reminder

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
AGREEMENT_NOTICE = datetime.timedelta(days=7)  # remind a week before the agreement is due
END_NOTICE = datetime.timedelta(days=14)  # and two weeks before the agreed end
FIRST_MEETING_NOTICE = datetime.timedelta(days=7)  # a week before the first meeting is due
SEND_HOUR = 9  # date-only deadlines fall due at 09:00 UTC
SIGN_REMINDERS = 5  # a signer still waited for is reminded at most this many times a version


@dataclass(frozen=True)
class Due:
    """One reminder that is due now: who gets it, why, and what the email says."""

    kind: str
    recipient_id: int
    key: str
    due_at: datetime.datetime
    subject: str
    message: str
    action: str
    url: str


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(SEND_HOUR), tzinfo=UTC)


def due_now(
    partnership: Partnership, now: datetime.datetime, *, program_rules: Rules | None = None
) -> list[Due]:
    """Every reminder due for this partnership at `now` (both partners, unless noted).
    `program_rules`: the program's effective rules, when the caller has read them."""
    if not partnership.is_open:
        return []
    progress = selectors.partnership_progress(
        partnership,
        role="mentor",
        viewer=partnership.mentor,
        now=now,
        with_meetings=False,
        program_rules=program_rules,
    )
    code = partnership.public_id
    people = [partnership.mentor, partnership.mentee]
    out: list[tuple[str, str, datetime.datetime, str, str, str, str, list]] = []

    latest = progress.latest
    if latest is not None and latest.status == Agreement.Status.DRAFTING and latest.due_on:
        due_at = _at(latest.due_on) - AGREEMENT_NOTICE
        overdue = latest.due_on < now.date()
        out.append(
            (
                Reminder.Kind.AGREEMENT_DUE,
                f"agreement_due:{latest.pk}",
                due_at,
                f"Your mentoring agreement {'was' if overdue else 'is'} due "
                f"{long_date(latest.due_on)}",
                f"Your signed mentoring agreement {'was' if overdue else 'is'} due by "
                f"{long_date(latest.due_on)}. Finish it together and both sign it.",
                "Open the agreement",
                reverse("agreements:agreement", args=[code]),
                people,
            )
        )
    out += _your_turn_to_sign(partnership, now)
    first_by = selectors.first_meeting_due(progress)
    if first_by is not None:
        late = first_by < now.date()
        out.append(
            (
                Reminder.Kind.FIRST_MEETING,
                f"first_meeting:{partnership.pk}",
                _at(first_by) - FIRST_MEETING_NOTICE,
                f"Your first mentoring meeting {'was' if late else 'is'} due by "
                f"{long_date(first_by)}",
                f"The program asks you to hold your first meeting within "
                f"{progress.rules.first_meeting_within_weeks} weeks, by {long_date(first_by)}. "
                "Agree a time together and put it in Mentorpact.",
                "Plan your first meeting",
                reverse("meetings:schedule", args=[code]),
                people,
            )
        )
    standing = progress.standing
    if standing is not None:
        agreement = standing.agreement.pk
        n = progress.plan_by_meeting
        if n and not (progress.plan and progress.plan.is_complete) and progress.held >= n - 1:
            out.append(
                (
                    Reminder.Kind.ACTION_PLAN_DUE,
                    f"action_plan:{agreement}",
                    now,
                    f"Your action plan is due by the end of meeting {n}",
                    f"The program asks for the mentee action plan by the end of meeting {n}; "
                    f"{progress.held} of {n} meetings are held.",
                    "Open the action plan",
                    reverse("progress:plan", args=[code]),
                    people,
                )
            )
        period = selectors.contact_period(standing.template)
        since = progress.last_contact or standing.version.effective_at
        if period and since and partnership.status == Partnership.Status.ACTIVE:
            due_at = since + period
            if due_at <= now:
                out.append(
                    (
                        Reminder.Kind.CONTACT_OVERDUE,
                        f"contact:{partnership.pk}:{since.astimezone(UTC):%Y%m%dT%H%M}",
                        due_at,
                        "Time to get in touch with your mentoring partner",
                        f"You have had no recorded contact since "
                        f"{long_date(since.astimezone(UTC).date())}, and the program asks for "
                        f"{selectors.contact_words(standing.template)}.",
                        "Plan your next meeting",
                        reverse("partnerships:detail", args=[code]),
                        people,
                    )
                )
        term = standing.term
        if term.midpoint_on and not progress.reviewed:
            pending = [p for p in people if partnership.role_of(p) not in progress.midpoint_roles]
            out.append(
                (
                    Reminder.Kind.MIDPOINT,
                    f"midpoint:{agreement}",
                    _at(term.midpoint_on),
                    "Midpoint check: how are your goals going?",
                    f"You are halfway through your agreed term ({long_date(term.midpoint_on)}). "
                    "Review your progress on each goal and say whether to change course.",
                    "Review your progress",
                    reverse("progress:midpoint", args=[code]),
                    pending,
                )
            )
        if term.ends_on and not progress.reviewed and progress.open_proposal is None:
            out.append(
                (
                    Reminder.Kind.END_APPROACHING,
                    f"end:{agreement}:{term.ends_on:%Y%m%d}",
                    _at(term.ends_on) - END_NOTICE,
                    f"Your mentoring agreement ends on {long_date(term.ends_on)}",
                    f"Your agreed term ends on {long_date(term.ends_on)}. "
                    + _meetings_short(progress)
                    + "Plan your closing review: the outcome of each goal, what each of you "
                    "learned, and whether to conclude or continue with new goals.",
                    "Open the closing review",
                    reverse("progress:closing", args=[code]),
                    people,
                )
            )
    return [
        Due(kind, person.pk, f"{key}:{person.pk}", due_at, subject, message, action, absolute(url))
        for kind, key, due_at, subject, message, action, url, recipients in out
        if due_at <= now
        for person in recipients
    ]


def _meetings_short(progress: selectors.PartnershipProgress) -> str:
    """The `min_meetings` rule's part of the end-approaching email, while it is not met."""
    wanted = progress.rules.min_meetings
    if not wanted or progress.held >= wanted:
        return ""
    return (
        f"The program asks for at least {wanted} meetings and {progress.held} are recorded: "
        "hold the rest before the end, or record meetings you held elsewhere. "
    )


def _your_turn_to_sign(partnership: Partnership, now: datetime.datetime) -> list[tuple]:
    """A partner has signed the draft and the other has not: remind the other every
    `sign_reminder_days` (rules.sign_reminder_interval) after the last signature, up to
    SIGN_REMINDERS times. The nth reminder has its own key, so each is planned once; it is
    cancelled at send time if they have signed (or the draft changed) meanwhile."""
    signatures = list(
        Signature.objects.filter(
            version__agreement__partnership=partnership,
            version__status=AgreementVersion.Status.DRAFT,
            voided_at__isnull=True,
        )
        .select_related("signer", "version__template_version")
        .order_by("signed_at", "pk")
    )
    if not signatures:
        return []
    last = signatures[-1]
    version = last.version
    template = agreement_content.template_for_program(version.template_version, partnership.program)
    interval = sign_reminder_interval(template.rules)
    n = min(int((now - last.signed_at) / interval), SIGN_REMINDERS)
    if n < 1:
        return []
    signed = {s.role for s in signatures if s.version_id == version.pk}
    waiting = [
        getattr(partnership, role)
        for role in template.signers
        if role in ("mentor", "mentee") and role not in signed
    ]
    if not waiting:
        return []
    day = long_date(last.signed_at.astimezone(UTC).date())
    return [
        (
            Reminder.Kind.SIGN,
            f"sign:{version.pk}:{n}",
            last.signed_at + n * interval,
            "Your turn to sign your mentoring agreement",
            f"{last.signer.display_name} signed version {version.number} of your agreement on "
            f"{day}, and it waits for your signature. Read it and sign it, or change it "
            "together.",
            "Read and sign the agreement",
            reverse("agreements:sign", args=[partnership.public_id]),
            waiting,
        )
    ]


def plan_reminders(*, now: datetime.datetime | None = None) -> int:
    """Insert a row for every reminder due now that has none yet; return how many."""
    now = now or timezone.now()
    created = 0
    # The program's rules (for pairs with nothing signed yet), read once per program a pass.
    rules: dict[int, Rules] = {}
    open_partnerships = Partnership.objects.filter(
        status__in=Partnership.OPEN_STATUSES
    ).select_related("program", "mentor", "mentee")
    for partnership in open_partnerships.iterator(chunk_size=200):
        if partnership.program_id not in rules:
            rules[partnership.program_id] = effective_rules(partnership.program)
        rows = [
            Reminder(
                partnership=partnership,
                recipient_id=due.recipient_id,
                kind=due.kind,
                dedupe_key=due.key,
                due_at=due.due_at,
            )
            for due in due_now(partnership, now, program_rules=rules[partnership.program_id])
        ]
        if rows:
            known = set(
                Reminder.objects.filter(dedupe_key__in=[r.dedupe_key for r in rows]).values_list(
                    "dedupe_key", flat=True
                )
            )
            new = [r for r in rows if r.dedupe_key not in known]
            # ignore_conflicts: a second planner running at the same moment inserts the same
            # keys; the unique index keeps one of each.
            Reminder.objects.bulk_create(new, ignore_conflicts=True)
            created += len(new)
    return created


def claim_next(*, worker: str, now: datetime.datetime | None = None) -> Reminder | None:
    """Claim the next due reminder for `worker`, or None when nothing is due.

    Runs in autocommit: the claim is committed before anything is sent. Of two workers that
    read the same candidate, the UPDATE changes the row for one of them only (the WHERE
    names it unclaimed, or claimed before the lease); the other moves on to the next."""
    now = now or timezone.now()
    free = Q(claimed_at__isnull=True) | Q(
        claimed_at__lt=now - datetime.timedelta(seconds=settings.MAIL_LEASE_SECONDS)
    )
    due = Reminder.objects.filter(
        free,
        sent_at__isnull=True,
        cancelled_at__isnull=True,
        due_at__lte=now,
        attempts__lt=MAX_ATTEMPTS,
    ).order_by("due_at", "id")
    for candidate in due.values_list("pk", flat=True)[:50]:
        changed = Reminder.objects.filter(
            free, pk=candidate, sent_at__isnull=True, cancelled_at__isnull=True
        ).update(claimed_at=now, claimed_by=worker)
        if changed == 1:
            return Reminder.objects.select_related(
                "partnership__program", "partnership__mentor", "partnership__mentee", "recipient"
            ).get(pk=candidate)
    return None


def send_one(reminder: Reminder, *, worker: str, now: datetime.datetime | None = None) -> str:
    """Send a claimed reminder if it is still due: "sent", "cancelled" or "failed"."""
    now = now or timezone.now()
    # This claim's own: a worker whose lease ran out (and the row claimed again) marks nothing.
    mine = Reminder.objects.filter(
        pk=reminder.pk, claimed_by=worker, claimed_at=reminder.claimed_at, sent_at__isnull=True
    )
    try:
        current = {due.key: due for due in due_now(reminder.partnership, now)}
        due = current.get(reminder.dedupe_key)
        if due is None:
            mine.update(cancelled_at=now)
            return "cancelled"
        _email(reminder, due)
        # Sent: a kill from here to the mark below is the one way to a duplicate, and then it
        # carries the same Message-ID.
    except Exception as error:
        attempt = reminder.attempts + 1
        # The outbox's waits (MAIL_BACKOFF_SECONDS): 5 min, 30 min, 2 h, 12 h by default.
        wait = outbox_sender.backoff(attempt)
        logger.exception("Reminder %s failed (attempt %s)", reminder.pk, attempt)
        mine.update(
            failed_at=now,
            attempts=F("attempts") + 1,
            last_error=f"{type(error).__name__}: {error}"[:500],
            due_at=now + wait,
            claimed_at=None,
            claimed_by="",
        )
        return "failed"
    mine.update(sent_at=timezone.now() if now is None else now)
    return "sent"


def _email(reminder: Reminder, due: Due) -> None:
    partnership, person = reminder.partnership, reminder.recipient
    rendered = emails.render(
        "reminder",
        {
            "person": person,
            "partner": partnership.partner_of(person),
            "role": partnership.role_of(person),
            "partnership": partnership,
            "subject": due.subject,
            "message": due.message,
            "action": due.action,
            "url": due.url,
        },
    )
    emails.message(rendered, to=[person.email], message_id=reminder.message_id).send()


def send_due_reminders(*, worker: str, now: datetime.datetime | None = None) -> dict[str, int]:
    """Claim and send due reminders one at a time until none is left; count the outcomes."""
    counts = {"sent": 0, "cancelled": 0, "failed": 0}
    # A failed reminder falls due again only after its backoff, so this loop ends.
    while (reminder := claim_next(worker=worker, now=now)) is not None:
        counts[send_one(reminder, worker=worker, now=now)] += 1
    return counts
