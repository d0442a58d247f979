"""What accounts tells the layers above it: a person's own account changed.

accounts sits below the audit trail (docs/architecture.md), so it cannot write there itself;
audit connects to `account_changed` (audit.apps) and records each change as an event, inside
the transaction of the service that sends it. The same arrangement as sign-ins
(audit.backends around accounts' backend)."""

from django.dispatch import Signal

# Sent with user=, action= ("accounts.<kind>") and details= (non-confidential: field names).
account_changed = Signal()
