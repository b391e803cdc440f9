#!/usr/bin/env python3
"""The site's Content-Security-Policy: computed from a built site, and checked against vercel.json.

    python3 scripts/csp.py                 # print the policy the built site needs
    python3 scripts/csp.py --check         # exit 1 unless vercel.json's policy fits the build exactly
    python3 scripts/csp.py --update        # write the computed policy into vercel.json
    ... [--site DIR]                       # use an existing build instead of a fresh strict build

Without --site it builds both editions like scripts/vercel-build.sh (the site, and mkdocs.zh-hant.yml into
zh-hant/ when the project has it), since one policy in vercel.json covers every path. Run it with the project's virtual environment (.venv/bin/python) when it has to build the site.

Why the policy looks the way it does:

- script-src 'self' plus one 'sha256-…' per distinct inline <script>. Material for MkDocs writes a few small
  inline scripts into every page (the __md_scope/__md_get set-up, the palette and announcement restore, the
  content-tab restore) and mkdocs-glightbox adds its GLightbox(...) call. Only the __md_scope script varies,
  and only by the page's depth ("/", ".", "..", "../..") or the 404 page's absolute base ("/", "/zh-hant/"),
  so the set is small (ten hashes in November 2026) and stable between builds. It changes when Material, mkdocs-glightbox or the glightbox options change, or when a page
  sits deeper than any before: `--check` (run by tests/test_headers.py) then fails and `--update` fixes it.
  <script type="application/json"> blocks (Material's __config) are data, never executed, and need no hash.
  No 'unsafe-inline' and no 'unsafe-eval' for scripts.
- style-src 'self' plus the hash of each inline <style> element, again without 'unsafe-inline'. The only one
  is mkdocs-glightbox's <style id="glightbox-style"> (the same on every page). The built HTML has no style="…"
  attributes, and Material and GLightbox style elements at run time through the CSSOM (element.style…),
  which a policy does not restrict, so image slides, search, tabs and the workbench work (tests/test_headers.py
  checks them in Chromium). What would break: a style="…" attribute written into a page (use a class in
  docs/stylesheets/extra.css instead; `--check` lists such attributes) and GLightbox video slides, which the
  site does not use. Were that ever needed, 'unsafe-inline' for style-src alone is the fallback: inline CSS
  cannot run script, and a static site without secrets has little to lose to CSS-based exfiltration.
- img-src 'self' data: (Material's and the workbench's inline SVG/data: images); connect-src 'self' (search
  index, sitemap.xml for instant navigation); worker-src 'self' (the search worker); object-src 'none',
  base-uri 'self', form-action 'self', frame-ancestors 'none'.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERCEL = ROOT / "vercel.json"
HEADER = "Content-Security-Policy"

# Every directive except script-src's hashes, in the order they are written.
BASE = [
    ("default-src", ["'self'"]),
    ("script-src", ["'self'"]),            # + the inline scripts' hashes
    ("style-src", ["'self'"]),             # + the inline <style> elements' hashes
    ("img-src", ["'self'", "data:"]),
    ("font-src", ["'self'"]),
    ("connect-src", ["'self'"]),
    ("worker-src", ["'self'"]),
    ("manifest-src", ["'self'"]),
    ("object-src", ["'none'"]),
    ("base-uri", ["'self'"]),
    ("form-action", ["'self'"]),
    ("frame-ancestors", ["'none'"]),
]


class _Inline(HTMLParser):
    """Collects the text of inline <script> elements (no src, not JSON data), of <style> elements, and the
    elements that carry a style="…" attribute or an on…= event handler."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found: dict[str, list[str]] = {"script": [], "style": []}
        self.attributes: list[str] = []
        self._tag: str | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        bad = [k for k in a if k == "style" or k.startswith("on")]
        if bad:
            self.attributes.append(f"<{tag} {bad[0]}=…> (line {self.getpos()[0]})")
        kind = (a.get("type") or "").strip().lower()
        if tag == "script" and "src" not in a and kind in ("", "text/javascript", "module",
                                                              "application/javascript"):
            self._tag, self._buf = "script", []
        elif tag == "style":
            self._tag, self._buf = "style", []

    def handle_data(self, data):         # script and style content is CDATA: it arrives here verbatim
        if self._tag:
            self._buf.append(data)

    def handle_endtag(self, tag):
        if tag == self._tag:
            self.found[tag].append("".join(self._buf))
            self._tag = None


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def inline_hashes(site: Path) -> dict[str, dict[str, list[str]]]:
    """{"script": {"'sha256-…'": [pages]}, "style": {…}, "attribute": {"<tag style=…>": [pages]}} for every
    HTML file of a built site."""
    out: dict[str, dict[str, list[str]]] = {"script": {}, "style": {}, "attribute": {}}
    for f in sorted(site.rglob("*.html")):
        p = _Inline()
        p.feed(f.read_text(encoding="utf-8"))
        page = f.relative_to(site).as_posix()
        for kind in ("script", "style"):
            for body in p.found[kind]:
                out[kind].setdefault(sha256(body), []).append(page)
        for a in p.attributes:
            out["attribute"].setdefault(a, []).append(page)
    return out


