"""The command line of SPEC. Heavy modules are imported by the command that needs them."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from newsreader import __version__
from newsreader.errors import NewsreaderError


def _common(parser: argparse.ArgumentParser, *, db: bool = True, top: bool = False) -> None:
    """``--config``/``--db``, before or after the command. A command's own copies
    default to "not given", so they never undo what was given before the command."""
    default = None if top else argparse.SUPPRESS
    parser.add_argument("--config", type=Path, default=default, help="feeds.yaml to use")
    if db:
        parser.add_argument("--db", type=Path, default=default, help="SQLite database file")


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {value!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", help="show tracebacks")
    parser = argparse.ArgumentParser(
        prog="newsreader", description="A terminal news reader.", parents=[debug]
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("open", parents=[debug], help="read files, folders or URLs, no config")
    p.add_argument("targets", nargs="+", metavar="TARGET")
    p = sub.add_parser("fetch", parents=[debug], help="refresh every feed, print a summary")
    _common(p)
    p = sub.add_parser("dump", parents=[debug], help="print what TARGET holds, as JSON")
    p.add_argument("targets", nargs="+", metavar="TARGET")
    p = sub.add_parser("list", parents=[debug], help="show what the store holds")
    _common(p)
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--json", action="store_true", help="print JSON (SPEC's dump shape)")
    p.add_argument("--query", metavar="QUERY", help="only the articles QUERY finds")
    p = sub.add_parser("search", parents=[debug], help="stored articles matching QUERY")
    p.add_argument("query", metavar="QUERY", help="see docs/search.md")
    _common(p)
    p.add_argument("--json", action="store_true", help="print JSON (list --json's shape)")
    p.add_argument("--limit", type=_positive, metavar="N", help="the newest N matches only")

    opml = sub.add_parser("opml", parents=[debug], help="OPML import and export")
    opml_sub = opml.add_subparsers(dest="opml_command", metavar="ACTION", required=True)
    p = opml_sub.add_parser("import", parents=[debug], help="add an OPML file's feeds")
    p.add_argument("file", type=Path)
    _common(p, db=False)
    p = opml_sub.add_parser("export", parents=[debug], help="print feeds.yaml as OPML")
    _common(p, db=False)

    rules = sub.add_parser("rules", parents=[debug], help="feeds.yaml's rules")
    rules_sub = rules.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    p = rules_sub.add_parser("apply", parents=[debug], help="apply every rule to what is stored")
    _common(p)

    cfg = sub.add_parser("config", parents=[debug], help="configuration tools")
    cfg_sub = cfg.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    p = cfg_sub.add_parser("check", parents=[debug], help="validate feeds.yaml")
    _common(p, db=False)
    return parser


def _config_path(args: argparse.Namespace) -> Path:
    from newsreader.locations import default_config_path

    return args.config if getattr(args, "config", None) else default_config_path()


def _db_path(args: argparse.Namespace) -> Path:
    from newsreader.locations import default_db_path

    return args.db if getattr(args, "db", None) else default_db_path()


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command is None:
        from newsreader.ui.launch import run_reader

        return run_reader(_config_path(args), _db_path(args))
    if command == "open":
        from newsreader.ui.launch import run_open

        return run_open(args.targets)
    if command == "dump":
        from newsreader.commands.dump import dump_targets

        return dump_targets(args.targets)
    if command == "fetch":
        from newsreader.startup import paused_collector

        with paused_collector():
            from newsreader.commands.fetch import run_fetch

        return run_fetch(_config_path(args), _db_path(args))
    if command == "list":
        from newsreader.commands.listing import run_list

        if args.query is not None:
            from newsreader.commands.search import run_list_query

            return run_list_query(
                _config_path(args),
                _db_path(args),
                args.query,
                unread=args.unread,
                as_json=args.json,
            )
        return run_list(_config_path(args), _db_path(args), unread=args.unread, as_json=args.json)
    if command == "search":
        from newsreader.commands.search import run_search

        return run_search(
            _config_path(args), _db_path(args), args.query, as_json=args.json, limit=args.limit
        )
    if command == "opml":
        from newsreader.commands import opml

        if args.opml_command == "import":
            return opml.run_import(args.file, _config_path(args))
        return opml.run_export(_config_path(args))
    if command == "rules":
        from newsreader.commands.rules import run_rules_apply

        return run_rules_apply(_config_path(args), _db_path(args))
    if command == "config":
        from newsreader.commands.check import run_check

        return run_check(_config_path(args))
    raise AssertionError(command)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except NewsreaderError as exc:
        if args.debug:
            raise
        print(f"newsreader: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Whoever read the output (``| head``) stopped reading: end quietly, and keep
        # Python's own flush at exit from failing on the closed pipe again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        if args.debug:
            raise
        print(f"newsreader: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
