"""繁體中文版: the Simplified pages converted to Traditional (Taiwan) Chinese while the site is built.

Listed in mkdocs.yml's hooks, it does nothing in the Simplified build except under `mkdocs serve`, where it
builds the Traditional edition into the served site's zh-hant/ after every rebuild (set AIDRAW_SERVE_HANT=0
to skip that). It converts in the Traditional edition's build: mkdocs.zh-hant.yml, which inherits mkdocs.yml
and sets `extra.hant`; scripts/build_hant.py builds it into site/zh-hant/. The conversion happens in the
build, after every other
hook has run on a page (hooks/community.py renders its tables first, so they are converted too); nothing
converted is ever written into docs/, and the style checks of hooks/checks.py keep checking the Simplified
sources only.

Text goes through OpenCC `s2twp` (Taiwan phrases), but first through the project's phrase table,
includes/zh-hant-phrases.txt, which fixes what s2twp gets wrong for this field (参数 → 參數, not 引數;
显存 → 顯示記憶體, not 視訊記憶體) and keeps proper names as they are. Never converted: fenced code blocks,
inline code, HTML tags and comments, attribute lists, URLs and link targets (the #fragment of an internal
link is converted, like the heading it points to), snippet lines, and front matter other than title and
description.
"""
import hashlib
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.hant")
ROOT = Path(__file__).resolve().parent.parent
PHRASES = ROOT / "includes" / "zh-hant-phrases.txt"
CACHE = ROOT / ".cache" / "zh-hant"

_PUA0, _PUA1 = "\ue000", "\ue001"  # placeholder brackets: private-use characters OpenCC leaves alone
_PLACEHOLDER_RE = re.compile(_PUA0 + r"(\d+)" + _PUA1)


def load_phrases(path: Path = PHRASES) -> dict[str, str]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        table[parts[0]] = parts[1] if len(parts) > 1 else parts[0]
    return table


class Converter:
    """Simplified → Traditional with the phrase table applied first and protected spans kept."""

    def __init__(self, phrases: dict[str, str] | None = None):
        import opencc
        self._cc = opencc.OpenCC("s2twp")
        self.phrases = load_phrases() if phrases is None else phrases
        keys = sorted(self.phrases, key=len, reverse=True)
        self._phrase_re = re.compile("|".join(map(re.escape, keys))) if keys else None

    def text(self, s: str, kept: list[str] | None = None) -> str:
        """Convert plain text. `kept` holds spans already replaced by placeholders in `s`."""
        if not s:
            return s
        kept = [] if kept is None else kept

        def hold(value: str) -> str:
            kept.append(value)
            return f"{_PUA0}{len(kept) - 1}{_PUA1}"

        if self._phrase_re:
            s = self._phrase_re.sub(lambda m: hold(self.phrases[m.group(0)]), s)
        s = self._cc.convert(s)
        # Placeholders may nest (a protected span holding a converted fragment): restore until stable.
        for _ in range(4):
            s2 = _PLACEHOLDER_RE.sub(lambda m: kept[int(m.group(1))], s)
            if s2 == s:
                break
            s = s2
        return s

    # ------------------------------------------------------------ Markdown

    _INLINE_RE = re.compile(
        r"(?P<code>(?P<ticks>`+)[^`].*?(?P=ticks))"          # inline code
        r"|(?P<comment><!--.*?-->)"                          # HTML comment (community markers …)
        r"|(?P<auto><(?:https?|mailto|ftp):[^>\s]*>)"       # autolink
        r"|(?P<tag></?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>)"       # HTML tag with its attributes
        r"|(?P<link>\]\((?P<target>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?P<title>\s+\"[^\"]*\")?\))"  # ](target "title")
        r"|(?P<attr>\{\s*[#.:][^{}\n]*\}|\{\s*[\w-]+=[^{}\n]*\})"  # attribute list { #id .class }
        r"|(?P<url>(?:https?|ftp)://[^\s<>()\]\"'`，。；、）]+)"     # bare URL
        r"|(?P<keys>\+\+[^+\s][^\s]*?\+\+)",                  # ++ctrl+c++
        re.S)
    _REFDEF_RE = re.compile(r"^(\s*\[[^\]]+\]:\s*)(\S+)(.*)$")
    _FENCE_RE = re.compile(r"^(\s*(?:>\s*)?)(`{3,}|~{3,})")

    def _target(self, target: str) -> str:
        """Link targets keep their path; an internal #fragment is converted like the heading it names."""
        if "#" in target and not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            path, frag = target.split("#", 1)
            return path + "#" + self._cc.convert(self._apply_phrases(frag))
        return target

    def _apply_phrases(self, s: str) -> str:
        return self._phrase_re.sub(lambda m: self.phrases[m.group(0)], s) if self._phrase_re else s

    def inline(self, s: str) -> str:
        kept: list[str] = []

        def protect(m: re.Match) -> str:
            if m.group("link"):
                title = m.group("title") or ""
                if title:
                    title = self.text(title)
                value = "](" + self._target(m.group("target")) + title + ")"
            else:
                value = m.group(0)
            kept.append(value)
            return f"{_PUA0}{len(kept) - 1}{_PUA1}"

        m = self._REFDEF_RE.match(s)
        if m:
            kept.append(m.group(1) + self._target(m.group(2)))
            s = f"{_PUA0}0{_PUA1}" + m.group(3)
        s = self._INLINE_RE.sub(protect, s)
        return self.text(s, kept)

    def markdown(self, md: str) -> str:
        out, para, fence = [], [], None

        def flush():
            if para:
                out.append(self.inline("".join(para)))
                para.clear()

        for line in md.splitlines(keepends=True):
            if fence:
                out.append(line)
                m = self._FENCE_RE.match(line)
                if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= len(fence) \
                        and not line.strip().lstrip(">").strip().strip(fence[0]):
                    fence = None
                continue
            m = self._FENCE_RE.match(line)
            if m:
                flush()
                fence = m.group(2)
                out.append(line)
                continue
            if line.lstrip().startswith("--8<--"):
                flush()
                out.append(line)
                continue
            # Inline code may span lines within a paragraph: convert paragraph by paragraph.
            para.append(line)
            if not line.strip():
                flush()
        flush()
        return "".join(out)


