"""Router order lives here, in one place. Feature routers go between ``start`` and ``fallback``."""

from __future__ import annotations

from aiogram import Router

from bot.conversations import handover as staff_handover
from bot.conversations import (
    host_company_list,
    program_attachments,
    program_headcounts,
    program_jobs,
    program_starts,
)
from bot.forms import routing as forms
from bot.handlers import (
    assignment,
    certificates,
    chat_events,
    common,
    confirmation,
    dashboard,
    errors,
    fallback,
    flow_starts,
    home,
    my_programs,
    offline,
    program_reviews,
    progress,
    recruit_until,
    selection,
    staff_admin,
    start,
    survey,
    surveys,
    totp,
    weekly_check,
)
from bot.handlers import catalogue as participant_catalogue
from bot.handlers import export as data_export
from bot.handlers import history as staff_history
from bot.handlers import jobs as scheduled_jobs
from bot.handlers import privacy as participant_privacy
from bot.handlers import reports_chat as agency_reports
from bot.handlers import review as staff_review
from bot.handlers import status as participant_status
from bot.handlers import training_hours as staff_training_hours


def _routers() -> list[Router]:
    return [
        errors.router,
        common.router,  # /cancel, /help, /lang work from any state
        start.router,
        *home.ROUTERS,  # /menu and its buttons (staff and center ones behind their gates)
        # feature routers ↓
        totp.router,  # /otp and the enrol button (the code itself is a form flow)
        flow_starts.router,  # commands that start a form flow: /join
        staff_admin.router,  # /approvals, approve/reject (center)
        staff_review.router,  # /inbox, cards, certify/hold/return
        staff_history.router,  # /history
        offline.router,  # /offline paper applications (the flows: bot/forms)
        staff_handover.router,  # /handover (head)
        program_starts.router,  # /newprogram, ▶ 이어서 입력, ✏️ 항목 수정 (the wizard's starts)
        program_attachments.router,  # a program's attachments (PDF plans)
        host_company_list.router,  # a program's host companies, deleting one
        program_jobs.router,  # a program's jobs (project type)
        program_headcounts.router,  # changing a company's / job's head count
        recruit_until.router,  # 모집 마감일 (staff program screen)
        my_programs.router,  # /myprograms, submit
        program_reviews.router,  # /programreviews (center)
        participant_catalogue.router,  # /programs, program cards, apply
        participant_status.router,  # /status, /withdraw, amend a held application
        participant_privacy.router,  # /privacy
        forms.router(),  # every flow on the form engine (bot/forms), each behind its gate
        selection.router,  # /select (staff)
        confirmation.router,  # /confirm (staff)
        assignment.router,  # /assign (staff)
        progress.router,  # /progress (staff)
        surveys.router,  # /surveys: who answered, 수기 작성 (staff)
        survey.router,  # /survey (participant; staff 수기 작성)
        certificates.router,  # /certificate, /verify
        certificates.center,  # /certificates (center)
        weekly_check.router,  # the weekly reminder's 점검 완료 button (staff)
        scheduled_jobs.router,  # /jobs (center)
        data_export.router,  # /export (staff, center)
        agency_reports.router,  # /reports: the four reports, 제출 준비 완료 (staff, center)
        dashboard.router,  # /dashboard: national funnel, agencies needing attention (center)
        staff_training_hours.router,  # /hours: 사전직무교육 hours attended, training plan (staff)
        # feature routers ↑
        chat_events.router,  # edited messages ("send it again"), blocked / restarted
        fallback.router,  # must stay last
    ]


def build_root_router() -> Router:
    """A fresh root router. Feature routers are module-level (the aiogram idiom); a process may
    build more than one dispatcher over its life (tests, restarts), so they are re-homed here."""
    root = Router(name="root")
    for router in _routers():
        router._parent_router = None
        root.include_router(router)
    return root
