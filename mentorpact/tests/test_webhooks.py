"""Webhooks from the event to the receiver (project-wide: the events come from partnerships
and support, above the webhooks app): emitted in the change's transaction, POSTed to
a receiver on 127.0.0.1, signed so it can tell, retried with backoff, given up, claimed by
one sender at a time."""

import json
import time
from datetime import timedelta

from django.conf import settings
from django.test import TestCase, override_settings
from django.utils import timezone

from mentorpact.audit.models import Event
from mentorpact.evaluations import services as evaluation_services
from mentorpact.evaluations.models import Response
from mentorpact.evaluations.tests import a_round, an_evaluation
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership
from mentorpact.progress.tests.base import ProgressMixin
from mentorpact.support import services as support
from mentorpact.test import BaseTestCase
from mentorpact.webhooks import sender, services, signing
from mentorpact.webhooks.models import Delivery, Endpoint
from mentorpact.webhooks.tests.receiver import Receiver


@override_settings(WEBHOOK_ALLOW_LOOPBACK=True)  # the receiver is on 127.0.0.1
class WebhookCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.receiver = Receiver().start()
        self.addCleanup(self.receiver.stop)
        self.endpoint, self.secret = services.add_endpoint(
            program=self.program,
            actor=self.cora,
            url=self.receiver.url,
            events=["partnership.status_changed", "concern.raised"],
        )

    def end_early(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            partnership_services.change_status(
                partnership=self.partnership, to_status="ended_early", actor=self.cora
            )


class DeliveryTest(WebhookCase):
    def test_a_status_change_reaches_the_receiver_signed(self):
        self.end_early()

        counts = sender.send_due()

        self.assertEqual(counts["sent"], 1)
        [got] = self.receiver.received
        body = json.loads(got.body)
        self.assertEqual(body["event"], "partnership.status_changed")
        self.assertEqual(body["program"], str(self.program.public_id))
        self.assertEqual(
            body["data"],
            body["data"]
            | {
                "partnership": str(self.partnership.public_id),
                "from_status": "drafting",
                "to_status": "ended_early",
            },
        )
        self.assertEqual(got.headers["Mentorpact-Event"], "partnership.status_changed")
        self.assertEqual(got.headers["Mentorpact-Delivery"], body["id"])
        self.assertTrue(
            signing.verify(
                self.secret,
                got.headers["Mentorpact-Signature"],
                got.body,
                now=int(time.time()),
                tolerance=settings.WEBHOOK_TOLERANCE_SECONDS,
            )
        )
        delivery = Delivery.objects.get()
        self.assertIsNotNone(delivery.sent_at)
        self.assertEqual(delivery.last_status, 200)

    def test_a_receiver_refuses_a_changed_body_a_wrong_secret_and_a_replay(self):
        self.end_early()
        sender.send_due()
        [got] = self.receiver.received
        header = got.headers["Mentorpact-Signature"]
        now = int(time.time())
        tolerance = settings.WEBHOOK_TOLERANCE_SECONDS

        self.assertFalse(
            signing.verify(self.secret, header, got.body + b" ", now=now, tolerance=tolerance)
        )
        self.assertFalse(
            signing.verify("whsec_other", header, got.body, now=now, tolerance=tolerance)
        )
        self.assertFalse(
            signing.verify(
                self.secret, header, got.body, now=now + tolerance + 1, tolerance=tolerance
            )
        )

    def test_a_request_for_help_is_announced_without_its_message(self):
        with self.captureOnCommitCallbacks(execute=True):
            support.raise_request(
                partnership=self.partnership,
                user=self.theo,
                kind="concern",
                message="CANARY-webhook-help",
                partner_may_know=False,
            )
        sender.send_due()

        [got] = self.receiver.received
        self.assertEqual(json.loads(got.body)["event"], "concern.raised")
        self.assertNotIn(b"CANARY", got.body)

    def test_a_closed_evaluation_is_announced_with_its_counts_only(self):
        evaluation = an_evaluation(self)
        asked = a_round(evaluation, self.partnership)
        Response.objects.create(
            round=asked,
            respondent=self.theo,
            role="mentee",
            answers={"comments": "CANARY-webhook-evaluation"},
            submitted_at=timezone.now(),
            updated_at=timezone.now(),
        )
        services.add_endpoint(
            program=self.program,
            actor=self.cora,
            url=self.receiver.url,
            events=["evaluation.closed"],
        )
        with self.captureOnCommitCallbacks(execute=True):
            evaluation_services.close_evaluation(evaluation=evaluation, actor=self.cora)
        sender.send_due()

        [got] = self.receiver.received
        body = json.loads(got.body)
        self.assertEqual(body["event"], "evaluation.closed")
        self.assertEqual(
            body["data"],
            {
                "evaluation": str(evaluation.public_id),
                "closed_at": body["data"]["closed_at"],
                "rounds": 1,
                "responses": 1,
            },
        )
        self.assertNotIn(b"CANARY", got.body)
        self.assertNotIn(self.theo.full_name.encode(), got.body)

    def test_only_subscribed_live_endpoints_get_a_delivery(self):
        other, _secret = services.add_endpoint(
            program=self.program,
            actor=self.cora,
            url=self.receiver.url,
            events=["agreement.signed"],
        )
        removed, _secret = services.add_endpoint(
            program=self.program,
            actor=self.cora,
            url=self.receiver.url,
            events=["partnership.status_changed"],
        )
        services.remove_endpoint(endpoint=removed, actor=self.cora)

        self.end_early()

        self.assertEqual(
            list(Delivery.objects.values_list("endpoint", flat=True)), [self.endpoint.pk]
        )

    def test_a_failure_is_retried_after_the_backoff_and_then_delivered(self):
        self.receiver.answers.extend([500])
        self.end_early()

        self.assertEqual(sender.send_due()["failed"], 1)
        delivery = Delivery.objects.get()
        self.assertEqual((delivery.attempts, delivery.last_status), (1, 500))
        self.assertIsNone(delivery.sent_at)
        wait = timedelta(seconds=settings.WEBHOOK_BACKOFF_SECONDS[0])
        self.assertAlmostEqual(
            delivery.due_at, delivery.failed_at + wait, delta=timedelta(seconds=1)
        )
        self.assertEqual(sender.send_due(), {"sent": 0, "failed": 0, "gave_up": 0})  # not yet due

        Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=1))
        self.assertEqual(sender.send_due()["sent"], 1)
        self.assertEqual(len(self.receiver.received), 2)
        # The same delivery twice: one id, so the receiver can take it once.
        ids = {got.headers["Mentorpact-Delivery"] for got in self.receiver.received}
        self.assertEqual(len(ids), 1)

    @override_settings(WEBHOOK_BACKOFF_SECONDS=[0, 0])
    def test_it_gives_up_after_the_last_wait_and_records_it(self):
        self.receiver.answers.extend([503, 503, 503])
        self.end_early()

        # No wait between tries here: one pass tries until it gives up.
        self.assertEqual(sender.send_due(), {"sent": 0, "failed": 2, "gave_up": 1})

        delivery = Delivery.objects.get()
        self.assertIsNotNone(delivery.gave_up_at)
        self.assertEqual(delivery.attempts, 3)
        self.assertTrue(Event.objects.filter(action="webhook.gave_up").exists())
        self.assertEqual(sender.send_due()["sent"], 0)

    def test_an_unreachable_receiver_counts_as_a_failure(self):
        self.end_early()
        self.receiver.stop()

        self.assertEqual(sender.send_due()["failed"], 1)
        self.assertIn("Error", Delivery.objects.get().last_error)


