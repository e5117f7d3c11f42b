"""Money field settings and the append-only base every ledger row uses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models

MONEY: dict[str, Any] = {"max_digits": 15, "decimal_places": 2}
ZERO = Decimal("0.00")


class AppendOnlyError(RuntimeError):
    """Ledger rows are never edited or deleted; corrections are reversing entries."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("账簿记录只能追加，不能修改（请以冲正分录更正）")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("账簿记录只能追加，不能删除（请以冲正分录更正）")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("账簿记录只能追加，不能修改（请以冲正分录更正）")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("账簿记录只能追加，不能删除（请以冲正分录更正）")
