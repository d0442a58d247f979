"""Working together after signing: the mentee action plan, the midpoint check, the closing
review, the thank-you note, and reminders of what is due.

Everything hangs off a partnership and the agreement in effect whose goals it tracks. Plan
items, commitments and closing reviews carry a `version` column: a save names the version it
was based on and is refused when the partner saved first (a conditional UPDATE, which works
on SQLite and PostgreSQL alike). What happens is recorded as audit events (`ProgressAction`),
whose details hold statuses, counts and dates only: coordinators read those on the timeline.
What the partners write here (goals and steps copied from the agreement, progress notes,
commitments, review answers and comments, learning, evidence, the thank-you note) is
encrypted at rest (lib.crypto.EncryptedTextField / EncryptedJSONField).
"""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorpact.agreements.models import Agreement
from mentorpact.lib.crypto import EncryptedJSONField, EncryptedTextField
from mentorpact.lib.emails import message_domain
from mentorpact.lib.fields import StampField
from mentorpact.partnerships.models import Partnership

PARTNER_ROLES = [("mentor", "Mentor"), ("mentee", "Mentee")]


class ActionPlan(models.Model):
    """The mentee action plan made from one agreement's goals (a continued partnership's new
    agreement gets a plan of its own)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="action_plans"
    )
    agreement = models.OneToOneField(
        Agreement, on_delete=models.PROTECT, related_name="action_plan"
    )
    # The agreement version whose goals the plan holds; an amendment signed later adds goals.
    source_version = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = StampField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Meetings held when the plan was completed: "by the end of the 2nd meeting" is judged on it.
    completed_after_meetings = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Action plan of {self.agreement}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class PlanItem(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    class Owner(models.TextChoices):
        MENTEE = "mentee", "The mentee"
        MENTOR = "mentor", "The mentor"
        NAMED = "named", "Someone else (named)"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    # Where the goal came from: the agreement field's key and how to call it ("Objective 2").
    source_key = models.CharField(max_length=80, blank=True)
    source_label = models.CharField(max_length=200, blank=True)
    horizon = models.CharField(max_length=10, blank=True)  # short | long (remote's goals)
    goal = EncryptedTextField()
    measure = EncryptedTextField("how success is measured", blank=True)
    action_steps = EncryptedTextField(blank=True)
    owner = models.CharField(max_length=10, choices=Owner.choices, default=Owner.MENTEE)
    owner_name = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    progress_note = EncryptedTextField(blank=True)
    # Bumped by every save; a save based on an older version is refused (see services).
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = StampField(auto_now=True)

    class Meta:
        ordering = ["plan_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="plan_item_position"),
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "in_progress", "done", "dropped"]),
                name="plan_item_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(owner__in=["mentee", "mentor", "named"]), name="plan_item_owner_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_label or 'Goal'} of {self.plan}"

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self.action_steps.splitlines() if line.strip()]

    def owner_text(self, partnership: Partnership) -> str:
        if self.owner == self.Owner.NAMED:
            return self.owner_name or "Someone named"
        person = partnership.mentor if self.owner == self.Owner.MENTOR else partnership.mentee
        return f"{person.full_name} ({self.owner})"


class Commitment(models.Model):
    """A learning opportunity and venue the pair committed to (WHPRMS): done, or not yet."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="commitments")
    position = models.PositiveSmallIntegerField()
    opportunity = EncryptedTextField()
    venue = EncryptedTextField(max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="commitment_position")
        ]

    def __str__(self) -> str:
        return f"Commitment {self.position + 1} of {self.plan}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class MidpointReview(models.Model):
    """One partner's review of progress per goal at half the agreed duration."""

    class Assessment(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        BEHIND = "behind", "Behind"
        ACHIEVED = "achieved", "Already achieved"
        CHANGE = "change", "Should change"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="midpoint_reviews"
    )
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=PARTNER_ROLES)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # {plan item public_id: {"assessment": Assessment, "comment": str}}
    answers = EncryptedJSONField()
    overall = EncryptedTextField(blank=True)
    change_course = models.BooleanField(default=False)
    change_note = EncryptedTextField(blank=True)
    # The agreement version number of the amendment this review started, if any.
    amendment_number = models.PositiveIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            # Each partner reviews once per agreement; a double submit cannot add a second.
            models.UniqueConstraint(fields=["agreement", "role"], name="midpoint_one_per_role"),
            models.CheckConstraint(
                condition=Q(role__in=["mentor", "mentee"]), name="midpoint_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Midpoint review by the {self.role} of {self.agreement}"


class ClosingReview(models.Model):
    """The review that ends an agreement's term: outcomes per goal, each partner's learning
    conclusion, and a decision. One partner proposes; the other confirms (ending early takes
    effect at once: either partner may end a voluntary partnership)."""

    class Decision(models.TextChoices):
        CONCLUDE = "conclude", "Conclude the partnership"
        CONTINUE = "continue", "Continue with new goals"
        END_EARLY = "end_early", "End early"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        CONFIRMED = "confirmed", "Confirmed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Outcome(models.TextChoices):
        MET = "met", "Met"
        PARTLY = "partly", "Partly met"
        NOT_MET = "not_met", "Not met"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="closing_reviews"
    )
    # None only when a partnership ends early before any agreement was signed.
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_role = models.CharField(max_length=10, choices=PARTNER_ROLES)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # {plan item public_id: {"outcome": Outcome, "evidence": str}}
    outcomes = EncryptedJSONField()
    mentor_learning = EncryptedTextField("the mentor's learning conclusion", blank=True)
    mentee_learning = EncryptedTextField("the mentee's learning conclusion", blank=True)
    outside_intervention = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = StampField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Ending early under the rule `notice_days`: the end takes effect then (the partnership
    # stays open until services.end_after_notice carries it out); None: at once.
    takes_effect_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # services.end_after_notice: the notices whose time has come, each pass.
            models.Index(
                fields=["takes_effect_at"],
                condition=Q(takes_effect_at__isnull=False),
                name="closing_notice_due",
            ),
        ]
        constraints = [
            # One open proposal per partnership: two partners proposing at once get one.
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(status="proposed"),
                name="closing_one_open_proposal",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["conclude", "continue", "end_early"]),
                name="closing_decision_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "confirmed", "withdrawn"]),
                name="closing_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Closing review ({self.get_decision_display()}) of {self.partnership}"

    def learning_of(self, role: str) -> str:
        return self.mentor_learning if role == "mentor" else self.mentee_learning


