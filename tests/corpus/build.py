"""Builds the hostile corpus in this folder from the samples: `python tests/corpus/build.py`.

Each case is a complete input (derived from a sample) with one kind of hostile content
spread over its string fields. `manifest.json` lists every case with what must happen:
``"render"`` (renders to Word and PDF, every string value appears in both texts),
``"reject"`` with the exact issue codes and pointers, or ``"fit"``: renders, and every
value is visible in full inside the page box, in the PDF and in the Word file as
LibreOffice lays it out (``tests/test_fit.py``). The ``fit`` cases are long unbroken tokens
(3,000 and 10,000 characters: each costs WeasyPrint seconds of line breaking, so they are
kept out of the hardening tests, which render every ``render`` case twice) and the
"long real names" inputs of the broken-word check. The generated files are committed;
the script documents how they were made.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent.parent / "samples"
KINDS = ("invitation", "consent", "plan", "followup", "closure", "intake_note")

# Fields whose schema restricts the shape (enums, dates, phone, e-mail, URLs, ids, codes):
# hostile text goes into every *free-text* field instead.
_SKIP_KEYS = {"kind", "pack", "lang", "document_date", "date", "start_time", "end_time", "time",
              "personal_number", "phone", "email", "link", "evaluation_url", "actor_ref",
              "protected_identity", "relation", "role", "mode", "form", "principal", "actor_kind",
              "invitation_type", "given_by", "purposes", "status", "principal_category",
              "carried_out", "working", "right_order", "assessment", "decision", "decided_at",
              "reason", "by", "outcome", "channel", "original_kept_by", "meeting_type",
              "valid_from", "valid_until", "process_end", "need_identified_date", "confirm_by",
              "previous_meeting_date", "plan_established_date", "closure_date", "consent_end_date",
              "meeting_date", "date_of_birth", "case_id"}


_LONG = {"purpose", "goal_picture", "child_views", "information_covered", "exclusions", "reason_text",
         "where_to_turn", "text", "long_term_goal", "changed_needs", "summary", "child_view"}


def _map_text(node: Any, fn: Callable[[str, str], str], key: str = "") -> Any:
    if isinstance(node, dict):
        return {k: (v if k in _SKIP_KEYS else _map_text(v, fn, k)) for k, v in node.items()}
    if isinstance(node, list):
        return [_map_text(v, fn, key) for v in node]
    if isinstance(node, str):
        return fn(node, key)
    return node


def sample(kind: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{kind}.json").read_text(encoding="utf-8"))


HOSTILE: dict[str, Callable[[str, str], str]] = {
    "xml_metacharacters": lambda v, k: f"{v} & <b>fet</b> ]]> \"citat\" 'apostrof' &amp; </w:t></w:r>",
    "html_injection": lambda v, k: f"{v} <img src=\"file:///etc/passwd\"> <script>alert(1)</script>"
                                   f" <link rel=\"attachment\" href=\"file:///etc/hostname\">",
    "jinja_in_data": lambda v, k: f"{v} {{{{ 7*7 }}}} {{% for x in range(3) %}}x{{% endfor %}} {{_{{ y }}_}} {{#c#}}",
    "arabic_rtl": lambda v, k: f"{v} مرحبا بكم في الاجتماع (سمیرا) 123",
    "emoji": lambda v, k: f"{v} 🙂 ⚽ 👨‍👩‍👧 🇸🇪",
    "zero_width": lambda v, k: f"{v}\u200b\u200c\u200d\u200e\u200f\u2060 mellan\u00adrum",
    "urls_in_text": lambda v, k: f"{v} file:///etc/passwd http://169.254.169.254/latest/meta-data/",
    # 10,000-character values in the long texts of each document (and the child's name)
    "long_strings": lambda v, k: ((v + " ") * max(1, 10000 // (len(v) + 1) - 1) if k in _LONG else v),
}


def _rejects() -> dict[str, tuple[str, dict[str, Any], list[list[str]]]]:
    """Inputs that must be refused with exact issues (control characters, URL fields)."""
    plan = sample("plan")
    plan["child_views"] = "Början\x00slut"
    plan["needs"][0] = "vertikal\x0btab"
    plan["attendees"][0]["name"] = "escape\x1b[31m"
    inv = sample("invitation")
    inv["invitees"][0]["evaluation_url"] = "file:///etc/passwd"
    inv["meeting"]["link"] = "javascript:alert(1)"
    inv["convener"]["email"] = "kim@example.org\nBcc: x@example.org"
    return {
        "control_characters": ("plan", plan, [
            ["input.illegal_character", "/attendees/0/name"],
            ["input.illegal_character", "/child_views"],
            ["input.illegal_character", "/needs/0"],
        ]),
        "bad_urls": ("invitation", inv, [
            ["schema.format", "/convener/email"],
            ["schema.format", "/invitees/0/evaluation_url"],
            ["schema.format", "/meeting/link"],
            ["schema.pattern", "/invitees/0/evaluation_url"],
            ["schema.pattern", "/meeting/link"],
        ]),
    }


def _big_tables() -> dict[str, Any]:
    plan = sample("plan")
    base = plan["interventions"]
    plan["interventions"] = [dict(base[i % len(base)], what=f"Insats nr {i + 1}: {base[i % len(base)]['what']}")
                             for i in range(100)]
    plan["attendees"] = [dict(plan["attendees"][i % 4], name=f"Deltagare {i + 1}") for i in range(40)]
    return plan


def _protected(kind: str) -> dict[str, Any]:
    data = sample(kind)
    data["child"]["protected_identity"] = "skyddad_folkbokforing"
    data["child"]["address"] = "Skyddade vägen 1\n999 99 Hemligby"
    if kind != "consent":
        data["child"]["phone"] = "070-111 22 33"
    for g in data.get("guardians", []):
        g["protected_identity"] = "sekretessmarkering"
        g["address"] = "Dolda gränd 2\n999 98 Hemligby"
        g["phone"] = "070-444 55 66"
    if kind == "intake_note":
        data["child"]["other_address"] = "Annan hemlig adress 3"
    return data


# --- long unbroken tokens ("nothing clipped") --------------------------------------------------------

# Letters (Swedish too) and digits only: no space, hyphen, slash or other break opportunity.
_TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ0123456789"
# Realistic long tokens in the fields whose shape the schema fixes (fictitious identifiers).
TEAMS_LINK = ("https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZTk3NzE2YmItNmM0Ni00ZWE0LWFlYjAtNDM5ZTQ5"
              "OWVhMjQx%40thread.v2/0?context=%7b%22Tid%22%3a%2200000000-1111-2222-3333-444444444444%22%2c%22"
              "Oid%22%3a%2255555555-6666-7777-8888-999999999999%22%7d")
LONG_EMAIL = "kim.kurator-andersson.elevhalsan.barn.och.unga@socialforvaltningen-barnochungdom.sodertalje.example.org"
LONG_EVALUATION_URL = ("https://example.org/utvardering/samordnad-individuell-plan/enkat/2026/"
                       "barn-och-ungdomspsykiatriska-mottagningen-sodertalje?arende=TEST-2026-001&fraga=1&"
                       "token=9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0&sprak=sv")
# Free-text fields per case: each 3,000-character field costs WeasyPrint 1–4 s of line breaking
# (0.1–20 s at 10,000), so a kind's fields are spread over several cases, each well inside the
# 60 s render limit.
UNBROKEN_FIELDS_PER_CASE = {3000: 12, 10000: 4}


def unbroken_token(pointer: str, length: int) -> str:
    """A ``length``-character token without any break opportunity, naming its field."""
    head = re.sub(r"[^0-9A-Za-z]", "", pointer.replace("/", "x")) + "X"
    body = _TOKEN_ALPHABET * (length // len(_TOKEN_ALPHABET) + 1)
    return (head + body)[:length]


def _free_text_fields(data: Any, path: tuple = ()) -> Iterator[tuple]:
    """Paths of the free-text strings in an input (the keys `_map_text` writes into)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in _SKIP_KEYS:
                yield from _free_text_fields(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _free_text_fields(value, (*path, i))
    elif isinstance(data, str):
        yield path


def _field_kinds(kind: str) -> tuple[dict[tuple, int], list[tuple]]:
    """The sample's free-text fields, one per schema location (the first item of a list stands for
    all), with each field's maximum length from the schema."""
    sys.path.insert(0, str(HERE.parent.parent))
    from sipdocs.schemas import subschema

    seen: dict[tuple, int] = {}
    paths = []
    for path in _free_text_fields(sample(kind)):
        generic = tuple("*" if isinstance(p, int) else p for p in path)
        if generic not in seen:
            seen[generic] = (subschema(kind, path) or {}).get("maxLength", 100_000)
            paths.append(path)
    return {p: seen[tuple("*" if isinstance(x, int) else x for x in p)] for p in paths}, paths


def _set(data: Any, path: tuple, value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _with_long_contacts(data: dict[str, Any]) -> dict[str, Any]:
    """The realistic long tokens: a Teams link, a long e-mail address in every e-mail field and
    a long evaluation URL for the first actor that has one."""
    url_done = False

    def walk(node: Any) -> None:
        nonlocal url_done
        if isinstance(node, dict):
            for key in list(node):
                if key == "email":
                    node[key] = LONG_EMAIL
                elif key == "link":
                    node[key] = TEAMS_LINK
                elif key == "evaluation_url" and not url_done:
                    node[key], url_done = LONG_EVALUATION_URL, True
                else:
                    walk(node[key])
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return data


def _unbroken(kind: str, length: int) -> list[dict[str, Any]]:
    """Inputs with a ``length``-character unbroken token in every free-text field of ``kind`` (at
    most the field's schema maximum: addresses take 2,000); at 10,000 only the long-text fields
    (schema ``longtext``: purposes, views, summaries, reasons, journal texts), whose limit is
    100,000 — a 10,000-character token in every name and table cell would make documents of
    hundreds of pages that WeasyPrint needs minutes to lay out."""
    limits, paths = _field_kinds(kind)
    if length > 3000:
        paths = [p for p in paths if limits[p] >= 100_000]
    per_case = UNBROKEN_FIELDS_PER_CASE[length]
    cases = []
    for start in range(0, len(paths), per_case):
        data = _with_long_contacts(sample(kind))
        for path in paths[start:start + per_case]:
            pointer = "/" + "/".join(map(str, path))
            _set(data, path, unbroken_token(pointer, min(length, limits[path])))
        cases.append(data)
    return cases


# --- long real names ("no broken words") ----------------------------------------------------------

# The sample's short names replaced by realistic long Swedish names of services, units, titles and
# functions, the same everywhere they occur (in prose too); the people are fictitious.
LONG_NAMES = {
    "BUP Testregionen": "Barn- och ungdomspsykiatriska mottagningen Södertälje",
    "Socialtjänsten Barn & unga, Testkommun": "Socialförvaltningen, Barn- och ungdomsenheten",
    "Habiliteringen Testregionen": "Habiliteringen för barn och ungdomar i Södertälje",
    "Vårdcentralen Testby": "Vårdcentralen Järna, Region Stockholm",
    "Testskolan åk 3": "Brunnsängsskolan, årskurs 3, klass 3B",
    "Testskolan åk 4": "Brunnsängsskolan, årskurs 4, klass 4B",
    "Testskolan": "Elevhälsan på Brunnsängsskolan",
    "Elevhälsan": "Elevhälsoteamet, Barn- och utbildningsförvaltningen",
    "Kim Kurator": "Maria-Josefina Wikström Lindqvist",
    "Rut Rektor": "Karl-Fredrik Gustafsson Zetterström",
    "Sam Socialsekreterare": "Ann-Christine Björklund Håkansson",
    "Pat Psykolog": "Per-Olof Sandström Ekholm",
    "Ali Arbetsterapeut": "Gunilla Mattsson-Järvholm",
    "Robin Testsson": "Åsa Öberg-Lindén",
    "Samira Exempel": "Samira Abdirahman Mohamed",
    "Maj Testsson": "Margareta Öberg-Lindén",
    "Skolkurator": "Elevhälsokoordinator",
    "Socialsekreterare": "Socialsekreterare",
    "Rektor": "Biträdande rektor",
    "rektor": "biträdande rektor",
    "representant": "specialistsjuksköterska",
    "psykolog": "barnpsykiatriker",
    "sjuksköterska": "skolsköterska",
    "arbetsterapeut": "arbetsterapeut",
    "socialsekreterare": "socialsekreterare",
    "arabiska": "tigrinska",
}
_LONG_NAMES_RE = re.compile("|".join(re.escape(k) for k in sorted(LONG_NAMES, key=len, reverse=True)))


def _long_names(kind: str) -> dict[str, Any]:
    """The sample with realistic long names of services, people, titles and functions."""
    return _map_text(sample(kind), lambda v, k: _LONG_NAMES_RE.sub(lambda m: LONG_NAMES[m.group()], v))


def build() -> None:
    manifest: list[dict[str, Any]] = []
    for name, fn in HOSTILE.items():
        for kind in KINDS:
            data = _map_text(sample(kind), fn)
            file = f"{name}.{kind}.json"
            (HERE / file).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            manifest.append({"file": file, "kind": kind, "case": name, "expect": "render"})
    (HERE / "big_tables.plan.json").write_text(json.dumps(_big_tables(), ensure_ascii=False, indent=1) + "\n",
                                               encoding="utf-8")
    manifest.append({"file": "big_tables.plan.json", "kind": "plan", "case": "big_tables", "expect": "render"})
    for kind in KINDS:
        file = f"protected_identity.{kind}.json"
        (HERE / file).write_text(json.dumps(_protected(kind), ensure_ascii=False, indent=1) + "\n",
                                 encoding="utf-8")
        manifest.append({"file": file, "kind": kind, "case": "protected_identity", "expect": "render",
                         "secrets": ["Skyddade vägen 1", "999 99 Hemligby", "070-111 22 33",
                                     "Dolda gränd 2", "999 98 Hemligby", "070-444 55 66",
                                     "Annan hemlig adress 3", "0701112233", "0704445566"]})
    for name, (kind, data, issues) in _rejects().items():
        file = f"{name}.{kind}.json"
        (HERE / file).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        manifest.append({"file": file, "kind": kind, "case": name, "expect": "reject", "issues": issues})
    for length in (3000, 10000):
        for kind in KINDS:
            for i, data in enumerate(_unbroken(kind, length), start=1):
                file = f"unbroken_{length}-{i}.{kind}.json"
                (HERE / file).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
                manifest.append({"file": file, "kind": kind, "case": f"unbroken_{length}", "expect": "fit"})
    for kind in KINDS:
        file = f"long_names.{kind}.json"
        (HERE / file).write_text(json.dumps(_long_names(kind), ensure_ascii=False, indent=1) + "\n",
                                 encoding="utf-8")
        manifest.append({"file": file, "kind": kind, "case": "long_names", "expect": "fit"})
    _check_valid(manifest)
    (HERE / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    print(f"{len(manifest)} cases written to {HERE}")


def _check_valid(manifest: list[dict[str, Any]]) -> None:
    """Every case that must render is a valid input (a builder mistake fails here, not in a test)."""
    sys.path.insert(0, str(HERE.parent.parent))
    import sipdocs

    for entry in manifest:
        if entry["expect"] != "reject":
            result = sipdocs.validate(json.loads((HERE / entry["file"]).read_text(encoding="utf-8")))
            if not result.ok:
                raise SystemExit(f"{entry['file']}: {[(i.code, i.pointer) for i in result.errors]}")


if __name__ == "__main__":
    build()
