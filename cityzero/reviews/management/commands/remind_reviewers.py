from django.core.management.base import BaseCommand

from cityzero.reviews.services import REMIND_DAYS_BEFORE, remind_reviewers


class Command(BaseCommand):
    help = (
        f"Remind reviewers of tasks due within {REMIND_DAYS_BEFORE} days or overdue, once each. "
        "Run it daily."
    )

    def handle(self, *args, **options) -> None:
        sent = remind_reviewers()
        self.stdout.write(f"{sent} reminder(s) sent.")
