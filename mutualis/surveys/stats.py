"""Pure computations on survey answers (no Django): means, distributions, picks ranking,
satisfaction rates and the response rate. Answers are plain values as stored: an int for a
scale or a level, a str for a choice or a text, a list of str for a multiple choice."""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


def _round(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def mean(values: Iterable[int]) -> Decimal | None:
    """The mean to one decimal (half up), None without any value."""
    numbers = list(values)
    if not numbers:
        return None
    return _round(Decimal(sum(numbers)) / len(numbers))


def distribution(values: Iterable[int], levels: Sequence[int]) -> list[tuple[int, int]]:
    """(level, how many answered it) for every level, zeros included."""
    counts = Counter(values)
    return [(level, counts.get(level, 0)) for level in levels]


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage to one decimal; None when whole is 0."""
    if whole <= 0:
        return None
    return _round(Decimal(100 * part) / whole)


def satisfied_rate(values: Iterable[int], satisfied_from: int) -> Decimal | None:
    """The share of the scale answers at `satisfied_from` or above, in percent."""
    numbers = list(values)
    return rate(sum(1 for v in numbers if v >= satisfied_from), len(numbers))


def member_satisfaction(
    answers: Mapping[str, object], codes: Sequence[str], satisfied_from: int
) -> Decimal | None:
    """One member's satisfaction: the share of its scale answers that are « satisfied »."""
    values = [v for code in codes if isinstance(v := answers.get(code), int)]
    return satisfied_rate(values, satisfied_from)


@dataclass(frozen=True)
class Pick:
    code: str
    count: int
    share: Decimal | None
    """Percentage of the respondents who picked it."""
    rank: int


def ranking(picks: Iterable[Sequence[str]], options: Sequence[str]) -> list[Pick]:
    """Options by how many respondents picked them (ties share a rank, then by the
    options' order), every option listed."""
    lists = list(picks)
    counts = Counter(code for chosen in lists for code in set(chosen))
    order = {code: index for index, code in enumerate(options)}
    ordered = sorted(options, key=lambda code: (-counts.get(code, 0), order[code]))
    result: list[Pick] = []
    previous: int | None = None
    rank = 0
    for position, code in enumerate(ordered, start=1):
        count = counts.get(code, 0)
        if count != previous:
            rank, previous = position, count
        result.append(Pick(code, count, rate(count, len(lists)), rank))
    return result


def trend(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """current − previous, None when either is missing."""
    if current is None or previous is None:
        return None
    return current - previous
