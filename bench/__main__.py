"""``python -m bench [updates|fanout|data|all] [--users N] [--quick] [--database-url URL]``

Prints JSON lines, one per figure: {"group", "name", "value", "unit", "target", "met", "notes"}.
``met`` is null for figures without a target. Never fails on a number: the exit status is 0
unless the harness itself breaks (then 1, after a ``harness`` line naming the group).

- updates: the real bot process (``python -m bot run``) and a bare aiogram echo bot against the
  playground, N participants walking the application form. On a temp SQLite file (or
  ``--database-url``), and also on PostgreSQL (database ``bench``, recreated) when
  postgresql+asyncpg://postgres@127.0.0.1:5432 is reachable.
- fanout: the outbox delivering 10,000 notices (600 with --quick) under 30 msg/s, 1/s per chat.
- data: 500 agencies / 50,000 participants (100 / 10,000 with --quick), staff pages, weekly
  report, an export. Also on PostgreSQL when reachable.

With ``all`` each group runs in a child process of its own, so memory figures stay separate.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import traceback
from pathlib import Path

from .report import emit_load, emit_machine, figure

GROUPS = ("updates", "fanout", "data")
NESTED = "BENCH_NESTED"  # a group's own child process: the group reports the load once


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("group", nargs="?", default="all", choices=(*GROUPS, "all"))
    parser.add_argument("--users", type=int, default=None, help="participants (default 200)")
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run")
    parser.add_argument(
        "--database-url",
        default=None,
        help="database for the runs (default: a temp SQLite file); it is written to — use a "
        "scratch database",
    )
    parser.add_argument(
        "--no-postgres", action="store_true", help="skip the extra runs on local PostgreSQL"
    )
    parser.add_argument("--runs", type=int, default=None, help="page-query repetitions (200)")
    parser.add_argument("--notices", type=int, default=None, help="fan-out notices (10000)")
    parser.add_argument(
        "--profile",
        default=None,
        help="updates: run the bot under cProfile, stats to this file (one per database)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser


def _label(url: str | None) -> str:
    from .procs import is_postgres

    return "postgres" if url and is_postgres(url) else "sqlite"


async def _databases(args: argparse.Namespace) -> list[tuple[str, str | None, str]]:
    """Where group 1 and 3 run: the given database (or a temp SQLite), plus local PostgreSQL."""
    from .procs import fresh_bench_database, postgres_reachable

    given = args.database_url
    dbs: list[tuple[str, str | None, str]] = [
        (_label(given), given, "the given database" if given else "SQLite (temp file, WAL)")
    ]
    if given is None and not args.no_postgres and await postgres_reachable():
        dbs.append(("postgres", await fresh_bench_database(), "PostgreSQL (local, db bench)"))
    return dbs


async def run_updates(args: argparse.Namespace) -> None:
    from . import updates

    users = args.users or 200
    # --quick: the paced run covers the first 10 steps of the walk (~50 s instead of ~130 s)
    plan = updates.Plan(users, think=5.0, paced_steps=10 if args.quick else 1000)
    profile: Path | None = args.profile
    await updates.run_group(await _databases(args), plan, profile)


async def run_fanout(args: argparse.Namespace) -> None:
    from . import fanout

    total = args.notices or (600 if args.quick else 10_000)
    await fanout.run(args.database_url, total, args.quick)


async def run_data(args: argparse.Namespace) -> None:
    from . import data

    runs = args.runs or (50 if args.quick else 200)
    databases = await _databases(args)  # PostgreSQL's "bench" is recreated empty
    if len(databases) == 1:
        label, url, _ = databases[0]
        await data.run(url, label, args.quick, runs)
        return
    # one child process per database: each peak-memory figure is its own
    for _, url, _ in databases:
        argv = [sys.executable, "-m", "bench", "data", "--child", "--no-postgres"]
        argv += ["--runs", str(runs)] + (["--quick"] if args.quick else [])
        argv += ["--database-url", url] if url else []
        child = await asyncio.create_subprocess_exec(*argv, env={**os.environ, NESTED: "1"})
        if await child.wait() != 0:
            raise RuntimeError(f"data on {url or 'SQLite'}: exit status {child.returncode}")


RUNNERS = {"updates": run_updates, "fanout": run_fanout, "data": run_data}


def run_one(group: str, args: argparse.Namespace) -> int:
    try:
        asyncio.run(RUNNERS[group](args))
    except Exception as error:  # the harness broke: say where, keep the other groups going
        traceback.print_exc(file=sys.stderr)
        figure("harness", group, "error", notes=f"{type(error).__name__}: {error}"[:500])
        return 1
    finally:
        if not os.environ.get(NESTED):
            emit_load(f"after_{group}")
    return 0


def run_all(args: argparse.Namespace, argv: list[str]) -> int:
    """Each group in its own child process (``python -m bench <group> --child …``)."""
    rest = [a for a in argv if a not in ("all", *GROUPS)]
    status = 0
    for group in GROUPS:
        child = subprocess.run([sys.executable, "-m", "bench", group, "--child", *rest])
        if child.returncode != 0:
            status = 1
            if child.returncode not in (0, 1):  # died without its own harness line
                figure("harness", group, "error", notes=f"exit status {child.returncode}")
    return status


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if args.profile:  # children run in temp dirs
        args.profile = Path(args.profile).resolve()
    if not args.child:
        emit_machine()
    if args.group == "all":
        return run_all(args, argv)
    return run_one(args.group, args)


if __name__ == "__main__":
    sys.exit(main())
