"""Calendar tokens move from the group to each membership.

A group-wide token could not be taken back from one member: whoever left kept a working
feed link. Each existing membership gets its own new token (the old group-wide links stop
working: members take their new link from the group's page). Reversing gives each group a
new group-wide token; the per-member ones are dropped.
"""

from django.db import migrations, models

import notes.lib.tokens


def give_each_member_a_token(apps, schema_editor):
    GroupMembership = apps.get_model("notes", "GroupMembership")
    memberships = list(GroupMembership.objects.only("pk"))
    for membership in memberships:
        membership.calendar_token = notes.lib.tokens.new_token()
    GroupMembership.objects.bulk_update(memberships, ["calendar_token"], batch_size=500)


def give_each_group_a_token(apps, schema_editor):
    ReadingGroup = apps.get_model("notes", "ReadingGroup")
    groups = list(ReadingGroup.objects.only("pk"))
    for group in groups:
        group.calendar_token = notes.lib.tokens.new_token()
    ReadingGroup.objects.bulk_update(groups, ["calendar_token"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0027_signup_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="groupmembership",
            name="calendar_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_each_member_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="groupmembership",
            name="calendar_token",
            field=models.CharField(
                default=notes.lib.tokens.new_token, editable=False, max_length=64, unique=True
            ),
        ),
        # Reversed, this adds the group's column back empty before it is filled.
        migrations.RunPython(migrations.RunPython.noop, give_each_group_a_token),
        migrations.RemoveField(
            model_name="readinggroup",
            name="calendar_token",
        ),
    ]
