"""The access matrix: every URL of the project, requested as every persona.

A URL pattern without an entry in MATRIX fails `test_every_url_pattern_has_an_entry`, which
names it. To add yours, key an entry by the pattern's namespaced name:

    "partnerships:detail": Probe(
        kwargs=lambda t: {"code": t.partnership.public_id},
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 200, "mia": 200, "theo": 200},
    ),

- `kwargs` is a function of the test case, which holds the personas (t.cora, t.mia, t.theo,
  t.olive) and their objects (t.program, t.partnership); create there whatever else your URL
  needs (an agreement, a meeting) and return the URL's kwargs.
- `method` is "get" (the default) or "post"; `data` is the POST body (a dict, or a function
  of the test case). Probe a mutating view with POST: that is the request that must be refused.
- `expect` gives every persona (anonymous, olive, cora, mia, theo) one of: a status code;
  SIGN_IN (302 to the sign-in page with ?next=, for login_required pages); Redirect("name")
  (302 to that URL). `everyone(200)` and `signed_in(SIGN_IN, 200)` spell the common cases.
- Olive, the outsider, must get 404 from every URL that takes the persona partnership's or
  program's id: a test checks the entries say so.

Each request runs in a savepoint that is rolled back, so one persona's POST never changes
what the next persona sees. Admin URLs (namespace "admin") need no entry: the rule in
`admin_expectation` sends every one of these non-superusers to the admin's sign-in page.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import admin
from django.db import transaction
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.views.generic import TemplateView

from mentorpact import views
from mentorpact.accounts.tests.access import token_kwargs
from mentorpact.agreement_templates.tests import own_template
from mentorpact.agreements.tests.access import agreement_kwargs, invited_kwargs, version_kwargs
from mentorpact.confidentiality.tests.access import danger_kwargs, disclosure_kwargs, page_kwargs
from mentorpact.dashboard.tests.access import zip_kwargs
from mentorpact.evaluations.tests.access import evaluation_kwargs, round_kwargs
from mentorpact.events.tests.access import event_kwargs
from mentorpact.matching.tests.access import program_with_questions, run_kwargs
from mentorpact.meetings.tests.access import (
    held_meeting,
    meeting_kwargs,
    scheduled_meeting,
    theos_feed_token,
    theos_shared_note,
)
from mentorpact.office.tests.access import (
    accept_kwargs,
    given_up_email_kwargs,
    invitation_kwargs,
    upload_kwargs,
)
from mentorpact.progress.tests.access import commitment_kwargs, plan_item_kwargs
from mentorpact.sso.tests.access import provider_kwargs
from mentorpact.support.tests.access import request_kwargs
from mentorpact.test import BaseTestCase
from mentorpact.webhooks.tests.access import endpoint_kwargs

PERSONAS = ("anonymous", "olive", "cora", "mia", "theo")


def program_kwargs(t) -> dict:
    return {"program_id": t.program.public_id}


@dataclass(frozen=True)
class Redirect:
    """302 to the URL named `to`; with `next`, carrying ?next=<the requested path>."""

    to: str
    next: bool = False


SIGN_IN = Redirect("accounts:login", next=True)
# The REST API's own pages (its schema, its docs, its root): in MATRIX like any page.
API_PAGES = {"api_v1:openapi-json", "api_v1:openapi-view", "api_v1:api-root"}
Expected = int | Redirect


@dataclass(frozen=True)
class Probe:
    expect: dict[str, Expected]
    kwargs: Callable[["AccessMatrixTestCase"], dict] = lambda t: {}
    method: str = "get"
    data: dict | Callable[["AccessMatrixTestCase"], dict] = field(default_factory=dict)


def everyone(expected: Expected) -> dict[str, Expected]:
    return dict.fromkeys(PERSONAS, expected)


def signed_in(anonymous: Expected, others: Expected) -> dict[str, Expected]:
    return {"anonymous": anonymous} | dict.fromkeys(PERSONAS[1:], others)


# Coordinator-only pages: partners 403, an outsider 404.
COORDINATOR: dict[str, Expected] = {
    "anonymous": SIGN_IN,
    "olive": 404,
    "cora": 200,
    "mia": 403,
    "theo": 403,
}

# Partner-only pages (meetings, notes, feedback): the coordinator 403, an outsider 404.
PARTNERS: dict[str, Expected] = {
    "anonymous": SIGN_IN,
    "olive": 404,
    "cora": 403,
    "mia": 200,
    "theo": 200,
}


MATRIX: dict[str, Probe] = {
    "home": Probe(expect=everyone(Redirect("partnerships:mine"))),
    "health": Probe(expect=everyone(200)),
    # --- accounts ---
    "accounts:login": Probe(expect=signed_in(200, Redirect("home"))),
    "accounts:logout": Probe(method="post", expect=everyone(Redirect("accounts:login"))),
    # Each person's own profile: every signed-in persona has one.
    "accounts:profile": Probe(expect=signed_in(SIGN_IN, 200)),
    # API tokens: each person makes their own (shown once on the page); only its owner
    # revokes one, anyone else 404.
    "accounts:token_create": Probe(
        method="post", data={"name": "Matrix", "scope": "read"}, expect=signed_in(SIGN_IN, 200)
    ),
    "accounts:token_revoke": Probe(
        method="post",
        kwargs=token_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 302, "mia": 404, "theo": 404},
    ),
    "privacy:my_data": Probe(expect=signed_in(SIGN_IN, 200)),
    "privacy:download": Probe(expect=signed_in(SIGN_IN, 200)),
    # Without the password and the tick, nobody's account goes (the form says why).
    "privacy:delete": Probe(method="post", expect=signed_in(SIGN_IN, 400)),
    "privacy:deleted": Probe(expect=everyone(200)),
    "accounts:email_change": Probe(
        method="post", data={"email": "new@example.org"}, expect=signed_in(SIGN_IN, 400)
    ),
    # A made-up link: the page says it is not valid, to anyone.
    "accounts:email_confirm": Probe(kwargs=lambda t: {"token": "made-up"}, expect=everyone(200)),
    "accounts:password_change": Probe(expect=signed_in(SIGN_IN, 200)),
    "accounts:password_reset": Probe(expect=everyone(200)),
    "accounts:password_reset_done": Probe(expect=everyone(200)),
    # A made-up link: the page says it has expired, to anyone.
    "accounts:password_reset_confirm": Probe(
        kwargs=lambda t: {"uidb64": "MQ", "token": "made-up-token"}, expect=everyone(200)
    ),
    "accounts:password_reset_complete": Probe(expect=everyone(200)),
    # --- partnerships ---
    "partnerships:mine": Probe(expect=signed_in(SIGN_IN, 200)),
    "partnerships:detail": Probe(
        kwargs=lambda t: {"code": t.partnership.public_id},
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 200, "mia": 200, "theo": 200},
    ),
    # --- programs ---
    "programs:overview": Probe(
        kwargs=lambda t: {"program_id": t.program.public_id},
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 200, "mia": 403, "theo": 403},
    ),
    # --- pairing (the program's coordinators) ---
    "pairing:page": Probe(kwargs=lambda t: {"program_id": t.program.public_id}, expect=COORDINATOR),
    "pairing:csv": Probe(kwargs=lambda t: {"program_id": t.program.public_id}, expect=COORDINATOR),
    # No preview in the session: Cora is sent back to upload the file.
    "pairing:import_csv": Probe(
        method="post",
        kwargs=lambda t: {"program_id": t.program.public_id},
        expect=COORDINATOR | {"cora": 302},
    ),
    "pairing:unpair": Probe(
        method="post",
        kwargs=lambda t: {"code": t.partnership.public_id},
        expect=COORDINATOR | {"cora": 302},
    ),
    # --- matching: the coordinator's questions, profiles and runs; each person's own profile,
    # a mentee's shortlist, a mentor's list of mentees ---
    "matching:questions": Probe(
        kwargs=lambda t: {"program_id": t.program.public_id}, expect=COORDINATOR
    ),
    "matching:profiles": Probe(
        kwargs=lambda t: {"program_id": t.program.public_id}, expect=COORDINATOR
    ),
    "matching:remind": Probe(
        method="post",
        kwargs=lambda t: {"program_id": t.program.public_id},
        expect=COORDINATOR | {"cora": 302},
    ),
    "matching:run": Probe(
        method="post",
        kwargs=lambda t: {"program_id": t.program.public_id},
        expect=COORDINATOR | {"cora": 302},
    ),
    "matching:profile": Probe(kwargs=program_with_questions, expect=PARTNERS),
    "matching:shortlist": Probe(kwargs=program_with_questions, expect=PARTNERS | {"mia": 403}),
    "matching:mentees": Probe(kwargs=program_with_questions, expect=PARTNERS | {"theo": 403}),
    "matching:review": Probe(kwargs=run_kwargs, expect=COORDINATOR),
    "matching:publish": Probe(method="post", kwargs=run_kwargs, expect=COORDINATOR | {"cora": 302}),
    # --- the program office: site administrators (superusers, none of these personas) ---
    "office:programs": Probe(expect=signed_in(SIGN_IN, 403)),
    "office:archive": Probe(
        method="post",
        kwargs=lambda t: {"program_id": t.program.public_id},
        expect=COORDINATOR | {"cora": 403},
    ),
    # --- single sign-on: the site administrator's settings (superusers: none of these) ---
    "sso:providers": Probe(expect=signed_in(SIGN_IN, 403)),
    "sso:new_provider": Probe(expect=signed_in(SIGN_IN, 403)),
    "sso:provider": Probe(kwargs=provider_kwargs, expect=signed_in(SIGN_IN, 403)),
    # Anyone may start signing in with a provider; this one does not answer (502, said on
    # the page). A callback this session did not start is refused before asking it (400).
    "sso:start": Probe(kwargs=provider_kwargs, expect=everyone(502)),
    "sso:callback": Probe(kwargs=provider_kwargs, expect=everyone(400)),
    # --- the program office: coordinators ---
    "office:mine": Probe(expect=signed_in(SIGN_IN, 200)),
    "office:settings": Probe(
        kwargs=lambda t: {"program_id": t.program.public_id}, expect=COORDINATOR
    ),
    "office:add_coordinator": Probe(
        method="post",
        kwargs=lambda t: {"program_id": t.program.public_id},
        data={"email": "new@example.org", "full_name": "New Coordinator"},
        expect=COORDINATOR | {"cora": 302},
    ),
    # Cora is the only coordinator: refused with a message, back to the settings page.
    "office:remove_coordinator": Probe(
        method="post",
        kwargs=lambda t: {"program_id": t.program.public_id, "user_id": t.cora.public_id},
        expect=COORDINATOR | {"cora": 302},
    ),
    "office:roster": Probe(
        kwargs=lambda t: {"program_id": t.program.public_id}, expect=COORDINATOR
    ),
    "office:invite": Probe(
        kwargs=lambda t: {"program_id": t.program.public_id}, expect=COORDINATOR
    ),
    "office:import": Probe(
        kwargs=lambda t: {"program_id": t.program.public_id}, expect=COORDINATOR
    ),
    "office:confirm_import": Probe(
        method="post", kwargs=upload_kwargs, expect=COORDINATOR | {"cora": 302}
    ),
    # An import's progress: the program's coordinators (this file was previewed, not imported).
    "office:import_status": Probe(kwargs=upload_kwargs, expect=COORDINATOR),
    "office:resend": Probe(
        method="post", kwargs=invitation_kwargs, expect=COORDINATOR | {"cora": 302}
    ),
    "office:revoke": Probe(
        method="post", kwargs=invitation_kwargs, expect=COORDINATOR | {"cora": 302}
    ),
    "office:deliveries": Probe(
        kwargs=lambda t: {"program_id": t.program.public_id}, expect=COORDINATOR
    ),
    # --- webhooks: the program's endpoints and delivery log (its coordinators); an empty
    # form is shown again with its errors ---
    "webhooks:program": Probe(
        kwargs=lambda t: {"program_id": t.program.public_id}, expect=COORDINATOR
    ),
    "webhooks:remove": Probe(
        method="post", kwargs=endpoint_kwargs, expect=COORDINATOR | {"cora": 302}
    ),
    # --- the REST API: its schema and docs are public; every operation is in the API's own
    # matrix (test_api_access_matrix.py), per persona token ---
    "api_v1:openapi-json": Probe(expect=everyone(200)),
    "api_v1:openapi-view": Probe(expect=everyone(200)),
    "api_v1:api-root": Probe(expect=everyone(404)),
    "office:retry": Probe(
        method="post", kwargs=given_up_email_kwargs, expect=COORDINATOR | {"cora": 302}
    ),
    # No sign-in: the signed token in the link is the secret.
    "office:accept": Probe(kwargs=accept_kwargs, expect=everyone(200)),
    # --- agreement templates (coordinators only; a program's own template, its coordinators) ---
    "agreement_templates:program": Probe(
        kwargs=lambda t: {"program_id": t.program.public_id}, expect=COORDINATOR
    ),
    "agreement_templates:choose": Probe(
        method="post",
        kwargs=lambda t: {"program_id": t.program.public_id},
        data={"template": "red-peer-mentoring"},
        expect=COORDINATOR | {"cora": 302},
    ),
    "agreement_templates:clone": Probe(
        method="post",
        kwargs=lambda t: {"program_id": t.program.public_id},
        data={"template": "aspe-partnership", "slug": "matrix-copy", "title": "A copy"},
        expect=COORDINATOR | {"cora": 302},
    ),
    "agreement_templates:new": Probe(
        method="post",
        kwargs=lambda t: {"program_id": t.program.public_id},
        data={"new-slug": "matrix-new", "new-title": "A new form"},
        expect=COORDINATOR | {"cora": 302},
    ),
    "agreement_templates:build": Probe(
        kwargs=lambda t: {"slug": own_template(t.program).slug}, expect=COORDINATOR
    ),
    # The template format's reference: documentation, for anyone signed in.
    "agreement_templates:reference": Probe(expect=signed_in(SIGN_IN, 200)),
    "agreement_templates:edit": Probe(
        kwargs=lambda t: {"slug": own_template(t.program).slug}, expect=COORDINATOR
    ),
    "agreement_templates:preview": Probe(
        kwargs=lambda t: {"slug": "aspe-partnership"}, expect=COORDINATOR
    ),
    "agreement_templates:print": Probe(
        kwargs=lambda t: {"slug": "aspe-partnership"}, expect=COORDINATOR
    ),
    "agreement_templates:pdf": Probe(
        kwargs=lambda t: {"slug": own_template(t.program).slug}, expect=COORDINATOR
    ),
    # --- progress (partner-only; a refused or finished POST redirects back to its page) ---
    "progress:plan": Probe(kwargs=lambda t: {"code": t.partnership.public_id}, expect=PARTNERS),
    **{
        f"progress:{name}": Probe(
            method="post",
            kwargs=lambda t: {"code": t.partnership.public_id},
            expect={**PARTNERS, "mia": 302, "theo": 302},
        )
        for name in ("start_plan", "complete_plan", "add_goals", "confirm_closing")
    },
    "progress:withdraw_closing": Probe(
        method="post",
        kwargs=lambda t: {"code": t.partnership.public_id},
        expect={**PARTNERS, "mia": 302, "theo": 302},
    ),
    # An empty form: shown again with its errors.
    "progress:plan_item": Probe(method="post", kwargs=plan_item_kwargs, expect=PARTNERS),
    "progress:commitment": Probe(
        method="post", kwargs=commitment_kwargs, expect={**PARTNERS, "mia": 302, "theo": 302}
    ),
    "progress:midpoint": Probe(kwargs=lambda t: {"code": t.partnership.public_id}, expect=PARTNERS),
    "progress:closing": Probe(kwargs=lambda t: {"code": t.partnership.public_id}, expect=PARTNERS),
    # The mentee thanks the mentor.
    "progress:thank_you": Probe(
        kwargs=lambda t: {"code": t.partnership.public_id}, expect={**PARTNERS, "mia": 403}
    ),
    "progress:record": Probe(kwargs=lambda t: {"code": t.partnership.public_id}, expect=PARTNERS),
    # --- agreements (editing, signing and history are the partners'; the coordinator reads
    # the agreement's status, and a signed version only when the template returns it to the
    # program: see mentorpact/agreements/tests/test_coordinator_access.py) ---
    "agreements:agreement": Probe(
        kwargs=agreement_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 200, "mia": 200, "theo": 200},
    ),
    # Starting an agreement that exists already changes nothing and leads to it.
    "agreements:start": Probe(
        method="post",
        kwargs=agreement_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 403, "mia": 302, "theo": 302},
    ),
    # The draft as steps: a task list and one page per section, the partners' alone.
    "agreements:steps": Probe(
        kwargs=agreement_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 403, "mia": 200, "theo": 200},
    ),
    # An empty save of the stand-in's one section: saved (nothing changed), on to signing's
    # task list.
    "agreements:step": Probe(
        method="post",
        kwargs=lambda t: agreement_kwargs(t) | {"section": "goals"},
        data=lambda t: {"revision": "1"},
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 403, "mia": 302, "theo": 302},
    ),
    "agreements:sign": Probe(
        kwargs=agreement_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 403, "mia": 200, "theo": 200},
    ),
    "agreements:withdraw_consent": Probe(
        method="post",
        kwargs=agreement_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 403, "mia": 302, "theo": 302},
    ),
    "agreements:amend": Probe(
        method="post",
        kwargs=agreement_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 403, "mia": 302, "theo": 302},
    ),
    "agreements:history": Probe(
        kwargs=agreement_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 403, "mia": 200, "theo": 200},
    ),
    # Version 1 is a draft: drafts are the partners' alone.
    "agreements:version": Probe(
        kwargs=version_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 403, "mia": 200, "theo": 200},
    ),
    "agreements:pdf": Probe(
        kwargs=version_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 403, "mia": 200, "theo": 200},
    ),
    # Anyone may check a PDF, signed in or not.
    "agreements:verify": Probe(expect=everyone(200)),
    # Naming an extra signer is the partners' (an empty form: shown again with its errors).
    "agreements:name_signer": Probe(
        method="post",
        kwargs=agreement_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 403, "mia": 200, "theo": 200},
    ),
    # No sign-in: an invited signer's link is the secret; it shows the draft they sign only.
    "agreements:invited_sign": Probe(kwargs=invited_kwargs, expect=everyone(200)),
    # --- meetings (partner-only: the coordinator sees counts on the partnership page) ---
    "meetings:log": Probe(kwargs=lambda t: {"code": t.partnership.public_id}, expect=PARTNERS),
    "meetings:schedule": Probe(
        method="post", kwargs=lambda t: {"code": t.partnership.public_id}, expect=PARTNERS
    ),
    "meetings:record_past": Probe(
        method="post", kwargs=lambda t: {"code": t.partnership.public_id}, expect=PARTNERS
    ),
    "meetings:detail": Probe(kwargs=meeting_kwargs(scheduled_meeting), expect=PARTNERS),
    "meetings:held": Probe(
        method="post", kwargs=meeting_kwargs(scheduled_meeting), expect=PARTNERS
    ),
    "meetings:reschedule": Probe(
        method="post", kwargs=meeting_kwargs(scheduled_meeting), expect=PARTNERS
    ),
    "meetings:cancel": Probe(
        method="post", kwargs=meeting_kwargs(scheduled_meeting), expect=PARTNERS
    ),
    "meetings:ics": Probe(kwargs=meeting_kwargs(scheduled_meeting), expect=PARTNERS),
    "meetings:feedback": Probe(method="post", kwargs=meeting_kwargs(held_meeting), expect=PARTNERS),
    "meetings:add_meeting_note": Probe(
        method="post", kwargs=meeting_kwargs(held_meeting), expect=PARTNERS
    ),
    "meetings:add_note": Probe(
        method="post", kwargs=lambda t: {"code": t.partnership.public_id}, expect=PARTNERS
    ),
    # Only its author edits a note: Mia sees Theo's shared note but may not change it.
    "meetings:edit_note": Probe(
        method="post",
        kwargs=lambda t: {
            "code": t.partnership.public_id,
            "note_id": theos_shared_note(t).public_id,
        },
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 403, "mia": 403, "theo": 200},
    ),
    "meetings:calendar": Probe(expect=signed_in(SIGN_IN, 200)),
    "meetings:create_feed": Probe(method="post", expect=signed_in(SIGN_IN, 200)),
    "meetings:revoke_feed": Probe(
        method="post", expect=signed_in(SIGN_IN, Redirect("meetings:calendar"))
    ),
    # No sign-in: calendar programs read the feed; the token in its URL is the secret.
    "meetings:feed": Probe(kwargs=lambda t: {"token": theos_feed_token(t)}, expect=everyone(200)),
    # --- support: asking the program for help (the partners ask; an empty form is shown
    # again with its errors) ---
    "support:ask": Probe(
        method="post",
        kwargs=lambda t: {"code": t.partnership.public_id},
        expect={**PARTNERS, "mia": 400, "theo": 400},
    ),
    # Theo's request: Theo and the program's coordinators; Mia, his partner, is not told it
    # exists (404). An empty reply is shown again with its error.
    "support:request": Probe(
        method="post",
        kwargs=request_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 400, "mia": 404, "theo": 400},
    ),
    "support:close": Probe(
        method="post",
        kwargs=request_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 400, "mia": 404, "theo": 403},
    ),
    "support:queue": Probe(
        kwargs=lambda t: {"program_id": t.program.public_id}, expect=COORDINATOR
    ),
    # --- confidentiality exceptions (the pilot's form; the pair's, a serious-danger record
    # the mentor's and the safeguarding contact's: Cora is the contact here) ---
    "confidentiality:page": Probe(kwargs=page_kwargs, expect=PARTNERS),
    # Empty forms: shown again with their errors.
    "confidentiality:propose": Probe(
        method="post", kwargs=page_kwargs, expect={**PARTNERS, "mia": 400, "theo": 400}
    ),
    # Agreed already: refused with a message, back to the page.
    "confidentiality:agree": Probe(
        method="post", kwargs=disclosure_kwargs, expect={**PARTNERS, "mia": 302, "theo": 302}
    ),
    "confidentiality:revoke": Probe(
        method="post", kwargs=disclosure_kwargs, expect={**PARTNERS, "mia": 302, "theo": 302}
    ),
    # The mentor logs a use.
    "confidentiality:log_use": Probe(
        method="post", kwargs=disclosure_kwargs, expect={**PARTNERS, "mia": 400, "theo": 403}
    ),
    "confidentiality:danger": Probe(
        method="post", kwargs=page_kwargs, expect={**PARTNERS, "mia": 400, "theo": 403}
    ),
    # The mentor and the safeguarding contact; the mentee is not told it exists.
    "confidentiality:danger_record": Probe(
        kwargs=danger_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 200, "mia": 200, "theo": 404},
    ),
    "confidentiality:mentee_told": Probe(
        method="post",
        kwargs=danger_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 403, "mia": 400, "theo": 404},
    ),
    "confidentiality:contact": Probe(
        kwargs=lambda t: {"program_id": t.program.public_id}, expect=COORDINATOR
    ),
    # --- program events (the coordinators create them and record attendance; invitees
    # answer; an empty form is shown again with its errors) ---
    "events:program": Probe(
        method="post",
        kwargs=lambda t: {"program_id": t.program.public_id},
        expect=COORDINATOR | {"cora": 400},
    ),
    "events:mine": Probe(expect=signed_in(SIGN_IN, 200)),
    # Mia and Theo are invited; Cora, not invited, reads it but does not answer.
    "events:event": Probe(
        method="post",
        kwargs=event_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 403, "mia": 400, "theo": 400},
    ),
    "events:ics": Probe(
        kwargs=event_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 200, "mia": 200, "theo": 200},
    ),
    # Still to come: refused with a message, back to the event.
    "events:attendance": Probe(
        method="post", kwargs=event_kwargs, expect=COORDINATOR | {"cora": 302}
    ),
    "events:attendees_csv": Probe(kwargs=event_kwargs, expect=COORDINATOR),
    # --- evaluations (the coordinators write the form and read rates and aggregates; the
    # partners answer their own round; an empty form is shown again with its errors) ---
    "evaluations:program": Probe(
        method="post",
        kwargs=lambda t: {"program_id": t.program.public_id},
        expect=COORDINATOR | {"cora": 400},
    ),
    "evaluations:mine": Probe(expect=signed_in(SIGN_IN, 200)),
    "evaluations:summary": Probe(kwargs=evaluation_kwargs, expect=COORDINATOR),
    "evaluations:edit": Probe(
        method="post", kwargs=evaluation_kwargs, expect=COORDINATOR | {"cora": 400}
    ),
    "evaluations:close": Probe(
        method="post", kwargs=evaluation_kwargs, expect=COORDINATOR | {"cora": 302}
    ),
    # The partners answer (an empty answer is shown again with its errors); the coordinator
    # never answers for a pair.
    "evaluations:answer": Probe(
        method="post",
        kwargs=round_kwargs,
        expect={"anonymous": SIGN_IN, "olive": 404, "cora": 403, "mia": 400, "theo": 400},
    ),
    # --- the program dashboard (the program's coordinators) ---
    "dashboard:page": Probe(kwargs=program_kwargs, expect=COORDINATOR),
    "dashboard:pairs": Probe(kwargs=program_kwargs, expect=COORDINATOR),
    "dashboard:export": Probe(
        kwargs=lambda t: {"program_id": t.program.public_id, "kind": "partnerships", "fmt": "csv"},
        expect=COORDINATOR,
    ),
    "dashboard:report": Probe(kwargs=program_kwargs, expect=COORDINATOR),
    "dashboard:report_pdf": Probe(kwargs=program_kwargs, expect=COORDINATOR),
    "dashboard:zip_request": Probe(
        method="post", kwargs=program_kwargs, expect=COORDINATOR | {"cora": 302}
    ),
    "dashboard:zip_status": Probe(kwargs=zip_kwargs, expect=COORDINATOR),
    "dashboard:zip_download": Probe(kwargs=zip_kwargs, expect=COORDINATOR),
}

# Values for the admin's URL parameters: the admin refuses before it looks at them.
ADMIN_KWARGS = {"app_label": "accounts", "object_id": "1", "id": "1", "content_type_id": "1"}


def admin_expectation(name: str) -> Expected:
    """The admin is for superusers only (mentorpact/admin_site.py): none of the personas is one."""
    if name == "admin:login":
        return 200  # the admin's sign-in form itself
    if name == "admin:logout":
        return Redirect("admin:index")  # Django's admin_view sends this one to the index
    return Redirect("admin:login", next=True)


@dataclass(frozen=True)
class Pattern:
    namespace: str
    name: str | None  # namespaced, "partnerships:detail"; None when the pattern has no name
    route: str
    pattern: URLPattern

    @property
    def label(self) -> str:
        return self.name or f"(a pattern without a name) {self.route}"

    @property
    def is_admin(self) -> bool:
        return self.namespace.split(":")[0] == "admin"

    @property
    def is_api_operation(self) -> bool:
        """An operation of the REST API: test_api_access_matrix.py probes each one (its
        method, with each persona's token), and fails for one it does not list."""
        return self.namespace == "api_v1" and self.name not in API_PAGES

    @property
    def kwarg_names(self) -> list[str]:
        route = self.pattern.pattern
        return list(getattr(route, "converters", {}) or route.regex.groupindex)


def url_patterns(resolver: URLResolver | None = None) -> list[Pattern]:
    """Every pattern of the URLconf, through every include(), with its namespaced name."""

    def walk(patterns, namespace: str, prefix: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(filter(None, [namespace, entry.namespace]))
                yield from walk(entry.url_patterns, inner, prefix + str(entry.pattern))
            else:
                name = ":".join(filter(None, [namespace, entry.name])) if entry.name else None
                yield Pattern(namespace, name, prefix + str(entry.pattern), entry)

    return list(walk((resolver or get_resolver()).url_patterns, "", ""))


def unlisted_patterns(resolver: URLResolver | None = None) -> list[str]:
    """Patterns outside the admin and the API's operations with no MATRIX entry (a pattern
    without a name has none)."""
    return sorted(
        p.label
        for p in url_patterns(resolver)
        if not p.is_admin and not p.is_api_operation and (p.name is None or p.name not in MATRIX)
    )


def describe(response) -> str:
    if response.status_code in (301, 302):
        return f"{response.status_code} to {response['Location']}"
    return str(response.status_code)


def mismatch(response, expected: Expected, path: str) -> str | None:
    """What is wrong with `response`, or None when it is what the matrix expects."""
    if isinstance(expected, int):
        wanted = str(expected)
        ok = response.status_code == expected
    else:
        location = reverse(expected.to)
        if expected.next:
            query = QueryDict(mutable=True)
            query["next"] = path
            location += "?" + query.urlencode(safe="/")
        wanted = f"302 to {location}"
        ok = response.status_code == 302 and response["Location"] == location
    return None if ok else f"expected {wanted}, got {describe(response)}"


class AccessMatrixTestCase(BaseTestCase):
    def probe(self, persona: str, method: str, path: str, data: dict):
        # A fresh client each time (a probed sign-out must not sign out the next probe), in a
        # savepoint rolled back afterwards: one persona's POST must not change what the next
        # one sees.
        with transaction.atomic():
            try:
                client = Client()
                if persona != "anonymous":
                    client.force_login(getattr(self, persona))
                return getattr(client, method)(path, data)
            finally:
                transaction.set_rollback(True)

    def test_every_url_pattern_has_an_entry(self):
        unlisted = unlisted_patterns()
        if unlisted:
            self.fail(
                "These URL patterns have no entry in MATRIX (mentorpact/tests/"
                "test_access_matrix.py; its docstring says how to add one): " + ", ".join(unlisted)
            )

    def test_every_entry_names_a_url_pattern_that_exists(self):
        names = {p.name for p in url_patterns()}
        self.assertEqual(sorted(set(MATRIX) - names), [])

    def test_every_entry_gives_every_persona(self):
        for name, probe in MATRIX.items():
            with self.subTest(name):
                self.assertEqual(sorted(probe.expect), sorted(PERSONAS))

    def test_olive_is_not_found_on_every_url_of_the_partnership_or_the_program(self):
        # An outsider must not learn that a partnership or program exists: 404, never 403.
        theirs = {self.partnership.public_id, self.program.public_id}
        for name, probe in MATRIX.items():
            if theirs & set(probe.kwargs(self).values()):
                with self.subTest(name):
                    self.assertEqual(probe.expect["olive"], 404)

    def test_every_persona_gets_what_the_matrix_says(self):
        problems = []
        for pattern in url_patterns():
            if pattern.name is None or (not pattern.is_admin and pattern.name not in MATRIX):
                continue  # unreversible, or reported by test_every_url_pattern_has_an_entry
            if pattern.is_admin:
                unknown = set(pattern.kwarg_names) - set(ADMIN_KWARGS)
                if unknown:
                    problems.append(f"{pattern.name}: add {sorted(unknown)} to ADMIN_KWARGS")
                    continue
                kwargs = {key: ADMIN_KWARGS[key] for key in pattern.kwarg_names}
                probe = Probe(expect=everyone(admin_expectation(pattern.name)))
            else:
                probe = MATRIX[pattern.name]
                kwargs = probe.kwargs(self)
            path = reverse(pattern.name, kwargs=kwargs)
            data = probe.data(self) if callable(probe.data) else probe.data
            for persona in PERSONAS:
                try:
                    response = self.probe(persona, probe.method, path, data)
                except Exception as exc:  # report every broken page, not only the first
                    problems.append(f"{pattern.name} as {persona}: raised {exc!r}")
                    continue
                problem = mismatch(response, probe.expect[persona], path)
                if problem:
                    problems.append(f"{pattern.name} as {persona}: {problem}")
        self.assertEqual(problems, [], "\n" + "\n".join(problems))


# A URLconf for the test below: a listed page, the admin, and pages nobody added to MATRIX.
_page = TemplateView.as_view(template_name="errors/404.html")
urlpatterns = [
    path("health/", views.health, name="health"),
    path("admin/", admin.site.urls),
    path("unlisted/", _page, name="unlisted"),
    path(
        "extra/",
        include(([path("page/", _page, name="page"), path("nameless/", _page)], "extra")),
    ),
]


class UnlistedPatternTestCase(BaseTestCase):
    @override_settings(ROOT_URLCONF=__name__)
    def test_the_check_names_every_pattern_missing_from_the_matrix(self):
        self.assertEqual(
            unlisted_patterns(),
            ["(a pattern without a name) extra/nameless/", "extra:page", "unlisted"],
        )
