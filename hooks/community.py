"""Community and resource links: one YAML file (includes/community.yml), validated once per build and
rendered into pages as Markdown tables.

A page asks for a table with a marker on a line of its own:

    <!-- community: chat -->            one category (see CATEGORIES)
    <!-- community: chat forum -->      several categories, one table with a 类别 column
    <!-- community: featured -->        the entries marked `featured: true` (the home page)

The same validation is used by scripts/check_links.py (the weekly link check), which imports this file:
`load(path)` returns the entries or raises `CommunityDataError`, whose message names the file, the line,
the entry and the problem, e.g.

    includes/community.yml:42: 第 7 条（Civitai）：platform 的值 “civit” 不在允许的列表中（允许：…）

A malformed file stops every build (MkDocs PluginError), so a bad link can never be published. Names,
descriptions and notes are also held to the 格式手册 typography rules (hooks/checks.py); those findings are
warnings, which `mkdocs build --strict` turns into a failure.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

DATA_FILE = "includes/community.yml"

# The fixed lists. Adding a platform, language or category means adding it here (with its Chinese label).
PLATFORMS = {
    "website": "网站",
    "github": "GitHub",
    "docs": "在线文档",
    "telegram": "Telegram",
    "discord": "Discord",
    "matrix": "Matrix",
    "qq": "QQ 频道",
    "reddit": "Reddit",
    "nga": "NGA",
    "bilibili": "哔哩哔哩",
    "huggingface": "Hugging Face",
    "civitai": "Civitai",
    "danbooru": "Danbooru",
}
LANGUAGES = {
    "zh-Hans": "简体中文",
    "zh-Hant": "繁体中文",
    "en": "英语",
    "ja": "日语",
    "ko": "韩语",
    "ru": "俄语",
    "multi": "多语言",
}
CATEGORIES = {
    "chat": "即时交流",
    "forum": "论坛与讨论区",
    "models": "模型站与在线服务",
    "creators": "创作者与教程",
    "tools": "工具与提示词资源",
    "docs": "官方仓库与文档",
    "project": "本站与原项目",
}
REQUIRED = ("name", "url", "platform", "language", "description", "category")
OPTIONAL = ("note", "featured", "bot_hostile", "accept_redirect")
MARKER_RE = re.compile(r"^[ \t]*<!--\s*community:\s*([a-z_ ,]+?)\s*-->[ \t]*$")
FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")

log = logging.getLogger("mkdocs.hooks.community")


class CommunityDataError(ValueError):
    """The data file is malformed; the message lists every problem, one per line."""


@dataclass
class Entry:
    index: int          # 1-based position in the file
    line: int           # line of the entry's first key
    name: str
    url: str
    platform: str
    language: list[str]
    description: str
    category: str
    note: str = ""
    featured: bool = False
    bot_hostile: bool = False
    accept_redirect: bool | str = False
    lines: dict = field(default_factory=dict, repr=False)   # key -> line, for messages

    def redirect_ok(self, target: str) -> bool:
        """Is a redirect from this entry's URL to `target` acceptable?"""
        if self.accept_redirect is True:
            return True
        if isinstance(self.accept_redirect, str):
            return target.startswith(self.accept_redirect)
        return False


def _label(index: int, name) -> str:
    return f"第 {index} 条（{name}）" if isinstance(name, str) and name.strip() else f"第 {index} 条"


def _http_url(value) -> bool:
    if not isinstance(value, str) or value != value.strip() or not value:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value


