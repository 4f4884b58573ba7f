import re

import pytest
from django.core import mail
from django.urls import reverse

from clinics.models import User
from partners.tokens import invitation_token_generator

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def _invite(client, leader, organisation, django_capture_on_commit_callbacks, **extra):
    client.force_login(leader)
    data = {
        "email": "Anna.Berg@medtech.example",
        "first_name": "Anna",
        "last_name": "Berg",
        "organisation": organisation.pk,
        "preferred_language": "en",
    } | extra
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("partners:invitation_create"), data)


def _link(message):
    return re.search(r"https?://\S+(/partners/invitations/\S+/)", message.body).group(1)


def test_leader_invites_a_partner_user_who_sets_a_password_once(
    client, leader, partner_organisation, agreement, django_capture_on_commit_callbacks
):
    response = _invite(client, leader, partner_organisation, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    user = User.objects.get(email="Anna.Berg@medtech.example")
    assert user.role == User.Role.PARTNER and not user.has_usable_password()
    assert user.partner_membership.organisation == partner_organisation
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Anna.Berg@medtech.example"]
    link = _link(mail.outbox[0])

    client.logout()
    assert client.get(link).status_code == 200
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link is spent: setting the password changed what the token was made from.
    reused = client.get(link)
    assert reused.status_code == 410
    assert "no longer works" in reused.content.decode()
    assert client.login(username=user.username, password=NEW_PASSWORD)


def test_expired_link_shows_a_clear_page(
    client, leader, partner_organisation, agreement, settings, django_capture_on_commit_callbacks
):
    _invite(client, leader, partner_organisation, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    client.logout()
    later = invitation_token_generator._now() + __import__("datetime").timedelta(
        seconds=settings.PARTNER_INVITATION_TIMEOUT + 60
    )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(invitation_token_generator, "_now", lambda: later)
        response = client.get(link)
        post = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == post.status_code == 410
    assert not User.objects.get(email="Anna.Berg@medtech.example").has_usable_password()


@pytest.mark.parametrize(
    ("uidb64", "token"), [("MQ", "bad-token"), ("!!!", "x"), ("OTk5OTk", "1-2"), ("MQ", "zz")]
)
def test_broken_links_are_no_500(client, uidb64, token):
    response = client.get(
        reverse("partners:invitation_accept", kwargs={"uidb64": uidb64, "token": token})
    )
    assert response.status_code == 410


def test_weak_password_is_refused_next_to_the_field(
    client, leader, partner_organisation, agreement, django_capture_on_commit_callbacks
):
    _invite(client, leader, partner_organisation, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    client.logout()

    response = client.post(link, {"new_password1": "short", "new_password2": "short"})

    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()


def test_leader_cannot_invite_into_an_organisation_outside_their_projects(
    client,
    other_region_leader,
    partner_organisation,
    agreement,
    django_capture_on_commit_callbacks,
):
    response = _invite(
        client, other_region_leader, partner_organisation, django_capture_on_commit_callbacks
    )

    assert response.status_code == 400
    assert not User.objects.filter(email="Anna.Berg@medtech.example").exists()
    assert not mail.outbox


def test_existing_email_is_refused(
    client,
    leader,
    partner_organisation,
    agreement,
    partner_user,
    django_capture_on_commit_callbacks,
):
    response = _invite(
        client,
        leader,
        partner_organisation,
        django_capture_on_commit_callbacks,
        email=partner_user.email.upper(),
    )

    assert response.status_code == 400
    assert "already has an account" in response.content.decode()


def test_an_invitee_whose_link_expired_is_invited_again_with_a_new_link(
    client, leader, partner_organisation, agreement, settings, django_capture_on_commit_callbacks
):
    _invite(client, leader, partner_organisation, django_capture_on_commit_callbacks)
    old_link = _link(mail.outbox[0])

    again = _invite(
        client,
        leader,
        partner_organisation,
        django_capture_on_commit_callbacks,
        email="anna.berg@MEDTECH.example",
    )

    assert again.status_code == 302
    assert User.objects.filter(email__iexact="anna.berg@medtech.example").count() == 1
    assert len(mail.outbox) == 2
    new_link = _link(mail.outbox[1])
    assert new_link != old_link
    client.logout()
    assert client.get(old_link).status_code == 410  # earlier links stay invalid
    response = client.post(new_link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(email="Anna.Berg@medtech.example").check_password(NEW_PASSWORD)


def test_an_invitee_of_another_organisation_is_not_invited_again(
    client,
    leader,
    project,
    partner_organisation,
    other_partner_organisation,
    agreement,
    django_capture_on_commit_callbacks,
):
    from partners.models import AgreementParty

    # The leader's project has both organisations as parties.
    AgreementParty.objects.create(
        agreement=agreement, organisation=other_partner_organisation, risk_share=0, value_share=0
    )
    _invite(client, leader, partner_organisation, django_capture_on_commit_callbacks)

    response = _invite(
        client, leader, other_partner_organisation, django_capture_on_commit_callbacks
    )

    assert response.status_code == 400
    assert "already has an account" in response.content.decode()
    assert len(mail.outbox) == 1


def test_a_leader_cannot_staff_an_organisation_of_projects_they_do_not_steer(
    client, project, partner_organisation, agreement, django_capture_on_commit_callbacks
):
    """The hole of issue 11: a leader of another clinic saw the organisation through a joint
    project of theirs, invited an address into it, and that account then read a project the
    leader gets 404 on. Inviting is a steering right: only organisations party to a project
    the leader steers are offered or accepted."""
    from portfolio.models import Project
    from tests.clinics.factories import ClinicFactory, LeaderFactory
    from tests.partners.factories import agreement_with_parties
    from tests.portfolio.factories import ProjectFactory

    akut = ClinicFactory(region=project.lead_clinic.region, name="Akutvårdsavdelning")
    leader_akut = LeaderFactory(username="leader_akut", region=akut.region, clinics=[akut])
    # Akut takes part in a joint project led elsewhere, with the same partner.
    joint = ProjectFactory(lead_clinic=project.lead_clinic, title="Joint")
    joint.other_clinics.add(akut)
    agreement_with_parties(partner_organisation, project=joint, title="Joint agreement")
    assert not Project.objects.visible_to(leader_akut).filter(pk=project.pk).exists()

    client.force_login(leader_akut)
    form = client.get(reverse("partners:invitation_create"))
    response = _invite(
        client, leader_akut, partner_organisation, django_capture_on_commit_callbacks
    )

    assert str(partner_organisation) not in form.content.decode()
    assert response.status_code == 400
    assert not User.objects.filter(email__iexact="anna.berg@medtech.example").exists()
    assert not mail.outbox


def test_a_superuser_may_invite_into_any_party_organisation(
    client, admin_user, partner_organisation, agreement, django_capture_on_commit_callbacks
):
    response = _invite(client, admin_user, partner_organisation, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert User.objects.get(email="Anna.Berg@medtech.example").partner_membership
