"""Objects the access matrix probes the webhooks URLs with: an endpoint of the persona
program (its receiver never called: nothing is emitted while probing)."""

from mentorpact.webhooks import services
from mentorpact.webhooks.models import Endpoint


def endpoint(t) -> Endpoint:
    if not hasattr(t, "webhooks_endpoint"):
        t.webhooks_endpoint, _secret = services.add_endpoint(
            program=t.program,
            actor=t.cora,
            url="https://hr.example.org/hooks/mentorpact",
            events=["partnership.status_changed"],
        )
    return t.webhooks_endpoint


def endpoint_kwargs(t) -> dict:
    return {"program_id": t.program.public_id, "endpoint_id": endpoint(t).public_id}