def _url_key(url: str) -> str:
    """Two spellings of one address compare equal: the case of scheme and host, a trailing slash."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}{path}{query}{fragment}"


def parse(text: str, source: str = DATA_FILE) -> list[Entry]:
    """Parse and validate the YAML text; raise CommunityDataError naming `source`, lines and entries."""
    problems: list[str] = []

    def bad(line: int, what: str, msg: str):
        problems.append(f"{source}:{line}: {what}：{msg}")

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise CommunityDataError(f"{source}:{line}: 不是合法的 YAML：{getattr(e, 'problem', None) or e}") from None
    if root is None:
        raise CommunityDataError(f"{source}:1: 文件是空的：应为条目列表（每条以 “- name:” 开头）")
    if not isinstance(root, yaml.SequenceNode):
        raise CommunityDataError(f"{source}:{root.start_mark.line + 1}: 顶层应为条目列表（每条以 “- name:” 开头）")

    construct = yaml.SafeLoader("").construct_object
    entries: list[Entry] = []
    seen_urls: dict[str, str] = {}
    for i, node in enumerate(root.value, start=1):
        line = node.start_mark.line + 1
        before = len(problems)
        if not isinstance(node, yaml.MappingNode):
            bad(line, f"第 {i} 条", "每一条都应是 “键: 值” 的映射")
            continue
        values, lines = {}, {}
        for knode, vnode in node.value:
            key = knode.value if isinstance(knode, yaml.ScalarNode) else str(knode)
            kline = knode.start_mark.line + 1
            if key in values:
                bad(kline, f"第 {i} 条", f"键 {key} 重复出现")
                continue
            if isinstance(vnode, yaml.ScalarNode):
                value = construct(vnode)
            elif isinstance(vnode, yaml.SequenceNode):
                value = [construct(v) if isinstance(v, yaml.ScalarNode) else v for v in vnode.value]
            else:
                value = vnode
            values[key], lines[key] = value, kline
        what = _label(i, values.get("name"))

        for key in values:
            if key not in REQUIRED and key not in OPTIONAL:
                bad(lines[key], what, f"未知的键 {key}（允许的键：{', '.join(REQUIRED + OPTIONAL)}）")
        for key in REQUIRED:
            if key not in values or values[key] in (None, "", []):
                bad(line, what, f"缺少必填字段 {key}")
        for key in ("name", "description", "note"):
            if key in values and values[key] is not None and not isinstance(values[key], str):
                bad(lines[key], what, f"{key} 应为一段文字")
            elif isinstance(values.get(key), str) and "\n" in values[key].strip():
                bad(lines[key], what, f"{key} 只能写一行")

        url = values.get("url")
        if "url" in values and url not in (None, ""):
            if not _http_url(url):
                bad(lines["url"], what, f"url “{url}” 不是 http:// 或 https:// 开头的完整网址")
            else:
                key = _url_key(url)
                if key in seen_urls:
                    bad(lines["url"], what, f"url {url} 与{seen_urls[key]}重复")
                else:
                    seen_urls[key] = what

        platform = values.get("platform")
        if platform not in (None, "") and platform not in PLATFORMS:
            bad(lines["platform"], what, f"platform 的值 “{platform}” 不在允许的列表中（允许：{', '.join(PLATFORMS)}）")
        category = values.get("category")
        if category not in (None, "") and category not in CATEGORIES:
            bad(lines["category"], what, f"category 的值 “{category}” 不在允许的列表中（允许：{', '.join(CATEGORIES)}）")
        langs = values.get("language")
        if isinstance(langs, str):
            langs = [langs]
        if langs not in (None, "", []):
            if not isinstance(langs, list) or not all(isinstance(x, str) for x in langs):
                bad(lines["language"], what, "language 应为语言代码，或语言代码的列表")
                langs = []
            for lang in langs:
                if lang not in LANGUAGES:
                    bad(lines["language"], what, f"language 的值 “{lang}” 不在允许的列表中（允许：{', '.join(LANGUAGES)}）")

        for key in ("featured", "bot_hostile"):
            if key in values and not isinstance(values[key], bool):
                bad(lines[key], what, f"{key} 只能是 true 或 false")
        accept = values.get("accept_redirect", False)
        if "accept_redirect" in values and not isinstance(accept, bool) and not _http_url(accept):
            bad(lines["accept_redirect"], what,
                "accept_redirect 只能是 true、false，或以 http:// 或 https:// 开头的网址前缀")

        if len(problems) == before:
            entries.append(Entry(
                index=i, line=line, name=values["name"].strip(), url=url, platform=platform,
                language=langs, description=values["description"].strip(), category=category,
                note=(values.get("note") or "").strip(), featured=values.get("featured", False),
                bot_hostile=values.get("bot_hostile", False), accept_redirect=accept, lines=lines))
    if problems:
        raise CommunityDataError("\n".join(problems))
    if not entries:
        raise CommunityDataError(f"{source}:1: 没有任何条目")
    return entries


def load(path: Path, source: str | None = None) -> list[Entry]:
    """Read and validate a data file. `source` is how messages name it (default: the path as given)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise CommunityDataError(f"{source or path}: 无法读取：{e.strerror}") from None
    return parse(text, source or str(path))


