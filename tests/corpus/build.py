"""Builds the hostile corpus in this folder from the samples: `python tests/corpus/build.py`.

Each case is a complete input (derived from a sample) with one kind of hostile content
spread over its string fields. `manifest.json` lists every case with what must happen:
``"render"`` (renders to Word and PDF, every string value appears in both texts) or
``"reject"`` with the exact issue codes and pointers. The generated files are committed;
the script documents how they were made.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

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
    (HERE / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    print(f"{len(manifest)} cases written to {HERE}")


if __name__ == "__main__":
    build()
