import datetime
import io
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.csv import neutralise
from portfolio.models import Challenge, Idea, Project, Review, gate_criteria_keys
from tests.clinics.factories import LeaderFactory
from tests.downloads import csv_rows
from tests.portfolio.factories import IdeaFactory, ProjectFactory, ValueIndicatorFactory
from tests.portfolio.test_selectors_dashboard import populate

pytestmark = pytest.mark.django_db

SCORES = {
    "score_patient_value": "5",
    "score_staff_value": "4",
    "score_economic_value": "3",
    "score_feasibility": "4",
    "score_strategic_fit": "4",
    "recommendation": "accept",
    "comment": "Good",
}


@pytest.fixture
def idea(staff_user):
    return IdeaFactory(submitter=staff_user, submitted=True, title="Photo triage")


@pytest.fixture
def leader_client(client, leader):
    leader.preferred_language = "en"
    leader.save()
    client.force_login(leader)
    return client


def review_url(idea):
    return reverse("portfolio:review_idea", args=[idea.pk])


def test_review_queue_lists_waiting_ideas_oldest_first(leader_client, staff_user):
    first = IdeaFactory(submitter=staff_user, submitted=True, title="Older")
    IdeaFactory(submitter=staff_user, submitted=True, title="Newer")
    IdeaFactory(submitter=staff_user, title="A draft")
    Idea.objects.filter(pk=first.pk).update(submitted_at="2020-01-01T00:00:00Z")

    response = leader_client.get(reverse("portfolio:review_queue"))

    titles = [idea.title for idea in response.context["page"]]
    assert titles == ["Older", "Newer"]


def test_scoring_through_the_page_and_the_mean_of_two_leaders(client, leader, region, idea):
    second = LeaderFactory(region=region)
    client.force_login(leader)
    assert client.post(review_url(idea), {"action": "score", **SCORES}).status_code == 302
    client.force_login(second)
    low = {**SCORES, **{key: "2" for key in SCORES if key.startswith("score_")}}
    assert client.post(review_url(idea), {"action": "score", **low}).status_code == 302

    response = client.get(review_url(idea))

    assert Review.objects.filter(idea=idea).count() == 2
    # Leader one: mean 4.0; leader two: mean 2.0 → 3.0 overall.
    assert response.context["summary"]["overall"] == pytest.approx(3.0)
    assert re.search(r'data-testid="overall-mean">3[.,]0<', response.content.decode())


def test_a_score_out_of_range_rerenders_with_the_input_kept(leader_client, idea):
    response = leader_client.post(
        review_url(idea), {"action": "score", **SCORES, "score_feasibility": "9", "comment": "Kept"}
    )

    assert response.status_code == 400
    assert response.context["forms"]["score"].errors["score_feasibility"]
    assert "Kept" in response.content.decode()
    assert not Review.objects.exists()


def test_declining_without_a_reason_shows_the_error(leader_client, idea):
    response = leader_client.post(review_url(idea), {"action": "decline", "reason": " "})

    assert response.status_code == 400
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED


def test_accepting_goes_to_the_new_project_and_a_second_accept_is_a_conflict(leader_client, idea):
    response = leader_client.post(review_url(idea), {"action": "accept", "title": "", "note": ""})

    project = Project.objects.get(idea=idea)
    assert response["Location"] == reverse("portfolio:project_detail", args=[project.pk])
    again = leader_client.post(review_url(idea), {"action": "accept", "title": "", "note": ""})
    assert again.status_code == 409
    assert Project.objects.filter(idea=idea).count() == 1


def test_merge_refuses_an_idea_from_another_region(leader_client, idea, other_region):
    from tests.clinics.factories import ClinicFactory, StaffFactory

    foreign_staff = StaffFactory(clinic=ClinicFactory(region=other_region))
    foreign = IdeaFactory(submitter=foreign_staff, submitted=True)

    response = leader_client.post(review_url(idea), {"action": "merge", "into": foreign.pk})

    assert response.status_code == 400
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED


def test_unknown_action_is_a_bad_request(leader_client, idea):
    assert leader_client.post(review_url(idea), {"action": "explode"}).status_code == 400


