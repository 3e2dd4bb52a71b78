"""The reference workload: national invitations with 8 participants and 5 evaluation QR codes.

The national pack prints evaluation codes on plans, follow-ups and closures only, so the
benchmark uses a pack that extends ``national`` and turns them on for invitations too
(nothing else differs). Inputs are generated with varied names, text lengths and
participants; only the test personnummer from DOMAIN.md §5 are used.
"""

from __future__ import annotations

import copy
import json
import random
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
KINDS = [("SKOLA", "Testskolan"), ("SOCIALTJANST", "Socialtjänsten Barn & unga"), ("BUP", "BUP Testregionen"),
         ("HABILITERING", "Habiliteringen"), ("ELEVHALSA", "Elevhälsan"), ("VARDCENTRAL", "Vårdcentralen"),
         ("LSS", "LSS-handläggning"), ("FRITID", "Ung fritid")]
WORDS = ("skola närvaro sömn stöd familj insats samordning fritid vård plan mål trygghet hem "
         "lärare kurator psykolog habilitering anpassning schema").split()


def bench_pack() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="sipdocs-bench-")) / "benchpack"
    folder.mkdir()
    (folder / "pack.toml").write_text(
        'id = "benchpack"\nname = "Benchmark"\nversion = "1.0"\nextends = "national"\n'
        '[rules]\nevaluation_on = ["invitation", "plan", "followup", "closure"]\n', encoding="utf-8")
    return folder


def built_templates(pack: Any) -> Path:
    """The pack's templates as `sipdocs forms build` writes them — the files a naive loop
    renders (sipdocs builds them from the pack's layouts in memory)."""
    from sipdocs.kinds import KIND_IDS
    from sipdocs.layout.build import write_templates

    folder = Path(tempfile.mkdtemp(prefix="sipdocs-bench-templates-"))
    write_templates(pack, folder, KIND_IDS)
    return folder


def inputs(n: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    base = json.loads((REPO / "samples" / "invitation.json").read_text(encoding="utf-8"))
    out = []
    for i in range(n):
        data = copy.deepcopy(base)
        data.pop("pack", None)
        data["case_id"] = f"BENCH-{i:05d}"
        data["child"]["name"] = f"{rng.choice(['Alex', 'Kim', 'Robin', 'Love'])} Testsson {i}"
        data["purpose"] = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 120))).capitalize() + "."
        invitees = []
        for j, (kind, org) in enumerate(KINDS):
            item = {"organisation": f"{org} {i % 7}", "actor_kind": kind,
                    "function": rng.choice(["kurator", "rektor", "representant"]),
                    "name": f"Person {j} {rng.randint(1, 999)}"}
            if j < 5:  # five distinct evaluation links per invitation, shared across the run
                item["evaluation_url"] = f"https://example.org/utvardering/{kind.lower()}/{i % 10}"
            invitees.append(item)
        data["invitees"] = invitees
        out.append(data)
    return out


def fresh_qr_png(ctx: dict[str, Any], img: Any) -> bytes:
    """The QR code ``img`` of an evaluation link in ``ctx``, generated anew as a naive loop does.

    It is the same PNG sipdocs embeds (same generator and settings, without its per-run
    cache), so both sides draw identical images and only the caching differs.
    """
    from sipdocs.qr import qr_png

    url = next(e["url"] for e in ctx["evaluation"] if e["qr"] is img)
    return qr_png.__wrapped__(url)
