"""The catalogue of known concerns: what workers are known to raise inside each theme.

Clustering alone cannot tell 加班费 from 拖欠工资 when both sentences are mostly about 工资, and
it names clusters by their most distinctive words (两句、大半夜、睡不着), not as a report writer
would. The catalogue (``resources/concerns.toml``, edited by the team from labour-law knowledge,
never from a data set) names the concerns known in advance, each with the words that say it;
``concerns.py`` uses the units that say them as seeds and the catalogue label as the name, and
still clusters what no entry foresaw into new concerns.

Example
-------
>>> cat = ConcernCatalogue.load()
>>> [c.label for c in cat.for_theme("pay")][:2]
['拖欠工资、讨薪难', '加班费不给或不足']
>>> int(TermMatcher(cat.for_theme("pay")).scores([["老板", "拖欠", "工资"]]).argmax())
0
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .codebook import read_toml
from .errors import CodebookError

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"catalogue", "concern"}
_META_KEYS = {"name", "version", "description"}
_CONCERN_KEYS = {"id", "themes", "label", "terms", "exclude"}


@dataclass(frozen=True)
class KnownConcern:
    """One concern known in advance: ``terms`` say it, ``label`` names it in reports.

    ``family`` is set only in a pooled catalogue: the theme the concern was listed under first,
    so that concerns of one theme can be reported together when there are too many.
    ``exclude``: phrases inside which its terms do not count, as a codebook theme's: 入会了 says
    the worker has joined, not that joining is hard.
    """

    id: str
    label: str
    themes: tuple[str, ...]
    terms: tuple[str, ...]
    family: str = ""
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConcernCatalogue:
    """Known concerns, loaded from TOML and validated (unknown keys and repeated ids rejected)."""

    concerns: tuple[KnownConcern, ...]
    name: str = ""
    version: str = ""
    source: str = ""
    sha256: str = field(default="", compare=False)  # of the file, for the run's manifest

    @classmethod
    def load(cls, path: str | Path | None = None) -> ConcernCatalogue:
        return load_catalogue(path or default_catalogue_path())

    @classmethod
    def empty(cls) -> ConcernCatalogue:
        """No known concerns: every concern is discovered (the behaviour before the catalogue)."""
        return cls(())

    def for_theme(self, theme: str) -> tuple[KnownConcern, ...]:
        """The concerns listed under ``theme``, in file order."""
        return tuple(c for c in self.concerns if theme in c.themes)

    def pooled(self, theme: str) -> ConcernCatalogue:
        """Every concern moved under the one theme ``theme``: for units that were not coded into
        themes (a benchmark, or a corpus clustered as one pool)."""
        return ConcernCatalogue(tuple(replace(c, themes=(theme,), family=c.themes[0])
                                      for c in self.concerns), self.name, self.version, self.source)

    def trusted_outside(self, tokens: Sequence[Sequence[str]],
                        themes: Sequence[Collection[str]], min_share: float = 0.5
                        ) -> ConcernCatalogue:
        """The catalogue for units no theme caught: each concern keeps the terms that, in this
        corpus, mostly (``min_share`` of the units saying them) occur in units coded into one
        of its themes; a concern left with none is dropped.

        A term names its concern inside the concern's theme (诉讼 in a rights answer, 保安 in
        one about getting into compounds); said anywhere it may not: forum posts about a
        celebrity's lawsuit or a compound's guard joined 劳动仲裁与诉讼 and 进小区、写字楼难
        by the hundred. Where a term mostly occurs outside the concern's themes, the uncoded
        units saying it are clustered like any others (and are named by their own words). The
        catalogue is checked against the corpus itself, so nothing here is tuned to a data set.
        ``tokens`` and ``themes``: every analysed unit's.
        """
        matcher = TermMatcher(self.concerns)
        if not matcher.owners:
            return self
        homes = [frozenset(c.themes) for c in self.concerns]
        said: dict[tuple[int, str], list[int]] = {}  # (concern, term) -> [units, at home]
        for toks, coded in zip(tokens, themes):
            for term in matcher.terms_in(toks):
                for j in matcher.owners[term]:
                    counts = said.setdefault((j, term), [0, 0])
                    counts[0] += 1
                    counts[1] += not homes[j].isdisjoint(coded)
        kept = []
        for j, c in enumerate(self.concerns):
            terms = tuple(t for t in c.terms
                          if (j, t) in said and said[j, t][1] >= min_share * said[j, t][0])
            if terms:
                kept.append(replace(c, terms=terms))
        return replace(self, concerns=tuple(kept))


def unmatchable(catalogue: ConcernCatalogue, segmenter: Any) -> list[tuple[str, str]]:
    """(concern id, term) for each term no unit's content tokens can hold, because the
    ``segmenter`` cuts it and drops a piece: a bare number, a stopword (不/知道/工会 without
    知道, 个/小时 without 个). Terms are looked for in the tokens joined, so such a term never
    seeds its concern; a run says so instead of ignoring it. The bundled user dictionary keeps
    the bundled catalogue's phrases whole."""
    return [(c.id, t) for c in catalogue.concerns for t in (*c.terms, *c.exclude)
            if "".join(segmenter.tokens(t)) != t]


