#!/usr/bin/env python3
"""Push a notes file from a Git repository's CI to Chapterwise as change requests.

Keep the notes of a book in Git (the plain-text notes format or Markdown) and let CI
propose every change for review: the file becomes change requests, exactly as an upload
from the browser does, and a reviewer approves them in the wiki. Nothing is published
without that review.

    CHAPTERWISE_URL=https://wiki.example.org CHAPTERWISE_TOKEN=cw_... \\
        python scripts/chapterwise_push.py notes/designing-ml-systems.md --book designing-ml-systems

Without --book the file proposes a new book. The token needs the "write" scope (and its
owner a role that proposes changes: editor, reviewer or admin). Prints one review link per
change request; exits 1 with the server's reason on any refusal.

Standard library only, so any CI image with Python 3.9+ runs it as it is.
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type."""
    boundary = uuid.uuid4().hex
    lines = []
    for name, value in fields.items():
        lines += [f"--{boundary}", f'Content-Disposition: form-data; name="{name}"', "", value]
    body = "\r\n".join(lines).encode() + (b"\r\n" if lines else b"")
    for name, (filename, content) in files.items():
        head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        body += head.encode() + content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def push(base_url: str, token: str, path: Path, book: str = "") -> dict:
    body, content_type = multipart(
        {"book": book} if book else {}, {"notes_file": (path.name, path.read_bytes())}
    )
    if not base_url.startswith(("https://", "http://")):
        raise ValueError("CHAPTERWISE_URL must start with https:// (or http:// for a local trial).")
    request = urllib.request.Request(  # noqa: S310 -- the scheme is checked just above
        base_url.rstrip("/") + "/api/v1/imports",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": content_type,
            "Accept": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 -- the scheme is checked above
        return json.load(response)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes_file", type=Path, help="the notes file (.txt or .md)")
    parser.add_argument("--book", default="", help="the book's address (slug); left out: propose a new book")
    args = parser.parse_args(argv)
    base_url, token = os.environ.get("CHAPTERWISE_URL", ""), os.environ.get("CHAPTERWISE_TOKEN", "")
    if not base_url or not token:
        print(
            "Set CHAPTERWISE_URL (the wiki's address) and CHAPTERWISE_TOKEN (an API token).", file=sys.stderr
        )
        return 2
    try:
        result = push(base_url, token, args.notes_file, args.book)
    except urllib.error.HTTPError as error:
        try:
            problem = json.load(error)
            reason = problem.get("detail") or problem.get("title")
        except ValueError:
            reason = error.reason
        print(f"Chapterwise refused the file ({error.code}): {reason}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    except (urllib.error.URLError, OSError) as error:
        print(f"Could not reach Chapterwise: {error}", file=sys.stderr)
        return 1
    for warning in result["warnings"]:
        print(f"warning: {warning}")
    for note in result["notes"]:
        print(f"note: {note}")
    requests = result["change_requests"]
    if not requests:
        print("Nothing changed: the wiki already holds these notes.")
    for change_request in requests:
        print(f"Review: {base_url.rstrip('/')}{change_request['url']}  {change_request['summary']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
