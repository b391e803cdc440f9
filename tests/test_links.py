"""Internal links and anchors of the built site, served by a real HTTP server on 127.0.0.1."""
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from conftest import ROOT, page_paths, serve

RC = ROOT / "tests/linkcheckerrc"
RC_ANCHORS = ROOT / "tests/linkcheckerrc-anchors"
HREF_RE = re.compile(r'<(?:a|link)\b[^>]*?\shref="([^"]+)"')
ID_RE = re.compile(r'\s(?:id|name)="([^"]+)"')


def linkchecker(url: str, rc: Path = RC) -> subprocess.CompletedProcess:
    exe = shutil.which("linkchecker", path=str(Path(sys.executable).parent)) or "linkchecker"
    return subprocess.run([exe, "-f", str(rc), "--no-status", url], capture_output=True, text=True, timeout=900)


def test_linkchecker_finds_no_broken_internal_link(server):
    r = linkchecker(server)
    assert r.returncode == 0, r.stdout[-8000:]
    assert "0 errors found" in r.stdout


def test_every_internal_anchor_exists(site):
    """Each link to a #fragment of one of our pages (in content, navigation, TOC and templates) names an id
    that exists on the target page. LinkChecker's own anchor check does the same but takes minutes here."""
    ids: dict[str, set[str]] = {}

    def ids_of(path: str) -> set[str]:
        if path not in ids:
            f = site / path / "index.html" if path.endswith("/") or not path else site / path
            ids[path] = set(map(html.unescape, ID_RE.findall(f.read_text(encoding="utf-8")))) if f.is_file() else set()
        return ids[path]

    broken = []
    base = "http://site.invalid/"
    for path in page_paths(site):
        text = (site / path / "index.html").read_text(encoding="utf-8")
        for href in map(html.unescape, HREF_RE.findall(text)):
            target = urlsplit(urljoin(base + path, href))
            if target.netloc != "site.invalid" or not target.fragment:
                continue
            if unquote(target.fragment) not in ids_of(target.path.lstrip("/")):
                broken.append(f"/{path}: {href}")
    assert not broken, "links to missing anchors:\n" + "\n".join(broken)


def test_linkchecker_reports_a_broken_link_and_anchor(tmp_path):
    (tmp_path / "page").mkdir()
    (tmp_path / "page/index.html").write_text('<html><body><h2 id="有">有</h2></body></html>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<html><body><a href="page/#有">好</a> <a href="missing/">坏链接</a> '
        '<a href="page/#没有">坏锚点</a></body></html>', encoding="utf-8")
    url, httpd = serve(tmp_path)
    try:
        r = linkchecker(url, RC_ANCHORS)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert r.returncode == 1
    assert "missing/" in r.stdout and "404" in r.stdout
    assert "没有" in r.stdout and "not found" in r.stdout
    assert "1 error found" in r.stdout or "1 errors found" in r.stdout


def test_anchor_check_catches_a_missing_anchor(tmp_path):
    """The anchor test above fails on a page that links to an anchor its target lacks."""
    site = tmp_path / "s"
    (site / "a").mkdir(parents=True)
    (site / "a/index.html").write_text('<h2 id="x">x</h2>', encoding="utf-8")
    (site / "index.html").write_text('<a href="a/#y">y</a>', encoding="utf-8")
    try:
        test_every_internal_anchor_exists(site)
    except AssertionError as e:
        assert "a/#y" in str(e)
    else:
        raise AssertionError("the missing anchor was not reported")
