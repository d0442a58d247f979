"""Closing works for every form: the five built-in forms (with and without an action plan
started) and a minimal form with no goals at all. What the page shows is exactly what it asks
for: a partner who fills in every field the page has can conclude, and the other confirm."""

import re

from django.test import override_settings
from django.urls import reverse

from mentorpact.agreement_templates.tests import set_template, submitted
from mentorpact.progress.models import ActionPlan, ClosingReview, MidpointReview
from mentorpact.progress.tests.base import ProgressTestCase, install_template, sign_agreement
from mentorpact.progress.tests.test_closing import IMMEDIATE_TASKS

NO_GOALS = """\
format: 1
slug: no-goals
title: A short agreement
signers: [mentor, mentee]
rules: {distribution: pair}
sections:
  - key: terms
    heading: Terms
    blocks:
      - {key: topic, kind: text, label: What we will talk about, required: true}
      - signatures: {}
"""


def form_at(html: str, action: str) -> str:
    """The HTML of the page's form posting to `action`."""
    start = html.index(f'action="{action}"')
    return html[start : html.index("</form>", start)]


def answered(html: str, action: str, **values) -> dict:
    """What a partner sends after answering every question of the form posting to `action`:
    "met" (or "on_track") for every goal row shown, and `values`."""
    part = form_at(html, action)
    data = submitted("<form " + part + "</form>").dict()
    for name in set(re.findall(r'name="(outcome_[0-9a-f-]+)"', part)):
        data[name] = "met"
    for name in set(re.findall(r'name="(assessment_[0-9a-f-]+)"', part)):
        data[name] = "on_track"
    return {**data, **values}


@override_settings(TASKS=IMMEDIATE_TASKS)
class ClosingTestBase(ProgressTestCase):
    """Run for one form (see the classes below)."""

    __test__ = False
    no_goals = False

    def setUp(self) -> None:
        super().setUp()
        if self.no_goals:
            set_template(self.program, install_template("no-goals", NO_GOALS))
            sign_agreement(self.partnership, {"mentee": {"topic": "Careers"}})
        else:
            self.sign()
        self.code = self.partnership.public_id

    def post(self, user, url, data):
        self.sign_in(user)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, data)

    def close(self, decision: str) -> None:
        """Mia proposes `decision` answering every question the page asks; Theo confirms."""
        url = reverse("progress:closing", args=[self.code])
        self.sign_in(self.mia)
        page = self.client.get(url).content.decode()
        self.assertNotIn("Say whether this goal was met.", page)
        unplanned = not self.no_goals and not ActionPlan.objects.exists()
        self.assertEqual("You have not started the action plan" in page, unplanned)
        data = answered(page, url, decision=decision, learning="Patience.")
        self.assertRedirects(self.post(self.mia, url, data), url)
        self.sign_in(self.theo)
        page = self.client.get(url).content.decode()
        confirm = reverse("progress:confirm_closing", args=[self.code])
        data = answered(page, confirm, learning="Asking for help.")
        self.assertRedirects(self.post(self.theo, confirm, data), url)
        review = ClosingReview.objects.get()
        self.assertEqual(review.status, "confirmed")
        self.assertEqual(review.mentee_learning, "Asking for help.")

    def test_its_reviews_are_taken_and_it_concludes_without_an_action_plan(self):
        url = reverse("progress:midpoint", args=[self.code])
        self.sign_in(self.theo)
        page = self.client.get(url).content.decode()
        data = answered(page, url, overall="Fine", change_course="no")
        self.assertRedirects(self.post(self.theo, url, data), url)
        self.assertEqual(MidpointReview.objects.get().author, self.theo)

        self.close("conclude")
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, "concluded")
        self.assertFalse(ActionPlan.objects.exists())

    def test_it_continues_with_an_action_plan_rating_each_goal(self):
        items = list(self.start_plan().items.all())
        self.close("continue")
        self.assertEqual(self.partnership.agreements.count(), 2)
        outcomes = ClosingReview.objects.get().outcomes
        self.assertEqual(sorted(outcomes), sorted(str(item.public_id) for item in items))
        self.assertEqual(
            {answer["outcome"] for answer in outcomes.values()}, {"met"} if items else set()
        )


class AspeClosingTest(ClosingTestBase):
    __test__ = True
    slug = "aspe-partnership"


class WhprmsClosingTest(ClosingTestBase):
    __test__ = True
    slug = "whprms-partnership"


class RedClosingTest(ClosingTestBase):
    __test__ = True
    slug = "red-peer-mentoring"


class UniversityClosingTest(ClosingTestBase):
    __test__ = True
    slug = "university-pilot"


class RemoteClosingTest(ClosingTestBase):
    __test__ = True
    slug = "remote-planning"


class NoGoalsClosingTest(ClosingTestBase):
    __test__ = True
    no_goals = True
