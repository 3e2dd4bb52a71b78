"""Regenerates the issue-code table in README.md from ``sipdocs.messages.CATALOGUE``.

    python scripts/readme_codes.py          # rewrites the table between the markers
    python scripts/readme_codes.py --check  # exit 1 when the README table is stale (run by the tests)
"""

from __future__ import annotations

import re
import string
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

START, END = "<!-- codes:start -->", "<!-- codes:end -->"


def table() -> str:
    from sipdocs.messages import CATALOGUE

    rows = ["| Code | Rule | Meaning |", "|---|---|---|"]
    for code, message in CATALOGUE.items():
        # placeholders become "…": the real message names the field, never its value
        text = "".join(literal + ("…" if field is not None else "")
                       for literal, field, _, _ in string.Formatter().parse(message.en))
        rows.append(f"| `{code}` | {message.rule or '–'} | {text.replace('|', '/')} |")
    return "\n".join(rows)


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    new = pattern.sub(lambda _: f"{START}\n{table()}\n{END}", text)
    if "--check" in sys.argv:
        return 0 if new == text else 1
    readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
