"""Status digests end to end with eager Celery and a real SMTP server on 127.0.0.1."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from clinics.models import LeaderScope
from insights.services.digests import (
    digest_build,
    digest_prepare,
    digest_retry_countdown,
    digest_slot,
    digests_due,
    digests_send_ready,
)
from insights.tasks import digest_prepare_task, digests_dispatch_task, digests_send_task
from portfolio.models import DigestDelivery, DigestPreference, Project
from tests.clinics.factories import LeaderFactory
from tests.portfolio.digest_world import (
    NOW,
    SLOT,
    STOCKHOLM,
    build_partnership,
    build_portfolio,
    foreign_portfolio,
)
from tests.portfolio.factories import ProjectFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db

Frequency = DigestPreference.Frequency


@pytest.fixture
def run_schedule(django_capture_on_commit_callbacks):
    """Run the beat job at ``now``; every task it queues runs (eagerly) after commit."""

    def _run(now):
        with django_capture_on_commit_callbacks(execute=True):
            digests_dispatch_task.delay(now=now.isoformat())

    return _run


@pytest.fixture
def world(clinic, project, partner_organisation, leader, other_region_leader, foreign_clinic):
    build_portfolio(clinic=clinic, project=project, partner_organisation=partner_organisation)
    foreign_portfolio(foreign_clinic=foreign_clinic, owner=other_region_leader)
    return project


def message_to(smtp_server, address):
    found = [m for m in smtp_server.handler.messages if m["To"] == address]
    assert len(found) == 1, f"{len(found)} messages to {address}"
    return found[0]


def parts(message):
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


# --- Schedule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "now", "expected"),
    [
        # Monday 2 March 2026 07:00 Stockholm is a weekly and a monthly slot.
        (Frequency.WEEKLY, SLOT, SLOT),
        (Frequency.WEEKLY, SLOT - timedelta(seconds=1), SLOT - timedelta(days=7)),
        (Frequency.WEEKLY, SLOT + timedelta(days=6, hours=23), SLOT),
        (Frequency.MONTHLY, SLOT + timedelta(days=20), SLOT),
        (Frequency.MONTHLY, SLOT - timedelta(minutes=1), datetime(2026, 2, 2, 7, tzinfo=STOCKHOLM)),
        # Biweekly Mondays are every second one from 1 Jan 2024: 23 Feb and 9 Mar 2026.
        (Frequency.BIWEEKLY, SLOT, SLOT - timedelta(days=7)),
        (Frequency.BIWEEKLY, SLOT + timedelta(days=7), SLOT + timedelta(days=7)),
        (Frequency.NONE, SLOT, None),
    ],
)
def test_slot_is_the_latest_monday_morning_of_the_frequency(frequency, now, expected):
    assert digest_slot(frequency=frequency, now=now, tz=STOCKHOLM) == expected


def test_slot_is_monday_morning_in_the_regions_time_zone():
    new_york = ZoneInfo("America/New_York")
    slot = digest_slot(frequency=Frequency.WEEKLY, now=SLOT + timedelta(hours=1), tz=new_york)
    assert slot == datetime(2026, 2, 23, 7, tzinfo=new_york)  # 2 March 07:00 there is still ahead
    # Across the change to summer time the slot stays at 07:00 local time.
    after_dst = digest_slot(
        frequency=Frequency.WEEKLY, now=datetime(2026, 3, 30, 8, tzinfo=STOCKHOLM), tz=STOCKHOLM
    )
    assert after_dst.astimezone(STOCKHOLM).hour == 7
    assert after_dst.utcoffset() == timedelta(hours=2)


def test_due_skips_unsubscribed_and_claimed_leaders(leader, other_region_leader):
    DigestPreference.objects.create(leader=other_region_leader, frequency=Frequency.NONE)
    due = digests_due(now=NOW)
    assert [d.leader for d in due] == [leader]
    assert due[0].period_end == SLOT
    assert due[0].period_start == SLOT - timedelta(days=7)
    DigestDelivery.objects.create(
        leader=leader,
        period_start=due[0].period_start,
        period_end=SLOT,
        status="sent",
        sent_at=NOW,
    )
    assert digests_due(now=NOW) == []


# --- Content ------------------------------------------------------------------------------------


def test_each_leader_gets_a_multipart_digest_of_their_own_clinics_in_their_language(
    world, leader, other_region_leader, smtp_server, run_schedule
):
    run_schedule(NOW)

    assert smtp_server.handler.recipients() == sorted([leader.email, other_region_leader.email])
    swedish = message_to(smtp_server, leader.email)
    text, html = parts(swedish)
    assert "Partnerskap" in swedish["Subject"]
    with translation.override("sv"):
        status_updates = gettext("Status updates")
    assert status_updates != "Status updates"
    assert status_updates in text and status_updates in html
    assert world.title in text and world.title in html
    assert "Foreign secret" not in text + html and "Foreign update" not in text + html
    assert swedish["List-Unsubscribe"].strip().startswith("<http")
    assert '<html lang="sv">' in html
    # E-mail: inline styles only, nothing loaded from elsewhere.
    assert "<img" not in html and "<link" not in html and "<style" not in html

    danish = message_to(smtp_server, other_region_leader.email)
    text, html = parts(danish)
    assert "Statusopdateringer" in text and "Foreign update" in html
    assert world.title not in text + html and "Supplier went bankrupt" not in text + html


def test_digest_lists_every_kind_of_change_with_links_and_problems_first(world, leader):
    leader.preferred_language = "en"
    leader.save()
    rendered = digest_build(
        leader=leader, period_start=SLOT - timedelta(days=7), period_end=SLOT, now=NOW
    )
    text = rendered.text
    for expected in [
        "Waiting idea",
        "waiting 7 days",  # submitted 23 Feb 12:00, digest on 2 March
        "Decided idea",
        "Concept → Pilot in the clinic",
        "Overdue milestone",
        "4 days overdue",
        "Coming milestone",
        "Prototype delivered",
        "Progress 40% → 60%",
        "Completed milestone",
        "Signed agreement",
        "Waiting time",
        "/portfolio/review/",
        "/portfolio/digests/unsubscribe/",
    ]:
        assert expected in text, expected
    # A project that went off track comes before the one on track.
    assert text.index("Supplier went bankrupt") < text.index("All fine")
    assert rendered.has_changes
    assert rendered.item_count >= 10


def test_html_part_escapes_what_people_typed(project, leader):
    StatusUpdateFactory(
        project=project, text="<script>alert(1)</script>", created_at=SLOT - timedelta(days=1)
    )
    rendered = digest_build(
        leader=leader, period_start=SLOT - timedelta(days=7), period_end=SLOT, now=NOW
    )
    assert "<script>alert(1)" not in rendered.html
    assert "&lt;script&gt;" in rendered.html
    assert "<script>alert(1)</script>" in rendered.text  # plain text is not HTML


def test_leader_of_one_clinic_sees_only_that_clinic(world, region, other_clinic):
    clinic_leader = LeaderFactory(region=region, clinics=[other_clinic])
    ProjectFactory(lead_clinic=other_clinic, owner=clinic_leader, title="Bjurholm project")
    rendered = digest_build(
        leader=clinic_leader, period_start=SLOT - timedelta(days=7), period_end=SLOT, now=NOW
    )
    assert world.title not in rendered.text
    assert "Waiting idea" not in rendered.text
    assert not rendered.has_changes


def test_empty_period_sends_a_short_no_changes_digest(leader, smtp_server, run_schedule):
    leader.preferred_language = "en"
    leader.save()
    run_schedule(NOW)
    message = message_to(smtp_server, leader.email)
    assert "no changes" in message["Subject"]
    assert "No changes in your portfolio" in parts(message)[0]


def test_empty_period_sends_nothing_if_the_leader_prefers(leader, smtp_server, run_schedule):
    DigestPreference.objects.create(leader=leader, send_when_empty=False)
    run_schedule(NOW)
    assert smtp_server.handler.messages == []
    delivery = DigestDelivery.objects.get(leader=leader)
    assert delivery.status == DigestDelivery.Status.SKIPPED
    # The skipped period still counts: the next digest starts where it ended.
    run_schedule(NOW + timedelta(days=7))
    assert (
        DigestDelivery.objects.get(leader=leader, period_end=SLOT + timedelta(days=7)).period_start
        == SLOT
    )


def test_unsubscribed_leader_gets_nothing(leader, smtp_server, run_schedule):
    DigestPreference.objects.create(leader=leader, frequency=Frequency.NONE)
    run_schedule(NOW)
    assert smtp_server.handler.messages == []
    assert not DigestDelivery.objects.exists()


def test_language_preference_overrides_the_users_language(leader, smtp_server, run_schedule):
    DigestPreference.objects.create(leader=leader, language="da")
    run_schedule(NOW)
    assert "Ingen ændringer" in parts(message_to(smtp_server, leader.email))[0]


def test_queries_per_digest_do_not_grow_with_the_data(world, leader, clinic, partner_organisation):
    def queries():
        fresh = type(leader).objects.select_related("region", "digest_preference").get(pk=leader.pk)
        with CaptureQueriesContext(connection) as captured:
            digest_build(
                leader=fresh, period_start=SLOT - timedelta(days=7), period_end=SLOT, now=NOW
            )
        return len(captured)

    build_partnership(project=world, partner_organisation=partner_organisation, decided_by=leader)
    small = queries()
    for index in range(4):
        more = ProjectFactory(lead_clinic=clinic, owner=leader)
        build_portfolio(
            clinic=clinic,
            project=more,
            partner_organisation=partner_organisation,
            label=f" {index}",
        )
        build_partnership(
            project=more,
            partner_organisation=partner_organisation,
            decided_by=leader,
            label=f" {index}",
        )
    assert queries() == small
    # 12 for the portfolio, 4 for the innovation partnerships (targets, gate decisions and
    # their outcomes, instalments), 1 for the contributions behind plan (one grouped query,
    # tests/portfolio/test_contributions_behind.py counts it with rows).
    # +5: benefit reviews due, partners needing action (issue 17).
    assert small <= 22


# --- Exactly once -------------------------------------------------------------------------------


def test_one_smtp_connection_serves_a_batch(region, smtp_server, settings):
    settings.DIGEST_BATCH_SIZE = 3
    leaders = [LeaderFactory(region=region) for _ in range(7)]
    for leader in leaders:
        digest_prepare(leader_id=leader.pk, period_end=SLOT, now=NOW, queue_sender=False)

    result = digests_send_ready(now=NOW)

    assert len(result.sent) == 7
    assert smtp_server.handler.recipients() == sorted(leader.email for leader in leaders)
    # As the SMTP server saw it: three connections, carrying 3, 3 and 1 messages.
    assert smtp_server.handler.transactions_per_connection() == [1, 3, 3]


def test_the_task_run_twice_sends_one_email(world, leader, smtp_server, run_schedule):
    run_schedule(NOW)
    digest_prepare_task.apply(args=(leader.pk, SLOT.isoformat(), NOW.isoformat()))
    digests_send_task.apply()
    run_schedule(NOW + timedelta(hours=1))  # beat runs every hour
    assert len([m for m in smtp_server.handler.messages if m["To"] == leader.email]) == 1
    assert DigestDelivery.objects.filter(leader=leader).count() == 1


def test_two_beat_processes_at_once_send_one_email(
    leader, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        # Both decide before either claims: each queues a prepare task for the leader.
        digests_dispatch_task.delay(now=NOW.isoformat())
        digests_dispatch_task.delay(now=NOW.isoformat())
    assert smtp_server.handler.recipients() == [leader.email]
    assert DigestDelivery.objects.get(leader=leader).status == DigestDelivery.Status.SENT


def test_second_claim_of_a_period_is_refused(leader):
    first = digest_prepare(leader_id=leader.pk, period_end=SLOT, now=NOW)
    assert first is not None
    assert digest_prepare(leader_id=leader.pk, period_end=SLOT, now=NOW) is None
    with pytest.raises(IntegrityError):
        DigestDelivery.objects.create(
            leader=leader, period_start=SLOT - timedelta(days=1), period_end=SLOT
        )


# --- Failures and retries -----------------------------------------------------------------------


def test_smtp_down_for_the_first_attempt_is_delivered_on_retry(
    world, leader, other_region_leader, smtp_server, run_schedule
):
    smtp_server.handler.refuse_next = 1
    run_schedule(NOW)
    failed = DigestDelivery.objects.get(status=DigestDelivery.Status.READY)
    assert failed.attempts == 1
    assert "421" in failed.last_error
    assert failed.next_attempt_at > timezone.now()

    # The retry, when it is due.
    digests_send_task.apply(
        kwargs={"now": (failed.next_attempt_at + timedelta(seconds=1)).isoformat()}
    )

    assert smtp_server.handler.recipients() == sorted([leader.email, other_region_leader.email])
    failed.refresh_from_db()
    assert failed.status == DigestDelivery.Status.SENT
    assert failed.attempts == 2
    assert DigestDelivery.objects.count() == 2


def test_smtp_server_not_running_is_recorded_and_retried(leader, smtp_server, run_schedule):
    smtp_server.stop()
    run_schedule(NOW)
    delivery = DigestDelivery.objects.get(leader=leader)
    assert delivery.status == DigestDelivery.Status.READY
    assert delivery.attempts == 1
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error
    smtp_server.start()
    digests_send_task.apply(kwargs={"now": (timezone.now() + timedelta(hours=2)).isoformat()})
    assert smtp_server.handler.recipients() == [leader.email]


def test_a_digest_that_keeps_failing_is_marked_failed(leader, smtp_server, run_schedule, settings):
    settings.DIGEST_MAX_ATTEMPTS = 3
    smtp_server.handler.refuse_next = 10
    run_schedule(NOW)
    later = timezone.now()
    for _attempt in range(4):
        later += timedelta(hours=3)
        digests_send_task.apply(kwargs={"now": later.isoformat()})
    delivery = DigestDelivery.objects.get(leader=leader)
    assert delivery.status == DigestDelivery.Status.FAILED
    assert delivery.attempts == 3
    assert delivery.last_error
    assert smtp_server.handler.messages == []


@pytest.mark.parametrize("visibility_timeout", [3600, 600, 30])
def test_every_retry_countdown_is_below_the_visibility_timeout(settings, visibility_timeout):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": visibility_timeout}
    settings.DIGEST_RETRY_BASE_SECONDS = 60
    random.seed(6)
    for attempt in range(1, 40):
        countdowns = [digest_retry_countdown(attempt=attempt) for _ in range(50)]
        assert all(0 < c < visibility_timeout for c in countdowns)
        assert len(set(countdowns)) > 1  # jitter


def test_backoff_grows_exponentially(settings):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    settings.DIGEST_RETRY_BASE_SECONDS = 60
    assert 30 <= digest_retry_countdown(attempt=1) <= 60
    assert 120 <= digest_retry_countdown(attempt=3) <= 240


def test_failed_send_schedules_the_retry_below_the_visibility_timeout(
    leader, smtp_server, run_schedule, settings
):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    smtp_server.handler.refuse_next = 1
    before = timezone.now()
    run_schedule(NOW)
    delivery = DigestDelivery.objects.get(leader=leader)
    assert timedelta(0) < delivery.next_attempt_at - before < timedelta(seconds=3600)


# --- The schedule over many periods -------------------------------------------------------------


def test_schedule_over_consecutive_periods_sends_one_digest_per_period(
    project, leader, region, smtp_server, run_schedule
):
    biweekly = LeaderFactory(username="biweekly", region=region)
    monthly = LeaderFactory(username="monthly", region=region)
    DigestPreference.objects.create(leader=biweekly, frequency=Frequency.BIWEEKLY)
    DigestPreference.objects.create(leader=monthly, frequency=Frequency.MONTHLY)
    start = datetime(2026, 3, 2, 0, 0, tzinfo=STOCKHOLM)  # before that Monday's slot
    weeks = 9
    # One status update every Wednesday: each must appear in exactly one digest per leader.
    for week in range(-5, weeks + 1):
        StatusUpdateFactory(
            project=project,
            text=f"Weekly note {week:+d}.",
            created_at=start + timedelta(days=2 + 7 * week, hours=12),
        )

    clock = start
    while clock <= start + timedelta(weeks=weeks, hours=12):
        run_schedule(clock)
        clock += timedelta(hours=5)

    def slots(first, step_days):
        return [first + timedelta(days=step_days * i) for i in range(20)]

    mondays = [datetime(2026, 2, 23, 7, tzinfo=STOCKHOLM) + timedelta(weeks=i) for i in range(11)]
    expected = {
        leader: mondays,
        biweekly: [m for m in mondays if (m.date() - datetime(2024, 1, 1).date()).days % 14 == 0],
        monthly: [
            datetime(2026, month, day, 7, tzinfo=STOCKHOLM)
            for month, day in ((2, 2), (3, 2), (4, 6), (5, 4))
        ],
    }
    for person, period_ends in expected.items():
        deliveries = list(DigestDelivery.objects.filter(leader=person).order_by("period_end"))
        assert [d.period_end for d in deliveries] == period_ends, person.username
        # Contiguous: every period starts where the one before ended, so nothing falls between.
        for before, after in zip(deliveries, deliveries[1:], strict=False):
            assert after.period_start == before.period_end
        messages = [m for m in smtp_server.handler.messages if m["To"] == person.email]
        assert len(messages) == len(period_ends)
        # Every weekly note inside the covered span is in exactly one of this leader's digests.
        covered_start, covered_end = deliveries[0].period_start, deliveries[-1].period_end
        for week in range(-5, weeks + 1):
            at = start + timedelta(days=2 + 7 * week, hours=12)
            if covered_start <= at < covered_end:
                note = f"Weekly note {week:+d}."
                assert sum(note in parts(m)[0] for m in messages) == 1, (person.username, note)
    assert Project.objects.count() == 1
    assert LeaderScope.objects.filter(leader=leader).exists()


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_while_queueing_the_sender_is_logged_not_raised(
    leader, broker_down, caplog
):
    # The claim commits; queueing the sender then fails against a closed port. The digest stays
    # ready for the next hourly run, which queues a sender again.
    delivery = digest_prepare(leader_id=leader.pk, period_end=SLOT, now=NOW)

    assert DigestDelivery.objects.get(pk=delivery.pk).status == DigestDelivery.Status.READY
    assert "Could not queue insights.tasks.digests_send_task" in caplog.text
