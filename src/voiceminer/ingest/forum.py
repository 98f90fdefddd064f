"""Read forum/social-media exports (.jsonl, or .csv with a content column) into post records.

A post is one ``doc_id``; long posts are split into paragraphs so a 2,000-character rant about
five problems yields units the coder can handle, while the author stays one respondent.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Final

from ..errors import InputFileError
from ..schema import RESPONDENT, UNKNOWN
from .groups import group_from_path, match_group, normalize_group
from .markup import strip_html
from .provinces import province_from_ip, province_from_path
from .records import Record, error_detail, file_record, known
from .tables import Sheet, cell_text, load_csv, ragged_rows

MAX_UNIT_CHARS: Final = 300

# field -> accepted column/key names (compared lower-cased, exact)
_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "content": ("content", "内容", "正文", "text", "body", "帖子内容", "回复内容", "评论内容",
                "message"),
    "title": ("title", "标题", "帖子标题", "subject"),
    "author": ("author", "作者", "用户", "user", "username", "用户名", "昵称", "nickname", "发帖人"),
    "time": ("time", "时间", "发布时间", "date", "created_at", "发帖时间"),
    "location": ("location", "地区", "ip属地", "省份", "ip_location", "属地", "地点", "ip"),
    "board": ("board", "版块", "板块", "分类", "category", "forum", "频道"),
    "group": ("group", "群体", "职业"),
    "id": ("id", "post_id", "帖子id", "pid", "tid", "编号"),
}


def is_forum_header(headers: list[str]) -> bool:
    """A CSV is a forum export when one of its columns is post content (content/内容/正文…)."""
    return "content" in field_columns(headers)


def field_columns(headers: list[str]) -> dict[str, int]:
    """field -> column index for the fields present in ``headers`` (first match wins)."""
    return dict(_field_columns(tuple(headers)))


@lru_cache(maxsize=256)
def _field_columns(headers: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """``field_columns``, remembered: every post of a JSON Lines export has the same keys."""
    found: dict[str, int] = {}
    lowered = [h.strip().lower() for h in headers]
    for name, aliases in _FIELDS.items():
        for j, h in enumerate(lowered):
            if h in aliases and j not in found.values():
                found[name] = j
                break
    return tuple(found.items())


def read_forum(path: Path, relpath: str, *, sheet: Sheet | None = None) -> list[Record]:
    """Records for every post of a .jsonl or forum .csv, or one file-level skip record."""
    try:
        if path.suffix.lower() == ".csv":
            posts = _csv_posts(sheet if sheet is not None else load_csv(path))
        else:
            posts = _jsonl_posts(path)
    except InputFileError as exc:
        return [file_record(relpath, "unreadable_file", error_detail(exc, relpath),
                            source="forum")]
    if not posts:
        return [file_record(relpath, "empty_file", "the file has no posts — check the export",
                            source="forum")]
    path_province, path_group = province_from_path(relpath), group_from_path(relpath)
    records: list[Record] = []
    for line, post in posts:
        if isinstance(post, str):  # a line that could not be parsed: ``post`` says why
            where = f"{relpath}:{line}"
            records.append(Record(
                doc_id=where, respondent_id=where, source="forum", province=path_province,
                group=path_group, origin=where, speaker=RESPONDENT, question="", text="",
                skip_reason="unreadable_file", skip_detail=f"{where}: {post}"))
            continue
        records.extend(_post_records(post, line, relpath, path_province, path_group))
    return records


def forum_respondent(author: str) -> str:
    """``forum:`` and a pseudonym of the author's handle: the same handle always gives the same
    id, so one poster is still one voice, but no table carries the handle. A handle names a
    person online as surely as a name does, and units.csv and the code matrix are the files
    people share; the post's origin (file:line) still leads back to it."""
    return "forum:" + hashlib.sha256(author.strip().encode("utf-8")).hexdigest()[:10]


def _post_records(post: Mapping[str, str], line: int, relpath: str, path_province: str,
                  path_group: str) -> list[Record]:
    doc_id = f"{relpath}:{post.get('id') or line}"
    author = post.get("author", "")
    origin = f"{relpath}:{line}"
    location = post.get("location", "")
    province = known(province_from_ip(location) if location else UNKNOWN, path_province)
    explicit = post.get("group", "")
    group = known(normalize_group(explicit) if explicit else UNKNOWN,
                  match_group(post.get("board", "")) or UNKNOWN, path_group)
    common = dict(doc_id=doc_id, respondent_id=forum_respondent(author) if author else doc_id,
                  source="forum", province=province, group=group, origin=origin,
                  speaker=RESPONDENT, question=post.get("title", ""))
    # twice: scrapers sometimes escape markup twice (&lt;b&gt;), which one pass turns into tags
    content = strip_html(strip_html(post.get("content", "")))
    if not content.strip():
        return [Record(**common, text="", skip_reason="empty",
                       skip_detail=f"{origin}: the post has no content (title only or blank)")]
    return [Record(**common, text=part) for part in split_post(content)]


