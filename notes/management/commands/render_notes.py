"""python manage.py render_notes: render every book, chapter and table again.

Renderings are stored when content is published; after a change to the renderer (raw
HTML allowed, footnotes, task lists, summary links to chapter pages) run this once so
content published before shows the same as content published after.
"""

from django.core.management.base import BaseCommand

from notes.services.history import renderings_refresh


class Command(BaseCommand):
    help = "Render every book summary, chapter and table again and store what changed."

    def handle(self, *args, **options) -> None:
        changed = renderings_refresh()
        made = ", ".join(f"{count} {kind}" for kind, count in changed.items())
        self.stdout.write(f"Renderings refreshed; changed: {made}.")
