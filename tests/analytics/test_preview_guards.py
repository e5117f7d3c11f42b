"""What an attacker's probe found in the preview flow: edits checked like a saved layout, one import per
held upload however many confirms arrive, and a cap on uploads held for a user."""

from __future__ import annotations

import os
import threading
from datetime import date
from typing import Any

import pytest
from django.db import connection

from zhixing.analytics import staging
from zhixing.analytics.models import ImportJob
from zhixing.analytics.samples import DATA as UNKNOWN
from zhixing.analytics.services import layouts, previews
from zhixing.core.errors import ServiceError

TODAY = date(2026, 12, 3)
FIX = {"counterparty_column": "对方户名"}


@pytest.mark.parametrize(
    ("edits", "field", "words"),
    [
        ({"delimiter": ";;"}, "delimiter", "分隔符须为一个字符"),
        ({"encoding": "punycode"}, "encoding", "未知的字符编码：punycode"),
        ({"encoding": "rot13"}, "encoding", "未知的字符编码"),
        ({"period_pattern": r"(a)\1(b)"}, "period_pattern", "不是有效的正则表达式"),
        ({"total_in_pattern": "收入(["}, "total_in_pattern", "不是有效的正则表达式"),
        ({"date_format": "DD/MM/DD"}, "date_format", "无法识别的格式"),
    ],
)
def test_a_preview_edit_is_checked_as_a_saved_layouts_field(
    debtor: Any, people: dict[str, Any], edits: dict[str, str], field: str, words: str
) -> None:
    draft = previews.start(people["judge"], debtor, data=UNKNOWN, file_name="招行.csv", today=TODAY)
    assert draft.preset is not None
    with pytest.raises(ServiceError, match=words) as caught:
        previews.review(
            people["judge"], debtor, token=draft.token, today=TODAY, preset=draft.preset, edits=edits
        )
    assert caught.value.field == field


def test_a_saved_layout_refuses_a_long_delimiter_and_a_codec_that_is_not_a_text_encoding(
    people: dict[str, Any],
) -> None:
    base = {"name": "甲", "code": "jia", "header_row": 1, "date_column": "日期", "amount_column": "金额"}
    for extra, field in (({"delimiter": ";;"}, "delimiter"), ({"encoding": "idna"}, "encoding")):
        with pytest.raises(ServiceError) as caught:
            layouts.save_preset(people["judge"], {**base, **extra})
        assert caught.value.field == field
    # Python's other spellings of a text encoding are that encoding.
    assert layouts.save_preset(people["judge"], {**base, "encoding": "GB18030"}).encoding == "GB18030"


def test_a_tab_edited_as_the_delimiter_stays_a_tab(debtor: Any, people: dict[str, Any]) -> None:
    tsv = "日期\t金额\t对方户名\n2024-03-01\t100.00\t甲\n2024-03-02\t-5.00\t乙\n".encode()
    draft = previews.start(people["judge"], debtor, data=tsv, file_name="b.tsv", today=TODAY)
    assert draft.preset is not None
    got = previews.clean_edits(draft.preset, {"delimiter": "\t", "counterparty_column": " 对方户名 "})
    assert got["delimiter"] == "\t" and got["counterparty_column"] == "对方户名"


@pytest.mark.django_db(transaction=True)
def test_two_confirms_of_one_preview_import_once(debtor: Any, people: dict[str, Any]) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("two writers at once: the PostgreSQL stage runs it")
    judge = people["judge"]
    draft = previews.start(judge, debtor, data=UNKNOWN, file_name="招行.csv", today=TODAY)
    edits = {**draft.changes, **FIX}
    outcomes: list[str] = []
    barrier = threading.Barrier(3)

    def confirm() -> None:
        try:
            barrier.wait()
            previews.confirm(judge, debtor, token=draft.token, preset=draft.preset, today=TODAY, edits=edits)
            outcomes.append("imported")
        except ServiceError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["imported", staging.EXPIRED, staging.EXPIRED]
    assert ImportJob.objects.count() == 1


def test_a_second_confirm_is_refused_and_a_failed_one_can_be_retried(
    debtor: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    judge = people["judge"]
    draft = previews.start(judge, debtor, data=UNKNOWN, file_name="招行.csv", today=TODAY)
    edits = {**draft.changes, **FIX}

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ServiceError("存储失败", field="file")

    monkeypatch.setattr(previews, "create_import", broken)
    with pytest.raises(ServiceError, match="存储失败"):
        previews.confirm(judge, debtor, token=draft.token, preset=draft.preset, today=TODAY, edits=edits)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        job = previews.confirm(
            judge, debtor, token=draft.token, preset=draft.preset, today=TODAY, edits=edits
        )
    assert job.total_rows == 7
    with pytest.raises(ServiceError, match=staging.EXPIRED):
        previews.confirm(judge, debtor, token=draft.token, preset=draft.preset, today=TODAY, edits=edits)
    assert ImportJob.objects.count() == 1


def test_a_user_holds_at_most_max_held_uploads(debtor: Any, people: dict[str, Any], settings: Any) -> None:
    judge = people["judge"]
    tokens = [
        staging.hold(b"x" * 10, user_id=judge.pk, party_id=debtor.party.pk, file_name=f"{i}.csv")
        for i in range(staging.MAX_HELD + 3)
    ]
    folder = staging._dir()
    own = [p for p in folder.iterdir() if p.name.startswith(f"{judge.pk}-")]
    assert len(own) == staging.MAX_HELD
    # The oldest went first; the newest still fetch.
    with pytest.raises(ServiceError):
        staging.fetch(tokens[0], user_id=judge.pk, party_id=debtor.party.pk)
    assert staging.fetch(tokens[-1], user_id=judge.pk, party_id=debtor.party.pk)[0] == b"x" * 10
    # Another user's uploads are not counted against this one, and files past the token's age go.
    other = people["clerk"]
    staging.hold(b"y", user_id=other.pk, party_id=debtor.party.pk, file_name="y.csv")
    stale = own[0]
    os.utime(stale, (1, 1))
    staging.hold(b"z", user_id=other.pk, party_id=debtor.party.pk, file_name="z.csv")
    assert not stale.exists()
    assert len([p for p in folder.iterdir() if p.name.startswith(f"{judge.pk}-")]) == staging.MAX_HELD - 1
