"""Speed is always a ratio to the reference, measured in the same run.

The machine is shared and noisy, so a submission earns full speed credit at
half the reference's throughput and loses it only gradually below that.
"""

from __future__ import annotations

import statistics
import time
from typing import Callable

from reference import Target

from ..check import Check

SPEED = Target(
    metric="speed_ratio", floor=0.05, target=0.5, variant="any",
    source="grading policy (not a measurement): throughput divided by the reference's, both timed by the "
           "grading process in the same run; full credit at >= 0.5x, none at <= 0.05x",
)


def median_seconds(call: Callable[[], object], rounds: int = 3) -> float:
    """Median wall time of `call` over `rounds` runs after one warm-up run."""
    call()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def grade_speed(check: Check, what: str, seconds: float, reference_seconds: float) -> float:
    """ratio = reference time / submission time for the same work (> 1: faster than the reference)."""
    ratio = reference_seconds / max(seconds, 1e-9)
    check.add(speed={"seconds": seconds, "reference_seconds": reference_seconds, "ratio": ratio})
    return check.judge("speed_ratio", ratio, SPEED, what=f"{what} speed relative to the reference")
