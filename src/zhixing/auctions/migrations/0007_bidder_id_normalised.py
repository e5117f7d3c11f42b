"""Bidders' identity numbers stored normalised (full-width folded, spaces dropped, x upper-cased), as
registration now stores them: a number registered twice in two spellings keeps its first row and the
later row is left as it was (a clerk merges it; there is no automatic choice of which is the person)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import migrations


def _normalise(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def normalise(apps: Any, schema_editor: Any) -> None:
    Bidder = apps.get_model("auctions", "Bidder")
    taken = set(Bidder.objects.values_list("id_number", flat=True))
    for bidder in Bidder.objects.order_by("pk").only("pk", "id_number"):
        number = _normalise(bidder.id_number)
        if number == bidder.id_number or number in taken:
            continue
        taken.add(number)
        Bidder.objects.filter(pk=bidder.pk).update(id_number=number)


class Migration(migrations.Migration):
    dependencies = [("auctions", "0006_lot_balance_txn")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
