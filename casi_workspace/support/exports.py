"""The support figures as a table for a spreadsheet (CSV or Excel, through core/spreadsheets.py): one line per
breakdown's value, the whole period's line first."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from casi_workspace.support.figures import FigureRow, SupportFigures


def figures_headers() -> list[str]:
    return [
        _("Breakdown"),
        _("Value"),
        _("Requests"),
        _("Answered requests"),
        _("Median days to the first answer"),
        _("Closed requests"),
        _("Median days to close"),
        _("Hours spent"),
    ]


def _line(breakdown: str, row: FigureRow) -> list:
    return [
        breakdown,
        row.label,
        row.count,
        row.answered,
        row.days_to_answer,
        row.closed,
        row.days_to_close,
        row.hours,
    ]


def figures_rows(figures: SupportFigures) -> Iterator[list]:
    yield _line(_("Period"), figures.total)
    for breakdown in figures.breakdowns:
        for row in breakdown.rows:
            yield _line(breakdown.title, row)


def figures_filename(figures: SupportFigures, extension: str) -> str:
    period = f"{figures.year}-T{figures.quarter}" if figures.quarter else str(figures.year)
    return f"accompagnements-chiffres-{period}.{extension}"
