"""Command line: parse arguments, then start the TUI or run one CLI command.

Output formats (table, markdown, json, toml) are chosen here; what they say
comes from summary.py and decide.py. Errors in data or arguments exit with 2.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NoReturn

from fwtui import __version__, dataset, tuning, vocabulary
from fwtui.decide import UnknownName, rank
from fwtui.model import Dataset, Framework
from fwtui.text import close_matches, escape, quote
from fwtui.vocabulary import KIND_BADGES

if TYPE_CHECKING:
    import argparse

    from rich.console import Console
    from rich.padding import Padding

FORMATS = ("table", "markdown", "json", "toml")


def _json(value: Any, **options: Any) -> str:
    import json  # only the commands that print JSON need it, not the explorer

    if not _stdout_is_unicode():
        options["ensure_ascii"] = True  # JSON's own escapes, which any reader takes back
    return json.dumps(value, indent=2, **options)


class UsageError(Exception):
    """Bad arguments: message for stderr, exit code 2."""


def _parser() -> argparse.ArgumentParser:
    import argparse  # not needed to start the explorer with no arguments

    class _QuotingParser(argparse.ArgumentParser):
        """argparse quotes some arguments raw in its errors ("unrecognized arguments: ..."): escaped here."""

        def error(self, message: str) -> NoReturn:
            import re

            # A mistyped command or choice gets a did-you-mean, as a mistyped framework id does. Python
            # 3.11 quotes the choices in this message and later releases do not: both are read.
            wrong = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)$", message)
            choices = [choice.strip().strip("'") for choice in wrong[2].split(",")] if wrong else []
            hint = close_matches(wrong[1], choices) if wrong else []
            if hint:
                message += f'. Did you mean "{hint[0]}"?'
            super().error(escape(message, keep_newlines=True))

    # The data options work before or after the command; SUPPRESS keeps a
    # subcommand's unset option from overwriting the one given before it.
    common = _QuotingParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--data", metavar="PATH", help="dataset TOML to use instead of the bundled one (env: FWTUI_DATA)")
    common.add_argument("--overlay", metavar="PATH", help="TOML that adds or overrides records (env: FWTUI_OVERLAY)")
    output = _QuotingParser(add_help=False)
    output.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")

    parser = _QuotingParser(
        prog="fwtui",
        description="Compare Python backend frameworks. With no command, starts the interactive explorer.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"fwtui {__version__}")
    parser.add_argument("--inline", action="store_true", help="run the explorer under the prompt, at a fixed height, instead of full screen")
    parser.add_argument("--theme", metavar="NAME", help="the explorer's theme, any of Textual's (e.g. nord, textual-light); overrides config.toml")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("list", parents=[common, output], help="list the frameworks")
    show = commands.add_parser("show", parents=[common, output], help="everything about one framework")
    show.add_argument("id", help="framework id, e.g. django")
    compare = commands.add_parser("compare", parents=[common, output], help="side-by-side comparison table")
    compare.add_argument("ids", nargs="+", metavar="ID", help="two or more framework ids")
    compare.add_argument("--only-differences", action="store_true", help="hide rows where all agree")
    recommend = commands.add_parser("recommend", parents=[common, output], help="rank frameworks for a use case and criteria")
    recommend.add_argument("--use-case", metavar="ID", help="use case id (see `fwtui recommend --list-use-cases`)")
    recommend.add_argument("--need", action="append", default=[], metavar="NAME",
                           help=f"a must-have built-in (excludes frameworks without it): {', '.join(vocabulary.BUILTINS)}")
    recommend.add_argument("--want", action="append", default=[], metavar="NAME", help="a nice-to-have built-in (adds points, excludes nothing)")
    recommend.add_argument("--strict", action="store_true", help="a must counts only when built in or first-party, not through a community extension")
    recommend.add_argument("--interface", choices=("wsgi", "asgi"))
    recommend.add_argument("--team", choices=vocabulary.TEAMS)
    recommend.add_argument("--async-comfort", choices=vocabulary.YES_NO, help="is the team at ease with async and type hints?")
    recommend.add_argument("--perf", choices=vocabulary.PRIORITIES, help="performance priority")
    recommend.add_argument("--maintenance", choices=vocabulary.HORIZONS, help="short-lived or long-lived project")
    recommend.add_argument("--know", action="append", default=[], metavar="ID",
                           help="a framework the team already knows (repeatable): counts for it and, less, for its family")
    recommend.add_argument("--top", type=_number(int, 0, 100_000), metavar="N",
                           help="places to show (default: 5 in a table or Markdown, all in JSON and TOML; 0: all)")
    recommend.add_argument("--list-use-cases", action="store_true", help="print the use case ids and exit")
    validate = commands.add_parser("validate", parents=[common], help="check a dataset and report every problem")
    validate.add_argument("path", nargs="?", help="dataset to check (default: the one in use)")
    validate.add_argument("--format", choices=("table", "json"), default="table")
    serve = commands.add_parser("serve", parents=[common], help="serve the explorer to web browsers (needs: pip install 'fwtui[web]')")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1; there is no authentication)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--public-url", metavar="URL", help="the address browsers reach the server at, if not http://HOST:PORT (e.g. behind a proxy)")
    serve.add_argument("--max-sessions", type=_number(int, 1, 1000), metavar="N", help="browser sessions open at once; more are refused (default: 8)")
    serve.add_argument("--max-size", metavar="COLSxROWS", help="the largest terminal a session may ask for (default: 500x200)")
    commands.add_parser("paths", parents=[common, output], help="where fwtui's files live (config, overlay, state, cache, summaries)")
    commands.add_parser("schema", help="print the dataset's JSON Schema")
    bench = commands.add_parser("bench", parents=[common], help="measure the frameworks on this machine (127.0.0.1 only): throughput per "
                                "workload beside raw ASGI and WSGI baselines, footprint, import time, cold start, memory; recipes run as code")
    bench.description = (
        "Measure the frameworks on this machine (127.0.0.1 only). The bench and hello fields of the dataset "
        "and of your overlay run as code: pip installs their packages, Python runs their files, the shell runs their "
        "commands. Use data you trust (refresh.toml never carries these fields)."
    )
    bench.add_argument("ids", nargs="*", metavar="ID", help="framework ids (default: all)")
    bench.add_argument("--duration", type=_number(float, 0.5, 600), default=3.0, metavar="S", help="seconds of load per round (default: 3)")
    bench.add_argument("--rounds", type=_number(int, 1, 100), default=3, metavar="N", help="rounds, interleaved across frameworks (default: 3)")
    bench.add_argument("--connections", type=_number(int, 1, 4096), default=64, metavar="N", help="keep-alive connections (default: 64)")
    bench.add_argument("--workload", action="append", choices=("json", "plaintext", "params"),
                       help="a workload to measure; repeat for several (default: json, plaintext and params)")
    bench.add_argument("--quick", action="store_true", help="one 1-second round per workload, fewer import-time runs")
    bench.add_argument("--no-baselines", action="store_true", help="leave out the raw ASGI and raw WSGI baselines")
    bench.add_argument("--format", choices=("table", "json", "markdown"), default="table", help="output format (default: table)")
    bench.add_argument("--generator", choices=("auto", "builtin", "wrk", "oha", "hey"), default="auto",
                       help="load generator (default: wrk, oha or hey when on PATH, else built-in)")
    bench.add_argument("--smoke", action="store_true", help="one request to each hello sample and bench app; no load")
    bench.add_argument("--save", action="store_true", help="keep the results in the state folder: bench.toml for the TUI, bench-run.json")
    bench.add_argument("--chart", action="store_true", help="draw the last saved run in the terminal; measures nothing")
    refresh = commands.add_parser("refresh", parents=[common], help="check versions, Python and license against the package index")
    refresh.add_argument("ids", nargs="*", metavar="ID", help="framework ids (default: all, and every package of the [[package]] registry)")
    refresh.add_argument("--index-url", metavar="URL", help="JSON API base (env: FWTUI_INDEX_URL; default: https://pypi.org/pypi)")
    target = refresh.add_mutually_exclusive_group()
    target.add_argument("--output", metavar="PATH", help="write the overlay here instead of refresh.toml in the config folder")
    target.add_argument("--apply", action="store_true", help="edit the dataset file itself, keeping its comments (needs tomlkit)")
    refresh.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    refresh.add_argument("--timeout", type=_number(float, 0.1, 300), default=10.0, metavar="SECONDS", help="per request (default: 10)")
    refresh.add_argument("--github", action="store_true", help="also stars, archived and last push from GitHub (GITHUB_TOKEN, FWTUI_GITHUB_API)")
    return parser


def _number(kind: type[float] | type[int], low: float, high: float) -> Any:
    """An argparse type: a number of that kind within [low, high], else a usage error (exit 2)."""
    import argparse

    def parse(text: str) -> float | int:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:g} and {high:g}, not {text}")
        return value

    return parse


def main(argv: Sequence[str] | None = None) -> int:
    """The `fwtui` command. Whatever the output streams are (closed, full, not
    UTF-8), it ends with a message and an exit code, never a traceback."""
    closed = _prepare_streams()
    if closed:
        _say(closed)
        return 1
    try:
        code = _run(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()  # `fwtui list | head`: the reader left; nothing more to say
        return 0
    except OSError as error:
        if error.errno not in _OUTPUT_ERRORS:
            raise
        _drop_stdout()
        _say(f"could not write the output: {error.strerror or error}")
        return 1
    return code


# A write to standard output failed: a full disk or device (/dev/full), a file too big, a gone terminal.
_OUTPUT_ERRORS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO, errno.EBADF, errno.ENXIO}


def _prepare_streams() -> str | None:
    """Make printing safe: a character the stream's encoding lacks (latin-1, cp1252, ascii)
    is written as a \\u escape instead of failing. Returns why nothing can be printed, if so."""
    import codecs
    import io

    codecs.register_error("fwtui-escape", _unicode_escape)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors in ("strict", "backslashreplace"):
            try:
                stream.reconfigure(errors="fwtui-escape")
            except (ValueError, OSError):
                pass
    return "standard output is closed; nothing can be printed" if sys.stdout is None else None


def _unicode_escape(error: UnicodeError) -> tuple[str, int]:
    """`\\u00e9` (`\\U0001f40d` beyond the BMP): what TOML reads back, and JSON too for the BMP
    (JSON output turns to ASCII escapes of its own when stdout is not UTF-8)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in chunk), error.end


