"""The region administration pages as a region administrator uses them: field errors that
keep what was typed, stale edits, search and pages, the person menu, query counts."""

import pytest
from django.urls import reverse
from django.utils import translation

from clinics.models import Clinic, LeaderScope, SupportContact
from clinics.selectors import regions_led_by
from insights.forms import PortfolioFilterForm
from portfolio.models import Theme
from tests.clinics.factories import ClinicFactory, LeaderFactory, SupportContactFactory
from tests.partners.factories import PartnerOrganisationFactory
from tests.portfolio.factories import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, region_admin):
    client.force_login(region_admin)
    return client


def url(name, region, *args):
    return reverse(f"regionadmin:{name}", args=[region.pk, *args])


# --- The person menu ---------------------------------------------------------------------------


def test_the_person_menu_links_region_administration_only_for_those_who_have_it(
    client, region_admin, leader, staff_user
):
    link = reverse("regionadmin:index").encode()
    for person, shown in ((region_admin, True), (leader, False), (staff_user, False)):
        client.force_login(person)
        assert (link in client.get(reverse("account:detail")).content) is shown, person


def test_index_sends_the_administrator_of_one_region_to_it(admin_client, region):
    response = admin_client.get(reverse("regionadmin:index"))
    assert response["Location"] == url("region", region)


# --- Themes ------------------------------------------------------------------------------------


def test_a_theme_with_three_names_reads_in_each_language(admin_client, region):
    response = admin_client.post(
        url("theme_create", region),
        {"name_sv": "Egenvård", "name_da": "Egenomsorg", "name_en": "Self-care"},
    )
    assert response.status_code == 302
    theme = Theme.objects.get(region=region)
    assert theme.name == "Egenvård"  # the region's language is its own name
    assert theme.slug.startswith(region.slug)
    assert theme.history.get().history_user.username == "region_admin"
    with translation.override("da"):
        assert theme.display_name == "Egenomsorg"
    with translation.override("en"):
        assert theme.display_name == "Self-care"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name_da": "Kun dansk"}, "name_sv", "Give the theme&#x27;s name in the region"),
        ({"name_sv": "Prevention"}, "name_sv", "already has a theme of this name"),
        ({"name_sv": "Ny", "name_da": "prevention"}, "name_da", "already has a theme of this"),
    ],
)
def test_bad_theme_names_are_refused_next_to_the_field(admin_client, region, data, field, message):
    ThemeFactory(region=None, slug="prevention", name="Prevention", name_da="Prevention")
    response = admin_client.post(url("theme_create", region), data)

    assert response.status_code == 400
    assert message.encode() in response.content
    assert response.context["form"].errors[field]
    # Nothing typed is lost.
    for value in data.values():
        assert value.encode() in response.content
    assert not Theme.objects.filter(region=region).exists()


def test_a_stale_theme_edit_is_refused_with_the_current_names(admin_client, region):
    theme = ThemeFactory(region=region, name="Egenvård", name_sv="Egenvård")
    old_version = theme.version
    theme.name_da = "Egenomsorg (other admin)"
    theme.save()

    response = admin_client.post(
        url("theme_edit", region, theme.pk), {"name_sv": "Mine", "version": old_version}
    )

    assert response.status_code == 409
    assert b"Egenomsorg (other admin)" in response.content
    assert Theme.objects.get(pk=theme.pk).name_sv == "Egenvård"


def test_an_archived_theme_leaves_the_dashboard_filter_but_stays_listed(
    admin_client, client, region, leader
):
    theme = ThemeFactory(region=region, name="Egenvård", name_sv="Egenvård")
    foreign = ThemeFactory(region=LeaderFactory().region, name="Fremmed")
    admin_client.post(url("theme_archive", region, theme.pk))
    assert not Theme.objects.get(pk=theme.pk).is_active
    assert b"Egenv\xc3\xa5rd" in admin_client.get(url("themes", region)).content

    shared = ThemeFactory(region=None, name="Prevention")
    form = PortfolioFilterForm(
        regions=regions_led_by(leader), clinics=Clinic.objects.none(), partners=None
    )
    offered = set(form.fields["theme"].queryset)
    assert shared in offered
    assert theme not in offered
    assert foreign not in offered  # another region's own theme is never offered
    client.force_login(leader)
    assert client.get(reverse("portfolio:dashboard")).status_code == 200


# --- Clinics and support contacts -------------------------------------------------------------


def test_a_duplicate_clinic_name_is_refused(admin_client, region, clinic):
    response = admin_client.post(
        url("clinic_create", region), {"name": clinic.name.upper(), "kind": "dental"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert Clinic.objects.filter(region=region).count() == 1


def test_a_clinic_edit_keeps_its_history_and_version(admin_client, region, clinic):
    response = admin_client.post(
        url("clinic_edit", region, clinic.pk),
        {"name": "Idun renamed", "kind": "dental", "version": clinic.version},
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert (clinic.name, clinic.version) == ("Idun renamed", 2)
    assert clinic.history.first().history_user.username == "region_admin"

    stale = admin_client.post(
        url("clinic_edit", region, clinic.pk), {"name": "Again", "kind": "dental", "version": 1}
    )
    assert stale.status_code == 409
    assert b"Idun renamed" in stale.content


def test_a_clinics_allotted_innovation_hours_are_set_on_its_page(admin_client, region, clinic):
    from decimal import Decimal

    data = {"name": clinic.name, "kind": "dental", "version": clinic.version}
    refused = admin_client.post(
        url("clinic_edit", region, clinic.pk), {**data, "allotted_innovation_hours_per_week": "-4"}
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors["allotted_innovation_hours_per_week"]

    saved = admin_client.post(
        url("clinic_edit", region, clinic.pk), {**data, "allotted_innovation_hours_per_week": "40"}
    )
    assert saved.status_code == 302
    clinic.refresh_from_db()
    assert clinic.allotted_innovation_hours_per_week == Decimal("40")
    assert b"40" in admin_client.get(url("clinics", region)).content


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"area": "funding", "name": "Anna", "email": "not-an-address"}, "email"),
        ({"area": "funding", "name": "", "phone": "1"}, "name"),
        ({"area": "funding", "name": "Anna"}, None),  # no way to reach her
    ],
)
def test_bad_support_contacts_are_refused(admin_client, region, data, field):
    response = admin_client.post(url("support_contact_create", region), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field or "__all__"]
    assert not SupportContact.objects.exists()


