"""The migrations that encrypt confidential text at rest work on rows that exist: going back
they decrypt every token into the plain columns, going forward they encrypt them again, and
the product reads the same words afterwards (agreement content, a meeting's place, a plan)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.utils import timezone

from mentorpact.agreements.models import AgreementVersion
from mentorpact.meetings import services as meetings
from mentorpact.meetings.models import Meeting
from mentorpact.progress.models import PlanItem
from mentorpact.progress.tests.base import ProgressMixin
from mentorpact.tests.test_canary_at_rest import stored_values

CANARY = "CANARY-migrated-7e2a"
# Where each app was before its encryption migrations.
BEFORE = [
    ("agreements", "0003_delete_agreementevent"),
    ("meetings", "0003_delete_meetingevent"),
    ("progress", "0003_reminder_pending_index"),
]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


class EncryptionMigrationsTest(ProgressMixin, TransactionTestCase):
    def setUp(self):
        super().setUp()
        self.sign(mentee={"goal": f"Goal {CANARY}"})
        self.start_plan()
        meetings.schedule_meeting(
            partnership=self.partnership,
            user=self.theo,
            starts_at=timezone.now() + timezone.timedelta(days=2),
            time_zone="UTC",
            duration_minutes=60,
            mode="face_to_face",
            place=f"Room {CANARY}",
        )
        self.addCleanup(migrate, latest())  # whatever happens, the schema is left current

    def test_back_decrypts_and_forward_encrypts_the_existing_rows(self):
        leaves = latest()
        self.assertEqual(sum(CANARY in v for v in stored_values()), 0)

        migrate(BEFORE)
        plain = [v for v in stored_values() if CANARY in v]
        migrate(leaves)

        # Plain: the signed version's and the revisions' content, the plan item's goal
        # (copied from the agreement), the place.
        self.assertGreaterEqual(len(plain), 4)
        self.assertEqual([v for v in stored_values() if CANARY in v], [])
        version = AgreementVersion.objects.get(status="in_effect")
        self.assertEqual(version.content["goal"], f"Goal {CANARY}")
        self.assertIn(CANARY, PlanItem.objects.first().goal)
        self.assertEqual(Meeting.objects.get().place, f"Room {CANARY}")
