"""sipdocs benchmarks: `make bench` (= `python -m bench`) runs them all in one process tree.

Each module compares sipdocs with the naive library loop on the same templates and contexts,
in the same run, and prints per-document medians, docs/s and ratios:

* `bench.word`  – naive docxtpl loop vs sipdocs' compiled Word engine (goal ≥ 10×)
* `bench.pdf`   – naive WeasyPrint loop vs sipdocs' PDF backend (goal ≥ 1.5× per core)
* `bench.bulk`  – bulk scaling 1 → 2 workers (goal ≥ 1.8×) and peak RSS 100 vs 1,000 rows (≤ 1.3×)
* `bench.cli`   – wall time of `sipdocs validate` on one file (goal ≤ 0.35 s)
"""
