"""Reactions to infrastructure events."""

from typing import Any

from django.dispatch import receiver

from zhixing.core.holidays import calendar_changed


@receiver(calendar_changed)
def recompute_after_calendar_change(sender: Any, **kwargs: Any) -> None:
    """A newly loaded holiday year can move every open deadline: recompute them in the background."""
    from .tasks import recompute_open_cases_task

    recompute_open_cases_task()
