"""Wall time of `sipdocs validate FILE` in a fresh process (start-up included)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "plan.json"


def run(repeats: int = 10) -> dict:
    cmd = [sys.executable, "-m", "sipdocs", "validate", str(SAMPLE)]
    subprocess.run(cmd, capture_output=True, check=True)  # warm the OS file cache
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return {"name": "sipdocs validate (1 file, fresh process)", "median_s": statistics.median(times),
            "min_s": min(times), "goal_s": 0.35, "ok": statistics.median(times) <= 0.35}


if __name__ == "__main__":
    r = run()
    print(f"{r['name']}: median {r['median_s']*1000:.0f} ms, min {r['min_s']*1000:.0f} ms "
          f"(goal ≤ {r['goal_s']*1000:.0f} ms) {'OK' if r['ok'] else 'MISSED'}")
