"""The partner sandbox: simulated banks, registries, platforms speaking the partner protocol over HTTP.

It is a separate service: it keeps its own state and never touches the platform's tables; the platform
reaches it only over HTTP through adapters (see docs/partner-protocol.md).
"""
