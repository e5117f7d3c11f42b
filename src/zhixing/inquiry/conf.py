"""The inquiry settings with their defaults (zhixing.config.settings.partners), read at call time."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from zhixing.config.settings import partners as defaults


def option(name: str) -> Any:
    merged = {**defaults.ZHIXING_INQUIRY, **getattr(settings, "ZHIXING_INQUIRY", {})}
    return merged[name]


def sandbox_url() -> str:
    return str(getattr(settings, "ZHIXING_SANDBOX_URL", defaults.ZHIXING_SANDBOX_URL)).rstrip("/")


def platform_url() -> str:
    return str(getattr(settings, "ZHIXING_PLATFORM_URL", defaults.ZHIXING_PLATFORM_URL)).rstrip("/")


def callback_url() -> str:
    return f"{platform_url()}/api/v1/inquiry/callback"
