"""The six document kinds sipdocs knows, with their Swedish and English names."""

from __future__ import annotations

from dataclasses import dataclass


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
        Kind("invitation", "Kallelse till SIP-möte", "Invitation to a SIP meeting"),
        Kind("consent", "Samtycke till SIP och informationsutbyte", "Consent to SIP and information exchange"),
        Kind("plan", "Samordnad individuell plan (SIP)", "Coordinated individual plan (SIP)"),
        Kind("followup", "Uppföljning av SIP", "SIP follow-up"),
        Kind("closure", "Avslut av SIP", "Closure of SIP"),
        Kind("intake_note", "Inkommande information", "Incoming information (social services note)"),
    )
}

KIND_IDS: tuple[str, ...] = tuple(KINDS)
