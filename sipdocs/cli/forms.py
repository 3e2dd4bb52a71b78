"""``sipdocs forms ...``: list, show, check and scaffold template packs."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import click

from .. import api
from ..errors import OutputError
from ..kinds import KIND_IDS
from .common import EXIT_FAILURE, EXIT_OK

# Start-up: the layout, lint and output modules (Jinja, YAML, tempfile) are imported by the
# commands that use them, since every `sipdocs` command loads this module.

__all__ = ["forms"]


@click.group()
def forms() -> None:
    """Template packs: list, show, check, build, new."""


@forms.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def list_packs(fmt: str) -> None:
    """List the packs on the search path (SIPDOCS_PACKS, then the bundled ones)."""
    packs = api.list_packs()
    if fmt == "json":
        click.echo(json.dumps([_summary(p) for p in packs], ensure_ascii=False, indent=2))
        return
    for pack in packs:
        extends = f" (extends {pack.manifest['extends']})" if pack.manifest.get("extends") else ""
        click.echo(f"{pack.id:12} {pack.version:8} {pack.name}{extends}  [{pack.path}]")


def _summary(pack: Any) -> dict[str, Any]:
    return {"id": pack.id, "name": pack.name, "version": pack.version, "path": str(pack.path),
            "extends": pack.manifest.get("extends"), "region": pack.manifest.get("region", ""),
            "languages": list(pack.languages)}


@forms.command("show")
@click.argument("pack")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def show(pack: str, fmt: str) -> None:
    """Show PACK (id or folder): settings, layouts and templates, actors, languages."""
    from ..layout.build import TEMPLATE_TYPES  # start-up: layouts and Jinja (~15 ms) load only for the pack commands
    from ..layout.load import layout_files

    p = api.load_pack(pack)
    templates: dict[str, dict[str, str | None]] = {}
    for kind in KIND_IDS:
        layouts = " + ".join(_origin(p, f) for f in layout_files(p.chain, kind)) or None
        templates[kind] = {"layout": layouts}
        for fmt_ in TEMPLATE_TYPES:
            own = p.own_template(kind, fmt_)
            templates[kind][fmt_] = _origin(p, own) if own else ("built from the layout" if layouts else None)
    info = {
        **_summary(p),
        "description": p.manifest.get("description", ""),
        "municipalities": list(p.manifest.get("municipalities", [])),
        "chain": [str(c) for c in p.chain],
        "issuers": list(p.issuers("sv")),
        "logo": _origin(p, p.logo) if p.logo else None,
        "legal_refs": list(p.manifest.get("legal_refs", [])),
        "rules": p.rules.as_dict(),
        "closure_reasons": list(p.closure_reasons),
        "actors": [{"id": a.id, "organisation": a.organisation, "kind": a.kind,
                    "principal": a.principal, "evaluation_url": a.evaluation_url} for a in p.actors],
        "templates": templates,
    }
    if fmt == "json":
        click.echo(json.dumps(info, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(f"{p.id} {p.version} – {p.name}")
    if info["description"]:
        click.echo(f"  {info['description']}")
    click.echo(f"  folder:     {p.path}")
    if len(p.chain) > 1:
        click.echo(f"  extends:    {' → '.join(c.name for c in p.chain[1:])}")
    click.echo(f"  languages:  {', '.join(info['languages'])}")
    click.echo(f"  issuers:    {'; '.join(info['issuers'])}")
    click.echo(f"  logo:       {info['logo']}")
    click.echo("  rules:")
    for key, value in info["rules"].items():
        click.echo(f"    {key:28} {value}")
    click.echo(f"  closure reasons: {', '.join(info['closure_reasons'])}")
    click.echo("  legal references:")
    for ref in info["legal_refs"]:
        click.echo(f"    {ref['from']} – {ref.get('until', '')}: {ref['sv']}")
    click.echo("  actors:")
    for actor in info["actors"] or []:
        click.echo(f"    {actor['id']:26} {actor['kind']:14} {actor['organisation']}  {actor['evaluation_url'] or ''}")
    click.echo("  templates:")
    for kind, by_fmt in templates.items():
        shown = ", ".join(f"{f}: {v or 'MISSING'}" for f, v in by_fmt.items())
        click.echo(f"    {kind:12} {shown}")


def _origin(pack: Any, path: Path) -> str:
    for root in pack.chain:
        if path.is_relative_to(root):
            return f"{root.name}/{path.relative_to(root)}"
    return str(path)


@forms.command("check")
@click.argument("packs", nargs=-1)
def check(packs: tuple[str, ...]) -> None:
    """Check the layouts and templates of PACKS (ids or folders; default: every pack) in both
    formats and every language: layouts that do not load, undefined variables (nested and loop
    fields), syntax, Word smart quotes, split tags, own templates whose sections differ from the
    layout (a warning). Exit code 1 on any problem that is not a warning."""
    from ..lint import check_packs  # start-up: the pack checker (Jinja, docxtpl) loads only for `forms check`

    problems = check_packs(packs or None)
    for problem in problems:
        click.echo(str(problem))
    errors = [p for p in problems if p.level == "error"]
    if errors:
        click.echo(f"{len(errors)} problem(s)", err=True)
        sys.exit(EXIT_FAILURE)
    click.echo("ok" if not problems else f"ok, {len(problems)} warning(s)")
    sys.exit(EXIT_OK)


@forms.command("build")
@click.argument("pack")
@click.option("-o", "--outdir", required=True, type=click.Path(file_okay=False),
              help="Folder to write the templates to.")
def build(pack: str, outdir: str) -> None:
    """Write the Word and HTML templates built from PACK's layouts to OUTDIR — to start a
    county's own design in Word (put it in the pack's templates/ folder; it then wins over
    the layout, and `forms check` warns when its sections drift from the layout's)."""
    from ..layout.build import write_templates  # start-up: layouts and Jinja (~15 ms) load only for the pack commands

    for path in write_templates(api.load_pack(pack), Path(outdir), KIND_IDS):
        click.echo(str(path))
    sys.exit(EXIT_OK)


