from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from insights.selectors.digests import shared_digest_reads
from insights.services.digests import (
    digest_build,
    digest_preference_of,
    digest_prepare,
    digests_due,
    digests_send_ready,
)


class Command(BaseCommand):
    help = (
        "Send the status digests that are due now (what the beat job does, without a worker). "
        "--dry-run prints what would be sent to whom."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only print what is due.")
        parser.add_argument(
            "--now", help="Run the schedule as at this ISO 8601 time (default: now)."
        )

    def handle(self, *args, dry_run=False, now=None, **options):
        if now:
            try:
                now = datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(f"--now: {exc}") from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        else:
            now = timezone.now()
        due = digests_due(now=now)
        nothing_to_send = 0
        # Leaders of the same clinics share the reads of their digest.
        with shared_digest_reads():
            for period in due:
                leader = period.leader
                line = (
                    f"{leader.username} <{leader.email}> [{period.language}] "
                    f"{period.period_start:%Y-%m-%d %H:%M} – {period.period_end:%Y-%m-%d %H:%M %Z}"
                )
                if dry_run:
                    rendered = digest_build(
                        leader=leader,
                        period_start=period.period_start,
                        period_end=period.period_end,
                        now=now,
                    )
                    if rendered.has_changes or digest_preference_of(leader).send_when_empty:
                        line += f": {rendered.item_count} items, “{rendered.subject}”"
                    else:
                        # What digest_prepare will do: record the period as skipped, send nothing.
                        nothing_to_send += 1
                        line += (
                            ": no changes, no digest (the leader wants none when nothing changed)"
                        )
                else:
                    delivery = digest_prepare(
                        leader_id=leader.pk,
                        period_end=period.period_end,
                        now=now,
                        queue_sender=False,
                    )
                    line += f": {delivery.get_status_display() if delivery else 'already claimed'}"
                self.stdout.write(line)
        if dry_run:
            self.stdout.write(
                f"{len(due)} digest(s) due, {len(due) - nothing_to_send} to send; "
                "nothing sent (dry run)."
            )
            return
        result = digests_send_ready()
        self.stdout.write(f"{len(result.sent)} sent, {len(result.failed)} failed.")
