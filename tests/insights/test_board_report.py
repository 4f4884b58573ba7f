"""The board report (/insights/board-report/): the PDF and the workbook parsed, the period
validated, every role of tests/access_world.py, the leader's language, no external fetch, and
a number of queries that does not grow with the data."""

import io
import re
import socket
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from evidence.models import Adoption, ScaleDecision
from insights.board_report.forms import last_full_quarter
from insights.board_report.pdf import local_only_url_fetcher, report_html, report_pdf
from insights.board_report.sections import (
    Money,
    ReportPeriod,
    Section,
    register_section,
    report_sections,
    section_providers,
)
from partners.models import Agreement, Milestone
from portfolio.models import Idea, InnovationTime, Project, ValueIndicator, ValueMeasurement
from portfolio.models_benefits import Benefit, BenefitReview
from tests.access_world import ROLES, world_fixture  # noqa: F401 (the fixture)
from tests.clinics.factories import ClinicFactory
from tests.partners.factories import MilestoneFactory, agreement_with_parties
from tests.partnership.factories import instalment_of, phase_with_budgets, target_of
from tests.portfolio.factories import IdeaFactory, ProjectFactory, ValueIndicatorFactory

pytestmark = pytest.mark.django_db

START, END = date(2026, 7, 1), date(2026, 9, 30)
URL = "/insights/board-report/"


def _aware(day: date):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=10))


def _fill(clinic, leader, staff, organisation, *, size: int, tag: str = ""):
    """``size`` of everything the report counts, dated inside the period (and some outside)."""
    for index in range(size):
        IdeaFactory(
            submitter=staff,
            status=Idea.Status.IN_REVIEW,
            submitted_at=_aware(START + timedelta(days=index)),
            first_response_at=_aware(START + timedelta(days=index + 1)),
        )
    # Submitted before the period: not received in it.
    IdeaFactory(submitter=staff, submitted=True, submitted_at=_aware(START - timedelta(days=3)))
    for index in range(size):
        ProjectFactory(
            lead_clinic=clinic,
            owner=leader,
            title=f"Started {tag}{index}",
            started_on=START + timedelta(days=index),
        )
    completed = ProjectFactory(
        lead_clinic=clinic,
        owner=leader,
        title=f"Completed {tag}",
        started_on=date(2025, 1, 1),
        stage=Project.Stage.COMPLETED,
        ended_on=END - timedelta(days=1),
    )
    off_track = ProjectFactory(
        lead_clinic=clinic,
        owner=leader,
        title=f"Sepsis alarm off track {tag}",
        started_on=date(2025, 1, 1),
        stage=Project.Stage.PILOT,
        health=Project.Health.OFF_TRACK,
    )
    for index in range(size):
        MilestoneFactory(
            project=off_track,
            title=f"Late delivery {tag}{index}",
            due_on=timezone.localdate() - timedelta(days=5 + index),
            responsible_party=organisation,
        )
    MilestoneFactory(project=off_track, status=Milestone.Status.BLOCKED, responsible_party=None)
    indicator = ValueIndicatorFactory(
        project=completed,
        dimension=ValueIndicator.Dimension.STAFF,
        baseline=10,
        target=5,
        name=f"Waiting days {tag}",
    )
    ValueMeasurement.objects.create(
        indicator=indicator,
        value=Decimal(4),
        measured_on=START + timedelta(days=20),
        recorded_by=leader,
    )
    for index in range(size):
        InnovationTime.objects.create(
            project=off_track,
            person=staff,
            week=date(2026, 7, 6) + timedelta(weeks=index),
            hours=Decimal("2.5"),
        )
    agreement = agreement_with_parties(
        organisation, project=off_track, status=Agreement.Status.ACTIVE
    )
    phase = phase_with_budgets(
        agreement, ceilings={organisation: "100000"}, starts_on=START, ends_on=END
    )
    target = target_of(phase, organisation, due_on=START + timedelta(days=30))
    instalment_of(target, organisation, amount="12500", planned_on=START + timedelta(days=40))
    # Adopted elsewhere (piloting in one more clinic), and a scale-up decision in the period.
    Adoption.objects.create(
        project=off_track,
        clinic=ClinicFactory(region=clinic.region),
        status=Adoption.Status.PILOTING,
        started_on=START,
    )
    decision = ScaleDecision.objects.create(
        project=off_track,
        outcome=ScaleDecision.Outcome.SCALE_UP,
        note="Worked in the pilot",
        decided_by=leader,
        decided_at=_aware(START + timedelta(days=10)),
    )
    decision.clinics.add(clinic)
    # A cash-releasing benefit of the completed project: 80,000 of 100,000 a year realised.
    benefit = Benefit.objects.create(
        project=completed,
        title=f"Fewer bed days {tag}",
        dimension=Benefit.Dimension.ECONOMY,
        cash_releasing=True,
        owner=leader,
        expected_yearly_amount=Decimal("100000"),
        currency="SEK",
        next_review_on=END + timedelta(days=90),
    )
    BenefitReview.objects.create(
        benefit=benefit,
        reviewed_on=START + timedelta(days=5),
        realised_yearly_amount=Decimal("80000"),
        recorded_by=leader,
    )
    return off_track


