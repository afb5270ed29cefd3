"""Books, their chapters and the chapters' comparison tables: the wiki's content."""

from django.db import models
from django.urls import reverse

from notes.lib.domains import domain_list, domain_slug, domain_slugs_key
from notes.models.history import History, HistoryExtras


class Book(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    author = models.CharField(max_length=200, blank=True)
    domains = models.CharField(
        max_length=300, blank=True, help_text="Comma-separated, e.g. 'Machine Learning, System Design'."
    )
    summary = models.TextField(blank=True, help_text="Markdown.")
    summary_html = models.TextField(blank=True, editable=False)
    # ``domains`` as slugs, ``|a|b|``, kept by ``save`` (see notes.lib.domains): the domain
    # page asks the database for one page of its books instead of reading every book.
    # Derived, so not versioned.
    domain_slugs = models.CharField(max_length=400, blank=True, editable=False)

    history = History(
        bases=[HistoryExtras], excluded_fields=["domain_slugs"], dated_by=("id",), changelog_by="id"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.domain_slugs = domain_slugs_key(self.domains)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "domains" in update_fields:
            kwargs["update_fields"] = {*update_fields, "domain_slugs"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("notes:book-detail", kwargs={"book_slug": self.slug})

    @property
    def domain_list(self) -> list[str]:
        return domain_list(self.domains)

    @property
    def domain_links(self) -> list[tuple[str, str]]:
        """(name, URL of the page of every book in that domain) for each domain."""
        return [
            (domain, reverse("notes:domain-detail", kwargs={"domain_slug": domain_slug(domain)}))
            for domain in self.domain_list
            if domain_slug(domain)
        ]


class Chapter(models.Model):
    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="chapters")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown; a line [[table:slug]] places a table.")
    body_html = models.TextField(blank=True, editable=False)
    # The chapter's table of contents, made with ``body_html`` when it is rendered (see
    # ``notes.lib.anchors.chapter_contents``): pages read it instead of parsing HTML. A cache
    # like ``body_html``, so no version of its own.
    contents = models.JSONField(default=list, blank=True, editable=False)

    history = History(
        bases=[HistoryExtras], excluded_fields=["contents"], dated_by=("book", "id"), changelog_by="book"
    )

    class Meta:
        ordering = ["book", "number"]
        constraints = [
            models.UniqueConstraint(fields=["book", "number"], name="chapter_unique_number_per_book"),
        ]

    def __str__(self) -> str:
        return f"Chapter {self.number} - {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("notes:chapter-detail", kwargs={"book_slug": self.book.slug, "number": self.number})


class ComparisonTable(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="tables")
    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=300, blank=True)
    headers = models.JSONField(default=list)
    rows = models.JSONField(default=list, help_text="A list of rows, each a list of cells.")
    alignments = models.JSONField(
        default=list,
        blank=True,
        help_text="Per column '', 'left', 'center' or 'right' (GFM ':---', ':---:', '---:'); "
        "empty when no column is aligned.",
    )
    position = models.PositiveIntegerField(default=0)
    html = models.TextField(blank=True, editable=False)

    history = History(bases=[HistoryExtras], dated_by=("chapter", "id"), changelog_by="chapter")

    class Meta:
        ordering = ["chapter", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "slug"], name="table_unique_slug_per_chapter"),
        ]

    def __str__(self) -> str:
        return self.title or self.slug

    def get_absolute_url(self) -> str:
        return reverse(
            "notes:table-detail",
            kwargs={
                "book_slug": self.chapter.book.slug,
                "number": self.chapter.number,
                "table_slug": self.slug,
            },
        )
