import pytest
from django.test import Client
from django.urls import reverse

from partners.models import Milestone, MilestoneUpdate
from tests.partners.conftest import pdf_file

pytestmark = pytest.mark.django_db


def _url(milestone):
    return reverse("partners:milestone_detail", kwargs={"pk": milestone.pk})


def test_two_people_save_the_same_milestone_the_second_is_refused_and_keeps_their_input(
    milestone, partner_user, leader
):
    first, second = Client(), Client()
    first.force_login(leader)
    second.force_login(partner_user)
    # Both load the page: the form carries version 1.
    assert 'name="version" value="1"' in first.get(_url(milestone)).content.decode()
    assert 'name="version" value="1"' in second.get(_url(milestone)).content.decode()

    saved = first.post(
        _url(milestone),
        {"version": 1, "status": "in_progress", "progress": 30, "comment": "Leader's note"},
    )
    refused = second.post(
        _url(milestone),
        {"version": 1, "status": "blocked", "progress": 55, "comment": "Partner's own words"},
    )

    assert saved.status_code == 302
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Someone else saved this milestone" in page
    assert "Leader&#x27;s note" in page  # the other change is shown
    assert "Partner&#x27;s own words" in page  # the person's input stays in the form
    assert 'value="55"' in page
    assert 'name="version" value="2"' in page  # a deliberate second save builds on version 2
    milestone.refresh_from_db()
    assert (milestone.progress, milestone.status, milestone.version) == (30, "in_progress", 2)
    assert MilestoneUpdate.objects.filter(milestone=milestone).count() == 1