def _stdout_is_unicode() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding.startswith("utf")


def _drop_stdout() -> None:
    """Point standard output at the null device, so Python's own flush at exit cannot fail too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _say(message: str) -> None:
    """`fwtui: message` on standard error, control characters escaped; a closed or full stderr is no error."""
    if sys.stderr is None:
        return
    try:
        print(f"fwtui: {escape(message, keep_newlines=True)}", file=sys.stderr)
    except (OSError, ValueError):
        pass


def _is_terminal(stream: Any) -> bool:
    """Whether a standard stream is a terminal (a closed one, None, is not)."""
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


def _run(argv: Sequence[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv:
        args: Any = _parser().parse_args(argv)
        args.data = getattr(args, "data", None)
        args.overlay = getattr(args, "overlay", None)
    else:  # plain `fwtui`: straight to the explorer, without building the parser
        args = SimpleNamespace(command=None, data=None, overlay=None, inline=False, theme=None)
    if args.command is not None:
        tuning.release_collector()  # held by the entry point for the explorer's first paint only
    try:
        if args.command == "schema":
            from fwtui.schema import SCHEMA  # read off the model on import: the explorer does not need it

            print(_json(SCHEMA))
            return 0
        if args.command == "validate":
            return _validate(args)
        if args.theme:
            _check_theme(args.theme)
        if args.inline and args.command is not None:
            raise UsageError("--inline applies to the explorer only (fwtui --inline)")
        if args.theme and args.command not in (None, "serve"):
            raise UsageError("--theme applies to the explorer only (fwtui --theme NAME, or fwtui --theme NAME serve)")
        if args.command == "paths":
            return _cmd_paths(args)
        if args.command == "serve":
            dataset.load(args.data, args.overlay)  # a broken dataset is reported here, not in every browser tab
            return _serve(args)
        if args.command == "refresh":
            from fwtui import refresh

            request = refresh.Request(tuple(args.ids), args.data, args.index_url, args.output, args.apply, args.format, args.timeout, args.github)
            return refresh.command(request, find, _print_table)
        if args.command is None:
            tuning.hold_collector()  # until the first paint (the entry point holds it already)
            try:
                data, notice = dataset.load_for_explorer(args.data, args.overlay)
                return _start(_measured(data), notice, inline=args.inline, theme=args.theme)
            finally:
                tuning.release_collector()
        notices: list[str] = []
        data = dataset.load(args.data, args.overlay, notices)
        for notice in notices:
            _say(f"warning: {notice}")
        return COMMANDS[args.command](_measured(data), args)
    except dataset.DatasetError as error:
        _say(error.render())
        return 2
    except (UsageError, UnknownName) as error:
        _say(str(error))
        return 2
    except KeyboardInterrupt:
        return 130


def _measured(data: Dataset) -> Dataset:
    """`data` with this machine's `fwtui bench --save` results, when there are any (a file check otherwise)."""
    from fwtui.state import state_dir

    if not (state_dir() / "bench.toml").is_file():
        return data
    from fwtui.bench.saved import with_measurements

    return with_measurements(data)


