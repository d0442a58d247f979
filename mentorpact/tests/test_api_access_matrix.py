"""The REST API's access matrix: every operation of /api/v1/ (as its OpenAPI schema lists
them), requested with every persona's token.

An operation without an entry in OPERATIONS fails `test_every_operation_has_an_entry`, which
names it. An entry is keyed "METHOD /path" as the schema spells it and gives each persona
(anonymous: no token; olive, cora, mia, theo: read-and-write tokens; cora_read: Cora's
read-only token) the status it must get. The path's parameters come from
`api.tests.access.path_values` (the persona program, partnership, its signed agreement, an
event); `body` is a POST's JSON. The API must agree with the pages' matrix
(test_access_matrix.py): an outsider 404, the wrong role 403, and a read token 403 on
every write.

Each request runs in a savepoint that is rolled back, so one persona's POST never changes
what the next persona sees.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.test import Client, SimpleTestCase, TestCase

from mentorpact.api.tests.access import PERSONAS, api_objects, issue_tokens, path_values
from mentorpact.api.v1 import api
from mentorpact.progress.tests.base import ProgressMixin

PREFIX = "/api/v1"


@dataclass(frozen=True)
class Op:
    expect: dict[str, int]
    body: dict = field(default_factory=dict)


def everyone(status: int) -> dict[str, int]:
    return {"anonymous": 401} | dict.fromkeys(PERSONAS[1:], status)


# The program's coordinators (both of Cora's tokens); partners 403, the outsider 404.
COORDINATOR = {"anonymous": 401, "olive": 404, "cora": 200, "mia": 403, "theo": 403}
COORDINATOR["cora_read"] = 200
# The partners and the program's coordinators.
PARTNERSHIP = {"anonymous": 401, "olive": 404, "cora": 200, "mia": 200, "theo": 200}
PARTNERSHIP["cora_read"] = 200
# The partners only (confidential pages): the coordinator 403.
PARTNERS = PARTNERSHIP | {"cora": 403, "cora_read": 403}

NEW_PERSON = {"email": "nina@example.org", "full_name": "Nina New", "role": "mentee"}

OPERATIONS: dict[str, Op] = {
    "GET /me": Op(everyone(200)),
    # Everyone signed in has a list: a partner's is empty.
    "GET /programs": Op(everyone(200)),
    "GET /programs/{program_id}": Op(COORDINATOR),
    "GET /programs/{program_id}/roster": Op(COORDINATOR),
    "GET /programs/{program_id}/invitations": Op(COORDINATOR),
    # A write: the read-only token is refused.
    "POST /programs/{program_id}/invitations": Op(
        COORDINATOR | {"cora": 201, "cora_read": 403}, body=NEW_PERSON
    ),
    "GET /programs/{program_id}/pairings": Op(COORDINATOR),
    "GET /programs/{program_id}/partnerships": Op(COORDINATOR),
    "GET /programs/{program_id}/events": Op(COORDINATOR),
    "GET /partnerships/{partnership_id}": Op(PARTNERSHIP),
    "GET /partnerships/{partnership_id}/agreements": Op(PARTNERSHIP),
    # ASPE returns signed agreements to the program: Cora may download it (a pair-only
    # template's 403 is in api/tests/test_agreements.py).
    "GET /partnerships/{partnership_id}/agreements/{agreement}/versions/{number}/pdf": Op(
        PARTNERSHIP
    ),
    "GET /partnerships/{partnership_id}/meetings": Op(PARTNERS),
    # Its invitees (Mia, Theo) and the program's coordinators.
    "GET /events/{event_id}": Op(PARTNERSHIP),
    "GET /events/{event_id}/attendance": Op(COORDINATOR),
    "GET /programs/{program_id}/evaluations": Op(COORDINATOR),
    "GET /evaluations/{evaluation_id}/summary": Op(COORDINATOR),
}


def schema_operations() -> list[str]:
    paths = api.get_openapi_schema()["paths"]
    return sorted(
        f"{method.upper()} {path.removeprefix(PREFIX)}"
        for path, methods in paths.items()
        for method in methods
    )


class ApiCase(ProgressMixin, TestCase):
    """The persona program with its API objects and every persona's token."""

    def setUp(self) -> None:
        super().setUp()
        api_objects(self)
        self.tokens = issue_tokens(self)

    def call(self, persona: str, key: str, body: dict | None = None, *, rollback: bool = True):
        method, template = key.split(" ", 1)
        path = PREFIX + template.format(**path_values(self))
        headers = (
            {"Authorization": f"Bearer {self.tokens[persona]}"} if persona != "anonymous" else {}
        )
        with transaction.atomic():
            try:
                client = Client()
                if method == "POST":
                    return client.post(
                        path, body or {}, content_type="application/json", headers=headers
                    )
                return getattr(client, method.lower())(path, headers=headers)
            finally:
                transaction.set_rollback(rollback)


class ApiAccessMatrixEntriesTest(SimpleTestCase):
    def test_every_operation_has_an_entry(self):
        missing = sorted(set(schema_operations()) - set(OPERATIONS))
        if missing:
            self.fail(
                "These API operations have no entry in OPERATIONS (mentorpact/tests/"
                "test_api_access_matrix.py): " + ", ".join(missing)
            )

    def test_every_entry_names_an_operation_that_exists(self):
        self.assertEqual(sorted(set(OPERATIONS) - set(schema_operations())), [])

    def test_every_entry_gives_every_persona(self):
        for key, op in OPERATIONS.items():
            with self.subTest(key):
                self.assertEqual(sorted(op.expect), sorted(PERSONAS))

    def test_olive_is_not_found_wherever_she_names_the_persona_program_or_partnership(self):
        for key, op in OPERATIONS.items():
            if "{" in key:
                with self.subTest(key):
                    self.assertEqual(op.expect["olive"], 404)


class ApiAccessMatrixTest(ApiCase):
    def test_every_persona_gets_what_the_matrix_says(self):
        problems = []
        for key, op in OPERATIONS.items():
            for persona in PERSONAS:
                # A GET changes nothing a later persona sees (only the audit trail and the
                # token's use): kept, so the signed PDF is sealed once, not once a persona.
                response = self.call(persona, key, op.body, rollback=key.startswith("POST"))
                if response.status_code != op.expect[persona]:
                    problems.append(
                        f"{key} as {persona}: expected {op.expect[persona]}, got "
                        f"{response.status_code} {response.content[:200]!r}"
                    )
        self.assertEqual(problems, [], "\n" + "\n".join(problems))
