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


def _routers() -> list[Router]:
    return [
        errors.router,
        common.router,  # /cancel, /help, /lang work from any state
        start.router,
        onboarding.router,
        # feature routers ↓
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
