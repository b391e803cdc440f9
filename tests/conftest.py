"""Shared fixtures: one strict build of the real site, a real HTTP server on 127.0.0.1 serving it, and a
real Chromium (Debian's /usr/bin/chromium driven by Playwright; no browser is ever downloaded)."""
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# What a copy of the repository needs; the rest (venv, node_modules, build output) is left behind.
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", ".cache", "__pycache__",
                                     ".pytest_cache", "reports")


def mkdocs_build(cwd: Path, dest: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of the project in `cwd` into `dest`; CI variables removed unless given."""
    base = {k: v for k, v in os.environ.items() if k not in {"GITHUB_ACTIONS", "GITLAB_CI", "CI"}}
    base["NO_MKDOCS_2_WARNING"] = "1"
    base.update(env or {})
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest), *extra],
                          cwd=cwd, env=base, capture_output=True, text=True, timeout=600)


def copy_project(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=COPY_IGNORE, symlinks=True)
    return dest


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files like Vercel serves them: directory URLs, and 404.html with status 404."""

    def log_message(self, *args):
        pass

    def end_headers(self):
        # LinkChecker throttles every host to about 10 requests a second unless the server sends this
        # header; with it, tests/linkcheckerrc's maxrequestspersecond applies to our own test server.
        self.send_header("LinkChecker", "test-server")
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(directory: Path, handler=SiteHandler):
    """Start a server on a free port of 127.0.0.1; returns (base URL, server)."""
    def factory(*a, **kw):
        return handler(*a, directory=str(directory), **kw)
    httpd = _Server(("127.0.0.1", 0), factory)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/", httpd


@pytest.fixture(scope="session")
def _built_and_served(tmp_path_factory):
    """One strict build of the site, served on a free port of 127.0.0.1. The build's site_url is that
    address, so that sitemap.xml matches and Material's instant navigation works as in production."""
    out = tmp_path_factory.mktemp("site")
    httpd = _Server(("127.0.0.1", 0), lambda *a, **kw: SiteHandler(*a, directory=str(out), **kw))
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    r = mkdocs_build(ROOT, out, env={"AIDRAW_SITE_URL": url})
    assert r.returncode == 0, f"strict build failed:\n{r.stderr[-6000:]}"
    # The 繁體中文版 (mkdocs.zh-hant.yml) into zh-hant/, as on Vercel: the language switch of every page
    # points there, and Material fetches its sitemap.xml.
    r = mkdocs_build(ROOT, out / "zh-hant", "-f", "mkdocs.zh-hant.yml", env={"AIDRAW_HANT_SITE_URL": url + "zh-hant/"})
    assert r.returncode == 0, f"strict build of the Traditional edition failed:\n{r.stderr[-6000:]}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield out, url
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def site(_built_and_served) -> Path:
    return _built_and_served[0]


@pytest.fixture(scope="session")
def server(_built_and_served) -> str:
    return _built_and_served[1]


def page_paths(site: Path) -> list[str]:
    """URL paths of every page of the built site ('' for the home page, 'install/' …); the Traditional
    edition in zh-hant/ is left out (page_paths(site / "zh-hant") lists its pages)."""
    paths = []
    for f in sorted(site.rglob("index.html")):
        rel = f.parent.relative_to(site).as_posix()
        if rel == "zh-hant" or rel.startswith("zh-hant/"):
            continue
        paths.append("" if rel == "." else rel + "/")
    return paths


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (python3 scripts/dev.py test does)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageWatch:
    """Records console errors, failed requests and requests to any host but 127.0.0.1."""

    def __init__(self, page, base: str):
        self.page, self.host = page, urlsplit(base).netloc
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("request", self._request)
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))

    def _failed(self, request):
        # ERR_ABORTED: a background request cut short because the test moved on to the next page
        if "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"request failed: {request.url} {request.failure}")

    def _request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.host:
            self.foreign.append(request.url)


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    pg = context.new_page()
    pg.watch = PageWatch(pg, server)
    yield pg
    context.close()