@pytest.fixture
def report_world(clinic, leader, staff_user, partner_organisation):
    clinic.allotted_innovation_hours_per_week = Decimal(4)
    clinic.save()
    _fill(clinic, leader, staff_user, partner_organisation, size=3)
    return leader


def _period(user, start=START, end=END):
    return ReportPeriod(user=user, start=start, end=end, today=timezone.localdate())


def _pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"[\u00a0\u202f]", " ", text)


def _download(client, user, fmt, **params):
    client.force_login(user)
    query = {"start": START.isoformat(), "end": END.isoformat(), "format": fmt, **params}
    return client.get(URL, query)


# --- the report's content -----------------------------------------------------------------------


def test_the_headline_figures_count_the_period(report_world):
    sections = {section.key: section for section in report_sections(_period(report_world))}

    figures = {figure.label: figure.value for figure in sections["headline"].figures}
    assert figures["Ideas received"] == 3
    assert figures["Projects started"] == 3
    assert figures["Projects completed"] == 1
    assert figures["Value indicators on target at the end of the period"] == 1
    risks = {figure.label: figure.value for figure in sections["risks"].figures}
    assert risks["Projects off track"] == 1
    assert risks["Overdue milestones"] == 3
    assert risks["Blocked milestones"] == 1
    time = {figure.label: figure.value for figure in sections["innovation_time"].figures}
    # 13 Mondays in July–September 2026, 4 hours each; 3 weeks of 2.5 hours recorded.
    assert time["Allotted hours"] == Decimal(52)
    assert time["Recorded hours"] == Decimal("7.5")
    adoptions = {figure.label: figure.value for figure in sections["adoptions"].figures}
    assert adoptions["Adoptions"] == 1
    assert adoptions["Scale-up decisions in the period"] == 1
    assert adoptions["Scale up to named clinics"] == 1
    assert ["Piloting", 1] in sections["adoptions"].rows
    benefits = sections["benefits"]
    assert benefits.rows == [
        ["Economy", 1, 1, Money(Decimal("100000"), "SEK"), Money(Decimal("80000"), "SEK")]
    ]
    engagement = {figure.label: figure.value for figure in sections["engagement"].figures}
    assert engagement["Partner organisations"] == 1
    assert engagement["Partners in projects"] == 1
    assert engagement["Milestones late"] == 3
    assert ["Milestones blocked for more than 14 days", 0] in sections["engagement"].rows


