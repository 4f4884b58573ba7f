from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from clinics.models import User
from insights.services.digests import (
    digest_build,
    digest_preference_of,
    digest_slot,
    digest_time_zone,
)


class Command(BaseCommand):
    help = "Render one leader's status digest for the current period (nothing is sent)."

    def add_arguments(self, parser):
        parser.add_argument("user", help="Username, e-mail address or id of the leader.")
        parser.add_argument("--html", action="store_true", help="Print the HTML part.")
        parser.add_argument("--days", type=int, help="Cover the last N days instead.")

    def handle(self, *args, user, html=False, days=None, **options):
        lookup = Q(username=user) | Q(email__iexact=user)
        if user.isdigit():
            lookup |= Q(pk=int(user))
        leader = User.objects.filter(lookup, role=User.Role.LEADER).first()
        if leader is None:
            raise CommandError(f"No innovation leader “{user}”.")
        now = timezone.now()
        if days:
            start, end = now - timedelta(days=days), now
        else:
            preference = digest_preference_of(leader)
            frequency = preference.frequency if preference.frequency != "none" else "weekly"
            tz = digest_time_zone(leader)
            # What the next digest would say so far: since the last one (or the last slot).
            last = leader.digest_deliveries.order_by("-period_end").first()
            start = last.period_end if last else digest_slot(frequency=frequency, now=now, tz=tz)
            end = now
        rendered = digest_build(leader=leader, period_start=start, period_end=end, now=now)
        self.stdout.write(f"To: {leader.email}\nSubject: {rendered.subject}\n")
        self.stdout.write(rendered.html if html else rendered.text)
