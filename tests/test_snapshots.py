"""Page snapshots: every page of every sample (six kinds × national sv and en, stockholm sv,
dalarna sv), as sipdocs' PDF and as LibreOffice lays out the Word file, compared with the
committed images ``tests/snapshots/<pack>-<lang>/<kind>/<pdf|docx>/page-NN.png``.

``make snapshots`` writes them anew (``SIPDOCS_SNAPSHOTS=update``); a changed page fails this test
until its new image is committed — look at every changed page first: the snapshots are what a
reviewer reads.

The images are 50 dpi with 16 grey levels (4-bit PNG, about 12 KB a page). A pixel has changed
when it differs by 3 grey levels or more (51 of 255), and a page has changed when 8 or more
pixels have: rendering is deterministic (sipdocs' PDFs are byte-identical from run to run, and
LibreOffice's pages were pixel-identical over two runs with separate profiles), so the tolerance
only absorbs faint anti-aliasing noise, while one changed letter in a sentence changes about 20
pixels, a moved line or a dropped table row thousands. A different page count fails too.
On failure the expected, actual and diff images are written to ``out/snapshots-failed/``.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from .conftest import REPO
from .docs import docx_text, pdf_text
from .matrix import SAMPLE_CELLS, Cell, variant_id
from .pages import page_images

SNAPSHOTS = REPO / "tests" / "snapshots"
FAILED = REPO / "out" / "snapshots-failed"
DPI = 50
LEVELS = 16  # grey levels kept
CHANGED_LEVEL = 51  # a pixel differing by this much (3 levels of 16) has changed
CHANGED_PIXELS = 8  # a page with this many changed pixels has changed
UPDATE = os.environ.get("SIPDOCS_SNAPSHOTS") == "update"
FORMATS = ("pdf", "docx")


def quantised(image):
    """An 8-bit grey image reduced to ``LEVELS`` evenly spaced grey values."""
    step = 255 // (LEVELS - 1)
    return image.point(lambda v: round(v / step) * step)


def save_png(image, path: Path) -> None:
    """A quantised grey image as a 4-bit palette PNG (half the size of an 8-bit grey one)."""
    step = 255 // (LEVELS - 1)
    indexed = image.point(lambda v: round(v / step)).convert("P")
    indexed.putpalette([level * step for level in range(LEVELS) for _ in range(3)])
    path.parent.mkdir(parents=True, exist_ok=True)
    indexed.save(path, "PNG", optimize=True, bits=4)


def load_png(path: Path):
    from PIL import Image

    with Image.open(path) as image:
        return image.convert("L")


def changes(expected, actual) -> tuple[int, tuple[int, int, int, int] | None, object]:
    """(changed pixels, their bounding box, a mask of them) between two grey images."""
    from PIL import Image, ImageChops

    if expected.size != actual.size:
        mask = Image.new("L", actual.size, 255)
        return actual.size[0] * actual.size[1], (0, 0, *actual.size), mask
    diff = ImageChops.difference(expected, actual)
    count = sum(diff.histogram()[CHANGED_LEVEL:])
    mask = diff.point(lambda v: 255 if v >= CHANGED_LEVEL else 0)
    return count, mask.getbbox(), mask


def diff_image(expected, actual, mask):
    """The reference faded, with the changed pixels in red."""
    from PIL import Image

    base = expected if expected.size == actual.size else actual
    faded = Image.blend(base.convert("RGB"), Image.new("RGB", base.size, "white"), 0.7)
    return Image.composite(Image.new("RGB", base.size, (220, 0, 0)), faded, mask)


def snapshot_id(cell: Cell, fmt: str) -> str:
    return f"{variant_id(cell.pack, cell.lang)}/{cell.kind}/{fmt}"


PARAMS = [(cell, fmt) for cell in SAMPLE_CELLS for fmt in FORMATS]


@pytest.mark.parametrize(("cell", "fmt"), PARAMS, ids=[snapshot_id(c, f) for c, f in PARAMS])
def test_pages_look_as_committed(documents, cell: Cell, fmt: str):
    name = snapshot_id(cell, fmt)
    folder, failed = SNAPSHOTS / name, FAILED / name
    shutil.rmtree(failed, ignore_errors=True)
    pages = [quantised(image) for image in page_images(documents.matrix(cell).pdf_of(fmt), DPI)]
    if UPDATE:
        shutil.rmtree(folder, ignore_errors=True)
        for number, image in enumerate(pages, start=1):
            save_png(image, folder / f"page-{number:02d}.png")
        return
    references = sorted(folder.glob("page-*.png"))
    assert references, f"{name}: no reference images in {folder.relative_to(REPO)}; run `make snapshots`"
    problems = []
    if len(references) != len(pages):
        problems.append(f"{len(pages)} pages, the references have {len(references)}")
    for number, (reference, actual) in enumerate(zip(references, pages), start=1):
        expected = load_png(reference)
        count, box, mask = changes(expected, actual)
        if count < CHANGED_PIXELS:
            continue
        save_png(expected, failed / f"page-{number:02d}-expected.png")
        save_png(actual, failed / f"page-{number:02d}-actual.png")
        failed.mkdir(parents=True, exist_ok=True)
        diff_image(expected, actual, mask).save(failed / f"page-{number:02d}-diff.png")
        share = 100 * count / (actual.size[0] * actual.size[1])
        problems.append(f"page {number} of {len(pages)}: {count} pixels changed ({share:.2f} % of the page) "
                        f"within x {box[0]}–{box[2]}, y {box[1]}–{box[3]} (pixels at {DPI} dpi)")
    for number in range(len(references) + 1, len(pages) + 1):  # pages the references lack
        save_png(pages[number - 1], failed / f"page-{number:02d}-actual.png")
    assert not problems, (
        f"{name} differs from {folder.relative_to(REPO)}:\n  " + "\n  ".join(problems)
        + (f"\nexpected, actual and diff images: {failed.relative_to(REPO)}/" if failed.exists() else "")
        + "\nIf the change is intended: `make snapshots`, look at the new pages, commit them.")


TEXTS = SNAPSHOTS / "texts.json"


def readable_text(text: str) -> str:
    """A document's text for the text snapshot: words joined again where the PDF hyphenated
    them at a line end, whitespace collapsed (line breaks move with any layout change)."""
    return " ".join(re.sub(r"-\n\s*", "", text).split())


def text_key(text: str) -> str:
    """What must stay the same: every character but whitespace and hyphens, in order (a
    compound such as "BUP-mottagningen" may lose its hyphen at a line end)."""
    return re.sub(r"[\s\-\u00ad]", "", text)


@pytest.fixture(scope="module")
def committed_texts() -> dict[str, dict[str, str]]:
    if UPDATE or not TEXTS.exists():
        return {}
    return json.loads(TEXTS.read_text(encoding="utf-8"))


_written_texts: dict[str, dict[str, str]] = {}


@pytest.mark.parametrize("cell", SAMPLE_CELLS, ids=[c.id for c in SAMPLE_CELLS])
def test_texts_are_as_committed(documents, committed_texts, cell: Cell):
    """The text of every sample document in both formats, compared with
    ``tests/snapshots/texts.json``. Its first version was written from the hand-kept templates
    before the layouts moved into the packs (issue 16): the documents built from the layouts
    say exactly what those said."""
    document = documents.matrix(cell)
    actual = {"docx": readable_text(docx_text(document.docx)), "pdf": readable_text(pdf_text(document.pdf))}
    if UPDATE:
        _written_texts[cell.id] = actual
        if len(_written_texts) == len(SAMPLE_CELLS):
            TEXTS.write_text(json.dumps(dict(sorted(_written_texts.items())), ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
        return
    assert cell.id in committed_texts, (f"{cell.id}: no committed text in {TEXTS.relative_to(REPO)}; "
                                        "run `make snapshots`")
    for fmt, text in actual.items():
        expected = committed_texts[cell.id][fmt]
        if text_key(text) != text_key(expected):
            diff = "\n".join(difflib.unified_diff(expected.split(" "), text.split(" "), "committed", "rendered",
                                                  lineterm="", n=3))
            pytest.fail(f"{cell.id} ({fmt}): the text differs from {TEXTS.relative_to(REPO)} (one word a line):\n"
                        f"{diff[:3000]}\nIf the change is intended: `make snapshots`, read it, commit it.")


def test_snapshot_set_is_small_and_complete():
    """Every sample document has references, and the set stays small."""
    if UPDATE:
        pytest.skip("the references are being written")
    folders = {snapshot_id(c, f) for c, f in PARAMS}
    present = {str(p.parent.relative_to(SNAPSHOTS)) for p in SNAPSHOTS.glob("*/*/*/page-*.png")}
    assert present == folders
    size = sum(p.stat().st_size for p in SNAPSHOTS.rglob("*.png"))
    assert size < 3_000_000, f"{size / 1e6:.1f} MB of snapshots"


def test_comparison_catches_a_changed_letter_and_ignores_faint_noise():
    """The tolerance on a real page: one letter changed is caught, anti-aliasing noise is not."""
    from PIL import ImageChops

    from sipdocs import Renderer

    from .conftest import load_sample

    renderer = Renderer()
    data = load_sample("closure")
    pages = page_images(renderer.render(data, ("pdf",))["pdf"], DPI)
    data["where_to_turn"] = data["where_to_turn"].replace("elevhälsan", "elevhälsen")
    changed = page_images(renderer.render(data, ("pdf",))["pdf"], DPI)
    counts = [changes(quantised(a), quantised(b))[0] for a, b in zip(pages, changed)]
    assert len(pages) == len(changed) and max(counts) >= CHANGED_PIXELS and sorted(counts)[0] == 0
    page = pages[0]
    noisy = ImageChops.add(page, page.point(lambda v: 20 if v % 7 == 0 else 0))  # faint, everywhere
    assert changes(quantised(page), quantised(noisy))[0] < CHANGED_PIXELS
    shifted = ImageChops.offset(page, 0, 1)  # every line one pixel lower
    assert changes(quantised(page), quantised(shifted))[0] > 1000
