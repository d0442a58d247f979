"""Log lines that carry no secret: the token in a calendar-feed, password-reset, email-change
or invitation URL is a password for whoever reads the log.

`RedactTokens` is a logging filter on every handler (settings.LOGGING), the web server's
access log included. It finds the URL patterns with a `token` parameter in the project's
URLconf itself, so a new URL that takes a token is redacted without anyone remembering to
list it here.
"""

import logging
import re
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver

REDACTED = "[redacted]"


def _token_regexes(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for entry in resolver.url_patterns:
        regex = prefix + entry.pattern.regex.pattern.removeprefix("^")
        if isinstance(entry, URLResolver):
            found += _token_regexes(entry, regex)
        elif isinstance(entry, URLPattern) and "(?P<token>" in regex:
            found.append("/" + regex.removesuffix(r"\Z").removesuffix("$"))
    return found


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(regex) for regex in _token_regexes(get_resolver()))


def redact(text: str) -> str:
    """The text with the token of every tokened URL in it replaced by REDACTED."""
    for pattern in _patterns():
        pieces = []
        end = 0
        for match in pattern.finditer(text):
            start, stop = match.span("token")
            pieces += [text[end:start], REDACTED]
            end = stop
        if pieces:
            text = "".join(pieces) + text[end:]
    return text


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            # The record is shared by every handler: replace the message itself, so no
            # handler or formatter can format the original arguments again.
            record.msg, record.args = cleaned, None
        return True
