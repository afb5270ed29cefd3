"""Writes to the database task queue (django-tasks-db) that its own worker does not make.

A worker killed while it ran a task (a deploy, the OOM killer, a lost container) leaves the
task's row RUNNING for ever: no worker picks a RUNNING row up again, so that event's
e-mail would wait until the hourly sweep, and a digest task would never finish. Our tasks
are safe to run twice (e-mails are claimed and marked one by one; digests go once a day
per person), so a task RUNNING far longer than any of ours takes is queued again.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# Ours take seconds; a task RUNNING this long lost its worker.
STALE_AFTER = datetime.timedelta(minutes=30)
# Only tasks known to be safe to run again.
OUR_TASKS = "notes.tasks."


@transaction.atomic
def stale_tasks_requeue(*, older_than: datetime.timedelta = STALE_AFTER) -> int:
    """Queue again our tasks left RUNNING for longer than ``older_than``; returns how many."""
    now = timezone.now()
    stale = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
        status=TaskResultStatus.RUNNING,
        started_at__lt=now - older_than,
        task_path__startswith=OUR_TASKS,
    )
    ids = list(stale.values_list("id", flat=True))
    if ids:
        DBTaskResult.objects.filter(id__in=ids).update(status=TaskResultStatus.READY, run_after=now)
        logger.warning("Queued again %d task(s) whose worker stopped while running them", len(ids))
    return len(ids)