def _start(data: Dataset, notice: str | None = None, inline: bool = False, theme: str | None = None) -> int:
    web_session = _under_web_server()
    why = None
    if web_session:
        pass  # the web server talks to the app through pipes: there is no terminal to check
    elif not _is_terminal(sys.stdout) or not _is_terminal(sys.stdin):
        why = "not a terminal"
    elif os.environ.get("TERM") == "dumb":
        why = "TERM=dumb cannot show the explorer"
    if why:
        _output(data, "table", _list_rows(data.frameworks), [f.raw for f in data.frameworks], "framework")
        print(f"\nfwtui: {why}, so printed `fwtui list`; run fwtui in a full terminal for the explorer (see fwtui --help).", file=sys.stderr)
        if notice:
            print(f"fwtui: {notice}", file=sys.stderr)
        return 0
    from fwtui import config

    settings = config.load()
    if theme:
        settings = settings._replace(theme=theme)
    if web_session:
        from fwtui.web import end_with_server

        end_with_server()
    from fwtui.app import FwtuiApp

    # COLUMNS and LINES left over from another terminal (or a shell that set them
    # once) would fix Textual's size, and the explorer would say "too small"
    # forever: the terminal itself is asked instead. Under the web driver there is
    # no terminal to ask: the server gives the browser's size in COLUMNS.
    if not web_session:
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)
    app = FwtuiApp(data, notice=notice, config=settings, remember=not web_session)
    tuning.prompt_frames()
    app.run(inline=inline)
    for note in app.exit_notes:  # said while quitting (where a copy was saved): the screen is gone now
        _say(note)
    return app.return_code or 0


