"""The board report as a workbook: one sheet per section (its figures, then its table).

Through the project's one writer of workbooks (``insights.exports``): texts stay texts,
numbers are numbers and dates dates, so the board's secretary can sort and sum them. An amount
is a number with its currency in the column beside it.
"""

from django.utils.translation import gettext as _

from insights.exports import XlsxSheet, xlsx_workbook_of_sheets

from .sections import Money, Section

COLUMN_WIDTH = 24


def _cells(row: list) -> list:
    cells = []
    for value in row:
        if isinstance(value, Money):
            cells += [value.amount, value.currency]
        else:
            cells.append("" if value is None else value)
    return cells


def _headers(section: Section) -> list[str]:
    """The table's columns; an amount column is followed by its currency."""
    if not section.rows:
        return list(section.columns)
    headers = []
    for column, value in zip(section.columns, section.rows[0], strict=False):
        headers.append(column)
        if isinstance(value, Money):
            headers.append(_("Currency"))
    return headers


def _rows(section: Section):
    # The figures first (label, value), then the table under its own header row.
    for figure in section.figures:
        yield _cells([figure.label, figure.value])
    if section.figures and section.columns:
        yield []
        yield _headers(section)
    for row in section.rows:
        yield _cells(row)


def report_xlsx(sections: list[Section]):
    sheets = []
    for section in sections:
        headers = [_("Figure"), _("Value")] if section.figures else _headers(section)
        width = max(len(headers), len(_headers(section)), 2)
        sheets.append(
            XlsxSheet(
                title=section.title,
                headers=headers,
                rows=_rows(section),
                widths=[40] + [COLUMN_WIDTH] * (width - 1),
            )
        )
    return xlsx_workbook_of_sheets(sheets)
