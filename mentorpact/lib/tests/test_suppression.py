"""The one rule for numbers about people (lib.suppression), which the dashboard and the
evaluations' pages both follow (their own tests check their outputs)."""

from django.test import SimpleTestCase

from mentorpact.lib import suppression


class SuppressionTest(SimpleTestCase):
    def test_a_count_of_one_to_four_people_is_never_shown(self):
        for n in range(1, 5):
            with self.subTest(n=n):
                self.assertTrue(suppression.too_few(n))
                self.assertIsNone(suppression.shown(n))
                self.assertEqual(suppression.text(n), "fewer than 5")
        for n in (0, 5, 6, 1000):
            with self.subTest(n=n):
                self.assertFalse(suppression.too_few(n))
                self.assertEqual(suppression.shown(n), n)
                self.assertEqual(suppression.text(n), str(n))

    def test_a_number_is_judged_by_the_people_it_is_about(self):
        # Twelve meetings held by three pairs: about three pairs, so not shown.
        self.assertIsNone(suppression.shown(12, people=3))
        self.assertEqual(suppression.text(12, people=3), "fewer than 5")
        self.assertEqual(suppression.shown(3, people=7), 3)

    def test_an_aggregate_of_answers_needs_five_and_leaves_none_or_five(self):
        self.assertFalse(suppression.aggregate_shown(0))
        self.assertFalse(suppression.aggregate_shown(4))
        self.assertTrue(suppression.aggregate_shown(5))
        self.assertTrue(suppression.aggregate_shown(5, 5))
        self.assertTrue(suppression.aggregate_shown(5, 10))
        # Five mentors of eight partners: the mentees' three answers would be the difference.
        self.assertFalse(suppression.aggregate_shown(5, 8))
        self.assertTrue(suppression.aggregate_shown(9, 9))

    def test_a_rate_is_shown_only_when_both_counts_are(self):
        self.assertEqual(suppression.rate(5, 10), 50)
        self.assertEqual(suppression.rate(0, 10), 0)
        self.assertIsNone(suppression.rate(4, 10))
        self.assertIsNone(suppression.rate(2, 2))
        self.assertIsNone(suppression.rate(0, 0))