class ClaimTest(WebhookCase):
    def test_a_claimed_delivery_is_not_claimed_again_until_its_lease_runs_out(self):
        self.end_early()
        now = timezone.now()

        first = sender.claim(worker="a", now=now)
        second = sender.claim(worker="b", now=now)
        later = now + timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS + 1)
        third = sender.claim(worker="c", now=later)

        self.assertIsNotNone(first)
        self.assertIsNone(second)
        self.assertIsNotNone(third)
        # The first sender's lease was taken over: its mark no longer applies.
        assert first is not None
        self.assertEqual(sender.send(first[0], token=first[1]), "sent")
        self.assertIsNone(Delivery.objects.get().sent_at)


class EndpointRulesTest(BaseTestCase):
    def test_the_secret_is_stored_encrypted(self):
        endpoint, secret = services.add_endpoint(
            program=self.program,
            actor=self.cora,
            url="https://hr.example.org/hook",
            events=["agreement.signed"],
        )
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT secret FROM webhooks_endpoint WHERE id = %s", [endpoint.pk])
            (stored,) = cursor.fetchone()
        self.assertNotIn(secret, stored)
        self.assertEqual(type(endpoint).objects.get().secret, secret)


class PartnershipUnchangedTest(BaseTestCase):
    def test_a_status_change_without_endpoints_writes_no_delivery(self):
        partnership_services.change_status(
            partnership=self.partnership, to_status=Partnership.Status.ENDED_EARLY, actor=self.cora
        )
        self.assertFalse(Delivery.objects.exists())


