"""The board report: a leader's portfolio over a period, downloaded as PDF or XLSX."""

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from clinics.access import LEADER, role_required
from clinics.downloads import protected_download
from insights.board_report.forms import BoardReportForm
from insights.board_report.pdf import report_pdf
from insights.board_report.sections import ReportPeriod, report_sections
from insights.board_report.xlsx import report_xlsx
from insights.views import XLSX_CONTENT_TYPE


def _filename(period: ReportPeriod, extension: str) -> str:
    return f"partnerskap-board-report-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.{extension}"


@protected_download
@role_required(LEADER)
@require_GET
def board_report(request):
    """The form (GET without a format), or the report it asks for. Rendered in the request:
    a fixed number of queries and one WeasyPrint run, a second or two."""
    today = timezone.localdate()
    if "format" not in request.GET:
        return render(
            request, "insights/board_report_form.html", {"form": BoardReportForm(today=today)}
        )
    form = BoardReportForm(request.GET, today=today)
    if not form.is_valid():
        return render(request, "insights/board_report_form.html", {"form": form}, status=400)
    period = ReportPeriod(
        user=request.user,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        today=today,
    )
    # In the leader's own language (else the one the page is read in), numbers and dates too.
    with translation.override(request.user.language or translation.get_language()):
        sections = report_sections(period)
        if form.cleaned_data["format"] == "xlsx":
            return FileResponse(
                report_xlsx(sections),
                as_attachment=True,
                filename=_filename(period, "xlsx"),
                content_type=XLSX_CONTENT_TYPE,
            )
        response = HttpResponse(report_pdf(period, sections), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(period, "pdf")}"'
    return response
