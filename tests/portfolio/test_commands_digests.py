from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from portfolio.models import DigestDelivery, DigestPreference
from tests.portfolio.digest_world import NOW, SLOT

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_send_digests_dry_run_prints_who_would_get_what_and_sends_nothing(
    project, leader, other_region_leader
):
    output = run("send_digests", "--dry-run", "--now", NOW.isoformat())
    assert f"<{leader.email}>" in output
    assert f"<{other_region_leader.email}>" in output
    assert "2 digest(s) due" in output
    assert not DigestDelivery.objects.exists()
    assert mail.outbox == []


def test_send_digests_dry_run_says_who_gets_none_because_nothing_changed(
    leader, other_region_leader
):
    # Nothing changed for either leader; one of them wants no digest then, the other does.
    DigestPreference.objects.create(leader=leader, send_when_empty=False)

    output = run("send_digests", "--dry-run", "--now", NOW.isoformat())

    lines = {line.split(" ")[0]: line for line in output.splitlines()}
    assert "no changes, no digest" in lines[leader.username]
    assert "Partnerskap" not in lines[leader.username]  # no subject: nothing will be sent
    assert "no digest" not in lines[other_region_leader.username]
    assert "“" in lines[other_region_leader.username]
    assert "2 digest(s) due, 1 to send" in output

    # ... and that is what sending does.
    run("send_digests", "--now", NOW.isoformat())
    assert [m.to for m in mail.outbox] == [[other_region_leader.email]]


def test_send_digests_sends_each_due_digest_once(leader, other_region_leader):
    run("send_digests", "--now", NOW.isoformat())
    again = run("send_digests", "--now", (NOW + timedelta(hours=3)).isoformat())
    assert sorted(m.to[0] for m in mail.outbox) == sorted([leader.email, other_region_leader.email])
    assert "0 sent" in again
    assert DigestDelivery.objects.filter(period_end=SLOT, status="sent").count() == 2


def test_send_digests_rejects_a_bad_time():
    with pytest.raises(CommandError):
        run("send_digests", "--now", "next tuesday")


def test_preview_digest_renders_one_leaders_digest(project, leader):
    output = run("preview_digest", leader.username)
    assert f"To: {leader.email}" in output
    assert "Subject: Partnerskap" in output
    assert "<html" in run("preview_digest", leader.email, "--html", "--days", "30")
    assert not DigestDelivery.objects.exists()


def test_preview_digest_of_someone_who_is_not_a_leader(staff_user):
    with pytest.raises(CommandError):
        run("preview_digest", staff_user.username)
