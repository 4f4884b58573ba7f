"""Compute the co-sharing results missing for existing measurements (a rule added to an
indicator that already had measurements, data loaded from elsewhere). Idempotent."""

from django.core.management.base import BaseCommand

from partnership.services.cosharing import sharing_results_recompute


class Command(BaseCommand):
    help = "Compute and keep the co-sharing results missing for existing measurements."

    def add_arguments(self, parser):
        parser.add_argument("--rule", type=int, help="Only this co-sharing rule's id.")

    def handle(self, *args, rule=None, **options):
        from partnership.models import SharingRule

        selected = SharingRule.objects.get(pk=rule) if rule else None
        added = sharing_results_recompute(rule=selected)
        self.stdout.write(f"{added} co-sharing result(s) added.")
