"""The broken-word check: every word is printed whole, or split at a line end with a hyphen —
never split without one ("Socialförvaltni|ngen", "arbetsterapeu|t").

A document's lines come in drawing order (``tests/pages.py``), so the lines of one table cell
follow one another; the running header and footer are left out, so a word broken over a page
break is seen too. Where a line ends in a letter (or a letter and a hyphen) and the next line
starts with a letter, the two letter runs are either one word broken across the lines or two
words wrapped at a space, which a PDF does not show. They are taken as one word when their
concatenation — across several lines in a narrow column ("Social|förvalt|ningen") — is a word
of the input or of the pack's fixed texts. A pair that the sources also hold as two words
("in satser") is ambiguous and not reported.

WeasyPrint's hyphen at a line end is U+2010 (‐); LibreOffice's may be U+00AD, U+2010 or '-'. A
word that is itself hyphenated ("Barn-" in "Barn- och ungdomsenheten", "Öberg-Lindén") is whole:
words are runs of letters. E-mail addresses and URLs are not words; they may break anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .pages import Line, without_running

HYPHENS = "-\u2010\u2011\u00ad"
_LETTER = r"[^\W\d_]"
_RUN = re.compile(rf"{_LETTER}+")
_LEAD = re.compile(rf"^({_LETTER}+)")
_TRAIL = re.compile(rf"({_LETTER}+)([{HYPHENS}]?)$")
_NOT_WORDS = re.compile(r"\S*(?:@|://|www\.)\S*")  # e-mail addresses and URLs
# a piece of an e-mail address, URL or domain name at a line end or start ("rektor@exam|ple.org")
_ADDRESS_PIECE = re.compile(r"[@/]|\w\.\w|www\.")


def words_of(texts: Iterable[str]) -> set[str]:
    """The alphabetic words (runs of two or more letters) of ``texts``, URLs and e-mail
    addresses left out."""
    found: set[str] = set()
    for text in texts:
        found.update(w for w in _RUN.findall(_NOT_WORDS.sub(" ", text)) if len(w) >= 2)
    return found


@dataclass(frozen=True)
class Split:
    """A word drawn over two or more lines, with the fragments on each line."""

    word: str
    fragments: tuple[str, ...]
    page: int

    def __str__(self) -> str:
        return f"{self.word!r} split as {'|'.join(self.fragments)!r} on page {self.page}"


@dataclass
class Report:
    broken: list[Split] = field(default_factory=list)  # split without a hyphen
    hyphenated: list[Split] = field(default_factory=list)  # split with one (fine)
    missing: list[str] = field(default_factory=list)  # input words found neither whole nor split

    def problems(self) -> list[str]:
        return [str(s) for s in self.broken] + [f"{w!r} not found in the text" for w in self.missing]


@dataclass
class _Chain:
    fragments: list[str]
    pages: list[int]
    hyphens: list[bool]  # hyphens[k]: a hyphen ends the line before fragments[k + 1]


def _chains(lines: Sequence[Line]) -> list[_Chain]:
    """Letter runs joined across line ends: a line's last run, the next line's first run, and on
    through lines that are a single run."""
    info = []
    for line in lines:
        text = line.text.strip()
        lead, trail = _LEAD.match(text), _TRAIL.search(text)
        tokens = text.split() or [""]
        if _ADDRESS_PIECE.search(tokens[0]):
            lead = None
        if _ADDRESS_PIECE.search(tokens[-1]):
            trail = None
        whole = bool(trail) and trail.start() == 0
        info.append((lead.group(1) if lead else None, trail, whole))
    chains: list[_Chain] = []
    current: _Chain | None = None
    for i in range(len(lines) - 1):
        trail, lead_next = info[i][1], info[i + 1][0]
        if trail is None or lead_next is None:
            current = None
            continue
        if current is None or not info[i][2]:
            current = _Chain([trail.group(1)], [lines[i].page], [])
            chains.append(current)
        current.hyphens.append(bool(trail.group(2)))
        current.fragments.append(lead_next)
        current.pages.append(lines[i + 1].page)
    return chains


def check(lines: Sequence[Line], words: set[str], fixed: set[str] = frozenset(),
          sources: Iterable[str] = ()) -> Report:
    """Where the ``words`` (of the input: each must be found) and the ``fixed`` words (of the
    pack's texts: checked where they occur) are split over lines, and which input words are
    missing. ``sources`` are the texts the words come from (for the ambiguity rule)."""
    source_text = "\n".join(sources)
    dictionary = words | set(fixed)
    report = Report()
    found: set[str] = set()
    for chain in _chains(without_running(list(lines))):
        f = chain.fragments
        for a in range(len(f) - 1):
            for b in range(a + 1, len(f)):
                word = "".join(f[a:b + 1])
                if word not in dictionary:
                    continue
                unhyphenated = [k for k in range(a, b) if not chain.hyphens[k]]
                if b == a + 1 and unhyphenated and re.search(
                        rf"(?<!{_LETTER}){re.escape(f[a])}\s+{re.escape(f[b])}(?!{_LETTER})", source_text):
                    continue  # also two words in the sources: a wrap at a space
                found.add(word)
                split = Split(word, tuple(f[a:b + 1]), chain.pages[a])
                (report.broken if unhyphenated else report.hyphenated).append(split)
    text = "\n".join(line.text for line in lines).replace("\u00ad", "")
    whole = set(_RUN.findall(text))
    report.missing = sorted(w for w in words if w not in whole and w not in found)
    return report
