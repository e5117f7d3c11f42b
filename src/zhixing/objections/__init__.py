"""Objections and reviews (执行异议、复议、案外人异议): ADR 0022."""
