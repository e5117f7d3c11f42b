"""False hits of the vehicle watch's matcher on realistic synthetic traffic (issue 21, ADR 0027).

Run:  .venv/bin/python benchmarks/bench_plate_precision.py --plates 100000 1000000

Pure `plate_rules`, no server. N watched random 粤 plates; 200,000 reads of which 98.9 % are correct
plates of unwatched cars, 1 % unwatched cars misread with one look-alike, 0.1 % watched cars (half read
exactly, half with one look-alike). Printed per N: false alerts per read (a read of an unwatched car that
raises an alert) with the old rule (every look-alike within the threshold alerts) and the new one (the
list's tolerance for the configured false-hit budget), possible sightings per read, the list's predicted
false-hit rate, and the watched cars caught as alerts / as possible sightings.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from zhixing.command import plate_rules as pr

LETTERS = pr.PLATE_LETTERS
ALNUM = pr.PLATE_ALNUM


def plate(rng: random.Random) -> str:
    return "粤" + rng.choice(LETTERS) + "".join(rng.choice(ALNUM) for _ in range(5))


def misread(p: str, rng: random.Random) -> str:
    """One look-alike substitution at a random confusable position (the plate itself if none)."""
    groups = {c: g for g in pr.CONFUSIONS for c in g}
    spots = [i for i in range(1, len(p)) if p[i] in groups]
    if not spots:
        return p
    i = rng.choice(spots)
    return p[:i] + rng.choice([c for c in groups[p[i]] if c != p[i]]) + p[i + 1 :]


def traffic(rng: random.Random, watched: list[str], watched_set: set[str], n: int) -> list[tuple[str, bool]]:
    """(read, is a watched car) pairs: see the module docstring."""
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.001:
            w = rng.choice(watched)
            out.append((w if rng.random() < 0.5 else misread(w, rng), True))
            continue
        p = plate(rng)
        while p in watched_set:
            p = plate(rng)
        out.append((misread(p, rng) if r < 0.011 else p, False))
    return out


def measure(n: int, reads: int, seed: int, budget: float) -> dict[str, float]:
    rng = random.Random(seed)
    watched_set: set[str] = set()
    while len(watched_set) < n:
        watched_set.add(plate(rng))
    watched = sorted(watched_set)
    t = time.perf_counter()
    w = pr.Watchlist(enumerate(watched))
    build = time.perf_counter() - t
    tol = w.tolerance(budget)
    stream = traffic(rng, watched, watched_set, reads)
    old = new = possible = caught = caught_possible = planted = 0
    t = time.perf_counter()
    for read, is_watched in stream:
        m = w.match(read, pr.DEFAULT_THRESHOLD, tol)
        planted += is_watched
        if m is None:
            continue
        if is_watched:
            caught += m.alerts
            caught_possible += not m.alerts
        else:
            old += 1  # before: every match within the threshold alerted
            new += m.alerts
            possible += not m.alerts
    match_s = time.perf_counter() - t
    return {
        "n": n,
        "tolerance": tol,
        "predicted": w.false_hit_rate(pr.MAX_CONFUSIONS),
        "predicted_new": w.false_hit_rate(tol),
        "old": old / reads,
        "new": new / reads,
        "possible": possible / reads,
        "planted": planted,
        "caught": caught,
        "caught_possible": caught_possible,
        "build_s": build,
        "match_us": match_s / reads * 1e6,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plates", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--reads", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--budget", type=float, default=pr.DEFAULT_FALSE_HIT_BUDGET)
    opts = ap.parse_args()
    print(f"budget {opts.budget:g} false alerts per read; {opts.reads:,} reads per size")
    for n in opts.plates:
        r = measure(n, opts.reads, opts.seed, opts.budget)
        print(
            f"{n:>9,} watched: tolerance {r['tolerance']} look-alikes; false alerts per read "
            f"before {r['old']:.2e} (predicted {r['predicted']:.2e}) → after {r['new']:.2e} "
            f"(predicted {r['predicted_new']:.2e}); possible sightings {r['possible']:.2e} per read; "
            f"watched cars {r['planted']}: {r['caught']} alerts + {r['caught_possible']} possible; "
            f"build {r['build_s']:.1f} s, match {r['match_us']:.2f} µs/read"
        )


if __name__ == "__main__":
    main()
