"""Personal data: a person downloads everything held about them; an administrator erases a
person in one action, and what they did stays, shown as a former user."""

import json
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinics.models import User
from clinics.selectors import personal_data_for
from clinics.services import two_factor_recovery_codes_renew, user_erase
from core.models import Notification
from partners.models import MilestoneUpdate
from portfolio.models import IdeaQuestion, InnovationTime, gate_criteria_keys
from tests.clinics.conftest import post_login
from tests.partners.factories import MilestoneFactory
from tests.portfolio.factories import IdeaFactory, ReviewFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db


def _staff_history(staff_user, leader, project, n=1, start=0):
    for i in range(start, start + n):
        idea = IdeaFactory(submitter=staff_user, submitted=True, title=f"Idea <b>{i}</b>")
        IdeaQuestion.objects.create(
            idea=idea,
            asked_by=leader,
            question="How often?",
            answer="Daily",
            answered_at=timezone.now(),
        )
        Notification.objects.create(recipient=staff_user, message=f"Your idea {i} moved")
        InnovationTime.objects.create(
            project=project,
            person=staff_user,
            week=timezone.localdate() - timedelta(weeks=i, days=timezone.localdate().weekday()),
            hours=2,
        )
    return idea


def test_my_data_holds_what_i_wrote_and_what_was_sent_to_me(staff_user, leader, project):
    _staff_history(staff_user, leader, project)
    other = IdeaFactory(title="A colleague's idea")

    data = personal_data_for(user=staff_user)

    assert data["profile"]["username"] == "staff"
    assert data["profile"]["clinic__name"] == "Tandvårdskliniken Idun"
    assert [i["title"] for i in data["ideas"]] == ["Idea <b>0</b>"]
    assert data["questions_on_my_ideas"][0]["answer"] == "Daily"
    assert data["notifications"][0]["message"] == "Your idea 0 moved"
    assert data["innovation_time"][0]["project__title"] == "Digital dental triage"
    assert other.title not in json.dumps(data, default=str)
    assert "password" not in data["profile"]


def test_a_leaders_data_holds_scopes_reviews_and_updates(leader, project, staff_user):
    ReviewFactory(reviewer=leader, idea=IdeaFactory(submitter=staff_user, submitted=True))
    StatusUpdateFactory(project=project, author=leader, text="Pilot started")

    data = personal_data_for(user=leader)

    assert data["leader_scopes"] == [
        {
            "region__name": "Region Västerbotten",
            "clinic__name": None,
            "created_at": leader.leader_scopes.get().created_at,
        }
    ]
    assert data["reviews"][0]["score_strategic_fit"] == 5
    assert data["status_updates"][0]["text"] == "Pilot started"
    assert data["projects_owned"][0]["title"] == "Digital dental triage"


def test_a_partners_data_holds_membership_and_milestone_updates(partner_user, project):
    milestone = MilestoneFactory(project=project)
    MilestoneUpdate.objects.create(
        milestone=milestone,
        author=partner_user,
        comment="Prototype delivered",
        changes={"progress": [0, 50]},
    )

    data = personal_data_for(user=partner_user)

    assert data["partner_membership"][0]["organisation__name"] == "Medtech Nord AB"
    assert data["milestone_updates"][0]["comment"] == "Prototype delivered"
    assert data["milestone_updates"][0]["changes"] == {"progress": [0, 50]}


def test_two_factor_secrets_are_not_exported(staff_user):
    codes = two_factor_recovery_codes_renew(user=staff_user)

    data = json.dumps(personal_data_for(user=staff_user), default=str)

    assert not any(code in data for code in codes)
    assert personal_data_for(user=staff_user)["two_factor"]["recovery_codes_left"] == 10


