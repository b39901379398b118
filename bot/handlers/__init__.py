"""Router order lives here, in one place. Feature routers go between ``start`` and ``fallback``."""

from __future__ import annotations

from aiogram import Router

from bot.conversations import application as participant_application  # issue 3
from bot.conversations import eligibility as participant_eligibility  # issue 3
from bot.conversations import host_company, onboarding, program_wizard
from bot.handlers import catalogue as participant_catalogue  # issue 3
from bot.handlers import common, errors, fallback, my_programs, program_reviews, start
from bot.handlers import privacy as participant_privacy  # issue 3
from bot.handlers import status as participant_status  # issue 3
from bot.conversations import survey as survey_flow  # issue 6
from bot.handlers import assignment, certificates, progress, selection  # issue 6
from bot.conversations import handover as staff_handover  # issue 4
from bot.conversations import join as staff_join  # issue 4
from bot.conversations import offline_application as staff_offline  # issue 4
from bot.conversations import review_reason as staff_reason  # issue 4
from bot.conversations import totp as staff_totp  # issue 4
from bot.handlers import history as staff_history  # issue 4
from bot.handlers import review as staff_review  # issue 4
from bot.handlers import staff_admin  # issue 4
from bot.handlers import jobs as scheduled_jobs  # issue 7
from bot.handlers import export as data_export  # issue 7
from bot.handlers import weekly_check  # issue 7


def _routers() -> list[Router]:
    return [
        errors.router,
        common.router,  # /cancel, /help, /lang work from any state
        start.router,
        onboarding.router,
        # feature routers ↓
        staff_totp.router,  # issue 4: second factor (enrol, code) — first: codes in its states
        staff_join.router,  # issue 4: /join account request
        staff_admin.router,  # issue 4: /approvals, approve/reject (center)
        staff_reason.router,  # issue 4: hold/return/reject reasons
        staff_review.router,  # issue 4: /inbox, cards, certify/hold/return
        staff_history.router,  # issue 4: /history
        staff_offline.router,  # issue 4: /offline paper applications
        staff_offline.link_router,  # issue 4: /start link_… confirmation (participants)
        staff_handover.router,  # issue 4: /handover (head)
        program_wizard.router,  # issue 5: /newprogram, summary, attachments
        host_company.router,  # issue 5: host companies and jobs
        my_programs.router,  # issue 5: /myprograms, submit
        program_reviews.router,  # issue 5: /programreviews (center)
        participant_catalogue.router,  # issue 3: /programs, program cards, apply
        participant_status.router,  # issue 3: /status, /withdraw, amend a held application
        participant_privacy.router,  # issue 3: /privacy
        participant_eligibility.router,  # issue 3: eligibility check (form 101)
        participant_application.router,  # issue 3: the application form
        selection.router,  # issue 6: /select, /confirm (staff)
        assignment.router,  # issue 6: /assign (staff)
        progress.router,  # issue 6: /progress, /surveys (staff)
        survey_flow.router,  # issue 6: /survey (participant; staff 수기 작성)
        certificates.router,  # issue 6: /certificate, /verify
        certificates.center,  # issue 6: /certificates (center)
        weekly_check.router,  # issue 7: the weekly reminder's 점검 완료 button (staff)
        scheduled_jobs.router,  # issue 7: /jobs (center)
        data_export.router,  # issue 7: /export (staff, center)
        # feature routers ↑
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
