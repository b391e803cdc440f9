"""vercel.json: security headers, caching rules, redirects and stable URLs, checked against the real build.

Vercel is not available offline, so this file carries a small model of how it matches `source` patterns
(path-to-regexp, as @vercel/routing-utils calls it: strict, case-sensitive, anchored) and serves the built
site on 127.0.0.1 with exactly the headers vercel.json gives each path. Chromium then loads every page
template under that Content-Security-Policy and must see no violation and no console error."""
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, PageWatch, SiteHandler, page_paths, serve

sys.path.insert(0, str(ROOT / "scripts"))
import csp  # noqa: E402
import known_urls  # noqa: E402

VERCEL = json.loads((ROOT / "vercel.json").read_text(encoding="utf-8"))
TOP_LEVEL = {"$schema", "framework", "installCommand", "buildCommand", "outputDirectory", "trailingSlash",
             "cleanUrls", "redirects", "headers"}
IMMUTABLE = "immutable"

# The original book's page addresses (content-facts §1; MkDocs directory URLs) and the page each must reach.
ORIGINAL = {
    "/": "/",
    "/GettingStarted/news/": "/getting-started/news/",
    "/GettingStarted/term/": "/getting-started/glossary/",
    "/GettingStarted/state/": "/getting-started/statement/",
    "/GettingStarted/contributing/": "/getting-started/contributing/",
    "/prepare/": "/before-you-start/",
    "/install/": "/install/",
    "/install/WebUi/launch/": "/install/a1111/",
    "/install/WebUi/Troubleshoot/": "/install/troubleshooting/",
    "/config/": "/config/",
    "/config/GPU/": "/config/gpu-vram/",
    "/config/Troubleshoot/": "/config/generation-errors/",
    "/paint/": "/paint/",
    "/paint/PromptsEngineering/": "/guide/prompts/",
    "/paint/WebUi/base/": "/guide/txt2img/",
    "/paint/WebUi/Advanced/": "/guide/img2img/",
    "/paint/WebUi/Control/": "/guide/controlnet/",
    "/paint/Practicalguide/": "/guide/practice/",
    "/paint/identify/": "/guide/identify/",
    "/train/": "/train/",
    "/train/Lora/": "/train/lora/",
    "/train/Textual/": "/train/textual-inversion/",
    "/train/Hypernetwork/": "/train/hypernetwork/",
    "/train/DreamBooth/": "/train/dreambooth/",
    "/train/AestheticGradients/": "/train/using-models/",
    "/landing/": "/reference/",
    "/landing/link/": "/reference/links/",
}


# ------------------------------------------------------------------ Vercel's source patterns

