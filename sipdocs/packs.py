"""Template packs: ``forms/<pack>/`` folders with a manifest, templates and catalogues.

A pack folder holds ``pack.toml`` (validated against ``schemas/pack.schema.json``),
``layouts/<kind>.yaml`` (what each document holds, section by section; both the Word and
the HTML template are built from it), ``style.css``, ``assets/`` (logo, fonts) and
``i18n/<lang>.toml`` (labels and fixed texts). A pack may ``extends`` another one: it then
inherits everything and overrides only what it ships itself — a layout or a patch of one,
the logo, a rule parameter, one text in a catalogue, or a whole template of its own
(``templates/<kind>.docx`` or ``.html``, which wins over the layout for that format).

Packs are found by id on a search path — the folders in ``SIPDOCS_PACKS``
(``os.pathsep``-separated; each is a folder of packs or a pack itself), then the
packs bundled with sipdocs — or given directly as a path.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import PackError
from .resources import forms_dir
from .schemas import validator

DEFAULT_PACK = "national"
MANIFEST = "pack.toml"
ENV_PATH = "SIPDOCS_PACKS"


@dataclass(frozen=True)
class RuleSettings:
    """Rule parameters a pack can set (DOMAIN.md §6, "pack design keys")."""

    min_sectors: int = 2
    min_sectors_level: str = "warning"
    min_days_invite_to_meeting: int = 21
    invite_lead_level: str = "warning"
    osa_days_before: int = 7
    max_days_need_to_meeting: int = 0  # 0 = no deadline
    need_to_meeting_level: str = "warning"
    age_min: int = 0
    age_max: int = 18
    followup_convener: str = "lead_responsible"
    consent_placement: str = "separate"
    child_consent_age: int = 15
    consent_max_months: int = 12
    family_contact_required: bool = False
    plan_requires_followup: bool = True
    intervention_requires_where: bool = False
    allow_date_of_birth: bool = False
    evaluation_on_invitation: bool = False
    evaluation_on: tuple[str, ...] = ("plan", "followup", "closure")
    original_holder: str = "lead_responsible"
    signatures_on_plan: bool = True
    single_principal_level: str = "warning"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> RuleSettings:
        names = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in names}
        settings = cls(**values)
        if settings.evaluation_on_invitation and "invitation" not in settings.evaluation_on:
            object.__setattr__(settings, "evaluation_on", settings.evaluation_on + ("invitation",))
        return settings

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Actor:
    """An actor in a pack's catalogue (organisation with kind and evaluation link)."""

    id: str
    organisation: str
    kind: str
    principal: str | None = None
    evaluation_url: str | None = None
    aliases: tuple[str, ...] = ()

    def matches(self, name: str) -> bool:
        key = _norm(name)
        return key == _norm(self.organisation) or any(key == _norm(a) for a in self.aliases)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Pack:
    """A loaded pack with its inheritance chain resolved."""

    id: str
    name: str
    version: str
    path: Path
    chain: tuple[Path, ...]
    manifest: Mapping[str, Any]
    rules: RuleSettings
    actors: tuple[Actor, ...] = ()
    closure_reasons: tuple[str, ...] = ()
    _catalogues: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)

    # -- files -------------------------------------------------------------------------------
    def find(self, relative: str) -> Path:
        """The file ``relative`` from the nearest pack in the chain that has it.

        The result is canonical and inside that pack's folder (no ``..`` or symlink escape).
        """
        for root in self.chain:
            candidate = (root / relative).resolve()
            if candidate.is_file() and candidate.is_relative_to(root):
                return candidate
        raise PackError.from_code("pack.file_missing", pack=self.id, file=relative,
                                  details={"pack": self.id, "file": relative})

    def own_template(self, kind: str, fmt: str) -> Path | None:
        """The template file a pack in the chain ships for ``kind`` in ``fmt`` (``"docx"`` or
        ``"html"``) — a county's own design, which wins over the layout — or None."""
        configured = self.manifest.get("templates", {}).get(kind, {}).get(fmt)
        if configured:
            return self.find(configured)
        try:
            return self.find(f"templates/{kind}.{fmt}")
        except PackError:
            return None

    @property
    def stylesheet(self) -> Path:
        return self.find(self.manifest.get("stylesheet", "style.css"))

    @property
    def logo(self) -> Path | None:
        logo = self.manifest.get("logo")
        return self.find(logo) if logo else None

    @property
    def roots(self) -> tuple[Path, ...]:
        """Every pack folder in the chain (own first): the only places resources may come from."""
        return self.chain

    # -- texts -------------------------------------------------------------------------------
    @property
    def languages(self) -> tuple[str, ...]:
        langs: set[str] = set()
        for root in self.chain:
            langs.update(p.stem for p in (root / "i18n").glob("*.toml"))
        return tuple(sorted(langs))

    def catalogue(self, lang: str) -> dict[str, Any]:
        """Labels and fixed texts for ``lang``, merged along the chain (own texts win)."""
        lang = lang.split("-")[0].lower()
        if lang not in self._catalogues:
            merged: dict[str, Any] = {}
            found = False
            for root in reversed(self.chain):
                path = root / "i18n" / f"{lang}.toml"
                if path.is_file():
                    found = True
                    merged = _deep_merge(merged, _read_toml(path))
            if not found:
                raise PackError.from_code("pack.language_missing", pack=self.id, lang=lang,
                                          known=", ".join(self.languages), details={"pack": self.id, "lang": lang})
            self._catalogues[lang] = merged
        return self._catalogues[lang]

    def legal_reference(self, on: date, lang: str = "sv") -> str:
        """The legal reference in force on ``on`` (R1: SoL changed on 2025-07-01)."""
        key = "en" if lang.startswith("en") else "sv"
        for ref in self.manifest.get("legal_refs", []):
            start = date.fromisoformat(ref["from"])
            end = date.fromisoformat(ref["until"]) if ref.get("until") else None
            if start <= on and (end is None or on <= end):
                return str(ref[key])
        raise PackError.from_code("pack.legal_ref_missing", pack=self.id, details={"pack": self.id})

    def issuers(self, lang: str = "sv") -> tuple[str, ...]:
        key = "name_en" if lang.startswith("en") else "name"
        return tuple(i.get(key) or i["name"] for i in self.manifest.get("issuers", []))

    def display_name(self, lang: str = "sv") -> str:
        if lang.startswith("en"):
            return str(self.manifest.get("name_en") or self.name)
        return self.name

    # -- actors ------------------------------------------------------------------------------
    def actor(self, *, ref: str | None = None, organisation: str | None = None) -> Actor | None:
        """Look up an actor by catalogue id or by organisation name (case-insensitive)."""
        for actor in self.actors:
            if ref is not None and actor.id == ref:
                return actor
        if organisation:
            for actor in self.actors:
                if actor.matches(organisation):
                    return actor
        return None

    def evaluation_on(self, kind: str) -> bool:
        return kind in self.rules.evaluation_on


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PackError.from_code("pack.invalid#unreadable", file=path.name, reason=exc,
                                  details={"file": str(path)}) from exc


