"""Earlier notifications were all mentions: give them their event and place.

A mention's event is its comment ("comment:<id>"), the same key a reply or a watched
thread's new comment takes, so one comment notifies a person once. They were e-mailed at
once when they were made, so none is waiting for e-mail; those already read were seen.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Notification = apps.get_model("notes", "Notification")
    rows = Notification.objects.select_related("comment__thread__chapter")
    for notification in rows.iterator(chunk_size=500):
        comment = notification.comment
        notification.kind = "mention"
        notification.event_key = f"comment:{comment.pk}"
        notification.actor_id = comment.author_id
        notification.thread_id = comment.thread_id
        notification.chapter_id = comment.thread.chapter_id
        notification.book_id = comment.thread.chapter.book_id
        notification.seen_at = notification.read_at
        notification.save(
            update_fields=["kind", "event_key", "actor", "thread", "chapter", "book", "seen_at"]
        )


def backwards(apps, schema_editor):
    # Before this change every notification was of a comment; the others cannot be kept.
    apps.get_model("notes", "Notification").objects.filter(comment__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("notes", "0011_watching")]

    operations = [migrations.RunPython(forwards, backwards)]
