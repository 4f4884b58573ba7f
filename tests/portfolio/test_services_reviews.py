import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from core.models import Notification
from portfolio.models import Idea, IdeaQuestion, IdeaStatusChange, Project, Review
from portfolio.services.reviews import (
    idea_accept,
    idea_decline,
    idea_merge,
    idea_question_ask,
    idea_review_summary,
    review_save,
)
from tests.clinics.factories import LeaderFactory
from tests.portfolio.factories import IdeaFactory, ReviewFactory, ThemeFactory

pytestmark = pytest.mark.django_db

SCORES = {
    "score_patient_value": 5,
    "score_staff_value": 4,
    "score_economic_value": 3,
    "score_feasibility": 2,
    "score_strategic_fit": 1,
}


@pytest.fixture
def idea(staff_user):
    return IdeaFactory(submitter=staff_user, submitted=True, title="Triage by photo")


def test_asking_a_question_waits_for_the_submitter_and_tells_them(idea, leader, staff_user):
    question = idea_question_ask(idea=idea, actor=leader, question="  Which patients?  ")

    idea.refresh_from_db()
    assert idea.status == Idea.Status.NEEDS_INFO
    assert question.question == "Which patients?"
    assert idea.first_response_at is not None
    assert Notification.objects.filter(recipient=staff_user).count() == 1


def test_a_second_question_notifies_without_a_status_change(idea, leader, staff_user):
    idea_question_ask(idea=idea, actor=leader, question="Which patients?")
    idea_question_ask(idea=idea, actor=leader, question="And how many?")

    assert IdeaQuestion.objects.filter(idea=idea).count() == 2
    assert IdeaStatusChange.objects.filter(idea=idea, to_status="needs_info").count() == 1
    assert Notification.objects.filter(recipient=staff_user).count() == 2


def test_an_empty_question_is_refused(idea, leader):
    with pytest.raises(ValidationError) as excinfo:
        idea_question_ask(idea=idea, actor=leader, question="   ")

    assert "question" in excinfo.value.error_dict
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED


def test_first_review_puts_the_idea_in_review(idea, leader):
    review = review_save(idea=idea, reviewer=leader, scores=SCORES, comment="Promising")

    idea.refresh_from_db()
    assert idea.status == Idea.Status.IN_REVIEW
    assert idea.first_response_at is not None
    assert review.mean_score == 3


def test_saving_again_replaces_the_leaders_scores(idea, leader):
    review_save(idea=idea, reviewer=leader, scores=SCORES)
    review_save(idea=idea, reviewer=leader, scores={**SCORES, "score_strategic_fit": 5})

    assert Review.objects.get(idea=idea, reviewer=leader).score_strategic_fit == 5
    assert Review.objects.filter(idea=idea).count() == 1


@pytest.mark.parametrize("bad", [0, 6, -1])
def test_scores_outside_1_to_5_are_refused(idea, leader, bad):
    with pytest.raises(ValidationError):
        review_save(idea=idea, reviewer=leader, scores={**SCORES, "score_feasibility": bad})

    assert not Review.objects.exists()
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED


def test_a_missing_score_is_refused(idea, leader):
    scores = dict(SCORES)
    del scores["score_feasibility"]

    with pytest.raises(ValidationError) as excinfo:
        review_save(idea=idea, reviewer=leader, scores=scores)

    assert "score_feasibility" in excinfo.value.error_dict


def test_the_database_refuses_a_score_out_of_range_too(idea, leader):
    with pytest.raises(IntegrityError):
        Review.objects.create(idea=idea, reviewer=leader, **{**SCORES, "score_staff_value": 9})


def test_two_leaders_scoring_gives_the_mean(idea, leader, region):
    second = LeaderFactory(region=region)
    review_save(idea=idea, reviewer=leader, scores=SCORES)  # mean 3
    review_save(idea=idea, reviewer=second, scores=dict.fromkeys(SCORES, 4))  # mean 4

    summary = idea_review_summary(idea=idea)

    assert summary["count"] == 2
    assert summary["score_patient_value"] == 4.5
    assert summary["score_strategic_fit"] == 2.5
    assert summary["overall"] == pytest.approx(3.5)