def test_idea_text_is_escaped_on_the_review_page(leader_client, staff_user):
    idea = IdeaFactory(submitter=staff_user, submitted=True, problem="<img src=x onerror=alert(1)>")

    content = leader_client.get(review_url(idea)).content.decode()

    assert "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


def test_stale_stage_form_is_refused_with_409(leader_client, project):
    url = reverse("portfolio:project_detail", args=[project.pk])
    leader_client.post(url, _gate_post("development", "A"))

    response = leader_client.post(url, _gate_post("stopped", "B"))

    assert response.status_code == 409
    project.refresh_from_db()
    assert project.stage == "development"
    assert "meanwhile" in response.content.decode()


def _gate_post(to_stage, note, *, version=1, unticked=0):
    keys = gate_criteria_keys(to_stage)
    return {
        "action": "stage",
        "to_stage": to_stage,
        "criteria": [f"{to_stage}:{key}" for key in keys[unticked:]],
        "note": note,
        "version": version,
    }


def test_the_gate_form_offers_the_next_stage_or_stopped_with_their_checklists(
    leader_client, project
):
    response = leader_client.get(reverse("portfolio:project_detail", args=[project.pk]))

    form = response.context["forms"]["stage"]
    assert [value for value, _label in form.fields["to_stage"].choices] == [
        "development",
        "stopped",
    ]
    html = response.content.decode()
    assert 'value="development:need"' in html and 'value="stopped:reason"' in html
    assert 'value="pilot:' not in html


def test_a_gate_that_jumps_stages_is_refused_next_to_the_stage_field(leader_client, project):
    url = reverse("portfolio:project_detail", args=[project.pk])

    response = leader_client.post(url, _gate_post("pilot", "Skip the development"))

    assert response.status_code == 400
    assert response.context["forms"]["stage"].errors["to_stage"]
    project.refresh_from_db()
    assert project.stage == "concept"
    assert not project.stage_changes.exists()


def test_a_gate_with_an_unticked_criterion_is_refused_next_to_the_checklist(leader_client, project):
    url = reverse("portfolio:project_detail", args=[project.pk])

    response = leader_client.post(url, _gate_post("development", "Go", unticked=1))

    assert response.status_code == 400
    errors = " ".join(response.context["forms"]["stage"].errors["criteria"])
    assert "Every criterion of the gate must be met" in errors
    project.refresh_from_db()
    assert project.stage == "concept"


def test_the_ticked_criteria_are_kept_and_shown_in_the_stage_history(leader_client, project):
    url = reverse("portfolio:project_detail", args=[project.pk])

    response = leader_client.post(url, _gate_post("development", "Go"))

    assert response.status_code == 302
    change = project.stage_changes.get()
    assert change.criteria_met == ["need", "owner", "value"]
    html = leader_client.get(url).content.decode()
    assert "An owner and a team with time set aside are named" in html
    assert 'data-testid="criteria-met"' in html


def _started_a_year_ago(project):
    project.started_on = timezone.localdate() - datetime.timedelta(days=365)
    project.save()
    return project


def test_status_update_and_measurement_through_the_page(leader_client, project):
    _started_a_year_ago(project)
    url = reverse("portfolio:project_detail", args=[project.pk])
    indicator = ValueIndicatorFactory(project=project)

    leader_client.post(url, {"action": "status", "health": "off_track", "text": "Blocked"})
    leader_client.post(
        url,
        {
            "action": "measure",
            "indicator": indicator.pk,
            "value": "7.5",
            "measured_on": (timezone.localdate() - datetime.timedelta(days=30)).isoformat(),
        },
    )

    project.refresh_from_db()
    indicator.refresh_from_db()
    assert project.health == "off_track"
    assert str(indicator.latest_value) == "7.50"


def test_measurement_for_another_projects_indicator_is_refused(leader_client, project, clinic):
    url = reverse("portfolio:project_detail", args=[project.pk])
    foreign = ValueIndicatorFactory(project=ProjectFactory(lead_clinic=clinic))

    response = leader_client.post(
        url,
        {
            "action": "measure",
            "indicator": foreign.pk,
            "value": "1",
            "measured_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 400
    assert not foreign.measurements.exists()


@pytest.mark.parametrize(
    ("measured_on", "message"),
    [
        ("0001-01-01", "before the project started"),
        ("2999-12-31", "cannot be dated in the future"),
    ],
)
def test_a_measurement_outside_the_projects_life_is_refused_next_to_the_date(
    leader_client, project, measured_on, message
):
    _started_a_year_ago(project)
    indicator = ValueIndicatorFactory(project=project)

    response = leader_client.post(
        reverse("portfolio:project_detail", args=[project.pk]),
        {"action": "measure", "indicator": indicator.pk, "value": "3", "measured_on": measured_on},
    )

    assert response.status_code == 400
    form = response.context["forms"]["measure"]
    assert message in " ".join(form.errors["measured_on"])
    assert f'value="{measured_on}"' in response.content.decode()  # what was typed is kept
    assert not indicator.measurements.exists()


def test_leader_posts_and_edits_a_challenge(leader_client, region, clinic):
    response = leader_client.post(
        reverse("portfolio:leader_challenge_create"),
        {
            "title": "Fewer falls",
            "description": "At night",
            "region": region.pk,
            "clinic": clinic.pk,
            "closes_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    challenge = Challenge.objects.get(title="Fewer falls")
    edit_url = reverse("portfolio:leader_challenge_edit", args=[challenge.pk])
    form = leader_client.get(edit_url).context["form"]

    data = {
        **{k: v for k, v in form.initial.items() if v is not None},
        "title": "Fewer falls at night",
    }
    assert leader_client.post(edit_url, data).status_code == 302
    # The same (now stale) form a second time is refused.
    stale = leader_client.post(edit_url, {**data, "title": "Overwritten"})
    assert stale.status_code == 409
    challenge.refresh_from_db()
    assert challenge.title == "Fewer falls at night"


@pytest.mark.parametrize(
    ("closes_on", "message"),
    [("", "Choose the closing date"), ("2000-01-01", "cannot be in the past")],
    ids=["missing", "past"],
)
def test_a_challenge_needs_a_closing_date_from_today_on(
    leader_client, region, clinic, closes_on, message
):
    response = leader_client.post(
        reverse("portfolio:leader_challenge_create"),
        {
            "title": "Fewer falls",
            "description": "At night",
            "region": region.pk,
            "clinic": clinic.pk,
            "closes_on": closes_on,
        },
    )

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["closes_on"])
    assert "Fewer falls" in response.content.decode()
    assert not Challenge.objects.exists()


def test_the_closing_date_is_asked_for_on_the_challenge_form(leader_client):
    form = leader_client.get(reverse("portfolio:leader_challenge_create")).context["form"]

    assert form.fields["closes_on"].required


# --- Exports ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Safe", "Safe"),
        (-3, -3),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_has_exactly_the_dashboards_rows_for_the_filter(leader_client, clinic, leader):
    populate(clinic, leader, 30)
    query = {"health": "at_risk", "q": "project"}

    dashboard = leader_client.get(reverse("portfolio:dashboard"), query)
    listed = [p.pk for p in dashboard.context["page"].paginator.object_list]
    response = leader_client.get(reverse("portfolio:export_csv"), query)

    assert response["Content-Disposition"].startswith("attachment;")
    rows = csv_rows(response)
    assert rows[0][:2] == ["ID", "Title"]
    assert [int(row[0]) for row in rows[1:]] == listed
    assert len(listed) == 10


def _xlsx_bytes(response) -> bytes:
    """The workbook is streamed (written row by row to a file the response reads)."""
    assert response.status_code == 200
    return b"".join(response.streaming_content)


FORMULA_TITLES = ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)"]


def test_exports_neutralise_formulas(leader_client, clinic, leader):
    for title in FORMULA_TITLES:
        ProjectFactory(lead_clinic=clinic, owner=leader, title=title)

    rows = csv_rows(leader_client.get(reverse("portfolio:export_csv")))
    xlsx = _xlsx_bytes(leader_client.get(reverse("portfolio:export_xlsx")))

    # CSV: a leading apostrophe (a CSV has no cell types).
    csv_titles = [row[1] for row in rows[1:]]
    assert sorted(csv_titles) == sorted("'" + title for title in FORMULA_TITLES)
    # Excel: the text as typed, in string cells with the quote-prefix style; no formula at all.
    sheet = load_workbook(io.BytesIO(xlsx)).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert sorted(cell.value for cell in cells) == sorted(FORMULA_TITLES)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_xlsx_plain_texts_get_no_quote_prefix(leader_client, clinic, leader):
    ProjectFactory(lead_clinic=clinic, owner=leader, title="Safe title")

    sheet = load_workbook(
        io.BytesIO(_xlsx_bytes(leader_client.get(reverse("portfolio:export_xlsx"))))
    ).active

    assert sheet.cell(row=2, column=2).value == "Safe title"
    assert not sheet.cell(row=2, column=2).quotePrefix


def test_xlsx_has_real_dates_numbers_names_and_a_filtered_frozen_header(
    leader_client, clinic, leader, staff_user
):
    idea = IdeaFactory(submitter=staff_user, title="Tooth triage by phone")
    ProjectFactory(
        lead_clinic=clinic,
        owner=leader,
        title="Dated",
        idea=idea,
        started_on=datetime.date(2026, 3, 18),
        ended_on=datetime.date(2026, 9, 1),
    )
    ProjectFactory(lead_clinic=clinic, owner=leader, title="Running", ended_on=None)

    sheet = load_workbook(
        io.BytesIO(_xlsx_bytes(leader_client.get(reverse("portfolio:export_xlsx"))))
    ).active
    header = [cell.value for cell in sheet[1]]
    dated = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "Dated")
    column = {name: dated[header.index(name)] for name in header}

    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:N{sheet.max_row}" and sheet.max_row == 3
    assert column["Started on"].is_date
    assert column["Started on"].value.date() == datetime.date(2026, 3, 18)
    assert column["Started on"].number_format == "yyyy-mm-dd"
    assert column["Ended on"].value.date() == datetime.date(2026, 9, 1)
    assert isinstance(column["ID"].value, int)
    assert column["Open milestones"].data_type == "n"
    assert column["Idea"].value == "Tooth triage by phone"
    assert column["Lead clinic"].value == clinic.name


def _plain(value):
    # The workbook's dates are dates (openpyxl reads them back as datetimes); the CSV's ISO.
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return "" if value is None else str(value)


def test_xlsx_has_the_dashboards_rows_and_the_csvs_cells(leader_client, clinic, leader):
    populate(clinic, leader, 12)
    ProjectFactory(
        lead_clinic=clinic, owner=leader, title="-project with a minus", health="at_risk"
    )
    query = {"health": "at_risk", "q": "project"}

    dashboard = leader_client.get(reverse("portfolio:dashboard"), query)
    listed = [p.pk for p in dashboard.context["page"].paginator.object_list]
    csv_lines = csv_rows(leader_client.get(reverse("portfolio:export_csv"), query))
    sheet = load_workbook(
        io.BytesIO(_xlsx_bytes(leader_client.get(reverse("portfolio:export_xlsx"), query)))
    ).active
    xlsx_rows = [[_plain(v) for v in row] for row in sheet.iter_rows(values_only=True)]

    assert len(listed) == 5
    assert [int(row[0]) for row in xlsx_rows[1:]] == listed
    # Cell for cell the CSV, but for the CSV's apostrophe in front of formula-like texts.
    unquoted_csv = [[c[1:] if c.startswith("'") else c for c in row] for row in csv_lines]
    assert xlsx_rows == unquoted_csv
    assert "-project with a minus" in [row[1] for row in xlsx_rows]
    partners_column = csv_lines[0].index("Partners")
    assert all(row[partners_column] for row in csv_lines[1:] if row[1].startswith("project"))


def test_review_queue_runs_a_fixed_number_of_queries(leader_client, staff_user, leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portfolio.services.reviews import review_save

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert leader_client.get(reverse("portfolio:review_queue")).status_code == 200
        return len(queries)

    for _ in range(2):
        review_save(
            idea=IdeaFactory(submitter=staff_user, submitted=True),
            reviewer=leader,
            scores={key: int(value) for key, value in SCORES.items() if key.startswith("score_")},
        )
    small = count()
    for _ in range(20):
        IdeaFactory(submitter=staff_user, submitted=True)

    assert count() == small


def test_challenge_for_a_clinic_one_does_not_lead_is_refused(leader_client, other_region):
    from tests.clinics.factories import ClinicFactory

    foreign = ClinicFactory(region=other_region)

    response = leader_client.post(
        reverse("portfolio:leader_challenge_create"),
        {"title": "Mine now", "description": "D", "region": other_region.pk, "clinic": foreign.pk},
    )

    assert response.status_code == 400
    assert "Mine now" in response.content.decode()  # what was typed is kept
    assert not Challenge.objects.exists()


# --- The review page: attachments, similar ideas, one decision form ----------------------------


def test_the_review_page_lists_the_attachments_with_their_protected_links(
    leader_client, idea, staff_user
):
    from portfolio.models import IdeaAttachment

    attachment = IdeaAttachment.objects.create(
        idea=idea,
        file="ideas/photo.pdf",
        original_name="triage-plan.pdf",
        content_type="application/pdf",
        size=2048,
        uploaded_by=staff_user,
    )

    content = leader_client.get(review_url(idea)).content.decode()

    link = reverse("portfolio:idea_attachment", args=[idea.pk, attachment.pk])
    assert f'href="{link}"' in content
    assert "triage-plan.pdf" in content
    assert "2.0\xa0KB" in content


def test_the_review_page_lists_similar_ideas_and_hides_other_clinics_texts(
    client, idea, clinic, other_clinic_staff
):
    leader = LeaderFactory(username="clinic_leader", region=clinic.region, clinics=[clinic])
    leader.preferred_language = "en"
    leader.save()
    client.force_login(leader)
    own_clinic = IdeaFactory(
        submitter=idea.submitter, submitted=True, title="Photo triage at night", problem="Dark"
    )
    other_clinic = IdeaFactory(
        submitter=other_clinic_staff,
        submitted=True,
        title="Photo triage for wounds",
        problem="A secret text of another clinic",
    )

    response = client.get(review_url(idea))
    content = response.content.decode()

    assert set(response.context["similar_ideas"]) == {own_clinic, other_clinic}
    # The leader opens the one of a clinic they lead; the other clinic's only by title.
    assert f'href="{review_url(own_clinic)}"' in content
    assert "Photo triage for wounds" in content
    assert f'href="{review_url(other_clinic)}"' not in content
    assert "A secret text of another clinic" not in content


def test_the_review_page_has_one_decision_form_with_radio_choices(leader_client, idea):
    IdeaFactory(submitter=idea.submitter, submitted=True)  # a merge target

    content = leader_client.get(review_url(idea)).content.decode()

    forms = re.findall(r"<form method=\"post\"[^>]*decision-form.*?</form>", content, re.S)
    assert len(forms) == 1
    decision = forms[0]
    radios = re.findall(r'type="radio" name="action" value="(\w+)"', decision)
    assert radios == ["accept", "decline", "ask", "merge"]
    for field in ("title", "note", "reason", "question", "into", "merge_note"):
        assert f'name="{field}"' in decision
    assert decision.count("<legend") == 5
    assert "js/review_decision.js" in content


def test_a_bad_decision_keeps_everything_typed(leader_client, idea):
    response = leader_client.post(
        review_url(idea),
        {
            "decision": "1",
            "action": "decline",
            "reason": " ",
            "title": "Typed title",
            "note": "Typed note",
            "question": "Typed question",
        },
    )

    assert response.status_code == 400
    assert response.context["forms"]["decline"].errors["reason"]
    content = response.content.decode()
    for typed in ("Typed title", "Typed note", "Typed question"):
        assert typed in content
    assert 'value="decline" id="decision-decline" checked' in content
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED


def test_a_decision_form_without_a_choice_asks_for_one_and_keeps_the_text(leader_client, idea):
    response = leader_client.post(
        review_url(idea), {"decision": "1", "reason": "Typed reason", "note": "Typed note"}
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Choose a decision." in content
    assert "Typed reason" in content and "Typed note" in content
    assert not Project.objects.filter(idea=idea).exists()


def test_merging_through_the_decision_form_keeps_its_note(leader_client, idea):
    target = IdeaFactory(submitter=idea.submitter, submitted=True)

    response = leader_client.post(
        review_url(idea),
        {"decision": "1", "action": "merge", "into": target.pk, "merge_note": "Same thing"},
    )

    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.merged_into == target
