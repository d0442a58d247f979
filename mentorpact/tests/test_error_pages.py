from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import include, path

from mentorpact.test import BaseTestCase
from mentorpact.urls import handler400, handler403, handler404, handler500  # noqa: F401 (this URLconf's)


def broken_view(request):
    raise RuntimeError("secret detail from deep inside the code")


def forbidden_view(request):
    raise PermissionDenied


# The project's URLconf and its error handlers, plus views that fail on purpose.
urlpatterns = [
    path("", include("mentorpact.urls")),
    path("broken/", broken_view),
    path("forbidden/", forbidden_view),
]


class ErrorPagesTestCase(BaseTestCase):
    def test_a_missing_page_gets_our_friendly_404(self):
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "errors/404.html")
        self.assertContains(response, "<h1>Page not found</h1>", status_code=404)
        self.assertContains(response, 'href="/"', status_code=404)
        self.assertNotContains(response, "The requested resource was not found", status_code=404)

    def test_a_signed_in_person_keeps_the_navigation_on_a_404(self):
        self.sign_in(self.mia)
        response = self.client.get("/no-such-page/")
        self.assertContains(response, "My partnerships", status_code=404)
        self.assertContains(response, "Sign out", status_code=404)

    def test_a_refusal_gets_our_friendly_403_with_its_reason(self):
        self.sign_in(self.mia)
        response = self.client.get(f"/programs/{self.program.public_id}/")
        self.assertEqual(response.status_code, 403)
        self.assertTemplateUsed(response, "errors/403.html")
        self.assertContains(response, "<h1>Not allowed</h1>", status_code=403)
        self.assertContains(
            response, "Only the program&#x27;s coordinators can see its overview.", status_code=403
        )

    @override_settings(ROOT_URLCONF=__name__)
    def test_a_refusal_without_a_reason_gets_a_general_one(self):
        response = self.client.get("/forbidden/")
        self.assertContains(
            response, "Your role in this program does not include this page.", status_code=403
        )
        self.assertNotContains(response, "403 Forbidden", status_code=403)

    @override_settings(ROOT_URLCONF=__name__)
    def test_a_crash_gets_our_500_page_without_a_traceback(self):
        client = Client(raise_request_exception=False)
        client.force_login(self.mia)
        with self.assertLogs("django.request", "ERROR") as logs:
            response = client.get("/broken/")

        self.assertEqual(response.status_code, 500)
        self.assertTemplateUsed(response, "errors/500.html")
        self.assertContains(response, "Something went wrong on our side", status_code=500)
        for leak in ["Traceback", "RuntimeError", "secret detail", "broken_view"]:
            self.assertNotContains(response, leak, status_code=500)
        # The people running the site still learn what happened.
        self.assertIn("secret detail from deep inside the code", "\n".join(logs.output))


def bad_request_view(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("malformed upload boundary")


urlpatterns.append(path("bad/", bad_request_view))


class BadRequestAndCsrfPagesTestCase(BaseTestCase):
    @override_settings(ROOT_URLCONF=__name__, DEBUG=False)
    def test_a_malformed_request_gets_our_400_page(self):
        client = Client(raise_request_exception=False)
        with self.assertLogs("django.security", "ERROR"):
            response = client.get("/bad/")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "We could not read that request", status_code=400)
        self.assertNotContains(response, "Bad Request (400)", status_code=400)
        self.assertNotContains(response, "malformed upload boundary", status_code=400)

    @override_settings(ALLOWED_HOSTS=["mentorpact.example.org"], DEBUG=False)
    def test_a_refused_host_gets_the_400_page_too(self):
        client = Client(raise_request_exception=False, HTTP_HOST="evil.example.com")
        with self.assertLogs("django.security", "ERROR"):
            response = client.get("/accounts/sign-in/")
        self.assertContains(response, "We could not read that request", status_code=400)

    def test_a_form_sent_without_its_csrf_token_gets_our_page(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.mia)
        with self.assertLogs("django.security.csrf", "WARNING"):
            response = client.post("/accounts/profile/", {"full_name": "Mia"})
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "This form has expired", status_code=403)
        self.assertNotContains(response, "CSRF verification failed", status_code=403)
