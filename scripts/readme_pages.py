"""The README's page pictures: the first page of each sample document as a small PNG.

    python scripts/readme_pages.py          # writes samples/pages/<kind>.png

Rendered from samples/*.json with the national pack (PDF, through poppler's pdftoppm) and
reduced to 48 colours, so the pictures stay small in the repository.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "samples" / "pages"
KINDS = ("invitation", "consent", "plan", "followup", "closure", "intake_note")
DPI = 60


def first_page_png(pdf: bytes, dpi: int = DPI) -> bytes:
    """Page 1 of a PDF as a small PNG."""
    ppm = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-"],
                         input=pdf, capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(ppm)).convert("RGB").quantize(48)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def main(out: Path = OUT) -> None:
    from sipdocs import Renderer

    out.mkdir(parents=True, exist_ok=True)
    renderer = Renderer()
    for kind in KINDS:
        data = json.loads((ROOT / "samples" / f"{kind}.json").read_text(encoding="utf-8"))
        pdf = renderer.render(data, ("pdf",))["pdf"]
        path = out / f"{kind}.png"
        path.write_bytes(first_page_png(pdf))
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
