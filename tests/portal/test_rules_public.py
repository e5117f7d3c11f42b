"""Pure rules of the public portal: deadlines on the working-day calendar, query codes, photo checks."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.core.workdays import WorkCalendar
from zhixing.portal import rules_public as r

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 12
MB = 1024 * 1024


def test_petition_due_counts_30_working_days_over_the_national_day_holiday() -> None:
    cal = WorkCalendar()
    # Received Monday 2026-09-28: 1-7 October 2026 is the National Day holiday and Saturday 10-10 a make-up
    # working day (chinese-calendar). Counted by hand: 9-29, 9-30 (2), 10-8, 10-9, 10-10 (5), then five weeks
    # of five days to 11-13 (30).
    due = r.petition_due(date(2026, 9, 28), 30, cal.add_workdays)
    assert due == cal.add_workdays(date(2026, 9, 28), 30)
    assert due == date(2026, 11, 13)


def test_petition_due_on_an_ordinary_month_and_the_day_of_receipt_is_not_counted() -> None:
    cal = WorkCalendar()
    assert r.petition_due(date(2026, 3, 10), 1, cal.add_workdays) == date(2026, 3, 11)
    assert r.petition_due(date(2026, 3, 13), 1, cal.add_workdays) == date(2026, 3, 16)  # Friday → Monday
    assert r.tip_due(date(2026, 3, 10), 10, cal.add_workdays) == date(2026, 3, 24)


def test_a_deadline_of_no_days_is_refused() -> None:
    cal = WorkCalendar()
    for fn in (r.petition_due, r.tip_due):
        try:
            fn(date(2026, 3, 10), 0, cal.add_workdays)
        except ValueError as exc:
            assert "至少为1个工作日" in str(exc)
        else:  # pragma: no cover
            raise AssertionError("0 days accepted")


def test_answered_on_time_is_on_or_before_the_due_day() -> None:
    assert r.answered_on_time(date(2026, 4, 1), date(2026, 4, 1)) is True
    assert r.answered_on_time(date(2026, 4, 1), date(2026, 4, 2)) is False
    assert r.answered_on_time(date(2026, 4, 1), None) is False


@settings(max_examples=100)
@given(st.integers(min_value=0, max_value=10**6))
def test_every_new_code_is_a_valid_code_and_normalises_to_itself(_: int) -> None:
    code = r.new_code()
    assert len(code) == 8 and set(code) <= set(r.CODE_ALPHABET)
    assert r.normalise_code(code) == code
    assert r.normalise_code(f" {code[:4].lower()}-{code[4:]} ") == code


@settings(max_examples=200)
@given(st.text(max_size=20))
def test_anything_else_is_not_a_code(text: str) -> None:
    got = r.normalise_code(text)
    assert got is None or (len(got) == 8 and set(got) <= set(r.CODE_ALPHABET))


def test_malformed_codes_are_refused() -> None:
    for typed in ("", "1234567", "ABCDEFGH1", "ABCD0FGH", "ABCDIFGH", "ＡＢＣＤＥＦＧＨ", "ABC\x00EFGH"):
        assert r.normalise_code(typed) is None, typed


def test_codes_compare_exactly() -> None:
    assert r.codes_match("ABCDEFGH", "ABCDEFGH") is True
    assert r.codes_match("ABCDEFGH", "ABCDEFGJ") is False


def test_photo_type_is_read_from_its_bytes_not_its_name() -> None:
    assert r.check_photo("a.png", 100, PNG, 5 * MB) == ("image/png", None)
    assert r.check_photo("a.jpg", 100, JPEG, 5 * MB) == ("image/jpeg", None)
    kind, problem = r.check_photo("evil.jpg", 100, b"<html><script>", 5 * MB)
    assert kind == "" and problem is not None
    assert problem.message == "照片“evil.jpg”不是JPEG或PNG图片，请上传照片文件"
    kind, problem = r.check_photo("gif.png", 100, b"GIF89a" + b"\x00" * 10, 5 * MB)
    assert problem is not None and "不是JPEG或PNG" in problem.message


def test_photo_size_limits_name_the_file_and_the_limit() -> None:
    _, big = r.check_photo("big.jpg", 6 * MB, JPEG, 5 * MB)
    assert big is not None and big.message == "照片“big.jpg”大小为6.0MB，超过每张5MB的上限"
    _, empty = r.check_photo("e.jpg", 0, b"", 5 * MB)
    assert empty is not None and empty.message == "照片“e.jpg”是空文件"
    assert r.check_photo("edge.jpg", 5 * MB, JPEG, 5 * MB)[1] is None


def test_references_are_prefixed_by_year_and_zero_padded() -> None:
    assert r.reference("JB", 2026, 7) == "JB2026-000007"
    assert r.reference("XF", 2027, 1234567) == "XF2027-1234567"
