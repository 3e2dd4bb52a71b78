"""``sipdocs serve``: start uvicorn with the web app, print the sign-in link, open a browser.

Binds 127.0.0.1 unless told otherwise, and refuses any other address unless an access
token was set (``SIPDOCS_TOKEN``): a random token printed on a shared machine's console
is not a protection for a server other machines can reach. uvicorn's own access log is
off (it prints query strings, where the token travels once); :class:`~.app.AccessLog`
writes one line per request without them.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import webbrowser
from pathlib import Path
from typing import TextIO

import click
import uvicorn

from .app import Config, create_app, default_data_dir
from .security import is_loopback, new_token

__all__ = ["run"]


def run(*, host: str = "127.0.0.1", port: int = 8765, data_dir: str | None = None, open_browser: bool = True,
        workers: int | None = None, retention_days: int | None = None, lang: str = "sv",
        token: str | None = None, out: TextIO = sys.stdout, fast_paths: bool = True) -> None:
    """Run the server until interrupted (``fast_paths``: see :class:`sipdocs.RenderOptions`)."""
    en = lang.startswith("en")
    if not is_loopback(host) and not token:
        raise click.UsageError(
            "Set SIPDOCS_TOKEN to listen on an address other than loopback (127.0.0.1)." if en else
            "Sätt SIPDOCS_TOKEN för att lyssna på en annan adress än loopback (127.0.0.1).")
    token = token or new_token()
    n_workers = workers or max(1, min(2, os.cpu_count() or 1))
    config = Config(token=token, data_dir=Path(data_dir) if data_dir else default_data_dir(), workers=n_workers,
                    retention_days=retention_days, ui_lang="en" if en else "sv", fast_paths=fast_paths)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    app = create_app(config)
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/"
    opening = "sipdocs web app: open " if en else "sipdocs webbapp: öppna "
    print(f"{opening}{url}?token={token}", file=out, flush=True)
    print(("Data: " if en else "Data: ") + str(config.data_dir), file=out, flush=True)
    if open_browser:
        threading.Timer(1.5, webbrowser.open, args=(f"{url}?token={token}",)).start()
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning", server_header=False,
                timeout_graceful_shutdown=5)
