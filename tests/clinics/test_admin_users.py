"""Nobody is deleted in the admin: that would empty "who" in the audit trail. Erasure (or
deactivation) is the way, and the user list says so."""

import pytest
from django.urls import reverse

from clinics.models import User
from partners.models import Milestone
from partners.services.milestones import milestone_update
from tests.partners.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone_updated_by_partner(project, partner_organisation, partner_user):
    milestone = MilestoneFactory(project=project, responsible_party=partner_organisation)
    milestone_update(
        milestone=milestone,
        actor=partner_user,
        status=Milestone.Status.IN_PROGRESS,
        progress=10,
        comment="Started",
        expected_version=milestone.version,
    )
    return milestone


def _author_of_latest_change(milestone):
    return Milestone.history.filter(id=milestone.pk).order_by("-history_id").first().history_user


def test_the_delete_page_is_refused(client, admin_user, partner_user, milestone_updated_by_partner):
    client.force_login(admin_user)
    url = reverse("admin:clinics_user_delete", args=[partner_user.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403

    assert User.objects.filter(pk=partner_user.pk).exists()
    assert _author_of_latest_change(milestone_updated_by_partner) == partner_user
    assert milestone_updated_by_partner.updates.get().author == partner_user


def test_there_is_no_bulk_delete_action(client, admin_user, partner_user):
    client.force_login(admin_user)
    changelist = reverse("admin:clinics_user_changelist")

    page = client.get(changelist)
    response = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [partner_user.pk], "post": "yes"},
    )

    assert "delete_selected" not in dict(page.context["action_form"].fields["action"].choices)
    assert "erase_personal_data" in dict(page.context["action_form"].fields["action"].choices)
    assert response.status_code in (200, 302)
    assert User.objects.filter(pk=partner_user.pk).exists()


def test_the_user_list_points_to_erasure_and_deactivation(client, admin_user):
    client.force_login(admin_user)

    page = client.get(reverse("admin:clinics_user_changelist")).content.decode()

    assert "People are never deleted" in page
    assert "Erase personal data of the selected people" in page


def test_login_and_joining_dates_are_records_not_settings(client, admin_user, partner_user):
    client.force_login(admin_user)

    page = client.get(reverse("admin:clinics_user_change", args=[partner_user.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="date_joined_0"' not in content and 'name="last_login_0"' not in content
