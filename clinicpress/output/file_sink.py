"""Where rendered files go: straight into the staging folder (a build) or into memory
(``check`` and the preview), and what the checks need of them either way.

A build writes each page as soon as it is rendered and keeps only its path, source
and links, so memory does not grow with the size of the output; the staging folder
only replaces the output folder after every check has passed (``output.Staging``).
"""

from __future__ import annotations

from collections.abc import Iterable

from clinicpress.diagnostics import Diagnostics
from clinicpress.model import OutputFile
from clinicpress.output.links import LineFinder, LinkIndex
from clinicpress.output.staging import Staging, check_paths, is_safe_path


class FileSink:
    def __init__(self, staging: Staging | None) -> None:
        self.staging = staging
        self.files: list[OutputFile] = []  # the files themselves, when nothing is written
        self.records: list[OutputFile] = []  # path and source of every file
        self.links = LinkIndex()

    def add(self, file: OutputFile) -> None:
        self.links.add(file)
        self.records.append(OutputFile(path=file.path, content=b"", source=file.source))
        if self.staging is None:
            self.files.append(file)
        elif is_safe_path(file.path):  # an unsafe one is reported by ``check``
            self.staging.write(file)

    def add_compact(self, path: str, source: str, ids: str, links: Iterable[str]) -> None:
        """A page a worker process wrote into the staging folder (``links.compact_links``)."""
        self.links.add_compact(path, source, ids, links)
        self.records.append(OutputFile(path=path, content=b"", source=source))

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

