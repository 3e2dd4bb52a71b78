"""QR codes for evaluation links: PNG, error correction M, 4-module quiet zone.

The ``qrcode`` package never emits Micro QR (which many phone scanners cannot read).
Generation is cached per payload for the life of the process: one QR per distinct URL
per run, however many documents print it.
"""

from __future__ import annotations

import io
from functools import lru_cache

from .images import Image

QR_WIDTH_MM = 24.0


@lru_cache(maxsize=4096)
def qr_png(payload: str) -> bytes:
    """PNG bytes of a QR code for ``payload`` (cached)."""
    import qrcode  # start-up: qrcode and Pillow (~20 ms) load only when a QR code is drawn
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(payload)
    code.make(fit=True)
    img = code.make_image(fill_color="black", back_color="white")
    buf = io.BytesIO()
    # A 1-bit greyscale PNG without gamma/iCCP chunks: small and PDF/A-friendly.
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def qr_image(payload: str, alt: str, width_mm: float = QR_WIDTH_MM) -> Image:
    return Image(qr_png(payload), alt, width_mm)
