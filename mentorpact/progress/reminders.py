"""Due work: reminders planned from the partnerships' due items, sent exactly once.

`plan_reminders()` reads the due items whose reminder has come (`DueEntry` rows, which the
services keep up to date from `progress.due`: agreement due, first meeting, action plan due by
the Nth meeting, no contact for longer than the program's minimum, the midpoint check, the end
date approaching, your turn to sign) and inserts a `Reminder` row for each, once per
recipient: the row's `dedupe_key` is unique, so planning again inserts nothing new.

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

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from mentorpact.agreement_templates.schema import Rules
from mentorpact.lib import emails
from mentorpact.lib.emails import absolute
from mentorpact.outbox import sender as outbox_sender
from mentorpact.partnerships.models import Partnership
from mentorpact.progress import due, selectors
from mentorpact.progress.models import DueEntry, Reminder

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
PLAN_BATCH = 500  # due rows planned per query


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


def due_now(
    partnership: Partnership, now: datetime.datetime, *, program_rules: Rules | None = None
) -> list[Due]:
    """Every reminder due for this partnership at `now`, one per recipient, as the
    partnership's obligations give them (progress.due). `program_rules`: the program's
    effective rules, when the caller has read them."""
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
    signatures = due.draft_signatures([partnership.pk]).get(partnership.pk, [])
    return [
        Due(
            reminder.kind,
            recipient,
            f"{reminder.key}:{recipient}",
            reminder.at,
            reminder.subject,
            reminder.message,
            reminder.action,
            absolute(reminder.url),
        )
        for reminder in due.reminders_due(progress, signatures, now)
        for recipient in (getattr(partnership, f"{role}_id") for role in reminder.roles)
    ]


def plan_reminders(*, now: datetime.datetime | None = None) -> int:
    """Insert a Reminder row, per recipient, for every due item whose reminder has come and
    is not planned yet; return how many. It reads the due rows (DueEntry) the services keep,
    by `remind_at` on a partial index: a pass with nothing to plan is one indexed query,
    however many partnerships are open (bench/planner.py)."""
    now = now or timezone.now()
    created = 0
    pending = DueEntry.objects.filter(
        to_plan=True, done_at__isnull=True, remind_at__lte=now
    ).order_by("remind_at", "id")
    while entries := list(pending.select_related("partnership")[:PLAN_BATCH]):
        rows = [
            Reminder(
                partnership=entry.partnership,
                recipient_id=recipient,
                kind=entry.remind_kind,
                dedupe_key=f"{entry.remind_key}:{recipient}",
                due_at=entry.remind_at or now,  # set on every row to plan
            )
            for entry in _latest_of_each_series(entries, now)
            for recipient in (
                getattr(entry.partnership, f"{role}_id") for role in entry.remind_roles.split()
            )
        ]
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
        # Planned under the key we read: a refresh that changed a row's key meanwhile leaves
        # it to plan again, under its new key, in the next round.
        as_read = Q()
        for entry in entries:
            as_read |= Q(pk=entry.pk, remind_key=entry.remind_key)
        DueEntry.objects.filter(as_read).update(to_plan=False, planned_key=F("remind_key"))
    return created


def _latest_of_each_series(entries: list[DueEntry], now: datetime.datetime) -> list[DueEntry]:
    """The entries to plan: all, except that of a "your turn to sign" series (sign:<version>:
    <n>) only the latest is planned; the earlier ones a pass reaches together (the planner was
    stopped) are marked planned without a reminder: one reminder, not a burst."""
    latest: dict[str, DueEntry] = {}
    out = []
    for entry in entries:
        if entry.remind_kind == Reminder.Kind.SIGN:
            series = entry.remind_key.rsplit(":", 1)[0]
            earlier = latest.get(series)
            if earlier is None or (earlier.remind_at or now) <= (entry.remind_at or now):
                latest[series] = entry
        else:
            out.append(entry)
    return out + list(latest.values())


def claim_next(*, worker: str, now: datetime.datetime | None = None) -> Reminder | None:
    """Claim the next due reminder for `worker`, or None when nothing is due.

    Runs in autocommit: the claim is committed before anything is sent. Of two workers that
    read the same candidate, the UPDATE changes the row for one of them only (the WHERE
    names it unclaimed, or claimed before the lease); the other moves on to the next."""
    now = now or timezone.now()
    free = Q(claimed_at__isnull=True) | Q(
        claimed_at__lt=now - datetime.timedelta(seconds=settings.MAIL_LEASE_SECONDS)
    )
    waiting = Reminder.objects.filter(
        free,
        sent_at__isnull=True,
        cancelled_at__isnull=True,
        due_at__lte=now,
        attempts__lt=MAX_ATTEMPTS,
    ).order_by("due_at", "id")
    for candidate in waiting.values_list("pk", flat=True)[:50]:
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
        current = {d.key: d for d in due_now(reminder.partnership, now)}
        still = current.get(reminder.dedupe_key)
        if still is None:
            mine.update(cancelled_at=now)
            return "cancelled"
        _email(reminder, still)
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
