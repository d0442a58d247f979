"""The walk every canary test makes: every URL pattern of the project (as the access matrix
enumerates them, with the matrix's own arguments), by GET plain and as each htmx fragment,
and with the matrix's POST, as one person; each response's body and headers searched for
the planted canaries.

A test case mixes in `CanaryWalk`, plants its canaries in `setUp` (setting the attributes
the matrix's probes read), adds its own URLs by overriding `extra_requests`, and asserts on
what `walk` returns: the labels of the pages reached (so the test can fail: the walk really
got there) and every leak.
"""

from collections.abc import Iterable, Iterator
from typing import cast

from django.db import transaction
from django.test import Client
from django.urls import reverse

from mentorpact.tests import test_access_matrix as matrix

# Fragments the pages render for htmx, by their target's id.
HTMX_TARGETS = ("", "notes", "feed", "form", "partnership-list")
# Signing out would end the walk; it shows nothing.
SKIP = {"accounts:logout"}

Request = tuple[str, str, str, dict]


class CanaryWalk:
    client: Client  # the test case's

    def extra_requests(self) -> Iterable[Request]:
        """(label, method, path, data) beyond the matrix's: a page's filters, a feed."""
        return ()

    def requests(self) -> Iterator[Request]:
        """(label, method, path, data) for every URL pattern, then `extra_requests`."""
        # The probes read the personas and records a test case sets up, as the matrix's does.
        case = cast(matrix.AccessMatrixTestCase, self)
        for pattern in matrix.url_patterns():
            if pattern.is_admin or pattern.name not in matrix.MATRIX or pattern.name in SKIP:
                continue
            probe = matrix.MATRIX[pattern.name]
            path = reverse(pattern.name, kwargs=probe.kwargs(case))
            yield pattern.name, "get", path, {}
            if probe.method == "post":
                data = probe.data(case) if callable(probe.data) else probe.data
                yield pattern.name, "post", path, data
        yield from self.extra_requests()

    def walk(
        self, user, canaries: tuple[str, ...], allowed: frozenset[str] | set[str] = frozenset()
    ) -> tuple[list[str], list[str]]:
        """Walk as `user`: the labels answered 200, and each leak of a canary outside the
        `allowed` labels (the pages where that person reads it by design)."""
        self.client.force_login(user)
        reached, leaks = [], []
        for label, method, path, data in self.requests():
            for target in HTMX_TARGETS if method == "get" else ("",):
                headers = {"HX-Request": "true", "HX-Target": target} if target else {}
                with transaction.atomic():  # a POST must not change what the next one sees
                    response = getattr(self.client, method)(path, data, headers=headers)
                    transaction.set_rollback(True)
                body = b"".join(response) if response.streaming else response.content
                if response.status_code == 200:
                    reached.append(label)
                if label in allowed:
                    continue
                for canary in canaries:
                    if canary.encode() in body or canary in str(response.headers):
                        leaks.append(
                            f"{canary}: {method.upper()} {path} ({label}, htmx target {target!r})"
                        )
        return reached, leaks
