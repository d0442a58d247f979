"""lib.http.client_address: REMOTE_ADDR, unless a configured trusted proxy forwarded it."""

from django.test import RequestFactory, SimpleTestCase, override_settings

from mentorpact.lib.http import client_address


def request(remote: str, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else None
    return RequestFactory().get("/", headers=headers, REMOTE_ADDR=remote)


class ClientAddressTest(SimpleTestCase):
    @override_settings(TRUSTED_PROXIES=[])
    def test_without_trusted_proxies_the_header_is_ignored(self):
        self.assertEqual(client_address(request("192.0.2.1", "203.0.113.7")), "192.0.2.1")

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_behind_a_trusted_proxy_the_forwarded_client_counts(self):
        self.assertEqual(client_address(request("10.0.0.5", "203.0.113.7")), "203.0.113.7")

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_what_the_client_wrote_further_left_is_not_believed(self):
        forged = request("10.0.0.5", "198.51.100.99, 203.0.113.7, 10.0.0.9")
        self.assertEqual(client_address(forged), "203.0.113.7")

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_a_request_not_from_the_proxy_is_its_own_client(self):
        self.assertEqual(client_address(request("192.0.2.1", "203.0.113.7")), "192.0.2.1")

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_a_malformed_header_falls_back_to_the_proxy(self):
        self.assertEqual(client_address(request("10.0.0.5", "not-an-ip")), "10.0.0.5")
