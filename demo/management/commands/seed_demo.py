from django.core.management.base import BaseCommand, CommandError

from demo.seed import demo_exists, seed_demo


class Command(BaseCommand):
    help = (
        "Load the demo regions, clinics, people and portfolio. Idempotent: a second run "
        "creates nothing. --scale N adds generated data to make N times more (benchmarks)."
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

    def handle(self, *args, scale, if_empty, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if if_empty and demo_exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        seed_demo(scale=scale, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (scale {scale})."))
