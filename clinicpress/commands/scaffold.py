"""``new "Title"``: a ready-to-fill post file; ``init DIR``: a new, minimal site.

Every front-matter key is present, with a placeholder or a comment, so a
writer never has to remember the format. Neither ever overwrites a file.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path, PurePosixPath

from clinicpress.diagnostics import did_you_mean
from clinicpress.slugs import slugify

TEMPLATE = """---
title: "{title}"
# One or two plain sentences: shown under the title, in search results and in feeds.
description: "TODO: what will the reader learn?"
date: {today}
# updated: {today}          # when you change the article
author: {author}
# The doctor who checked the article, and when (both needed for the review dates).
# reviewed_by: AUTHOR-ID
# last_reviewed: {today}
tags: [TODO]
# related: [other-post-slug]   # up to three; the rest are filled from shared tags
# references:                 # or put them in content/references.yaml and cite by id
#   - id: smith-2024
#     type: article-journal
#     author:
#       - {{family: Smith, given: J}}
#     title: "Title of the paper"
#     container-title-short: "J Pain"
#     issued: {{date-parts: [[2024]]}}
#     volume: "25"
#     issue: "1"
#     page: "1-10"
#     DOI: "10.1016/xxxx"
# further_reading:
#   - title: A page for patients
#     url: https://medlineplus.gov/
draft: true   # shown in the preview only; remove this line to publish
---
## In short

TODO: two or three short sentences that answer the reader's main question.

## What it is

TODO: explain it in plain words. Put a source's id in square brackets, with @, right
after the sentence it supports. For example (delete this box when you have read it):

```text
Pacing helps many people do more over time [@smith-2024].
Two sources at once: [@smith-2024; @lee-2023].
```

## What helps

TODO.

## When to call us

TODO.
"""


class ScaffoldError(Exception):
    """The command cannot do what was asked; the message says why and what to do."""


def author_ids(site_dir: Path) -> list[str]:
    return sorted(p.stem for p in (site_dir / "content" / "authors").glob("*.md"))


def new_post(site_dir: Path, title: str, author: str, today: date | None = None) -> Path:
    """A new draft by ``author`` (an id of ``content/authors/``) that builds with no
    errors: its examples are comments or a fenced box, never live citations."""
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"cannot make a file name from the title {title!r}")
    known = author_ids(site_dir)
    if author not in known:
        hint = did_you_mean(author, known)
        listing = ", ".join(known) if known else "none yet: add content/authors/<id>.md first"
        raise ScaffoldError(f"--author: no author has the id '{author}'{hint}; the authors are "
                            f"the files of content/authors/: {listing}")
    day = today or date.today()
    path = site_dir / "content" / "posts" / f"{day.isoformat()}-{slug}.md"
    existing = sorted((site_dir / "content" / "posts").glob(f"*{slug}.md"))
    if path.exists() or existing:
        raise FileExistsError(f"{(existing or [path])[0]} already exists; refusing to overwrite")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.format(title=title.replace('"', "'"), today=day.isoformat(), author=author)
    with path.open("x", encoding="utf-8") as file:
        file.write(text)
    return path


STARTER = "starter"  # package data: the files of a new site


def init_site(target: Path, today: date | None = None) -> list[Path]:
    """Write a new site into ``target`` (new or empty): config, one author who writes and
    one who reviews, an About page, a reference and a first post (a draft). Returns the
    files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FileExistsError(f"{target} is not an empty folder; refusing to overwrite")
    day = (today or date.today()).isoformat()
    written = []
    root = resources.files("clinicpress") / STARTER
    for rel in _starter_files(root):
        text = (root / rel).read_text(encoding="utf-8").replace("{today}", day)
        if rel.startswith("content/posts/"):
            rel = f"content/posts/{day}-{PurePosixPath(rel).name}"
        elif rel == "gitignore":  # shipped without its dot, which packaging tools skip
            rel = ".gitignore"
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
        written.append(path)
    return written


def _starter_files(folder: resources.abc.Traversable, prefix: str = "") -> list[str]:
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            found += _starter_files(entry, f"{prefix}{entry.name}/")
        elif not entry.name.startswith("."):
            found.append(prefix + entry.name)
    return found
