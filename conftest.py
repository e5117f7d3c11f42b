"""Root pytest configuration: tasks run synchronously in tests (Huey immediate mode)."""

import os

os.environ.setdefault("HUEY_IMMEDIATE", "1")
