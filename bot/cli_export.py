"""``python -m bot export …``: the same files as ``/export``, from the server's shell.

    python -m bot export [--agency <id>|all] [--format xlsx|csv] [--dataset applications|…]
                         [--out PATH]

Resident numbers are always masked here (full numbers only through ``/export`` by a center
operator, with a reason). The export is audited with the system as the actor.
Exit status: 0 written, 1 refused (the reason is printed on stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.services.exports import ExportFile


def add_export_parser(sub: Any) -> None:
    from bot.services.exports import DATASETS, FORMATS

    export = sub.add_parser("export", help="write an xlsx or csv export (masked resident numbers)")
    export.add_argument("--agency", default="all", help="agency id, or all (default)")
    export.add_argument("--format", choices=FORMATS, default="xlsx")
    export.add_argument(
        "--dataset", choices=DATASETS, default=None, help="one table (required for csv)"
    )
    export.add_argument("--out", type=Path, default=None, help="file or folder (default: .)")


async def build_file(settings: Any, args: argparse.Namespace) -> ExportFile:
    from bot.i18n import Translator
    from bot.services.context import open_context
    from bot.services.exports import export_data
    from bot.services.identity import SYSTEM

    agency_id = None if str(args.agency).lower() == "all" else int(args.agency)
    ctx = await open_context(settings)
    try:
        file = await export_data(
            ctx,
            SYSTEM,
            Translator().bind("ko"),
            agency_id=agency_id,
            fmt=args.format,
            dataset=args.dataset,
        )
    finally:
        await ctx.db.dispose()
    return file


def run_export(settings: Any, args: argparse.Namespace) -> int:
    from bot.domain.errors import DomainError
    from bot.i18n import Translator
    from bot.middlewares.refusals import refusal_text

    try:
        file = asyncio.run(build_file(settings, args))
    except (DomainError, ValueError) as error:
        if isinstance(error, DomainError):
            message = refusal_text(Translator().bind("ko"), error)
        else:
            message = f"--agency must be a number or all: {error}"
        print(message, file=sys.stderr)
        return 1
    path: Path = args.out or Path(".")
    if path.is_dir():
        path = path / file.file_name
    path.write_bytes(file.content)
    print(f"{path} ({file.rows} rows)")
    return 0
