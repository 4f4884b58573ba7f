"""The admin changes an idea's status and a project's stage and health only through the services
(actions with a confirmation page), with the superuser as the actor; the fields themselves are
read only, and nothing with a history is deleted."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from clinics.models import User
from core.models import Notification
from portfolio.models import (
    Idea,
    IdeaStatusChange,
    Project,
    Review,
    StageChange,
    StatusUpdate,
    gate_criteria_keys,
)
from portfolio.services.ideas import idea_withdraw_on_behalf
from portfolio.services.projects import project_change_stage
from portfolio.services.reviews import idea_accept
from tests.admin_actions import confirm_action, messages_of, open_action, run_action
from tests.clinics.factories import UserFactory
from tests.portfolio.factories import IdeaFactory, ReviewFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db

PROJECTS = reverse("admin:portfolio_project_changelist")
IDEAS = reverse("admin:portfolio_idea_changelist")


@pytest.fixture
def idea(staff_user, leader):
    return IdeaFactory(submitter=staff_user, submitted=True, assigned_leader=leader)


@pytest.fixture
def project_from_idea(idea, leader):
    """A project accepted from ``staff_user``'s idea, as the review page makes it."""
    project = idea_accept(idea=idea, actor=leader, note="Promising")
    Notification.objects.all().delete()
    return project


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _action_choices(client, changelist):
    action_form = client.get(changelist).context["action_form"]
    return dict(action_form.fields["action"].choices) if action_form else {}


# --- Projects: stage and health --------------------------------------------------------------


def test_a_stage_change_in_the_admin_is_a_gate_decision_with_history_and_notice(
    admin_client, admin_user, project_from_idea, staff_user
):
    response = run_action(
        admin_client,
        PROJECTS,
        "change_stage",
        [project_from_idea],
        to_stage=Project.Stage.DEVELOPMENT,
        criteria_confirmed="on",
        note="Development approved by the steering group",
    )

    assert response.status_code == 200
    project_from_idea.refresh_from_db()
    assert project_from_idea.stage == Project.Stage.DEVELOPMENT
    change = StageChange.objects.filter(project=project_from_idea).latest("created_at", "pk")
    assert (change.from_stage, change.to_stage, change.decided_by, change.note) == (
        Project.Stage.CONCEPT,
        Project.Stage.DEVELOPMENT,
        admin_user,
        "Development approved by the steering group",
    )
    assert change.criteria_met == gate_criteria_keys(Project.Stage.DEVELOPMENT)
    # As on the project page: the idea's submitter hears of the gate.
    notice = Notification.objects.get(recipient=staff_user)
    assert notice.url == reverse("portfolio:idea_detail", args=[project_from_idea.idea_id])
    history = Project.history.filter(id=project_from_idea.pk).latest("history_date")
    assert (history.stage, history.history_user) == (Project.Stage.DEVELOPMENT, admin_user)
    assert any("done for 1 of 1" in text for text in messages_of(response))


def test_the_stage_action_asks_for_the_stage_and_a_note_first(admin_client, project):
    page = open_action(admin_client, PROJECTS, "change_stage", [project])

    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="to_stage"' in content and 'name="note"' in content
    assert f'name="seen-{project.pk}" value="{project.version}"' in content

    without_note = confirm_action(admin_client, PROJECTS, page, to_stage=Project.Stage.PILOT)

    assert without_note.status_code == 200
    assert "This field is required" in without_note.content.decode()
    project.refresh_from_db()
    assert project.stage == Project.Stage.CONCEPT
    assert not StageChange.objects.filter(project=project).exists()


def test_a_gate_passed_meanwhile_is_not_overwritten(admin_client, project, leader):
    page = open_action(admin_client, PROJECTS, "change_stage", [project])
    project_change_stage(
        project=project,
        to_stage=Project.Stage.DEVELOPMENT,
        actor=leader,
        note="Go",
        expected_version=project.version,
        criteria_met=gate_criteria_keys(Project.Stage.DEVELOPMENT),
    )

    response = confirm_action(
        admin_client,
        PROJECTS,
        page,
        to_stage=Project.Stage.PILOT,
        criteria_confirmed="on",
        note="Skip ahead",
    )

    assert response.status_code == 200
    assert any("changed this project meanwhile" in text for text in messages_of(response))
    project.refresh_from_db()
    assert project.stage == Project.Stage.DEVELOPMENT


def test_stopping_a_stopped_project_shows_the_services_refusal(admin_client, project, leader):
    project_change_stage(
        project=project,
        to_stage=Project.Stage.STOPPED,
        actor=leader,
        note="No funding",
        expected_version=project.version,
        criteria_met=gate_criteria_keys(Project.Stage.STOPPED),
    )

    response = run_action(
        admin_client, PROJECTS, "stop_projects", [project], note="Again", criteria_confirmed="on"
    )

    assert response.status_code == 200
    assert messages_of(response) == [
        f"{project.title}: The project is already in this stage.",
    ]
    assert StageChange.objects.filter(project=project).count() == 1


