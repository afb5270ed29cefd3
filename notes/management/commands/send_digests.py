"""Send the daily digest e-mails (and any instant e-mail left pending).

At most one digest per person per day, so it can run hourly from cron or the compose
file's ``digest`` service. ``--enqueue`` hands the work to the task queue instead.
"""

from django.core.management.base import BaseCommand

from notes.services.email import digests_send
from notes.tasks import send_daily_digests


class Command(BaseCommand):
    help = "Send today's notification digests: one e-mail per person who chose a daily digest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="enqueue the task for the worker instead of sending here"
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            result = send_daily_digests.enqueue()
            self.stdout.write(f"Enqueued the digest task {result.id}.")
            return
        sent = digests_send()
        self.stdout.write(f"Sent {sent} digest{'s' if sent != 1 else ''}.")
