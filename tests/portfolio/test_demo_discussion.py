"""The demo's discussions (demo/seed_discussion.py): a thread on an idea and a project of every
clinic, unread notifications for the demo staff user, partners' actions for the demo leader."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from clinics.models import Clinic, User
from core.models import Notification
from portfolio.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)


def test_every_clinic_has_an_idea_thread_and_a_project_thread(seeded):
    # Every clinic with ideas and projects of its own; the clinics that only adopt another
    # clinic's solution (demo/seed_adoptions.py) have neither.
    clinics = Clinic.objects.filter(ideas__isnull=False, led_projects__isnull=False).distinct()
    assert clinics.count() >= 5
    for clinic in clinics:
        assert Comment.objects.filter(idea__clinic=clinic).exists(), clinic
        assert Comment.objects.filter(project__lead_clinic=clinic).exists(), clinic


def test_the_demo_staff_user_is_mentioned_and_the_leader_told_of_partners(seeded, client):
    staff = User.objects.get(username="staff")
    leader = User.objects.get(username="leader")

    [mention] = Notification.objects.filter(recipient=staff, kind=Notification.Kind.MENTION)
    assert mention.read_at is None
    kinds = set(Notification.objects.filter(recipient=leader).values_list("kind", flat=True))
    assert {Notification.Kind.MILESTONE_BLOCKED, Notification.Kind.AGREEMENT_CONFIRMED} <= kinds

    client.force_login(staff)
    page = client.get(reverse("portfolio:notification_open", args=[mention.pk]), follow=True)
    assert f"@{staff.username}" in page.content.decode()


def test_seeding_again_adds_no_comments_or_notifications(seeded):
    counts = Comment.objects.count(), Notification.objects.count()

    call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)

    assert (Comment.objects.count(), Notification.objects.count()) == counts
