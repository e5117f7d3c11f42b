"""The bulk load of the screening register (`services.register.load_register`, `manage.py
credit_load_register`): new subjects with their change events, by COPY on PostgreSQL, the same rows on
every database; a bad number refused by its row; the command's progress bar."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from zhixing.core.errors import ServiceError
from zhixing.core.models import AuditRecord
from zhixing.credit.models import ChangeEvent, RestrictedSubject
from zhixing.credit.screening import COMMON_MASK
from zhixing.credit.services.register import load_register
from zhixing.credit.synthetic import synthetic_id

pytestmark = pytest.mark.django_db


def _bad(number: str) -> str:
    """`number` with a wrong check character."""
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def test_new_subjects_get_their_rows_and_change_events_in_order_the_present_are_counted() -> None:
    ids = [synthetic_id(i) for i in range(7)]
    today = timezone.localdate()
    assert load_register(None, ids[:2], mask=COMMON_MASK, since=today) == (2, 0)
    top = AuditRecord.objects.order_by("-pk").first()
    assert top is not None
    first_event = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first()
    seen: list[tuple[int, int]] = []
    # Chunks of 3: [1, 2, 3] [1, 4, 5] [6]: a repeated number counted as present, once new.
    keys = [ids[1], ids[2], ids[3], ids[1], ids[4], ids[5], ids[6]]
    added, present = load_register(
        None, keys, mask=COMMON_MASK, since=today, chunk=3, progress=lambda *a: seen.append(a)
    )
    assert (added, present) == (5, 2)
    assert seen == [(2, 1), (4, 2), (5, 2)]
    rows = dict(RestrictedSubject.objects.values_list("subject_key", "mask"))
    assert rows == dict.fromkeys(ids, COMMON_MASK)
    assert set(RestrictedSubject.objects.values_list("since", flat=True)) == {today}
    events = list(
        ChangeEvent.objects.filter(id__gt=first_event)
        .order_by("id")
        .values_list("subject_key", "old_mask", "new_mask")
    )
    assert events == [(k, 0, COMMON_MASK) for k in ids[2:]]  # the new ones, in the order read
    audits = [
        r.after
        for r in AuditRecord.objects.filter(pk__gt=top.pk, action="credit.register_load").order_by("pk")
    ]
    assert [(a["added"], a["present"]) for a in audits] == [(2, 1), (2, 1), (1, 0)]


def test_a_wrong_check_character_is_refused_by_its_row_and_its_chunk_is_not_written() -> None:
    ids = [synthetic_id(i) for i in range(5)]
    keys = [ids[0], ids[1], ids[2], _bad(ids[3]), ids[4]]
    with pytest.raises(ServiceError) as refused:
        load_register(None, keys, mask=COMMON_MASK, since=timezone.localdate(), chunk=2)
    assert refused.value.field == "keys" and refused.value.code == "check_digit"
    assert refused.value.message.startswith("第4行身份号码无效（") and refused.value.message.endswith(
        _bad(ids[3])
    )
    # The first chunk was written; the chunk holding the bad row (ids[2], the bad one) was not.
    assert set(RestrictedSubject.objects.values_list("subject_key", flat=True)) == {ids[0], ids[1]}


def test_postgresql_copies_the_keys_instead_of_one_insert_per_row() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    seen: list[tuple[str, bool]] = []

    def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((sql, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        assert load_register(
            None, [synthetic_id(i) for i in range(500)], mask=COMMON_MASK, since=timezone.localdate()
        ) == (500, 0)
    assert not [sql for sql, many in seen if many]  # no executemany
    writes = [sql for sql, _ in seen if "zx_register_load" in sql]
    assert [w.split()[0] for w in writes] == ["DROP", "CREATE", "WITH"]
    assert RestrictedSubject.objects.count() == ChangeEvent.objects.count() == 500


def test_the_command_draws_its_progress_bar_on_stderr_and_prints_the_key_last() -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "credit_load_register",
        "--persons",
        "5",
        "--chunk",
        "2",
        "--partner",
        "railway",
        stdout=out,
        stderr=err,
    )
    lines = err.getvalue().splitlines()
    assert [line.split("]")[0] for line in lines] == [
        "[" + "#" * 12 + "." * 18,
        "[" + "#" * 24 + "." * 6,
        "[" + "#" * 30,
    ]
    assert [re.findall(r"(\d+%)\s+(\S+) 人", line)[0] for line in lines] == [
        ("40%", "2/5"),
        ("80%", "4/5"),
        ("100%", "5/5"),
    ]
    printed = out.getvalue().splitlines()
    assert printed[0].startswith("登记 5 人（已在名单 0 人）") and printed[-1].startswith("zxp_")
    assert RestrictedSubject.objects.count() == 5


def test_the_command_names_nothing_written_when_refused_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("credit_load_register", "--persons", "1", stdout=StringIO(), stderr=StringIO())
    assert RestrictedSubject.objects.count() == 0