def test_export_query_count_does_not_grow_with_data(
    staff_user, leader, project, django_assert_max_num_queries
):
    _staff_history(staff_user, leader, project, n=1)
    # 53: one query per part of every app (the outbox's mails, the sso app's external
    # identities, comments, notification kinds switched off, project teams, and the
    # partnership's gate decisions, assessments and approvals included; the audit trail once
    # per model with a history). The evidence app's part: 5.
    with django_assert_max_num_queries(53) as small:
        personal_data_for(user=staff_user)
    _staff_history(staff_user, leader, project, n=5, start=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        personal_data_for(user=staff_user)


def test_download_from_my_account(client, staff_user, leader, project):
    _staff_history(staff_user, leader, project)
    client.force_login(staff_user)

    page = client.get("/account/")
    assert b'href="/account/personal-data.json"' in page.content

    response = client.get("/account/personal-data.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["id"] == staff_user.pk
    assert data["ideas"][0]["title"] == "Idea <b>0</b>"


@pytest.mark.parametrize(
    "url",
    [
        "/account/",
        "/account/personal-data.json",
        "/account/password/",
        "/account/two-factor/setup/",
        "/account/two-factor/recovery-codes/",
    ],
)
@pytest.mark.parametrize(
    "role",
    [
        None,
        "staff_user",
        "other_clinic_staff",
        "leader",
        "other_region_leader",
        "partner_user",
        "other_partner_user",
        "admin_user",
    ],
)
def test_account_pages_are_for_the_person_logged_in(client, request, url, role):
    """Everyone has their own account pages; they show only the person asking."""
    if role is None:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/login/")
        return
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    if url.endswith(".json"):
        assert json.loads(response.content)["profile"]["id"] == user.pk


# --- Erasing a person ------------------------------------------------------------------------


def test_erase_replaces_personal_data_and_keeps_the_history(
    staff_user, leader, project, admin_user
):
    idea = _staff_history(staff_user, leader, project)
    two_factor_recovery_codes_renew(user=staff_user)
    TOTPDevice.objects.create(user=staff_user, name="app", confirmed=True)
    staff_user.phone = "+46 70 123 45 67"
    staff_user.save()

    user_erase(user=staff_user, erased_by=admin_user)

    person = User.objects.get(pk=staff_user.pk)
    assert person.username == f"former-user-{person.pk}"
    assert (person.first_name, person.last_name, person.email, person.phone) == ("", "", "", "")
    assert not person.is_active
    assert not person.has_usable_password()
    assert person.erased_at is not None
    assert str(person) == "Former user"
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    assert not Notification.objects.filter(recipient=person).exists()
    # What they did stays, attributed to the former user.
    idea.refresh_from_db()
    assert idea.submitter_id == person.pk
    assert str(idea.submitter) == "Former user"
    assert InnovationTime.objects.filter(person=person).count() == 1


def test_erase_ends_every_session_of_the_person(staff_user, admin_user):
    laptop = Client()
    post_login(laptop, "staff")
    other = Client()
    post_login(other, "admin")
    assert Session.objects.count() == 2

    user_erase(user=staff_user, erased_by=admin_user)

    assert Session.objects.count() == 1
    assert laptop.get("/account/").status_code == 302
    assert other.get("/account/").status_code == 200


def test_an_erased_person_cannot_log_in(client, staff_user, admin_user):
    user_erase(user=staff_user, erased_by=admin_user)

    assert post_login(client, "staff").status_code == 200
    assert post_login(client, f"former-user-{staff_user.pk}").status_code == 200
    assert "_auth_user_id" not in client.session


def test_erase_refuses_oneself_and_a_second_time(admin_user, staff_user):
    with pytest.raises(ValidationError):
        user_erase(user=admin_user, erased_by=admin_user)
    user_erase(user=staff_user, erased_by=admin_user)
    with pytest.raises(ValidationError):
        user_erase(user=User.objects.get(pk=staff_user.pk), erased_by=admin_user)


def test_admin_action_erases_after_confirmation(client, admin_user, staff_user, leader):
    client.force_login(admin_user)
    changelist = "/admin/clinics/user/"
    selection = {"action": "erase_personal_data", "_selected_action": [staff_user.pk, leader.pk]}

    confirm = client.post(changelist, selection)
    assert confirm.status_code == 200
    assert b"This cannot be undone" in confirm.content
    assert User.objects.get(pk=staff_user.pk).erased_at is None

    done = client.post(changelist, {**selection, "confirmed": "yes"}, follow=True)
    assert done.status_code == 200
    assert b"The personal data of 2 people was erased." in done.content
    assert User.objects.filter(erased_at__isnull=False).count() == 2


def test_admin_action_will_not_erase_the_administrator_themself(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        "/admin/clinics/user/",
        {"action": "erase_personal_data", "_selected_action": [admin_user.pk], "confirmed": "yes"},
        follow=True,
    )

    assert b"You cannot erase your own account." in response.content
    assert User.objects.get(pk=admin_user.pk).erased_at is None


def test_the_admin_shows_no_two_factor_secrets(client, admin_user, staff_user):
    codes = two_factor_recovery_codes_renew(user=staff_user)
    device = TOTPDevice.objects.create(user=staff_user, name="app", confirmed=True)
    client.force_login(admin_user)

    static = client.get(f"/admin/otp_static/staticdevice/{StaticDevice.objects.get().pk}/change/")
    totp = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")

    assert static.status_code == totp.status_code == 200
    assert not any(code.encode() in static.content for code in codes)
    assert device.key.encode() not in totp.content


# --- Status digests and the audit trail ---------------------------------------------------------


def _digest_for(leader, *, sent: bool):
    from insights.services.digests import digest_prepare, digests_send_ready
    from tests.portfolio.digest_world import NOW, SLOT

    leader.first_name, leader.last_name = "Anna", "Lindqvist"
    leader.preferred_language = "en"
    leader.save()
    delivery = digest_prepare(leader_id=leader.pk, period_end=SLOT, now=NOW, queue_sender=False)
    if sent:
        digests_send_ready(now=NOW)
    delivery.refresh_from_db()
    assert "Anna Lindqvist" in delivery.body_text
    return delivery


def test_my_data_holds_digest_settings_deliveries_and_the_changes_i_made(leader, project):
    from portfolio.models import DigestPreference
    from portfolio.services.projects import project_change_stage

    DigestPreference.objects.create(leader=leader, frequency="monthly", language="da")
    delivery = _digest_for(leader, sent=True)
    project_change_stage(
        project=project,
        to_stage="development",
        actor=leader,
        note="Go",
        expected_version=project.version,
        criteria_met=gate_criteria_keys("development"),
    )

    data = personal_data_for(user=leader)

    assert data["digest_preference"][0]["frequency"] == "monthly"
    assert data["digest_preference"][0]["language"] == "da"
    [sent] = data["digests_sent_to_me"]
    assert (sent["recipient"], sent["status"], sent["subject"]) == (
        leader.email,
        "sent",
        delivery.subject,
    )
    assert "body_text" not in sent and "body_html" not in sent
    assert {"object": "project", "id": project.pk, "history_type": "~"} in [
        {key: row[key] for key in ("object", "id", "history_type")}
        for row in data["changes_i_made"]
    ]
    json.dumps(data, default=str)  # what the download serves


def test_my_data_holds_no_one_elses_changes(leader, staff_user, project):
    from portfolio.services.projects import project_change_stage

    project_change_stage(
        project=project,
        to_stage="development",
        actor=leader,
        note="Go",
        expected_version=project.version,
        criteria_met=gate_criteria_keys("development"),
    )

    assert personal_data_for(user=staff_user)["changes_i_made"] == []
    assert personal_data_for(user=staff_user)["digests_sent_to_me"] == []


def test_erase_blanks_the_address_and_messages_of_digests_but_keeps_their_records(
    leader, admin_user
):
    from django.core import mail

    from insights.services.digests import digest_prepare, digests_send_ready
    from portfolio.models import DigestDelivery
    from tests.portfolio.digest_world import NOW, SLOT

    sent = _digest_for(leader, sent=True)
    waiting = DigestDelivery.objects.create(
        leader=leader,
        period_start=SLOT,
        period_end=SLOT + timedelta(days=7),
        recipient=leader.email,
        subject="Partnerskap: what changed",
        body_text="Hello Anna Lindqvist,",
        body_html="<p>Hello Anna Lindqvist,</p>",
        last_error=f"SMTPRecipientsRefused: {leader.email}",
    )
    mail.outbox.clear()

    user_erase(user=leader, erased_by=admin_user)

    for delivery in (sent, waiting):
        delivery.refresh_from_db()
        assert (delivery.recipient, delivery.subject, delivery.body_text, delivery.body_html) == (
            "",
            "",
            "",
            "",
        )
        assert delivery.last_error == ""
    assert sent.status == "sent" and waiting.status == "skipped"
    # The records still claim their periods, and nothing is sent to the erased person.
    assert digest_prepare(leader_id=leader.pk, period_end=SLOT, now=NOW) is None
    assert digests_send_ready(now=NOW + timedelta(days=8)).sent == []
    assert mail.outbox == []
