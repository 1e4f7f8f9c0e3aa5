"""``python build.py new "Title"``: a title in, a ready-to-fill post file out.

Every front-matter key is present, with a placeholder or a comment, so a
writer never has to remember the format. Never overwrites a file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .slugs import slugify

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
draft: true
---
## In short

TODO: two or three short sentences that answer the reader's main question.

## What it is

TODO. Cite a source like this [@smith-2024], or several like this [@a; @b].

## What helps

TODO.

## When to call us

TODO.
"""


def new_post(site_dir: Path, title: str, author: str | None, today: date | None = None) -> Path:
    slug = slugify(title)
    if not slug:
        raise ValueError(f"cannot make a file name from the title {title!r}")
    day = today or date.today()
    path = site_dir / "content" / "posts" / f"{day.isoformat()}-{slug}.md"
    existing = sorted((site_dir / "content" / "posts").glob(f"*{slug}.md"))
    if path.exists() or existing:
        raise FileExistsError(f"{(existing or [path])[0]} already exists; refusing to overwrite")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.format(title=title.replace('"', "'"), today=day.isoformat(),
                           author=author or "AUTHOR-ID")
    with path.open("x", encoding="utf-8") as file:
        file.write(text)
    return path
