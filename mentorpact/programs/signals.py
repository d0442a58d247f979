"""What programs tells the apps above it: a program's terms changed.

Sent by the services that change what every pair of a program has to do: the program's
settings (kick-off, rule overrides: office.services.update_program) and its template
(agreement_templates.services.choose_template). progress connects to it (progress.apps) and
brings every open partnership's due items up to date: at once for a small program, in the
worker for a large one (progress.due.refresh_program)."""

from django.dispatch import Signal

# Sent with program=.
terms_changed = Signal()
