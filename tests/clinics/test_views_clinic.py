import pytest
from django.urls import reverse

from clinics.models import SupportContact
from tests.clinics.factories import StaffFactory, SupportContactFactory
from tests.portfolio.factories import IdeaFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_clinic_page_lists_its_projects_with_stage_and_its_help(
    client, staff_user, other_clinic, leader
):
    staff_user.preferred_language = "en"
    staff_user.save()
    ProjectFactory(
        lead_clinic=staff_user.clinic, owner=leader, title="Digital triage", stage="pilot"
    )
    joined = ProjectFactory(lead_clinic=other_clinic, owner=leader, title="Shared booking")
    joined.other_clinics.add(staff_user.clinic)
    ProjectFactory(lead_clinic=other_clinic, owner=leader, title="Not ours")
    SupportContactFactory(
        clinic=staff_user.clinic, area=SupportContact.Area.LEGAL_IP, name="Ida Jurist"
    )
    IdeaFactory(submitter=staff_user, title="My private draft")
    IdeaFactory(clinic=staff_user.clinic, submitter=staff_user, title="Colleague's", submitted=True)
    IdeaFactory(submitter=StaffFactory(clinic=other_clinic), title="Elsewhere", submitted=True)
    client.force_login(staff_user)

    html = client.get(
        reverse("portfolio:clinic_detail", args=[staff_user.clinic_id])
    ).content.decode()

    assert "Digital triage" in html and "Pilot in the clinic" in html
    assert "Shared booking" in html
    assert "Not ours" not in html
    assert "Ida Jurist" in html and "Legal and intellectual property" in html
    assert "The steps an idea goes through" in html
    assert "My private draft" not in html
    assert "Colleague&#x27;s" in html
    assert "Elsewhere" not in html


def test_help_page_shows_the_steps_too(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("clinics:help", args=[staff_user.clinic_id]))

    assert response.status_code == 200
    assert "idea-steps" in response.content.decode()


def test_the_old_clinic_address_redirects_to_the_clinic_page(client, staff_user):
    client.force_login(staff_user)

    response = client.get(f"/clinics/{staff_user.clinic_id}/")

    assert response.status_code == 301
    assert response["Location"] == reverse("portfolio:clinic_detail", args=[staff_user.clinic_id])
