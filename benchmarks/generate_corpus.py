"""Write a seeded corpus of long health posts in the site's real format.

    python benchmarks/generate_corpus.py OUT_DIR --posts 1000 [--seed 7] [--kind long]

OUT_DIR gets a complete clinicpress site (config, authors, a shared bibliography,
posts with tags, related posts, references, headings, lists, tables and
citations; about 1,150 words each) plus the same posts for Pelican
(``pelican/content``) and Hugo (``hugo/content``), so all three build one corpus.

``--kind long`` writes posts as imported real articles are: about 1,800 words, each
with its own 8-14 references in front matter (full author lists, titles, journals,
DOIs and PMIDs; no shared bibliography), cited in the text.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

WORDS = ("pain sleep rest nerve muscle joint back neck walk stretch heat doctor nurse "
         "therapy plan dose week day body mind breath calm move gentle help relief flare "
         "fatigue fog habit goal symptom clinic care team daily simple steady strength").split()
TAGS = [f"topic-{i}" for i in range(40)]
AUTHORS = ("ana", "ben", "chen", "dara", "eli")
REFS = 300


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, refs: list[int]) -> str:
    parts = []
    for _ in range(rng.randint(4, 7)):
        text = sentence(rng)
        if rng.random() < 0.25:
            text = text[:-1] + f" [@ref-{rng.choice(refs)}]."
        parts.append(text)
    return " ".join(parts)


def body(rng: random.Random, refs: list[int]) -> str:
    blocks = []
    for section in range(rng.randint(6, 12)):
        blocks.append(f"## {sentence(rng)[:-1].title()} {section}")
        for _ in range(rng.randint(2, 3)):
            blocks.append(paragraph(rng, refs))
        if rng.random() < 0.5:
            blocks.append(f"### {sentence(rng)[:-1]}")
            blocks.append("\n".join(f"- {sentence(rng)}" for _ in range(4)))
        if rng.random() < 0.2:
            blocks.append("| Step | What to do |\n|---|---|\n" + "\n".join(
                f"| {i} | {sentence(rng)} |" for i in range(1, 4)))
    return "\n\n".join(blocks) + "\n"


def own_references(rng: random.Random, n: int) -> tuple[str, list[str]]:
    """Front matter for a post's own references, as an imported article has them."""
    lines, ids = ["references:"], []
    for r in range(rng.randint(8, 14)):
        ref = f"p{n}-r{r}"
        ids.append(ref)
        lines += [f"  - id: {ref}", "    type: article-journal", "    author:"]
        for a in range(rng.randint(1, 9)):
            lines.append(f'      - {{family: "{rng.choice(WORDS).title()}{a}",'
                         f' given: "{chr(65 + a)}. {chr(66 + a)}."}}')
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize()
        lines += [f'    title: "{title} in post {n}, study {r}"',
                  f'    container-title: "Journal of {rng.choice(WORDS).title()} Medicine"',
                  f'    container-title-short: "J {rng.choice(WORDS).title()} Med"',
                  f"    issued: {{date-parts: [[{1995 + (n + r) % 30}, {1 + r % 12}]]}}",
                  f'    volume: "{1 + (n * 7 + r) % 90}"', f'    issue: "{1 + r % 6}"',
                  f'    page: "{100 + r * 11}-{100 + r * 11 + rng.randint(3, 30)}"',
                  f'    DOI: "10.1000/long.{n}.{r}"', f'    PMID: "{30000000 + n * 20 + r}"']
    return "\n".join(lines) + "\n", ids


def long_body(rng: random.Random, ids: list[str]) -> str:
    """About 1,800 words citing every one of the post's own references."""
    blocks, unused = [], list(ids)
    for section in range(rng.randint(10, 14)):
        blocks.append(f"## {sentence(rng)[:-1].title()} {section}")
        for _ in range(rng.randint(2, 3)):
            parts = []
            for _ in range(rng.randint(4, 7)):
                text = sentence(rng)
                if rng.random() < 0.3:
                    cited = unused.pop() if unused else rng.choice(ids)
                    text = text[:-1] + f" [@{cited}]."
                parts.append(text)
            blocks.append(" ".join(parts))
        if rng.random() < 0.5:
            blocks.append("\n".join(f"- {sentence(rng)}" for _ in range(4)))
    blocks += [f"See also [@{ref}]." for ref in unused]
    return "\n\n".join(blocks) + "\n"


