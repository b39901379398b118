"""실적보고 (performance: weekly / monthly, cumulative) and 결과보고 (result, after a program
ends), built like the other reports (``report_build``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.survey import load_survey
from bot.i18n import Texts
from bot.services.charts import FunnelRow
from bot.services.report_build import DROP_CODES, _doc, _period, _ptype, _sheet
from bot.services.report_files import Figure, ReportDoc
from bot.storage.queries import reports_data as rd
from bot.storage.queries.reports_weekly import CERTIFIED_STATES, SELECTED_STATES

# --- 실적보고 --------------------------------------------------------------------------------

CHART_KEYS = ("applications", "certified", "selected", "completed")


async def performance(
    session: AsyncSession, t: Texts, scope: rd.Scope, name: str, period: str, since: datetime,
    subtitle: str,
) -> ReportDoc:  # fmt: skip
    programs = await rd.programs(session, scope)
    by_id = {p.id: p for p in programs}
    counts = await rd.state_counts(session, scope, since)
    certs = await rd.certificate_counts(session, scope)
    people = await rd.roster(session, scope)
    groups: dict[tuple[str, str], Counter[str]] = {}

    def group(pid: int) -> Counter[str]:
        p = by_id[pid]
        return groups.setdefault((p.agency, p.type), Counter())

    per_program: defaultdict[int, Counter[str]] = defaultdict(Counter)
    for p in programs:
        group(p.id).update({"programs": 1, "recruitment": p.total_recruitment or 0})
    for pid, state, n, fresh in counts:
        c = per_program[pid]
        c["applications"] += n
        c["new_in_period"] += fresh
        c["certified"] += n if state in CERTIFIED_STATES else 0
        c["selected"] += n if state in SELECTED_STATES else 0
        if state in ("held", "returned", "completed", "dropped"):
            c[state] += n
    for pid, status, n in certs:
        if status == "approved":
            per_program[pid]["certificates"] += n
    for person in people:
        c = per_program[person.program_id]
        if person.state == "selected" and person.training_status == "in_progress":
            c["in_training"] += 1
        if person.state == "selected" and person.work_status == "in_progress":
            c["in_work"] += 1
        if person.state == "dropped":
            c[f"drop_{person.dropout_code or 'other'}"] += 1
    for pid, c in per_program.items():
        group(pid).update(c)
    keys = ["applications", "certified", "held", "returned", "selected", "in_training",
            "in_work", "completed", "dropped", "certificates", "new_in_period"]  # fmt: skip
    drops = [f"drop_{code}" for code in DROP_CODES]
    headers = ["agency", "program_type", "programs", "recruitment", *keys]
    drop_headers = [t(f"progress.drop_code.{code}") for code in DROP_CODES]
    rows = [
        [agency, _ptype(t, kind), c["programs"], c["recruitment"], *(c[k] for k in keys),
         *(c[d] for d in drops)]
        for (agency, kind), c in sorted(groups.items())
    ]  # fmt: skip
    program_rows = [
        [p.agency, p.name, _ptype(t, p.type), p.total_recruitment,
         *(per_program[p.id][k] for k in keys)]
        for p in programs
    ]  # fmt: skip
    main = _sheet(t, "performance", headers, rows)
    main.headers.extend(f"{t('rpt.col.dropped')}({h})" for h in drop_headers)
    total = Counter[str]()
    for c in groups.values():
        total.update(c)
    figures: dict[str, Figure] = {
        "programs": total["programs"], "recruitment": total["recruitment"],
        **{k: total[k] for k in keys},
    }  # fmt: skip
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    for p in programs:
        by_type[p.type].update(per_program[p.id])
    chart = [
        FunnelRow(_ptype(t, kind), tuple(c[k] for k in CHART_KEYS))
        for kind, c in sorted(by_type.items())
    ]
    sheets = [main, _sheet(t, "performance_programs",
                           ["agency", "program", "program_type", "recruitment", *keys],
                           program_rows)]  # fmt: skip
    return _doc(t, "performance", period, scope, name, subtitle, figures, sheets,
                ["applied", "certified", "selected", "completed"], chart)  # fmt: skip


# --- 결과보고 --------------------------------------------------------------------------------


async def result(
    session: AsyncSession, t: Texts, scope: rd.Scope, name: str, today: date, subtitle: str
) -> ReportDoc:
    programs = [
        p for p in await rd.programs(session, scope) if p.period_end and p.period_end < today
    ]
    ended = {p.id for p in programs}
    people = [p for p in await rd.roster(session, scope) if p.program_id in ended]
    answers = [(pid, a) for pid, a in await rd.survey_answers(session, scope) if pid in ended]
    certs = [c for c in await rd.certificate_counts(session, scope) if c[0] in ended]
    c: defaultdict[int, Counter[str]] = defaultdict(Counter)
    reasons: Counter[str] = Counter()
    for p in people:
        c[p.program_id]["selected"] += 1
        if p.state in ("completed", "dropped"):
            c[p.program_id][p.state] += 1
        if p.state == "dropped":
            reasons[p.dropout_code or "other"] += 1
            c[p.program_id]["employed"] += p.dropout_code == "employed"
    for pid, status, n in certs:
        c[pid][f"cert_{status}"] += n
    survey = load_survey()
    scale = range(survey.scale_min, survey.scale_max + 1)
    for pid, a in answers:
        c[pid]["surveys"] += 1
        if isinstance(a.get("overall"), int):
            c[pid]["overall_sum"] += a["overall"]
            c[pid]["overall_n"] += 1
    rows, chart = [], []
    for p in programs:
        k = c[p.id]
        rate = round(100 * k["completed"] / k["selected"], 1) if k["selected"] else 0.0
        avg = round(k["overall_sum"] / k["overall_n"], 2) if k["overall_n"] else None
        rows.append([
            p.agency, p.name, _ptype(t, p.type), _period(p.period_start, p.period_end),
            k["selected"], k["completed"], k["dropped"], rate, k["employed"], k["surveys"], avg,
            k["cert_approved"], k["selected"] - k["completed"] - k["dropped"],
            k["cert_requested"], max(0, k["completed"] - k["surveys"]),
        ])  # fmt: skip
        chart.append(FunnelRow(p.name, (k["selected"], k["completed"], k["dropped"])))
    items = []
    for q in survey.questions:
        if q.kind != "scale":
            continue
        values = [a[q.key] for _, a in answers if isinstance(a.get(q.key), int)]
        dist = Counter(values)
        avg = round(sum(values) / len(values), 2) if values else None
        items.append([t(f"survey.q_short.{q.key}"), len(values), avg, *(dist[s] for s in scale)])
    names = {p.id: p.name for p in programs}
    texts = [
        [names[pid], t(f"survey.q_short.{q.key}"), str(a[q.key])]
        for pid, a in answers for q in survey.questions
        if q.kind == "text" and a.get(q.key)
    ]  # fmt: skip
    total = Counter[str]()
    for k in c.values():
        total.update(k)
    n_avg = total["overall_n"]
    figures: dict[str, Figure] = {
        "ended": len(programs), "selected": total["selected"], "completed": total["completed"],
        "dropped": total["dropped"],
        "completion_rate": round(100 * total["completed"] / total["selected"], 1)
        if total["selected"] else 0.0,
        "employed": total["employed"], "surveys": total["surveys"],
        "satisfaction": round(total["overall_sum"] / n_avg, 2) if n_avg else 0.0,
        "certificates": total["cert_approved"],
        "open_outcome": total["selected"] - total["completed"] - total["dropped"],
        "open_certificates": total["cert_requested"],
        "open_surveys": max(0, total["completed"] - total["surveys"]),
    }  # fmt: skip
    item_sheet = _sheet(t, "survey_items", ["question", "answers", "average"], items)
    item_sheet.headers.extend(t("rpt.col.score", n=s) for s in scale)
    sheets = [
        _sheet(t, "result", [
            "agency", "program", "program_type", "period", "selected", "completed", "dropped",
            "completion_rate", "employed", "surveys", "satisfaction", "certificates",
            "open_outcome", "open_certificates", "open_surveys",
        ], rows),
        item_sheet,
        _sheet(t, "survey_text", ["program", "question", "answer"], texts),
        _sheet(t, "dropouts", ["reason", "count"],
               [[t(f"progress.drop_code.{code}"), reasons[code]] for code in DROP_CODES]),
    ]  # fmt: skip
    return _doc(t, "result", today.isoformat(), scope, name, subtitle, figures, sheets,
                ["selected", "completed", "dropped"], chart)  # fmt: skip
