"""Remind each monitored city's coordinators and editors that its progress reports are due soon,
or late. Run it daily (cron or a scheduler): each reminder goes once, however often it runs."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from cityzero.ghg.progress import GRACE_DAYS, REMIND_DAYS_BEFORE
from cityzero.monitoring.services import remind_editors


class Command(BaseCommand):
    help = (
        f"Remind city editors of progress reports due within {REMIND_DAYS_BEFORE} days (reports "
        f"on a period are due {GRACE_DAYS} days after it ends) or overdue, once each. "
        "Run it daily."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="Remind as on this day instead of today (to catch up on missed runs).",
        )

    def handle(self, *args, **options) -> None:
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today must be a date as YYYY-MM-DD, not {options['today']!r}."
                ) from None
        sent = remind_editors(today)
        self.stdout.write(f"{sent} reminder(s) sent.")
