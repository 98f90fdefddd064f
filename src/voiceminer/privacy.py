"""Redaction of personal data in anything that leaves the research team.

Reports quote workers verbatim, and interview notes carry names, phone numbers, ID-card, bank-card
and plate numbers. ``privacy_patterns`` says what those look like; this module masks them in a
string (``Redactor``), a table (``redact_frame``) or a finished report model (``redact_obj``).
Personal names are masked ``张某`` style; a name found once (in an interview header, or after
姓名/受访者 anywhere in the corpus) is masked everywhere it recurs — see ``Redactor.for_units``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from itertools import compress, filterfalse, islice
from typing import TYPE_CHECKING, Final, TypeVar

from .privacy_frames import redact_frame  # re-exported: the table form of Redactor
from .privacy_patterns import (  # collect_*, luhn_ok and MASKS are re-exported
    _BANK,
    _EMAIL,
    _FOLD,
    _ID_CARD,
    _LANDLINE,
    _MOBILE,
    _NAME_LABEL,
    _PLATE,
    _QQ,
    _TRIGGER,
    _WECHAT,
    MASKS,
    RAW_TRIGGERS,
    _is_bank_card,
    _name_at,
    _plain_name,
    collect_ids,
    collect_names,
    is_valid_id_card,
    luhn_ok,
    mask_name,
    texts_matching,
    unfolded,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MASKS", "NameList", "Redactor", "collect_ids", "collect_names", "freeze_names",
           "is_valid_id_card", "luhn_ok", "mask_name", "redact", "redact_frame", "redact_obj"]

T = TypeVar("T")

# The Redactor's memo keeps strings up to this long, at most this many.
_MEMO_MAX_CHARS: Final = 24
_MEMO_MAX: Final = 1_000_000
# ``Redactor.loud`` remembers at most this many strings it found quiet (a set of 64 MB at most,
# the strings being mostly the tables' own): a run's tables repeat the same unit ids, answers
# and tokens (units.csv, the ledger, the code matrix, the quote list), and looking one up costs
# a fraction of looking into it again.
_QUIET_MAX: Final = 2_000_000


class Redactor:
    """Masks personal data; ``names`` are masked wherever they recur (longest first).

    Build it once per corpus with ``Redactor.for_units(units)`` so a name given in one interview
    header is masked in every quote and table, then call it on each string.
    """

    def __init__(self, names: Iterable[str] = (), ids: Mapping[str, str] | None = None) -> None:
        self.names = tuple(sorted({n for n in names if n and len(n) >= 2},
                                  key=lambda n: (-len(n), n)))
        self._names_re = (re.compile("|".join(map(re.escape, self.names)))
                          if self.names else None)
        self._memo: dict[str, str] = {}
        self._quiet: set[str] = set()
        # WeChat/QQ ids seen after a label somewhere: masked wherever they recur (as a token too)
        self.ids = dict(sorted((ids or {}).items()))
        self._ids_re = (re.compile(r"(?<![-_A-Za-z0-9])(?:" + "|".join(
            map(re.escape, sorted(self.ids, key=lambda i: (-len(i), i)))) + r")(?![-_A-Za-z0-9])")
            if self.ids else None)
        self._known = tuple(p for p in (self._names_re, self._ids_re) if p is not None)
        # the names and ids as ``quiet`` looks for them, before folding
        known = [*self.names, *self.ids]
        self._known_unfolded = (re.compile("|".join(unfolded(k) for k in known))
                                if known else None)
        self._nul_known = any("\0" in k for k in known)
        self._triggers = (*RAW_TRIGGERS, *(() if self._known_unfolded is None
                                           else (self._known_unfolded,)))

    @classmethod
    def for_units(cls, units: pd.DataFrame) -> Redactor:
        """A redactor knowing the header names the readers found (``units.attrs``) and every
        name given after a label in the units' text."""
        found = {n for n in map(_plain_name, units.attrs.get("personal_names", ())) if n}
        ids: dict[str, str] = {}
        if "text" in units.columns:
            found |= collect_names(units["text"])
            ids = collect_ids(units["text"])
        return cls(found, ids)

    def __call__(self, text: str) -> str:
        """``redact`` with a memo: tables repeat the same tokens, provinces and ids many times."""
        if not isinstance(text, str):
            return text
        done = self._memo.get(text)
        if done is None:
            done = self.redact(text)
            # short strings (tokens, provinces, groups, respondent ids) recur; long ones (answers,
            # unit ids) rarely do and would fill the memo before the tokens column is reached
            if len(text) <= _MEMO_MAX_CHARS and len(self._memo) < _MEMO_MAX:
                self._memo[text] = done
        return done

    def quiet(self, text: str) -> bool:
        """True when nothing in ``text`` can be masked, found without folding it: most strings
        (tokens, ids, answers) hold nothing, and folding each of them cost more than the rest
        of redaction. False means only that ``redact`` must look closer."""
        for trigger in RAW_TRIGGERS:
            if trigger.search(text):
                return False
        return self._known_unfolded is None or self._known_unfolded.search(text) is None

    def loud(self, texts: Iterable[str]) -> set[str]:
        """The strings of ``texts`` that are not ``quiet``, found for all at once
        (``privacy_patterns.texts_matching``). Strings found quiet are remembered (up to
        ``_QUIET_MAX``), since a run's tables hold the same ones again."""
        texts = texts if isinstance(texts, (set, frozenset)) else set(texts)
        if self._nul_known:  # a name or id holding NUL could match across two texts
            return {t for t in texts if not self.quiet(t)}
        seen = self._quiet
        fresh = list(texts - seen)
        loud = set(compress(fresh, texts_matching(fresh, self._triggers)))
        room = _QUIET_MAX - len(seen)
        if len(fresh) - len(loud) <= room:
            seen.update(fresh)
            seen.difference_update(loud)  # none of them was in ``seen`` before
        elif room > 0:
            seen.update(islice(filterfalse(loud.__contains__, fresh), room))
        return loud

    def redact(self, text: str) -> str:
        """``text`` with every personal datum replaced by its mask; other characters unchanged."""
        if not isinstance(text, str) or not text:
            return text
        if self.quiet(text):
            return text  # the common case, known without folding
        folded = text.translate(_FOLD)
        if _TRIGGER.search(folded) is None:
            for known in self._known:
                if known.search(folded):
                    break
            else:
                return text  # the common case (most tokens and answers): nothing could match
        spans: list[tuple[int, int, str]] = []

        def add(a: int, b: int, mask: str) -> None:
            if all(b <= s or a >= e for s, e, _ in spans):
                spans.append((a, b, mask))

        for m in _EMAIL.finditer(folded):
            add(m.start(), m.end(), MASKS["email"])
        for m in _WECHAT.finditer(folded):
            add(m.start("id"), m.end("id"), MASKS["wechat"])
        for m in _QQ.finditer(folded):
            add(m.start("id"), m.end("id"), MASKS["qq"])
        for m in _ID_CARD.finditer(folded):
            if is_valid_id_card(m.group(0)):
                add(m.start(), m.end(), MASKS["id_card"])
        for m in _MOBILE.finditer(folded):
            add(m.start(), m.end(), MASKS["phone"])
        for m in _BANK.finditer(folded):
            if _is_bank_card(m.group(0)):
                add(m.start(), m.end(), MASKS["bank_card"])
        for m in _LANDLINE.finditer(folded):
            add(m.start(), m.end(), MASKS["phone"])
        for m in _PLATE.finditer(folded):
            add(m.start(), m.end(), MASKS["plate"])
        here: set[str] = set()
        for m in _NAME_LABEL.finditer(folded):
            name = _name_at(folded, m.end(), bool(m.group("colon")))
            if name:
                here.add(name)
                add(m.end(), m.end() + len(name), mask_name(name))
        if self._ids_re is not None:
            for m in self._ids_re.finditer(folded):
                add(m.start(), m.end(), self.ids[m.group(0)])
        names_re = self._names_re
        if here - set(self.names):  # a name given in this text recurs in it, too
            names_re = re.compile("|".join(map(re.escape, sorted(here | set(self.names),
                                                                  key=lambda n: (-len(n), n)))))
        if names_re is not None:
            for m in names_re.finditer(folded):
                add(m.start(), m.end(), mask_name(m.group(0)))
        out, last = [], 0
        for a, b, mask in sorted(spans):
            out.append(text[last:a])
            out.append(mask)
            last = b
        out.append(text[last:])
        return "".join(out)


