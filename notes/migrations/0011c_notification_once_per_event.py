from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notes", "0011b_notification_events")]

    operations = [
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                fields=("recipient", "event_key"), name="notification_once_per_event"
            ),
        ),
    ]
