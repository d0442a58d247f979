"""Reads for webhooks: a program's endpoints and its delivery log (the coordinators')."""

from django.db.models import QuerySet
from django.http import Http404

from mentorpact.programs.models import Program
from mentorpact.programs.selectors import get_program_for_coordinator
from mentorpact.webhooks.models import Delivery, Endpoint


def live_endpoints(program: Program) -> QuerySet[Endpoint]:
    return program.webhooks.filter(removed_at__isnull=True)


def get_endpoint_for_coordinator(user, program_id, endpoint_id) -> tuple[Program, Endpoint]:
    """A live endpoint of a program this person coordinates (partners 403, others 404)."""
    program = get_program_for_coordinator(user, program_id)
    endpoint = live_endpoints(program).filter(public_id=endpoint_id).first()
    if endpoint is None:
        raise Http404
    return program, endpoint


def delivery_log(program: Program, *, limit: int = 100) -> QuerySet[Delivery]:
    """The program's latest deliveries, newest first: event, endpoint, times, attempts and
    the receiver's answer (the payload is ids and statuses, not shown on the page)."""
    return (
        Delivery.objects.filter(endpoint__program=program)
        .select_related("endpoint")
        .defer("payload")[:limit]
    )
