"""A simulated parking operator (停车场运营方): its cameras read plates and it streams them to the platform.

It speaks to the platform as a real operator does: `POST {platform}/api/v1/command/plate-reads` with its key
in `X-Partner-Key` and a batch `{"reads": [{"read_id", "plate", "seen_at", "car_park", "camera"}]}`.
The platform is `ZHIXING_PLATFORM_URL` (set by the launcher); the key is `ZHIXING_SANDBOX_PARKING_KEY`
(default: the demo operator's published key, `command_demo_field.DEMO_KEY`).

- `POST /_sandbox/parking/drive {"plate", "car_park"?, "misread"?}`: a car drives into a car park now; the
  read (optionally misread with one OCR look-alike) is sent and the platform's answer returned.
- `traffic(n)`: random passing cars (background traffic for a script; the sandbox sends none by itself).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import random
import urllib.request
from datetime import datetime, timedelta, timezone
from typing import Any

log = logging.getLogger(__name__)

DEMO_KEY = "zxp_demo-parking-sandbox-2026"
CAR_PARKS = ("P01", "P02", "P03")
_LOOKALIKE = {
    "0": "D",
    "D": "0",
    "8": "B",
    "B": "8",
    "1": "I",
    "5": "S",
    "S": "5",
    "2": "Z",
    "Z": "2",
    "6": "G",
}
_seq = itertools.count(1)
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def platform_url() -> str:
    return os.environ.get("ZHIXING_PLATFORM_URL", "http://127.0.0.1:8000").rstrip("/")


def key() -> str:
    return os.environ.get("ZHIXING_SANDBOX_PARKING_KEY", DEMO_KEY)


def misread(plate: str) -> str:
    """The plate with its first look-alike character swapped, as a camera might read it."""
    for i, c in enumerate(plate[1:], start=1):
        if c in _LOOKALIKE:
            return plate[:i] + _LOOKALIKE[c] + plate[i + 1 :]
    return plate


def read(plate: str, car_park: str = "P01", camera: str = "入口1") -> dict[str, str]:
    now = datetime.now(timezone(timedelta(hours=8)))
    return {
        "read_id": f"sbx-{now:%Y%m%d%H%M%S}-{next(_seq)}",
        "plate": plate,
        "seen_at": now.isoformat(timespec="seconds"),
        "car_park": car_park,
        "camera": camera,
    }


def send(reads: list[dict[str, str]]) -> tuple[int, Any]:
    """POST a batch to the platform (runs in a thread); (HTTP status, answer)."""
    body = json.dumps({"reads": reads}, ensure_ascii=False).encode()
    req = urllib.request.Request(  # noqa: S310
        platform_url() + "/api/v1/command/plate-reads",
        data=body,
        headers={"Content-Type": "application/json", "X-Partner-Key": key()},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
    except Exception as exc:  # the platform may be down: the operator's next batch carries on
        log.warning("sandbox parking reads to %s failed: %s", platform_url(), exc)
        return 0, {"error": str(exc)}


def drive(data: dict[str, Any]) -> tuple[int, Any]:
    plate = str(data.get("plate", ""))
    if data.get("misread"):
        plate = misread(plate)
    return send([read(plate, str(data.get("car_park") or "P01"))])


def traffic(n: int = 20, rng: random.Random | None = None) -> list[dict[str, str]]:
    """Random passing cars (Guangzhou plates), for background traffic."""
    rng = rng or random.Random()
    return [
        read("粤A" + "".join(rng.choice(_LETTERS + "0123456789") for _ in range(5)), rng.choice(CAR_PARKS))
        for _ in range(n)
    ]