def _tokens(source: str) -> list[tuple]:
    """('char', c) | ('param', name or None, regex or None, modifier) for a path-to-regexp source."""
    out, i, n = [], 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            out.append(("char", source[i + 1]))
            i += 2
            continue
        name = None
        if c == ":":
            m = re.compile(r"[A-Za-z0-9_]+").match(source, i + 1)
            assert m, f"{source!r}: parameter without a name at {i}"
            name, i = m.group(0), m.end()
        elif c != "(":
            out.append(("char", c))
            i += 1
            continue
        pattern = None
        if i < n and source[i] == "(":            # a balanced (regex), escapes honoured
            depth, j = 0, i
            while j < n:
                if source[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(source[j], 0)
                if depth == 0:
                    break
                j += 1
            assert depth == 0, f"{source!r}: unbalanced parenthesis"
            pattern, i = source[i + 1:j], j + 1
        mod = source[i] if i < n and source[i] in "*+?" else ""
        i += bool(mod)
        out.append(("param", name, pattern, mod))
    return out


def source_regex(source: str) -> tuple[re.Pattern, list[str]]:
    """path-to-regexp 6 (strict, sensitive, end) for the forms vercel.json uses: literal text, `:name`,
    `:name(regex)`, `(regex)` and the modifiers * + ?. A parameter takes the '/' before it as its prefix.
    Returns the compiled pattern and the parameter names in group order (unnamed ones are 0, 1, …)."""
    tokens = _tokens(source)
    out, names, unnamed = [], [], 0
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok[0] == "char":
            if not (tok[1] == "/" and nxt is not None and nxt[0] == "param"):
                out.append(re.escape(tok[1]))
            continue
        _, name, pattern, mod = tok
        pattern = pattern if pattern is not None else "[^/]+?"
        prev = tokens[i - 1] if i else None
        p = "/" if prev == ("char", "/") else ""
        if name:
            names.append(name)
        else:
            names.append(str(unnamed))
            unnamed += 1
        if mod in ("*", "+"):
            out.append(f"(?:{p}((?:{pattern})(?:{p}(?:{pattern}))*))" + ("?" if mod == "*" else ""))
        elif mod == "?":
            out.append(f"(?:{p}({pattern}))?")
        else:
            out.append(f"(?:{p}({pattern}))")
    return re.compile("^" + "".join(out) + "$"), names


def headers_for(path: str) -> dict[str, str]:
    """The headers vercel.json adds to a response for `path`: every matching rule, later ones win."""
    found: dict[str, str] = {}
    for rule in VERCEL.get("headers", []):
        if source_regex(rule["source"])[0].match(path):
            for h in rule["headers"]:
                found[h["key"]] = h["value"]
    return found


def redirect(path: str, ignore_case: bool = False) -> str | None:
    """Where Vercel sends `path` (trailingSlash: true first, then the redirects list), or None.
    @vercel/routing-utils compiles case-sensitive patterns, but Vercel's router may apply them without
    regard to case (routes have a `caseSensitive` flag that vercel.json redirects cannot set): the tests
    check both readings."""
    if VERCEL.get("trailingSlash") and re.fullmatch(r"/((?:[^/]+/)*[^/.]+)", path):
        return path + "/"
    for r in VERCEL.get("redirects", []):
        rx, names = source_regex(r["source"])
        m = re.match(rx.pattern, path, re.I if ignore_case else 0)
        if m:
            values = dict(zip(names, (g or "" for g in m.groups())))
            dest = re.sub(r"/?:([A-Za-z0-9_]+)[*+?]?",
                          lambda d: ("/" + values[d.group(1)]) if values[d.group(1)] or d.group(0)[0] != "/"
                          else "", r["destination"])
            return dest or "/"
    return None


def resolve(path: str, ignore_case: bool = False, limit: int = 4) -> tuple[str, list[str]]:
    hops = [path]
    while (nxt := redirect(hops[-1], ignore_case)) is not None:
        hops.append(nxt)
        assert len(hops) <= limit, f"redirect chain too long or looping: {hops}"
    return hops[-1], hops


def exists(site: Path, path: str) -> bool:
    target = site / path.lstrip("/")
    return (target / "index.html").is_file() if path.endswith("/") else target.is_file()


def test_source_patterns_like_vercel():
    """The model above, against routes @vercel/routing-utils 6.6.0 compiled from the same sources."""
    assert source_regex("/(.*)")[0].pattern == "^(?:/(.*))$"
    assert source_regex("/train/Lora/")[0].pattern == "^/train/Lora/$"
    rx, names = source_regex("/:dir(assets/images|stylesheets|javascripts)/(.*)")
    assert rx.pattern == "^(?:/(assets/images|stylesheets|javascripts))(?:/(.*))$" and names == ["dir", "0"]
    rx, _ = source_regex("/en/:path*")
    assert rx.pattern == "^/en(?:/((?:[^/]+?)(?:/(?:[^/]+?))*))?$"
    assert rx.match("/en") and rx.match("/en/a/b") and not rx.match("/en/a/")   # strict: no trailing slash
    assert source_regex("/en/:path(.*)")[0].match("/en/install/WebUi/launch/")
    assert not source_regex("/train/Lora/")[0].match("/train/lora/")             # case-sensitive
    assert redirect("/install/WebUi/launch") == "/install/WebUi/launch/"          # trailingSlash first
    assert redirect("/assets/javascripts/bundle.js") is None


# ------------------------------------------------------------------ vercel.json itself

def test_vercel_json_shape():
    assert set(VERCEL) <= TOP_LEVEL, f"unknown top-level keys (Vercel ignores typos): {set(VERCEL) - TOP_LEVEL}"
    assert VERCEL["trailingSlash"] is True and VERCEL["cleanUrls"] is False and VERCEL["outputDirectory"] == "site"
    seen = set()
    for r in VERCEL["redirects"]:
        assert set(r) == {"source", "destination", "permanent"}, r
        assert r["permanent"] is True and r["source"].startswith("/") and r["destination"].startswith("/"), r
        assert r["source"] not in seen, f"duplicate redirect {r['source']}"
        seen.add(r["source"])
        source_regex(r["source"])
    for rule in VERCEL["headers"]:
        assert set(rule) == {"source", "headers"} and rule["headers"], rule
        source_regex(rule["source"])
        for h in rule["headers"]:
            assert set(h) == {"key", "value"} and h["key"] and isinstance(h["value"], str), h


def test_security_headers_on_every_path():
    for path in ("/", "/install/a1111/", "/404.html", "/assets/javascripts/glightbox.min.js"):
        h = headers_for(path)
        assert h.get("X-Content-Type-Options") == "nosniff"
        assert h.get("Referrer-Policy") == "strict-origin-when-cross-origin"
        assert h.get("Strict-Transport-Security", "").startswith("max-age=63072000")
        assert "camera=()" in h.get("Permissions-Policy", "")
        policy = csp.parse(h["Content-Security-Policy"])
        assert policy["img-src"] == ["'self'", "data:"] and policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]
        for kind in ("script-src", "style-src"):
            assert not {"'unsafe-eval'", "'unsafe-inline'", "'unsafe-hashes'"} & set(policy[kind]), kind


