"""What accounts tells the layers above it: a person's own account changed.

accounts sits below the audit trail (docs/architecture.md), so it cannot write there itself;
audit connects to `account_changed` (audit.apps) and records each change as an event, inside
the transaction of the service that sends it. The same arrangement as sign-ins
(audit.backends around accounts' backend)."""

from django.dispatch import Signal

# Sent with user=, action= ("accounts.<kind>") and details= (non-confidential: field names).
account_changed = Signal()

# Asked with email=, before a password is used for that address (signing in, a reset). A
# receiver (sso.apps: the address's institution requires its single sign-on) returns the
# message that refuses it, or None. accounts.selectors.password_refusal asks them all.
password_refused = Signal()

# Asked with next= (where the person is going after signing in): each receiver returns the
# other ways to sign in it offers, as accounts.selectors.SignInChoice (sso.apps: "Sign in
# with <institution>"). The sign-in page lists them below the password form.
sign_in_choices = Signal()
