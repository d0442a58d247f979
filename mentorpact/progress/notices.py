"""The emails this app sends (templates/emails/progress-* and reminder-*), run by tasks and
the reminder worker, through the outbox (its rows are encrypted at rest: a thank-you note
quotes the mentee). Nothing a partner wrote reaches the coordinator: the intervention request
names the pair and the program, nothing more."""

from django.urls import reverse

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
    if not review.outside_intervention:
        return
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
