"""What partnerships tells the apps above it: a partnership's facts changed.

Every service that changes what a pair has to do (pairing, a status change, an agreement
started, saved, signed or amended, a meeting held, a plan or review in progress) ends by
calling `changed(partnership)`, inside its own transaction. progress keeps each partnership's
due items as rows (`progress.models.DueEntry`, "Due work is data" in docs/architecture.md)
and connects to this signal (progress.apps) to bring them up to date in the same
transaction, so the overview and the reminders read the rows the change left. The apps that
send it sit below progress and cannot call it: the same arrangement as accounts'
`account_changed`, which the audit trail records."""

import datetime

from django.db.models import F
from django.dispatch import Signal

# Sent with partnership= and now= (when the change happened; None: the clock).
partnership_changed = Signal()


def changed(partnership, *, now: datetime.datetime | None = None) -> None:
    """Announce that `partnership`'s facts changed (call it last, after the writes), and bump
    its `facts_version`: what is cached of the pair's standing is keyed by it (the overview's
    health rows, workspace.selectors.program_health), so the next read misses the cache."""
    type(partnership).objects.filter(pk=partnership.pk).update(facts_version=F("facts_version") + 1)
    partnership_changed.send(sender=type(partnership), partnership=partnership, now=now)
