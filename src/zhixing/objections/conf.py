"""Settings of objections read in more than one module (`ZHIXING_OBJECTIONS`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def _conf() -> dict[str, Any]:
    return dict(getattr(settings, "ZHIXING_OBJECTIONS", {}))


def retrial_months() -> int:
    """Months after the ruling's service to apply for retrial (`ZHIXING_OBJECTIONS["retrial_months"]`,
    default 6: 民诉解释 2022 numbering Art 421, to be confirmed — configuration)."""
    return int(_conf().get("retrial_months", 6))


def retrial_blocks() -> bool:
    """Whether a pending retrial application blocks disposal of the asset as a pending suit does
    (`ZHIXING_OBJECTIONS["retrial_blocks_disposal"]`, default True: issue 19's rule; UNCONFIRMED, as
    CPL-2023 Art 210 says an application for retrial alone does not stop enforcement)."""
    return bool(_conf().get("retrial_blocks_disposal", True))
