"""Size limits that the web and the importer share, so one rule is enforced everywhere."""

MAX_CHAPTER_BYTES = 1024 * 1024


def chapter_size_refusal(text: str) -> str:
    """Why ``text`` is too large for one chapter, or '' when it fits."""
    size = len(text.encode("utf-8"))
    if size <= MAX_CHAPTER_BYTES:
        return ""
    return (
        f"The text is {size:,} bytes, larger than 1 MB ({MAX_CHAPTER_BYTES:,} bytes), the most a chapter holds. "
        "Split it into several chapters."
    )
