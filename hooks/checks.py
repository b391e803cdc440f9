"""The checkable rules of the 格式手册 (docs/getting-started/style-guide.md).

Used in two places:
- as a MkDocs hook (mkdocs.yml `hooks:`): every build checks every page and asset. Broken input that would
  publish something wrong (a hot-linked or oversized image, a bad file name, a malformed table) stops the
  build with an error; typography findings are warnings, which `mkdocs build --strict` turns into a failure.
- by scripts/check_docs.py, which prints the same findings for chosen files and can fix the typography ones.

Every finding names the file, the line and the rule, e.g.
    docs/install/a1111.md:42: [SPACE-1] 中文与英文、数字之间要加空格：“安装Python” 应为 “安装 Python”
"""

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

RULES = {
    "FILE-1": "文件名与文件夹名只用小写英文字母、数字和连字符（-）",
    "IMG-1": "图片必须存放在本仓库中，不得外链",
    "IMG-2": "图片文件过大",
    "IMG-3": "图片必须写替代文字（alt）",
    "IMG-4": "SVG 不得引用外部资源，也不得内嵌脚本",
    "TABLE-1": "表格每一行的单元格数必须与表头相同",
    "SPACE-1": "中文与英文、数字之间要加空格",
    "PUNC-1": "中文句子里使用全角标点",
    "TERM-1": "使用术语表规定的译名",
    "TODO-1": "页面里不得留下 TODO、待补充之类的占位内容",
    "HEAD-1": "每页恰好一个一级标题",
    "SRC-1": "内容页必须以“## 参考资料”一节结尾",
}
# Findings of these rules stop every build; the others are warnings (fatal under --strict).
ERROR_RULES = {"FILE-1", "IMG-1", "IMG-2", "IMG-4", "TABLE-1"}

RASTER_LIMIT = 300 * 1024
SVG_LIMIT = 100 * 1024
IMAGE_EXTS = {".png", ".jpg", ".jpeg", ".webp", ".avif", ".gif", ".svg"}

# Terms the glossary rules out, with the term to use instead.
AVOID_TERMS = {
    "反向提示词": "负面提示词",
    "负向提示词": "负面提示词",
    "迭代步数": "步数",
    "降噪强度": "重绘幅度",
    "高分辨率修复": "高清修复",
    "控制网": "ControlNet",
    "懒人包": "整合包",
    "超分器": "放大算法",
    "显卡内存": "显存",
    "基模": "底模",
}

HAN = "\u3400-\u4dbf\u4e00-\u9fff"
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")
TODO_RE = re.compile(r"(?<![A-Za-z])(?:TODO|TBD|FIXME)(?![A-Za-z]|-\d)|待补充|施工中|待完善|敬请期待")
IGNORE_RE = re.compile(r"<!--\s*check-ignore\s+([A-Z0-9\-, ]+?)\s*-->")
TABLE_SEP_RE = re.compile(r"^\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")

# Placeholders for masked spans: "latin-like" ones need a space next to Chinese (inline code, URLs);
# "transparent" ones sit inside the spacing decision (link targets, HTML tags, footnote marks).
_L0, _T0 = 0xE000, 0xF000
LATIN = f"A-Za-z0-9\uE000-\uEFFF"
TRANSPARENT = r"\[\]*\uF000-\uF8FF"

# Names written as their owners write them, with no space between Chinese and Latin (SPACE-1 exempts them).
PROPER_NAMES = ["秋葉aaaki", "Nenly同学", "六天K"]