def _validate(args: argparse.Namespace) -> int:
    path = args.path or args.data
    try:
        if _names_an_overlay(args):
            loaded = dataset.load(args.data, args.path)  # an overlay is checked on the dataset it would change
        else:
            loaded = dataset.load(path, args.overlay)
    except dataset.DatasetError as error:
        if args.format == "json":
            print(_json({"ok": False, "source": error.source, "problems": error.problems, "warnings": []}))
        else:
            print(f"fwtui: {error.render()}", file=sys.stderr)
        return 2
    from fwtui import rules

    # It loads, so its shape and links are sound; the rules of a cell (R1-R7) may still fail.
    findings = rules.check(loaded)
    if args.format == "json":
        print(_json({"ok": not findings.problems, "source": " + ".join(map(str, loaded.origin)),
                     "problems": [f.as_record() for f in findings.problems], "warnings": [f.as_record() for f in findings.warnings]}))
        return 1 if findings.problems else 0
    for label, found in (("problem", findings.problems), ("warning", findings.warnings)):
        if found:
            print(f"{_count(found, label)}:")
            print("\n".join(f"  {escape(finding.render())}" for finding in found))
    counts = f"{len(loaded.frameworks)} frameworks, {len(loaded.use_cases)} use cases"
    shown = escape(" + ".join(map(str, loaded.origin)))
    if findings.problems:
        print(f"{shown}: breaks the rules ({counts}): {_count(findings.problems, 'problem')}")
        return 1
    print(f"{shown}: valid ({counts})" + (f", {_count(findings.warnings, 'warning')}" if findings.warnings else ""))
    return 0


def _count(items: Sequence[object], noun: str) -> str:
    return f"{len(items)} {noun}{'s' if len(items) != 1 else ''}"


def _names_an_overlay(args: argparse.Namespace) -> bool:
    """`fwtui validate FILE`: is FILE an overlay, to check on the dataset in use (see dataset.is_overlay)?"""
    if not args.path or "-" in (args.path, args.data):  # standard input can be read once only
        return False
    document = dataset.read_toml(Path(args.path))
    return dataset.is_overlay(document, dataset.read_toml(dataset.resolve_paths(args.data)[0]))


