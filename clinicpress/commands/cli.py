"""The command line: ``build`` (default), ``check``, ``serve`` and ``new``.

Exit codes: 0 success, 1 the content has problems (printed as
``path:line: level: message``), 2 a bug in the tool (a traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

from clinicpress import __version__
from clinicpress.build_options import BuildOptions, inputs_of
from clinicpress.diagnostics import BuildFailed, Diagnostic, Diagnostics, summary_line
from clinicpress.incremental.build_state import unchanged_since_last_build
from clinicpress.incremental.sealed import cache_folder
from clinicpress.output.output_folder import OutputRefused


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=Path(sys.argv[0]).name if sys.argv[0] else "clinicpress",
                                     description="Build a health blog.")
    parser.add_argument("--version", action="version", version=f"clinicpress {__version__}")
    sub = parser.add_subparsers(dest="command")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("--drafts", action="store_true",
                        help="include draft posts (and posts dated in the future)")
    common.add_argument("--future", action="store_true",
                        help="publish posts dated in the future now (else on their date)")
    common.add_argument("--base-url", help="override base_url, e.g. for a preview deployment")
    common.add_argument("--no-search", action="store_true", help="skip the search index")
    common.add_argument("--dates-from-git", action="store_true",
                        help="take each post's 'updated' date from its last commit")
    common.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    cached = argparse.ArgumentParser(add_help=False)
    cached.add_argument("--no-cache", action="store_true",
                        help="render every post again (ignore the cache)")
    cached.add_argument("--cache-dir", type=Path, default=None,
                        help="keep the cache here (default: SITE/.clinicpress-cache); CI keeps "
                             "it outside the checkout")
    b = sub.add_parser("build", parents=[common, cached], help="build the site (the default)")
    b.add_argument("--output", type=Path, help="output folder (default: SITE/output)")
    c = sub.add_parser("check", parents=[common, cached],
                       help="check everything, write no output (posts and pages come from "
                            "the build's cache when unchanged)")
    c.add_argument("--format", choices=("text", "json"), default="text")
    s = sub.add_parser("serve", parents=[common], help="live-reloading preview")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    i = sub.add_parser("init", help="create a new, minimal site in a new or empty folder")
    i.add_argument("folder", type=Path)
    n = sub.add_parser("new", parents=[common], help="start a new post")
    n.add_argument("title")
    n.add_argument("--author", required=True,
                   help="the writer's id: a file name in content/authors/, without .md")
    return parser


def _print_diagnostics(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def run() -> NoReturn:
    """The command as ``build.py``, ``python -m clinicpress`` and ``clinicpress`` start it:
    ``main``, then an exit that does not free the build's objects one by one (a quarter of
    a second after a 4,000-post build; the system takes the memory back at once). Every
    file is written and closed, and every worker process has ended, before ``main``
    returns; the output streams are flushed here."""
    code = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-")
                         and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "build")
    args = _parser().parse_args(args_list)
    logging.basicConfig(level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
                        format="%(name)s: %(message)s")
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "serve":
            from clinicpress.preview.server import serve

            try:
                return serve(args.site, host=args.host, port=args.port,
                             dates_from_git=args.dates_from_git)
            except OSError as exc:
                print(f"error: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}; "
                      "is another preview running? Try --port 8001", file=sys.stderr)
                return 1
        if args.command == "init":
            from clinicpress.commands.scaffold import init_site

            files = init_site(args.folder)
            print(f"created a new site in {args.folder} ({len(files)} files). Next:\n"
                  f"  cd {args.folder}\n  clinicpress serve      # preview, drafts shown\n"
                  "  clinicpress build --strict   # the site, into output/")
            return 0
        if args.command == "new":
            from clinicpress.commands.scaffold import ScaffoldError, new_post

            try:
                path = new_post(args.site, args.title, args.author)
            except ScaffoldError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
            print(f"created {path} (a draft: `serve` shows it; remove 'draft: true' to "
                  "publish)")
            return 0
        return _build(args)
    except BuildFailed as failed:
        _print_diagnostics(failed.diagnostics)
        print(summary_line(failed.diagnostics, getattr(args, "strict", False)), file=sys.stderr)
        return 1
    except (OutputRefused, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError as exc:
        if exc.filename is not None:  # not the output stream: a real error, said below
            return _cannot_write(exc)
        # What reads the output stopped reading (`clinicpress check | head`): nothing is
        # wrong with the site, and nothing more can be said on that stream.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        return _cannot_write(exc)
    except KeyboardInterrupt:
        print("interrupted: nothing half-written was left in the output folder",
              file=sys.stderr)
        return 130
    except Exception:  # a bug in the tool, not in the content
        traceback.print_exc()
        print("internal error: this is a bug in clinicpress, not in your content", file=sys.stderr)
        return 2


def _cannot_write(exc: OSError) -> int:
    print(f"error: cannot write the site: {exc.strerror or exc} ({exc.filename or ''}); "
          "the previous output is unchanged", file=sys.stderr)
    return 1


def _terminal_progress() -> Callable[[int, int], None] | None:
    """'rendering posts 350/1000' on an interactive terminal after a second; nothing in CI."""
    if not sys.stderr.isatty():
        return None
    started = time.monotonic()

    def show(done: int, total: int) -> None:
        if time.monotonic() - started > 1.0:
            end = "\n" if done == total else ""
            print(f"\rrendering posts {done}/{total}", end=end, file=sys.stderr, flush=True)

    return show


def _options(args: argparse.Namespace, output: Path | None) -> BuildOptions:
    return BuildOptions(site_dir=args.site, output_dir=output, strict=args.strict,
                        drafts=args.drafts, future=args.future, base_url=args.base_url,
                        search=not args.no_search, dates_from_git=args.dates_from_git,
                        progress=_terminal_progress())


def _build(args: argparse.Namespace) -> int:
    output = args.output if args.output is not None else args.site / "output"
    options = replace(_options(args, output), cache=not args.no_cache,
                      cache_dir=args.cache_dir)
    started = time.perf_counter()
    inputs = inputs_of(options)
    cache = cache_folder(args.site, options.cache_dir, Diagnostics()) if inputs else None
    last = unchanged_since_last_build(cache, output, inputs) if inputs and cache else None
    if last is not None:
        _print_diagnostics(last.diagnostics)
        print(f"{output} is up to date: nothing changed since the last build "
              f"({last.files} files, {last.posts} posts; checked in "
              f"{time.perf_counter() - started:.2f}s), {_warnings(len(last.diagnostics))}")
        return 0
    from clinicpress.pipeline import build  # (not loaded when the site is up to date)

    result = build(options, inputs)
    _print_diagnostics(result.diagnostics)
    translated = f", {result.translated_posts} translated" if result.translated_posts else ""
    print(f"built {result.file_count} files ({len(result.site.posts)} posts{translated}) into "
          f"{output} "
          f"in {result.seconds:.2f}s, {_warnings(len(result.diagnostics))}"
          + (f" ({result.accepted} accepted: `check` lists them)" if result.accepted else ""))
    return 0


def _warnings(count: int) -> str:
    return f"{count} warning{'s' if count != 1 else ''}"


def _check(args: argparse.Namespace) -> int:
    from clinicpress.commands.report import check_site, format_report, report_json

    result = check_site(replace(_options(args, None), search=False,  # writes no output
                                cache=not args.no_cache, cache_dir=args.cache_dir))
    if args.format == "json":
        print(json.dumps(report_json(result), indent=1, sort_keys=True))
    else:
        _print_diagnostics(result.diagnostics)
        print(format_report(result))
    if any(d.level == "error" or args.strict for d in result.diagnostics):
        print(summary_line(result.diagnostics, args.strict), file=sys.stderr)
        return 1
    return 0
