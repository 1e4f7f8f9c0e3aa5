"""Where rendered files go: straight into the staging folder (a build) or into memory
(``check`` and the preview), and what the checks need of them either way.

A build writes each page as soon as it is rendered and keeps only its path, source
and links, so memory does not grow with the size of the output; the staging folder
only replaces the output folder after every check has passed (``output.Staging``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from clinicpress.diagnostics import Diagnostics
from clinicpress.incremental.output_ledger import LedgerEntry
from clinicpress.model import OutputFile
from clinicpress.output.links import LineFinder, LinkIndex
from clinicpress.output.staging import Staging, check_paths, is_safe_path


class FileSink:
    """``previous``: the output ledger of the output folder in place (``output_ledger``);
    ``ledger`` collects this build's, to be saved after the swap."""

    def __init__(self, staging: Staging | None,
                 previous: Mapping[str, LedgerEntry] | None = None) -> None:
        self.staging = staging
        self.files: list[OutputFile] = []  # the files themselves, when nothing is written
        self.records: list[OutputFile] = []  # path and source of every file
        self.links = LinkIndex()
        self.previous = previous or {}
        self.ledger: dict[str, LedgerEntry] = {}

    def add(self, file: OutputFile, key: str = "") -> None:
        """A file made now; ``key``: what it was made from, if one says (for the ledger)."""
        self.links.add(file)
        self.records.append(OutputFile(path=file.path, content=b"", source=file.source))
        if self.staging is None:
            self.files.append(file)
        elif is_safe_path(file.path):  # an unsafe one is reported by ``check``
            written = self.staging.write(file)
            if key and written is not None:
                self.ledger[file.path] = LedgerEntry(key, written, "", (), False, False)

    def keep(self, path: str, key: str, source: str = "") -> bool:
        """Keep the output's file at ``path`` as it is, if the last build made it from ``key``
        and it is unchanged since (``output_ledger``); False: make it."""
        entry = self.previous.get(path)
        if self.staging is None or entry is None or entry.key != key or \
                not self.staging.link_kept(path, entry.stat):
            return False
        self.add_compact(path, source, entry.ids, entry.links, entry)
        return True

    def add_compact(self, path: str, source: str, ids: str, links: Iterable[str],
                    entry: LedgerEntry | None = None) -> None:
        """A file already in the staging folder (a page a worker process wrote, or one
        kept), with its ids and links as ``links.compact_links`` gives them."""
        if path.endswith(".html"):
            self.links.add_compact(path, source, ids, links)
        else:
            self.links.add(OutputFile(path=path, content=b"", source=source))
        self.records.append(OutputFile(path=path, content=b"", source=source))
        if entry is not None:
            self.ledger[path] = entry

    def add_written(self, paths: list[str]) -> None:
        """Files another program wrote into the staging folder (the search bundle)."""
        for path in paths:
            self.links.paths.add(path)
            self.records.append(OutputFile(path=path, content=b""))

    def check(self, base_path: str, diags: Diagnostics, find_line: LineFinder,
              existing: set[str] | None = None) -> None:
        """Paths that are safe and unique, and internal links that lead somewhere."""
        check_paths(self.records, diags)
        self.links.check(base_path, diags, find_line, existing)