def test_a_support_contact_of_another_regions_clinic_is_refused(
    admin_client, region, foreign_clinic
):
    response = admin_client.post(
        url("support_contact_create", region),
        {"area": "funding", "name": "Anna", "phone": "1", "clinic": foreign_clinic.pk},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["clinic"]


# --- Leader scopes -----------------------------------------------------------------------------


def test_scopes_go_only_to_the_regions_leaders_never_to_a_superuser(
    admin_client, region, clinic, staff_user, other_region_leader, admin_user
):
    for person in (staff_user, other_region_leader, admin_user):
        response = admin_client.post(
            url("leader_scope_create", region), {"leader": person.pk, "clinic": clinic.pk}
        )
        assert response.status_code == 400
        assert response.context["form"].errors["leader"]
    assert not LeaderScope.objects.filter(clinic=clinic).exists()


def test_a_leader_of_the_whole_region_gets_no_clinic_scope_twice(admin_client, region, leader):
    response = admin_client.post(url("leader_scope_create", region), {"leader": leader.pk})
    assert response.status_code == 400
    assert b"already leads the whole region" in response.content


def test_region_administration_itself_is_not_removed_on_the_pages(
    admin_client, region, region_admin
):
    scope = LeaderScope.objects.get(leader=region_admin)
    response = admin_client.post(url("leader_scope_remove", region, scope.pk))
    assert response.status_code == 403
    assert LeaderScope.objects.filter(pk=scope.pk).exists()


# --- Lists: search, pages, query counts --------------------------------------------------------


def test_lists_search_and_page(admin_client, region):
    for number in range(30):
        ClinicFactory(region=region, name=f"Vårdcentral {number:02}")
    ClinicFactory(region=region, name="Tandläkarna")

    assert admin_client.get(url("clinics", region), {"q": "tandl"}).context["page"].object_list[
        0
    ].name == ("Tandläkarna")
    second = admin_client.get(url("clinics", region), {"page": 2})
    assert len(second.context["page"].object_list) == 31 - 25


@pytest.mark.parametrize(
    "name", ["clinics", "support_contacts", "themes", "leader_scopes", "partner_organisations"]
)
def test_list_queries_do_not_grow_with_the_rows(
    admin_client, region, name, django_assert_max_num_queries
):
    def add_rows(count):
        for _ in range(count):
            clinic = ClinicFactory(region=region)
            SupportContactFactory(clinic=clinic)
            ThemeFactory(region=region)
            LeaderFactory(region=region, clinics=[clinic])
            PartnerOrganisationFactory(region=region)

    add_rows(2)
    admin_client.get(url(name, region))  # warm up (sessions, content types)
    with django_assert_max_num_queries(20) as few:
        admin_client.get(url(name, region))
    add_rows(12)
    with django_assert_max_num_queries(len(few)):
        admin_client.get(url(name, region))


def test_a_region_administrators_changes_are_in_their_personal_data(admin_client, region, clinic):
    from clinics.selectors import personal_data_for

    admin_client.post(
        url("clinic_edit", region, clinic.pk),
        {"name": "Idun renamed", "kind": "dental", "version": clinic.version},
    )
    admin_client.post(url("theme_create", region), {"name_sv": "Egenvård"})
    person = clinic.history.first().history_user

    changes = personal_data_for(user=person)["changes_i_made"]

    assert {(row["object"], row["history_type"]) for row in changes} == {
        ("clinic", "~"),
        ("theme", "+"),
    }


# --- Partner organisations ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "kind": "company"}, "name"),
        ({"name": "MEDTECH NORD AB", "kind": "company"}, "name"),  # exists, in any case
        ({"name": "Ny AB", "kind": "company", "contact_email": "nope"}, "contact_email"),
        ({"name": "Ny AB", "kind": "castle"}, "kind"),
    ],
)
def test_bad_partner_organisations_are_refused(admin_client, region, data, field):
    from partners.models import PartnerOrganisation
    from tests.partners.factories import PartnerOrganisationFactory

    PartnerOrganisationFactory(name="Medtech Nord AB")
    response = admin_client.post(url("partner_organisation_create", region), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert PartnerOrganisation.objects.count() == 1


def test_a_partner_organisation_is_added_edited_and_audited(admin_client, region):
    from partners.models import PartnerOrganisation

    admin_client.post(
        url("partner_organisation_create", region),
        {"name": "Ny Medtech AB", "kind": "company", "contact_phone": "090-123"},
    )
    organisation = PartnerOrganisation.objects.get(name="Ny Medtech AB")
    assert organisation.region == region
    response = admin_client.post(
        url("partner_organisation_edit", region, organisation.pk),
        {"name": "Ny Medtech AB", "kind": "academia", "version": organisation.version},
    )
    assert response.status_code == 302
    stale = admin_client.post(
        url("partner_organisation_edit", region, organisation.pk),
        {"name": "Other", "kind": "company", "version": 1},
    )
    assert stale.status_code == 409
    assert [row.history_type for row in organisation.history.all()] == ["~", "+"]
