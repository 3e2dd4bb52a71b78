"""What a server's routes share: its settings (:class:`Config`) and state (:class:`State`: auth,
the case store, the render pool), and where the app's files are (:data:`HERE`).

Kept apart from :mod:`.app`, which assembles the routes, so that the route modules can use it
without importing the app back.
"""

from __future__ import annotations

import os
import sys
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from .security import Auth
from .store import Store
from .workers import RenderPool

__all__ = ["HERE", "Config", "State", "default_data_dir"]

HERE = Path(__file__).parent


def default_data_dir() -> Path:
    """The user's data folder: ``$XDG_DATA_HOME/sipdocs``, ``~/Library/Application Support/sipdocs``
    or ``%APPDATA%``."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "sipdocs"


@dataclass
class Config:
    """Settings of one server.

    :param token: the access token (``SIPDOCS_TOKEN`` or random).
    :param data_dir: folder of ``sipdocs.sqlite3``.
    :param workers: render worker processes.
    :param retention_days: delete closed cases this many days after closing (``None``: keep).
    :param max_body: the largest request body accepted (bytes).
    :param max_upload: the largest uploaded input file (bytes).
    :param render_timeout: seconds one render may take.
    :param ui_lang: default UI language.
    :param fast_paths: False renders without the speed-ups that reach into library internals
        (``sipdocs serve --no-fast-paths``, :class:`sipdocs.RenderOptions`).
    """

    token: str
    data_dir: Path = field(default_factory=default_data_dir)
    workers: int = 2
    retention_days: int | None = None
    max_body: int = 2 * 1024 * 1024
    max_upload: int = 1024 * 1024
    render_timeout: float = 60.0
    ui_lang: str = "sv"
    fast_paths: bool = True


class State:
    """What the routes share: config, auth, store and the render pool."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.auth = Auth(config.token)
        self.store = Store(Path(config.data_dir) / "sipdocs.sqlite3")
        self.pool = RenderPool(config.workers, config.render_timeout, fast_paths=config.fast_paths)
        # the last few rendered files by (case, kind, version, format): a preview followed by a
        # download of the same version renders once. Bounded; the same data is in the database.
        self.files: OrderedDict[tuple[str, str, int, str], tuple[bytes, str, str]] = OrderedDict()

    def remember(self, key: tuple[str, str, int, str], value: tuple[bytes, str, str]) -> None:
        self.files[key] = value
        self.files.move_to_end(key)
        while len(self.files) > 32 or sum(len(v[0]) for v in self.files.values()) > 64 * 1024 * 1024:
            self.files.popitem(last=False)

    def forget_case(self, case_id: str) -> None:
        for key in [k for k in self.files if k[0] == case_id]:
            del self.files[key]
