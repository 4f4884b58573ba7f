import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from clinics.models import LeaderScope
from core.models import Notification
from portfolio.models import Idea, IdeaQuestion, IdeaStatusChange, Project
from portfolio.services.idea_lifecycle import idea_transition
from portfolio.services.ideas import (
    attachment_check,
    idea_answer_question,
    idea_create,
    idea_notify_project_stage_change,
    idea_submit,
    idea_update,
    idea_withdraw,
)
from tests.clinics.factories import LeaderFactory
from tests.portfolio.conftest import PDF_BYTES, PNG_BYTES, docx_bytes, odt_bytes, upload
from tests.portfolio.factories import ChallengeFactory, IdeaFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _create(user, **kwargs):
    kwargs.setdefault("title", "Text reminders before visits")
    kwargs.setdefault("problem", "Patients forget their appointments.")
    return idea_create(submitter=user, **kwargs)


def test_create_saves_a_draft_at_the_submitters_clinic(staff_user):
    idea, created = _create(staff_user)

    assert created
    assert (idea.status, idea.clinic, idea.submitter) == ("draft", staff_user.clinic, staff_user)
    assert idea.submitted_at is None
    assert not IdeaStatusChange.objects.exists()


def test_the_same_submission_token_twice_creates_one_idea(staff_user):
    token = uuid.uuid4()

    first, created_first = _create(staff_user, submission_token=token, submit=True)
    second, created_second = _create(staff_user, submission_token=token, submit=True)

    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Idea.objects.count() == 1
    assert IdeaStatusChange.objects.count() == 1


def test_a_token_taken_by_someone_else_still_creates_the_idea(staff_user, other_clinic_staff):
    token = uuid.uuid4()
    theirs, _ = _create(other_clinic_staff, submission_token=token)

    mine, created = _create(staff_user, submission_token=token)

    assert created
    assert mine.pk != theirs.pk
    assert mine.submitter == staff_user
    assert mine.submission_token is None


def test_only_clinic_staff_create_ideas(leader):
    with pytest.raises(PermissionDenied):
        _create(leader)


def test_a_challenge_of_another_region_is_refused(staff_user, foreign_clinic):
    foreign = ChallengeFactory(clinic=foreign_clinic)

    with pytest.raises(ValidationError) as error:
        _create(staff_user, challenge=foreign)

    assert "challenge" in error.value.error_dict
    assert not Idea.objects.exists()


def test_submit_assigns_the_clinic_specific_leader_first_and_tells_them(staff_user, leader):
    clinic_leader = LeaderFactory(username="aaa_clinic_leader", clinics=[staff_user.clinic])
    idea, _ = _create(staff_user)

    idea = idea_submit(idea=idea, actor=staff_user)

    assert idea.status == Idea.Status.SUBMITTED
    assert idea.assigned_leader == clinic_leader
    assert Notification.objects.filter(recipient=clinic_leader).count() == 1
    assert not Notification.objects.filter(recipient=leader).exists()


def test_submit_falls_back_to_a_region_wide_leader(staff_user, leader):
    idea, _ = _create(staff_user, submit=True)

    assert idea.assigned_leader == leader
    assert Notification.objects.get(recipient=leader).url == f"/portfolio/ideas/{idea.pk}/"


def test_submit_with_no_leader_still_submits(staff_user):
    idea, _ = _create(staff_user, submit=True)

    assert idea.status == Idea.Status.SUBMITTED
    assert idea.assigned_leader is None


def test_a_leader_of_another_clinic_only_is_not_assigned(staff_user, other_clinic):
    LeaderFactory(clinics=[other_clinic])
    assert LeaderScope.objects.count() == 1

    idea, _ = _create(staff_user, submit=True)

    assert idea.assigned_leader is None


def test_only_the_submitter_may_submit_edit_or_withdraw(staff_user, other_clinic_staff, leader):
    idea, _ = _create(staff_user)

    with pytest.raises(PermissionDenied):
        idea_submit(idea=idea, actor=other_clinic_staff)
    with pytest.raises(PermissionDenied):
        idea_update(
            idea=idea, actor=leader, data={"title": "Taken over"}, expected_version=idea.version
        )
    with pytest.raises(PermissionDenied):
        idea_withdraw(idea=idea, actor=leader)


def test_update_refuses_a_stale_form(staff_user):
    idea, _ = _create(staff_user)
    seen = idea.version
    idea_update(
        idea=idea, actor=staff_user, data={"title": "Changed in another tab"}, expected_version=seen
    )

    with pytest.raises(ValidationError) as error:
        idea_update(idea=idea, actor=staff_user, data={"title": "Mine"}, expected_version=seen)

    assert error.value.code == "stale"
    idea.refresh_from_db()
    assert idea.title == "Changed in another tab"


def test_a_submitted_idea_cannot_be_edited(staff_user):
    idea, _ = _create(staff_user, submit=True)

    with pytest.raises(ValidationError):
        idea_update(
            idea=idea,
            actor=staff_user,
            data={"title": "Late change"},
            expected_version=idea.version,
        )


def test_withdraw_tells_the_assigned_leader(staff_user, leader):
    idea, _ = _create(staff_user, submit=True)

    idea = idea_withdraw(idea=idea, actor=staff_user)

    assert idea.status == Idea.Status.WITHDRAWN
    # Told of the new idea, then of its withdrawal.
    assert Notification.objects.filter(recipient=leader).count() == 2


