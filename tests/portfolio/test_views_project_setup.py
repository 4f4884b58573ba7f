"""Leaders start and edit projects and define, edit and retire value indicators; measurements
are refused outside the project's life; the project page shows it all in a fixed number of
queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Project, ValueIndicator
from tests.clinics.factories import ClinicFactory
from tests.partners.factories import PartnerUserFactory
from tests.portfolio.factories import ProjectFactory, ThemeFactory, ValueIndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


def _codes(form, field):
    return [error.code for error in form.errors.as_data().get(field, [])]


def _project_data(clinic, owner_person, **changes):
    owner = owner_person
    return {
        "title": "Sensor floors",
        "summary": "Fewer falls at night.",
        "lead_clinic": clinic.pk,
        "owner": owner.pk,
        "planned_start_on": "2030-02-01",
        "planned_end_on": "2031-01-31",
        "budget_amount": "650000",
        "budget_currency": "",
    } | changes


# --- Starting a project ------------------------------------------------------------------------


def test_a_leader_starts_a_project_with_plan_budget_themes_and_clinics(
    leader_client, leader, clinic, other_clinic
):
    theme = ThemeFactory()

    response = leader_client.post(
        reverse("portfolio:project_create"),
        _project_data(clinic, leader, other_clinics=[other_clinic.pk], themes=[theme.pk]),
    )

    project = Project.objects.get(title="Sensor floors")
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolio:project_detail", args=[project.pk])
    assert project.stage == Project.Stage.CONCEPT
    assert project.idea is None
    assert project.budget_amount == Decimal("650000.00")
    assert project.budget_currency == "SEK"  # the Swedish region's currency by default
    assert project.planned_end_on == datetime.date(2031, 1, 31)
    assert list(project.other_clinics.all()) == [other_clinic]
    assert list(project.themes.all()) == [theme]
    assert project.stage_changes.get().to_stage == Project.Stage.CONCEPT
    page = leader_client.get(response["Location"]).content.decode()
    assert "650\xa0000\xa0SEK" in page or "SEK\xa0650,000" in page  # the money filter


def test_a_danish_regions_project_budgets_in_kroner(client, other_region, other_region_leader):
    clinic = ClinicFactory(region=other_region)
    client.force_login(other_region_leader)

    client.post(reverse("portfolio:project_create"), _project_data(clinic, other_region_leader))

    assert Project.objects.get(title="Sensor floors").budget_currency == "DKK"


def test_a_planned_end_before_the_start_is_refused_next_to_the_field(leader_client, leader, clinic):
    response = leader_client.post(
        reverse("portfolio:project_create"),
        _project_data(clinic, leader, planned_start_on="2030-05-01", planned_end_on="2030-04-30"),
    )

    assert response.status_code == 400
    assert _codes(response.context["form"], "planned_end_on") == ["end_before_start"]
    assert 'value="Sensor floors"' in response.content.decode()  # nothing typed is lost
    assert not Project.objects.filter(title="Sensor floors").exists()


@pytest.mark.parametrize("field", ["lead_clinic", "other_clinics", "owner", "themes"])
def test_forged_ids_are_field_errors_never_500(
    leader_client, leader, clinic, foreign_clinic, other_region_leader, field
):
    forged = {
        "lead_clinic": foreign_clinic.pk,  # a clinic of another region
        "other_clinics": [foreign_clinic.pk],
        "owner": other_region_leader.pk,  # a person of another region
        "themes": [987654],
    }[field]

    response = leader_client.post(
        reverse("portfolio:project_create"), _project_data(clinic, leader, **{field: forged})
    )

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Project.objects.filter(title="Sensor floors").exists()


def test_a_partner_user_is_never_offered_as_owner(leader_client, leader, clinic):
    partner = PartnerUserFactory()

    response = leader_client.post(
        reverse("portfolio:project_create"), _project_data(clinic, leader, owner=partner.pk)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["owner"]


def test_a_clinic_leader_cannot_start_a_project_in_a_clinic_they_do_not_lead(
    client, region, clinic, other_clinic
):
    from tests.clinics.factories import LeaderFactory

    clinic_leader = LeaderFactory(region=region, clinics=[clinic])
    client.force_login(clinic_leader)

    response = client.post(
        reverse("portfolio:project_create"), _project_data(other_clinic, clinic_leader)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["lead_clinic"]


# --- Editing a project ------------------------------------------------------------------------


def test_a_steering_leader_edits_the_project_and_the_history_keeps_it(
    leader_client, leader, project
):
    url = reverse("portfolio:project_edit", args=[project.pk])
    assert leader_client.get(url).status_code == 200

    response = leader_client.post(
        url,
        _project_data(
            project.lead_clinic,
            leader,
            title="Digital triage 2.0",
            budget_amount="1250.50",
            budget_currency="EUR",
            version=project.version,
        ),
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Digital triage 2.0"
    assert project.budget_amount == Decimal("1250.50")
    assert project.budget_currency == "EUR"
    page = leader_client.get(reverse("portfolio:project_detail", args=[project.pk]))
    history = page.context["change_history"]
    assert any(change.new == "Digital triage 2.0" for entry in history for change in entry.changes)


def test_a_stale_edit_answers_409_with_the_current_values(leader_client, leader, project):
    url = reverse("portfolio:project_edit", args=[project.pk])
    old_version = project.version
    project.title = "Renamed by a colleague"
    project.save()

    response = leader_client.post(
        url, _project_data(project.lead_clinic, leader, title="Mine", version=old_version)
    )

    assert response.status_code == 409
    assert 'value="Renamed by a colleague"' in response.content.decode()
    assert response.context["form"].non_field_errors()
    project.refresh_from_db()
    assert project.title == "Renamed by a colleague"


def test_the_project_page_offers_editing_only_to_steering_leaders(client, project, staff_user):
    client.force_login(staff_user)

    page = client.get(reverse("portfolio:project_detail", args=[project.pk])).content.decode()

    assert reverse("portfolio:project_edit", args=[project.pk]) not in page
    assert reverse("portfolio:indicator_create", args=[project.pk]) not in page


# --- Value indicators ---------------------------------------------------------------------------

INDICATOR = {
    "dimension": "care_pathway",
    "name": "Waiting time on the phone",
    "unit": "min",
    "direction": "lower",
    "baseline": "18",
    "target": "5",
    "frequency": "monthly",
}


def test_a_leader_adds_an_indicator(leader_client, project):
    response = leader_client.post(
        reverse("portfolio:indicator_create", args=[project.pk]), INDICATOR
    )

    assert response.status_code == 302
    indicator = project.value_indicators.get()
    assert indicator.direction == ValueIndicator.Direction.LOWER
    assert indicator.frequency == ValueIndicator.Frequency.MONTHLY
    assert indicator.target == Decimal(5)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"target": "18"}, "target_is_baseline"),
        ({"direction": "higher"}, "target_side"),  # 5 below 18, but higher is better
        ({"direction": "lower", "target": "20"}, "target_side"),
    ],
)
def test_a_target_that_cannot_show_progress_is_refused_next_to_it(
    leader_client, project, changes, code
):
    response = leader_client.post(
        reverse("portfolio:indicator_create", args=[project.pk]), INDICATOR | changes
    )

    assert response.status_code == 400
    assert _codes(response.context["form"], "target") == [code]
    assert not project.value_indicators.exists()


def test_a_second_indicator_of_the_same_name_is_refused_next_to_the_name(leader_client, project):
    ValueIndicatorFactory(project=project, name=INDICATOR["name"])

    response = leader_client.post(
        reverse("portfolio:indicator_create", args=[project.pk]), INDICATOR
    )

    assert response.status_code == 400
    assert response.context["form"].errors["name"]


def test_a_stale_indicator_edit_answers_409_with_the_current_values(leader_client, project):
    indicator = ValueIndicatorFactory(project=project, name="Calls a day")
    url = reverse("portfolio:indicator_edit", args=[project.pk, indicator.pk])
    old_version = indicator.version
    indicator.name = "Calls per day"
    indicator.save()

    response = leader_client.post(url, INDICATOR | {"version": old_version})

    assert response.status_code == 409
    assert 'value="Calls per day"' in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.name == "Calls per day"


def test_retiring_keeps_the_indicator_and_its_measurements(leader_client, leader, project):
    _started_a_year_ago(project)
    indicator = ValueIndicatorFactory(project=project)
    _measure(leader_client, project, indicator, days_ago=10, value="7")
    indicator.refresh_from_db()
    url = reverse("portfolio:indicator_retire", args=[project.pk, indicator.pk])
    assert leader_client.get(url).status_code == 200  # asks first

    response = leader_client.post(url, {"version": indicator.version})

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.is_retired
    assert indicator.measurements.count() == 1
    # No new measurement for it: it is not offered, and a forged post is a field error.
    response = _measure(leader_client, project, indicator, days_ago=5, value="6")
    assert response.status_code == 400
    assert response.context["forms"]["measure"].errors["indicator"]
    assert indicator.measurements.count() == 1
    # Nor can it be edited any more.
    edit = reverse("portfolio:indicator_edit", args=[project.pk, indicator.pk])
    leader_client.post(edit, INDICATOR | {"version": indicator.version})
    indicator.refresh_from_db()
    assert indicator.name != INDICATOR["name"]


def test_a_stale_retirement_answers_409(leader_client, project):
    indicator = ValueIndicatorFactory(project=project)

    response = leader_client.post(
        reverse("portfolio:indicator_retire", args=[project.pk, indicator.pk]), {"version": "0"}
    )

    assert response.status_code == 409
    indicator.refresh_from_db()
    assert not indicator.is_retired


# --- Measurements within the project's life -----------------------------------------------------


def _started_a_year_ago(project):
    project.started_on = timezone.localdate() - datetime.timedelta(days=365)
    project.save()
    return project


def _measure(client, project, indicator, *, days_ago=None, value="7", measured_on=None):
    measured_on = measured_on or timezone.localdate() - datetime.timedelta(days=days_ago)
    return client.post(
        reverse("portfolio:project_detail", args=[project.pk]),
        {
            "action": "measure",
            "indicator": indicator.pk,
            "value": value,
            "measured_on": measured_on.isoformat(),
        },
    )


@pytest.mark.parametrize(
    ("offset_days", "code"),
    [(-400, "before_start"), (1, "future"), (-10, "after_end")],
)
def test_a_measurement_outside_the_projects_life_is_refused(
    leader_client, project, offset_days, code
):
    _started_a_year_ago(project)
    if code == "after_end":
        project.stage = Project.Stage.COMPLETED
        project.ended_on = timezone.localdate() - datetime.timedelta(days=30)
        project.save()
    indicator = ValueIndicatorFactory(project=project)

    response = _measure(
        leader_client,
        project,
        indicator,
        measured_on=timezone.localdate() + datetime.timedelta(days=offset_days),
    )

    assert response.status_code == 400
    assert _codes(response.context["forms"]["measure"], "measured_on") == [code]
    assert not indicator.measurements.exists()


# --- The project page ---------------------------------------------------------------------------


def test_the_project_page_runs_a_fixed_number_of_queries(leader_client, leader, project):
    _started_a_year_ago(project)
    url = reverse("portfolio:project_detail", args=[project.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert leader_client.get(url).status_code == 200
        return len(queries)

    ValueIndicatorFactory(project=project)
    small = count()
    for n in range(6):
        indicator = ValueIndicatorFactory(project=project, baseline=0, target=10)
        _measure(leader_client, project, indicator, days_ago=n + 1, value=str(n))
    ValueIndicatorFactory(project=project, retired_at=timezone.now())

    assert count() == small


def test_the_page_shows_direction_progress_and_retired_indicators(leader_client, leader, project):
    leader.preferred_language = "en"  # the region reads Swedish; the words below are English
    leader.save(update_fields=["preferred_language"])
    _started_a_year_ago(project)
    reached = ValueIndicatorFactory(project=project, name="Falls", baseline=10, target=5)
    _measure(leader_client, project, reached, days_ago=3, value="4")
    ValueIndicatorFactory(project=project, name="Old measure", retired_at=timezone.now())

    page = leader_client.get(reverse("portfolio:project_detail", args=[project.pk]))
    html = page.content.decode()

    assert "Lower is better" in html
    assert "on target" in html
    assert "retired" in html
    # The measurement form offers the active indicators only.
    offered = list(page.context["forms"]["measure"].fields["indicator"].queryset)
    assert [indicator.name for indicator in offered] == ["Falls"]


def test_partners_do_not_see_the_budget(client, project, partner_user):
    project.budget_amount = Decimal("777000")
    project.budget_currency = "SEK"
    project.planned_end_on = datetime.date(2031, 6, 30)
    project.save()
    client.force_login(partner_user)

    page = client.get(reverse("portfolio:project_detail", args=[project.pk])).content.decode()

    assert "777" not in page
    assert "2031" in page  # the planned dates are shared


def test_a_new_project_from_another_page_is_not_reachable_by_id_guessing(client, leader):
    # Sanity: an id that does not exist answers 404 on every project set-up page.
    client.force_login(leader)
    for name, args in (
        ("project_edit", [999999]),
        ("indicator_create", [999999]),
        ("indicator_edit", [999999, 1]),
        ("indicator_retire", [999999, 1]),
    ):
        assert client.get(reverse(f"portfolio:{name}", args=args)).status_code == 404


def test_projects_factory_sanity():
    # ProjectFactory and the new fields: no plan, no budget by default.
    project = ProjectFactory()
    assert project.budget_amount is None and project.planned_start_on is None


# --- Documents ----------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(client, project, name="plan.pdf", content=PDF_BYTES):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("portfolio:project_document_add", args=[project.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_a_document_is_listed_with_who_added_it_and_downloads_to_readers(
    leader_client, client, leader, project, partner_user
):
    assert _upload(leader_client, project).status_code == 302
    document = project.documents.get()
    assert document.uploaded_by == leader
    page = leader_client.get(reverse("portfolio:project_detail", args=[project.pk]))
    assert "plan.pdf" in page.content.decode()
    assert str(leader) in page.content.decode()

    client.force_login(partner_user)
    download = client.get(reverse("portfolio:project_document", args=[project.pk, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("notes.pdf", b"MZ\x90\x00 an executable", "wrong_type"),
        ("empty.pdf", b"", None),  # Django's own "The submitted file is empty."
    ],
)
def test_a_wrong_or_empty_file_is_refused_next_to_the_field(
    leader_client, project, name, content, code
):
    response = _upload(leader_client, project, name=name, content=content)

    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    if code:
        assert _codes(response.context["form"], "file") == [code]
    assert not project.documents.exists()


def test_an_oversize_file_is_refused(leader_client, project, settings):
    settings.ATTACHMENT_MAX_BYTES = 100

    response = _upload(leader_client, project, content=PDF_BYTES + b"x" * 200)

    assert response.status_code == 400
    assert _codes(response.context["form"], "file") == ["too_large"]
    assert not project.documents.exists()


def test_a_zip_bomb_is_refused(leader_client, project):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (101 * 1024 * 1024))

    response = _upload(leader_client, project, name="bomb.docx", content=buffer.getvalue())

    assert response.status_code == 400
    assert not project.documents.exists()


def test_removing_a_document_asks_first_and_keeps_the_audit_trail(
    leader_client, project, django_capture_on_commit_callbacks
):
    from portfolio.models import ProjectDocument

    _upload(leader_client, project)
    document = project.documents.get()
    storage, name = document.file.storage, document.file.name
    url = reverse("portfolio:project_document_delete", args=[project.pk, document.pk])
    assert leader_client.get(url).status_code == 200
    assert project.documents.exists()  # asking removes nothing

    with django_capture_on_commit_callbacks(execute=True):
        assert leader_client.post(url).status_code == 302

    assert not project.documents.exists()
    assert not storage.exists(name)  # the file goes with it
    kinds = list(
        ProjectDocument.history.filter(id=document.pk)
        .order_by("history_date")
        .values_list("history_type", flat=True)
    )
    assert kinds == ["+", "-"]


def test_the_project_page_does_not_grow_with_documents(leader_client, project):
    url = reverse("portfolio:project_detail", args=[project.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert leader_client.get(url).status_code == 200
        return len(queries)

    _upload(leader_client, project)
    small = count()
    for n in range(5):
        _upload(leader_client, project, name=f"report-{n}.pdf")

    assert count() == small


def test_a_retired_indicator_leaves_the_dashboard_at_once(leader_client, leader, project):
    indicator = ValueIndicatorFactory(
        project=project, latest_value=4, latest_measured_on=timezone.localdate()
    )
    dashboard = reverse("portfolio:dashboard")
    assert leader_client.get(dashboard).context["board"].indicators_on_target == 1

    leader_client.post(
        reverse("portfolio:indicator_retire", args=[project.pk, indicator.pk]),
        {"version": indicator.version},
    )

    # The cached figures are keyed by the data version, which a retirement moves.
    assert leader_client.get(dashboard).context["board"].indicators_on_target == 0