def default_catalogue_path() -> Path:
    return Path(str(resources.files("voiceminer") / "resources" / "concerns.toml"))


def load_catalogue(path: str | Path) -> ConcernCatalogue:
    """Read and validate a concerns TOML file; raise CodebookError naming file, line and key."""
    path = Path(path)
    data, text, raw = read_toml(path, "concern catalogue")
    return replace(_build(data, path, text), sha256=hashlib.sha256(raw).hexdigest())


def _line_of(text: str, needle: str) -> int | None:
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    return None


def _strings(value: Any, path: Path, key: str, line: int | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CodebookError(path, "must be a list of strings", line=line, key=key)
    return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))


def _build(data: dict[str, Any], path: Path, text: str) -> ConcernCatalogue:
    for key in data:
        if key not in _TOP_KEYS:
            raise CodebookError(path, f"unknown section; expected one of {sorted(_TOP_KEYS)}",
                                line=_line_of(text, key), key=key)
    meta = data.get("catalogue", {})
    for key in meta:
        if key not in _META_KEYS:
            raise CodebookError(path, f"unknown key in [catalogue]; allowed: {sorted(_META_KEYS)}",
                                line=_line_of(text, key), key=f"catalogue.{key}")
    raw = data.get("concern", [])
    if not isinstance(raw, list):
        raise CodebookError(path, "concerns must be [[concern]] tables", key="concern")
    concerns, seen = [], set()
    for block in raw:
        cid = block.get("id")
        line = _line_of(text, f'"{cid}"') if isinstance(cid, str) else None
        for key in block:
            if key not in _CONCERN_KEYS:
                raise CodebookError(path, f"unknown key in [[concern]]; allowed: "
                                    f"{sorted(_CONCERN_KEYS)}", line=line, key=key)
        if not isinstance(cid, str) or not _ID.match(cid):
            raise CodebookError(path, f"every concern needs an id of lowercase letters, digits and "
                                f"_; got {cid!r}", line=line, key="id")
        if cid in seen:
            raise CodebookError(path, f"concern id {cid!r} is used twice", line=line, key="id")
        seen.add(cid)
        label = block.get("label")
        if not isinstance(label, str) or not label.strip():
            raise CodebookError(path, f"concern {cid!r} needs a non-empty label", line=line,
                                key="label")
        themes = _strings(block.get("themes"), path, "themes", line)
        terms = _strings(block.get("terms"), path, "terms", line)
        if not themes or not terms:
            raise CodebookError(path, f"concern {cid!r} needs at least one theme and one term",
                                line=line, key="themes" if not themes else "terms")
        exclude = _strings(block.get("exclude", []), path, "exclude", line)
        concerns.append(KnownConcern(cid, label.strip(), themes, terms, exclude=exclude))
    return ConcernCatalogue(tuple(concerns), str(meta.get("name", "")),
                            str(meta.get("version", "")), str(path))


