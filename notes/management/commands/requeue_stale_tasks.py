"""Queue again the tasks a killed worker left RUNNING (see notes/services/task_queue.py).

The compose file's ``digest`` service runs it every hour, before the digests.
"""

import datetime

from django.core.management.base import BaseCommand

from notes.services.task_queue import STALE_AFTER, stale_tasks_requeue


class Command(BaseCommand):
    help = "Queue again the tasks left RUNNING by a worker that stopped mid-task."

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=int(STALE_AFTER.total_seconds() // 60),
            help="a task RUNNING longer than this lost its worker (default: %(default)s)",
        )

    def handle(self, *args, minutes: int, **options):
        if minutes < 1:
            self.stderr.write("--minutes must be at least 1.")
            raise SystemExit(2)
        count = stale_tasks_requeue(older_than=datetime.timedelta(minutes=minutes))
        self.stdout.write(f"Queued again {count} stale task{'s' if count != 1 else ''}.")
