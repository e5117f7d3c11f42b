"""`funds_demo_money` (run by `seed_demo`) is refused in production. What it leaves on the demo is checked
on the module's shared demo load: tests/services/test_demo_world.py."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("funds_demo_money", verbosity=0)
