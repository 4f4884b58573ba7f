import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Notification
from partners.models import Milestone, MilestoneUpdate
from partners.services.milestones import (
    MilestoneConflict,
    milestone_confirm,
    milestone_reopen,
    milestone_update,
)
from tests.partners.conftest import pdf_file

pytestmark = pytest.mark.django_db

S = Milestone.Status


def _update(milestone, user, version, **kwargs):
    fields = {"status": S.IN_PROGRESS, "progress": 10, "comment": ""} | kwargs
    return milestone_update(milestone=milestone, actor=user, expected_version=version, **fields)


def test_update_records_who_and_old_to_new_and_bumps_the_version(milestone, partner_user):
    update = _update(milestone, partner_user, 1, progress=40, comment="Kick-off held")

    milestone.refresh_from_db()
    assert (milestone.status, milestone.progress, milestone.version) == (S.IN_PROGRESS, 40, 2)
    assert update.author == partner_user
    assert update.changes == {"status": ["planned", "in_progress"], "progress": [0, 40]}
    assert update.comment == "Kick-off held"


def test_stale_version_is_refused_and_nothing_is_written(milestone, partner_user, leader):
    _update(milestone, leader, 1, progress=30, comment="Leader first")

    with pytest.raises(MilestoneConflict) as caught:
        _update(milestone, partner_user, 1, progress=60, comment="Partner second")

    milestone.refresh_from_db()
    assert (milestone.progress, milestone.version) == (30, 2)
    assert [u.comment for u in caught.value.updates] == ["Leader first"]
    assert MilestoneUpdate.objects.filter(milestone=milestone).count() == 1


def test_partner_marking_done_sets_progress_100_and_asks_the_leader_to_confirm(
    milestone, partner_user, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _update(milestone, partner_user, 1, status=S.DONE, progress=70)

    milestone.refresh_from_db()
    assert (milestone.status, milestone.progress) == (S.DONE, 100)
    assert milestone.completed_on is not None
    assert milestone.confirmed_at is None
    assert Notification.objects.filter(recipient=leader).count() == 1


def test_leader_confirms_or_reopens_and_both_steps_are_in_the_history(
    milestone, partner_user, leader
):
    _update(milestone, partner_user, 1, status=S.DONE, progress=100)
    milestone_reopen(milestone=milestone, actor=leader, expected_version=2, reason="No report")
    milestone.refresh_from_db()
    assert milestone.status == S.IN_PROGRESS and milestone.completed_on is None
    assert Notification.objects.filter(recipient=partner_user).exists()

    _update(milestone, partner_user, 3, status=S.DONE, progress=100, comment="Report attached")
    milestone_confirm(milestone=milestone, actor=leader, expected_version=4)

    milestone.refresh_from_db()
    assert milestone.confirmed_by == leader and milestone.confirmed_at is not None
    kinds = list(milestone.updates.order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds == ["update", "reopen", "update", "confirm"]
    assert milestone.updates.get(kind="reopen").comment == "No report"


def test_reopen_needs_a_reason(milestone, partner_user, leader):
    _update(milestone, partner_user, 1, status=S.DONE, progress=100)

    with pytest.raises(ValidationError):
        milestone_reopen(milestone=milestone, actor=leader, expected_version=2, reason="  ")


def test_partner_cannot_confirm_and_cannot_update_another_partys_milestone(
    milestone, partner_user, other_partner_user
):
    with pytest.raises(PermissionDenied):
        milestone_confirm(milestone=milestone, actor=partner_user, expected_version=1)
    with pytest.raises(PermissionDenied):
        _update(milestone, other_partner_user, 1)


def test_a_save_that_changes_nothing_is_refused(milestone, partner_user):
    with pytest.raises(ValidationError):
        _update(milestone, partner_user, 1, status=S.PLANNED, progress=0)


def test_evidence_is_stored_with_its_name(milestone, partner_user):
    update = _update(milestone, partner_user, 1, evidence=pdf_file("Result <1>.pdf"))

    assert update.evidence_name == "Result <1>.pdf"
    assert update.evidence.read().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fake.pdf", b"MZ\x90\x00 this is a program"),
        ("script.html", b"<script>alert(1)</script>"),
        ("image.png", b"%PDF-1.4 not an image"),
    ],
)
def test_evidence_whose_content_does_not_match_is_refused(milestone, partner_user, name, content):
    with pytest.raises(ValidationError) as caught:
        _update(milestone, partner_user, 1, evidence=SimpleUploadedFile(name, content))

    assert "evidence" in caught.value.message_dict
    assert not MilestoneUpdate.objects.exists()


def test_too_big_evidence_is_refused(milestone, partner_user, settings):
    settings.ATTACHMENT_MAX_BYTES = 10

    with pytest.raises(ValidationError):
        _update(milestone, partner_user, 1, evidence=pdf_file())


def test_leader_marking_done_confirms_at_once(milestone, leader):
    _update(milestone, leader, 1, status=S.DONE, progress=50)

    milestone.refresh_from_db()
    assert (milestone.progress, milestone.confirmed_by) == (100, leader)
    assert not Notification.objects.exists()


def test_moving_a_done_milestone_back_clears_completion_and_confirmation(
    milestone, partner_user, leader
):
    _update(milestone, partner_user, 1, status=S.DONE, progress=100)
    milestone_confirm(milestone=milestone, actor=leader, expected_version=2)

    _update(milestone, partner_user, 3, status=S.BLOCKED, progress=90, comment="Supplier failed")

    milestone.refresh_from_db()
    assert milestone.status == S.BLOCKED
    assert milestone.completed_on is None and milestone.confirmed_at is None
