"""Build the consent form's field font: DejaVu Sans cut down to the Windows-1252 (WinAnsi) characters.

Why a font of its own: a PDF form field names its font in ``/DA`` and the font lives in the
AcroForm's ``/DR``. Programs that fill in a form (pdftk, pypdf, MuPDF, Acrobat) draw the typed
text with that font, and most of them can only encode text for a *simple* font with a standard
encoding. The document's own fonts are Identity-H composite subsets holding only the glyphs the
document uses, so a filled-in "Åsa" came out as ``.notdef`` boxes, ``?`` or an unembedded
Helvetica. This font covers every WinAnsi character (å ä ö é ü, € and the typographic quotes
among them), is small (about 20 KB), and is embedded as a simple TrueType font with
``/WinAnsiEncoding`` (see ``sipdocs/backends/pdf_fonts.py``).

The font is committed (``forms/national/assets/fonts/SIPFormSans.ttf``) so that every machine
embeds the same bytes; run this script only when the source font changes::

    .venv/bin/python scripts/build_form_font.py

Licence: DejaVu Sans is under the Bitstream Vera licence, which allows modified fonts when they
are renamed to names without "Bitstream" or "Vera"; the cut-down font is named "SIP Form Sans"
and keeps the copyright notices (LICENSE-DejaVu.txt beside it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "forms" / "national" / "assets" / "fonts"
SOURCE = FONTS / "DejaVuSans.ttf"
TARGET = FONTS / "SIPFormSans.ttf"
FAMILY = "SIP Form Sans"
POSTSCRIPT_NAME = "SIPFormSans"


def winansi_characters() -> list[int]:
    """The Unicode code points of the 218 characters Windows-1252 encodes (0x20–0xFF)."""
    points = []
    for code in range(0x20, 0x100):
        try:
            points.append(ord(bytes([code]).decode("cp1252")))
        except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D are unassigned
            continue
    return points


def build(source: Path = SOURCE, target: Path = TARGET) -> Path:
    font = TTFont(source)
    options = subset.Options()
    options.hinting = False           # filled-in text is shown at form-field sizes; halves the size
    options.layout_features = []      # fillers place glyphs one by one: no layout tables
    options.drop_tables += ["GDEF", "GPOS", "GSUB", "MATH", "gasp", "FFTM"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # copyright, names, version, licence
    options.notdef_outline = True
    options.glyph_names = True        # a post table with names: WinAnsi glyph names resolve
    options.recalc_timestamp = False  # the same bytes on every run
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=winansi_characters())
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = FAMILY
        elif record.nameID == 3:
            record.string = f"{POSTSCRIPT_NAME} (subset of DejaVu Sans, WinAnsi)"
        elif record.nameID == 6:
            record.string = POSTSCRIPT_NAME
    font["head"].modified = font["head"].created  # deterministic
    font.save(target, reorderTables=True)
    return target


if __name__ == "__main__":
    path = build(*(Path(a) for a in sys.argv[1:3]))
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {path.stat().st_size} bytes")