def test_the_admin_gate_refuses_without_the_checklist_confirmed(admin_client, project):
    run_action(admin_client, PROJECTS, "change_stage", [project], to_stage="development", note="Go")

    project.refresh_from_db()
    assert project.stage == Project.Stage.CONCEPT
    assert not StageChange.objects.filter(project=project).exists()


def test_stop_project_ends_it_through_the_gate(admin_client, admin_user, project):
    run_action(
        admin_client,
        PROJECTS,
        "stop_projects",
        [project],
        note="The supplier left",
        criteria_confirmed="on",
    )

    project.refresh_from_db()
    assert (project.stage, project.ended_on) == (Project.Stage.STOPPED, timezone.localdate())
    assert StageChange.objects.get(project=project).decided_by == admin_user


def test_a_status_update_in_the_admin_sets_the_health(admin_client, admin_user, project):
    run_action(
        admin_client,
        PROJECTS,
        "post_status_update",
        [project],
        health=Project.Health.AT_RISK,
        text="The supplier is late",
    )

    project.refresh_from_db()
    assert project.health == Project.Health.AT_RISK
    update = StatusUpdate.objects.get(project=project)
    assert (update.author, update.health) == (admin_user, Project.Health.AT_RISK)


def test_the_project_form_does_not_take_a_posted_stage_or_health(admin_client, project):
    url = reverse("admin:portfolio_project_change", args=[project.pk])
    data = {
        "title": "Digital dental triage v2",
        "summary": project.summary,
        "lead_clinic": project.lead_clinic_id,
        "owner": project.owner_id,
        "stage": Project.Stage.COMPLETED,
        "health": Project.Health.OFF_TRACK,
        "started_on": project.started_on.isoformat(),
        "ended_on": timezone.localdate().isoformat(),
    }
    for prefix in ("value_indicators", "stage_changes"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}

    page = admin_client.get(url).content.decode()
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content[:2000]
    assert 'name="stage"' not in page and 'name="health"' not in page
    assert "change only through the actions" in page
    project.refresh_from_db()
    assert (project.title, project.stage, project.health, project.ended_on) == (
        "Digital dental triage v2",
        Project.Stage.CONCEPT,
        Project.Health.ON_TRACK,
        None,
    )


def test_a_project_is_not_deleted_in_the_admin(admin_client, project_from_idea):
    url = reverse("admin:portfolio_project_delete", args=[project_from_idea.pk])

    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403

    assert Project.objects.filter(pk=project_from_idea.pk).exists()
    assert StageChange.objects.filter(project=project_from_idea).exists()
    assert "delete_selected" not in _action_choices(admin_client, PROJECTS)


