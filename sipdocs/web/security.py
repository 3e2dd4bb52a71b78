"""Access, CSRF and response headers for a server that holds children's data.

* **Access token.** The server has one secret token (``SIPDOCS_TOKEN``, or a random one
  printed at start). A browser opens ``/?token=…`` once; the token is exchanged for a
  session cookie (``HttpOnly; SameSite=Strict; Path=/``) and the browser is redirected
  to the same path without the token, so it is never left in the address bar, the
  history or a log. The cookie's value is an HMAC of the token, so sessions survive a
  restart and all end when the token changes. The JSON API takes the token itself as
  ``Authorization: Bearer …``. Comparisons are constant-time.
* **CSRF.** Every form carries a hidden ``_csrf`` value (an HMAC of the token, tied to
  nothing a third-party site can read), checked on every POST; SameSite=Strict cookies
  and an ``Origin`` check are a second and third line.
* **Headers** on every response: a strict Content-Security-Policy (``default-src 'self'``,
  no inline script or style, no framing), ``X-Frame-Options: DENY``,
  ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` and
  ``Cache-Control: no-store`` (pages and files hold personal data).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from typing import Any

__all__ = ["Auth", "SECURITY_HEADERS", "SESSION_COOKIE", "new_token", "is_loopback"]

SESSION_COOKIE = "sipdocs_session"
UI_COOKIE = "sipdocs_ui"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
       "object-src 'none'")

SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Auth:
    """Derives the session cookie and CSRF values from the access token and checks them."""

    def __init__(self, token: str) -> None:
        self._key = token.encode("utf-8")
        self.session_value = self._mac("session-v1")
        self.csrf_value = self._mac("csrf-v1")

    def _mac(self, purpose: str) -> str:
        return hmac.new(self._key, purpose.encode(), hashlib.sha256).hexdigest()

    def token_ok(self, candidate: str | None) -> bool:
        return bool(candidate) and hmac.compare_digest(candidate.encode("utf-8"), self._key)  # type: ignore[union-attr]

    def session_ok(self, cookie: str | None) -> bool:
        return bool(cookie) and hmac.compare_digest(str(cookie), self.session_value)

    def csrf_ok(self, value: Any) -> bool:
        return isinstance(value, str) and hmac.compare_digest(value, self.csrf_value)

    def bearer_ok(self, header: str | None) -> bool:
        if not header or not header.lower().startswith("bearer "):
            return False
        return self.token_ok(header[7:].strip())
