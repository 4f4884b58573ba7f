"""Every CSV download of Partnerskap goes through here: one writer, one set of rules.

- **Formulas.** Texts come from staff, partners and leaders, and a spreadsheet runs a cell
  that starts like a formula (``=``, ``+``, ``-``, ``@``) — also after a tab or a carriage
  return, which some programs skip. Such a cell gets a leading apostrophe, as OWASP advises
  ("CSV injection"): a CSV has no cell types, so that is the only way to make a spreadsheet
  read it as text. Numbers and dates are written as they are (a negative number stays a
  number).
- **Encoding.** UTF-8 with a byte-order mark, so that Excel reads å, ä, ö, æ and ø right.
- **Separator.** ``;`` when the person reads Partnerskap in Swedish or Danish, ``,``
  otherwise: Excel in those languages expects a semicolon (the comma is their decimal mark)
  and opens a comma-separated file as one column.
- **Streaming.** The rows are written while they are sent (``StreamingHttpResponse``), so a
  large export neither waits for its last row nor holds the whole file in memory.
"""

import csv
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse
from django.utils import translation

# What a spreadsheet may take for the start of a formula (OWASP, "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"
# Languages whose spreadsheets expect ";" between fields (their decimal mark is ",").
SEMICOLON_LANGUAGES = frozenset({"sv", "da"})


def is_formula_like(value) -> bool:
    """A text a spreadsheet would run as a formula (XLSX exports mark these cells too)."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise(value):
    """The cell as written to a CSV: a formula-like text gets an apostrophe in front."""
    if is_formula_like(value):
        return "'" + value
    return value


def csv_delimiter(language: str | None = None) -> str:
    """``;`` for Swedish and Danish (``language``, else the active language), else ``,``."""
    language = (language or translation.get_language() or "").lower()
    return ";" if language.split("-")[0] in SEMICOLON_LANGUAGES else ","


class _Echo:
    """A file-like object whose ``write`` returns what it was given: the csv module formats
    and quotes one row, and the generator passes the line on instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Sequence, rows: Iterable[Sequence], *, delimiter: str | None = None
) -> Iterator[str]:
    """The CSV as lines of text: byte-order mark, header, then each row neutralised."""
    writer = csv.writer(_Echo(), delimiter=delimiter or csv_delimiter())
    yield BYTE_ORDER_MARK + writer.writerow([neutralise(value) for value in header])
    for row in rows:
        yield writer.writerow([neutralise(value) for value in row])


def csv_response(
    filename: str, header: Sequence, rows: Iterable[Sequence]
) -> StreamingHttpResponse:
    """A streamed CSV download of ``rows`` (any iterable, best a lazy one).

    The rows are produced while the response is sent, after the view has returned: the
    language of the request is kept for them (labels, separator), and ``rows`` should hold
    no open transaction or lock.
    """
    language = translation.get_language()

    def lines():
        with translation.override(language):
            yield from (line.encode("utf-8") for line in csv_lines(header, rows))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Exports hold what only this person may see: never kept by a shared cache or the browser.
    response["Cache-Control"] = "private, no-store"
    return response