def find(data: Dataset, framework_id: str) -> Framework:
    """A framework by its id or its name, in any case (`flask`, `Flask`, "Django REST framework")."""
    try:
        return data.framework(framework_id)
    except KeyError:
        pass
    wanted = " ".join(framework_id.split()).casefold()
    for framework in data.frameworks:
        if wanted in (framework.id.casefold(), framework.name.casefold()):
            return framework
    ids = [f.id for f in data.frameworks]
    spellings = {_spelling(f.id): f.id for f in data.frameworks} | {_spelling(f.name): f.id for f in data.frameworks}
    hint = _suggest(_spelling(wanted), spellings)
    extra = f' Did you mean "{hint}"?' if hint else f" Known: {', '.join(ids)}."
    raise UsageError(f"unknown framework {quote(framework_id)}.{extra}")


def _suggest(wanted: str, spellings: dict[str, str]) -> str | None:
    """The name `wanted` most likely meant: the one whose spelling it begins (`django-rest` for
    "Django REST framework", `ml` for `ml-serving`) when there is one such, else the closest."""
    started = {name for spelling, name in spellings.items() if spelling.startswith(wanted)}
    if len(started) == 1:
        return started.pop()
    hint = close_matches(wanted, list(spellings), n=1)
    return spellings[hint[0]] if hint else None


def _spelling(name: str) -> str:
    """A name as fwtui compares it: any case, hyphens and underscores alike."""
    return "-".join(name.strip().casefold().replace("_", "-").split())


def _pick(kind: str, name: str, valid: Sequence[str], also: dict[str, str] | None = None) -> str:
    """The valid name that `name` spells (also by a label in `also`), or a did-you-mean."""
    spellings = {_spelling(v): v for v in valid} | {_spelling(label): v for label, v in (also or {}).items()}
    wanted = _spelling(name)
    if wanted in spellings:
        return spellings[wanted]
    hint = _suggest(wanted, spellings)
    extra = f' Did you mean "{hint}"?' if hint else ""
    raise UsageError(f'unknown {kind} "{name}".{extra} Valid: {", ".join(valid)}.')


# Commands ---------------------------------------------------------------------


def _list_rows(frameworks: Sequence[Framework]) -> tuple[list[str], list[list[str]]]:
    """One short line per framework: the kind and interfaces as the explorer's list shows them."""
    from fwtui.widgets.framework_list import INTERFACE_BADGES

    header = ["ID", "Name", "Kind", "Srv", "Latest", "Tagline"]
    rows = [
        [f.id, f.name, KIND_BADGES[f.kind], "".join(INTERFACE_BADGES.get(i, "?") for i in f.interfaces), f.latest_version, f.tagline]
        for f in frameworks
    ]
    return header, rows


def _cmd_list(data: Dataset, args: argparse.Namespace) -> int:
    from fwtui import summary

    records = [{**summary.list_record(f), "builtins": dict(f.builtins), "inherited": dict(f.inherited), "quiet": dict(f.quiet)}
               for f in data.frameworks]
    if args.format == "table":
        _print_table(*_list_rows(data.frameworks), one_line=True)
        _console().print("Kind: full full-stack, micro microframework, api API framework, net async networking. "
                         "Srv: W WSGI, A ASGI, S its own server.")
        return 0
    _output(data, args.format, ([], []), records, "framework", markdown=lambda: summary.list_markdown(data, data.frameworks))
    return 0


def _cmd_show(data: Dataset, args: argparse.Namespace) -> int:
    from fwtui import summary

    framework = find(data, args.id)
    if args.format == "table":
        _print_record(data, framework)
        return 0
    # The record with its effective cells: the ones it inherits (rule R1) filled in, and named in `inherited`.
    record = {**framework.raw, "builtins": framework.builtins, "builtin_packages": framework.builtin_packages,
              "builtin_notes": framework.builtin_notes, "inherited": framework.inherited, "quiet": framework.quiet}
    _output(data, args.format, ([], []), [record], "framework",
            markdown=lambda: summary.framework_markdown(data, framework))
    return 0


