"""Send each person the daily digest of their notifications. Run once a day (cron or a
scheduler); running it again sends nothing twice: each notification joins one digest at most."""

from django.core.management.base import BaseCommand

from cityzero.community.services.notifications import send_digests


class Command(BaseCommand):
    help = "Send the daily notification digests (idempotent)."

    def handle(self, *args, **options) -> None:
        sent = send_digests()
        self.stdout.write(f"{sent} digest(s) sent.")
