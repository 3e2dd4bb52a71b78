"""Run every benchmark and print one results table (`make bench`)."""

from __future__ import annotations

import datetime
import importlib
import json
import os
import platform
import subprocess
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


def _run_fresh(name: str) -> dict:
    """``bench.<name>.run()`` in a fresh interpreter, so no benchmark inherits another's heap
    (a larger heap makes the naive loops' garbage collections dearer, which flatters sipdocs)."""
    code = f"import json, sys; from bench import {name}; json.dump({name}.run(), sys.stdout, default=str)"
    out = subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.PIPE,
                         cwd=Path(__file__).resolve().parent.parent)
    return json.loads(out.stdout)


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
        result = _run_fresh(name)
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
