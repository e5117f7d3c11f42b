"""Progress of long or asynchronous work (inquiry rounds, imports, batch profiles), for live display.

Pure: a `Progress` is how many of how many units are finished, and whether the work has stopped (all
units finished, or the job ended early: rejected, failed). Pages render it with `{% progress_bar %}`
(`core/widgets/progress.html`); a partial that carries one polls while `running` and stops when done
(ADR 0012).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """`done` of `total` units finished; `finished` forces the stopped state (a job ended early)."""

    done: int
    total: int
    label: str = "已完成"
    finished: bool | None = None

    @property
    def fraction(self) -> float:
        """0.0–1.0; an empty job (nothing to do) counts as complete, never a division by zero."""
        if self.total <= 0:
            return 1.0
        return min(max(self.done, 0), self.total) / self.total

    @property
    def percent(self) -> int:
        """Whole percent, rounded down so that 99.9 % never shows as 100 % before the end."""
        return int(self.fraction * 100)

    @property
    def complete(self) -> bool:
        if self.finished is not None:
            return self.finished
        return self.total <= 0 or self.done >= self.total

    @property
    def running(self) -> bool:
        return not self.complete

    @property
    def text(self) -> str:
        """The words beside the bar, e.g. "已反馈 12/32"."""
        return f"{self.label} {min(max(self.done, 0), max(self.total, 0))}/{max(self.total, 0)}"


def of(done: int, total: int, label: str = "已完成", *, finished: bool | None = None) -> Progress:
    return Progress(done, total, label, finished)
