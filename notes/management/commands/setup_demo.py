"""python manage.py setup_demo: the seed book and demo users, for development only."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from notes.models import Book, Profile
from notes.services.search import search_reindex

SEED_SLUG = "designing-ml-systems"
SEED_FIXTURE = "designing-ml-systems"
DEMO_PASSWORD = "chapterwise-dev"  # noqa: S105 (printed in README; refused unless DEBUG)
DEMO_USERS = (
    # username, group, is_staff, display name
    ("admin", None, True, "Ada Admin"),
    ("editor", "Editor", False, "Eddie Editor"),
    ("reviewer", "Reviewer", False, "Rita Reviewer"),
    ("moderator", "Moderator", False, "Mo Moderator"),
    ("reader", "Reader", False, "Remy Reader"),
)


class Command(BaseCommand):
    help = "Load the seed book (once) and create the demo users. Refused when DEBUG is off."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "setup_demo creates accounts with a known password; it runs only with DEBUG on"
            )
        if Book.objects.filter(slug=SEED_SLUG).exists():
            self.stdout.write("Seed book already present; left as it is.")
        elif Book.objects.exists():
            call_command("import_notes", settings.BASE_DIR / "fixtures/source/designing-ml-systems.txt")
        else:
            call_command("loaddata", SEED_FIXTURE)
            # A fixture is loaded row by row, past the services: index what it brought.
            search_reindex()
            self.stdout.write("Loaded the seed book 'Designing ML Systems'.")
        User = get_user_model()
        for username, group_name, is_staff, display_name in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"is_staff": is_staff, "is_superuser": is_staff, "email": f"{username}@example.com"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            Profile.objects.get_or_create(user=user, defaults={"display_name": display_name})
            self.stdout.write(f"{'Created' if created else 'Kept'} demo user '{username}'.")
        self.stdout.write(f"Demo password for every demo user: {DEMO_PASSWORD}")