def test_status_updates_are_posted_through_the_project_not_added_or_deleted(admin_client, project):
    update = StatusUpdateFactory(project=project)

    assert admin_client.get(reverse("admin:portfolio_statusupdate_add")).status_code == 403
    delete = reverse("admin:portfolio_statusupdate_delete", args=[update.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert StatusUpdate.objects.filter(pk=update.pk).exists()


# --- Ideas: status -------------------------------------------------------------------------


def test_declining_in_the_admin_records_the_reason_and_tells_the_submitter(
    admin_client, admin_user, idea, staff_user
):
    response = run_action(
        admin_client, IDEAS, "decline_ideas", [idea], reason="Already solved at Bjurholm"
    )

    assert response.status_code == 200
    idea.refresh_from_db()
    assert (idea.status, idea.decline_reason) == (
        Idea.Status.DECLINED,
        "Already solved at Bjurholm",
    )
    assert idea.decided_at is not None and idea.first_response_at is not None
    change = IdeaStatusChange.objects.filter(idea=idea).latest("created_at", "pk")
    assert (change.to_status, change.changed_by, change.note) == (
        Idea.Status.DECLINED,
        admin_user,
        "Already solved at Bjurholm",
    )
    assert Notification.objects.filter(recipient=staff_user).count() == 1


def test_deciding_a_decided_idea_shows_the_refusal_without_an_error_page(
    admin_client, idea, project_from_idea
):
    response = run_action(admin_client, IDEAS, "decline_ideas", [idea], reason="Changed my mind")

    assert response.status_code == 200
    assert messages_of(response) == [
        f"{idea.title}: An idea that is “Accepted” cannot become “Declined”."
    ]
    idea.refresh_from_db()
    assert idea.status == Idea.Status.ACCEPTED


def test_withdrawing_in_the_admin_keeps_the_timeline_and_tells_both(
    admin_client, admin_user, idea, staff_user, leader
):
    run_action(admin_client, IDEAS, "withdraw_ideas", [idea], note="The submitter asked us to")

    idea.refresh_from_db()
    assert idea.status == Idea.Status.WITHDRAWN
    change = IdeaStatusChange.objects.filter(idea=idea).latest("created_at", "pk")
    assert (change.changed_by, change.note) == (admin_user, "The submitter asked us to")
    assert Notification.objects.filter(recipient=staff_user).count() == 1
    assert Notification.objects.filter(recipient=leader).count() == 1


def test_accepting_in_the_admin_starts_a_project(admin_client, admin_user, idea):
    run_action(admin_client, IDEAS, "accept_ideas", [idea], note="Go")

    idea.refresh_from_db()
    project = Project.objects.get(idea=idea)
    assert (idea.status, project.stage, project.owner) == (
        Idea.Status.ACCEPTED,
        Project.Stage.CONCEPT,
        admin_user,
    )
    assert StageChange.objects.get(project=project).decided_by == admin_user


def test_merging_in_the_admin_points_to_the_kept_idea(admin_client, idea, staff_user):
    kept = IdeaFactory(submitter=staff_user, submitted=True)

    page = open_action(admin_client, IDEAS, "merge_ideas", [idea])
    run_action(admin_client, IDEAS, "merge_ideas", [idea], into=kept.pk, note="Same need")

    # The target is an id with the admin's lookup, not a list of every open idea.
    assert 'class="vForeignKeyRawIdAdminField"' in page.content.decode()

    idea.refresh_from_db()
    assert (idea.status, idea.merged_into) == (Idea.Status.MERGED, kept)


def test_the_idea_form_does_not_take_a_posted_status(admin_client, idea, leader):
    url = reverse("admin:portfolio_idea_change", args=[idea.pk])
    data = {
        "title": "Shorter waits",
        "problem": idea.problem,
        "clinic": idea.clinic_id,
        "submitter": idea.submitter_id,
        "status": Idea.Status.ACCEPTED,
        "decided_at_0": "2026-01-01",
        "decided_at_1": "10:00:00",
        "decline_reason": "typed in",
        "assigned_leader": "",
    }
    for prefix in ("questions", "attachments", "status_changes"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content[:2000]
    idea.refresh_from_db()
    assert (idea.title, idea.status, idea.decided_at, idea.decline_reason) == (
        "Shorter waits",
        Idea.Status.SUBMITTED,
        None,
        "",
    )
    assert idea.assigned_leader == leader


def test_an_idea_and_its_reviews_are_not_deleted_in_the_admin(admin_client, idea, leader):
    review = ReviewFactory(idea=idea, reviewer=leader)

    for url in (
        reverse("admin:portfolio_idea_delete", args=[idea.pk]),
        reverse("admin:portfolio_review_delete", args=[review.pk]),
    ):
        assert admin_client.post(url, {"post": "yes"}).status_code == 403

    assert Idea.objects.filter(pk=idea.pk).exists()
    assert Review.objects.filter(pk=review.pk).exists()
    assert "delete_selected" not in _action_choices(admin_client, IDEAS)


def test_a_reviews_scores_are_read_only_and_its_comment_editable(admin_client, idea, leader):
    review = ReviewFactory(idea=idea, reviewer=leader, comment="Ask Anna Berg")
    url = reverse("admin:portfolio_review_change", args=[review.pk])

    response = admin_client.post(url, {"comment": "Ask the clinic", "score_feasibility": "1"})

    assert response.status_code == 302, response.content[:2000]
    review.refresh_from_db()
    assert (review.comment, review.score_feasibility) == ("Ask the clinic", 4)
    assert admin_client.get(reverse("admin:portfolio_review_add")).status_code == 403


def test_the_actions_are_for_superusers_only(client, idea):
    """Staff status with every permission is not enough: the services act for superusers."""
    from django.contrib.auth.models import Permission

    clerk = UserFactory(role=User.Role.ADMIN, is_staff=True)
    clerk.user_permissions.set(Permission.objects.filter(content_type__app_label="portfolio"))
    client.force_login(clerk)

    choices = _action_choices(client, IDEAS)

    assert not {"accept_ideas", "decline_ideas", "merge_ideas", "withdraw_ideas"} & set(choices)
    with pytest.raises(PermissionDenied):
        idea_withdraw_on_behalf(idea=idea, actor=clerk, note="Asked to")


def test_the_action_page_speaks_the_administrators_language(client, admin_user, project):
    admin_user.preferred_language = "sv"
    admin_user.save(update_fields=["preferred_language"])
    client.force_login(admin_user)

    # The middleware activates the person's language in this thread: restore it afterwards.
    with translation.override("en"):
        page = open_action(client, PROJECTS, "change_stage", [project])
        done = confirm_action(
            client,
            PROJECTS,
            page,
            to_stage=Project.Stage.DEVELOPMENT,
            criteria_confirmed="on",
            note="Kör",
        )

    assert "Byt fas (grindbeslut)" in page.content.decode()
    assert messages_of(done) == ["Byt fas (grindbeslut): klart för 1 av 1 valda."]
