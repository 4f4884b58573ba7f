"""The clinic's help page: who helps with what, visible to its staff and leaders only."""

import pytest
from django.urls import reverse

from tests.clinics.factories import SupportContactFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("staff_user", 200),  # own clinic
        ("other_clinic_staff", 404),
        ("leader", 200),  # leader of the clinic's region
        ("other_region_leader", 404),
        ("partner_user", 404),
        ("other_partner_user", 404),
        ("admin_user", 200),
    ],
)
def test_help_page_permissions(request, client, clinic, person, status):
    client.force_login(request.getfixturevalue(person))

    assert client.get(reverse("clinics:help", args=[clinic.pk])).status_code == status


def test_anonymous_visitor_is_sent_to_login(client, clinic):
    response = client.get(reverse("clinics:help", args=[clinic.pk]))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_unknown_clinic_is_404_like_a_forbidden_one(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("clinics:help", args=[999999])).status_code == 404


def test_help_shows_own_and_region_wide_contacts_by_area(
    client, staff_user, clinic, other_clinic, foreign_clinic
):
    SupportContactFactory(clinic=clinic, name="Jonas Own", area="technical")
    SupportContactFactory(clinic=None, region=clinic.region, name="Sofia Region", area="legal_ip")
    SupportContactFactory(clinic=other_clinic, name="Karl Other")
    SupportContactFactory(clinic=None, region=foreign_clinic.region, name="Rasmus Foreign")
    staff_user.preferred_language = "en"
    staff_user.save()
    client.force_login(staff_user)

    response = client.get(reverse("clinics:help", args=[clinic.pk]))

    html = response.content.decode()
    assert "Jonas Own" in html and "Sofia Region" in html
    assert "Karl Other" not in html and "Rasmus Foreign" not in html
    assert "Whole region" in html
    # Every area has a section, empty ones say so.
    assert html.count('aria-labelledby="area-') == 4
    assert "No contact for this area yet." in html


def test_contact_texts_are_escaped(client, staff_user, clinic):
    SupportContactFactory(clinic=clinic, name="<script>alert(1)</script>")
    client.force_login(staff_user)

    html = client.get(reverse("clinics:help", args=[clinic.pk])).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_my_help_sends_staff_to_their_clinics_help(client, staff_user, clinic):
    client.force_login(staff_user)

    response = client.get(reverse("clinics:my_help"))

    assert response.status_code == 302
    assert response.url == reverse("clinics:help", args=[clinic.pk])


def test_my_help_is_404_for_a_partner(client, partner_user):
    client.force_login(partner_user)

    assert client.get(reverse("clinics:my_help")).status_code == 404
