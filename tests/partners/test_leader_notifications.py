"""Leaders who steer a project hear of what its partners do, in the app, at once: a milestone
updated, marked done or blocked, an agreement confirmed. Each kind can be switched off.

The world (tests/conftest.py and tests/partners/conftest.py): ``project`` is led by clinic A1;
``leader`` leads all of region A and is the milestone's responsible (confirming) leader;
``lead_clinic_leader`` leads A1 only; ``joint_leader`` leads a clinic that only takes part in
the project; ``other_region_leader`` leads region B.
"""

import pytest
from django.urls import reverse

from core.models import Notification
from core.notifications import notification_kinds_update
from partners.models import Milestone
from partners.services.agreements import agreement_confirm
from partners.services.milestones import milestone_update

pytestmark = pytest.mark.django_db

K = Notification.Kind
S = Milestone.Status


@pytest.fixture
def leaders(leader, lead_clinic_leader, joint_leader, other_region_leader):
    leader.preferred_language = "en"  # the messages in English (the region's is Swedish)
    leader.save(update_fields=["preferred_language"])
    return {
        "leader": leader,
        "lead_clinic_leader": lead_clinic_leader,
        "joint_leader": joint_leader,
        "other_region_leader": other_region_leader,
    }


def _told(leaders) -> dict[str, list[str]]:
    return {
        name: sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))
        for name, user in leaders.items()
    }


def _update(milestone, actor, **fields):
    fields = {"status": S.IN_PROGRESS, "progress": 40, "comment": ""} | fields
    return milestone_update(
        milestone=milestone, actor=actor, expected_version=milestone.version, **fields
    )


def test_a_partners_progress_reaches_the_leaders_who_steer_the_project(
    milestone, partner_user, leaders
):
    _update(milestone, partner_user, progress=40)

    assert _told(leaders) == {
        "leader": [K.MILESTONE_UPDATED],
        "lead_clinic_leader": [K.MILESTONE_UPDATED],
        "joint_leader": [],  # follows the joint project, does not steer it
        "other_region_leader": [],
    }
    notification = Notification.objects.get(recipient=leaders["lead_clinic_leader"])
    assert notification.url == reverse("partners:milestone_detail", args=[milestone.pk])
    assert milestone.title in notification.message and "40 %" in notification.message


def test_done_asks_the_confirming_leader_once_and_tells_the_others(
    milestone, partner_user, leaders
):
    _update(milestone, partner_user, status=S.DONE, progress=100)

    told = _told(leaders)
    # The confirming leader gets the request to confirm (not switchable), not a second note.
    assert told["leader"] == [K.GENERAL]
    assert "please confirm" in Notification.objects.get(recipient=leaders["leader"]).message
    assert told["lead_clinic_leader"] == [K.MILESTONE_DONE]
    assert told["joint_leader"] == told["other_region_leader"] == []


def test_blocked_is_its_own_kind(milestone, partner_user, leaders):
    _update(milestone, partner_user, status=S.BLOCKED, comment="No ethics approval yet")

    assert _told(leaders)["leader"] == [K.MILESTONE_BLOCKED]
    assert _told(leaders)["lead_clinic_leader"] == [K.MILESTONE_BLOCKED]


def test_a_leaders_own_update_tells_no_leader(milestone, leader, leaders):
    _update(milestone, leader, progress=50)

    assert Notification.objects.count() == 0


def test_a_kind_switched_off_is_not_told_and_the_others_still_are(milestone, partner_user, leaders):
    notification_kinds_update(
        user=leaders["lead_clinic_leader"], enabled={K.MILESTONE_UPDATED: False}
    )

    _update(milestone, partner_user, progress=40)
    _update(Milestone.objects.get(pk=milestone.pk), partner_user, status=S.BLOCKED)

    assert _told(leaders)["lead_clinic_leader"] == [K.MILESTONE_BLOCKED]
    assert _told(leaders)["leader"] == [K.MILESTONE_BLOCKED, K.MILESTONE_UPDATED]


def test_a_partners_confirmation_of_an_agreement_reaches_the_steering_leaders(
    agreement, partner_user, leaders
):
    agreement_confirm(agreement=agreement, actor=partner_user, expected_revision=agreement.revision)

    told = _told(leaders)
    assert told["leader"] == told["lead_clinic_leader"] == [K.AGREEMENT_CONFIRMED]
    assert told["joint_leader"] == told["other_region_leader"] == []
    notification = Notification.objects.get(recipient=leaders["leader"])
    assert notification.url == reverse("partners:agreement_detail", args=[agreement.pk])
    assert agreement.title in notification.message


def test_the_regions_confirmation_tells_no_leader_of_a_partner_action(agreement, leader, leaders):
    agreement_confirm(agreement=agreement, actor=leader, expected_revision=agreement.revision)

    assert not Notification.objects.filter(kind=K.AGREEMENT_CONFIRMED).exists()


def test_a_failed_update_tells_nobody(milestone, partner_user, leaders):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _update(milestone, partner_user, status=S.PLANNED, progress=0)  # nothing changed

    assert Notification.objects.count() == 0


# --- The settings page ------------------------------------------------------------------------


def test_a_leader_switches_each_kind_on_the_settings_page(client, leader):
    client.force_login(leader)
    url = reverse("portfolio:notification_settings")

    page = client.get(url)
    kinds = set(page.context["kinds_form"].fields)
    assert kinds == {K.MENTION, K.COMMENT, *Notification.LEADER_KINDS}
    assert all(page.context["kinds_form"][kind].value() for kind in kinds)  # on by default

    on = {f"kinds-{kind}": "on" for kind in kinds if kind != K.MILESTONE_UPDATED}
    response = client.post(url, {"notify_in_app": "on", **on})

    assert response.status_code == 302
    again = client.get(url).context["kinds_form"]
    assert again[K.MILESTONE_UPDATED].value() is False
    assert again[K.MILESTONE_DONE].value() is True


def test_staff_switch_only_the_discussion_kinds(client, staff_user):
    client.force_login(staff_user)
    url = reverse("portfolio:notification_settings")

    kinds = set(client.get(url).context["kinds_form"].fields)
    # A kind that is not theirs, posted anyway, is ignored.
    client.post(url, {"notify_in_app": "on", f"kinds-{K.COMMENT}": "on"})

    assert kinds == {K.MENTION, K.COMMENT}
    assert list(staff_user.notification_kinds_off.values_list("kind", flat=True)) == [K.MENTION]
