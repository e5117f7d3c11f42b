"""Whether this machine can print PDFs and draw chart images: headless Chromium and a CJK font.

The report PDF and the Word report's chart images are rendered by Debian's Chromium through Playwright,
with the Noto CJK font for Chinese text. `make run` installs both when it can (scripts/run-deps.sh); when
either is still missing at run time, the pages that offer a PDF ask `support()` and say on the page what
is missing instead of failing on the click (issue 13).
"""

from __future__ import annotations

import glob
import importlib.util
import os
import shutil
import threading
import time
from dataclasses import dataclass, field

CJK_FONT_PATTERNS = (
    "/usr/share/fonts/opentype/noto/Noto*CJK*",
    "/usr/share/fonts/truetype/noto/Noto*CJK*",
    "/usr/share/fonts/**/*wqy*",
    "/usr/share/fonts/**/*WenQuanYi*",
    "/usr/share/fonts/**/Noto*CJK*",
    "/usr/share/fonts/**/*SourceHan*",
)
_TTL_SECONDS = 60.0
_lock = threading.Lock()
_cached: tuple[float, BrowserSupport] | None = None


@dataclass(frozen=True)
class BrowserSupport:
    """What is missing (Chinese words, one item each); `ok` when nothing is."""

    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing

    @property
    def message(self) -> str:
        if self.ok:
            return ""
        return (
            "本机暂不能生成 PDF：缺少" + "、".join(self.missing) + "。请系统管理员安装后重试"
            "（Debian/Ubuntu：apt-get install chromium fonts-noto-cjk，或重新执行 make run 自动安装）；"
            "Word 报告与打印版仍可使用。"
        )


def chromium_path() -> str | None:
    """The Chromium executable the renderer will start (ZHIXING_CHROMIUM, else `chromium` on PATH)."""
    configured = os.environ.get("ZHIXING_CHROMIUM")
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def has_cjk_font(patterns: tuple[str, ...] = CJK_FONT_PATTERNS) -> bool:
    return any(glob.glob(p, recursive=True) for p in patterns)


def check() -> BrowserSupport:
    """Look now (no cache): Playwright, the Chromium executable, a CJK font."""
    missing: list[str] = []
    if importlib.util.find_spec("playwright") is None:
        missing.append("Playwright（Python 包）")
    if chromium_path() is None:
        missing.append("Chromium 浏览器")
    if not has_cjk_font():
        missing.append("中文字体（Noto CJK）")
    return BrowserSupport(missing)


def support() -> BrowserSupport:
    """`check()`, remembered for a minute (a page view must not scan the font directories each time)."""
    global _cached
    with _lock:
        if _cached and time.monotonic() - _cached[0] < _TTL_SECONDS:
            return _cached[1]
    result = check()
    with _lock:
        _cached = (time.monotonic(), result)
    return result


def invalidate() -> None:
    global _cached
    with _lock:
        _cached = None
