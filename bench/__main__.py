"""Run every benchmark and print one results table (`make bench`)."""

from __future__ import annotations

import datetime
import importlib
import json
import os
import platform
import sys
from pathlib import Path


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu or platform.processor()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> int:
    print(f"sipdocs benchmarks — {datetime.date.today().isoformat()} — {machine()}\n")
    results = {}
    for name in ("cli", "word", "pdf", "bulk"):
        try:
            module = importlib.import_module(f"bench.{name}")
        except ImportError as exc:
            print(f"[{name}] not available: {exc}")
            continue
        print(f"== {name} ==", flush=True)
        result = module.run()
        results[name] = result
        report = getattr(module, "report", None)
        print(report(result) if report else json.dumps(result, indent=2, default=str), flush=True)
        print()
    out = Path("bench/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps({"date": datetime.date.today().isoformat(),
                                                  "machine": machine(), "results": results},
                                                 indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
