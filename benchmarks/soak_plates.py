"""The soak's alert workload (benchmarks/cluster_soak.py): a parking operator's plate reads, whose reads of
watched plates raise command-center alerts, checked exactly once afterwards.

The operator and its car park are made at start (`Soak.provision`: `command.plate_operators.create_operator`,
its key shown once). One thread sends batches of 12 reads (`POST /api/v1/command/plate-reads` with
`X-Partner-Key`, the plate ingest in front of Django): every third read is a watched plate of the demo
(vehicles the register has seized), the others plates nobody watches; read ids are the operator's own,
unique per read. Every fourth batch is sent again as it was (an operator re-sending after a lost
answer), and a batch the client had to retry after a 5xx or a dropped connection (the killed worker,
the Redis restart) is the same replay made under the faults.

Check, once settled: every read of a watched plate in a batch that was answered has exactly one hit
(`command_platehit`, by operator and read id) with its alert (source `plate:<operator>:<read id>`), the
alert has one `raise` step and one `command.alert.raise` audit record, and the alert the answer named is
the one stored; no read of an unwatched plate has a hit; a replayed batch raised nothing new (its
answer counted every read as a duplicate). A batch whose every attempt failed may have been stored,
once.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import requests
from soak_workloads import Soak, Workload

BATCH = 12
SHANGHAI = timezone(timedelta(hours=8))


@dataclass
class PlateReads(Workload):
    answered: dict[str, bool] = field(default_factory=dict)  # read id → a watched plate
    given_up: dict[str, bool] = field(default_factory=dict)
    named: dict[str, int] = field(default_factory=dict)  # read id → the alert its answer named
    replays: int = 0
    replay_raised: int = 0
    seq: Any = field(default_factory=itertools.count)

    def prepare(self, soak: Soak) -> None:
        self.operator, key = soak.credentials["operator"]
        self.headers = {"X-Partner-Key": key}
        self.watched = [
            r[0] for r in soak.sql("SELECT plate FROM command_watchedplate WHERE active ORDER BY id")
        ]
        assert self.watched, "no watched plate in the demo (command_demo_field syncs the seized vehicles)"

    def batch(self, soak: Soak, i: int) -> tuple[list[dict[str, str]], dict[str, bool]]:
        seen = datetime.now(SHANGHAI).isoformat(timespec="seconds")
        reads, kinds = [], {}
        for j in range(BATCH):
            n = i * BATCH + j
            watched = j % 3 == 0
            # Unwatched plates carry another province's prefix: no look-alike of a Guangdong plate.
            plate = self.watched[n % len(self.watched)] if watched else f"京A{10000 + n % 89999:05d}"
            read_id = f"{soak.tag}-r{n}"
            reads.append(
                {"read_id": read_id, "plate": plate, "seen_at": seen, "car_park": "S1", "camera": "入口1"}
            )
            kinds[read_id] = watched
        return reads, kinds

    def send(self, soak: Soak, reads: list[dict[str, str]]) -> requests.Response | None:
        return soak.record.call(
            "plate reads (batch)",
            lambda: requests.post(
                f"{soak.base}/api/v1/command/plate-reads",
                json={"reads": reads},
                headers=self.headers,
                timeout=60,
            ),
        )

    def loop(self, soak: Soak) -> None:
        while not soak.stop.is_set():
            i = next(self.seq)
            reads, kinds = self.batch(soak, i)
            answer = self.send(soak, reads)
            if answer is None or answer.status_code != 200:
                with self.lock:
                    self.given_up.update(kinds)
                if answer is not None:
                    self.odd("plate reads", answer)
                continue
            body = answer.json()
            with self.lock:
                self.answered.update(kinds)
                self.named.update({h["read_id"]: h["alert_id"] for h in body["hits"]})
                if body["rejected"] or body["possible"]:
                    self.unexpected.append(f"plate reads: {body['errors'][:2]} {body['possible'][:2]}")
            if i % 4 == 3:  # the operator re-sends the batch: nothing new may be raised
                again = self.send(soak, reads)
                if again is not None and again.status_code == 200:
                    with self.lock:
                        self.replays += 1
                        self.replay_raised += len(again.json()["hits"])
            soak.stop.wait(0.2)

    def check(self, soak: Soak) -> list[str]:
        problems = self.unexpected_problems("plate reads")
        prefix = f"{soak.tag}-r%"
        hits = {
            r[0]: (r[1], r[2])
            for r in soak.sql(
                "SELECT read_id, count(*), max(alert_id) FROM command_platehit WHERE operator_id = %s "
                "AND read_id LIKE %s GROUP BY 1",
                (self.operator, prefix),
            )
        }
        alerts = {
            r[0]: r[1:]
            for r in soak.sql(
                "SELECT a.source_key, a.id, "
                "(SELECT count(*) FROM command_alertstep s WHERE s.alert_id = a.id AND s.action = 'raise'), "
                "(SELECT count(*) FROM core_auditrecord x WHERE x.action = 'command.alert.raise' "
                "AND x.object_type = 'command.alert' AND x.object_id = a.id::text) "
                "FROM command_alert a WHERE a.source_key LIKE %s",
                (f"plate:{self.operator}:{prefix}",),
            )
        }
        watched = [r for r, w in self.answered.items() if w]
        self.alerts = len(alerts)
        for read_id in watched:
            hit = hits.get(read_id)
            alert = alerts.get(f"plate:{self.operator}:{read_id}")
            if hit is None or hit[0] != 1 or alert is None or hit[1] != alert[0]:
                problems.append(
                    f"plate reads: read {read_id} has hits {hit} and alert {alert}, want one each"
                )
            elif alert[1] != 1 or alert[2] != 1:
                problems.append(
                    f"plate reads: alert {alert[0]} has {alert[1]} raise steps, {alert[2]} records"
                )
            elif read_id in self.named and self.named[read_id] != alert[0]:
                problems.append(
                    f"plate reads: read {read_id} answered alert {self.named[read_id]}, stored {alert[0]}"
                )
            if len(problems) > 8:
                break
        unwatched = [r for r in hits if not (self.answered | self.given_up).get(r, False)]
        if unwatched:
            problems.append(
                f"plate reads: {len(unwatched)} reads of unwatched plates hit, e.g. {unwatched[:3]}"
            )
        stray = set(alerts) - {
            f"plate:{self.operator}:{r}" for r, w in (self.answered | self.given_up).items() if w
        }
        if stray:
            problems.append(f"plate reads: {len(stray)} alerts of no read, e.g. {sorted(stray)[:3]}")
        if self.replay_raised:
            problems.append(f"plate reads: replayed batches raised {self.replay_raised} alerts again")
        return problems

    def summary(self, soak: Soak) -> str:
        watched = sum(self.answered.values())
        return (
            f"plate reads answered {len(self.answered)} ({watched} of watched plates); alerts {self.alerts}, "
            f"each once; batches replayed {self.replays}, alerts raised by replays {self.replay_raised}; "
            f"reads given up {len(self.given_up)}"
        )
