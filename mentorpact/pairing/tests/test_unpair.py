from django.core import mail
from django.test import override_settings

from mentorpact.agreements.models import Signature
from mentorpact.pairing import selectors, services
from mentorpact.pairing.services import PairingError
from mentorpact.pairing.tests import IMMEDIATE_TASKS
from mentorpact.partnerships.models import Partnership, PartnershipAction
from mentorpact.partnerships.selectors import closed_message
from mentorpact.progress.tests.base import (
    CONTENT,
    ProgressTestCase,
    schedule_meeting,
    sign_agreement,
)
from mentorpact.test import events_of


@override_settings(TASKS=IMMEDIATE_TASKS)
class UnpairTestCase(ProgressTestCase):
    def unpair(self) -> Partnership:
        return services.unpair(partnership=self.partnership, actor=self.cora)

    def test_it_undoes_a_pairing_nobody_signed_for_and_writes_the_event(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.unpair()
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, Partnership.Status.UNPAIRED)
        event = events_of(self.partnership).get(action=PartnershipAction.STATUS_CHANGED)
        self.assertEqual(
            event.details, {"from_status": "drafting", "to_status": "unpaired", "undone": True}
        )
        self.assertEqual(event.actor, self.cora)
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), [self.mia.email, self.theo.email])
        self.assertIn("undone your pairing with Theo Mentee", mail.outbox[0].body)

    def test_its_meetings_still_to_come_are_cancelled_in_both_calendars(self):
        meeting = schedule_meeting(self.partnership)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            self.unpair()
        meeting.refresh_from_db()
        self.assertEqual((meeting.status, meeting.sequence), ("cancelled", 1))
        cancelled = [m for m in mail.outbox if "cancelled" in m.subject]
        self.assertEqual(sorted(m.to[0] for m in cancelled), [self.mia.email, self.theo.email])
        self.assertIn("METHOD:CANCEL", cancelled[0].attachments[0][1])

    def test_the_mentee_waits_again_and_the_record_is_closed(self):
        self.unpair()
        waiting = selectors.waiting_mentees(self.program).rows
        self.assertEqual([row.user for row in waiting], [self.theo])
        self.assertIn("This pairing was undone", closed_message(self.partnership, fresh=True))

    def test_a_draft_begun_without_signatures_can_still_be_undone(self):
        from mentorpact.agreements import services as agreement_services

        agreement_services.start_agreement(partnership=self.partnership, actor=self.mia)
        self.unpair()
        self.assertEqual(self.partnership.status, Partnership.Status.UNPAIRED)

    def test_it_refuses_once_the_agreement_is_signed(self):
        sign_agreement(self.partnership, CONTENT[self.slug])
        self.partnership.refresh_from_db()
        with self.assertRaises(PairingError) as refused:
            self.unpair()
        self.assertIn("only a pairing still drafting", refused.exception.messages[0])
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, Partnership.Status.ACTIVE)

    def test_it_refuses_after_one_signature_even_while_drafting(self):
        sign_agreement(self.partnership, CONTENT[self.slug])
        # As if one partner had signed and the other not yet: the partnership still drafts.
        Partnership.objects.filter(pk=self.partnership.pk).update(status="drafting")
        self.partnership.refresh_from_db()
        self.assertTrue(Signature.objects.exists())
        with self.assertRaises(PairingError) as refused:
            self.unpair()
        self.assertIn("Someone has signed", refused.exception.messages[0])
        self.assertFalse(events_of(self.partnership).filter(details__to_status="unpaired").exists())
