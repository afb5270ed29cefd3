"""A book as an EPUB 3 file (EbookLib): one XHTML document per chapter, a contents page
(nav) and an NCX for older readers, minimal CSS.

The documents are made from the STORED, sanitized HTML of the published book (summary,
chapters and their tables), never from Markdown, so an e-book holds exactly what the site
shows. Images uploaded to the wiki are read through ``read_image`` and packed into the
file; any other image is replaced by its description (an e-book does not fetch from the
web). Links to a chapter page of the same book become links inside the file.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO

from ebooklib import epub
from lxml import html as lxml_html

CSS = """\
body { font-family: serif; line-height: 1.5; }
h1, h2, h3, h4 { font-family: sans-serif; line-height: 1.2; }
img { max-width: 100%; height: auto; }
pre { white-space: pre-wrap; }
code, kbd { font-family: monospace; }
kbd { border: 1px solid #999; border-radius: 3px; padding: 0 .2em; }
blockquote { margin: 1em 0; padding-left: 1em; border-left: 3px solid #ccc; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #999; padding: .2em .4em; vertical-align: top; text-align: left; }
th.align-center, td.align-center { text-align: center; }
th.align-right, td.align-right { text-align: right; }
figcaption { font-weight: bold; }
.missing-table { font-style: italic; }
li.task-list-item { list-style: none; }
section.footnotes { font-size: .9em; }
"""

_CHAPTER_PAGE = re.compile(r"^/books/(?P<slug>[^/]+)/chapters/(?P<number>\d+)/(?P<fragment>#.*)?$")
_SITE_IMAGE = re.compile(r"^/media/images/(?P<name>[A-Za-z0-9_-]{22}\.(?:jpg|png|webp|gif))$")


@dataclass(frozen=True)
class EpubChapter:
    number: int
    title: str
    html: str  # the chapter's stored HTML, with the tables its text does not place after it


def write_epub(
    *,
    slug: str,
    title: str,
    author: str,
    language: str,
    summary_html: str,
    chapters: Sequence[EpubChapter],
    changelog: Iterable = (),
    read_image: Callable[[str], tuple[bytes, str] | None],
) -> bytes:
    """The EPUB file's bytes. ``read_image(name)`` gives an uploaded image's bytes and
    content type (or None); ``changelog`` entries have ``date`` and ``summary``."""
    book = epub.EpubBook()
    book.set_identifier(f"urn:chapterwise:book:{slug}")
    book.set_title(title)
    book.set_language(language)
    if author:
        book.add_author(author)
    style = epub.EpubItem(uid="style", file_name="style/book.css", media_type="text/css", content=CSS)
    book.add_item(style)
    images: dict[str, epub.EpubImage] = {}
    chapter_files = {chapter.number: _chapter_file(chapter.number) for chapter in chapters}

    def document(uid: str, file_name: str, heading: str, body_html: str) -> epub.EpubHtml:
        item = epub.EpubHtml(uid=uid, title=heading, file_name=file_name, lang=language)
        body = _packed(
            body_html, slug=slug, chapter_files=chapter_files, images=images, read_image=read_image
        )
        item.content = f"<html><head><title>{_escape(heading)}</title></head><body><h1>{_escape(heading)}</h1>{body}</body></html>"
        item.add_item(style)
        book.add_item(item)
        return item

    about = document("about", "about.xhtml", title, _about_html(author, summary_html))
    chapter_items = [
        document(
            f"chapter-{chapter.number}",
            chapter_files[chapter.number],
            f"Chapter {chapter.number} - {chapter.title}",
            chapter.html,
        )
        for chapter in chapters
    ]
    changelog_item = document("changelog", "changelog.xhtml", "Changelog", _changelog_html(changelog))
    for image in images.values():
        book.add_item(image)

    book.toc = [
        epub.Link(about.file_name, "About this book", "about"),
        *(epub.Link(item.file_name, item.title, item.id) for item in chapter_items),
        epub.Link(changelog_item.file_name, "Changelog", "changelog-link"),
    ]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", about, *chapter_items, changelog_item]
    out = BytesIO()
    epub.write_epub(out, book, {})
    return out.getvalue()


def _chapter_file(number: int) -> str:
    return f"chapter-{number}.xhtml"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _about_html(author: str, summary_html: str) -> str:
    byline = f"<p>By {_escape(author)}</p>" if author else ""
    return byline + summary_html


def _changelog_html(changelog: Iterable) -> str:
    rows = "".join(
        f"<tr><td>{entry.date:%Y-%m-%d}</td><td>{_escape(entry.summary)}</td></tr>" for entry in changelog
    )
    if not rows:
        return "<p>No published changes yet.</p>"
    return f'<table><thead><tr><th scope="col">Date</th><th scope="col">Change</th></tr></thead><tbody>{rows}</tbody></table>'


def _packed(
    html: str,
    *,
    slug: str,
    chapter_files: dict[int, str],
    images: dict[str, epub.EpubImage],
    read_image: Callable[[str], tuple[bytes, str] | None],
) -> str:
    """``html`` with its uploaded images packed (added to ``images``), other images replaced
    by their description, and links to this book's chapter pages pointing inside the file."""
    if not html.strip():
        return ""
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    for image in list(root.iter("img")):
        match = _SITE_IMAGE.match(image.get("src", ""))
        found = read_image(match.group("name")) if match else None
        if found is None:
            _replace_with_text(image, f"[Image: {image.get('alt') or 'not included'}]")
            continue
        name = match.group("name")
        if name not in images:
            data, content_type = found
            images[name] = epub.EpubImage(
                uid=f"image-{len(images) + 1}",
                file_name=f"images/{name}",
                media_type=content_type,
                content=data,
            )
        image.set("src", f"images/{name}")
        image.set("alt", image.get("alt", ""))  # required in XHTML
    for link in root.iter("a"):
        match = _CHAPTER_PAGE.match(link.get("href", ""))
        if match and match.group("slug") == slug and int(match.group("number")) in chapter_files:
            link.set("href", chapter_files[int(match.group("number"))] + (match.group("fragment") or ""))
    return "".join(
        [root.text and _escape(root.text) or ""]
        + [lxml_html.tostring(child, encoding="unicode") for child in root]
    )


def _replace_with_text(element, text: str) -> None:
    """Remove ``element`` and put ``text`` in its place (keeping the text that followed it)."""
    parent = element.getparent()
    previous = element.getprevious()
    replacement = text + (element.tail or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + replacement
    else:
        parent.text = (parent.text or "") + replacement
    parent.remove(element)
