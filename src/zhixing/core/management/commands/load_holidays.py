"""`manage.py load_holidays 2027 file.csv`: load a year chinese-calendar does not know."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhixing.core.holidays import HolidayTableError, load_year, parse_holiday_csv


class Command(BaseCommand):
    help = "载入某年度的法定节假日与调休安排（CSV：日期,休/班,名称）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("csv_file", type=Path)
        parser.add_argument("--source", default="", help="国务院办公厅通知文号")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = parse_holiday_csv(options["csv_file"].read_text(encoding="utf-8-sig"), options["year"])
        except (OSError, HolidayTableError) as exc:
            raise CommandError(str(exc)) from exc
        load_year(None, options["year"], rows, options["source"])
        self.stdout.write(self.style.SUCCESS(f"已载入{options['year']}年节假日{len(rows)}条"))
