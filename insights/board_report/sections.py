"""The board report's sections and where they are registered.

A section is what one provider returns for a period: a title, headline figures, a table
(columns and rows of raw values: numbers, dates, ``Money``, texts) and optionally a chart (SVG
markup drawn by ``insights.board_report.charts``). The PDF shows each section in turn, the
workbook writes each as a sheet.

A new section is one line where the app that owns it gets ready (``AppConfig.ready()``)::

    register_section(adoptions_section, order=45)

``order`` places it: the built-in sections use 10, 20, … 70, so adoptions (45, after value)
and partner engagement (65, after the risks) slot in between. A provider takes a
``ReportPeriod`` and returns a ``Section``, or ``None`` to leave itself out; it must read
through the person's ``visible_to`` sets (``ReportPeriod.projects``) and cost a fixed number of
queries whatever the data (the tests count them at two sizes).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

from clinics.models import User

# At most this many rows in a section's table (a list of risks, of decisions): the report
# stays a board paper, and the queries stay bounded. The figures always count everything.
ROW_LIMIT = 10


@dataclass(frozen=True)
class Money:
    """An amount with its currency (``Decimal``, never a float)."""

    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Figure:
    label: str
    value: Any


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    chart: str = ""
    # What the table shows when it is cut at ROW_LIMIT, or what a figure means.
    note: str = ""


@dataclass
class ReportPeriod:
    """What every provider gets: the reader, the period (both days included) and today."""

    user: User
    start: date
    end: date
    today: date
    # Figures several sections share (one query, read once): see ``memo``.
    _memo: dict = field(default_factory=dict, repr=False)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def start_at(self) -> datetime:
        """The period's first moment, in the site's time zone."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @cached_property
    def projects(self):
        """The projects the dashboard counts for this person (no filter): the one scope."""
        from insights.selectors.dashboard import PortfolioFilters, portfolio_projects

        return portfolio_projects(user=self.user, filters=PortfolioFilters())

    @cached_property
    def ideas(self):
        from insights.selectors.dashboard import PortfolioFilters, portfolio_ideas

        return portfolio_ideas(user=self.user, filters=PortfolioFilters())


SectionProvider = Callable[[ReportPeriod], Section | None]

_providers: list[tuple[int, str, SectionProvider]] = []


def register_section(provider: SectionProvider, *, order: int) -> SectionProvider:
    """Add a section to every board report (once: registering again is a no-op)."""
    name = f"{provider.__module__}.{provider.__qualname__}"
    if all(known != name for _, known, _ in _providers):
        _providers.append((order, name, provider))
        _providers.sort(key=lambda item: (item[0], item[1]))
    return provider


def section_providers() -> list[SectionProvider]:
    return [provider for _, _, provider in _providers]


def report_sections(period: ReportPeriod) -> list[Section]:
    """Every registered section for ``period``, in order; those that leave themselves out
    (``None``) are not shown."""
    sections = (provider(period) for provider in section_providers())
    return [_plain(section) for section in sections if section is not None]


def _text(value):
    # A choice's label is a lazy translation: made text here, in the report's language, so the
    # PDF aligns it as text and the workbook writes it as a text cell.
    return str(value) if isinstance(value, Promise) else value


def _plain(section: Section) -> Section:
    section.title = str(section.title)
    section.figures = [Figure(str(f.label), _text(f.value)) for f in section.figures]
    section.columns = [str(column) for column in section.columns]
    section.rows = [[_text(value) for value in row] for row in section.rows]
    section.note = str(section.note)
    return section


def display_value(value) -> str:
    """A figure or cell as the reader reads it: numbers, dates and money in their language."""
    from core.formatting import format_date, format_money, format_number

    if value is None or value == "":
        return ""
    if isinstance(value, Money):
        return format_money(value.amount, value.currency)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return format_number(value)
    return str(value)
