"""The support desk's figures for the activity report: the requests received in a year (or one of its quarters),
counted by quarter, need, stage, département, actor type, country and coordinator, with the median days to the
first answer and to the closing and the hours spent.

They read only `SupportRecord` (anonymous, kept after a request is erased), in two queries whatever the number
of requests: the records' counted columns, aggregated here (a request names several countries, which a GROUP BY
would count awkwardly), and the names of the coordinators among them.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Max, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries as country_names

from casi_workspace.organisations.models import DEPARTMENT_CHOICES, ActorType
from casi_workspace.support.models import ProjectStage, SupportNeed, SupportRecord

COLUMNS = ("created_at", "first_answer_at", "closed_at", "need", "stage", "department", "actor_type")
SECONDS_PER_DAY = 86400
# The breakdowns, in the page's order: (slug, title).
BREAKDOWNS = (
    ("quarter", gettext_lazy("By quarter")),
    ("need", gettext_lazy("By need")),
    ("stage", gettext_lazy("By stage of the project")),
    ("department", gettext_lazy("By département")),
    ("actor_type", gettext_lazy("By actor type")),
    ("country", gettext_lazy("By country")),
    ("coordinator", gettext_lazy("By coordinator in charge")),
)


@dataclass
class _Tally:
    count: int = 0
    minutes: int = 0
    to_answer: list[float] = field(default_factory=list)
    to_close: list[float] = field(default_factory=list)

    def add(self, row: dict) -> None:
        self.count += 1
        self.minutes += row["minutes"]
        if row["to_answer"] is not None:
            self.to_answer.append(row["to_answer"])
        if row["to_close"] is not None:
            self.to_close.append(row["to_close"])


@dataclass(frozen=True)
class FigureRow:
    key: str
    label: str
    count: int
    answered: int  # requests with a first answer, of which `days_to_answer` is the median
    days_to_answer: float | None
    closed: int
    days_to_close: float | None
    hours: float


@dataclass(frozen=True)
class Breakdown:
    slug: str
    title: str
    rows: list[FigureRow]


@dataclass(frozen=True)
class SupportFigures:
    year: int
    quarter: int | None
    total: FigureRow
    breakdowns: list[Breakdown]


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _row(key: str, label: str, tally: _Tally) -> FigureRow:
    return FigureRow(
        key=key,
        label=label,
        count=tally.count,
        answered=len(tally.to_answer),
        days_to_answer=_median(tally.to_answer),
        closed=len(tally.to_close),
        days_to_close=_median(tally.to_close),
        hours=round(tally.minutes / 60, 1),
    )


def _days(start: datetime.datetime, end: datetime.datetime | None) -> float | None:
    return None if end is None else max((end - start).total_seconds(), 0) / SECONDS_PER_DAY


def period_bounds(year: int, quarter: int | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    """The period's first instant and the next period's, in the site's time zone."""
    first_month, months = (1, 12) if quarter is None else (3 * quarter - 2, 3)
    start = datetime.datetime(year, first_month, 1)
    end_month = first_month + months
    end = datetime.datetime(year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return timezone.make_aware(start, zone), timezone.make_aware(end, zone)


def support_figure_years(records: QuerySet[SupportRecord]) -> list[int]:
    """The years from the first request's to the current one, newest first (one query, on the index: grouping by
    year would truncate every row's date)."""
    bounds = records.aggregate(first=Min("created_at"), last=Max("created_at"))
    current = timezone.localdate().year
    first = timezone.localtime(bounds["first"]).year if bounds["first"] else current
    last = max(timezone.localtime(bounds["last"]).year if bounds["last"] else current, current)
    return list(range(last, first - 1, -1))


def support_figures(records: QuerySet[SupportRecord], *, year: int, quarter: int | None = None) -> SupportFigures:
    """The figures of the records sent in the year (or its quarter): `records` is what the user may count
    (`SupportAccess.visible_records`)."""
    start, end = period_bounds(year, quarter)
    rows = []
    coordinator_ids = set()
    zone = timezone.get_current_timezone()  # once: asking for it per row costs more than the rest of the loop
    for values in records.filter(created_at__gte=start, created_at__lt=end).values(
        *COLUMNS, "countries", "coordinator_id", "minutes"
    ):
        created = values["created_at"].astimezone(zone)
        values["quarter"] = str((created.month - 1) // 3 + 1)
        values["to_answer"] = _days(values["created_at"], values["first_answer_at"])
        values["to_close"] = _days(values["created_at"], values["closed_at"])
        values["country"] = [code for code in str(values["countries"] or "").split(",") if code] or [""]
        values["coordinator"] = str(values["coordinator_id"] or "")
        coordinator_ids.add(values["coordinator_id"])
        rows.append(values)
    labels = _labels(coordinator_ids - {None})
    total = _Tally()
    tallies: dict[str, dict[str, _Tally]] = {slug: defaultdict(_Tally) for slug, _title in BREAKDOWNS}
    for number in range(1, 5) if quarter is None else [quarter]:  # every quarter, even an empty one
        tallies["quarter"][str(number)] = _Tally()
    for row in rows:
        total.add(row)
        for slug, _title in BREAKDOWNS:
            keys = row[slug] if isinstance(row[slug], list) else [row[slug]]
            for key in keys:
                tallies[slug][key].add(row)
    breakdowns = []
    for slug, title in BREAKDOWNS:
        label = labels[slug]
        found = [_row(key, label(key), tally) for key, tally in tallies[slug].items()]
        order = _ORDERS[slug]
        breakdowns.append(Breakdown(slug=slug, title=str(title), rows=sorted(found, key=order)))
    return SupportFigures(year=year, quarter=quarter, total=_row("", _("All requests"), total), breakdowns=breakdowns)


def _choices_label(choices: Iterable[tuple[str, object]]) -> Callable[[str], str]:
    names = {str(value): str(label) for value, label in choices}
    return lambda key: names.get(key, key) if key else _("Not given")


def _labels(coordinator_ids: set[int]) -> dict[str, Callable[[str], str]]:
    people = {
        str(user.pk): user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=coordinator_ids)
    }
    return {
        "quarter": lambda key: _("Quarter %(number)s") % {"number": key},
        "need": _choices_label(SupportNeed.choices),
        "stage": _choices_label(ProjectStage.choices),
        "department": _choices_label(DEPARTMENT_CHOICES),
        "actor_type": _choices_label(ActorType.choices),
        "country": lambda key: str(country_names.name(key)) or key if key else _("Not given"),
        "coordinator": lambda key: people.get(key, _("Not assigned")) if key else _("Not assigned"),
    }


def _most_first(row: FigureRow) -> tuple:
    return (-row.count, row.label)


# Quarters and stages in their natural order, départements by code, the rest the most frequent first.
_ORDERS: dict[str, Callable[[FigureRow], tuple]] = {
    "quarter": lambda row: (row.key,),
    "need": _most_first,
    "stage": lambda row: (([value for value, _label in ProjectStage.choices] + [""]).index(row.key),),
    "department": lambda row: (row.key == "", row.key),
    "actor_type": _most_first,
    "country": _most_first,
    "coordinator": _most_first,
}
