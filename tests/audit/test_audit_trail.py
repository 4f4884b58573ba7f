"""The audit trail: every change to a project's stage, health and owner, an agreement and its
parties, a milestone and a review is recorded with who, when, old and new value; leaders read
it on the object's page; nothing in the UI, the admin or the API deletes it."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from partners.models import Agreement, AgreementParty, Milestone
from partners.services import agreements as agreement_services
from partners.services.milestones import (
    MilestoneConflict,
    milestone_confirm,
    milestone_edit,
    milestone_reopen,
    milestone_update,
)
from portfolio.models import Project, Review, gate_criteria_keys
from portfolio.services.projects import project_change_stage, status_update_post
from portfolio.services.reviews import review_save
from tests.clinics.factories import LeaderFactory
from tests.partners.factories import MilestoneFactory, agreement_with_parties
from tests.portfolio.factories import IdeaFactory

pytestmark = pytest.mark.django_db

SCORES = {
    "score_patient_value": 4,
    "score_staff_value": 3,
    "score_economic_value": 2,
    "score_feasibility": 5,
    "score_strategic_fit": 4,
}


def _latest(model, **lookup):
    return model.history.filter(**lookup).order_by("-history_date", "-history_id").first()


def _assert_recorded(record, *, who, field, old, new):
    """who, when (just now), and the field's old and new value against the record before."""
    assert record is not None
    assert record.history_user == who
    assert timezone.now() - record.history_date < timedelta(minutes=1)
    previous = record.prev_record
    assert previous is not None
    changes = {c.field: (c.old, c.new) for c in record.diff_against(previous).changes}
    assert changes[field] == (old, new), changes


def test_stage_change_is_recorded(project, leader):
    project_change_stage(
        project=project,
        to_stage="development",
        actor=leader,
        note="Go",
        expected_version=project.version,
        criteria_met=gate_criteria_keys("development"),
    )

    record = _latest(Project, id=project.pk)
    _assert_recorded(record, who=leader, field="stage", old="concept", new="development")


def test_health_change_through_a_status_update_is_recorded(project, leader):
    # The service used a bulk .update() before the audit trail; now the change is saved.
    status_update_post(project=project, author=leader, health="at_risk", text="Supplier late")

    record = _latest(Project, id=project.pk)
    _assert_recorded(record, who=leader, field="health", old="on_track", new="at_risk")


def test_owner_change_in_the_admin_is_recorded(client, project, admin_user, region):
    new_owner = LeaderFactory(region=region)
    client.force_login(admin_user)
    data = {
        "title": project.title,
        "summary": project.summary,
        "lead_clinic": project.lead_clinic_id,
        "owner": new_owner.pk,
        "stage": project.stage,
        "health": project.health,
        "started_on": project.started_on.isoformat(),
    }
    for prefix in ("value_indicators", "stage_changes"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}

    response = client.post(reverse("admin:portfolio_project_change", args=[project.pk]), data)

    assert response.status_code == 302, response.content[:2000]
    # The middleware names the person signed in as the author.
    record = _latest(Project, id=project.pk)
    _assert_recorded(record, who=admin_user, field="owner", old=project.owner_id, new=new_owner.pk)


def test_review_and_its_rescoring_are_recorded(clinic, leader, staff_user):
    idea = IdeaFactory(submitter=staff_user, submitted=True)
    review_save(idea=idea, reviewer=leader, scores=SCORES)

    review_save(idea=idea, reviewer=leader, scores=SCORES | {"score_feasibility": 2})

    review = Review.objects.get(idea=idea)
    record = _latest(Review, id=review.pk)
    _assert_recorded(record, who=leader, field="score_feasibility", old=5, new=2)
    assert Review.history.filter(id=review.pk, history_type="+").count() == 1


def _parties(agreement):
    return [
        {name: getattr(p, name) for name in agreement_services.PARTY_FIELDS}
        for p in agreement.parties.all()
    ]


def test_agreement_edit_and_its_parties_are_recorded(project, partner_organisation, leader):
    agreement = agreement_with_parties(partner_organisation, project=project, status="draft")
    parties = _parties(agreement)
    parties[0]["risk_share"], parties[1]["risk_share"] = (
        parties[1]["risk_share"] + 10,
        (parties[0]["risk_share"] - 10),
    )

    agreement_services.agreement_edit(
        agreement=agreement,
        actor=leader,
        parties=parties,
        expected_revision=agreement.revision,
        title="Renamed",
    )

    _assert_recorded(
        _latest(Agreement, id=agreement.pk),
        who=leader,
        field="title",
        old=agreement.title,
        new="Renamed",
    )
    # Parties are rewritten: the old rows' deletion and the new rows are both kept, by leader.
    party_history = AgreementParty.history.filter(agreement_id=agreement.pk)
    assert party_history.filter(history_type="-").count() == 2
    assert set(party_history.filter(history_type="+").values_list("history_user", flat=True)) >= {
        leader.pk
    }
    assert party_history.filter(history_type="-", history_user=leader).count() == 2


