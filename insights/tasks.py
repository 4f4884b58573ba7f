from celery import shared_task


def _when(value: str | None):
    from datetime import datetime

    return datetime.fromisoformat(value) if value else None


@shared_task
def digests_dispatch_task(now: str | None = None) -> int:
    """The beat job (django-celery-beat, editable in the admin): one prepare task per due
    leader. ``now`` (ISO 8601) runs the schedule at another time, for tests and catch-up."""
    from insights.services.digests import digests_dispatch

    return len(digests_dispatch(now=_when(now)))


@shared_task
def digest_prepare_task(leader_id: int, period_end: str, now: str | None = None) -> int | None:
    """Claim and render one leader's digest; the sender is queued when it commits."""
    from django.utils import timezone

    from insights.services.digests import digest_prepare

    delivery = digest_prepare(
        leader_id=leader_id, period_end=_when(period_end), now=_when(now) or timezone.now()
    )
    return delivery.pk if delivery else None


@shared_task
def digest_prepare_batch_task(
    leader_ids: list[int], period_end: str, now: str | None = None
) -> list[int]:
    """Claim and render the digests of a batch of leaders (what the beat job queues): leaders
    of the same clinics share the reads; each claim is its own transaction."""
    from django.utils import timezone

    from insights.services.digests import digests_prepare_batch

    deliveries = digests_prepare_batch(
        leader_ids=leader_ids, period_end=_when(period_end), now=_when(now) or timezone.now()
    )
    return [delivery.pk for delivery in deliveries]


@shared_task(bind=True, max_retries=None)
def digests_send_task(self, now: str | None = None) -> int:
    """Send ready digests in batches. If some failed, retry when the first may be tried again:
    the countdown comes from the backoff in the records, always below the visibility timeout,
    and each record stops being retried after DIGEST_MAX_ATTEMPTS."""
    from insights.services.digests import digests_send_ready

    result = digests_send_ready(now=_when(now))
    if result.retry_in is not None:
        raise self.retry(countdown=result.retry_in)
    return len(result.sent)
