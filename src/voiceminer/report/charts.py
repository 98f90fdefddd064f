"""Chart images report writers can paste: theme prevalence as a PNG with Chinese labels.

matplotlib's default font has no Chinese glyphs and silently draws boxes (□□□) instead, which a
report writer may not notice until the draft is printed. So the chart is drawn only with a font
found on the system that really holds the glyphs of every label; if there is none, a
``MissingFontError`` names the package to install rather than producing a broken picture.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from ..errors import VoiceminerError
from .model import IssueList

if TYPE_CHECKING:  # matplotlib is imported lazily; this is for type checkers only.
    from matplotlib.figure import Figure

# Families tried in order (Debian/Ubuntu, then Windows and macOS names).
CJK_FAMILIES: Final = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Serif CJK SC", "Noto Serif CJK JP",
    "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Droid Sans Fallback",
    "AR PL UMing CN",
)
FONT_ENV: Final = "VOICEMINER_CJK_FONT"  # path to a .ttf/.otf/.ttc, overrides the search
INSTALL_HINT: Final = (
    "No font with Chinese glyphs was found, so charts cannot be drawn without showing boxes. "
    "Install one, e.g. on Debian/Ubuntu: 'apt-get install fonts-noto-cjk' (or fonts-wqy-zenhei); "
    "on Windows and macOS a Chinese system font (Microsoft YaHei, PingFang SC) is found "
    f"automatically; or set {FONT_ENV} to the path of a .ttf/.otf/.ttc font file.")
_PROBE: Final = "工资收入社会保险劳动安全货车司机网约车外卖骑手快递员省"
BAR_COLOUR: Final = "#4e79a7"
_FIGURES: dict[tuple[tuple[float, float], int], Figure] = {}  # see _blank_figure
_FIGURES_LOCK: Final = threading.Lock()


class MissingFontError(VoiceminerError):
    """No installed font can draw Chinese; the message names the package to install."""


def _missing_glyphs(path: str, text: str) -> str:
    """The non-ASCII characters of ``text`` the font at ``path`` cannot draw (all if unreadable)."""
    from matplotlib.ft2font import FT2Font

    wanted = sorted({ch for ch in text if not ch.isascii()})
    try:
        font = FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return "".join(wanted)
    return "".join(ch for ch in wanted if not font.get_char_index(ord(ch)))


def _covers(path: str, text: str) -> bool:
    return not _missing_glyphs(path, text)


@lru_cache(maxsize=1)
def find_cjk_font() -> Path:
    """The first installed font (``$VOICEMINER_CJK_FONT``, then :data:`CJK_FAMILIES`) that has
    glyphs for Chinese report labels; raise :class:`MissingFontError` if none does."""
    override = os.environ.get(FONT_ENV, "").strip()
    if override:
        if Path(override).is_file() and _covers(override, _PROBE):
            return Path(override)
        raise MissingFontError(f"{FONT_ENV}={override} is not a readable font with Chinese "
                               f"glyphs. {INSTALL_HINT}")
    from matplotlib import font_manager

    by_name: dict[str, list[str]] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, []).append(entry.fname)
    for family in CJK_FAMILIES:
        for fname in sorted(by_name.get(family, ()), key=_regular_first):
            if _covers(fname, _PROBE):
                return Path(fname)
    bundled = _bundled_font()
    if bundled is not None:
        return bundled
    raise MissingFontError(INSTALL_HINT)


def _bundled_font() -> Path | None:
    """Noto Sans CJK SC (SIL OFL) as shipped by the ``mplfonts`` package, a dependency, so a
    machine with no Chinese system font still draws Chinese labels."""
    import importlib.util

    spec = importlib.util.find_spec("mplfonts")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return path if path.is_file() and _covers(str(path), _PROBE) else None


def _regular_first(fname: str) -> tuple[bool, bool, str]:
    """Regular weight before bold or light files of the same family, then by path."""
    name = Path(fname).name.lower()
    return ("regular" not in name, any(w in name for w in ("bold", "black", "light", "thin")),
            fname)


def _font_props(size: float):
    from matplotlib.font_manager import FontProperties

    return FontProperties(fname=str(find_cjk_font()), size=size)


def bar_chart_png(labels: Sequence[str], shares: Sequence[float], *, title: str = "",
                  width_in: float = 6.3, dpi: int = 150) -> bytes:
    """Horizontal bars (largest on top) with the percent after each bar; PNG bytes.

    The same input gives the same bytes: no timestamp or software tag in the PNG.
    """
    with _FIGURES_LOCK:  # one figure per size is reused: one chart at a time per process
        return _draw_bars(labels, shares, title=title, width_in=width_in, dpi=dpi)


def _draw_bars(labels: Sequence[str], shares: Sequence[float], *, title: str, width_in: float,
               dpi: int) -> bytes:
    from .writers._content import format_pct

    font = _font_props(10)
    missing = _missing_glyphs(str(find_cjk_font()), "".join(labels) + title)
    if missing:
        raise MissingFontError(f"{find_cjk_font()} has no glyph for {missing}. {INSTALL_HINT}")
    n = max(len(labels), 1)
    fig = _blank_figure((width_in, 0.9 + 0.32 * n), dpi)
    ax = fig.add_subplot()
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, [s * 100 for s in shares], color=BAR_COLOUR, height=0.65)
    ax.set_yticks(ys, labels=list(labels), fontproperties=font)
    top = max([s * 100 for s in shares] + [1.0])
    ax.set_xlim(0, top * 1.18)
    for y, s in zip(ys, shares):
        ax.text(s * 100 + top * 0.01, y, format_pct(s), va="center", fontproperties=font)
    ax.set_xlabel("提及比例（%，占受访者）", fontproperties=font)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, fontproperties=_font_props(12))
    fig.tight_layout()
    # tight_layout leaves a placeholder layout engine behind, which makes savefig lay the figure
    # out (a whole draw) once more for nothing; the layout is done, so drop the engine
    fig.set_layout_engine(None)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _blank_figure(size: tuple[float, float], dpi: int) -> Figure:
    """An empty figure of ``size`` inches with its own Agg canvas, reused from the last chart of
    that size (call with ``_FIGURES_LOCK`` held).

    Why reuse: matplotlib caches text measurements per renderer, and an Agg canvas keeps its
    renderer while the figure size stays the same. A bare ``Figure`` would get a new canvas (and
    so a new renderer) on every ``tight_layout`` and ``savefig``, measuring every label with the
    large CJK font again; the province charts of a run share their theme labels and tick labels.
    A bare Figure with an explicit Agg canvas needs no pyplot, so a notebook's backend is
    untouched. The figure is cleared and its subplot margins reset to the defaults (``clear``
    does that itself only in newer matplotlib), so a chart comes out byte-identical to one drawn
    on a new figure; ``test_reused_figure_draws_the_same_png_as_a_fresh_one`` checks it.
    """
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = _FIGURES.get((size, dpi))
    if fig is None:
        if len(_FIGURES) >= 8:  # a few sizes (theme counts) per run; keep memory bounded
            _FIGURES.clear()
        fig = _FIGURES[(size, dpi)] = Figure(figsize=size, dpi=dpi)
        FigureCanvasAgg(fig)
    fig.clear()
    fig.subplotpars.update(**{key: mpl.rcParams[f"figure.subplot.{key}"]
                              for key in ("left", "right", "bottom", "top", "wspace", "hspace")})
    return fig


def theme_chart_png(issues: IssueList, **kwargs) -> bytes | None:
    """The province's themes by share of respondents, or ``None`` when it has no themes."""
    from .writers._content import ordered_themes

    themes = ordered_themes(issues)
    if not themes:
        return None
    return bar_chart_png([t.label for t in themes], [t.share for t in themes],
                         title=f"{issues.province}：各主题提及比例", **kwargs)