def _deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def search_path() -> tuple[Path, ...]:
    """Folders searched for packs by id: ``SIPDOCS_PACKS`` entries, then the bundled ``forms/``."""
    extra = [Path(p).expanduser() for p in os.environ.get(ENV_PATH, "").split(os.pathsep) if p]
    return (*extra, forms_dir())


def _looks_like_path(name: str) -> bool:
    return "/" in name or os.sep in name or name.startswith((".", "~"))


def _locate(name: str, relative_to: Path | None = None) -> Path:
    """Find a pack folder: a path (relative to the extending pack) or an id on the search path."""
    if _looks_like_path(name):
        path = Path(name).expanduser()
        if relative_to is not None and not path.is_absolute():
            path = relative_to / path
        if (path / MANIFEST).is_file():
            return path.resolve()
    else:
        for folder in search_path():
            if (folder / MANIFEST).is_file() and folder.name == name:
                return folder.resolve()
            if (folder / name / MANIFEST).is_file():
                return (folder / name).resolve()
    raise PackError.from_code("pack.not_found", pack=name, details={"pack": name})


def load_pack(name_or_path: str | os.PathLike[str] | Pack | None = None) -> Pack:
    """Load a pack by id (``"stockholm"``) or folder path; ``None`` means the national pack."""
    if isinstance(name_or_path, Pack):  # already loaded
        return name_or_path
    name = os.fspath(name_or_path) if name_or_path is not None else DEFAULT_PACK
    path = _locate(name)
    return _load_cached(path, _env_key(), _stamp(path))