def test_agreement_status_and_party_confirmations_are_recorded(agreement, partner_user, leader):
    agreement_services.agreement_confirm(
        agreement=agreement, actor=partner_user, expected_revision=agreement.revision
    )
    party = agreement.parties.get(organisation__isnull=False)
    _assert_recorded(
        _latest(AgreementParty, id=party.pk),
        who=partner_user,
        field="confirmed_by",
        old=None,
        new=partner_user.pk,
    )

    # Back to draft: the confirmations are cleared in one bulk update, recorded explicitly.
    agreement_services.agreement_transition(agreement=agreement, actor=leader, to_status="draft")

    _assert_recorded(
        _latest(AgreementParty, id=party.pk),
        who=leader,
        field="confirmed_by",
        old=partner_user.pk,
        new=None,
    )
    _assert_recorded(
        _latest(Agreement, id=agreement.pk), who=leader, field="status", old="proposed", new="draft"
    )


def test_milestone_update_confirm_reopen_and_edit_are_recorded(
    project, partner_organisation, partner_user, leader
):
    milestone = MilestoneFactory(project=project, responsible_party=partner_organisation)

    milestone_update(
        milestone=milestone, actor=partner_user, expected_version=1, status="done", progress=0
    )
    _assert_recorded(
        _latest(Milestone, id=milestone.pk),
        who=partner_user,
        field="status",
        old="planned",
        new="done",
    )
    milestone_confirm(milestone=milestone, actor=leader, expected_version=2)
    _assert_recorded(
        _latest(Milestone, id=milestone.pk),
        who=leader,
        field="confirmed_by",
        old=None,
        new=leader.pk,
    )
    milestone_reopen(milestone=milestone, actor=leader, expected_version=3, reason="Not yet")
    _assert_recorded(
        _latest(Milestone, id=milestone.pk),
        who=leader,
        field="status",
        old="done",
        new="in_progress",
    )
    milestone_edit(milestone=milestone, actor=leader, expected_version=4, title="New title")
    _assert_recorded(
        _latest(Milestone, id=milestone.pk),
        who=leader,
        field="title",
        old=milestone.title,
        new="New title",
    )
    # One record per change, numbered like the versions (1: created, then 2..5).
    assert sorted(Milestone.history.filter(id=milestone.pk).values_list("version", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]


def test_a_refused_stale_update_records_nothing(project, partner_organisation, partner_user):
    milestone = MilestoneFactory(project=project, responsible_party=partner_organisation)
    milestone_update(
        milestone=milestone,
        actor=partner_user,
        expected_version=1,
        status="in_progress",
        progress=10,
    )
    before = Milestone.history.filter(id=milestone.pk).count()

    with pytest.raises(MilestoneConflict):
        milestone_update(
            milestone=milestone,
            actor=partner_user,
            expected_version=1,
            status="in_progress",
            progress=20,
        )

    assert Milestone.history.filter(id=milestone.pk).count() == before


# --- Pages ----------------------------------------------------------------------------------------


def test_leader_reads_the_project_history_on_its_page(client, project, leader):
    leader.preferred_language = "en"
    leader.save()
    project_change_stage(
        project=project,
        to_stage="development",
        actor=leader,
        note="Go",
        expected_version=project.version,
        criteria_met=gate_criteria_keys("development"),
    )
    client.force_login(leader)

    response = client.get(reverse("portfolio:project_detail", args=[project.pk]))

    assert response.status_code == 200
    history = response.context["change_history"]
    assert history[0].who == leader
    assert [(c.old, c.new) for c in history[0].changes] == [("Concept", "Development")]
    assert b"Change history" in response.content


def test_leader_reads_the_review_history_on_the_ideas_review_page(
    client, clinic, leader, staff_user
):
    leader.preferred_language = "en"
    leader.save()
    colleague = LeaderFactory(region=leader.region, first_name="Karin", last_name="Berg")
    idea = IdeaFactory(submitter=staff_user, submitted=True)
    review_save(idea=idea, reviewer=colleague, scores=SCORES)
    review_save(idea=idea, reviewer=colleague, scores=SCORES | {"score_feasibility": 2})
    client.force_login(leader)

    response = client.get(reverse("portfolio:review_idea", args=[idea.pk]))

    assert response.status_code == 200
    newest = response.context["change_history"][0]
    assert newest.who == colleague
    assert [(c.old, c.new) for c in newest.changes] == [("5", "2")]
    page = response.content.decode()
    assert "Change history" in page
    assert "Karin Berg" in page
    assert "5 → <strong>2</strong>" in page


def test_partner_and_staff_do_not_see_the_history(client, project, partner_user, staff_user):
    for person in (partner_user, staff_user):
        client.force_login(person)
        response = client.get(reverse("portfolio:project_detail", args=[project.pk]))
        assert response.status_code == 200
        assert response.context["change_history"] is None
        assert b"Change history" not in response.content


def test_leader_reads_milestone_and_agreement_history(client, agreement, leader, partner_user):
    leader.preferred_language = "en"
    leader.save()
    milestone = MilestoneFactory(project=agreement.project)
    agreement_services.agreement_confirm(
        agreement=agreement, actor=partner_user, expected_revision=agreement.revision
    )
    client.force_login(leader)

    milestone_page = client.get(reverse("partners:milestone_detail", args=[milestone.pk]))
    agreement_page = client.get(reverse("partners:agreement_detail", args=[agreement.pk]))

    assert milestone_page.context["change_history"][0].kind == "created"
    entry = agreement_page.context["change_history"][0]
    assert entry.who == partner_user
    assert "Change history" in agreement_page.content.decode()


def test_history_values_are_escaped(client, project, leader):
    project_change_stage(
        project=project,
        to_stage="development",
        actor=leader,
        note="Go",
        expected_version=project.version,
        criteria_met=gate_criteria_keys("development"),
    )
    Project.objects.filter(pk=project.pk).update(title="<script>x</script>")
    project.refresh_from_db()
    project.save()  # a change with HTML in it
    client.force_login(leader)

    response = client.get(reverse("portfolio:project_detail", args=[project.pk]))

    assert b"<script>x</script>" not in response.content
    assert b"&lt;script&gt;x&lt;/script&gt;" in response.content


def test_history_page_costs_the_same_queries_for_more_changes(
    client, project, leader, django_assert_max_num_queries
):
    client.force_login(leader)
    url = reverse("portfolio:project_detail", args=[project.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for health in ("at_risk", "off_track", "on_track", "at_risk"):
        status_update_post(project=project, author=leader, health=health, text="Update")

    with django_assert_max_num_queries(len(few)):
        client.get(url)


# --- Nothing deletes it --------------------------------------------------------------------------


def test_historical_models_are_not_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    for model in (Project, Review, Agreement, AgreementParty, Milestone):
        history_model = model.history.model
        assert not admin.site.is_registered(history_model)
        url = f"/admin/{history_model._meta.app_label}/{history_model._meta.model_name}/"
        assert client.get(url).status_code == 404


def test_admin_history_is_read_only(client, admin_user, project, leader):
    project_change_stage(
        project=project,
        to_stage="development",
        actor=leader,
        note="Go",
        expected_version=project.version,
        criteria_met=gate_criteria_keys("development"),
    )
    record = Project.history.filter(id=project.pk).earliest("history_date")
    client.force_login(admin_user)

    listing = client.get(reverse("admin:portfolio_project_history", args=[project.pk]))
    revert_url = reverse(
        "admin:portfolio_project_simple_history", args=[project.pk, record.history_id]
    )
    form = client.get(revert_url)
    valid = {
        "title": project.title,
        "summary": project.summary,
        "lead_clinic": project.lead_clinic_id,
        "owner": project.owner_id,
        "stage": "concept",
        "health": project.health,
        "started_on": project.started_on.isoformat(),
    }
    revert = client.post(revert_url, valid)

    assert listing.status_code == 200
    assert b"style=" not in listing.content  # our copy of the template keeps to the CSP
    assert form.status_code == 200
    assert revert.status_code == 403
    project.refresh_from_db()
    assert project.stage == "development"
    assert Project.history.filter(id=project.pk).count() == 2


def test_the_admin_deletes_nothing_with_a_history(client, admin_user, leader, staff_user):
    """Deleting would end the audit trail with a "deleted" record and drop the rows that refer
    to the object (a party removed from a draft keeps its history that way, see above); the
    admin refuses it and offers withdrawing, stopping or ending through the services."""
    idea = IdeaFactory(submitter=staff_user, submitted=True)
    review = review_save(idea=idea, reviewer=leader, scores=SCORES)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:portfolio_review_delete", args=[review.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Review.objects.filter(pk=review.pk).exists()
    assert list(
        Review.history.filter(id=review.pk)
        .order_by("history_date")
        .values_list("history_type", "history_user")
    ) == [("+", leader.pk)]
