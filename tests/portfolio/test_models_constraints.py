import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from portfolio.models import (
    REVIEW_CRITERIA,
    Comment,
    Idea,
    IdeaQuestion,
    InnovationTime,
    Project,
    ProjectMember,
    Review,
    StageChange,
    Theme,
    ValueIndicator,
)
from tests.clinics.factories import LeaderFactory, StaffFactory
from tests.constraints import PATHS, assert_refused, named_constraints
from tests.portfolio.factories import IdeaFactory, ProjectFactory, ReviewFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _idea(**changes):
    staff = StaffFactory()
    values = {
        "title": "Shorter queues",
        "problem": "We wait.",
        "clinic": staff.clinic,
        "submitter": staff,
        "status": "submitted",
        "submitted_at": timezone.now(),
    }
    return Idea, {**values, **changes}


def _declined_without_reason():
    return _idea(status="declined", decline_reason="")


def _merged_without_target():
    return _idea(status="merged", merged_into=None)


def _submitted_without_date():
    return _idea(status="submitted", submitted_at=None)


def _answer_without_date():
    idea = IdeaFactory(submitted=True)
    return IdeaQuestion, {
        "idea": idea,
        "asked_by": idea.submitter,
        "question": "Why?",
        "answer": "Because.",
        "answered_at": None,
    }


def _second_review_by_same_reviewer():
    review = ReviewFactory()
    return Review, {**_scores(), "idea": review.idea, "reviewer": review.reviewer}


def _scores(**changes):
    return {**dict.fromkeys(REVIEW_CRITERIA, 3), **changes}


def _score_out_of_range(field, value):
    def case():
        idea = IdeaFactory(submitted=True)
        reviewer = LeaderFactory(region=idea.clinic.region)
        return Review, {**_scores(**{field: value}), "idea": idea, "reviewer": reviewer}

    return case


def _project(**changes):
    project = ProjectFactory()
    values = {"title": "Another", "lead_clinic": project.lead_clinic, "owner": project.owner}
    return Project, {**values, **changes}


def _ends_before_start():
    today = timezone.localdate()
    return _project(started_on=today, ended_on=today - timedelta(days=1))


def _planned_end_before_start():
    today = timezone.localdate()
    return _project(planned_start_on=today, planned_end_on=today - timedelta(days=1))


def _stage_change_to_same_stage():
    return StageChange, {"project": ProjectFactory(), "from_stage": "pilot", "to_stage": "pilot"}


def _indicator(**changes):
    values = {
        "project": ProjectFactory(),
        "dimension": "staff",
        "name": "Overtime",
        "baseline": Decimal(10),
        "target": Decimal(5),
        "direction": "lower",
    }
    return ValueIndicator, {**values, **changes}


def _duplicate_indicator_name():
    model, values = _indicator()
    model.objects.create(**values)
    return model, values


def _latest_value_without_date():
    return _indicator(latest_value=Decimal(7), latest_measured_on=None)


def _time(**changes):
    project = ProjectFactory()
    values = {
        "project": project,
        "person": project.owner,
        "week": timezone.localdate(),
        "hours": Decimal(4),
    }
    return InnovationTime, {**values, **changes}


def _second_entry_for_same_week():
    model, values = _time()
    model.objects.create(**values)
    return model, values


def _second_membership():
    project = ProjectFactory()
    ProjectMember.objects.create(project=project, user=project.owner)
    return ProjectMember, {"project": project, "user": project.owner}


def _second_idea_with_same_submission_token():
    token = uuid.uuid4()
    IdeaFactory(submission_token=token)
    return _idea(submission_token=token)


def _second_theme_of_the_same_name_in_a_region():
    from tests.clinics.factories import RegionFactory

    region = RegionFactory()
    ThemeFactory(slug="self-care", name="Egenvård", region=region)
    return Theme, {"slug": "self-care-2", "name": "Egenvård", "region": region}


def _comment(**changes):
    project = ProjectFactory()
    values = {"project": project, "author": project.owner, "text": "Looks good"}
    return Comment, {**values, **changes}


def _benefit(**changes):
    from portfolio.models import Benefit

    project = ProjectFactory()
    values = {
        "project": project,
        "title": "Fewer readmissions",
        "dimension": Benefit.Dimension.ECONOMY,
        "cash_releasing": True,
        "owner": project.owner,
        "expected_yearly_amount": Decimal("100000"),
        "currency": "SEK",
        "follow_up_months": 12,
    }
    return Benefit, {**values, **changes}


def _benefit_review(**changes):
    import datetime

    from portfolio.models import BenefitReview

    model, values = _benefit()
    benefit = model.objects.create(**values)
    review = {
        "benefit": benefit,
        "reviewed_on": datetime.date(2026, 3, 1),
        "realised_yearly_amount": Decimal("50000"),
        "recorded_by": benefit.owner,
    }
    return BenefitReview, {**review, **changes}


