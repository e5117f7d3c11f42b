"""Signals of the documents capability, for the domains that own what a document decides.

`document_served` is sent inside the transaction that recorded the first delivery of an electronic
service (the day the document reached the party's system, CPL Art 90): the domain that owns the
document's deadlines (cases: the enforcement notice's period, the asset-report order) starts them from
`served_on`. Receivers get `document` (a `Document`), `party_id`, `served_on` (date), `channel` and
`actor` (who ordered the service).
"""

from __future__ import annotations

from django.dispatch import Signal

document_served = Signal()
