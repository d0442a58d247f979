"""The product's URLs plus the benchmark's bare view (bench/measure.py's wrk runs).

`/__bench/bare/<name>/` answers with the bytes in BENCH_BARE_DIR/<name>.html, read once: a
page's exact bytes through the same middleware (sessions, authentication, CSRF, security
headers, the audit context), so a page's throughput can be set against what the same
response costs without the view's own work.
"""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from mentorpact import urls as product

_BYTES: dict[str, bytes] = {}


def bare(request, name: str) -> HttpResponse:
    body = _BYTES.get(name)
    if body is None:
        body = _BYTES[name] = Path(os.environ["BENCH_BARE_DIR"], f"{name}.html").read_bytes()
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [path("__bench/bare/<slug:name>/", bare), *product.urlpatterns]
handler400 = product.handler400
handler403 = product.handler403
handler404 = product.handler404
handler500 = product.handler500
