"""Case measures across domains: the consequence table of case events, applied by one service.

A case's events (money performed, closing, suspension, resumption, listing removal) change what the
other domains must do with the measures they hold for it (controls in inquiry, restrictions, listings
and exposure in credit). This package holds the table (rules.py), the one service that applies it
(services.py), and the proposals a judge decides (models.py). See docs/adr/0005-consequence-table.md.
"""