_DEFAULT: Final = Redactor()


def redact(text: str, names: Iterable[str] = ()) -> str:
    """Mask names, phone, ID-card, bank-card, plate numbers, e-mail and labelled WeChat/QQ ids.

    >>> redact("受访者：王建国，电话13812345678")
    '受访者：王某，电话[电话]'
    """
    return (Redactor(names) if names else _DEFAULT).redact(text)


class NameList(list):
    """The header names a corpus gave (``units.attrs["personal_names"]``), copied by reference.

    pandas deep-copies ``DataFrame.attrs`` on nearly every operation (each column access, row
    selection, ``iterrows`` step); with a plain list of 400 interview names that made every
    ``units[col]`` cost a millisecond, and whole stages (duplicate marking, quote picking,
    exports) spent most of their time in ``copy.deepcopy``. The names are only read after
    reading, so a deep copy may share them. Equal to the plain list it was made from.
    """

    def __deepcopy__(self, memo: dict) -> NameList:
        return self


def freeze_names(units: pd.DataFrame) -> pd.DataFrame:
    """Make ``units.attrs["personal_names"]`` a :class:`NameList` (in place); returns ``units``."""
    names = units.attrs.get("personal_names")
    if isinstance(names, list) and not isinstance(names, NameList):
        units.attrs["personal_names"] = NameList(names)
    return units


def redact_obj(obj: T, redactor: Callable[[str], str]) -> T:
    """``obj`` (a dataclass tree such as an IssueList) with every string in it redacted.

    Concern labels and key terms are built from tokens, so a WeChat id or a name can become a
    label; redacting the finished model catches those as well as the quotes.
    """
    import dataclasses

    if isinstance(obj, str):
        return redactor(obj)  # type: ignore[return-value]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {f.name: redact_obj(getattr(obj, f.name), redactor)
                   for f in dataclasses.fields(obj) if f.init}
        return dataclasses.replace(obj, **changes)
    if isinstance(obj, (list, tuple)):
        return type(obj)(redact_obj(v, redactor) for v in obj)  # type: ignore[return-value]
    if isinstance(obj, dict):
        return {k: redact_obj(v, redactor) for k, v in obj.items()}  # type: ignore[return-value]
    return obj
