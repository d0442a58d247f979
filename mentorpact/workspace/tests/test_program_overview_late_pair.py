"""The program overview (rows and the SQL totals) holds a pair paired late to its own
agreement due date (issue 9, item 5). Moved from pairing/tests/test_agreement_due_date.py:
the overview is a workspace page, above pairing."""

from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from mentorpact.pairing.tests.test_agreement_due_date import LatePairMixin
from mentorpact.workspace import selectors as workspace_selectors


class OverviewLatePairTestCase(LatePairMixin):
    def test_the_overview_shows_it_and_does_not_count_the_pair_overdue_on_the_programs_date(self):
        with time_machine.travel(datetime(2027, 3, 1, 12, tzinfo=UTC), tick=False):
            self.client.force_login(self.cora)
            content = self.client.get(
                reverse("programs:overview", args=[self.program.public_id])
            ).content.decode()
            overdue = workspace_selectors.attention_querysets(self.program).overdue_agreements
            overdue_ids = set(overdue.values_list("pk", flat=True))
        self.assertIn('Not started<br><span class="meta">due 20 Mar 2027</span>', content)
        # Theo's partnership is held to the program's 23 February; Nina's is not late yet.
        self.assertEqual(overdue_ids, {self.partnership.pk})

    def test_the_overview_counts_the_pair_overdue_after_its_own_date(self):
        with time_machine.travel(datetime(2027, 3, 21, 12, tzinfo=UTC), tick=False):
            overdue = workspace_selectors.attention_querysets(self.program).overdue_agreements
            self.assertIn(self.late.pk, set(overdue.values_list("pk", flat=True)))