_converter: Converter | None = None


def converter() -> Converter:
    global _converter
    if _converter is None:
        _converter = Converter()
    return _converter


def _cached(name: str, source: bytes, make) -> Path:
    """Write make() to .cache/zh-hant/<name> unless it is there for this source and phrase table."""
    digest = hashlib.sha256(source + PHRASES.read_bytes() + b"v1").hexdigest()[:16]
    path = CACHE / f"{digest}-{name}"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(make(), encoding="utf-8")
        tmp.replace(path)
    return path


def _convert_nav(items, cv: Converter):
    if isinstance(items, list):
        return [_convert_nav(i, cv) for i in items]
    if isinstance(items, dict):
        return {cv.text(k): _convert_nav(v, cv) for k, v in items.items()}
    return items


def _active(config) -> bool:
    return bool(config["extra"].get("hant"))


_serving = False


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def on_post_build(config):
    """Under `mkdocs serve` of the Simplified site, also build the Traditional edition into zh-hant/."""
    if _active(config) or not _serving or os.environ.get("AIDRAW_SERVE_HANT") == "0":
        return
    dest = Path(config["site_dir"]) / "zh-hant"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1",
               AIDRAW_HANT_SITE_URL=(config["site_url"] or "http://127.0.0.1:8000/") + "zh-hant/")
    log.info("繁體中文版：构建到 %s …", dest)
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.zh-hant.yml", "-d", str(dest)],
                       cwd=Path(config["config_file_path"]).parent, env=env, capture_output=True, text=True)
    if r.returncode:
        log.warning("繁體中文版构建失败：\n%s", r.stderr[-3000:])


@event_priority(100)  # before the search plugin reads its jieba dictionaries
def on_config(config):
    if not _active(config):
        return config
    cv = converter()
    root = Path(config["config_file_path"]).parent
    config["nav"] = _convert_nav(config["nav"], cv)
    for key in ("site_description", "site_author", "copyright"):
        if config.get(key):
            config[key] = cv.inline(config[key])
    for scheme in config["theme"]["palette"] or []:
        if isinstance(scheme, dict) and scheme.get("toggle", {}).get("name"):
            scheme["toggle"]["name"] = cv.text(scheme["toggle"]["name"])
    for item in config["extra"].get("social", []):
        if item.get("name"):
            item["name"] = cv.text(item["name"])

    mdx = config["mdx_configs"]
    if "toc" in mdx and mdx["toc"].get("permalink_title"):
        mdx["toc"]["permalink_title"] = cv.text(mdx["toc"]["permalink_title"])
    snippets = mdx.get("pymdownx.snippets", {})
    appended = []
    for rel in snippets.get("auto_append", []):
        src = root / rel
        appended.append(str(_cached(src.name, src.read_bytes(),
                                    lambda s=src: cv.markdown(s.read_text(encoding="utf-8")))))
    if appended:
        snippets["auto_append"] = appended
        snippets["check_paths"] = True

    # Search: jieba segments Traditional text with its own dictionary converted to Traditional, plus the
    # project dictionary converted with the phrase table (显存 → 顯示記憶體 stays one word).
    import jieba
    for name, plugin in config["plugins"].items():
        if name.endswith("search") and hasattr(plugin.config, "jieba_dict"):
            big = Path(jieba.__file__).with_name("dict.txt")
            plugin.config.jieba_dict = str(_cached(
                "jieba-dict.txt", big.read_bytes()[:4096] + str(big.stat().st_size).encode(),
                lambda: cv._cc.convert(big.read_text(encoding="utf-8"))))
            if plugin.config.jieba_dict_user:
                user = root / plugin.config.jieba_dict_user
                plugin.config.jieba_dict_user = str(_cached(
                    "jieba-user-dict.txt", user.read_bytes(),
                    lambda: cv.text(user.read_text(encoding="utf-8"))))
    return config


@event_priority(-100)  # after hooks/community.py has rendered its tables
def on_page_markdown(markdown, page, config, files):
    if not _active(config):
        return markdown
    cv = converter()
    for key in ("title", "description"):
        if isinstance(page.meta.get(key), str):
            page.meta[key] = cv.text(page.meta[key])
    return cv.markdown(markdown)


# Prose written in the templates (overrides/main.html's announcement, overrides/home.html's hero) is not
# page Markdown: convert the text between the tags of those regions once the page is rendered.
_TEMPLATE_REGIONS = re.compile(r'<section class="aidraw-hero"[\s\S]*?</section>|<p class="aidraw-announce">[\s\S]*?</p>'
                               r'|<div class="aidraw-404">[\s\S]*?</div>')
_TEXT_BETWEEN_TAGS = re.compile(r"(?<=>)[^<>]+(?=<)")


def convert_template_html(html: str) -> str:
    cv = converter()
    return _TEMPLATE_REGIONS.sub(lambda m: _TEXT_BETWEEN_TAGS.sub(lambda t: cv.text(t.group(0)), m.group(0)), html)


def on_post_page(output, page, config):
    return convert_template_html(output) if _active(config) else output


def on_post_template(output_content, template_name, config):
    """404.html is rendered as a static template, not a page."""
    return convert_template_html(output_content) if _active(config) else output_content
