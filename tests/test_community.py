"""The community link data (includes/community.yml): validation in a real build, rendering into the
reference pages, and scripts/check_links.py against a local HTTP server answering every kind of status."""
import http.server
import importlib.util
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT, _Server, copy_project, mkdocs_build

_spec = importlib.util.spec_from_file_location("aidraw_community_t", ROOT / "hooks" / "community.py")
community = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = community
_spec.loader.exec_module(community)

DATA = "includes/community.yml"
GOOD = """\
- name: 第一个
  url: https://example.org/one
  platform: website
  language: zh-Hans
  category: chat
  description: 第一个条目。
- name: 第二个
  url: https://example.org/two
  platform: github
  language: [en, ja]
  category: forum
  description: 第二个条目。
  bot_hostile: true
"""


# --------------------------------------------------------------------------------------- data and build

def test_real_data_validates():
    entries = community.load(ROOT / DATA, DATA)
    assert len(entries) >= 30
    assert {e.category for e in entries} >= {"chat", "forum", "models", "creators", "tools", "docs"}
    assert any(e.featured for e in entries)


def test_parse_accepts_a_minimal_file():
    entries = community.parse(GOOD, DATA)
    assert [e.name for e in entries] == ["第一个", "第二个"]
    assert entries[1].language == ["en", "ja"] and entries[1].bot_hostile
    assert entries[1].line == 7


def test_tables_render_in_the_built_pages(site):
    pages = {p: (site / p / "index.html").read_text(encoding="utf-8")
             for p in ("reference/community", "reference/links", ".")}
    assert 'href="https://t.me/StableDiffusion_CN"' in pages["reference/community"]
    assert 'href="https://www.reddit.com/r/StableDiffusion/"' in pages["reference/community"]
    assert 'href="https://space.bilibili.com/12566101"' in pages["reference/community"]
    assert 'href="https://docs.comfy.org/"' in pages["reference/links"]
    assert 'href="https://github.com/kohya-ss/sd-scripts"' in pages["reference/links"]
    assert 'href="https://civitai.com/"' in pages["."]
    for text in pages.values():
        assert "<!-- community:" not in text


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("community") / "project")


