"""What a request to a partner can do, and the money field shape every inquiry model uses."""

from __future__ import annotations

from typing import Any

from django.db import models

MONEY: dict[str, Any] = {"max_digits": 15, "decimal_places": 2}


class Action(models.TextChoices):
    QUERY = "query", "查询"
    FREEZE = "freeze", "冻结"
    DEDUCT = "deduct", "扣划"
    SEIZE = "seize", "查封/扣押"
    RELEASE = "release", "解除"
    RENEW = "renew", "续行"


CONTROL_ACTIONS = (Action.FREEZE, Action.DEDUCT, Action.SEIZE, Action.RELEASE, Action.RENEW)
