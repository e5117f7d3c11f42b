"""Reading a statement's date and time cells: automatic formats, a layout's own pattern, yearless dates.

A layout's `date_format` / `time_format` is either one of `DATE_CHOICES` / `TIME_CHOICES` or a pattern in
the same notation (YYYY year, YY two-digit year, MM or M month, MMM month name such as Dec, DD or D day,
HH hour, mm minute, ss second; any other character is literal, e.g. 'YYYY年MM月DD日'), or a Python
strptime pattern when it contains '%'. A pattern without a year ('MM/DD', '12/29' on credit-card
statements) is resolved into the year that puts the day inside the statement period (a December line of
a December–January statement falls in the first year, a January line in the second).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from .amounts import clean
from .statement_errors import RowError

DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y%m%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S.%f",  # milliseconds, as database-backed exports write them
    "%Y/%m/%d %H:%M:%S.%f",
    "%Y.%m.%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日",
)
AUTO_NAMES = (
    "YYYY-MM-DD、YYYY/MM/DD、YYYYMMDD、YYYY.MM.DD、YYYY年MM月DD日（可带 HH:mm 或 HH:mm:ss，秒可带毫秒）、"
    "带时区的 ISO 时间（如 2024-01-05T09:05:00+08:00，按北京时间读取）、Excel 日期序号（如 45323）"
)
TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%H%M%S", "%H:%M:%S.%f")
DATE_CHOICES = (
    "YYYY-MM-DD",
    "YYYY-MM-DD HH:mm:ss",
    "YYYY/MM/DD",
    "YYYY/MM/DD HH:mm:ss",
    "YYYYMMDD",
    "YYYY.MM.DD",
    "YYYY年MM月DD日",
    "DD/MM/YYYY",
    "MM/DD/YYYY",
    "DD.MM.YYYY",
    "DD-MMM-YYYY",
    "DD MMM YYYY",
    "MM/DD",
    "MM-DD",
    "MMDD",
    "MM月DD日",
)
TIME_CHOICES = ("HH:mm:ss", "HH:mm", "HHmmss")
_TOKENS = re.compile(r"YYYY|YY|MMM|MM|M|DD|D|HH|H|mm|ss")
_STRPTIME = {
    "YYYY": "%Y",
    "YY": "%y",
    "MMM": "%b",
    "MM": "%m",
    "M": "%m",
    "DD": "%d",
    "D": "%d",
    "HH": "%H",
    "H": "%H",
    "mm": "%M",
    "ss": "%S",
}
Period = tuple[date, date]
# A leap year standing in for a statement period, where dates without a year need only to parse.
ANY_YEAR: Period = (date(2000, 1, 1), date(2000, 12, 31))
BEIJING = timezone(timedelta(hours=8), "CST")  # statement times are Beijing time (no daylight saving)


def strptime_pattern(pattern: str) -> str:
    """'DD/MM/YYYY' → '%d/%m/%Y'; a pattern containing '%' is already strptime and is returned as is."""
    if "%" in pattern:
        return pattern
    return _TOKENS.sub(lambda m: _STRPTIME[m.group(0)], pattern)


def check_pattern(pattern: str) -> str:
    """The strptime form of a layout's pattern, or ValueError with a message for the form."""
    fmt = strptime_pattern(pattern.strip())
    if "%d" not in fmt or not re.search(r"%[mb]", fmt):
        raise ValueError(f"格式“{pattern}”须含月（MM）与日（DD），可选：{'、'.join(DATE_CHOICES)}")
    try:
        datetime.strptime(datetime(2000, 12, 28, 23, 59, 58).strftime(fmt), fmt)
    except (ValueError, re.error):  # re.error: a directive given twice ('HH:HH')
        raise ValueError(f"无法识别的格式“{pattern}”") from None
    return fmt


def check_time_pattern(pattern: str) -> str:
    """The strptime form of a layout's time pattern, or ValueError with a message for the form."""
    fmt = strptime_pattern(pattern.strip())
    if "%H" not in fmt and "%I" not in fmt:
        raise ValueError(f"格式“{pattern}”中没有时（HH），可选：{'、'.join(TIME_CHOICES)}")
    try:
        datetime.strptime(datetime(2000, 1, 1, 23, 59, 58).strftime(fmt), fmt)
    except (ValueError, re.error):  # re.error: a directive given twice ('HH:HH')
        raise ValueError(f"无法识别的格式“{pattern}”") from None
    return fmt


def is_yearless(pattern: str) -> bool:
    """True when a date pattern has no year, so the statement period must supply it."""
    if not pattern.strip():
        return False
    fmt = strptime_pattern(pattern)
    return bool(re.search(r"%[dmb]", fmt)) and not re.search(r"%[Yy]", fmt)


# A card statement lists the purchases posted in its cycle, and a purchase is posted a few days after it
# was made: a 交易日 of 12/17 on a cycle from 12/19 belongs to that December. Days before the cycle's
# start that a yearless date may fall on (posting rarely takes more than a few days; a month is generous).
BEFORE_PERIOD = timedelta(days=31)


def in_period(month: int, day: int, period: Period, column: str, raw: Any) -> date:
    """The date with this month and day that lies inside the statement period (the first such, by year),
    or else in the month before its start (a purchase made before the cycle and posted in it)."""
    start, end = period
    for lo in (start, start - BEFORE_PERIOD):
        for year in range(lo.year, end.year + 1):
            try:
                candidate = date(year, month, day)
            except ValueError:  # 29 February in a common year
                continue
            if lo <= candidate <= end:
                return candidate
    raise RowError(
        f"“{column}”的日期 {raw!r} 不含年份，且不在账单期间 {start} 至 {end} 内（也不在期间开始前"
        f"{BEFORE_PERIOD.days}日内）"
    )


