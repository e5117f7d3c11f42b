"""Text longer than its column is refused naming the field, before anything is written — on SQLite,
which would store it whole, as on PostgreSQL, which would answer a database error (a 500)."""

from __future__ import annotations

import pytest

from tests import factories
from zhixing.core.errors import ServiceError
from zhixing.core.field_lengths import refuse_overlong_text, text_within
from zhixing.courts.models import Court

pytestmark = pytest.mark.django_db


def test_an_overlong_text_is_refused_on_save_naming_the_field_and_nothing_is_written() -> None:
    court = factories.province()["th"]
    limit = Court._meta.get_field("name").max_length
    assert isinstance(limit, int)
    court.name = "天" * (limit + 1)
    with pytest.raises(ServiceError) as exc:
        court.save()
    assert exc.value.field == "name"
    assert exc.value.message == "“法院名称”不能超过64个字符（现为65个字符）"
    assert Court.objects.get(pk=court.pk).name != court.name


def test_text_at_the_limit_is_saved_whole() -> None:
    court = factories.province()["th"]
    limit = Court._meta.get_field("name").max_length
    assert isinstance(limit, int)
    court.name = "天" * limit
    court.save()
    assert Court.objects.get(pk=court.pk).name == "天" * limit


def test_text_within_names_the_form_field_and_the_row() -> None:
    assert text_within("短", Court, "name") == "短"
    with pytest.raises(ServiceError) as exc:
        text_within("天" * 500, Court, "name", field="court_name", row="第3行：")
    assert exc.value.field == "court_name"
    assert exc.value.message.startswith("第3行：“")


def test_models_outside_the_platform_are_left_to_their_own_checks() -> None:
    class Outside:
        __module__ = "django.contrib.auth.models"

    refuse_overlong_text(Outside, object())  # type: ignore[arg-type]


def test_every_platform_model_with_a_limited_text_field_is_guarded() -> None:
    from django.apps import apps
    from django.db.models.signals import pre_save

    receivers = [r[1]() for r in pre_save.receivers]
    assert refuse_overlong_text in receivers
    guarded = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("zhixing.")
        and any(getattr(f, "max_length", None) for f in m._meta.concrete_fields)
    ]
    assert len(guarded) > 50
