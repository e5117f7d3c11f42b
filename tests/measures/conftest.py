"""Measures fixtures: the inquiry fixtures (sandbox, quiet dispatch) and a case owing exactly 100,000."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.inquiry.conftest import open_case, open_case_not_due, quiet, sandbox, sandbox_process  # noqa: F401
from zhixing.cases.models import EnforcementCase


@pytest.fixture
def owing(people: dict[str, Any], quiet: None) -> EnforcementCase:  # noqa: F811
    """100,000 owed: no interest yet (the performance period runs to the end of the year) and the
    application fee waived (诉讼费用交纳办法 Art 44 缓减免), so the claim is exactly the principal."""
    case = open_case_not_due(people, date(2026, 12, 31))
    EnforcementCase.objects.filter(pk=case.pk).update(application_fee=0)
    case.refresh_from_db()
    return case