def split_post(text: str, limit: int = MAX_UNIT_CHARS) -> list[str]:
    """A post as units of at most ``limit`` characters where the writing allows it.

    Paragraph (line) boundaries first; a paragraph that is still too long is cut after 。！？
    with sentences packed back together up to the limit. A single sentence longer than the
    limit stays whole: cutting mid-sentence would break the words apart.
    """
    text = text.strip()
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    for para in (p.strip() for p in re.split(r"\n+", text)):
        if not para:
            continue
        if len(para) <= limit:
            parts.append(para)
            continue
        chunk = ""
        for sentence in re.findall(r"[^。！？!?]+(?:[。！？!?]+[”’」』）)]*)?|[。！？!?]+", para):
            if chunk and len(chunk) + len(sentence) > limit:
                parts.append(chunk.strip())
                chunk = ""
            chunk += sentence
        if chunk.strip():
            parts.append(chunk.strip())
    return parts


def _jsonl_posts(path: Path) -> list[tuple[int, dict[str, str] | str]]:
    """``(line, post)`` per non-blank line; a post is a problem string when the line is bad."""
    from .encoding import read_text

    text, _encoding = read_text(path)
    posts: list[tuple[int, dict[str, str] | str]] = []
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            posts.append((number, f"line {number} is not valid JSON ({exc.msg} at column "
                                  f"{exc.colno}) — fix or delete that line"))
            continue
        if not isinstance(obj, dict):
            posts.append((number, f"line {number} is {_json_kind(obj)}, not an object {{…}} "
                                  f"— fix or delete that line"))
            continue
        posts.append((number, _fields_of(obj, number)))
    return posts


def _json_kind(value: object) -> str:
    """A JSON value's type in plain words ("a number"), for people who never saw Python."""
    if value is None:
        return "null (empty)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list [...]" if isinstance(value, list) else "an object {…}"


def _fields_of(obj: Mapping[str, object], number: int) -> dict[str, str] | str:
    """Known fields of a JSON post as strings, or why the post cannot be read.

    Content must be text: a number, true/false, list or object there is an export error, not
    something a worker wrote, so the post is reported rather than coded as "12345". When two
    content keys (content and 内容) hold different texts both are kept, joined by a line break.
    Other fields keep nested values as compact JSON.
    """
    fields, content_keys = _json_layout(tuple(obj))
    out: dict[str, str] = {}
    for name, key in fields:
        value = obj[key]
        out[name] = (json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list))
                     else cell_text(value))
    texts = [obj[k].strip() for k in content_keys if isinstance(obj[k], str) and obj[k].strip()]
    if texts:
        out["content"] = "\n".join(dict.fromkeys(texts))
        return out
    wrong = next((k for k in content_keys if obj[k] is not None and not isinstance(obj[k], str)),
                 None)
    if wrong is not None:
        return (f"line {number}: “{wrong}” is {_json_kind(obj[wrong])}, not text — export the "
                f"post's text as a string, or delete that line")
    return out


@lru_cache(maxsize=256)
def _json_layout(keys: tuple[str, ...]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(field, key) of each known field, and the content keys, of a post with ``keys``: the
    posts of one export share their keys, and finding the fields was most of reading one."""
    columns = field_columns([str(k) for k in keys])
    return (tuple((name, keys[j]) for name, j in columns.items()),
            tuple(k for k in keys if str(k).strip().lower() in _FIELDS["content"]))


def _csv_posts(sheet: Sheet) -> list[tuple[int, dict[str, str] | str]]:
    """``(line, post)`` for each data row of a forum CSV (header is the first row)."""
    if not sheet.rows:
        return []
    columns = field_columns(sheet.rows[0][1])
    content_cols = [j for j, h in enumerate(sheet.rows[0][1])
                    if h.strip().lower() in _FIELDS["content"]]
    ragged = ragged_rows(sheet, 0)
    posts: list[tuple[int, dict[str, str] | str]] = list(sheet.problems.items())
    for number, cells in sheet.rows[1:]:
        if number in ragged:
            posts.append((number, ragged[number]))
            continue
        post = {name: cells[j] if j < len(cells) else "" for name, j in columns.items()}
        texts = [cells[j] for j in content_cols if j < len(cells) and cells[j]]
        if texts:  # two content columns (内容, 内容#2) with different texts: keep both
            post["content"] = "\n".join(dict.fromkeys(texts))
        posts.append((number, post))
    return sorted(posts, key=lambda post: post[0])
