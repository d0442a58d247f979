"""No request forgery through a webhook: an endpoint may not reach this machine, its private
networks, link-local or metadata addresses, multicast or reserved ranges, in any spelling
of the address, neither when it is registered nor when a delivery resolves its name later
(DNS rebinding). No test here sends a packet anywhere but 127.0.0.1: a refused address is
refused before any connection, and `no_connection` fails a test that would connect."""

import ipaddress
import socket
from contextlib import contextmanager
from unittest import mock

from django.test import SimpleTestCase, override_settings

from mentorpact.test import BaseTestCase
from mentorpact.webhooks import addresses, sender, services
from mentorpact.webhooks.models import Delivery
from mentorpact.webhooks.tests.receiver import Receiver

# Every refused class, with addresses in each spelling an attacker might try.
REFUSED = {
    "a cloud metadata address": ["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254"],
    "a loopback address (this server itself)": [
        "127.0.0.1",
        "127.1.2.3",
        "::1",
        "::ffff:127.0.0.1",
        "::127.0.0.1",  # IPv4-compatible (deprecated)
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
    ],
    "the unspecified address (this server itself)": ["0.0.0.0", "::", "::ffff:0.0.0.0"],
    "a link-local address": ["169.254.1.1", "fe80::1"],
    "a multicast address": ["224.0.0.1", "239.255.255.250", "ff02::1", "::ffff:224.0.0.1"],
    "a private network address": [
        "10.0.0.5",
        "172.16.0.1",
        "172.31.255.254",
        "192.168.1.1",
        "fc00::1",
        "fd12:3456::1",
        "fec0::1",  # IPv6 site-local (deprecated)
        "::ffff:10.0.0.5",
        "::ffff:a00:5",
        "64:ff9b::a00:5",
        "2002:c0a8:101::",
    ],
    "a shared (carrier-grade NAT) address": ["100.64.0.1", "100.127.255.254"],
    "a reserved or special-purpose address": [
        "240.0.0.1",
        "255.255.255.255",
        "0.1.2.3",
        "192.0.2.1",  # documentation
        "198.18.0.1",  # benchmarking
        "2001:db8::1",  # documentation
        "100::1",  # discard-only
    ],
}
PUBLIC = ["93.184.216.34", "2606:4700::6810:84e5", "::ffff:93.184.216.34", "2002:5db8:d822::"]


