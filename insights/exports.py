"""The filtered portfolio as CSV and as an Excel workbook: the dashboard's list, row for row.

Texts come from staff and partners, so a cell that a spreadsheet would read as a formula
(starting with = + - @, or a tab or carriage return that hides one) is neutralised:
- in the CSV by the one CSV writer, ``core.csv`` (a leading apostrophe, OWASP's advice: a
  CSV has no cell types, so the apostrophe is the only way to make the spreadsheet read it as
  text), which also writes the byte-order mark and the person's separator, and streams;
- in the workbook as a string cell with the "quote prefix" style: the text stays as typed,
  Excel shows and keeps it as text and never evaluates it.

The rows carry real values: dates are dates and counts are numbers, so the workbook sorts and
filters them as such (and the CSV writes dates as ISO 8601); related objects are named, never
given by id (the idea by its title), but the project's own ID.
"""

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.csv import is_formula_like
from partners.models import Agreement, AgreementParty
from portfolio.models import Project
from portfolio.selectors.innovation_time import ClinicProjectMonthTotal

DATE_NUMBER_FORMAT = "yyyy-mm-dd"
# Rows fetched (with their partners and themes) per round trip while a CSV is streamed.
CSV_CHUNK_SIZE = 500
# A workbook larger than this is spooled to a temporary file rather than held in memory.
XLSX_IN_MEMORY_BYTES = 5 * 1024 * 1024


def export_headers() -> list[str]:
    return [
        _("ID"),
        _("Title"),
        _("Stage"),
        _("Health"),
        _("Lead clinic"),
        _("Region"),
        _("Owner"),
        _("Themes"),
        _("Partners"),
        _("Open milestones"),
        _("Overdue milestones"),
        _("Started on"),
        _("Ended on"),
        _("Idea"),
    ]


def with_export_relations(projects: QuerySet[Project]) -> QuerySet[Project]:
    """The list's queryset plus the partners (current agreement versions) of each project."""
    return projects.select_related("idea").prefetch_related(
        Prefetch(
            "agreements",
            queryset=Agreement.objects.current().prefetch_related(
                Prefetch(
                    "parties",
                    queryset=AgreementParty.objects.filter(
                        organisation__isnull=False
                    ).select_related("organisation"),
                )
            ),
            to_attr="current_agreements",
        )
    )


def export_rows(projects: Iterable[Project]) -> Iterator[list]:
    """The rows as they are (raw text); each format neutralises formulas its own way."""
    for project in projects:
        partners = sorted(
            {
                party.organisation.name
                for agreement in project.current_agreements
                for party in agreement.parties.all()
            }
        )
        yield [
            project.pk,
            project.title,
            project.get_stage_display(),
            project.get_health_display(),
            project.lead_clinic.name,
            project.lead_clinic.region.name,
            str(project.owner),
            ", ".join(theme.display_name for theme in project.themes.all()),
            ", ".join(partners),
            project.open_milestones,
            project.overdue_milestones,
            project.started_on,
            project.ended_on,
            project.idea.title if project.idea_id else "",
        ]


def portfolio_csv_rows(projects: QuerySet[Project]) -> Iterator[list]:
    """The CSV's rows, read in chunks as they are streamed (``core.csv.csv_response``)."""
    return export_rows(with_export_relations(projects).iterator(chunk_size=CSV_CHUNK_SIZE))


def portfolio_xlsx(projects: QuerySet[Project]):
    """The portfolio workbook, its rows read in chunks (see ``xlsx_workbook``)."""
    return xlsx_workbook(
        title=_("Portfolio"),
        headers=export_headers(),
        rows=export_rows(with_export_relations(projects).iterator(chunk_size=CSV_CHUNK_SIZE)),
        widths=(8, 40, 16, 12, 28, 24, 24, 28, 36, 10, 10, 12, 12, 8),
    )


def xlsx_workbook(*, title: str, headers: list[str], rows: Iterable[list], widths):
    """One sheet: a bold, frozen header with a filter over every column, and the rows with
    dates as dates and every text a text cell. Written row by row (openpyxl's write-only
    mode) into a temporary file that the response streams, so its memory does not grow with
    the rows. Returns the file, at its start."""
    return xlsx_workbook_of_sheets([XlsxSheet(title, headers, rows, widths)])


@dataclass
class XlsxSheet:
    title: str
    headers: list[str]
    rows: Iterable[list]
    widths: Iterable[int]


def xlsx_workbook_of_sheets(sheets: Iterable[XlsxSheet]):
    """Several sheets of ``xlsx_workbook``'s kind in one workbook (the board report)."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(str(spec.title)[:31])
        for index, width in enumerate(spec.widths, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        # The header stays in view and filters every column of the data.
        sheet.freeze_panes = "A2"
        sheet.append([_header_cell(sheet, text) for text in spec.headers])
        count = 1
        for row in spec.rows:
            sheet.append([_cell(sheet, value) for value in row])
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(spec.headers))}{count}"
    spool = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY_BYTES)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return spool


def _header_cell(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, text)
    cell.font = Font(bold=True)
    return cell


def _cell(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, date):
        # A real date (sorts and filters as one), shown in ISO order in every language.
        cell.number_format = DATE_NUMBER_FORMAT
    elif isinstance(value, str):
        # openpyxl takes a text starting with "=" for a formula: keep every text a string
        # cell, and mark the formula-like ones "quote prefix" as Excel does for text typed
        # after an apostrophe (shown without it, never evaluated).
        cell.data_type = TYPE_STRING
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def innovation_time_headers() -> list[str]:
    return [
        _("Month"),
        _("Clinic"),
        _("Region"),
        _("Project"),
        _("Hours"),
        _("Allotted hours of the clinic this month"),
    ]


def innovation_time_rows(totals: Iterable[ClinicProjectMonthTotal]) -> Iterator[list]:
    """Hours per clinic, project and month; the month is its first day (a real date)."""
    for total in totals:
        yield [
            total.month,
            total.clinic.name,
            total.clinic.region.name,
            total.project_title,
            total.hours,
            total.allotted if total.allotted is not None else "",
        ]


def innovation_time_xlsx(totals: Iterable[ClinicProjectMonthTotal]):
    return xlsx_workbook(
        title=_("Innovation time"),
        headers=innovation_time_headers(),
        rows=innovation_time_rows(totals),
        widths=(12, 28, 24, 40, 10, 14),
    )
