"""The board report as PDF: the report's HTML, printed by WeasyPrint.

The HTML is self-contained: the charts are inline SVG, the fonts are the system's (DejaVu, from
the ``fonts-dejavu-core`` package that ``bin/ensure-system-deps`` installs), the styles inline.
WeasyPrint is given a fetcher that refuses every URL but inline ``data:`` ones, so rendering a
report never reaches the network, whatever a text in it says.
"""

from django.template.loader import render_to_string

from core.formatting import format_date

from .sections import ReportPeriod, Section, display_value


def local_only_url_fetcher():
    """WeasyPrint's fetcher for inline data only: anything else (http, https, file, ftp) is
    refused, and WeasyPrint leaves the resource out of the PDF."""
    from weasyprint.urls import URLFetcher

    class LocalOnlyURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.lower().startswith("data:"):
                raise ValueError(f"The board report fetches no external resource: {url[:80]}")
            return super().fetch(url, headers)

    return LocalOnlyURLFetcher(allowed_protocols=("data",), allow_redirects=False)


def _shown(section: Section) -> dict:
    """A section with every value written out in the reader's language."""
    return {
        "key": section.key,
        "title": section.title,
        "figures": [(figure.label, display_value(figure.value)) for figure in section.figures],
        "columns": section.columns,
        "rows": [
            [(display_value(value), not isinstance(value, str)) for value in row]
            for row in section.rows
        ],
        "chart": section.chart,
        "note": section.note,
    }


def report_html(period: ReportPeriod, sections: list[Section]) -> str:
    return render_to_string(
        "insights/board_report_pdf.html",
        {
            "period": period,
            "start": format_date(period.start),
            "end": format_date(period.end),
            "made_on": format_date(period.today),
            "reader": period.user.get_full_name() or period.user.get_username(),
            "sections": [_shown(section) for section in sections],
        },
    )


def report_pdf(period: ReportPeriod, sections: list[Section]) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which only the report needs.
    from weasyprint import HTML

    return HTML(
        string=report_html(period, sections), url_fetcher=local_only_url_fetcher()
    ).write_pdf()
