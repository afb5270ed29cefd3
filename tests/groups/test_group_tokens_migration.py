"""Migration 0028 gives each existing membership its own calendar token, and can be undone
(each group then gets its own group-wide token back)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("notes", "0027_signup_requests")]
AFTER = [("notes", "0028_group_member_tokens")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_members_get_distinct_calendar_tokens_and_the_way_back_works():
    old = migrate(BEFORE)
    try:
        User = old.get_model("auth", "User")
        Book = old.get_model("notes", "Book")
        ReadingGroup = old.get_model("notes", "ReadingGroup")
        GroupMembership = old.get_model("notes", "GroupMembership")
        book = Book.objects.create(slug="old-book", title="Old Book")
        groups = [
            ReadingGroup.objects.create(
                book=book, slug=f"g{n}", name=f"G{n}", invite_token=f"i{n}", calendar_token="shared"
            )
            for n in range(2)
        ]
        for n in range(3):
            user = User.objects.create(username=f"member{n}")
            for group in groups:
                GroupMembership.objects.create(group=group, user=user)

        new = migrate(AFTER)
        tokens = list(
            new.get_model("notes", "GroupMembership").objects.values_list("calendar_token", flat=True)
        )
        assert len(tokens) == 6 and len(set(tokens)) == 6
        assert all(len(token) >= 32 for token in tokens)
        assert "shared" not in tokens

        back = migrate(BEFORE)
        group_tokens = list(
            back.get_model("notes", "ReadingGroup").objects.values_list("calendar_token", flat=True)
        )
        assert len(set(group_tokens)) == 2 and all(group_tokens)
        assert back.get_model("notes", "GroupMembership").objects.count() == 6
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
