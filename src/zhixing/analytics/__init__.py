"""Ability-to-pay analysis: statement ingestion, DuckDB indicators, explained debtor profiles."""
