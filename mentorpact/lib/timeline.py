"""One entry of a partnership's timeline, as the apps that contribute to it describe it."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    url: str = ""
    is_due: bool = False
