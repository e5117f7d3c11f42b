"""Regular expressions written by users (a layout's period and totals patterns), run in linear time.

Python's `re` backtracks: a pattern like `^(a+)+(b)` against a preamble line of thirty a's runs for
minutes, and holds the interpreter while it does, so one layout (or one preview edit) would stall every
request of the server. RE2 (Google's engine, `google-re2`) matches in time linear in the text, whatever
the pattern. It refuses what it cannot match that way (back-references, look-around): such a pattern is
an error for the form, as a pattern that does not compile is.
"""

from __future__ import annotations

from typing import Any

import re2  # type: ignore[import-untyped]

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is the form's error, not a line on the server's stderr
MAX_LENGTH = 500  # characters: the model fields' length; a longer pattern is refused before compiling


class PatternError(ValueError):
    """The pattern is not one RE2 compiles."""


def compile_pattern(pattern: str) -> Any:
    """The compiled pattern (`search`, `groups`, matches with `group`/`groups` like `re`); PatternError
    with RE2's reason when it does not compile."""
    if len(pattern) > MAX_LENGTH:
        raise PatternError(f"长度超过{MAX_LENGTH}个字符")
    try:
        return re2.compile(pattern, _OPTIONS)
    except (re2.error, TypeError, ValueError, OverflowError) as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(str(reason)) from None
