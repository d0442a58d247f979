"""The one rule for numbers about people, in every output that shows them to coordinators (the
dashboard and its exports and term report, the evaluations' pages, the API):

- A count of one to four people (pairs, partners asked or answering, people invited or
  attending) is shown as "fewer than 5", never as its number. Zero is shown: it is about
  nobody. `too_few`, `shown`, `text`.
- A figure computed over people's answers (a mean, the counts of each answer) is shown only
  over SMALLEST people or more, and, when it is a part of a larger group (one role's answers
  of everyone's), only when the rest of the group is none or SMALLEST or more too, so that no
  answer is found by taking one shown figure from another. `aggregate_shown`.
- A rate (answered of asked) is shown only when both of its counts are.
"""

SMALLEST = 5


def too_few(people: int) -> bool:
    """A number about one to four people: not shown."""
    return 0 < people < SMALLEST


def shown(value: int, people: int | None = None) -> int | None:
    """`value` when it may be shown, None when it is about too few `people` (default: the
    value counts people)."""
    return None if too_few(value if people is None else people) else value


def text(value: int, people: int | None = None) -> str:
    return f"fewer than {SMALLEST}" if shown(value, people) is None else str(value)


def aggregate_shown(group: int, everyone: int | None = None) -> bool:
    """Whether a figure over `group` people's answers may be shown, `everyone` being the
    whole it is a part of (None or equal: it is the whole)."""
    rest = 0 if everyone is None else everyone - group
    return group >= SMALLEST and not too_few(rest)


def rate(part: int, whole: int) -> int | None:
    """`part` of `whole` in percent, when both counts may be shown (and whole is not 0)."""
    if not whole or too_few(part) or too_few(whole):
        return None
    return round(100 * part / whole)