@contextmanager
def dns(names: dict[str, list[str]]):
    """The resolver answers `names` (a list per call; the last repeats; "" is "no such
    name") and counts the questions; every other name (127.0.0.1 for the receiver) is the
    real resolver's."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in names:
            return real(host, port, *args, **kwargs)
        asked.append(host)
        answers = names[host]
        answer = answers[min(len(asked) - 1, len(answers) - 1)]
        if not answer:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        results = []
        for address in answer.split(","):
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
            results.append((family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr))
        return results

    with mock.patch("socket.getaddrinfo", getaddrinfo):
        yield asked


@contextmanager
def no_connection():
    """Fails the test if anything connects anywhere (the sender's failure path would hide
    the AssertionError, so the test asserts on the mock too)."""
    with mock.patch("socket.create_connection", side_effect=AssertionError("connected")) as conn:
        yield conn
    assert not conn.called, conn.call_args


class RefusalTest(SimpleTestCase):
    def test_each_class_of_address_is_refused_with_its_name(self):
        for phrase, spellings in REFUSED.items():
            for spelling in spellings:
                with self.subTest(spelling):
                    address = ipaddress.ip_address(spelling)
                    self.assertEqual(addresses.refusal(address, allow_loopback=False), phrase)

    def test_public_addresses_are_taken(self):
        for spelling in PUBLIC:
            with self.subTest(spelling):
                address = ipaddress.ip_address(spelling)
                self.assertIsNone(addresses.refusal(address, allow_loopback=False))

    def test_loopback_is_taken_only_when_allowed_and_nothing_else_private_is(self):
        for spelling in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
            self.assertIsNone(
                addresses.refusal(ipaddress.ip_address(spelling), allow_loopback=True)
            )
        for phrase, spellings in REFUSED.items():
            if "loopback" in phrase:
                continue
            for spelling in spellings:
                with self.subTest(spelling):
                    address = ipaddress.ip_address(spelling)
                    self.assertEqual(addresses.refusal(address, allow_loopback=True), phrase)

    def test_the_resolvers_shorthand_spellings_are_read_as_addresses(self):
        # inet_aton reads these as 127.0.0.1 and 10.0.0.5; so would a connection.
        for spelling in ("127.1", "2130706433", "0x7f000001", "0177.0.0.1"):
            self.assertEqual(addresses.literal(spelling), ipaddress.ip_address("127.0.0.1"))
        self.assertEqual(addresses.literal("10.5"), ipaddress.ip_address("10.0.0.5"))
        self.assertIsNone(addresses.literal("hr.example.org"))


@override_settings(WEBHOOK_ALLOW_LOOPBACK=False)
class RegistrationTest(BaseTestCase):
    def problem(self, url: str) -> str:
        with no_connection():
            return services.url_problem(url) or ""

    def test_every_refused_class_is_refused_when_registered(self):
        for phrase, spellings in REFUSED.items():
            for spelling in spellings:
                host = f"[{spelling}]" if ":" in spelling else spelling
                with self.subTest(spelling):
                    self.assertIn(phrase, self.problem(f"https://{host}/hook"))

    def test_a_name_that_resolves_to_a_private_address_is_refused(self):
        with dns({"intranet.example.org": ["10.1.2.3"]}):
            problem = self.problem("https://intranet.example.org/hook")

        self.assertEqual(
            problem,
            "Deliveries go to public internet addresses only: intranet.example.org (10.1.2.3) "
            "is a private network address.",
        )

    def test_a_name_with_one_private_address_among_public_ones_is_refused(self):
        with dns({"mixed.example.org": ["93.184.216.34,::ffff:192.168.0.10"]}):
            self.assertIn("private network", self.problem("https://mixed.example.org/hook"))

    def test_shorthand_spellings_localhost_and_metadata_names_are_refused(self):
        self.assertIn("loopback", self.problem("https://2130706433/hook"))
        self.assertIn("loopback", self.problem("https://0x7f.0.0.1/hook"))
        self.assertIn("localhost", self.problem("https://localhost:8443/hook"))
        self.assertIn("localhost", self.problem("https://api.localhost/hook"))
        self.assertIn("metadata", self.problem("https://metadata.google.internal/computeMetadata"))

    def test_a_public_address_and_an_unresolvable_name_are_taken(self):
        # A name that does not resolve today is checked again at every delivery.
        with dns({"hr.example.org": ["93.184.216.34"]}):
            self.assertEqual(self.problem("https://hr.example.org/hook"), "")
        with dns({"not-yet.example.org": [""]}):
            self.assertEqual(self.problem("https://not-yet.example.org/hook"), "")

    def test_credentials_in_the_address_and_a_bad_port_are_refused(self):
        self.assertIn("user name", self.problem("https://user:pw@hr.example.org/hook"))
        self.assertIn("port", self.problem("https://hr.example.org:99999/hook"))

    def test_loopback_is_refused_unless_the_setting_allows_it(self):
        self.assertIn("https://", self.problem("http://127.0.0.1:8080/hook"))
        self.assertIn("loopback", self.problem("https://127.0.0.1:8443/hook"))
        with override_settings(WEBHOOK_ALLOW_LOOPBACK=True):
            self.assertEqual(self.problem("http://127.0.0.1:8080/hook"), "")
            self.assertEqual(self.problem("http://[::1]:8080/hook"), "")
            self.assertEqual(self.problem("https://localhost:8443/hook"), "")
            self.assertIn("private network", self.problem("https://10.0.0.5/hook"))
            self.assertIn("metadata", self.problem("https://169.254.169.254/hook"))
            self.assertIn("https://", self.problem("http://10.0.0.5/hook"))

    def test_the_page_says_why_beside_the_field_and_keeps_the_address(self):
        self.sign_in(self.cora)
        url = "https://169.254.169.254/latest/meta-data/"

        response = self.client.post(
            f"/programs/{self.program.public_id}/webhooks/",
            {"url": url, "events": ["concern.raised"]},
        )

        self.assertContains(response, "is a cloud metadata address", status_code=400)
        self.assertContains(response, f'value="{url}"', status_code=400)
        self.assertFalse(self.program.webhooks.exists())


class DeliveryTimeTest(BaseTestCase):
    def emit(self) -> Delivery:
        [pk] = services.emit(
            program_id=self.program.pk, event="concern.raised", data={"kind": "concern"}
        )
        return Delivery.objects.get(pk=pk)

    def endpoint(self, url: str, names: dict[str, list[str]] | None = None) -> None:
        with dns(names or {}):
            services.add_endpoint(
                program=self.program, actor=self.cora, url=url, events=["concern.raised"]
            )

    def test_a_name_that_resolves_to_a_private_address_by_then_is_not_called(self):
        # Public when registered, private when delivered: DNS rebinding.
        self.endpoint("https://hooks.example.org/in", {"hooks.example.org": ["93.184.216.34"]})
        delivery = self.emit()

        with dns({"hooks.example.org": ["10.0.0.5"]}), no_connection():
            self.assertEqual(sender.send_due()["failed"], 1)

        delivery.refresh_from_db()
        self.assertIsNone(delivery.sent_at)
        self.assertEqual(
            delivery.last_error,
            "Refused: hooks.example.org (10.0.0.5) is a private network address.",
        )

    def test_the_webhooks_page_says_why_a_delivery_was_not_sent(self):
        self.endpoint("https://hooks.example.org/in", {"hooks.example.org": ["93.184.216.34"]})
        self.emit()
        with dns({"hooks.example.org": ["169.254.169.254"]}), no_connection():
            sender.send_due()
        self.sign_in(self.cora)

        response = self.client.get(f"/programs/{self.program.public_id}/webhooks/")

        self.assertContains(
            response, "Not sent: hooks.example.org (169.254.169.254) is a cloud metadata address."
        )

    def test_each_refused_class_is_refused_at_delivery_too(self):
        self.endpoint("https://hooks.example.org/in", {"hooks.example.org": ["93.184.216.34"]})
        delivery = self.emit()
        for phrase, spellings in REFUSED.items():
            with self.subTest(phrase), dns({"hooks.example.org": [spellings[-1]]}):
                Delivery.objects.update(due_at=delivery.created_at, gave_up_at=None)
                with no_connection():
                    sender.send_due()
                delivery.refresh_from_db()
                self.assertIn(phrase, delivery.last_error)

    def test_loopback_registered_while_allowed_is_refused_once_it_is_not(self):
        with override_settings(WEBHOOK_ALLOW_LOOPBACK=True):
            self.endpoint("https://127.0.0.1:8443/hook")
        delivery = self.emit()

        with override_settings(WEBHOOK_ALLOW_LOOPBACK=False), no_connection():
            sender.send_due()

        delivery.refresh_from_db()
        self.assertIn("loopback", delivery.last_error)


@override_settings(WEBHOOK_ALLOW_LOOPBACK=True)
class PinnedConnectionTest(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.receiver = Receiver(tls_name="hooks.test").start()
        self.addCleanup(self.receiver.stop)
        patcher = mock.patch.object(sender, "tls_context", self.receiver.trust)
        patcher.start()
        self.addCleanup(patcher.stop)

    def deliver(self, url: str, *answers: str) -> tuple[Delivery, list[str]]:
        name = url.split("/")[2].split(":")[0]
        with dns({name: ["127.0.0.1"]}):
            services.add_endpoint(
                program=self.program, actor=self.cora, url=url, events=["concern.raised"]
            )
        [pk] = services.emit(program_id=self.program.pk, event="concern.raised", data={})
        # Later questions would get a private address: the sender must not ask again.
        with dns({name: [*answers, "10.0.0.5"]}) as asked:
            sender.send_due()
        return Delivery.objects.get(pk=pk), asked

    def test_it_resolves_once_connects_there_and_keeps_the_name_for_tls_and_host(self):
        delivery, asked = self.deliver(self.receiver.url, "127.0.0.1")

        self.assertIsNotNone(delivery.sent_at, delivery.last_error)
        self.assertEqual(asked, ["hooks.test"])
        self.assertEqual(self.receiver.server_names, ["hooks.test"])
        [got] = self.receiver.received
        self.assertEqual(got.headers["Host"], f"hooks.test:{self.receiver.port}")
        self.assertEqual(got.path, "/hooks")

    def test_the_certificate_must_name_the_endpoints_host(self):
        # Connecting to a vetted address does not skip checking whom TLS reached.
        delivery, _asked = self.deliver(
            f"https://other.test:{self.receiver.port}/hooks", "127.0.0.1"
        )

        self.assertIsNone(delivery.sent_at)
        self.assertIn("certificate", delivery.last_error.lower())
        self.assertEqual(self.receiver.received, [])


@override_settings(WEBHOOK_ALLOW_LOOPBACK=True)
class RedirectTest(BaseTestCase):
    def test_a_redirect_is_a_failure_and_is_not_followed(self):
        receiver = Receiver(redirect_to="http://169.254.169.254/latest/meta-data/").start()
        self.addCleanup(receiver.stop)
        receiver.answers.extend([302])
        services.add_endpoint(
            program=self.program, actor=self.cora, url=receiver.url, events=["concern.raised"]
        )
        [pk] = services.emit(program_id=self.program.pk, event="concern.raised", data={})

        self.assertEqual(sender.send_due()["failed"], 1)

        delivery = Delivery.objects.get(pk=pk)
        self.assertEqual(delivery.last_status, 302)
        self.assertEqual(len(receiver.received), 1)
