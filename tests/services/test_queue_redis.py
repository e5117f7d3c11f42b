"""The scaled-out queue: the deadline scan task round-trips through Huey on a real Redis."""

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from zhixing.cases.models import Alert

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_huey():
    url = os.environ.get("REDIS_TEST_URL")
    if not url:
        pytest.skip("REDIS_TEST_URL not set (make test starts Redis for the PostgreSQL run)")
    from huey import RedisHuey

    huey = RedisHuey("zhixing-test", url=url, immediate=False)
    huey.flush()
    yield huey
    huey.flush()


def test_scan_task_runs_through_redis(redis_huey, people):
    from zhixing.cases.services import scan_due_nodes

    @redis_huey.task()
    def scan() -> int:
        return scan_due_nodes().red

    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        factories.case(people["clerk"])
        result = scan()
        assert redis_huey.pending_count() == 1
        task = redis_huey.dequeue()
        redis_huey.execute(task)
        assert result.get() == 1
    assert Alert.objects.filter(level=2).count() == 1
