"""Root pytest configuration: background tasks run synchronously in tests (Huey immediate mode)."""

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _huey_immediate() -> Iterator[None]:
    """Run Huey tasks inline, in memory, so a test sees their effect and leaves no queue behind."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before