def test_csp_allows_every_inline_script_of_the_build(site):
    """The hashes in vercel.json follow Material's and mkdocs-glightbox's templates (scripts/csp.py --update
    refreshes them), and no page carries a style="…" attribute or on…= handler the policy would block."""
    problems = csp.problems(site, csp.vercel_csp())
    assert not problems, "\n".join(problems) + "\nfix: .venv/bin/python scripts/csp.py --update"


def test_immutable_cache_only_for_hashed_assets(site):
    files = ["/" + f.relative_to(site).as_posix() for f in site.rglob("*") if f.is_file()]
    hashed = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")
    immutable = {f for f in files if IMMUTABLE in headers_for(f).get("Cache-Control", "")}
    wrong = sorted(immutable - {f for f in files if hashed.search(f)})
    assert not wrong, f"immutable cache on files whose name does not change with their content: {wrong}"
    # Material's own hashed bundles (the ones every page loads) must be immutable
    for edition in ("", "/zh-hant"):          # the 繁體中文版 has its own copy of Material's assets
        for pattern in (r"/assets/stylesheets/main\.\w{8}\.min\.css", r"/assets/stylesheets/palette\.\w{8}\.min\.css",
                        r"/assets/javascripts/bundle\.\w{8}\.min\.js",
                        r"/assets/javascripts/workers/search\.\w{8}\.min\.js"):
            match = [f for f in files if re.fullmatch(edition + pattern, f)]
            assert match and set(match) <= immutable, f"{edition}{pattern}: {match} not immutable"
        for f in ("/assets/javascripts/glightbox.min.js", "/stylesheets/extra.css", "/javascripts/workbench.js",
                  "/search/search_index.json", "/index.html"):
            f = edition + f
            assert f in files and IMMUTABLE not in headers_for(f).get("Cache-Control", ""), f
            if "/assets/" not in f and not f.endswith((".json", ".html")):
                assert "must-revalidate" in headers_for(f).get("Cache-Control", ""), f


# ------------------------------------------------------------------ redirects and stable URLs

def test_redirect_targets_exist(site):
    for r in VERCEL["redirects"]:
        if ":" not in r["destination"]:
            assert exists(site, r["destination"]), f"{r['source']} → {r['destination']}: not in the build"


@pytest.mark.parametrize("ignore_case", [False, True], ids=["case-sensitive", "ignore-case"])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_original_book_addresses_reach_the_new_pages(site, prefix, ignore_case):
    """Every page of the original book (and its English mirror under /en/), with or without the trailing
    slash, ends on the new page within a few redirects."""
    bad = []
    for old, new in ORIGINAL.items():
        for variant in {prefix + old, (prefix + old).rstrip("/") or "/"}:
            final, hops = resolve(variant, ignore_case)
            if not exists(site, final) or final.removesuffix("index.html") != new:
                bad.append(f"{' → '.join(hops)} (expected {new})")
    assert not bad, "\n".join(bad)