_MASKS = [
    ("T", re.compile("|".join(map(re.escape, PROPER_NAMES)))),   # proper names, spelled as their owners do
    ("L", re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")),            # inline code
    ("L", re.compile(r"<(code|kbd)\b[^>]*>.*?</\1>")),          # inline code written as HTML
    ("T", re.compile(r"<!--.*?-->")),                            # inline HTML comment
    ("L", re.compile(r"<https?://[^>\s]+>")),                    # autolink
    ("T", re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)")),  # link/image target
    ("T", re.compile(r"\]\[[^\]]*\]")),                          # reference link label
    ("T", re.compile(r"</?[A-Za-z][^>]*>")),                     # HTML tag
    ("T", re.compile(r"\{\s*[:#.][^}]*\}")),                     # attribute list
    ("T", re.compile(r"\[\^[^\]]+\]")),                          # footnote reference
    ("L", re.compile(rf"https?://[^\s)）>，。{HAN}]+")),                    # bare URL
    ("L", re.compile(r"\+\+[a-z0-9+\-]+\+\+")),                  # ++ctrl+enter++
]

_SPACE_LEFT = re.compile(rf"([{HAN}])([{TRANSPARENT}]*)([{LATIN}])")
_SPACE_RIGHT = re.compile(rf"([{LATIN}])([{TRANSPARENT}]*)([{HAN}])")
_FULLWIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_PUNC_AFTER_HAN = re.compile(rf"(?<=[{HAN}])([,;:?!])(?!\[) ?")
_PAREN_HAN = re.compile(rf" ?\(([^()]*[{HAN}][^()]*)\) ?")

log = logging.getLogger("mkdocs.hooks.checks")


@dataclass
class Finding:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: [{self.rule}] {self.message}"

    @property
    def is_error(self) -> bool:
        return self.rule in ERROR_RULES


def _mask(line: str) -> tuple[str, list[str]]:
    saved: list[str] = []

    for kind, pattern in _MASKS:
        def repl(m: re.Match, kind=kind) -> str:
            text = m.group(0)
            # keep the "]" of a link in the text: it is part of the spacing decision
            keep = "]" if text.startswith("]") else ""
            saved.append(text[len(keep):])
            base = _L0 if kind == "L" else _T0
            return keep + chr(base + len(saved) - 1)
        line = pattern.sub(repl, line)
    return line, saved


def _unmask(line: str, saved: list[str]) -> str:
    def repl(m: re.Match) -> str:
        code = ord(m.group(0))
        return saved[code - (_L0 if code < _T0 else _T0)]
    # placeholders may nest (a masked span containing an earlier placeholder): repeat until stable
    for _ in range(4):
        new = re.sub(r"[\uE000-\uEFFF\uF000-\uF8FF]", repl, line)
        if new == line:
            break
        line = new
    return line


def _split_run(line: str, start: int, run: str) -> int:
    """Where the space goes in a run of brackets, stars and masked link targets between Chinese and
    Latin text: after the closing marks ("]", "(url)", a closing "**"), before the opening ones."""
    cut = 0
    k = 0
    while k < len(run):
        ch = run[k]
        if ch == "*":
            n = len(run[k:]) - len(run[k:].lstrip("*"))
            opening = len(re.findall(r"\*+", line[:start + k])) % 2 == 0
            if opening:
                return cut
            k += n
            cut = k
        elif ch == "[":
            return cut
        else:
            k += 1
            cut = k
    return cut


def fix_spacing(masked: str) -> str:
    def repl(m: re.Match) -> str:
        cut = _split_run(m.string, m.start(2), m.group(2))
        return m.group(1) + m.group(2)[:cut] + " " + m.group(2)[cut:] + m.group(3)
    masked = _SPACE_LEFT.sub(repl, masked)
    return _SPACE_RIGHT.sub(repl, masked)


def fix_punctuation(masked: str) -> str:
    masked = _PUNC_AFTER_HAN.sub(lambda m: _FULLWIDTH[m.group(1)], masked)
    return _PAREN_HAN.sub(lambda m: f"（{m.group(1)}）", masked)


def fix_line(line: str) -> str:
    """Return the line with SPACE-1 and PUNC-1 problems fixed (code, URLs and HTML untouched)."""
    masked, saved = _mask(line)
    return _unmask(fix_spacing(fix_punctuation(masked)), saved)


def _snippet(before: str, after: str) -> str:
    """The shortest differing stretch of two versions of a line, with a little context."""
    i = 0
    while i < min(len(before), len(after)) and before[i] == after[i]:
        i += 1
    j = 0
    while j < min(len(before), len(after)) - i and before[-1 - j] == after[-1 - j]:
        j += 1
    a, b = max(0, i - 6), 6
    return f"“{before[a:len(before) - j + b].strip()}” 应为 “{after[a:len(after) - j + b].strip()}”"


def _cells(row: str) -> int:
    masked, _ = _mask(row.strip())
    masked = masked.replace("\\|", "")
    if masked.startswith("|"):
        masked = masked[1:]
    if masked.endswith("|"):
        masked = masked[:-1]
    return masked.count("|") + 1


def content_lines(text: str):
    """Yield (line number, line, in_code) for a Markdown text, skipping front matter."""
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        for k in range(1, len(lines)):
            if lines[k].strip() in ("---", "..."):
                start = k + 1
                break
    fence = None
    in_comment = False
    for k in range(start, len(lines)):
        line = lines[k]
        m = FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group(1)
            yield k + 1, line, True
            continue
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and \
                    line.strip() == m.group(1):
                fence = None
            yield k + 1, line, True
            continue
        if in_comment:
            if "-->" in line:
                in_comment = False
            yield k + 1, line, True
            continue
        if line.lstrip().startswith("<!--") and "-->" not in line:
            in_comment = True
            yield k + 1, line, True
            continue
        yield k + 1, line, False


def check_markdown(path: str, text: str, *, home: bool = False, index: bool = False) -> list[Finding]:
    out: list[Finding] = []
    h1 = 0
    h2: list[str] = []
    rows = list(content_lines(text))
    table_cols = None
    for pos, (no, line, code) in enumerate(rows):
        if code:
            table_cols = None
            continue
        ignored = set()
        for m in IGNORE_RE.finditer(line):
            ignored |= {r.strip() for r in m.group(1).split(",")}
        stripped = line.strip()

        # TABLE-1: a header row followed by a separator row starts a table
        nxt = rows[pos + 1] if pos + 1 < len(rows) else None
        if table_cols is None and "|" in stripped and nxt and not nxt[2] and \
                TABLE_SEP_RE.match(nxt[1].strip()) and "-" in nxt[1]:
            table_cols = _cells(stripped)
            sep_cols = _cells(nxt[1].strip())
            if sep_cols != table_cols:
                out.append(Finding(path, nxt[0], "TABLE-1",
                                   f"表格分隔行有 {sep_cols} 列，表头有 {table_cols} 列"))
        elif table_cols is not None:
            if "|" in stripped and stripped:
                n = _cells(stripped)
                if n != table_cols and "TABLE-1" not in ignored:
                    out.append(Finding(path, no, "TABLE-1",
                                       f"这一行有 {n} 个单元格，表头有 {table_cols} 个"
                                       "（单元格里的竖线要写成 \\|）"))
            else:
                table_cols = None

        if stripped.startswith("# "):
            h1 += 1
        elif stripped.startswith("## "):
            h2.append(stripped[3:].strip())

        # IMG-1 / IMG-3
        for m in re.finditer(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)", line):
            alt, url = m.group(1), m.group(2)
            if re.match(r"(?i)(https?:)?//", url):
                out.append(Finding(path, no, "IMG-1", f"外链图片 {url}：请把图片放进 docs/assets/images/"))
            elif not alt.strip() and "IMG-3" not in ignored:
                out.append(Finding(path, no, "IMG-3", f"图片 {url} 没有替代文字"))
        for m in re.finditer(r"<img\b[^>]*>", line, re.I):
            tag = m.group(0)
            src = re.search(r"\ssrc\s*=\s*[\"']?([^\"'\s>]+)", tag, re.I)
            if src and re.match(r"(?i)(https?:)?//", src.group(1)):
                out.append(Finding(path, no, "IMG-1", f"外链图片 {src.group(1)}：请把图片放进 docs/assets/images/"))
            if not re.search(r"\salt\s*=\s*[\"'][^\"']+", tag, re.I) and "IMG-3" not in ignored:
                out.append(Finding(path, no, "IMG-3", "<img> 没有替代文字"))

        masked, saved = _mask(line)
        if "TODO-1" not in ignored:
            m = TODO_RE.search(masked)
            if m:
                out.append(Finding(path, no, "TODO-1", f"占位内容“{m.group(0)}”：写完再提交，或删去这一段"))
        if "TERM-1" not in ignored:
            for bad, good in AVOID_TERMS.items():
                if bad in masked:
                    out.append(Finding(path, no, "TERM-1", f"请用“{good}”代替“{bad}”（见术语表）"))
        if "PUNC-1" not in ignored:
            fixed = fix_punctuation(masked)
            if fixed != masked:
                out.append(Finding(path, no, "PUNC-1", "中文句子里应使用全角标点：" +
                                   _snippet(_unmask(masked, saved), _unmask(fixed, saved))))
        if "SPACE-1" not in ignored and not TABLE_SEP_RE.match(stripped or "x"):
            fixed = fix_spacing(masked)
            if fixed != masked:
                out.append(Finding(path, no, "SPACE-1", "中文与英文、数字之间要加空格：" +
                                   _snippet(_unmask(masked, saved), _unmask(fixed, saved))))

    if not home and h1 != 1:
        out.append(Finding(path, 0, "HEAD-1", f"页面有 {h1} 个一级标题（# 标题），应恰好一个"))
    if not home and not index and (not h2 or h2[-1] != "参考资料"):
        out.append(Finding(path, 0, "SRC-1", "最后一个二级标题应是“## 参考资料”，列出本页依据的来源"))
    return out


def check_name(rel: str) -> list[Finding]:
    out = []
    parts = rel.replace(os.sep, "/").split("/")
    for k, part in enumerate(parts):
        stem, dot, ext = part.partition(".") if k == len(parts) - 1 else (part, "", "")
        # minified vendor files such as glightbox.min.js keep their dots
        ok = NAME_RE.match(stem) and (not ext or re.match(r"^[a-z0-9]+(\.[a-z0-9]+)*$", ext))
        if not ok:
            out.append(Finding(rel, 0, "FILE-1",
                               f"“{part}”不合规则：{RULES['FILE-1']}，例如 lora-training.md"))
            break
    return out


def check_asset(rel: str, path: Path) -> list[Finding]:
    out = []
    ext = path.suffix.lower()
    if ext not in IMAGE_EXTS:
        return out
    size = path.stat().st_size
    limit = SVG_LIMIT if ext == ".svg" else RASTER_LIMIT
    if size > limit:
        out.append(Finding(rel, 0, "IMG-2", f"图片 {size // 1024} KB，超过 {limit // 1024} KB 上限："
                           "请压缩或改用 WebP/AVIF（SVG 请精简）"))
    if ext == ".svg":
        text = path.read_text(encoding="utf-8", errors="replace")
        for no, line in enumerate(text.split("\n"), 1):
            m = re.search(r"(?:href|src)\s*=\s*[\"']\s*((?:https?:)?//[^\"']+)|@import|<script\b|url\(\s*[\"']?(?:https?:)?//",
                          line, re.I)
            if m:
                out.append(Finding(rel, no, "IMG-4", f"SVG 引用了外部资源或脚本：{m.group(0)[:60]}"))
    return out


def check_tree(docs_dir: Path, rels: list[str]) -> list[Finding]:
    """Check the given files (paths relative to docs_dir)."""
    out: list[Finding] = []
    shown = docs_dir.name
    for rel in sorted(rels):
        path = docs_dir / rel
        name = f"{shown}/{rel}".replace(os.sep, "/")
        for f in check_name(rel):
            f.path = name
            out.append(f)
        if rel.endswith(".md"):
            text = path.read_text(encoding="utf-8")
            home = bool(re.search(r"^template:\s*home\.html\s*$", text[:500], re.M))
            out += check_markdown(name, text, home=home, index=os.path.basename(rel) == "index.md")
        else:
            for f in check_asset(rel, path):
                f.path = name
                out.append(f)
    return out


# ---------------------------------------------------------------- MkDocs hook

def on_files(files, config):
    from mkdocs.exceptions import PluginError

    docs_dir = Path(config["docs_dir"])
    rels = []
    for f in files:
        src = getattr(f, "abs_src_path", None)
        if src and Path(src).is_file() and Path(src).resolve().is_relative_to(docs_dir.resolve()):
            rels.append(f.src_path)
    findings = check_tree(docs_dir, rels)
    errors = [f for f in findings if f.is_error]
    for f in findings:
        if not f.is_error:
            log.warning(str(f))
    if errors:
        raise PluginError("格式检查未通过（规则见 docs/getting-started/style-guide.md）：\n" +
                          "\n".join(str(f) for f in errors))
    return files
