"""``sipdocs serve``: the web app for conveners and the JSON API.

Kept light: the web server's packages (Starlette, uvicorn) are imported only when
``serve`` runs, so ``sipdocs --help`` and ``sipdocs validate`` never load them.
"""

from __future__ import annotations

import os
import sys

import click

from .common import fast_paths_option, messages_option, say, state

__all__ = ["serve"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs SIPDOCS_TOKEN.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option("--data", "data_dir", default=None, type=click.Path(file_okay=False),
              help="Folder for the case database (default: the user's data folder).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser window.")
@click.option("--workers", default=None, type=click.IntRange(1, 16),
              help="Render worker processes (default: 2, at most the number of cores).")
@click.option("--retention-days", default=None, type=click.IntRange(1, 36500),
              envvar="SIPDOCS_RETENTION_DAYS",
              help="Delete closed cases this many days after they were closed.")
@fast_paths_option
@messages_option
def serve(host: str, port: int, data_dir: str | None, no_browser: bool, workers: int | None,
          retention_days: int | None, fast_paths: bool) -> None:
    """Run the web app for conveners and the JSON API (needs: pip install 'sipdocs[web]').

    The message language (--messages) is also the app's default language."""
    lang = state().messages
    try:
        from ..web.server import run  # start-up: the web app (Starlette, uvicorn: the [web] extra) loads only to serve
    except ImportError as exc:  # the optional extra is missing
        raise click.UsageError(say(lang, "cli.web_extra_missing")) from exc
    run(host=host, port=port, data_dir=data_dir, open_browser=not no_browser, workers=workers,
        retention_days=retention_days, lang=lang, token=os.environ.get("SIPDOCS_TOKEN") or None,
        out=sys.stdout, fast_paths=fast_paths)
