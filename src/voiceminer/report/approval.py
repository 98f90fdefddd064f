"""Does an answer approve of what it speaks of? Read for counts and for choosing quotes.

A list of worker concerns also gathers praise: 送清凉挺好，希望能坚持 is a verdict on the union's
summer visits, not a problem. The issue list (build.py) counts the people who approve of a
concern, and has someone who complains quoted before someone who praises (quotes.py), since a
line that says a concern is raised and then quotes a thank-you misleads the reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..schema import evidence_terms
from .excerpts import concern_words, sentences

# Words that approve of what they speak of, not preceded by a negation (不满意 is no praise)
# nor by 就, which makes them the measure of a low hope (过年能回去待个七八天就不错了, 能按时发
# 就很好了: a complaint), and words that turn an answer to a complaint after all (挺好的，就是
# 工资太低): this team's lists.
_APPROVAL = re.compile(r"(?<![不没就])(?:挺好|很好|不错|满意|贴心|暖心|感谢|点赞|给力|"
                       r"希望能坚持|希望继续|坚持下去)")
_BUT = re.compile(r"但|就是|可是|不过|只是|然而|问题是")


# The concern's leading terms, which decide what a sentence is about: further down its top terms
# come words of the setting (网点), and a post thanking the union for a visit to the 网点 in one
# sentence and saying 押金也不退 in the next had counted as approving of the deposit.
LEADING_TERMS = 3


def approves(clean: str, terms: tuple[str, ...], *, named: re.Pattern[str] | None = None,
             evidence: Iterable[str] = (), theme: str | None = None) -> bool:
    """In the sentences that say one of the concern's leading terms (else any of its words:
    its terms, then the catalogue's words for it that the answer says, ``named``,
    ``excerpts.concern_words``; else the words that coded the answer into the concern's
    ``theme``, from its ``evidence``; else the whole answer), an approving word and no "but".
    A post praising a station owner in one sentence and asking about arbitration in the next
    does not approve of arbitration; nor does one saying 快递柜…这钱都是我们自己掏 (its 成本
    words) before 驿站老板人挺好 approve of its costs. The theme's words come after the
    concern's: a theme word (吃饭) may sit in the praise while the concern's own word (宿舍) sits
    in the complaint. The concern's and the theme's words are worked out only for an answer
    that holds an approving word at all: most do not, and every member of every line is read."""
    if not _APPROVAL.search(clean):  # most answers: nothing to look at sentence by sentence
        return False
    words = concern_words(terms, named, clean)
    anchors = evidence_terms(evidence, theme) if theme is not None else []
    said = sentences(clean)
    about = ([x for x in said if any(t in x for t in words[:LEADING_TERMS])]
             or [x for x in said if any(t in x for t in words)]
             or [x for x in said if any(a in x for a in anchors)] or [clean])
    return any(_APPROVAL.search(x) and not _BUT.search(x) for x in about)
