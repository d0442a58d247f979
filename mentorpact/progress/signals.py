"""What progress tells the apps above it: a partnership's due rows were brought up to date.

Sent by `due_rows.refresh_many` at its end, inside its transaction, with the partnerships'
ids: after every change of a pair's facts (partnerships.signals, which progress follows) and
after a change of a program's terms (at once, or in the worker for a large program). The
dashboard keeps its per-pair fact rows from it (dashboard.apps), reading the due rows just
written."""

from django.dispatch import Signal

# Sent with partnership_ids= (a list) and now=.
due_refreshed = Signal()
