"""The page frame of the HTML report: inline CSS and JS, the quote list and its filter.

Everything a page needs is inside the file, so the report works opened straight from disk, from a
USB stick or an intranet share with no network. The quote filter is a few lines of plain
JavaScript over ``data-`` attributes of server-rendered rows: with JavaScript off, every quote is
still there to read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Final

# System CJK fonts first (Windows, macOS, Debian/Ubuntu), so Chinese never falls back to boxes.
FONT_STACK: Final = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
                     '"WenQuanYi Zen Hei", "Noto Serif CJK SC", "SimSun", sans-serif')

CSS: Final = """
body{font-family:%s;margin:0;color:#222;background:#fafafa;line-height:1.55}
header{background:#08457e;color:#fff;padding:14px 28px}
header a{color:#cfe3ff}
header h1{margin:0;font-size:22px}
main{padding:8px 28px 40px;max-width:1180px}
section{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:12px 18px;margin:16px 0}
h2{font-size:18px;margin:4px 0 10px}
nav.provinces a{display:inline-block;margin:2px 8px 2px 0}
.note{color:#666;font-size:13px}
.chart text{font-size:13px;fill:#222}
.chart text.row{text-anchor:end}
.chart text.col{text-anchor:start}
.chart text.v{text-anchor:middle;font-size:12px}
.chart text.v.dark{fill:#fff}
.chart text.small{font-size:10px;fill:#555}
.chart a text{fill:#08457e;text-decoration:underline}
.scroll{overflow-x:auto}
table.data{border-collapse:collapse;font-size:14px}
table.data th,table.data td{border:1px solid #ddd;padding:3px 8px;text-align:left}
table.data td.num{text-align:right}
table.data th{background:#f0f3f7;white-space:nowrap}
tr.grew td.status{color:#b30000}
tr.shrank td.status{color:#006d2c}
tr.appeared td.status{color:#b30000;font-weight:bold}
tr.disappeared td.status{color:#666}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:8px}
.filters input{flex:1;min-width:220px;padding:5px 8px;font-size:14px}
.filters select{padding:4px;font-size:14px}
ol.quotes{list-style:none;padding:0;margin:0}
ol.quotes li{border-bottom:1px solid #eee;padding:6px 2px}
ol.quotes li[hidden]{display:none}
ol.quotes .q{font-size:15px}
ol.quotes .meta{font-size:12px;color:#666}
ol.quotes .tag{display:inline-block;background:#eef3fa;border-radius:3px;padding:0 5px;margin-right:4px}
ol.concerns li{margin:3px 0}
""" % FONT_STACK

# Filters quote rows by free text (quote, origin, concern) and by theme and group selects.
JS: Final = """
(function(){
  var box=document.getElementById('quote-search');
  if(!box){return;}
  var theme=document.getElementById('quote-theme'), group=document.getElementById('quote-group');
  var rows=Array.prototype.slice.call(document.querySelectorAll('#quote-list li'));
  var count=document.getElementById('quote-count');
  function apply(){
    var q=box.value.trim().toLowerCase(), t=theme.value, g=group.value, shown=0;
    rows.forEach(function(li){
      var ok=(!q||li.getAttribute('data-search').indexOf(q)>=0)&&
             (!t||li.getAttribute('data-theme')===t)&&(!g||li.getAttribute('data-group')===g);
      li.hidden=!ok; if(ok){shown++;}
    });
    count.textContent=shown+' / '+rows.length;
  }
  box.addEventListener('input',apply); theme.addEventListener('change',apply);
  group.addEventListener('change',apply);
  var m=/[?&]q=([^&]*)/.exec(location.search); if(m){box.value=decodeURIComponent(m[1]);}
  apply();
})();
"""


@dataclass(frozen=True)
class QuoteRow:
    """One quote of the filterable list, with what it is filed under."""

    text: str
    origin: str
    province: str
    group: str
    source: str
    theme_id: str
    theme: str
    concern: str


def page(title: str, body: str, *, subtitle: str = "", home: str = "") -> str:
    """A complete HTML5 document with the shared style and the quote-filter script inline."""
    back = f'<p><a href="{escape(home)}">← 返回总览</a></p>' if home else ""
    sub = f"<div>{escape(subtitle)}</div>" if subtitle else ""
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f"<header>{back}<h1>{escape(title)}</h1>{sub}</header>\n<main>\n{body}\n</main>\n"
            f"<script>{JS}</script>\n</body>\n</html>\n")


def section(heading: str, inner: str, *, section_id: str = "", note: str = "") -> str:
    sid = f' id="{escape(section_id)}"' if section_id else ""
    n = f'<p class="note">{escape(note)}</p>' if note else ""
    return f"<section{sid}><h2>{escape(heading)}</h2>{n}{inner}</section>\n"


def table(header: Sequence[str], rows: Iterable[Sequence[object]], *,
          col_classes: Sequence[str] = (), row_classes: Sequence[str] = (),
          table_id: str = "") -> str:
    """A plain data table, every cell escaped; ``col_classes`` style columns (``num``, ``status``)."""
    tid = f' id="{escape(table_id)}"' if table_id else ""
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = []
    for k, row in enumerate(rows):
        cls = f' class="{escape(row_classes[k])}"' if k < len(row_classes) else ""
        cells = "".join(
            (f'<td class="{escape(col_classes[i])}">' if i < len(col_classes) and col_classes[i]
             else "<td>") + f"{escape(str(v))}</td>" for i, v in enumerate(row))
        body.append(f"<tr{cls}>{cells}</tr>")
    return (f'<div class="scroll"><table class="data"{tid}><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def quote_list(quotes: Sequence[QuoteRow], *, themes: Sequence[tuple[str, str]],
               groups: Sequence[str], source_label=lambda s: s) -> str:
    """The searchable list: a text box, theme and group selects, and one row per quote."""
    theme_opts = "".join(f'<option value="{escape(t)}">{escape(label)}</option>'
                         for t, label in themes)
    group_opts = "".join(f'<option value="{escape(g)}">{escape(g)}</option>' for g in groups)
    items = []
    for q in quotes:
        search = " ".join((q.text, q.origin, q.concern, q.theme, q.group, q.province)).lower()
        meta = (f'<span class="tag">{escape(q.theme)}</span><span class="tag">{escape(q.concern)}'
                f'</span>{escape(q.group)} · {escape(q.province)} · {escape(source_label(q.source))}'
                f' · <span class="origin">{escape(q.origin)}</span>')
        items.append(f'<li data-theme="{escape(q.theme_id)}" data-group="{escape(q.group)}" '
                     f'data-search="{escape(search)}"><div class="q">“{escape(q.text)}”</div>'
                     f'<div class="meta">{meta}</div></li>')
    return ('<div class="filters"><input id="quote-search" type="search" '
            'placeholder="搜索引语、来源或问题…" aria-label="搜索引语">'
            f'<select id="quote-theme" aria-label="主题"><option value="">全部主题</option>'
            f'{theme_opts}</select><select id="quote-group" aria-label="群体">'
            f'<option value="">全部群体</option>{group_opts}</select>'
            f'<span class="note">显示 <span id="quote-count">{len(quotes)} / {len(quotes)}'
            f'</span> 条</span></div><ol class="quotes" id="quote-list">{"".join(items)}</ol>')