def test_accepting_creates_a_concept_project_with_clinic_and_submitter(idea, leader, staff_user):
    theme = ThemeFactory()
    idea.themes.add(theme)

    project = idea_accept(idea=idea, actor=leader, note="Strong case")

    idea.refresh_from_db()
    assert idea.status == Idea.Status.ACCEPTED
    assert idea.decided_at is not None
    assert project.stage == Project.Stage.CONCEPT
    assert project.idea == idea
    assert project.lead_clinic == idea.clinic
    assert project.idea.submitter == staff_user
    assert project.owner == leader
    assert list(project.themes.all()) == [theme]
    change = project.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.note) == ("", "concept", "Strong case")


def test_declining_keeps_the_reason_for_the_submitter(idea, leader, staff_user):
    idea_decline(idea=idea, actor=leader, reason="Already solved by the new journal system")

    idea.refresh_from_db()
    assert idea.status == Idea.Status.DECLINED
    assert idea.decline_reason == "Already solved by the new journal system"
    assert Notification.objects.filter(recipient=staff_user).exists()


def test_declining_without_a_reason_is_refused(idea, leader):
    with pytest.raises(ValidationError) as excinfo:
        idea_decline(idea=idea, actor=leader, reason="  ")

    assert "reason" in excinfo.value.error_dict
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED


@pytest.mark.parametrize(
    "decide",
    [
        lambda idea, leader: idea_accept(idea=idea, actor=leader),
        lambda idea, leader: idea_decline(idea=idea, actor=leader, reason="No"),
        lambda idea, leader: review_save(idea=idea, reviewer=leader, scores=SCORES),
        lambda idea, leader: idea_question_ask(idea=idea, actor=leader, question="Why?"),
    ],
    ids=["accept", "decline", "score", "ask"],
)
def test_a_decided_idea_cannot_be_decided_or_reviewed_again(idea, leader, decide):
    idea_accept(idea=idea, actor=leader)

    with pytest.raises(ValidationError):
        decide(idea, leader)

    assert Project.objects.filter(idea=idea).count() == 1
    idea.refresh_from_db()
    assert idea.status == Idea.Status.ACCEPTED


def test_merging_points_to_the_kept_idea(idea, leader, staff_user):
    kept = IdeaFactory(submitter=staff_user, submitted=True)

    idea_merge(idea=idea, into=kept, actor=leader, note="Same need")

    idea.refresh_from_db()
    assert idea.status == Idea.Status.MERGED
    assert idea.merged_into == kept


def test_merging_into_itself_or_a_declined_idea_is_refused(idea, leader, staff_user):
    declined = IdeaFactory(submitter=staff_user, submitted=True)
    idea_decline(idea=declined, actor=leader, reason="No")

    with pytest.raises(ValidationError):
        idea_merge(idea=idea, into=idea, actor=leader)
    with pytest.raises(ValidationError):
        idea_merge(idea=idea, into=declined, actor=leader)

    idea.refresh_from_db()
    assert (idea.status, idea.merged_into) == (Idea.Status.SUBMITTED, None)


def test_a_refused_merge_leaves_no_link_behind(idea, leader, staff_user):
    kept = IdeaFactory(submitter=staff_user, submitted=True)
    idea_decline(idea=idea, actor=leader, reason="No")

    with pytest.raises(ValidationError):
        idea_merge(idea=idea, into=kept, actor=leader)

    idea.refresh_from_db()
    assert idea.merged_into is None


def test_review_factory_still_works_with_the_summary():
    review = ReviewFactory()

    assert idea_review_summary(idea=review.idea)["overall"] == pytest.approx(3.8)
