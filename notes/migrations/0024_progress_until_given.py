from django.db import migrations, models


def zero_means_not_given(apps, schema_editor):
    # Before this, 0 was both the default and "not started": a member who never answered
    # cannot be told apart, so every 0 becomes "not given" (nothing folded, the fair side).
    apps.get_model("notes", "GroupMembership").objects.filter(progress=0).update(progress=None)


def not_given_means_zero(apps, schema_editor):
    apps.get_model("notes", "GroupMembership").objects.filter(progress=None).update(progress=0)


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0023_people"),
    ]

    operations = [
        migrations.AlterField(
            model_name="groupmembership",
            name="progress",
            field=models.PositiveIntegerField(blank=True, default=None, null=True),
        ),
        migrations.RunPython(zero_means_not_given, not_given_means_zero),
    ]
