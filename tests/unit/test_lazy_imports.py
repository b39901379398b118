"""What polling does not need stays out of the process at start (issue 12, lean memory)."""

from __future__ import annotations

import subprocess
import sys

from bot.keyboards.reports import CHECK_BUTTON_PREFIX, WeeklyCheckCB
from bot.services import reports

LOADED_ON_USE = (
    "aiohttp.web",  # webhook mode (bot.webhook)
    "apscheduler",  # SCHEDULER_ENABLED (bot.scheduler.runner), /jobs
    "babel",  # the first date or number shown
    "multiprocessing",  # the chart worker pool
    "bot.webhook",
    "bot.scheduler.jobs",
    "bot.services.reports",
    "bot.services.report_service",
    "bot.services.dashboard",
    "bot.services.charts",
)


def test_start_does_not_import_what_polling_does_not_use() -> None:
    code = (
        "import sys, bot.__main__, bot.runtime, bot.app\n"
        f"names = {LOADED_ON_USE!r}\n"
        "print(sorted(m for m in sys.modules\n"
        "             if any(m == n or m.startswith(n + '.') for n in names)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_weekly_check_button_prefix_is_the_outboxs() -> None:
    assert WeeklyCheckCB.__prefix__ == CHECK_BUTTON_PREFIX == reports.CHECK_BUTTON_PREFIX
