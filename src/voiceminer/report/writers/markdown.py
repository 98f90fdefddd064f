"""Markdown issue list: the quickest thing to read, diff between runs, or paste into a draft."""

from __future__ import annotations

import re
from pathlib import Path

from ..model import IssueList
from . import _content as c
from ._atomic import atomic_path

# Characters that would turn a worker's words into emphasis, links, HTML or code. "<" only
# matters before something that could start a tag (so "<1%" stays readable), and "_" only at a
# word edge (so file names such as 2024_访谈_01.txt in origins stay copyable from the raw file).
_MD_SPECIAL = re.compile(r"[\\`*\[\]]|<(?=[A-Za-z/!?])|_")


def md_escape(text: str) -> str:
    """Backslash-escape Markdown syntax in data text so it renders exactly as written."""

    def repl(m: re.Match[str]) -> str:
        ch, i = m.group(), m.start()
        if ch == "_":
            before = text[i - 1] if i > 0 else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if (before.isalnum() or before == "_") and (after.isalnum() or after == "_"):
                return ch
        return "\\" + ch

    return _MD_SPECIAL.sub(repl, text)


def render_markdown(issues: IssueList) -> str:
    """The whole document as a string (one ``\\n`` per line, trailing newline).

    Kept separate from the file write so tests and notebooks can look at the text directly.
    """
    out: list[str] = [f"# {md_escape(c.title(issues))}", ""]
    for line in c.basis_lines(issues):
        out += [md_escape(line), ""]
    if line := c.group_line(issues):
        out += [md_escape(line), ""]
    themes = c.numbered_themes(issues)
    if not themes:
        out += ["（本次材料中没有发现反复出现的问题。）", ""]
    for numeral, theme in themes:
        out += [f"## {md_escape(c.theme_heading(numeral, theme))}", ""]
        findings, singles = c.findings_and_singles(issues, theme)
        for n, concern in enumerate(findings, start=1):
            marker = f"{n}. "
            pad = " " * len(marker)  # continuation lines must align with the item text
            out += [marker + md_escape(c.concern_text(concern, issues)), ""]
            if terms := c.terms_line(concern):
                out += [pad + md_escape(terms), ""]
            for quote in concern.quotes:
                out += [f"{pad}> {md_escape(c.quote_line(quote))}", ""]
        if singles:
            out += [md_escape(c.SINGLES_HEADING), ""]
            out += [f"- {md_escape(c.single_line(concern))}" for concern in singles] + [""]
    if c.shows_keyness(issues):
        out += [f"## {md_escape(c.keyness_heading(issues))}", "",
                md_escape(c.keyness_line(issues.keyness)), ""]
    out += ["---", "", c.METHOD_NOTE, ""]
    if meta := c.meta_line(issues.meta):
        out += [md_escape(meta), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def write_markdown(issues: IssueList, path: Path) -> Path:
    """Write the Markdown issue list atomically, UTF-8 without BOM and ``\\n`` line ends on every OS."""
    path = Path(path)
    text = render_markdown(issues)
    with atomic_path(path) as tmp:
        tmp.write_bytes(text.encode("utf-8"))
    return path