def test_no_redirect_catches_a_page_of_the_site(site):
    """No redirect source may match one of our own pages, even when matched without regard to case,
    except a case-only rename (/train/Lora/ → /train/lora/): its destination is …/index.html, which
    no source matches, so that it cannot loop whichever way Vercel compares case."""
    pages = ["/" + p for p in page_paths(site)] + ["/404.html", "/sitemap.xml"]
    bad = []
    for r in VERCEL["redirects"]:
        rx = re.compile(source_regex(r["source"])[0].pattern, re.I)
        for hit in (p for p in pages if rx.match(p)):
            if r["destination"] != hit + "index.html":
                bad.append(f"redirect {r['source']} → {r['destination']} would catch the page {hit}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("ignore_case", [False, True], ids=["case-sensitive", "ignore-case"])
def test_known_urls_still_exist_or_redirect(site, ignore_case):
    known = known_urls.read_list()
    assert len(known) > 20
    lost = []
    for url in known:
        final, hops = resolve(url, ignore_case)
        if not exists(site, final):
            lost.append(" → ".join(hops))
    assert not lost, (
        "pages listed in tests/known_urls.txt are gone from the build:\n  " + "\n  ".join(lost) +
        "\nIf a page moved, add a redirect from its old address to vercel.json's \"redirects\"."
        "\nIf it was removed on purpose, run: .venv/bin/python scripts/known_urls.py --update")


def test_known_urls_list_is_complete(site):
    missing = sorted(set(known_urls.page_urls(site)) - set(known_urls.read_list()))
    assert not missing, f"new pages {missing}: run .venv/bin/python scripts/known_urls.py --update"


# ------------------------------------------------------------------ the site under these headers

class VercelHeadersHandler(SiteHandler):
    """SiteHandler plus exactly the headers vercel.json gives the requested path. sitemap.xml is rewritten
    to this server's address, so that Material's instant navigation (which checks links against it) runs."""
    origin = ""
    built_for = ""

    def end_headers(self):
        for key, value in headers_for(urlsplit(self.path).path).items():
            self.send_header(key, value)
        super().end_headers()

    def do_GET(self):
        path = urlsplit(self.path).path
        if path.endswith("/sitemap.xml") and (Path(self.directory) / path.lstrip("/")).is_file():
            body = (Path(self.directory) / path.lstrip("/")).read_bytes().replace(
                self.built_for.encode(), self.origin.encode())
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@pytest.fixture(scope="module")
def vercel_server(site, server):
    handler = type("H", (VercelHeadersHandler,), {"built_for": server})
    url, httpd = serve(site, handler)
    handler.origin = url
    yield url
    httpd.shutdown()
    httpd.server_close()


CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""


@pytest.fixture()
def csp_page(browser, vercel_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.add_init_script(CSP_LISTENER)
    pg = context.new_page()
    pg.watch = PageWatch(pg, vercel_server)
    pg.console_all = []
    pg.on("console", lambda m: pg.console_all.append(f"{m.type}: {m.text}"))
    yield pg
    context.close()


def violations(page) -> list[str]:
    found = page.evaluate("window.__csp || []")
    found += [m for m in page.console_all if "Content Security Policy" in m or "Content-Security-Policy" in m]
    return found + page.watch.errors


def test_every_template_works_under_the_policy(csp_page, vercel_server, site):
    page, base = csp_page, vercel_server
    response = page.goto(base, wait_until="networkidle")
    assert "sha256-" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    problems = []

    def check(step):
        problems.extend(f"{step}: {v}" for v in violations(page))
        page.evaluate("window.__csp = []")
        page.watch.errors.clear()
        page.console_all.clear()

    # home page: palette, announcement, search typed and results shown
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("显存")
    box.press("End")
    page.locator("li.md-search-result__item > a.md-search-result__link").first.wait_for(timeout=30000)
    check("home + search")
    page.keyboard.press("Escape")

    # a content page with images; open the lightbox by clicking one
    page.goto(base + "getting-started/intro/", wait_until="networkidle")
    page.locator("a.glightbox").first.click()
    page.locator(".glightbox-container .gslide-image img").first.wait_for(state="visible", timeout=10000)
    assert page.evaluate("document.querySelector('.glightbox-container .gslide-image img').naturalWidth") > 0
    page.keyboard.press("Escape")
    check("content page + lightbox")

    # instant navigation into the workbench re-runs its script under the same policy
    page.goto(base + "guide/", wait_until="networkidle")
    page.evaluate("window.__sameDocument = true")
    page.locator(".md-sidebar--primary a.md-nav__link[href$='paint/']").first.click(timeout=10000)
    page.wait_for_url("**/paint/")
    for tool in ("prompt", "pnginfo", "resolution"):
        page.wait_for_selector(f'[data-wb-tool="{tool}"][data-wb-ready]', state="attached", timeout=10000)
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation"
    check("section index → workbench (instant navigation)")

    # the workbench loaded directly, and one of its tools used
    page.goto(base + "paint/", wait_until="networkidle")
    for tool in ("prompt", "pnginfo", "resolution"):
        page.wait_for_selector(f'[data-wb-tool="{tool}"][data-wb-ready]', state="attached", timeout=10000)
    page.fill("#wb-prompt-input", "{{word}}")
    page.click('[data-wb-tool="prompt"] button[type="submit"]')
    assert page.input_value("#wb-prompt-result")
    check("workbench")

    # the 繁體中文版 home page, when the build has it
    if (site / "zh-hant" / "index.html").is_file():
        page.goto(base + "zh-hant/", wait_until="networkidle")
        check("zh-hant home")

    # 404 (served with status 404 and the same headers)
    response = page.goto(base + "no-such-page/", wait_until="networkidle")
    assert response.status == 404 and "content-security-policy" in response.headers
    page.watch.errors[:] = [e for e in page.watch.errors if "404" not in e]   # the page's own status
    check("404")

    assert not problems, "\n".join(problems)
    assert not page.watch.foreign, page.watch.foreign

    # the listener itself works: an injected inline script is blocked and reported
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__injected = 1'; document.body.appendChild(s); }""")
    page.wait_for_function("window.__csp.length > 0", timeout=5000)
    assert page.evaluate("window.__injected") is None
    assert "script-src" in page.evaluate("window.__csp[0]")