def _env_key() -> str:
    return os.environ.get(ENV_PATH, "")


def _stamp(path: Path) -> tuple[int, ...]:
    """Cache key part: an edited manifest or catalogue is loaded again."""
    files = [path / MANIFEST, *sorted((path / "i18n").glob("*.toml"))]
    return tuple(n for f in files for n in (f.stat().st_mtime_ns, f.stat().st_size))


@lru_cache(maxsize=64)
def _load_cached(path: Path, _env: str, _stamp: tuple[int, ...]) -> Pack:
    chain: list[Path] = []
    manifests: list[dict[str, Any]] = []
    current: Path | None = path
    while current is not None:
        if current in chain:
            raise PackError.from_code("pack.extends_loop", pack=current.name, details={"pack": current.name})
        manifest = _read_toml(current / MANIFEST)
        if not current.is_relative_to(forms_dir().resolve()):
            # Bundled manifests are checked by the test suite and `sipdocs forms check`;
            # user packs are checked on every load.
            _check_manifest(manifest, current)
        chain.append(current)
        manifests.append(manifest)
        parent = manifest.get("extends")
        current = _locate(parent, relative_to=current) if parent else None

    merged: dict[str, Any] = {}
    actors: dict[str, Actor] = {}
    for manifest in reversed(manifests):
        for actor in manifest.get("actors", []):
            actors[actor["id"]] = Actor(
                id=actor["id"], organisation=actor["organisation"], kind=actor["kind"],
                principal=actor.get("principal"), evaluation_url=actor.get("evaluation_url"),
                aliases=tuple(actor.get("aliases", ())),
            )
        merged = _deep_merge(merged, {k: v for k, v in manifest.items() if k != "actors"})
    own = manifests[0]
    # identity is never inherited
    for key in ("id", "name", "version"):
        merged[key] = own[key]
    merged["extends"] = own.get("extends")
    closure = tuple(merged.get("closure_reasons", ()))
    return Pack(
        id=own["id"], name=own["name"], version=own["version"], path=path, chain=tuple(chain),
        manifest=merged, rules=RuleSettings.from_mapping(merged.get("rules", {})),
        actors=tuple(actors.values()), closure_reasons=closure,
    )


def _check_manifest(manifest: dict[str, Any], path: Path) -> None:
    errors = sorted(validator("pack").iter_errors(manifest), key=lambda e: list(e.absolute_path))
    if errors:
        where = "/" + "/".join(str(p) for p in errors[0].absolute_path)
        raise PackError.from_code(
            "pack.invalid", folder=path.name, reason=errors[0].message, where=where,
            pointer=where,
            details={"pack": path.name, "problems": len(errors)},
        )


def iter_packs() -> Iterator[Pack]:
    """Every pack found on the search path (first one wins for a given id)."""
    seen: set[str] = set()
    for folder in search_path():
        candidates = [folder] if (folder / MANIFEST).is_file() else sorted(
            p for p in folder.iterdir() if (p / MANIFEST).is_file()) if folder.is_dir() else []
        for candidate in candidates:
            pack = _load_cached(candidate.resolve(), _env_key(), _stamp(candidate))
            if pack.id not in seen:
                seen.add(pack.id)
                yield pack