BROKEN = {
    # kind: (YAML of the second entry, line the message must name, words of the message)
    "missing field": ("- name: 第二个\n  url: https://example.org/two\n  platform: github\n  language: en\n"
                      "  category: forum\n", 7, "缺少必填字段 description"),
    "not http": ("- name: 第二个\n  url: ftp://example.org/two\n  platform: github\n  language: en\n"
                 "  category: forum\n  description: 说明。\n", 8, "不是 http:// 或 https:// 开头"),
    "duplicate url": ("- name: 第二个\n  url: https://example.org/one/\n  platform: github\n  language: en\n"
                      "  category: forum\n  description: 说明。\n", 8, "与第 1 条（第一个）重复"),
    "unknown platform": ("- name: 第二个\n  url: https://example.org/two\n  platform: myspace\n  language: en\n"
                         "  category: forum\n  description: 说明。\n", 9, "platform 的值 “myspace” 不在允许的列表中"),
    "unknown category": ("- name: 第二个\n  url: https://example.org/two\n  platform: github\n  language: en\n"
                         "  category: gossip\n  description: 说明。\n", 11, "category 的值 “gossip” 不在允许的列表中"),
    "unknown key": ("- name: 第二个\n  url: https://example.org/two\n  platform: github\n  language: en\n"
                    "  category: forum\n  description: 说明。\n  homepage: true\n", 13, "未知的键 homepage"),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_malformed_entry_stops_the_build(project, tmp_path, kind):
    second, line, words = BROKEN[kind]
    first = GOOD.split("- name: 第二个")[0]
    (project / DATA).write_text(first + second, encoding="utf-8")
    r = mkdocs_build(project, tmp_path / "site")
    assert r.returncode != 0, f"{kind}: the build passed"
    out = r.stderr + r.stdout
    assert f"{DATA}:{line}:" in out, out[-3000:]
    assert "第 2 条（第二个）" in out, out[-3000:]
    assert words in out, out[-3000:]


def test_typography_of_descriptions_is_checked():
    entries = community.parse(GOOD.replace("description: 第一个条目。", "description: 使用LoRA训练,很好"), DATA)
    found = community.style_findings(entries, DATA)
    assert any(f.startswith(f"{DATA}:6: 第 1 条（第一个）：description：[SPACE-1]") for f in found), found
    assert any("[PUNC-1]" in f for f in found), found
    assert community.style_findings(community.load(ROOT / DATA, DATA), DATA) == []


def test_unknown_marker_is_an_error():
    entries = community.parse(GOOD, DATA)
    assert "| [第一个](https://example.org/one) |" in community.render_markers("<!-- community: chat -->", entries, "p.md")
    with pytest.raises(community.CommunityDataError, match=r"p\.md:2: .*nope"):
        community.render_markers("text\n<!-- community: nope -->\n", entries, "p.md")


# --------------------------------------------------------------------------------------- link checking

class StatusHandler(http.server.BaseHTTPRequestHandler):
    other = ""      # base URL of the same server under another host name (set by the fixture)

    def log_message(self, *args):
        pass

    def _answer(self):
        routes = {
            "/ok": (200, None), "/elsewhere": (200, None),
            "/missing": (404, None), "/badgateway": (502, None), "/forbidden": (403, None),
            "/moved": (301, "/ok"), "/renamed": (301, "/ok"), "/temp": (302, "/ok"), "/away": (302, self.other + "elsewhere"),
        }
        status, location = routes.get(self.path, (404, None))
        body = b"<html><body>ok</body></html>" if status == 200 else b"<html><body>no</body></html>"
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("LinkChecker", "test-server")   # lift LinkChecker's per-host throttling
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = _answer


@pytest.fixture(scope="module")
def status_server():
    httpd = _Server(("127.0.0.1", 0), StatusHandler)
    port = httpd.server_address[1]
    StatusHandler.other = f"http://localhost:{port}/"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    silent = socket.socket()            # accepts connections (kernel backlog) but never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    closed = socket.socket()            # a port nobody listens on
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    yield f"http://127.0.0.1:{port}/", silent.getsockname()[1], closed_port
    silent.close()
    httpd.shutdown()
    httpd.server_close()


def _entry(name, url, **extra):
    lines = [f"- name: {name}", f"  url: {url}", "  platform: website", "  language: en", "  category: docs",
             "  description: 测试条目。"]
    lines += [f"  {k}: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


def test_check_links_reports_exactly_the_broken_links(status_server, tmp_path):
    base, silent_port, closed_port = status_server
    data = tmp_path / "links.yml"
    data.write_text("".join([
        _entry("好链接", base + "ok"),
        _entry("不存在", base + "missing"),
        _entry("永久跳转", base + "moved"),
        _entry("接受的跳转", base + "temp", accept_redirect="true"),
        _entry("前缀内的跳转", base + "renamed", accept_redirect=base + "ok"),
        _entry("跳到别处", base + "away", accept_redirect=base + "ok"),
        _entry("网关错误", base + "badgateway"),
        _entry("拒绝机器人", base + "forbidden", bot_hostile="true"),
        _entry("不回应", f"http://127.0.0.1:{silent_port}/"),
        _entry("拒绝连接", f"http://127.0.0.1:{closed_port}/"),
        _entry("域名不存在", "http://aidraw-link-test.invalid/"),
    ]), encoding="utf-8")
    data.chmod(0o644)
    report = tmp_path / "report.md"
    r = subprocess.run([sys.executable, str(ROOT / "scripts/check_links.py"), "--data", str(data),
                        "--timeout", "3", "--markdown-report", str(report)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, r.stdout + r.stderr
    lines = {line.split("]", 1)[1].split(" <", 1)[0].strip(): line
             for line in r.stdout.splitlines() if line.startswith("[")}
    expected = {
        "不存在": ("[失效]", "HTTP 404"),
        "永久跳转": ("[失效]", "重定向（301 跳转到 " + base + "ok）"),
        "跳到别处": ("[失效]", "重定向（302 跳转到 " + StatusHandler.other + "elsewhere）"),
        "网关错误": ("[失效]", "HTTP 502"),
        "拒绝机器人": ("[警告]", "HTTP 403"),
        "不回应": ("[失效]", "超时"),
        "拒绝连接": ("[失效]", "连接被拒绝"),
        "域名不存在": ("[失效]", "域名解析失败"),
    }
    assert set(lines) == set(expected), r.stdout
    for name, (level, reason) in expected.items():
        assert lines[name].startswith(level) and reason in lines[name], lines[name]
    assert "共检查 11 个链接：7 个失效，1 个警告。" in r.stdout
    md = report.read_text(encoding="utf-8")
    assert "## 失效链接" in md and "## 警告" in md and base + "missing" in md and "好链接" not in md and "前缀内的跳转" not in md


def test_check_links_rejects_invalid_data(tmp_path):
    data = tmp_path / "bad.yml"
    data.write_text(_entry("坏条目", "not-a-url"), encoding="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "scripts/check_links.py"), "--data", str(data)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "第 1 条（坏条目）" in r.stderr and "不是 http:// 或 https:// 开头" in r.stderr