def test_partner_updates_progress_with_a_comment_and_evidence(client, milestone, partner_user):
    client.force_login(partner_user)

    response = client.post(
        _url(milestone),
        {
            "version": 1,
            "status": "in_progress",
            "progress": 45,
            "comment": "<b>Half way</b>",
            "evidence": pdf_file(),
        },
    )

    assert response.status_code == 302
    page = client.get(_url(milestone)).content.decode()
    assert "&lt;b&gt;Half way&lt;/b&gt;" in page  # shown escaped
    update = MilestoneUpdate.objects.get()
    download = client.get(reverse("partners:evidence_download", kwargs={"pk": update.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize(
    "data",
    [
        {"version": 1, "status": "in_progress", "progress": 101},
        {"version": 1, "status": "in_progress", "progress": -1},
        {"version": 1, "status": "finished", "progress": 10},
        {"version": "x", "status": "planned", "progress": 10},
        {"status": "planned", "progress": "ten"},
        {},
    ],
)
def test_bad_input_is_a_400_with_the_form_again(client, milestone, partner_user, data):
    client.force_login(partner_user)

    response = client.post(_url(milestone), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "invalid-feedback" in page or "alert-danger" in page
    milestone.refresh_from_db()
    assert milestone.version == 1


def test_evidence_of_the_wrong_type_is_refused_next_to_the_field(client, milestone, partner_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(partner_user)
    response = client.post(
        _url(milestone),
        {
            "version": 1,
            "status": "in_progress",
            "progress": 5,
            "evidence": SimpleUploadedFile("x.pdf", b"\x00\x01binary"),
        },
    )

    assert response.status_code == 400
    assert "Upload a PDF" in response.content.decode()
    assert not MilestoneUpdate.objects.exists()


def test_partner_sees_but_cannot_update_a_milestone_of_another_party(
    client, project, partner_user, leader, agreement
):
    from tests.partners.factories import MilestoneFactory

    theirs = MilestoneFactory(project=project, responsible_party=None, responsible_leader=leader)
    client.force_login(partner_user)

    page = client.get(_url(theirs))
    post = client.post(_url(theirs), {"version": 1, "status": "done", "progress": 100})

    assert page.status_code == 200 and "Report progress" not in page.content.decode()
    assert post.status_code == 403
    assert Milestone.objects.get(pk=theirs.pk).status == "planned"


def test_leader_confirms_a_partners_done_milestone_through_the_page(
    client, milestone, partner_user, leader
):
    partner = Client()
    partner.force_login(partner_user)
    partner.post(_url(milestone), {"version": 1, "status": "done", "progress": 80})
    client.force_login(leader)
    assert "Confirm that it is done" in client.get(_url(milestone)).content.decode()

    response = client.post(
        reverse("partners:milestone_confirm", kwargs={"pk": milestone.pk}), {"version": 2}
    )

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.confirmed_by == leader
    page = client.get(_url(milestone)).content.decode()
    assert "Confirmed" in page


def test_leader_adds_and_edits_a_milestone(
    client, project, leader, partner_organisation, agreement
):
    client.force_login(leader)
    create = reverse("partners:milestone_create", kwargs={"project_pk": project.pk})

    response = client.post(
        create,
        {
            "title": "Ethics approval",
            "responsible_party": partner_organisation.pk,
            "responsible_leader": leader.pk,
            "due_on": "2030-01-31",
        },
    )

    milestone = Milestone.objects.get(title="Ethics approval")
    assert response.status_code == 302
    edit = reverse("partners:milestone_edit", kwargs={"pk": milestone.pk})
    response = client.post(
        edit,
        {
            "title": "Ethics approval",
            "responsible_party": "",
            "responsible_leader": leader.pk,
            "due_on": "2030-02-28",
            "version": 1,
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.responsible_party is None and milestone.version == 2
    assert set(milestone.updates.get().changes) == {"responsible_party", "due_on"}


def test_foreign_organisation_as_responsible_party_is_refused(
    client, project, leader, other_partner_organisation
):
    client.force_login(leader)

    response = client.post(
        reverse("partners:milestone_create", kwargs={"project_pk": project.pk}),
        {"title": "X", "responsible_party": other_partner_organisation.pk, "due_on": "2030-01-01"},
    )

    assert response.status_code == 400
    assert not Milestone.objects.filter(title="X").exists()


def test_stale_plan_edit_shows_the_other_change_and_keeps_the_input(client, milestone, leader):
    from partners.services.milestones import milestone_edit

    milestone_edit(
        milestone=milestone, actor=leader, expected_version=1, title="Renamed by a colleague"
    )
    client.force_login(leader)

    response = client.post(
        reverse("partners:milestone_edit", kwargs={"pk": milestone.pk}),
        {"title": "My title", "due_on": "2031-01-01", "version": 1},
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Renamed by a colleague" in page and 'value="My title"' in page
    milestone.refresh_from_db()
    assert milestone.title == "Renamed by a colleague"


def test_a_double_submit_saves_once(client, milestone, partner_user):
    client.force_login(partner_user)
    data = {"version": 1, "status": "in_progress", "progress": 20, "comment": "Once"}

    first = client.post(_url(milestone), data)
    second = client.post(_url(milestone), data)

    assert (first.status_code, second.status_code) == (302, 409)
    assert MilestoneUpdate.objects.filter(milestone=milestone).count() == 1


@pytest.mark.parametrize(
    "name", ["a" * 245 + ".pdf", "ä" * 146 + ".pdf"], ids=["249 ASCII", "150 non-ASCII"]
)
def test_evidence_with_a_long_name_is_saved_and_downloads_under_its_name(
    client, milestone, partner_user, name, settings
):
    from urllib.parse import quote

    client.force_login(partner_user)

    response = client.post(
        _url(milestone),
        {"version": 1, "status": "in_progress", "progress": 10, "evidence": pdf_file(name)},
    )

    assert response.status_code == 302
    update = MilestoneUpdate.objects.get(milestone=milestone)
    assert update.evidence_name == name
    stored = update.evidence.name
    assert stored.startswith(f"milestones/{milestone.pk}/") and stored.endswith(".pdf")
    assert len(stored.rsplit("/", 1)[-1]) < 40
    download = client.get(reverse("partners:evidence_download", kwargs={"pk": update.pk}))
    assert download.status_code == 200
    assert quote(name) in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def _done_by_partner(milestone, partner_user):
    partner = Client()
    partner.force_login(partner_user)
    response = partner.post(_url(milestone), {"version": 1, "status": "done", "progress": 100})
    assert response.status_code == 302


def test_only_the_responsible_leader_confirms_or_reopens(
    client, milestone, partner_user, leader, region
):
    from tests.clinics.factories import LeaderFactory

    colleague = LeaderFactory(region=region, preferred_language="en")
    _done_by_partner(milestone, partner_user)
    client.force_login(colleague)

    page = client.get(_url(milestone)).content.decode()
    confirm = client.post(
        reverse("partners:milestone_confirm", kwargs={"pk": milestone.pk}), {"version": 2}
    )
    reopen = client.post(
        reverse("partners:milestone_reopen", kwargs={"pk": milestone.pk}),
        {"version": 2, "reason": "Not good enough"},
    )

    assert "Confirm that it is done" not in page
    assert f"awaits confirmation by {leader}" in page
    assert confirm.status_code == reopen.status_code == 403
    milestone.refresh_from_db()
    assert milestone.status == "done" and milestone.confirmed_at is None

    client.force_login(leader)
    assert "Confirm that it is done" in client.get(_url(milestone)).content.decode()
    confirmed = client.post(
        reverse("partners:milestone_confirm", kwargs={"pk": milestone.pk}), {"version": 2}
    )
    assert confirmed.status_code == 302
    milestone.refresh_from_db()
    assert milestone.confirmed_by == leader


def test_without_a_responsible_leader_the_project_owner_confirms(
    client, milestone, partner_user, leader, region
):
    from tests.clinics.factories import LeaderFactory

    owner = LeaderFactory(region=region)
    milestone.project.owner = owner
    milestone.project.save()
    Milestone.objects.filter(pk=milestone.pk).update(responsible_leader=None)
    _done_by_partner(milestone, partner_user)

    client.force_login(leader)  # a leader of the region, but neither named nor the owner
    refused = client.post(
        reverse("partners:milestone_confirm", kwargs={"pk": milestone.pk}), {"version": 2}
    )
    client.force_login(owner)
    confirmed = client.post(
        reverse("partners:milestone_confirm", kwargs={"pk": milestone.pk}), {"version": 2}
    )

    assert (refused.status_code, confirmed.status_code) == (403, 302)
    milestone.refresh_from_db()
    assert milestone.confirmed_by == owner


def test_when_nobody_is_named_a_region_wide_leader_confirms(
    client, milestone, partner_user, region
):
    from tests.clinics.factories import LeaderFactory

    clinic_leader = LeaderFactory(region=region, clinics=[milestone.project.lead_clinic])
    owner = milestone.project.owner
    Milestone.objects.filter(pk=milestone.pk).update(responsible_leader=None)
    _done_by_partner(milestone, partner_user)
    owner.is_active = False
    owner.save()
    region_leader = LeaderFactory(region=region)

    client.force_login(clinic_leader)
    refused = client.post(
        reverse("partners:milestone_confirm", kwargs={"pk": milestone.pk}), {"version": 2}
    )
    client.force_login(region_leader)
    confirmed = client.post(
        reverse("partners:milestone_confirm", kwargs={"pk": milestone.pk}), {"version": 2}
    )

    assert (refused.status_code, confirmed.status_code) == (403, 302)