def test_the_pdf_holds_the_headline_figures(client, report_world):
    report_world.preferred_language = "en"
    report_world.save()

    response = _download(client, report_world, "pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    text = _pdf_text(response.content)
    assert "Board report" in text
    for heading in (
        "Headline figures",
        "Funnel",
        "Health of the active projects",
        "Value realised per dimension",
        "Innovation time",
        "Top risks",
        "Innovation partnerships",
        "Benefits per dimension",
        "Adoption across clinics",
        "Partner engagement",
    ):
        assert heading in text, heading
    assert re.search(r"Scale-up decisions in the period\s*1", text)
    assert "SEK 80,000" in text
    assert re.search(r"Partner organisations\s*1", text)
    assert re.search(r"Ideas received\s*3", text), text
    assert re.search(r"Projects completed\s*1", text)
    assert "Sepsis alarm off track" in text
    assert "SEK 12,500" in text
    assert "Period: 1 Jul 2026 – 30 Sep 2026" in text


def test_the_workbook_has_one_sheet_per_section(client, report_world):
    report_world.preferred_language = "en"
    report_world.save()

    response = _download(client, report_world, "xlsx")

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [
        "Headline figures",
        "Funnel",
        "Health of the active projects",
        "Value realised per dimension",
        "Benefits per dimension",
        "Adoption across clinics",
        "Innovation time",
        "Top risks",
        "Partner engagement",
        "Innovation partnerships",
    ]
    headline = [list(row) for row in workbook["Headline figures"].iter_rows(values_only=True)]
    assert headline[0] == ["Figure", "Value"]
    assert ["Ideas received", 3] in headline
    assert ["Projects completed", 1] in headline
    funnel = [list(row) for row in workbook["Funnel"].iter_rows(values_only=True)]
    assert funnel[1:] == [
        ["Ideas received", 3],
        ["Ideas reviewed", 3],
        ["Projects started", 3],
        ["Projects completed", 1],
    ]
    money = [list(row) for row in workbook["Innovation partnerships"].iter_rows(values_only=True)]
    assert [12500, "SEK", 0, "SEK"] in money
    benefits = [list(row) for row in workbook["Benefits per dimension"].iter_rows(values_only=True)]
    assert ["Economy", 1, 1, 100000, "SEK", 80000, "SEK"] in benefits
    adoptions = [
        list(row) for row in workbook["Adoption across clinics"].iter_rows(values_only=True)
    ]
    assert ["Piloting", 1] in adoptions
    assert ["Scale-up decisions in the period", 1] in adoptions
    engagement = [list(row) for row in workbook["Partner engagement"].iter_rows(values_only=True)]
    assert ["Partner organisations", 1] in engagement
    assert ["Invitations unused after 7 days", 0] in engagement


def test_a_leader_of_another_region_sees_none_of_it(report_world, other_region_leader):
    sections = {s.key: s for s in report_sections(_period(other_region_leader))}

    figures = {figure.label: figure.value for figure in sections["headline"].figures}
    assert set(figures.values()) == {0}
    assert sections["risks"].rows == []
    assert "Sepsis" not in report_html(_period(other_region_leader), list(sections.values()))


# --- language -----------------------------------------------------------------------------------


def test_a_danish_leader_gets_danish_headings(client, other_region_leader):
    # Region Midtjylland's language is Danish; the leader chose none of their own.
    response = _download(client, other_region_leader, "pdf")

    text = _pdf_text(response.content)
    assert "Bestyrelsesrapport" in text
    assert "Nøgletal i overblik" in text
    assert "Innovationstid" in text
    assert "Headline figures" not in text


def test_a_swedish_leader_gets_swedish_sheets(client, report_world):
    response = _download(client, report_world, "xlsx")

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[0] == "Nyckeltal i sammandrag"
    assert "Innovationstid" in workbook.sheetnames


# --- the period -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (date(2026, 12, 3), (date(2026, 7, 1), date(2026, 9, 30))),
        (date(2026, 1, 15), (date(2025, 10, 1), date(2025, 12, 31))),
        (date(2026, 4, 1), (date(2026, 1, 1), date(2026, 3, 31))),
    ],
)
def test_the_default_period_is_the_last_full_quarter(today, quarter):
    assert last_full_quarter(today) == quarter


def test_the_form_offers_the_last_full_quarter(client, leader):
    client.force_login(leader)

    response = client.get(URL)

    assert response.status_code == 200
    start, end = last_full_quarter(timezone.localdate())
    html = response.content.decode()
    assert f'value="{start.isoformat()}"' in html
    assert f'value="{end.isoformat()}"' in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-09-30", "end": "2026-07-01"}, "end"),
        ({"start": "2026-13-01"}, "start"),
        ({"start": "not a date"}, "start"),
        ({"end": ""}, "end"),
        ({"end": (timezone.localdate() + timedelta(days=1)).isoformat()}, "end"),
        ({"start": "2020-01-01"}, "start"),
        ({"format": "docx"}, "format"),
    ],
)
def test_a_bad_period_is_a_field_error(client, leader, params, field):
    response = _download(client, leader, "pdf", **params)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert response["Content-Type"].startswith("text/html")


