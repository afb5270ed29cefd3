"""Send the webhook deliveries that are due: retries, and any whose task never ran.

Run it every minute (cron, or the compose file's worker loop): several runs at once are
safe, each delivery is sent by one of them. ``--enqueue`` hands the work to the task queue.
"""

from django.core.management.base import BaseCommand

from notes.services.webhooks import webhook_deliveries_send_due
from notes.tasks import send_due_webhooks


class Command(BaseCommand):
    help = "Send the webhook deliveries whose time has come (first attempts and retries)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="enqueue the task for the worker instead of sending here"
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            result = send_due_webhooks.enqueue()
            self.stdout.write(f"Enqueued the webhook task {result.id}.")
            return
        counts = webhook_deliveries_send_due()
        if not counts:
            self.stdout.write("No webhook delivery was due.")
            return
        self.stdout.write(", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items())) + ".")
