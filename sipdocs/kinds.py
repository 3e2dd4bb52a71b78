"""The six document kinds sipdocs knows, with their Swedish and English names."""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import both


@dataclass(frozen=True)
class Kind:
    id: str
    name_sv: str
    name_en: str

    def name(self, lang: str = "sv") -> str:
        return self.name_en if lang.startswith("en") else self.name_sv


KINDS: dict[str, Kind] = {
    k.id: k
    for k in (
        Kind(kind_id, *both(f"kind.{kind_id}"))  # the names are in the catalogue (sipdocs.catalogue)
        for kind_id in ("invitation", "consent", "plan", "followup", "closure", "intake_note")
    )
}

KIND_IDS: tuple[str, ...] = tuple(KINDS)
