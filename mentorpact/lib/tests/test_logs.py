import contextlib
import io
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase
from django.urls import reverse

from mentorpact.lib.logs import REDACTED, RedactTokens, redact

SECRET = "s3cr3t-T0KEN_value:abc"

# Every URL that carries a token, as the people who get one see it.
TOKENED = {
    "feed": reverse("meetings:feed", kwargs={"token": SECRET}),
    "reset": reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MTI", "token": SECRET}),
    "email": reverse("accounts:email_confirm", kwargs={"token": SECRET}),
    "invitation": reverse("office:accept", kwargs={"token": SECRET}),
    "invited signer": reverse("agreements:invited_sign", kwargs={"token": SECRET}),
}


class RedactTestCase(SimpleTestCase):
    def test_every_tokened_url_loses_its_token_and_keeps_the_rest(self):
        for name, url in TOKENED.items():
            with self.subTest(name):
                line = f'[2026-12-02] 10.0.0.1 - "GET {url} HTTP/1.1" 200 3.100'
                cleaned = redact(line)
                self.assertNotIn(SECRET, cleaned)
                self.assertIn(REDACTED, cleaned)
                self.assertTrue(cleaned.endswith('HTTP/1.1" 200 3.100'))

    def test_the_reset_link_keeps_its_account_part(self):
        self.assertIn("/reset/MTI/[redacted]/", redact(TOKENED["reset"]))

    def test_the_feed_keeps_its_ics_suffix(self):
        self.assertTrue(redact(TOKENED["feed"]).endswith(f"{REDACTED}.ics"))

    def test_other_paths_are_left_alone(self):
        line = '"GET /partnerships/6f1c4a52-8c1e-4c4b-9b1a-0c6f7d2b1e11/ HTTP/1.1" 200'
        self.assertEqual(redact(line), line)

    def test_every_url_with_a_token_is_found_in_the_urlconf_and_tested_here(self):
        # A new tokened URL is redacted without being listed in lib/logs.py; this count makes
        # its author add it to TOKENED above, so the test shows its token really goes.
        from mentorpact.lib.logs import _patterns

        self.assertEqual(len(_patterns()), len(TOKENED))


class FilterTestCase(SimpleTestCase):
    def log_through_filter(self, logger_name: str, msg: str, args) -> str:
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.addFilter(RedactTokens())
        logger = logging.getLogger(logger_name)
        logger.addHandler(handler)
        old_level, old_propagate = logger.level, logger.propagate
        logger.setLevel(logging.INFO)
        logger.propagate = False
        try:
            logger.info(msg, args)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(old_level)
            logger.propagate = old_propagate
        return stream.getvalue()

    def test_a_granian_access_record_is_redacted(self):
        # granian logs its access line as a format and a dict of atoms (granian/log.py).
        fmt = '[%(time)s] %(addr)s - "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).3f'
        atoms = {
            "time": "2026-12-02 10:00:00 +0000",
            "addr": "10.0.0.1",
            "method": "GET",
            "path": TOKENED["feed"],
            "protocol": "HTTP/1.1",
            "status": 200,
            "dt_ms": 3.1,
        }
        out = self.log_through_filter("test.granian.access", fmt, atoms)
        self.assertNotIn(SECRET, out)
        self.assertIn(f"/calendar/feed/{REDACTED}.ics", out)

    def test_a_django_request_warning_is_redacted(self):
        out = self.log_through_filter("test.django.request", "Not Found: %s", TOKENED["email"])
        self.assertEqual(out, f"Not Found: /accounts/email/{REDACTED}/\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class GranianAccessLogTestCase(SimpleTestCase):
    """The real web server, as README runs it in production, writes no token to its log."""

    def test_the_access_log_and_the_error_log_name_no_token(self):
        port = free_port()
        root = Path(settings.BASE_DIR)
        env = {
            **os.environ,
            "DEBUG": "true",
            # An empty database file: the views fail, which logs their paths as errors too.
            "SQLITE_PATH": os.devnull,
        }
        env.pop("DATABASE_URL", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1"]
            + ["--port", str(port), "--workers", "1", "--access-log"]
            + ["mentorpact.wsgi:application"],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5)
                except urllib.error.HTTPError:
                    break  # it answers (health fails on an empty database: fine)
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.2)
                else:
                    break
            for url in TOKENED.values():
                with contextlib.suppress(urllib.error.HTTPError):
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=10)
        finally:
            server.terminate()
            output, _ = server.communicate(timeout=30)
        self.assertNotIn(SECRET, output)
        self.assertGreaterEqual(output.count(REDACTED), len(TOKENED), output[-2000:])