def policy(hashes: dict) -> str:
    parts = []
    for name, values in BASE:
        if name in ("script-src", "style-src"):
            values = values + sorted(hashes[name.split("-")[0]])
        parts.append(" ".join([name, *values]))
    return "; ".join(parts)


def parse(csp: str) -> dict[str, list[str]]:
    """'a x y; b z' -> {'a': ['x', 'y'], 'b': ['z']}"""
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def vercel_csp(vercel: Path = VERCEL) -> str | None:
    """The Content-Security-Policy that vercel.json sends with HTML pages (the rule for every path)."""
    config = json.loads(vercel.read_text(encoding="utf-8"))
    for rule in config.get("headers", []):
        if rule["source"] == "/(.*)":
            for h in rule["headers"]:
                if h["key"].lower() == HEADER.lower():
                    return h["value"]
    return None


def problems(site: Path, csp: str | None) -> list[str]:
    """What is wrong with `csp` for this build (an empty list when it fits)."""
    if not csp:
        return [f'vercel.json has no {HEADER} header in its "/(.*)" rule']
    directives = parse(csp)
    out = []
    for name, values in BASE:
        have = directives.get(name)
        if have is None:
            out.append(f"directive {name} is missing")
        elif [v for v in have if not v.startswith("'sha256-")] != values:
            out.append(f"{name} is {' '.join(have)!r}, expected {' '.join(values)!r} (+ hashes)")
    found = inline_hashes(site)
    for kind in ("script", "style"):
        allowed = set(directives.get(f"{kind}-src", []))
        if {"'unsafe-eval'", "'unsafe-inline'", "'unsafe-hashes'"} & allowed:
            out.append(f"{kind}-src must not allow 'unsafe-eval', 'unsafe-inline' or 'unsafe-hashes'")
        for h, pages in found[kind].items():
            if h not in allowed:
                out.append(f"inline <{kind}> {h} (in {len(pages)} page(s), e.g. {pages[0]}) is not in {kind}-src")
        for h in sorted(v for v in allowed if v.startswith("'sha256-") and v not in found[kind]):
            out.append(f"{kind}-src lists {h}, which no page uses any more")
    for attribute, pages in sorted(found["attribute"].items()):
        out.append(f"{attribute} in {', '.join(pages[:3])}: the policy blocks inline style attributes and "
                   "event handlers; use a class (docs/stylesheets/extra.css) or a script file")
    return out


def build(dest: Path) -> Path:
    """Both editions, as scripts/vercel-build.sh deploys them: the site, and mkdocs.zh-hant.yml into zh-hant/.
    (scripts/known_urls.py uses this too.)"""
    for extra in ([], ["-f", "mkdocs.zh-hant.yml"]):
        out = dest / "zh-hant" if extra else dest
        r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out), *extra],
                           cwd=ROOT, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True)
        if r.returncode:
            sys.exit(f"strict build failed:\n{r.stderr[-4000:]}")
    return dest


def update(csp: str, vercel: Path = VERCEL) -> bool:
    """Replace the policy's value in vercel.json in place (the rest of the file keeps its formatting)."""
    text = vercel.read_text(encoding="utf-8")
    pattern = re.compile(r'("key":\s*"' + HEADER + r'",\s*"value":\s*)"[^"]*"')
    if not pattern.search(text):
        sys.exit(f'vercel.json: add {{ "key": "{HEADER}", "value": "" }} to the "/(.*)" rule first')
    new = pattern.sub(lambda m: m.group(1) + json.dumps(csp), text, count=1)
    json.loads(new)
    if new != text:
        vercel.write_text(new, encoding="utf-8")
    return new != text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", type=Path, help="a built site (default: a fresh strict build in a temporary folder)")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="check vercel.json's policy against the build")
    mode.add_argument("--update", action="store_true", help="write the computed policy into vercel.json")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build(Path(tmp) / "site")
        hashes = inline_hashes(site)
        if args.check:
            found = problems(site, vercel_csp())
            for p in found:
                print("csp:", p)
            if found:
                print("fix: python3 scripts/csp.py --update   (then review and commit vercel.json)")
                return 1
            print(f"csp: vercel.json allows the build's {len(hashes['script'])} inline scripts and "
                  f"{len(hashes['style'])} inline styles")
            return 0
        csp = policy(hashes)
        if args.update:
            print("vercel.json updated" if update(csp) else "vercel.json already up to date")
            return 0
        print(csp)
        for kind in ("script", "style", "attribute"):
            for h, pages in sorted(hashes[kind].items()):
                print(f"# {kind} {h}: {len(pages)} page(s), e.g. {pages[0]}", file=sys.stderr)
        return 0


if __name__ == "__main__":
    sys.exit(main())