def _comment_on_both_an_idea_and_a_project():
    return _comment(idea=IdeaFactory())


CASES = {
    "idea_declined_has_reason": _declined_without_reason,
    "idea_unique_submission_token": _second_idea_with_same_submission_token,
    "idea_merged_has_target": _merged_without_target,
    "idea_submitted_has_date": _submitted_without_date,
    "idea_question_answer_has_date": _answer_without_date,
    "review_one_per_reviewer": _second_review_by_same_reviewer,
    **{f"review_{field}_1_to_5": _score_out_of_range(field, 6) for field in REVIEW_CRITERIA},
    "project_ends_after_start": _ends_before_start,
    "project_planned_end_after_start": _planned_end_before_start,
    "project_budget_not_negative": lambda: _project(budget_amount=Decimal(-1)),
    "stage_change_changes_stage": _stage_change_to_same_stage,
    "value_indicator_unique_name": _duplicate_indicator_name,
    "value_indicator_latest_has_date": _latest_value_without_date,
    "value_indicator_target_beyond_baseline": lambda: _indicator(direction="higher"),
    "innovation_time_one_per_week": _second_entry_for_same_week,
    "innovation_time_hours_0_to_40": lambda: _time(hours=Decimal("-0.25")),
    "project_member_once": _second_membership,
    "theme_unique_name_in_region": _second_theme_of_the_same_name_in_a_region,
    "comment_on_idea_or_project": _comment_on_both_an_idea_and_a_project,
    "comment_not_empty": lambda: _comment(text=""),
    "benefit_expected_not_negative": lambda: _benefit(expected_yearly_amount=Decimal(-1)),
    "benefit_follow_up_months_range": lambda: _benefit(follow_up_months=0),
    "benefit_review_realised_not_negative": lambda: _benefit_review(
        realised_yearly_amount=Decimal(-1)
    ),
}
# Checked separately below: a row cannot be created pointing at its own, not yet known, id.
SEPARATE = {
    "idea_not_merged_into_itself",
    # Digest delivery records: both paths are tested in test_models_digests.py.
    "digest_delivery_period_not_empty",
    "digest_delivery_one_per_period",
    "digest_delivery_sent_has_date",
}


def test_every_named_constraint_has_a_case():
    assert set(CASES) | SEPARATE == named_constraints("portfolio")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_constraint_refuses_bad_rows(name, path):
    model, values = CASES[name]()

    assert_refused(path, model, name, values)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("name", "changes"),
    [
        ("review_score_feasibility_1_to_5", {"score_feasibility": 0}),
        ("innovation_time_hours_0_to_40", {"hours": Decimal("40.25")}),
    ],
)
def test_lower_and_upper_bounds_are_refused_too(name, changes, path):
    if name.startswith("review"):
        model, values = _score_out_of_range("score_feasibility", 0)()
    else:
        model, values = _time(**changes)

    assert_refused(path, model, name, values)


def test_idea_cannot_be_merged_into_itself_by_full_clean():
    idea = IdeaFactory(submitted=True)
    idea.status, idea.merged_into = Idea.Status.MERGED, idea

    with pytest.raises(ValidationError, match="idea_not_merged_into_itself"):
        idea.full_clean()


def test_database_refuses_an_idea_merged_into_itself():
    idea = IdeaFactory(submitted=True)

    with pytest.raises(IntegrityError, match="idea_not_merged_into_itself"), transaction.atomic():
        Idea.objects.filter(pk=idea.pk).update(status="merged", merged_into=idea.pk)


def test_valid_rows_pass_both_paths():
    for factory in (_idea, _project, _indicator, _time):
        model, values = factory()
        model(**values).full_clean()
        model.objects.create(**values)


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_a_draft_and_a_withdrawn_draft_need_no_submission_date(status):
    """A draft its submitter withdrew was never submitted: both paths accept it undated."""
    model, values = _idea(status=status, submitted_at=None)

    model(**values).full_clean()
    assert model.objects.create(**values).submitted_at is None


@pytest.mark.parametrize("status", ["accepted", "declined", "in_review", "needs_info"])
def test_other_statuses_still_need_a_submission_date(status):
    model, values = _idea(status=status, submitted_at=None, decline_reason="x")

    for path in PATHS:
        assert_refused(path, model, "idea_submitted_has_date", values)


@pytest.mark.parametrize("title", ["Two\nlines", "Carriage\rreturn", "Line\u2028separator"])
def test_an_idea_title_is_one_line(title):
    model, values = _idea(title=title)

    with pytest.raises(ValidationError) as error:
        model(**values).full_clean()
    assert error.value.message_dict["title"] == ["Write this on one line, without line breaks."]
