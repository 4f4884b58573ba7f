import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from core.models import Notification
from portfolio.models import Idea, IdeaStatusChange
from portfolio.services.idea_lifecycle import idea_transition
from tests.portfolio.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def test_submitting_a_draft_dates_it_and_records_the_change(staff_user):
    idea = IdeaFactory(submitter=staff_user)

    idea = idea_transition(idea=idea, to_status=Idea.Status.SUBMITTED, actor=staff_user)

    assert idea.status == Idea.Status.SUBMITTED
    assert idea.submitted_at is not None
    change = IdeaStatusChange.objects.get(idea=idea)
    assert (change.from_status, change.to_status, change.changed_by) == (
        "draft",
        "submitted",
        staff_user,
    )
    # Acting on one's own idea is no response and no news to oneself.
    assert idea.first_response_at is None
    assert not Notification.objects.exists()


def test_leaders_question_is_the_first_response_and_notifies_the_submitter(
    staff_user, leader, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(submitter=staff_user, submitted=True)
    staff_user.preferred_language = "en"
    staff_user.save()

    with django_capture_on_commit_callbacks(execute=True):
        idea = idea_transition(idea=idea, to_status=Idea.Status.NEEDS_INFO, actor=leader)

    assert idea.first_response_at is not None
    note = Notification.objects.get(recipient=staff_user)
    assert "Needs more information" in note.message
    assert note.url == f"/portfolio/ideas/{idea.pk}/"
    assert [m.to for m in mail.outbox] == [[staff_user.email]]


def test_notification_speaks_the_submitters_language(staff_user, leader):
    staff_user.preferred_language = "sv"
    staff_user.save()
    idea = IdeaFactory(submitter=staff_user, submitted=True)

    idea_transition(idea=idea, to_status=Idea.Status.DECLINED, actor=leader, note="Not now")

    assert "Din idé" in Notification.objects.get(recipient=staff_user).message


def test_a_decided_idea_cannot_change_status_again(staff_user, leader):
    idea = IdeaFactory(submitter=staff_user, submitted=True)
    idea_transition(idea=idea, to_status=Idea.Status.DECLINED, actor=leader, note="Out of scope")

    with pytest.raises(ValidationError):
        idea_transition(idea=idea, to_status=Idea.Status.ACCEPTED, actor=leader)

    idea.refresh_from_db()
    assert idea.status == Idea.Status.DECLINED


def test_declining_without_a_reason_is_refused(staff_user, leader):
    idea = IdeaFactory(submitter=staff_user, submitted=True)

    with pytest.raises(ValidationError):
        idea_transition(idea=idea, to_status=Idea.Status.DECLINED, actor=leader, note="")

    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED
