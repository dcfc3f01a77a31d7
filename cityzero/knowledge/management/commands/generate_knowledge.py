"""Add synthetic knowledge entries for scale tests: `cityzero generate_knowledge 100000`."""

import time

from django.core.management.base import BaseCommand, CommandError

from cityzero.knowledge.demo import load_synthetic_entries
from cityzero.knowledge.synthetic import ORGANISATION


class Command(BaseCommand):
    help = (
        "Add N published, synthetic knowledge entries (organisation “Synthetic”, marked "
        "illustrative), made deterministically from the seed. Running it again adds N more."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("count", type=int, help="how many entries to add")
        parser.add_argument("--seed", type=int, default=0, help="the same seed, the same entries")

    def handle(self, *args, count: int, seed: int, **options) -> None:
        if count < 1:
            raise CommandError("Give a positive number of entries, e.g. 100000.")
        started = time.perf_counter()
        made = load_synthetic_entries(count, seed=seed)
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {made:,} synthetic entries (seed {seed}, organisation “{ORGANISATION}”) "
                f"in {seconds:.1f} s."
            )
        )
