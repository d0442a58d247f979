import uuid

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mentorpact.partnerships.selectors import get_partnership_for_partner, get_partnership_for_user
from mentorpact.test import BaseTestCase


class PartnershipAccessTestCase(BaseTestCase):
    def test_partners_and_the_coordinator_may_see_the_partnership(self):
        for person, role in [
            (self.mia, "mentor"),
            (self.theo, "mentee"),
            (self.cora, "coordinator"),
        ]:
            with self.subTest(role):
                access = get_partnership_for_user(person, self.partnership.public_id)
                self.assertEqual((access.partnership, access.role), (self.partnership, role))

    def test_anyone_else_gets_not_found(self):
        for person in [self.olive, AnonymousUser()]:
            with self.subTest(str(person)), self.assertRaises(Http404):
                get_partnership_for_user(person, self.partnership.public_id)

    def test_an_unknown_code_is_not_found(self):
        with self.assertRaises(Http404):
            get_partnership_for_user(self.mia, uuid.uuid4())

    def test_partner_only_content_is_for_the_partners(self):
        for person in [self.mia, self.theo]:
            access = get_partnership_for_partner(person, self.partnership.public_id)
            self.assertTrue(access.is_partner)

    def test_the_coordinator_is_refused_partner_only_content(self):
        with self.assertRaises(PermissionDenied):
            get_partnership_for_partner(self.cora, self.partnership.public_id)

    def test_an_outsider_asking_for_partner_only_content_gets_not_found(self):
        with self.assertRaises(Http404):
            get_partnership_for_partner(self.olive, self.partnership.public_id)