_NEW_MANIFEST = '''# Template pack "{name}" – extends "{extends}" and overrides only what it ships itself.
# Validate with: sipdocs forms check {folder}
id = "{name}"
name = "{title}"
version = "0.1.0"
extends = "{extends}"
description = ""
region = ""
municipalities = []
issuers = [{{ name = "{title}" }}]
# Put your logo (PNG) in assets/ and uncomment:
# logo = "assets/logo.png"
# logo_alt = "{title}"

# Rule parameters you want to change (see `sipdocs forms show {extends}` for all of them):
[rules]
# min_sectors_level = "error"
# min_days_invite_to_meeting = 21
# evaluation_on = ["plan", "followup", "closure"]

# Actors with evaluation links (one QR code each on plans, follow-ups and closures):
# [[actors]]
# id = "skolan"
# organisation = "Skolan"
# kind = "SKOLA"
# principal = "kommun"
# evaluation_url = "https://example.org/utvardering/skolan"
'''

_NEW_CATALOGUE = '''# Texts that differ from "{extends}" (same keys as its i18n/{lang}.toml), and your own.
# For example, a heading of your own:
# [invitation]
# title = "..."

# The text of the example section in layouts/invitation.yaml (uncomment both together):
# [{name_key}]
# travel_help = "{travel_help}"
'''

_NEW_LAYOUT = '''# Changes to the invitation of "{extends}": see README, "Adapt a document without Python".
# Sections are named by their id (`sipdocs forms build {extends} -o DIR` writes the built
# templates, whose <!-- section: id --> comments show every id). Uncomment to try, then run
# `sipdocs forms check {folder}`. Both the Word file and the PDF follow.
#
# patch:
#   # a paragraph of your own after "Inför mötet" (its text: i18n/sv.toml and en.toml)
#   - insert_after: prepare
#     section:
#       id: travel_help
#       blocks:
#         - text: {name_key}.travel_help
#   # no list of enclosures
#   - remove: enclosures
#   # "Inför mötet" before the reply section
#   - move: prepare
#     before: reply
'''

_NEW_README = '''# {name}

A sipdocs template pack extending `{extends}`.

* `pack.toml` – settings, rule parameters, actors with evaluation links.
* `i18n/sv.toml`, `i18n/en.toml` – only the texts you change.
* `layouts/` – changes to what a document holds, section by section (`invitation.yaml` has
  an example); both the Word file and the PDF follow.
* `templates/` – a whole Word or HTML design of your own (same file name, e.g. `plan.docx`):
  start from `sipdocs forms build {extends} -o DIR`; it wins over the layout for that format.
* `assets/` – your logo (PNG) and other images.

Check it with `sipdocs forms check {folder}` and render with `--pack {folder}`.
'''


_TRAVEL_HELP = {
    "sv": "Ring Barn- och elevhälsan om ni behöver hjälp med resan.",
    "en": "Call the pupil health service if you need help with the journey.",
}


@forms.command("new")
@click.argument("name")
@click.option("--extends", "extends", default="national", show_default=True, help="Pack to inherit from.")
@click.option("-o", "--outdir", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder in which to create the pack folder.")
@click.option("--title", default=None, help="Display name (default: NAME).")
def new(name: str, extends: str, outdir: str, title: str | None) -> None:
    """Scaffold a new pack NAME that extends another pack (default: national)."""
    from ..output import atomic_write  # start-up: tempfile and shutil only when writing

    if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
        raise click.BadParameter("use lower-case letters, digits, '-' and '_' (starting with a letter)",
                                 param_hint="NAME")
    parent = api.load_pack(extends)  # fails early with pack.not_found
    folder = Path(outdir) / name
    if folder.exists() and any(folder.iterdir()):
        raise OutputError.from_code("output.exists#folder", folder=folder)
    fields = {"name": name, "extends": parent.id, "title": title or name, "folder": str(folder),
              "name_key": re.sub(r"[^a-z0-9_]", "_", name)}
    atomic_write(folder / "pack.toml", _NEW_MANIFEST.format(**fields).encode("utf-8"))
    for lang in parent.languages:
        travel = _TRAVEL_HELP.get(lang, _TRAVEL_HELP["en"])
        atomic_write(folder / "i18n" / f"{lang}.toml",
                     _NEW_CATALOGUE.format(lang=lang, travel_help=travel, **fields).encode("utf-8"))
    atomic_write(folder / "layouts" / "invitation.yaml", _NEW_LAYOUT.format(**fields).encode("utf-8"))
    atomic_write(folder / "README.md", _NEW_README.format(**fields).encode("utf-8"))
    (folder / "templates").mkdir(exist_ok=True)
    (folder / "assets").mkdir(exist_ok=True)
    api.load_pack(str(folder.resolve()))  # the scaffold must load
    click.echo(str(folder))
    sys.exit(EXIT_OK)