class AgreementSignedTest(ProgressMixin, TestCase):
    def test_the_last_signature_emits_agreement_signed_with_its_hash(self):
        services.add_endpoint(
            program=self.program,
            actor=self.cora,
            url="https://hr.example.org/hooks",
            events=["agreement.signed"],
        )

        version = self.sign()

        [delivery] = Delivery.objects.all()
        self.assertEqual(delivery.event, "agreement.signed")
        self.assertEqual(
            delivery.payload["data"],
            delivery.payload["data"]
            | {
                "partnership": str(self.partnership.public_id),
                "version": version.number,
                "content_sha256": version.content_sha256,
            },
        )


class WebhooksPageTest(BaseTestCase):
    def url(self) -> str:
        return f"/programs/{self.program.public_id}/webhooks/"

    def test_the_coordinator_adds_an_endpoint_and_sees_its_secret_once(self):
        self.sign_in(self.cora)

        response = self.client.post(
            self.url(), {"url": "https://hr.example.org/hooks", "events": ["concern.raised"]}
        )

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "no-store")
        endpoint = Endpoint.objects.get()
        self.assertContains(response, endpoint.secret)
        again = self.client.get(self.url())
        self.assertContains(again, "https://hr.example.org/hooks")
        self.assertNotContains(again, endpoint.secret)

    def test_a_plain_http_address_is_refused_beside_the_field_and_kept(self):
        self.sign_in(self.cora)

        with override_settings(WEBHOOK_ALLOW_LOOPBACK=False):
            response = self.client.post(
                self.url(), {"url": "http://hr.example.org/hooks", "events": ["concern.raised"]}
            )

        self.assertContains(response, "https://", status_code=400)
        self.assertContains(response, 'value="http://hr.example.org/hooks"', status_code=400)
        self.assertFalse(Endpoint.objects.exists())

    def test_the_log_shows_each_delivery_and_its_answer(self):
        endpoint, _secret = services.add_endpoint(
            program=self.program,
            actor=self.cora,
            url="https://hr.example.org/hooks",
            events=["partnership.status_changed"],
        )
        partnership_services.change_status(
            partnership=self.partnership, to_status="ended_early", actor=self.cora
        )
        Delivery.objects.update(attempts=2, last_status=502)
        self.sign_in(self.cora)

        response = self.client.get(self.url())

        self.assertContains(response, "partnership.status_changed")
        self.assertContains(response, "Retrying")
        self.assertContains(response, "answer 502")

    def test_removing_an_endpoint_gives_up_what_it_still_had_due(self):
        endpoint, _secret = services.add_endpoint(
            program=self.program,
            actor=self.cora,
            url="https://hr.example.org/hooks",
            events=["partnership.status_changed"],
        )
        partnership_services.change_status(
            partnership=self.partnership, to_status="ended_early", actor=self.cora
        )
        self.sign_in(self.cora)

        response = self.client.post(f"{self.url()}{endpoint.public_id}/remove/")

        self.assertRedirects(response, self.url())
        self.assertIsNotNone(Delivery.objects.get().gave_up_at)
        self.assertEqual(sender.send_due()["sent"], 0)