def _print_record(data: Dataset, f: Framework) -> None:
    """One framework as sections a person reads down: what it is, its facts, its built-ins (each
    note under its line), what it suits, who uses it, its hello world, links and sources."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.syntax import Syntax
    from rich.table import Table
    from rich.text import Text

    from fwtui import cells, summary
    from fwtui.vocabulary import LEVEL_GLYPHS, LEVEL_LABELS, LEVEL_STYLES

    def section(title: str) -> Text:
        return Text(f"\n{title}", style="bold underline")

    def pairs(rows: Sequence[tuple[str, str]]) -> Padding:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for label, value in rows:
            grid.add_row(Text(label), Text(value))
        return Padding(grid, (0, 0, 0, 2))

    def bullets(items: Sequence[str]) -> Padding:
        grid = Table.grid(padding=(0, 1))  # a hanging indent: a wrapped item's lines start under its words
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for item in items:
            grid.add_row("-", Text(item))
        return Padding(grid, (0, 0, 0, 2))

    parts: list[Any] = [Text(f.name, style="bold"), Text(f.tagline, style="italic"), Text(""), Text(f.description)]
    parts += [section("Facts"), pairs(summary.facts(data, f))]
    builtins = Table.grid(padding=(0, 1))
    builtins.add_column(no_wrap=True)
    builtins.add_column(overflow="fold")
    for name in vocabulary.BUILTINS:
        level = f.level(name)
        package = f.builtin_packages.get(name, "")
        line = Text.assemble((LEVEL_GLYPHS[level], LEVEL_STYLES[level]), " ")
        label = vocabulary.builtin_label(name)
        what = Text(label[0].upper() + label[1:], style="bold")
        what.append(f": {LEVEL_LABELS[level]}" + (f" ({package})" if package else "") + cells.via(data, f, name))
        if name in f.quiet:
            what.append(f" (quiet since {f.quiet[name]})")
        if note := f.builtin_notes.get(name):
            what.append(f"\n{note}", style="dim")
        builtins.add_row(line, what)
    parts += [section("Built-ins"), Padding(builtins, (0, 0, 0, 2))]
    parts += [section("Best for"), bullets(f.best_for), section("Avoid when"), bullets(f.avoid_when)]
    if f.notable_users:
        parts += [section("Notable users"), bullets([f"{u.text} (source: {data.source_label(u.source)})" for u in f.notable_users])]
    if f.opinions:
        parts += [section("Opinions"), bullets([f"{o.text} (opinion of: {data.source_label(o.source)})" for o in f.opinions])]
    hello = [("Install", "pip install " + " ".join(f.hello.install))] if f.hello.install else []
    parts += [section("Hello world"), pairs([*hello, ("File", f.hello.file), ("Run", f.hello.run)]),
              Padding(Syntax(f.hello.code.strip(), "python", theme="ansi_dark", background_color="default"), (1, 0, 0, 2))]
    if f.bench is not None:
        parts += [section("Benchmark recipe (fwtui bench)"),
                  pairs([("Install", "pip install " + " ".join(f.bench.packages)), ("Serve", f.bench.server)])]
    parts += [section("Links"), pairs([("Homepage", f.homepage), ("Repository", f.repository), ("Docs", f.docs)])]
    parts += [section("Sources"), bullets([f"{s.group}: {s.url} (checked {s.checked.isoformat()})" + (f": {s.note}" if s.note else "")
                                           for s in f.sources])]
    _console().print(Group(*parts))


def _under_web_server() -> bool:
    """Started by `fwtui serve`: textual-serve names its web driver in TEXTUAL_DRIVER."""
    if not os.environ.get("TEXTUAL_DRIVER"):
        return False  # the usual case, decided without importing fwtui.web
    from fwtui.web import under_web_driver

    return under_web_driver()


def _check_theme(name: str) -> None:
    from textual.theme import BUILTIN_THEMES

    from fwtui.config import theme_problem

    if problem := theme_problem(name, list(BUILTIN_THEMES)):
        raise UsageError(problem)


def _serve(args: argparse.Namespace) -> int:
    from fwtui import web

    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, not {args.port}")
    try:
        max_size = web.parse_size(args.max_size) if args.max_size else web.DEFAULT_MAX_SIZE
    except ValueError as error:
        raise UsageError(f"--max-size {escape(args.max_size)}: {error}") from None
    try:
        return web.serve(args.host, args.port, args.data, args.overlay, url=args.public_url, theme=args.theme,
                         max_sessions=args.max_sessions or web.DEFAULT_MAX_SESSIONS, max_size=max_size)
    except web.ServeError as error:
        raise UsageError(str(error)) from None


def _cmd_paths(args: argparse.Namespace) -> int:
    """Where fwtui reads and writes its files, whether each exists, and what moves it."""
    from fwtui import config, state
    from fwtui.bench import envs, saved
    from fwtui.summary import plain

    data_path, overlay_path = dataset.resolve_paths(args.data, args.overlay)
    folder = dataset.config_dir()
    places = [
        ("config", config.config_path(), "settings: theme, start pane, keymap", dataset.ENV_CONFIG_DIR),
        ("overlay", overlay_path or folder / dataset.OVERLAY_NAME, "records added to the dataset",
         f"--overlay, {dataset.ENV_OVERLAY}, {dataset.ENV_CONFIG_DIR}"),
        ("refresh", folder / dataset.REFRESH_NAME, "facts written by fwtui refresh", dataset.ENV_CONFIG_DIR),
        ("dataset", data_path, "the dataset in use", f"--data, {dataset.ENV_DATA}"),
        ("state", state.state_path(), "remembered marks, criteria, pane, theme", state.ENV_STATE_DIR),
        ("summaries", state.state_dir() / "summaries", "summaries saved when a copy cannot be confirmed", state.ENV_STATE_DIR),
        ("bench", saved.results_path(), "measurements kept by fwtui bench --save", state.ENV_STATE_DIR),
        ("cache", dataset.cache_dir(), "parsed datasets (safe to delete)", dataset.ENV_CACHE_DIR),
        ("bench-envs", envs.default_root(), "environments fwtui bench installs into (safe to delete)", dataset.ENV_CACHE_DIR),
    ]
    records = [{"name": name, "path": str(path), "exists": path.exists(), "what": what, "override": override}
               for name, path, what, override in places]
    if args.format == "json":
        print(_json({"path": plain(records)}, ensure_ascii=False))
    elif args.format == "toml":
        import tomli_w

        print(tomli_w.dumps({"path": records}), end="")
    elif args.format == "markdown":
        print("| What | Path | Exists | Moved by |\n|---|---|---|---|")
        for r in records:
            print(f"| {r['name']} | `{r['path']}` | {'yes' if r['exists'] else 'no'} | {r['override']} |")
    else:  # plain lines, so that no path is wrapped and each can be copied whole
        for r in records:
            print(f"{r['name']:<10} {r['path']}{'' if r['exists'] else '  (not there yet)'}")
        print("\nMoved by: " + "; ".join(f"{r['name']}: {r['override']}" for r in records))
    return 0


def _cmd_compare(data: Dataset, args: argparse.Namespace) -> int:
    from fwtui import summary

    frameworks = list({f.id: f for f in (find(data, i) for i in args.ids)}.values())
    if len(frameworks) < 2:
        raise UsageError("compare needs at least two different framework ids")
    from fwtui import matrix

    grid = matrix.matrix(data, frameworks, args.only_differences)
    rows = [[row.label, *(c.text for c in cells)] for row, cells in grid]
    records = [matrix.record(data, f) for f in frameworks]
    _output(data, args.format, (["", *(f.name for f in frameworks)], rows), records, "framework",
            markdown=lambda: summary.compare_markdown(data, frameworks, args.only_differences))
    if args.format == "table":
        for line in matrix.provenance(data, grid):
            _console().print(line, markup=False, highlight=False)
        _console().print(f"Built-ins: {matrix.LEGEND}")
    return 0


def _cmd_recommend(data: Dataset, args: argparse.Namespace) -> int:
    from fwtui import summary

    if args.list_use_cases:
        for use_case in data.use_cases:
            print(f"{use_case.id}\t{use_case.title}")
        return 0
    use_cases = [use_case.id for use_case in data.use_cases]
    labels = {vocabulary.builtin_label(name): name for name in vocabulary.BUILTINS}
    names = {f.name: f.id for f in data.frameworks}
    from fwtui import criteria as criteria_forms

    criteria = criteria_forms.from_options(
        _pick("use case", args.use_case, use_cases) if args.use_case else None,
        [_pick("need", need, vocabulary.BUILTINS, labels) for need in args.need],
        [_pick("need", need, vocabulary.BUILTINS, labels) for need in args.want],
        args.strict, args.interface, args.team, args.async_comfort, args.perf, args.maintenance,
        [_pick("framework", known, [f.id for f in data.frameworks], names) for known in args.know],
    )
    both = [name for name in dict.fromkeys(_pick("need", want, vocabulary.BUILTINS, labels) for want in args.want) if name in criteria.needs]
    if both:
        print(f"fwtui: {', '.join(vocabulary.builtin_label(name) for name in both)} both wanted and needed: counted as a need "
              f"(--need), not also as a nice-to-have", file=sys.stderr)
    ranking = rank(data, criteria)
    places = list(ranking)
    if args.top or (args.top is None and args.format in ("table", "markdown")):
        top = args.top or summary.SHARED_PLACES
        places = [entry for entry in places if not entry.excluded][:top]
    if args.format == "table" and not ranking.scored:
        print("Nothing asked, so nothing is ranked: give a --use-case, --need or --want, --know, or a question "
              "such as --team (fwtui recommend --help lists them).")
        return 0
    rows = [
        [str(place), entry.framework.name, summary.score_text(entry),
         "\n".join([f"✗ {text}" for text in entry.exclusions] + [f"{r.points:+d} {r.text}" for r in entry.reasons]),
         "\n".join(f"{w.change}: {data.framework(w.first).name} first" for w in entry.what_if)]
        for place, entry in enumerate(places, start=1)
    ]
    _output(data, args.format, (["#", "Framework", "Score", "Why (points of the score)", "What would change it"], rows),
            [entry.as_record() for entry in places], "ranking",
            markdown=lambda: summary.ranking_markdown(data, criteria, ranking, args.top if args.top is not None else summary.SHARED_PLACES))
    if args.format == "table" and len(places) < len(ranking):
        more = len(ranking) - ranking.excluded_count() - len(places)
        print(f"{more} more ranked, {ranking.excluded_count()} excluded (use --top 0 for all)")
    return 0


def _cmd_bench(data: Dataset, args: argparse.Namespace) -> int:
    from fwtui.bench import command, workloads
    from fwtui.bench.run import Options

    options = Options(args.duration, args.rounds, args.connections, min(0.5, args.duration), args.generator,
                      workloads=tuple(dict.fromkeys(args.workload or workloads.NAMES)), baselines=not args.no_baselines)
    frameworks = tuple(find(data, i) for i in dict.fromkeys(args.ids)) if args.ids else data.frameworks
    request = command.Request(frameworks, options.quick() if args.quick else options, args.format, args.smoke, args.chart, args.save)
    return command.command(request, _print_table)


COMMANDS = {"list": _cmd_list, "show": _cmd_show, "compare": _cmd_compare, "recommend": _cmd_recommend, "bench": _cmd_bench}


def _output(
    data: Dataset,
    fmt: str,
    table: tuple[list[str], list[list[str]]],
    records: list[dict[str, Any]],
    key: str,
    markdown: Any = None,
) -> None:
    from fwtui.summary import plain, without_nulls

    # JSON and TOML share one shape: where the data came from, then the records.
    document = {"dataset": dataset_record(data), key: records}
    if fmt == "json":
        print(_json(plain(document), ensure_ascii=False))
    elif fmt == "toml":
        import tomli_w

        print(tomli_w.dumps(without_nulls(document)), end="")
    elif fmt == "markdown":
        print(markdown(), end="")
    else:
        _print_table(*table)


def dataset_record(data: Dataset) -> dict[str, Any]:
    """Which dataset an output came from: its title, version and the date its facts were checked."""
    meta = data.meta
    return {"title": meta.title, "version": meta.version, "as_of": meta.as_of, "schema_version": meta.schema_version}


def _print_table(header: list[str], rows: list[list[str]], one_line: bool = False) -> None:
    """A table of `rows`; with `one_line`, every row on one line and the last column, the long
    one, cut with "…" to the width left."""
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    if one_line:
        # Widths worked out here: Rich shares a shortfall among all columns, cutting ids and names.
        table = Table(box=None, padding=(0, 2, 0, 0), pad_edge=False, expand=False, header_style="bold underline")
        widths = [max(cell_len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        widths[1] = min(widths[1], 16)  # a long name is cut before the tagline loses its words
        widths[-1] = max(_table_width() - sum(widths[:-1]) - 2 * len(header), 10)
        for title, width in zip(header, widths, strict=True):
            table.add_column(Text(title), no_wrap=True, overflow="ellipsis", width=width)
    else:
        table = Table(show_lines=False, expand=False)
        for title in header:
            table.add_column(Text(title))
    for row in rows:
        # Text objects, never markup strings: "[bold]" in data is shown as typed.
        table.add_row(*[Text(cell) for cell in row])
    _console().print(table)


def _console() -> Console:
    from rich.console import Console

    return Console(width=_table_width(), highlight=False, emoji=False, markup=False)


def _table_width() -> int:
    """The width of a printed table: COLUMNS when it is a sensible number (20 to
    10,000), else the terminal's width, else 120. An empty, non-numeric, zero or
    absurd COLUMNS is ignored."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and 20 <= int(columns) <= 10_000:
        return int(columns)
    if _is_terminal(sys.stdout):
        try:
            return max(os.get_terminal_size(sys.stdout.fileno()).columns, 20)
        except (OSError, ValueError):
            pass
    return 120
