"""Load the annotated PII lines and score a redactor on them: leaks and false masks.

A *leak* is a marked value (or, for full-width text, its width-folded form) still present in
the redacted line. A *false mask* is a mask in the output that the expected line does not have:
ordinary text masked by mistake.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voiceminer.privacy import MASKS, mask_name

LINES = Path(__file__).with_name("pii_lines.txt")
_MARK = re.compile(r"⟦(\w+)\|([^⟧]+)⟧")
_MASK_TOKEN = re.compile("|".join(map(re.escape, MASKS.values())) + r"|\w某")


@dataclass(frozen=True)
class Case:
    line_no: int
    text: str  # what the redactor sees
    expected: str  # the text with every marked value masked
    secrets: tuple[tuple[str, str], ...]  # (kind, value)


def _mask(kind: str, value: str) -> str:
    return mask_name(value) if kind == "name" else MASKS[kind]


def load_cases(path: Path = LINES) -> list[Case]:
    cases = []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cases.append(Case(no, _MARK.sub(lambda m: m.group(2), line),
                          _MARK.sub(lambda m: _mask(m.group(1), m.group(2)), line),
                          tuple((m.group(1), m.group(2)) for m in _MARK.finditer(line))))
    return cases


@dataclass
class Score:
    lines: int
    secrets: int
    leaks: list[tuple[int, str, str]]  # (line, kind, value)
    false_masks: list[tuple[int, str]]  # (line, output)
    exact: int
    clean_lines: int  # lines with nothing to mask
    clean_lines_masked: int

    @property
    def false_mask_rate(self) -> float:
        """Share of lines without personal data in which something was masked anyway."""
        return self.clean_lines_masked / max(self.clean_lines, 1)


def score(redactor: Callable[[str], str], cases: list[Case]) -> Score:
    leaks, false_masks = [], []
    exact = clean = clean_masked = 0
    for case in cases:
        out = redactor(case.text)
        exact += out == case.expected
        folded = unicodedata.normalize("NFKC", out)
        for kind, value in case.secrets:
            if value in out or unicodedata.normalize("NFKC", value) in folded:
                leaks.append((case.line_no, kind, value))
        extra = Counter(_MASK_TOKEN.findall(out)) - Counter(_MASK_TOKEN.findall(case.expected))
        if extra:
            false_masks.append((case.line_no, out))
        if not case.secrets:
            clean += 1
            clean_masked += out != case.text
    return Score(len(cases), sum(len(c.secrets) for c in cases), leaks, false_masks, exact,
                 clean, clean_masked)


if __name__ == "__main__":  # pragma: no cover - prints the figures for the issue note
    from voiceminer.privacy import redact

    s = score(redact, load_cases())
    print(f"lines {s.lines}, personal data items {s.secrets}, leaks {len(s.leaks)}, "
          f"lines with a false mask {len(s.false_masks)}, exact {s.exact}/{s.lines}, "
          f"clean lines masked {s.clean_lines_masked}/{s.clean_lines} "
          f"({s.false_mask_rate:.1%})")
    for item in s.leaks:
        print("LEAK", item)
    for item in s.false_masks:
        print("FALSE", item)