class ThankYouNote(models.Model):
    """The thank-you email the mentee sent the mentor at closing, as sent."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="thank_you_notes"
    )
    review = models.OneToOneField(ClosingReview, on_delete=models.CASCADE, related_name="thank_you")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = EncryptedTextField(max_length=200)
    body = EncryptedTextField()
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Thank-you note of {self.partnership}"


class ProgressAction(models.TextChoices):
    """What the audit trail (audit.Event.action) records about the plan, the midpoint check
    and the closing, on the partnership, for the timeline.

    The event's details hold statuses, counts and dates only, never what the partners wrote:
    the coordinator's timeline reads these rows. A plan item's events name it by
    `plan_item_id`, so partners' timelines can name the goal (coordinators' never do).
    """

    PLAN_STARTED = "progress.plan_started", "Action plan started"
    PLAN_EXTENDED = "progress.plan_extended", "Goals of an amendment added to the action plan"
    ITEM_UPDATED = "progress.item_updated", "Plan item updated"
    PLAN_COMPLETED = "progress.plan_completed", "Action plan completed"
    COMMITMENT_DONE = "progress.commitment_done", "Commitment done"
    COMMITMENT_REOPENED = "progress.commitment_reopened", "Commitment marked not yet done"
    MIDPOINT_SUBMITTED = "progress.midpoint_submitted", "Midpoint review submitted"
    COURSE_CHANGE = "progress.course_change", "Change of course proposed as an amendment"
    CLOSING_PROPOSED = "progress.closing_proposed", "Closing review proposed"
    CLOSING_WITHDRAWN = "progress.closing_withdrawn", "Closing review withdrawn"
    CLOSING_CONFIRMED = "progress.closing_confirmed", "Closing review confirmed"
    INTERVENTION_REQUESTED = "progress.intervention_requested", "Outside intervention requested"
    THANK_YOU_SENT = "progress.thank_you_sent", "Thank-you note sent"
    RECORD_DOWNLOADED = "progress.record_downloaded", "Record downloaded"


class Reminder(models.Model):
    """Due work: one email to one person, sent once by `manage.py send_reminders`.

    The planner inserts rows (a unique `dedupe_key` makes planning idempotent); a worker
    claims one row at a time with a conditional UPDATE of `claimed_at` and sends only when
    exactly one row changed, then marks it `sent_at`. A failure unclaims the row, records
    `failed_at` and moves `due_at` on (backoff). A row claimed by a worker that died is
    claimed again once the lease (MAIL_LEASE_SECONDS) has run out, and sent under the same
    `message_id` (see reminders.py).
    """

    class Kind(models.TextChoices):
        AGREEMENT_DUE = "agreement_due", "Signed agreement due"
        ACTION_PLAN_DUE = "action_plan_due", "Action plan due"
        CONTACT_OVERDUE = "contact_overdue", "No contact for too long"
        MIDPOINT = "midpoint", "Midpoint check"
        END_APPROACHING = "end_approaching", "End date approaching"
        SIGN = "sign", "Your turn to sign"
        FIRST_MEETING = "first_meeting", "First meeting due"
        EVALUATION = "evaluation", "Evaluation to answer"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    dedupe_key = models.CharField(max_length=200, unique=True)
    due_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # No longer relevant when its turn came (the plan was completed, the partnership closed).
    cancelled_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # The worker's claim query: unsent, uncancelled rows by due_at (unclaimed, or
            # claimed by a worker whose lease ran out).
            models.Index(
                fields=["due_at"],
                condition=Q(sent_at__isnull=True, cancelled_at__isnull=True),
                name="reminder_pending",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "agreement_due",
                        "action_plan_due",
                        "contact_overdue",
                        "midpoint",
                        "end_approaching",
                        "sign",
                        "first_meeting",
                        "evaluation",
                    ]
                ),
                name="reminder_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient} at {self.due_at:%Y-%m-%d}"

    @property
    def message_id(self) -> str:
        """The reminder email's Message-ID, fixed by the row from its creation on: every
        attempt (and a rare resend after a crash) is the same message."""
        seed = f"{self.dedupe_key}|{self.created_at.isoformat()}".encode()
        digest = hashlib.sha256(seed).hexdigest()[:16]
        return f"<reminder.{self.pk}.{digest}@{message_domain()}>"


class DueEntry(models.Model):
    """One thing a partnership has to do, by when: the stored form of what
    `progress.due.obligations` finds in the partnership's facts.

    The services keep these rows up to date (`due.refresh`, on every change of a pair's facts:
    partnerships.signals), so the program overview filters them in SQL and the reminder
    planner claims the rows whose reminder has come (`remind_at`, `to_plan`) instead of
    reading every open partnership. An item no longer due (done, or the partnership closed)
    keeps its row with `done_at`. Dates and kinds only: nothing a partner wrote.
    """

    class Kind(models.TextChoices):
        AGREEMENT_DUE = "agreement_due", "Signed agreement due"
        SIGN = "sign", "Your turn to sign"
        FIRST_MEETING = "first_meeting", "First meeting"
        MIN_MEETINGS = "min_meetings", "Minimum number of meetings"
        ACTION_PLAN_DUE = "action_plan_due", "Action plan due"
        CONTACT = "contact", "Contact due"
        MIDPOINT = "midpoint", "Midpoint check"
        CLOSING_PROPOSED = "closing_proposed", "Closing review proposed"
        CLOSING_DUE = "closing_due", "Closing review due"
        EVALUATION = "evaluation", "Evaluation to answer"
        EVENT = "event", "Required program event"
        NOTICE = "notice", "Ending after notice"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="due_entries"
    )
    # The partnership's program, so the overview filters a program's rows without a join.
    program_id = models.BigIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Which one it is within the partnership ("agreement_due:12", "contact:20270105T0900").
    key = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    # Overdue from this day on; None: not overdue (yet, or ever: no date).
    overdue_on = models.DateField(null=True, blank=True)
    # The reminder this item gives: when, which kind (Reminder.Kind), under which key (each
    # recipient's Reminder.dedupe_key is "<remind_key>:<user id>"), to which roles.
    remind_at = models.DateTimeField(null=True, blank=True)
    remind_kind = models.CharField(max_length=30, blank=True)
    remind_key = models.CharField(max_length=200, blank=True)
    remind_roles = models.CharField(max_length=30, blank=True)
    # The planner has yet to plan the reminder under `remind_key` (it plans a key once).
    to_plan = models.BooleanField(default=False)
    planned_key = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["partnership_id", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="due_entry_unique_key"),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "agreement_due",
                        "sign",
                        "first_meeting",
                        "min_meetings",
                        "action_plan_due",
                        "contact",
                        "midpoint",
                        "closing_proposed",
                        "closing_due",
                        "evaluation",
                        "event",
                        "notice",
                    ]
                ),
                name="due_entry_kind_valid",
            ),
        ]
        indexes = [
            # The planner's pass (reminders.plan_reminders): open rows whose reminder is yet
            # to be planned, by remind_at. A pass with nothing to do reads this index only.
            models.Index(
                fields=["remind_at"],
                condition=Q(to_plan=True, done_at__isnull=True),
                name="due_entry_to_plan",
            ),
            # The overview's totals (workspace.selectors.attention_querysets): a program's
            # open items of one kind overdue by today.
            models.Index(
                fields=["program_id", "kind", "overdue_on"],
                condition=Q(done_at__isnull=True),
                name="due_entry_open_by_program",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.key}) of {self.partnership_id}"
