"""``manage.py seed_demo``: the demo world, idempotent, every status and stage, working logins."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import NoReverseMatch, reverse

from clinics.models import Region, User
from clinics.views import START_PAGES
from demo import content
from demo.scale import IDEAS_PER_BATCH, MILESTONES_PER_PROJECT, PROJECTS_PER_BATCH
from partners.models import Agreement, Milestone
from portfolio.models import (
    Idea,
    IdeaStatusChange,
    Project,
    StageChange,
    StatusUpdate,
    ValueIndicator,
    ValueMeasurement,
)

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("clinics", "portfolio", "partners", "partnership")


def _counts():
    return {
        model._meta.label: model.objects.count()
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
    }


@pytest.fixture
def seeded():
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)


def test_seeding_twice_creates_no_duplicates(seeded):
    first = _counts()

    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)

    assert _counts() == first
    assert first["portfolio.Idea"] > 0 and first["partners.Milestone"] > 0


def test_if_empty_does_nothing_once_the_demo_region_exists(seeded):
    StatusUpdate.objects.filter(project__title="Tidig varning för sepsis").delete()
    before = _counts()

    call_command("seed_demo", "--i-know-this-is-not-production", "--if-empty", verbosity=0)

    assert _counts() == before


def test_scale_multiplies_the_portfolio_and_is_idempotent(seeded):
    base = _counts()

    call_command("seed_demo", "--i-know-this-is-not-production", "--scale", "2", verbosity=0)
    scaled = _counts()
    call_command("seed_demo", "--i-know-this-is-not-production", "--scale", "2", verbosity=0)

    assert _counts() == scaled
    assert scaled["portfolio.Idea"] == base["portfolio.Idea"] + IDEAS_PER_BATCH
    assert scaled["portfolio.Project"] == base["portfolio.Project"] + PROJECTS_PER_BATCH
    assert scaled["partners.Milestone"] == (
        base["partners.Milestone"] + PROJECTS_PER_BATCH * MILESTONES_PER_PROJECT
    )
    for label in ("portfolio.Idea", "portfolio.Project", "partners.Milestone"):
        assert scaled[label] >= 2 * base[label]


def test_every_idea_status_and_project_stage_is_present_in_both_regions(seeded):
    for region in Region.objects.all():
        statuses = set(Idea.objects.filter(clinic__region=region).values_list("status", flat=True))
        assert statuses == set(Idea.Status.values), region
    assert set(Project.objects.values_list("stage", flat=True)) == set(Project.Stage.values)
    assert set(Agreement.objects.values_list("status", flat=True)) == set(Agreement.Status.values)
    assert set(Milestone.objects.values_list("status", flat=True)) == set(Milestone.Status.values)


def test_histories_agree_with_the_current_state(seeded):
    for idea in Idea.objects.prefetch_related("status_changes"):
        changes = list(idea.status_changes.all())
        if idea.status == Idea.Status.DRAFT:
            assert changes == []
        else:
            assert changes[-1].to_status == idea.status
            assert changes[0].from_status == Idea.Status.DRAFT
    assert Idea.objects.filter(status="needs_info", questions__isnull=True).count() == 0
    for project in Project.objects.prefetch_related("stage_changes"):
        assert [c.to_stage for c in project.stage_changes.all()][-1] == project.stage
    for indicator in ValueIndicator.objects.prefetch_related("measurements"):
        newest = indicator.measurements.first()
        assert indicator.latest_value == (newest.value if newest else None)
        assert indicator.latest_measured_on == (newest.measured_on if newest else None)
    assert IdeaStatusChange.objects.exists() and StageChange.objects.exists()


def test_milestones_include_overdue_and_due_soon(seeded):
    assert Milestone.objects.overdue().exists()
    assert Milestone.objects.due_within(14).exists()


def test_partner_users_are_parties_to_different_projects_of_vasterbotten(seeded):
    partner = User.objects.get(username="partner")
    partner2 = User.objects.get(username="partner2")

    mine = set(Project.objects.visible_to(partner))
    theirs = set(Project.objects.visible_to(partner2))

    assert len(mine) >= 2 and len(theirs) >= 2
    assert not mine & theirs
    assert {p.lead_clinic.region.slug for p in mine | theirs} == {"vasterbotten"}


DEMO_LOGINS = {
    "staff": "staff",
    "staff2": "staff",
    "leader": "leader",
    "leader_dk": "leader",
    "partner": "partner",
    "partner2": "partner",
    "admin": "admin",
    "regionadmin": "leader",
    "regionadmin_dk": "leader",
}


def test_demo_logins_work_and_home_sends_each_to_the_roles_start_page(seeded, client):
    for username, role in DEMO_LOGINS.items():
        assert User.objects.get(username=username).role == role

        assert client.login(username=username, password=content.DEMO_PASSWORD), username
        response = client.get(reverse("home"))

        if role == "admin":
            assert response.status_code == 302 and response.url == reverse("admin:index")
        elif role in START_PAGES and _reverses(START_PAGES[role]):
            assert response.status_code == 302 and response.url == reverse(START_PAGES[role])
        else:
            # The role's start page is not built yet: the welcome page stands in.
            assert response.status_code == 200
        client.logout()


def _reverses(name):
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def test_demo_people_have_the_promised_places(seeded):
    users = {u.username: u for u in User.objects.select_related("clinic")}
    assert users["staff"].clinic.name == "Tandvårdskliniken Idun"
    assert users["staff2"].clinic.name == "Bjurholms hälsocentral"
    assert users["leader"].leader_scopes.get().clinic is None
    assert users["leader_dk"].leader_scopes.get().region.slug == "midtjylland"
    assert users["admin"].is_superuser
    assert users["leader"].language == "sv" and users["leader_dk"].language == "da"
    # One region administrator per region, of that region only.
    for username, region in (("regionadmin", "vasterbotten"), ("regionadmin_dk", "midtjylland")):
        scope = users[username].leader_scopes.get()
        assert (scope.region.slug, scope.clinic, scope.administers_region) == (region, None, True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deferred triggers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_share_triggers_accept_the_seeded_agreements_on_postgresql():
    # A transactional test: the deferred triggers run at COMMIT, which a plain test never reaches.
    call_command("seed_demo", "--i-know-this-is-not-production", "--scale", "2", verbosity=0)

    with connection.cursor() as cursor:
        # Touch every non-draft agreement's status and parties: the triggers re-check all sums.
        cursor.execute("UPDATE partners_agreement SET status = status WHERE status <> 'draft'")
        cursor.execute("UPDATE partners_agreementparty SET risk_share = risk_share")
    assert Agreement.objects.exclude(status="draft").count() > 10


def test_refuses_with_debug_off_without_the_flag(settings):
    # The test settings run with DEBUG off, as production does: the demo password is public.
    settings.DEBUG = False

    with pytest.raises(CommandError, match="i-know-this-is-not-production"):
        call_command("seed_demo", verbosity=0)
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", "--if-empty", "--scale", "2", verbosity=0)

    assert not Region.objects.exists() and not User.objects.exists()


def test_seeds_with_debug_on_without_the_flag(settings):
    settings.DEBUG = True

    call_command("seed_demo", verbosity=0)

    assert User.objects.filter(username="leader").exists()


def test_seeded_gates_and_agreements_keep_the_rules(seeded):
    """Every seeded gate moves one step forward or stops, with its whole checklist; every
    agreement past draft has a term and a contribution from every party (the scale too)."""
    from partners.services.agreements import _party_dicts, agreement_proposal_validate
    from portfolio.models import StageChange, gate_criteria_keys, stage_next_stages

    call_command("seed_demo", "--i-know-this-is-not-production", "--scale", "1", verbosity=0)

    for change in StageChange.objects.exclude(from_stage=""):
        assert change.to_stage in stage_next_stages(change.from_stage), change
        assert change.criteria_met == gate_criteria_keys(change.to_stage), change
    for agreement in Agreement.objects.exclude(status=Agreement.Status.DRAFT).select_related(
        "project__lead_clinic__region"
    ):
        agreement_proposal_validate(agreement, _party_dicts(agreement))


def test_each_region_has_an_innovation_partnership_cut_at_a_gate(seeded):
    from partnership.models import GateOutcome, Instalment, Phase

    for slug in ("vasterbotten", "midtjylland"):
        phases = Phase.objects.filter(agreement__project__lead_clinic__region__slug=slug)
        assert phases.count() >= 3
        assert GateOutcome.objects.filter(
            decision__phase__in=phases, outcome=GateOutcome.Outcome.NO_GO
        ).exists()
        statuses = set(Instalment.objects.filter(phase__in=phases).values_list("status", flat=True))
        assert statuses == set(Instalment.Status.values)


def test_teams_innovation_time_and_a_join_request_are_seeded(seeded):
    from decimal import Decimal

    from clinics.models import Clinic
    from portfolio.models import InnovationTime, ProjectMember

    clinics_with_teams = set(
        ProjectMember.objects.filter(accepted_at__isnull=False).values_list(
            "project__lead_clinic__slug", flat=True
        )
    )
    assert clinics_with_teams >= {"idun", "akut", "bjurholm", "godstrup-akut", "skanderborg"}
    assert ProjectMember.objects.filter(user__username="staff", accepted_at__isnull=True).exists()
    assert Clinic.objects.get(slug="idun").allotted_innovation_hours_per_week == Decimal("40")
    assert InnovationTime.objects.values("week").distinct().count() >= 6


def test_every_demo_project_has_a_plan_a_theme_and_indicators_that_keep_the_rules(seeded):
    from partners.models import AgreementDocument
    from portfolio.models import ProjectDocument

    for title in (data["title"] for data in content.PROJECTS):
        project = Project.objects.get(title=title)
        assert project.budget_amount is not None and project.budget_currency, title
        assert project.planned_start_on and project.planned_end_on >= project.planned_start_on
        assert project.themes.exists(), title
        assert 1 <= project.value_indicators.count() <= 3, title
        expected = "DKK" if project.lead_clinic.region.language == "da" else "SEK"
        assert project.budget_currency == expected
        for measurement in ValueMeasurement.objects.filter(indicator__project=project):
            assert project.started_on <= measurement.measured_on, title
    for indicator in ValueIndicator.objects.all():
        assert indicator.target != indicator.baseline
        assert (indicator.target > indicator.baseline) == (indicator.direction == "higher")
    assert ProjectDocument.objects.count() >= 2
    assert AgreementDocument.objects.exists()


def test_each_region_has_contributions_and_one_party_behind_plan_on_its_leaders_dashboard(
    seeded,
):
    from insights.selectors.dashboard import PortfolioFilters, portfolio_dashboard
    from partnership.models import Contribution

    for slug, username in (("vasterbotten", "leader"), ("midtjylland", "leader_dk")):
        rows = Contribution.objects.filter(
            party__agreement__project__lead_clinic__region__slug=slug
        )
        assert rows.filter(record="planned").exists() and rows.filter(record="actual").exists()
        agreements = set(rows.values_list("party__agreement", flat=True))
        board = portfolio_dashboard(
            user=User.objects.get(username=username), filters=PortfolioFilters()
        )
        behind = [row for row in board.contributions_behind if row.agreement_id in agreements]
        assert len(behind) == 1, behind
        assert behind[0].actual < behind[0].planned_to_date * 8 / 10
