#!/usr/bin/env python3
"""Performance report: build time, output sizes, page weight, search latency, Lighthouse and axe-core.

    .venv/bin/python scripts/benchmark.py                     # writes reports/benchmark.md and prints it
    .venv/bin/python scripts/benchmark.py --no-lighthouse     # skip Lighthouse (about 2 minutes)
    .venv/bin/python scripts/benchmark.py --out FILE.md

It builds the site strictly into a temporary folder, serves it itself on 127.0.0.1 (like the tests: directory
URLs, 404.html with status 404) with gzip for text files as Vercel would, and drives Debian's Chromium (/usr/bin/chromium) with
Playwright, a fresh browser context (cold cache) per page. Lighthouse (npm `lighthouse`) is installed on first use into
.cache/benchmark-tools/ (git-ignored), not into the project's package.json. Not a test: timings vary from
run to run; the deterministic budgets are asserted in tests/test_budgets.py.
"""
import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS, SiteHandler, _Server, mkdocs_build, page_paths  # noqa: E402

PAGES = ["", "install/a1111/", "config/gpu-vram/", "getting-started/intro/"]
QUERY = "显存"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TOOLS = ROOT / ".cache" / "benchmark-tools"
LIGHTHOUSE_VERSION = "12.8.2"
DESKTOP_MIN = 98
TEXT = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


