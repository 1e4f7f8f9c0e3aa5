"""How often our reference entries agree with citeproc-js, per style.

    python benchmarks/csl_agreement.py [STYLE ...]

Formats every item of tests/csl/references.yaml with clinicpress (citeproc-py and its
documented corrections) and with citeproc-js (node tests/csl/citeproc_js.cjs, from
npm's @citation-js packages), given the same prepared items and the same official .csl
file, and prints the agreement rate per style and each disagreement. Items listed in
tests/csl/exceptions.yaml follow the style manual where the CSL file does not; they
are counted apart. ``tests/test_csl.py`` runs the same comparison.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clinicpress.content.csl import _style, format_item, prepare_item, resolve_style  # noqa: E402

STYLES = ("ama", "vancouver", "apa")
CORPUS = ROOT / "tests/csl/references.yaml"
EXCEPTIONS = ROOT / "tests/csl/exceptions.yaml"


def comparable(entry: str) -> str:
    """One entry as text with its italics, for comparison: no wrappers, numbers, or
    differences of spacing, quotes or entity spelling."""
    entry = re.sub(r'<div class="csl-left-margin">.*?</div>', "", entry, flags=re.S)
    entry = re.sub(r"</?(?:div|span)[^>]*>", "", entry)
    entry = re.sub(r"<(/?)(?:em)>", r"<\1i>", entry)
    entry = html.unescape(entry).replace("\u2019", "'").replace("\u00a0", " ")
    entry = re.sub(r"^\s*\[?\d+[.\]]?\s*", "", entry.strip())
    return re.sub(r"\s+", " ", entry).strip()


def reference_entries(items: list[dict[str, object]], style_path: Path) -> list[str]:
    done = subprocess.run(["node", str(ROOT / "tests/csl/citeproc_js.cjs")],
                          input=json.dumps({"style": str(style_path), "items": items}),
                          capture_output=True, text=True, check=True, cwd=ROOT, timeout=300)
    return [comparable(e) for e in json.loads(done.stdout)]


def compare(style: str) -> tuple[list[str], list[tuple[str, str, str]], list[str]]:
    """(agreeing ids, [(id, ours, citeproc-js)] that differ, ids that are exceptions)."""
    items = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    exceptions = yaml.safe_load(EXCEPTIONS.read_text(encoding="utf-8")) or {}
    path = resolve_style(style, ROOT)
    page_format = _style(str(path))[1]
    prepared = [prepare_item(item, path.stem, page_format) for item in items]
    theirs = reference_entries(prepared, path)
    agree, differ, excepted = [], [], []
    for item, js in zip(items, theirs, strict=True):
        ours = comparable(str(format_item(json.dumps(item, default=str), str(path))))
        if ours == js:
            agree.append(str(item["id"]))
        elif str(item["id"]) in exceptions.get(style, {}):
            excepted.append(str(item["id"]))
        else:
            differ.append((str(item["id"]), ours, js))
    return agree, differ, excepted


def main(styles: list[str]) -> int:
    for style in styles or STYLES:
        agree, differ, excepted = compare(style)
        total = len(agree) + len(differ) + len(excepted)
        print(f"{style}: {len(agree)}/{total} agree with citeproc-js"
              f" ({100 * len(agree) / total:.0f} %), {len(excepted)} manual exceptions,"
              f" {len(differ)} differ")
        for ref_id, ours, js in differ:
            print(f"  {ref_id}\n    ours: {ours}\n    js:   {js}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
