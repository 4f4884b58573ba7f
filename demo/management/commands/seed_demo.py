from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seed import demo_exists, seed_demo

NOT_PRODUCTION_FLAG = "--i-know-this-is-not-production"


class Command(BaseCommand):
    help = (
        "Load the demo regions, clinics, people and portfolio. Idempotent: a second run "
        "creates nothing. --scale N adds generated data to make N times more (benchmarks). "
        f"Refuses to run with DEBUG off unless given {NOT_PRODUCTION_FLAG}: every demo "
        "account has the same, published password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Make N times more data (default 1)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the demo region already exists (used by `make run`).",
        )
        parser.add_argument(
            NOT_PRODUCTION_FLAG,
            action="store_true",
            dest="not_production",
            help="Seed even though DEBUG is off (benchmarks, test databases). Never on a "
            "production database: the demo password is public.",
        )

    def handle(self, *args, scale, if_empty, not_production, **options):
        # DEBUG off is how production runs (the safe default of config/settings.py), and the
        # demo logins share a password printed in the README: seeding there would open the
        # installation to anyone. Refuse before touching the database.
        if not settings.DEBUG and not not_production:
            raise CommandError(
                "DEBUG is off: this looks like a production installation, and the demo "
                "accounts' password is public. Run with DEBUG=true, or pass "
                f"{NOT_PRODUCTION_FLAG} if this database is a throwaway one."
            )
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if if_empty and demo_exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        seed_demo(scale=scale, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (scale {scale})."))
