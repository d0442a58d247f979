"""The REST API's personas and objects, for its access matrix (mentorpact/tests/
test_api_access_matrix.py), its canary walk and its Schemathesis run.

Cora, Mia, Theo and Olive each hold a read-and-write token; `cora_read` is Cora's read-only
one. The persona program runs the ASPE template (signed agreements go back to the program),
Mia and Theo have signed theirs, met once and are invited to a networking function."""

from datetime import timedelta

from django.utils import timezone

from mentorpact.accounts import services as account_services
from mentorpact.agreements import services as agreement_services
from mentorpact.evaluations.tests.access import evaluation
from mentorpact.events.tests.access import networking
from mentorpact.meetings import services as meetings

TOKENS = ("olive", "cora", "mia", "theo")
PERSONAS = ("anonymous", *TOKENS, "cora_read")


def issue_tokens(t) -> dict[str, str]:
    """Every persona's token (anonymous has none), by persona."""
    tokens = {"anonymous": ""}
    for name in TOKENS:
        _row, tokens[name] = account_services.create_access_token(
            user=getattr(t, name), name=f"{name}'s integration", scope="write"
        )
    _row, tokens["cora_read"] = account_services.create_access_token(
        user=t.cora, name="Cora's reports", scope="read"
    )
    return tokens


def api_objects(t) -> None:
    """Sign Mia and Theo's agreement, record a meeting, invite them to an event (t is a
    ProgressMixin test case: `sign()`)."""
    t.signed = t.sign()
    # Sealed now, as the worker does after signing: the first download only reads it.
    agreement_services.version_pdf(version=t.signed)
    t.meeting = meetings.record_past_meeting(
        partnership=t.partnership,
        user=t.theo,
        starts_at=timezone.now() - timedelta(days=1),
        time_zone="UTC",
        held_minutes=45,
        mode="face_to_face",
        topics="What we covered",
    )
    networking(t)
    evaluation(t)  # the example evaluation, its round of Mia and Theo open today


def path_values(t) -> dict[str, object]:
    """The value of every path parameter of the API, for the persona objects."""
    return {
        "program_id": t.program.public_id,
        "partnership_id": t.partnership.public_id,
        "agreement": t.signed.agreement.number,
        "number": t.signed.number,
        "event_id": networking(t).public_id,
        "evaluation_id": evaluation(t).public_id,
    }