def write_site(out: Path, posts: int, seed: int, kind: str = "standard") -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for folder in ("content/posts", "content/authors", "pelican/content", "hugo/content/posts",
                   "hugo/layouts/_default"):
        (out / folder).mkdir(parents=True)
    (out / "config.yaml").write_text(
        "title: Benchmark Clinic\ndescription: A generated corpus.\n"
        "base_url: https://bench.example.org/\norganization:\n  name: Bench\n"
        "  phone: '+1 555 000 0000'\n  email: a@bench.example.org\nmax_reading_grade: 30\n"
        "review_interval_days: 3650\n")
    for author in AUTHORS:
        (out / f"content/authors/{author}.md").write_text(
            f"---\nname: {author.title()} Example\ncredentials: MD\ncan_review: true\n---\n"
            f"Bio of {author}.\n")
    lines = []
    for i in range(REFS):
        lines += [f"- id: ref-{i}", "  type: article-journal", "  author:",
                  f"    - {{family: Author{i}, given: A. B.}}",
                  f"  title: Study number {i} of pain",
                  "  container-title-short: J Pain", f"  issued: {{date-parts: [[{2000 + i % 25}]]}}",
                  f'  volume: "{i % 50 + 1}"', '  issue: "2"', f'  page: "{i}-{i + 9}"',
                  f'  DOI: "10.1000/bench.{i}"']
    (out / "content/references.yaml").write_text("\n".join(lines) + "\n")
    for n in range(posts):
        refs = rng.sample(range(REFS), 6)
        own, own_ids = own_references(rng, n) if kind == "long" else ("", [])
        tags = rng.sample(TAGS, 3)
        related = [f"post-{rng.randrange(posts)}" for _ in range(2)]
        related = [r for r in dict.fromkeys(related) if r != f"post-{n}"]
        month, day = 1 + n % 12, 1 + n % 28
        date = f"{2015 + n % 10}-{month:02d}-{day:02d}"
        text = body(rng, refs) if kind == "standard" else long_body(rng, own_ids)
        author = rng.choice(AUTHORS)
        reviewer = AUTHORS[0] if author != AUTHORS[0] else AUTHORS[1]  # never self-review
        meta = (f"---\ntitle: Post {n} about {tags[0]}\ndescription: {sentence(rng)}\n"
                f"date: {date}\nauthor: {author}\nreviewed_by: {reviewer}\n"
                f"last_reviewed: 2026-01-01\ntags: [{', '.join(tags)}]\n"
                f"related: [{', '.join(related)}]\n{own}---\n")
        (out / f"content/posts/post-{n}.md").write_text(meta + text)
        (out / f"hugo/content/posts/post-{n}.md").write_text(meta + text)
        (out / f"pelican/content/post-{n}.md").write_text(
            f"Title: Post {n} about {tags[0]}\nDate: {date}\nTags: {', '.join(tags)}\n"
            f"Slug: post-{n}\nCategory: health\nSummary: {sentence(rng)}\n\n{text}")
    (out / "hugo/hugo.toml").write_text(
        'baseURL = "https://bench.example.org/"\ntitle = "Benchmark Clinic"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
        "[markup.tableOfContents]\nstartLevel = 2\nendLevel = 3\n")
    (out / "hugo/layouts/_default/single.html").write_text(
        "<!doctype html><html><head><title>{{ .Title }}</title></head><body><nav>"
        "{{ .TableOfContents }}</nav><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>\n")
    (out / "hugo/layouts/_default/list.html").write_text(
        "<!doctype html><html><head><title>{{ .Title }}</title></head><body><ul>"
        "{{ range .Pages }}<li><a href='{{ .RelPermalink }}'>{{ .Title }}</a></li>{{ end }}"
        "</ul></body></html>\n")
    (out / "pelican/pelicanconf.py").write_text(
        "SITENAME = 'Benchmark Clinic'\nSITEURL = ''\nTIMEZONE = 'UTC'\nDEFAULT_LANG = 'en'\n"
        "MARKDOWN = {'extension_configs': {'markdown.extensions.toc': {}, "
        "'markdown.extensions.tables': {}, 'markdown.extensions.footnotes': {}}, "
        "'output_format': 'html5'}\n"
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\n"
        "AUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\nDEFAULT_PAGINATION = False\n"
        "DIRECT_TEMPLATES = ['index']\nTAG_SAVE_AS = ''\nCATEGORY_SAVE_AS = ''\n"
        "AUTHOR_SAVE_AS = ''\nARCHIVES_SAVE_AS = ''\nAUTHORS_SAVE_AS = ''\n"
        "CATEGORIES_SAVE_AS = ''\nTAGS_SAVE_AS = ''\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kind", choices=("standard", "long"), default="standard")
    args = parser.parse_args()
    write_site(args.out, args.posts, args.seed, args.kind)
    print(f"wrote {args.posts} posts to {args.out}")


if __name__ == "__main__":
    main()
