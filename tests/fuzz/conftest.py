"""The fuzz tier's harness: the flow tests' in-process dispatcher (``tests.flows.harness``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from tests.flows.harness import Flows


@pytest.fixture
async def flows(settings: Settings) -> AsyncIterator[Flows]:
    harness = Flows(settings)
    await harness.start(seed=True)
    try:
        yield harness
    finally:
        await harness.stop()