def _with_pattern(text: str, fmt: str, period: Period | None, column: str, raw: Any) -> datetime | None:
    yearless = not re.search(r"%[Yy]", fmt)
    for suffix in ("", " %H:%M:%S", " %H:%M"):  # a date pattern also reads a date cell that carries a time
        try:
            if yearless:  # parse in a leap year, so 02/29 is a valid month and day
                parsed = datetime.strptime(f"{text} 2000", f"{fmt}{suffix} %Y")
            else:
                parsed = datetime.strptime(text, fmt + suffix)
        except (ValueError, re.error):  # re.error: a pattern changed in admin with a directive twice
            continue
        if yearless:
            if period is None:
                raise RowError(f"“{column}”的日期 {raw!r} 不含年份：请在导入时填写账单期间")
            day = in_period(parsed.month, parsed.day, period, column, raw)
            return datetime.combine(day, parsed.time())
        return parsed
    return None


_last_format = [DATE_FORMATS[0]]  # a statement keeps one format: try the last one that matched first


def _automatic(text: str) -> datetime | None:
    for fmt in (_last_format[0], *DATE_FORMATS):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        _last_format[0] = fmt
        return parsed
    return None


def _iso_with_offset(text: str) -> datetime | None:
    """'2024-01-05T01:05:00Z', '2024-01-05T09:05:00+08:00' (exports written by an API): the Beijing
    time of that moment, as every other line's time is read; None for anything else."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})", text):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(BEIJING).replace(tzinfo=None)


# Excel keeps a date as the number of days since 1899-12-30 (its 1900 system, past the phantom 1900-02-29);
# a cell not formatted as a date shows that number (45323 is 2024-02-02). Read as such when it is a
# number in the years a statement can hold and no pattern says otherwise.
EXCEL_EPOCH = datetime(1899, 12, 30)
_SERIAL = re.compile(r"\d{5}(\.\d+)?")
SERIAL_RANGE = (25569, 73051)  # 1970-01-01 .. 2099-12-31


def excel_serial(day: Any, date_format: str = "") -> datetime | None:
    """The moment an Excel serial date cell stands for (days and a fraction of a day), or None."""
    if date_format.strip() or isinstance(day, bool):
        return None
    if isinstance(day, int | float):
        number = float(day)
    elif isinstance(day, str) and _SERIAL.fullmatch(day.strip()):
        number = float(day.strip())
    else:
        return None
    if not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        return None
    moment = EXCEL_EPOCH + timedelta(days=number)
    return moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1e6))


def parse_when(
    day: Any,
    clock: Any,
    day_col: str,
    *,
    date_format: str = "",
    time_format: str = "",
    period: Period | None = None,
) -> datetime:
    """The moment of a line from its date cell and optional time cell; RowError listing accepted formats."""
    if isinstance(day, datetime):
        base = day
    elif isinstance(day, date):
        base = datetime.combine(day, time())
    elif (serial := excel_serial(day, date_format)) is not None:
        base = serial
    else:
        # Full-width digits and punctuation ('２０２４－０６－０３') read as their ASCII forms.
        text = unicodedata.normalize("NFKC", clean(day))
        if not text:
            raise RowError(f"“{day_col}”为空")
        parsed: datetime | None = None
        if date_format.strip():
            pattern = unicodedata.normalize("NFKC", date_format.strip())
            parsed = _with_pattern(text, strptime_pattern(pattern), period, day_col, day)
            accepted = date_format.strip()
        else:
            parsed = _automatic(text)
            if parsed is None:
                parsed = _iso_with_offset(text)
            accepted = AUTO_NAMES + "；其他格式请在版式的“日期格式”中填写"
        if parsed is None:
            raise RowError(f"“{day_col}”不是有效日期：{day!r}（可识别的格式：{accepted}）")
        base = parsed
    if isinstance(clock, time):
        return datetime.combine(base.date(), clock)
    if isinstance(clock, datetime):
        return datetime.combine(base.date(), clock.time())
    if clean(clock):
        parsed_time = parse_clock(clock, time_format)
        if parsed_time is None:
            names = time_format.strip() or "、".join(TIME_CHOICES)
            raise RowError(f"交易时间无效：{clock!r}（可识别的格式：{names}）")
        return datetime.combine(base.date(), parsed_time)
    return base


def parse_clock(value: Any, time_format: str = "") -> time | None:
    """The time of day a time cell holds, by the layout's pattern or the automatic forms; None when it
    does not read. A number of up to six digits is HHmmss with its leading zeros lost (Excel keeps
    09:30:15 as 93015 and 00:05:12 as 512), read only where HHmmss is meant (no pattern, or HHmmss);
    four digits with a leading zero kept ('0930') are hours and minutes."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    t = unicodedata.normalize("NFKC", clean(value))
    pattern = unicodedata.normalize("NFKC", time_format.strip())
    formats = (strptime_pattern(pattern),) if pattern else TIME_FORMATS
    if t.isascii() and t.isdigit() and len(t) < 6 and "%H%M%S" in formats:
        # '0930' kept its leading zero, so it lost none: hours and minutes (HHmm)
        t = t + "00" if len(t) == 4 and t[0] == "0" else t.zfill(6)
    for fmt in formats:
        try:
            return datetime.strptime(t, fmt).time()
        except (ValueError, re.error):
            continue
    return None