# --- who may download it -------------------------------------------------------------------------

LEADERS = {"leader", "clinic_leader", "other_region_leader", "admin_user"}


def _expected(role: str, method: str) -> int:
    if role == "anonymous":
        return 302
    if role not in LEADERS:
        return 403  # the one role gate of the site (clinics.access.role_required)
    return 200 if method == "get" else 405


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "query",
    [
        "",
        f"?start={START}&end={END}&format=pdf",
        f"?start={START}&end={END}&format=xlsx",
    ],
    ids=["form", "pdf", "xlsx"],
)
def test_matrix(client, world, role, method, query):
    if role != "anonymous":
        client.force_login(world.people[role])

    response = getattr(client, method)(URL + query)

    assert response.status_code == _expected(role, method)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    if response.status_code == 200 and query:
        content = (
            response.content if query.endswith("pdf") else b"".join(response.streaming_content)
        )
        assert content[:4] in (b"%PDF", b"PK\x03\x04")


def test_the_dashboard_links_to_the_report(client, leader):
    client.force_login(leader)

    html = client.get(reverse("portfolio:dashboard")).content.decode()

    assert f'href="{reverse("insights:board_report")}"' in html


# --- nothing fetched from outside ---------------------------------------------------------------


def test_the_fetcher_refuses_every_url_but_inline_data():
    fetcher = local_only_url_fetcher()
    for url in (
        "http://fonts.example.org/font.woff2",
        "https://example.org/logo.png",
        "file:///etc/passwd",
        "ftp://example.org/x",
    ):
        with pytest.raises(ValueError, match="no external resource"):
            fetcher.fetch(url)
    response = fetcher.fetch("data:text/plain,ok")
    assert response.status in (200, None)
    response.close()


def test_rendering_opens_no_connection(report_world, monkeypatch):
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("the board report must not reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    period = _period(report_world)
    sections = report_sections(period)
    html = report_html(period, sections)
    # No resource to fetch: no link, no image, no stylesheet, no font from anywhere.
    assert not re.search(r"\b(src|href)=|url\(|@import|@font-face", html)

    content = report_pdf(period, sections)

    assert content.startswith(b"%PDF")
    assert attempts == []


def test_a_title_with_markup_stays_text(report_world, clinic, monkeypatch):
    ProjectFactory(
        lead_clinic=clinic,
        title='<img src="https://example.org/x.png"> Tracker',
        stage=Project.Stage.PILOT,
        health=Project.Health.OFF_TRACK,
    )
    period = _period(report_world)

    html = report_html(period, report_sections(period))

    assert "&lt;img src=&quot;https://example.org/x.png&quot;&gt; Tracker" in html
    assert '<img src="https' not in html


# --- the registry -------------------------------------------------------------------------------


def test_a_section_is_added_by_one_registration(report_world):
    def extra_section(period):
        return Section(key="extra", title="Extra", columns=["Clinic"], rows=[["A1"]])

    try:
        register_section(extra_section, order=47)
        register_section(extra_section, order=47)  # once only
        keys = [section.key for section in report_sections(_period(report_world))]
    finally:
        from insights.board_report import sections

        sections._providers[:] = [
            item for item in sections._providers if item[2] is not extra_section
        ]
    assert keys == [
        "headline",
        "funnel",
        "health",
        "value",
        "benefits",
        "adoptions",
        "extra",
        "innovation_time",
        "risks",
        "engagement",
        "partnership",
    ]
    assert extra_section not in section_providers()


# --- queries ------------------------------------------------------------------------------------


def _count_queries(user) -> int:
    period = _period(user)
    with CaptureQueriesContext(connection) as queries:
        report_sections(period)
    return len(queries)


def test_the_queries_do_not_grow_with_the_data(
    report_world, clinic, other_clinic, staff_user, partner_organisation
):
    small = _count_queries(report_world)

    other_clinic.allotted_innovation_hours_per_week = Decimal(2)
    other_clinic.save()
    _fill(clinic, report_world, staff_user, partner_organisation, size=12, tag="more ")

    assert _count_queries(report_world) == small
    # ideas, projects, value (1 each), benefits (2), adoptions (2), innovation time (2),
    # risks (3), engagement (1 rows, 1 contributions vs plan, 3 needing action),
    # partnerships (3).
    assert small == 20, small