def test_answering_the_last_question_sends_the_idea_back_to_review(staff_user, leader):
    idea, _ = _create(staff_user, submit=True)
    question = IdeaQuestion.objects.create(idea=idea, asked_by=leader, question="How often?")
    idea_transition(idea=idea, to_status=Idea.Status.NEEDS_INFO, actor=leader)

    idea_answer_question(question=question, actor=staff_user, answer="  Every day.  ")

    question.refresh_from_db()
    idea.refresh_from_db()
    assert question.answer == "Every day."
    assert question.answered_at is not None
    assert idea.status == Idea.Status.SUBMITTED
    # Told of the new idea, then of the answer (the automatic resubmission is the same news).
    assert Notification.objects.filter(recipient=leader).count() == 2


def test_a_question_is_answered_once_and_only_by_the_submitter(
    staff_user, other_clinic_staff, leader
):
    idea, _ = _create(staff_user, submit=True)
    question = IdeaQuestion.objects.create(idea=idea, asked_by=leader, question="How often?")

    with pytest.raises(PermissionDenied):
        idea_answer_question(question=question, actor=other_clinic_staff, answer="Never")
    idea_answer_question(question=question, actor=staff_user, answer="Daily")
    with pytest.raises(ValidationError):
        idea_answer_question(question=question, actor=staff_user, answer="Twice")


def test_project_stage_change_notifies_the_submitter(staff_user, leader):
    staff_user.preferred_language = "en"
    staff_user.save()
    idea = IdeaFactory(submitter=staff_user, submitted=True)
    project = ProjectFactory(idea=idea, lead_clinic=staff_user.clinic, owner=leader)

    idea_notify_project_stage_change(
        project=project,
        from_stage=Project.Stage.CONCEPT,
        to_stage=Project.Stage.PILOT,
        actor=leader,
    )

    note = Notification.objects.get(recipient=staff_user)
    assert "Pilot in the clinic" in note.message
    assert note.url == f"/portfolio/ideas/{idea.pk}/"


def test_project_without_an_idea_notifies_nobody(leader, project):
    idea_notify_project_stage_change(
        project=project, from_stage="concept", to_stage="development", actor=leader
    )

    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.png", PNG_BYTES, "image/png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"0" * 20, "image/jpeg"),
        ("anim.gif", b"GIF89a" + b"0" * 20, "image/gif"),
        ("pic.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"0" * 8, "image/webp"),
        ("routine.pdf", PDF_BYTES, "application/pdf"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 20, "application/msword"),
        (
            "plan.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("plan.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_accepted_attachment_types_are_recognised_by_content(name, content, content_type):
    assert attachment_check(upload(name, content)) == content_type


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.png", b"<html><script>alert(1)</script></html>"),  # HTML dressed as an image
        ("tool.pdf", b"MZ\x90\x00" + b"0" * 20),  # a Windows program
        ("photo.pdf", PNG_BYTES),  # content and extension disagree
        ("archive.docx", b"PK\x03\x04" + b"0" * 20),  # a broken zip
        ("notes.txt", b"plain text"),
        ("empty.png", b""),
    ],
)
def test_other_content_is_refused_whatever_its_name(name, content):
    with pytest.raises(ValidationError):
        attachment_check(upload(name, content, "image/png"))


@override_settings(ATTACHMENT_MAX_BYTES=100)
def test_an_oversized_attachment_is_refused():
    with pytest.raises(ValidationError) as error:
        attachment_check(upload("big.pdf", PDF_BYTES + b"0" * 200))

    assert error.value.code == "too_large"


def test_attachments_are_stored_with_their_original_name(staff_user, settings):
    idea, _ = _create(staff_user, attachments=[upload("../../Vård rutin.pdf", PDF_BYTES)])

    attachment = idea.attachments.get()
    assert attachment.original_name == "Vård rutin.pdf"
    assert attachment.content_type == "application/pdf"
    assert ".." not in attachment.file.name
    assert (settings.MEDIA_ROOT / attachment.file.name).is_file()


def test_the_same_token_asking_to_submit_submits_the_saved_draft(staff_user, leader):
    token = uuid.uuid4()
    draft, created = idea_create(
        submitter=staff_user, title="Reminders", problem="p", submission_token=token
    )
    assert created and draft.status == Idea.Status.DRAFT

    idea, created = idea_create(
        submitter=staff_user,
        title="Changed in the old form",
        problem="p",
        submission_token=token,
        submit=True,
    )

    assert not created
    assert idea.pk == draft.pk
    idea.refresh_from_db()
    assert (idea.status, idea.title, idea.assigned_leader) == (
        Idea.Status.SUBMITTED,
        "Reminders",
        leader,
    )
    # A third post changes nothing more.
    again, created = idea_create(
        submitter=staff_user, title="x", problem="p", submission_token=token, submit=True
    )
    assert (again.pk, again.status, created) == (draft.pk, Idea.Status.SUBMITTED, False)
    assert Idea.objects.count() == 1


def test_the_same_token_does_not_resubmit_a_withdrawn_draft(staff_user):
    token = uuid.uuid4()
    draft, _ = idea_create(submitter=staff_user, title="t", problem="p", submission_token=token)
    idea_withdraw(idea=draft, actor=staff_user)

    idea, created = idea_create(
        submitter=staff_user, title="t", problem="p", submission_token=token, submit=True
    )

    assert not created
    assert idea.status == Idea.Status.WITHDRAWN


def test_a_draft_can_be_withdrawn(staff_user):
    draft, _ = idea_create(submitter=staff_user, title="t", problem="p")

    idea = idea_withdraw(idea=draft, actor=staff_user)

    idea.refresh_from_db()
    assert (idea.status, idea.submitted_at) == (Idea.Status.WITHDRAWN, None)
