"""``python -m bot admin …``: support-center operators, agencies, second-factor resets.

    python -m bot admin list
    python -m bot admin center add <telegram_id> [--name 이름]
    python -m bot admin center remove <telegram_id>
    python -m bot admin agency add "<법인명>" [--branch 지사명] [--region 지역] [--phone 02-…]
    python -m bot admin agency remove <agency_id>
    python -m bot admin otp-reset <telegram_id>      (lost phone: the person enrols again)

Every change is audited (actor: the system). Removing deactivates (rows stay for the history).
Exit status: 0 done, 1 refused (the reason is printed on stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any


def add_admin_parser(sub: Any) -> None:
    admin = sub.add_parser("admin", help="center operators, agencies, OTP resets")
    what = admin.add_subparsers(dest="admin_command", required=True)
    what.add_parser("list", help="agencies, center operators, pending account requests")
    center = what.add_parser("center", help="add or remove a support-center operator")
    center.add_argument("action", choices=["add", "remove"])
    center.add_argument("telegram_id", type=int)
    center.add_argument("--name", default="")
    agency = what.add_parser("agency", help="add or remove (deactivate) an agency")
    agency.add_argument("action", choices=["add", "remove"])
    agency.add_argument("target", help="corporate name (add) or agency id (remove)")
    agency.add_argument("--branch", default=None)
    agency.add_argument("--region", default=None)
    agency.add_argument("--phone", default=None)
    otp = what.add_parser("otp-reset", help="remove a person's second factor")
    otp.add_argument("telegram_id", type=int)


class Refused(Exception):
    pass


async def _run(settings: Any, args: argparse.Namespace) -> list[str]:
    from sqlalchemy import func, select

    from bot.domain.errors import DomainError
    from bot.domain.phones import require_direct_line
    from bot.services import audit
    from bot.services.context import open_context
    from bot.services.identity import SYSTEM
    from bot.services.second_factor import reset_factor
    from bot.storage.models import Agency, CenterOperator, StaffAccount

    ctx = await open_context(settings)
    out: list[str] = []
    try:
        command = args.admin_command
        if command == "list":
            async with ctx.db.session() as session:
                agencies = (await session.scalars(select(Agency).order_by(Agency.id))).all()
                operators = (
                    await session.scalars(
                        select(CenterOperator).order_by(CenterOperator.telegram_id)
                    )
                ).all()
                pending = await session.scalar(
                    select(func.count(StaffAccount.id)).where(StaffAccount.status == "pending")
                )
            out.append("agencies:")
            for a in agencies:
                state = "" if a.active else " (inactive)"
                branch = f" / {a.branch_name}" if a.branch_name else " / 본사"
                out.append(f"  {a.id}\t{a.corporate_name}{branch}{state}")
            out.append("center operators:")
            for o in operators:
                out.append(
                    f"  {o.telegram_id}\t{o.name or '-'}{'' if o.active else ' (inactive)'}"
                )
            ids = ", ".join(str(i) for i in ctx.settings.center_user_ids) or "-"
            out.append(f"CENTER_USER_IDS: {ids}")
            out.append(f"pending account requests: {pending or 0}")
        elif command == "center":
            tid = args.telegram_id
            async with ctx.db.session() as session:
                row = await session.get(CenterOperator, tid)
                if args.action == "add":
                    if row is None:
                        session.add(CenterOperator(telegram_id=tid, name=args.name, active=True))
                    else:
                        row.active = True
                        row.name = args.name or row.name
                    audit.record(
                        session,
                        SYSTEM,
                        "center.add",
                        "center_operator",
                        tid,
                        after={"name": args.name},
                    )
                    out.append(f"center operator {tid} added")
                else:
                    if row is None or not row.active:
                        raise Refused(f"{tid} is not an active center operator")
                    row.active = False
                    audit.record(session, SYSTEM, "center.remove", "center_operator", tid)
                    out.append(f"center operator {tid} removed")
                    if tid in ctx.settings.center_user_ids:
                        out.append(f"note: {tid} is still in CENTER_USER_IDS; remove it there too")
        elif command == "agency":
            async with ctx.db.session() as session:
                if args.action == "add":
                    name = args.target.strip()
                    if not name:
                        raise Refused("the corporate name is empty")
                    phone = None
                    if args.phone:
                        try:
                            phone = require_direct_line(args.phone).formatted
                        except DomainError as error:
                            raise Refused(f"phone: {error}") from None
                    same_office = (
                        Agency.branch_name.is_(None)
                        if args.branch is None
                        else Agency.branch_name == args.branch
                    )
                    exists = await session.scalar(
                        select(Agency).where(Agency.corporate_name == name, same_office)
                    )
                    if exists is not None:
                        exists.active = True
                        agency = exists
                    else:
                        agency = Agency(
                            corporate_name=name,
                            branch_name=args.branch,
                            region=args.region,
                            phone=phone,
                        )
                        session.add(agency)
                    await session.flush()
                    audit.record(
                        session,
                        SYSTEM,
                        "agency.add",
                        "agency",
                        agency.id,
                        agency_id=agency.id,
                        after={"corporate_name": name, "branch": args.branch},
                    )
                    out.append(
                        f"agency {agency.id} added: {name}"
                        + (f" / {args.branch}" if args.branch else "")
                    )
                else:
                    if not args.target.isdigit():
                        raise Refused("give the agency id (see: python -m bot admin list)")
                    found = await session.get(Agency, int(args.target))
                    if found is None or not found.active:
                        raise Refused(f"agency {args.target} is not active")
                    found.active = False
                    audit.record(
                        session, SYSTEM, "agency.remove", "agency", found.id, agency_id=found.id
                    )
                    out.append(f"agency {found.id} removed (deactivated)")
        elif command == "otp-reset":
            if not await reset_factor(ctx, SYSTEM, args.telegram_id):
                raise Refused(f"{args.telegram_id} has no second factor")
            out.append(f"second factor of {args.telegram_id} removed; they enrol again")
    finally:
        await ctx.db.dispose()
    return out


def run_admin(settings: Any, args: argparse.Namespace) -> int:
    try:
        lines = asyncio.run(_run(settings, args))
    except Refused as refused:
        print(f"refused: {refused}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0