class TermMatcher:
    """Counts, per unit, how many of each concern's terms it says.

    Terms are looked for in the unit's tokens joined without spaces, so a term the segmenter
    split (二倍/工资) is still found; leftmost-longest and non-overlapping, so that 加班费 is not
    also counted as 加班 and 解除劳动合同 not as 劳动合同. A term said again counts once:
    a sentence that names the arbitration committee three times and 劳动关系 once names two
    concerns, one each, and its other words decide (``concern_seeds``) — counting repeats let
    the procedure, which judgments and letters repeat, outvote what the case was about
    (benchmarks/README.md, "Concern discovery").

    The terms go into one Aho-Corasick automaton (``pyahocorasick``), read leftmost-longest:
    it finds exactly what the plain alternation of the terms, longest first, finds (and what
    ``trie_pattern``'s expression finds; an empty term, which no loaded catalogue has, finds
    nothing), 2.7 times as fast as that expression, which had taken 1.6 s of a seed-scale
    study's concern stage.

    A concern's ``exclude`` phrases are matched like terms and name no concern: the text they
    hold counts for none (入会了, where 入会 would name 入会门槛与手续).
    """

    def __init__(self, concerns: Sequence[KnownConcern]) -> None:
        self.concerns = tuple(concerns)
        owners: dict[str, list[int]] = {}  # term -> the concerns (indices) it names
        for j, c in enumerate(self.concerns):
            for t in c.terms:
                owners.setdefault(t, []).append(j)
        for c in self.concerns:
            for phrase in c.exclude:
                owners.setdefault(phrase, [])
        self.owners = owners
        self._automaton = None
        if owners:
            import ahocorasick

            self._automaton = ahocorasick.Automaton()
            for term in owners:
                self._automaton.add_word(term, term)
            self._automaton.make_automaton()

    def found(self, text: str) -> list[str]:
        """Every term and exclude phrase in ``text``, leftmost-longest, without overlaps.

        The automaton reports every match, overlaps included, and the leftmost-longest are
        picked from them here. (Its own ``iter_long`` loses a term that ends inside two longer
        terms' prefixes, 倍 in 系资倍x when 系资倍合 and 资倍定 are terms, in pyahocorasick 2.3.)"""
        if self._automaton is None:
            return []
        hits = sorted((end + 1 - len(term), -len(term), term)
                      for end, term in self._automaton.iter(text))
        out, free = [], 0  # free: where the text after the last term picked starts
        for start, minus_len, term in hits:
            if start >= free:
                out.append(term)
                free = start - minus_len
        return out

    def terms_in(self, tokens: Sequence[str]) -> set[str]:
        """The distinct terms a unit's tokens say, found as ``scores`` finds them."""
        return {t for t in self.found("".join(tokens)) if self.owners[t]}

    def scores(self, tokens: Sequence[Sequence[str]]) -> np.ndarray:
        """(units × concerns) counts of the distinct terms found; a term two concerns share
        counts for both.

        float32, exact for any count: the matrix is dense, and for the 800,000 uncoded units of
        a million posts against the whole catalogue float64 was 0.47 GB at the concern stage's
        peak (``ThemeClusterer._seeded`` also lets it go once the seeds are known)."""
        n, k = len(tokens), len(self.concerns)
        if self._automaton is None or not n:
            return np.zeros((n, k), dtype=np.float32)
        find, owners = self.found, self.owners
        cells = array("q")  # unit * k + concern, once per distinct term found; 8 bytes each
        for i, toks in enumerate(tokens):
            found = find("".join(toks))
            if found:
                base = i * k
                cells.extend(base + j for term in set(found) for j in owners[term])
        counts = np.zeros(n * k, dtype=np.float32)
        np.add.at(counts, np.frombuffer(cells, dtype=np.int64), 1)  # a cell may come twice
        return counts.reshape(n, k)


def trie_pattern(terms: Iterable[str]) -> str:
    """A regular expression matching ``terms`` leftmost-longest, as ``"|".join`` of the terms
    sorted longest first does, but laid out as a trie: ``加班(?:费|工资)?`` for 加班, 加班费 and
    加班工资.

    Why it is the same match: the terms that match at one position are all prefixes of the text
    there, so they lie on one path of the trie, and the greedy ``?`` takes the deepest of them —
    the longest, which is what the sorted alternation takes first. Siblings start with different
    characters, so at most one of them can match and their order does not matter.

    >>> import re
    >>> re.findall(trie_pattern(["加班", "加班费", "劳动合同", "解除劳动合同"]), "解除劳动合同还欠加班费")
    ['解除劳动合同', '加班费']
    """
    trie: dict[str, dict] = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}  # a term ends here

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(node[ch]) for ch in sorted(node) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        return f"(?:{body})?"

    return emit(trie)