class CompressingHandler(SiteHandler):
    """SiteHandler plus gzip for text files when the client accepts it, as Vercel does (Vercel may pick
    Brotli, which is a little smaller still)."""
    cache: dict = {}

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        kind = self.guess_type(str(path))
        if not (path.is_file() and kind.startswith(TEXT) and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        if path not in self.cache:
            self.cache[path] = gzip.compress(path.read_bytes(), 6)
        body = self.cache[path]
        self.send_response(200)
        self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def load_cold(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    finished, hosts = [], set()
    page.on("requestfinished", lambda r: finished.append(r))
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc or urlsplit(r.url).scheme))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    timing = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
        return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd}; }""")
    raw = sent = index = 0
    for r in finished:
        body = r.response().body()                     # decoded
        packed = r.sizes()["responseBodySize"]         # as sent (gzip for text)
        raw += len(body)
        sent += packed
        if r.url.endswith("search/search_index.json"):
            index = packed
    context.close()
    return {"requests": len(finished), "raw": raw, "sent": sent, "index": index,
            "hosts": sorted(hosts), **timing}


def search_latency(browser, base: str, ready: bool) -> float:
    """Seconds from typing the query to the first result shown, on the home page after it finished loading.
    The index is fetched when the reader turns to search (javascripts/search-lazy.js), so the first search
    includes fetching it and building the index; ready: the box was focused and the index loaded first."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    page.goto(base, wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    if ready:
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1000)         # the worker builds the index from the fetched data
    start = time.perf_counter()
    box.fill(QUERY)
    box.press("End")            # Material searches on keyup
    page.locator("li.md-search-result__item > a.md-search-result__link").first.wait_for(timeout=60000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def axe_counts(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
        resultTypes: ['violations']})""")
    context.close()
    counts = {"critical": 0, "serious": 0, "moderate": 0, "minor": 0}
    for v in result["violations"]:
        counts[v["impact"] or "minor"] += 1
    counts["ids"] = sorted(v["id"] for v in result["violations"])
    return counts


def ensure_lighthouse() -> Path | None:
    cli = TOOLS / "node_modules" / "lighthouse" / "cli" / "index.js"
    if cli.exists():
        return cli
    if not shutil.which("npm"):
        print("benchmark: npm not found, skipping Lighthouse", file=sys.stderr)
        return None
    TOOLS.mkdir(parents=True, exist_ok=True)
    if not (TOOLS / "package.json").exists():
        (TOOLS / "package.json").write_text('{"name": "aidraw-benchmark-tools", "private": true}\n')
    r = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts",
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], cwd=TOOLS, capture_output=True, text=True)
    if r.returncode or not cli.exists():
        print(f"benchmark: could not install Lighthouse, skipping it\n{r.stderr[-2000:]}", file=sys.stderr)
        return None
    return cli


def lighthouse(cli: Path, url: str, preset: str, work: Path) -> dict:
    out = work / f"lh-{preset}-{abs(hash(url))}.json"
    flags = " ".join(["--headless"] + CHROMIUM_ARGS + [f"--user-data-dir={work / 'lh-profile'}"])
    cmd = ["node", str(cli), url, "--only-categories=performance,accessibility,best-practices,seo",
           "--output=json", f"--output-path={out}", "--quiet", f"--chrome-flags={flags}"]
    if preset == "desktop":
        cmd.append("--preset=desktop")
    r = subprocess.run(cmd, env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True,
                       timeout=180)
    if r.returncode or not out.exists():
        return {"error": (r.stderr or r.stdout).strip().splitlines()[-1:] or ["failed"]}
    report = json.loads(out.read_text())
    scores = {k: round((v["score"] or 0) * 100) for k, v in report["categories"].items()}
    audits = report["audits"]
    scores["lcp"] = audits.get("largest-contentful-paint", {}).get("numericValue")
    return scores


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "benchmark.md")
    ap.add_argument("--no-lighthouse", action="store_true")
    args = ap.parse_args()
    lines = [f"# AiDraw performance report", "",
             f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit "
             f"{subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True).stdout.strip() or '?'}"
             f" (with uncommitted changes, if any). Produced by `scripts/benchmark.py`.", ""]

    def say(text=""):
        print(text, flush=True)
        lines.append(text)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site = work / "site"
        site.mkdir()
        httpd = _Server(("127.0.0.1", 0), lambda *a, **kw: CompressingHandler(*a, directory=str(site), **kw))
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        start = time.perf_counter()
        r = mkdocs_build(ROOT, site, env={"AIDRAW_SITE_URL": base})
        build_s = time.perf_counter() - start
        if r.returncode:
            sys.exit(f"strict build failed:\n{r.stderr[-4000:]}")
        hant_s = None
        if (ROOT / "mkdocs.zh-hant.yml").exists():       # the 繁體中文版, as scripts/vercel-build.sh builds it
            start = time.perf_counter()
            r = mkdocs_build(ROOT, site / "zh-hant", "-f", "mkdocs.zh-hant.yml",
                             env={"AIDRAW_HANT_SITE_URL": base + "zh-hant/"})
            hant_s = time.perf_counter() - start
            if r.returncode:
                sys.exit(f"strict build of the Traditional edition failed:\n{r.stderr[-4000:]}")
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        index = (site / "search" / "search_index.json").read_bytes()
        say("## Build")
        say()
        say("| figure | value |")
        say("| --- | --- |")
        say(f"| wall time of `mkdocs build --strict` | {build_s:.1f} s |")
        if hant_s is not None:
            say(f"| wall time of the 繁體中文版 build (`-f mkdocs.zh-hant.yml`) | {hant_s:.1f} s |")
        say(f"| pages | {len(page_paths(site))}"
            + (f" (+ {len(page_paths(site / 'zh-hant'))} in zh-hant/)" if hant_s is not None else "") + " |")
        say(f"| size of `site/` (both editions) | {folder_size(site) / 1024 / 1024:.1f} MB |")
        say(f"| `search/search_index.json` | {kb(len(index))} raw, {kb(len(gzip.compress(index, 6)))} gzip |")
        say()

        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            say("## Page loads (Chromium, cold cache, 1280×900, no throttling)")
            say()
            say("| page | requests | transferred (gzip) | uncompressed | "
                "of which search index (gzip; loaded when search is used) | hosts | DOMContentLoaded | load |")
            say("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
            for path in PAGES:
                m = load_cold(browser, base + path)
                hosts = ", ".join(h.replace(urlsplit(base).netloc, "127.0.0.1 (this site)") for h in m["hosts"])
                say(f"| /{path} | {m['requests']} | {kb(m['sent'])} | {kb(m['raw'])} | {kb(m['index'])} | "
                    f"{hosts} | {m['dcl']:.0f} ms | {m['load']:.0f} ms |")
            say()
            say(f"## Search latency (typing “{QUERY}” on the home page until the first result shows)")
            say()
            ready = [search_latency(browser, base, True) for _ in range(3)]
            first = [search_latency(browser, base, False) for _ in range(3)]
            say(f"- first search of a visit (the index is fetched when the box is focused): "
                f"{min(first) * 1000:.0f} ms best, {max(first) * 1000:.0f} ms worst of 3")
            say(f"- index already loaded: {min(ready) * 1000:.0f} ms best, {max(ready) * 1000:.0f} ms worst of 3")
            say()
            say("## axe-core (WCAG 2.1 A/AA + best practice, light scheme): violations by impact")
            say()
            say("| page | critical | serious | moderate | minor | rules |")
            say("| --- | ---: | ---: | ---: | ---: | --- |")
            for path in PAGES + ["guide/", "paint/", "no-such-page/"]:
                c = axe_counts(browser, base + path)
                say(f"| /{path} | {c['critical']} | {c['serious']} | {c['moderate']} | {c['minor']} | "
                    f"{', '.join(c['ids']) or '–'} |")
            say()
            browser.close()

        if not args.no_lighthouse:
            cli = ensure_lighthouse()
            if cli:
                say(f"## Lighthouse {LIGHTHOUSE_VERSION} (local server with gzip; mobile is simulated slow 4G "
                    f"on a slow CPU and varies by a few points between runs)")
                say()
                say("| page | preset | performance | accessibility | best practices | SEO | LCP |")
                say("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
                below = []                      # the budget: desktop at least 98 in all four categories
                for path in PAGES:
                    for preset in ("desktop", "mobile"):
                        s = lighthouse(cli, base + path, preset, work)
                        if "error" in s:
                            say(f"| /{path} | {preset} | error: {s['error'][0][:80]} | | | | |")
                            continue
                        if preset == "desktop":
                            below += [f"/{path} {k} {v}" for k, v in s.items() if k != "lcp" and v < DESKTOP_MIN]
                        lcp = f"{s['lcp'] / 1000:.1f} s" if s.get("lcp") else "?"
                        say(f"| /{path} | {preset} | {s['performance']} | {s['accessibility']} | "
                            f"{s['best-practices']} | {s['seo']} | {lcp} |")
                say()
                say(f"Budget, desktop at least {DESKTOP_MIN} in every category: "
                    + ("met on every page." if not below else "**not met**: " + "; ".join(below) + "."))
                say()
        httpd.shutdown()
        httpd.server_close()

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
