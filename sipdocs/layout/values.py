"""What a layout prints: values and texts, written as data, turned into Jinja.

In a layout file a **value** is one of:

* a context path — ``child.name``, ``meeting.when``, ``a.organisation`` inside a table;
* ``{text: label.name}`` — a fixed text from the catalogue (``i18n/<lang>.toml``);
* ``{link: meeting.link}`` / ``{mailto: convener.email}`` — a clickable URL / e-mail address;
* ``{join: [a.name, a.function], sep: ", "}`` — the values that are set, joined;
* ``{lines: [a.phone, {mailto: a.email}, a.address]}`` — the same, a line each;
* ``{staff: note_taker}`` — a member of staff on one line (name, title, organisation …);
* ``{contact: g, fields: [phone, email, address]}`` — a family member's contact details,
  a line each, or "Kontakt via sammankallande" when the person has protected identity;
* a Jinja snippet (anything holding ``{{`` or ``{%``), for what the forms above cannot say.

:func:`expression` gives the Jinja expression of a value, :func:`snippet` the text that
prints it, and :func:`names` every context path and catalogue key it uses — the load step
checks those against the context and the catalogues, so a misspelt path is an error when
the pack is loaded, not a blank on a child's document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes

from ..catalogue import Phrase, phrase
from ..templating import make_environment

PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
KEY = re.compile(r"[a-z_][a-z0-9_]*(\.[A-Za-z0-9_]+)+")
STAFF_FIELDS = ("name", "title", "organisation", "unit", "principal_label", "phone", "email", "address")
CONTACT_FIELDS = ("phone", "email", "address")


class LayoutValueError(Exception):
    """A value that is not one of the forms above; ``where`` is the JSON pointer below it."""

    def __init__(self, problem: Phrase, where: str = "") -> None:
        super().__init__(problem.key)
        self.problem = problem
        self.where = where


@dataclass(frozen=True)
class Used:
    """What a value refers to: context paths and catalogue keys."""

    paths: frozenset[str] = frozenset()
    keys: frozenset[str] = frozenset()

    def __or__(self, other: Used) -> Used:
        return Used(self.paths | other.paths, self.keys | other.keys)


def is_template(value: Any) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def expression(value: Any) -> str:
    """The Jinja expression for ``value`` (not for a snippet: those are whole templates)."""
    if isinstance(value, str):
        if is_template(value):
            raise LayoutValueError(phrase("layout.snippet_in_list"))
        if not PATH.fullmatch(value):
            raise LayoutValueError(phrase("layout.not_a_path", value=value))
        return value
    known = {"text", "link", "mailto", "join", "lines", "staff", "contact"}
    forms = set(value) & known if isinstance(value, dict) else set()
    if len(forms) != 1:
        raise LayoutValueError(phrase("layout.value_forms"))
    if "text" in value:
        key = value["text"]
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise LayoutValueError(phrase("layout.text_key"), "/text")
        return f"t.{key}"
    if "link" in value or "mailto" in value:
        which = "link" if "link" in value else "mailto"
        return f"{expression(value[which])} | {which}"
    if "join" in value or "lines" in value:
        which = "join" if "join" in value else "lines"
        items = value[which]
        if not isinstance(items, list) or not items:
            raise LayoutValueError(phrase("layout.needs_list", which=which), f"/{which}")
        sep = "\n" if which == "lines" else value.get("sep", ", ")
        return f"[{', '.join(expression(item) for item in items)}] | select | join_isolated({_literal(sep)})"
    if "staff" in value:
        person = expression(value["staff"])
        fields = [f"{person}.{f} | mailto" if f == "email" else f"{person}.{f}" for f in STAFF_FIELDS]
        return f"[{', '.join(fields)}] | select | join_isolated(', ')"
    if "contact" in value:
        person = expression(value["contact"])
        fields = value.get("fields", list(CONTACT_FIELDS))
        lines = [f"{person}.{f} | mailto" if f == "email" else f"{person}.{f}" for f in fields]
        return (f"({person}.contact_note if {person}.protected "
                f"else [{', '.join(lines)}] | select | join_isolated('\\n'))")
    raise LayoutValueError(phrase("layout.unknown_value", kind=next(iter(value))))


def snippet(value: Any) -> str:
    """The template text printing ``value`` (a Jinja snippet is taken as it is)."""
    if isinstance(value, dict) and "template" in value:
        return str(value["template"])
    if is_template(value):
        return str(value)
    return "{{ " + expression(value) + " }}"


def names(value: Any) -> Used:
    """The context paths and catalogue keys ``value`` uses (a snippet's are read by :func:`template_names`)."""
    if isinstance(value, dict) and "template" in value:
        return template_names(str(value["template"]))
    if is_template(value):
        return template_names(str(value))
    return expression_names(expression(value))


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


# --- reading names out of Jinja ------------------------------------------------------------------

def expression_names(expr: str) -> Used:
    return template_names("{{ " + expr + " }}")


def template_names(source: str) -> Used:
    """Every dotted name a Jinja template reads from its context (``a.b.c``), and every
    catalogue key (``t.x.y`` → ``x.y``); names the template binds itself are left out."""
    tree = make_environment().parse(source)
    bound: set[str] = {"loop", "true", "false", "none"}
    for node in tree.find_all((nodes.For, nodes.Assign)):
        target = node.target  # type: ignore[attr-defined]  # both For and Assign have one
        for name in target.find_all(nodes.Name) if not isinstance(target, nodes.Name) else [target]:
            bound.add(name.name)
    paths: set[str] = set()
    keys: set[str] = set()
    for node in _outermost_lookups(tree):
        dotted = _dotted(node)
        if dotted is None:
            continue
        root = dotted.split(".", 1)[0]
        if root == "t":
            if "." in dotted:
                keys.add(dotted.split(".", 1)[1])
        elif root not in bound:
            paths.add(dotted)
    return Used(frozenset(paths), frozenset(keys))


def _outermost_lookups(tree: Any) -> Iterator[Any]:
    """Name/Getattr nodes that are not themselves the object of a longer lookup."""
    inner: set[int] = set()
    for node in tree.find_all(nodes.Getattr):
        inner.add(id(node.node))
    for node in tree.find_all((nodes.Name, nodes.Getattr)):
        if id(node) not in inner and (not isinstance(node, nodes.Name) or node.ctx == "load"):
            yield node


def _dotted(node: Any) -> str | None:
    parts: list[str] = []
    while isinstance(node, nodes.Getattr):
        parts.append(node.attr)
        node = node.node
    if isinstance(node, nodes.Name):
        parts.append(node.name)
        return ".".join(reversed(parts))
    return None
