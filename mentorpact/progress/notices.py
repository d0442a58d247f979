"""The emails this app sends (templates/emails/progress-* and reminder-*), run by tasks and
the reminder worker, through the outbox (its rows are encrypted at rest: a thank-you note
quotes the mentee). Nothing a partner wrote reaches the coordinator: the intervention request
names the pair and the program, nothing more."""

import datetime

from django.urls import reverse

from mentorpact.lib.dates import long_date
from mentorpact.lib.emails import absolute
from mentorpact.outbox.services import post
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment
from mentorpact.progress.models import ClosingReview, ThankYouNote


def _urls(partnership: Partnership) -> dict[str, str]:
    code = partnership.public_id
    return {
        "partnership_url": absolute(reverse("partnerships:detail", args=[code])),
        "closing_url": absolute(reverse("progress:closing", args=[code])),
    }


def closing_proposed(review: ClosingReview) -> None:
    """Ask the other partner to read the proposal and confirm it."""
    partnership = review.partnership
    other = partnership.partner_of(review.proposed_by)
    post(
        "progress-closing-proposed",
        key=f"progress-closing-proposed:{review.pk}:{other.pk}",
        to=other.email,
        program_id=partnership.program_id,
        partnership_id=partnership.pk,
        context={
            "person": other,
            "proposer": review.proposed_by,
            "review": review,
            "partnership": partnership,
            **_urls(partnership),
        },
    )


def ended_early(review: ClosingReview) -> None:
    """Tell the other partner; if asked, tell the program's coordinators (no content)."""
    partnership = review.partnership
    other = partnership.partner_of(review.proposed_by)
    context = {"review": review, "partnership": partnership, **_urls(partnership)}
    post(
        "progress-ended-early",
        key=f"progress-ended-early:{review.pk}:{other.pk}",
        to=other.email,
        program_id=partnership.program_id,
        partnership_id=partnership.pk,
        context={**context, "person": other, "ender": review.proposed_by},
    )
    if review.outside_intervention:
        _ask_for_intervention(review, context)


def notice_given(review: ClosingReview) -> None:
    """A partner gave notice to end early (the rule `notice_days`): tell the other partner
    the day it ends; if asked, tell the program's coordinators now (no content). The end
    itself, when the notice has run, sends `ended_early`'s email to the other partner."""
    partnership = review.partnership
    other = partnership.partner_of(review.proposed_by)
    assert review.takes_effect_at is not None
    ends_on = long_date(review.takes_effect_at.astimezone(datetime.UTC).date())
    context = {"review": review, "partnership": partnership, **_urls(partnership)}
    post(
        "progress-notice-given",
        key=f"progress-notice-given:{review.pk}:{other.pk}",
        to=other.email,
        program_id=partnership.program_id,
        partnership_id=partnership.pk,
        context={**context, "person": other, "ender": review.proposed_by, "ends_on": ends_on},
    )
    if review.outside_intervention:
        _ask_for_intervention(review, context)


def _ask_for_intervention(review: ClosingReview, context: dict) -> None:
    partnership = review.partnership
    coordinators = list(
        Enrolment.objects.filter(
            program_id=partnership.program_id, role=Enrolment.Role.COORDINATOR
        ).values_list("user__email", flat=True)
    )
    address = partnership.program.contact_email
    to = coordinators or ([address] if address else [])
    for address in to:
        post(
            "progress-intervention",
            key=f"progress-intervention:{review.pk}:{address.lower()}",
            to=address,
            context=context,
            program_id=partnership.program_id,
            partnership_id=partnership.pk,
        )


def thank_you(note: ThankYouNote) -> None:
    partnership = note.partnership
    post(
        "progress-thank-you",
        key=f"progress-thank-you:{note.pk}",
        to=partnership.mentor.email,
        program_id=partnership.program_id,
        partnership_id=partnership.pk,
        context={"note": note, "partnership": partnership, "mentee": note.author},
    )
