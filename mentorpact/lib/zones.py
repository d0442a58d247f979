"""The time zones people choose from: one entry for each zone of each country in the IANA
database's zone.tab (about 420, from the tzdata package), grouped by region and named by city
and country, instead of all ~600 names zoneinfo knows (aliases like "US/Eastern", "Etc/GMT+5",
"localtime")."""

from functools import lru_cache
from importlib.resources import files
from zoneinfo import available_timezones

UTC = "UTC"


def _table(name: str) -> list[list[str]]:
    text = (files("tzdata.zoneinfo") / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def zone_groups() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """((region, ((zone, label), ...)), ...): regions A to Z, each sorted by its labels, with
    UTC first on its own. A label reads "Buenos Aires — Argentina (Buenos Aires (BA, CF))"."""
    countries = {row[0]: row[1] for row in _table("iso3166.tab")}
    known = available_timezones()
    regions: dict[str, list[tuple[str, str]]] = {}
    for row in _table("zone.tab"):
        code, zone = row[0], row[2]
        if zone not in known:
            continue
        city = zone.rsplit("/", 1)[-1].replace("_", " ")
        label = f"{city} — {countries.get(code, code)}"
        if len(row) > 3 and row[3]:
            label += f" ({row[3]})"
        regions.setdefault(zone.split("/", 1)[0], []).append((zone, label))
    groups: list[tuple[str, tuple[tuple[str, str], ...]]] = [
        ("UTC", ((UTC, "UTC — Coordinated Universal Time"),))
    ]
    for region in sorted(regions):
        groups.append((region, tuple(sorted(regions[region], key=lambda pair: pair[1]))))
    return tuple(groups)


@lru_cache(maxsize=1)
def zone_names() -> frozenset[str]:
    return frozenset(zone for _region, zones in zone_groups() for zone, _label in zones)


def zone_choices(current: str | None = None) -> list:
    """Grouped choices for a ChoiceField; a `current` zone outside the list (an alias chosen
    before) is kept as its own first entry, so saving the form does not change it."""
    choices: list = [(region, list(zones)) for region, zones in zone_groups()]
    if current and current not in zone_names() and current in available_timezones():
        choices.insert(0, (current, current.replace("_", " ")))
    return choices
