"""python manage.py search_reindex: rebuild every search document from the stored content.

The services keep the index current; this is for content loaded past them (a fixture,
a restored dump) or after a change to what documents hold.
"""

from django.core.management.base import BaseCommand

from notes.services.search import search_reindex


class Command(BaseCommand):
    help = "Rebuild the search index (every book, chapter, table, thread and comment)."

    def handle(self, *args, **options) -> None:
        counts = search_reindex()
        made = ", ".join(f"{count} from {kind}" for kind, count in counts.items())
        self.stdout.write(f"Search index rebuilt: {made}.")