def style_findings(entries: list[Entry], source: str = DATA_FILE) -> list[str]:
    """The 格式手册 typography rules (spacing, punctuation, glossary) applied to names, descriptions and
    notes, as they are published in the tables. Returned as messages; the build logs them as warnings."""
    import importlib.util
    import sys
    checks = sys.modules.get("aidraw_checks")
    if checks is None:
        spec = importlib.util.spec_from_file_location("aidraw_checks", Path(__file__).with_name("checks.py"))
        checks = importlib.util.module_from_spec(spec)
        sys.modules["aidraw_checks"] = checks
        spec.loader.exec_module(checks)
    out = []
    for e in entries:
        for key in ("name", "description", "note"):
            value = getattr(e, key)
            for f in checks.check_markdown(source, value, home=True) if value else []:
                if f.rule in ("SPACE-1", "PUNC-1", "TERM-1", "TODO-1"):
                    out.append(f"{source}:{e.lines.get(key, e.line)}: {_label(e.index, e.name)}：{key}：[{f.rule}] {f.message}")
    return out


# ---------------------------------------------------------------------------------------------- rendering

def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _link_text(text: str) -> str:
    return _cell(text).replace("[", "\\[").replace("]", "\\]")


def render_table(entries: list[Entry], with_category: bool = False) -> str:
    head = ["名称", "平台", "语言", "简介", "备注"]
    if with_category:
        head.insert(1, "类别")
    rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for e in entries:
        cells = [f"[{_link_text(e.name)}]({e.url})", PLATFORMS[e.platform],
                 "、".join(LANGUAGES[x] for x in e.language), _cell(e.description), _cell(e.note) or "—"]
        if with_category:
            cells.insert(1, CATEGORIES[e.category])
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def select(entries: list[Entry], names: list[str]) -> list[Entry]:
    if names == ["featured"]:
        return [e for e in entries if e.featured]
    order = {c: n for n, c in enumerate(names)}
    picked = [e for e in entries if e.category in order]
    return sorted(picked, key=lambda e: order[e.category])   # stable: file order within a category


def render_markers(markdown: str, entries: list[Entry], page: str) -> str:
    """Replace every marker in `markdown` (not inside fenced code); an unknown category or an empty
    selection is an error naming the page and the line."""
    out, fence = [], None
    for no, line in enumerate(markdown.split("\n"), start=1):
        fm = FENCE_RE.match(line)
        if fence is None and fm:
            fence = fm.group(1)
        elif fence is not None:
            if fm and fm.group(1)[0] == fence[0] and len(fm.group(1)) >= len(fence) and line.strip() == fm.group(1):
                fence = None
        else:
            m = MARKER_RE.match(line)
            if m:
                line = _render_marker(m, entries, page, no)
        out.append(line)
    return "\n".join(out)


def _render_marker(m: re.Match, entries: list[Entry], page: str, line: int) -> str:
    marker = m.group(0).strip()
    names = [n for n in re.split(r"[\s,]+", m.group(1)) if n]
    unknown = [n for n in names if n not in CATEGORIES and n != "featured"]
    if unknown or not names or ("featured" in names and len(names) > 1):
        raise CommunityDataError(
            f"{page}:{line}: 社区表格标记 “{marker}” 写错了：类别应为 "
            f"{', '.join(CATEGORIES)} 之一（可写多个，用空格分隔），或单独写 featured")
    picked = select(entries, names)
    if not picked:
        raise CommunityDataError(f"{page}:{line}: 标记 “{marker}” 没有对应的条目")
    return render_table(picked, with_category=len(names) > 1 or names == ["featured"])


# ------------------------------------------------------------------------------------------- MkDocs hook

_entries: list[Entry] = []


def _plugin_error(e: Exception):
    from mkdocs.exceptions import PluginError
    return PluginError(f"社区链接表格出错（数据在 {DATA_FILE}，写法见 docs/reference/community.md）：\n{e}")


def on_config(config):
    global _entries
    root = Path(config["config_file_path"]).parent
    try:
        _entries = load(root / DATA_FILE, DATA_FILE)
    except CommunityDataError as e:
        raise _plugin_error(e) from None
    for message in style_findings(_entries):
        log.warning(message)
    log.debug("community: %d entries", len(_entries))
    return config


def on_page_markdown(markdown, page, config, files):
    if "<!--" not in markdown or "community:" not in markdown:
        return markdown
    try:
        return render_markers(markdown, _entries, f"docs/{page.file.src_uri}")
    except CommunityDataError as e:
        raise _plugin_error(e) from None
