"""The strict build: what it produces, and that it passes (or stops) where it should."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT, copy_project, mkdocs_build, page_paths

SECTIONS = ["起步于此", "开始之前", "安装配置", "绘画调试", "绘画指南", "训练模型", "参考资料"]
RESOURCE_RE = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*?\ssrc=\"((?:https?:)?//[^\"]+)\""
    r"|<link\b(?=[^>]*\srel=\"(?:stylesheet|preconnect|preload|modulepreload|icon|dns-prefetch|prefetch|manifest)\")"
    r"[^>]*\shref=\"((?:https?:)?//[^\"]+)\""
    r"|url\(\s*[\"']?((?:https?:)?//[^\"')]+)")


def config():
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def test_build_produces_the_site(site):
    for name in ("index.html", "404.html", "sitemap.xml", "search/search_index.json", "paint/index.html"):
        assert (site / name).is_file(), name
    assert len(page_paths(site)) >= 9


def test_seven_sections_in_order(site):
    html = (site / "install/index.html").read_text(encoding="utf-8")
    tabs = re.findall(r'class="md-tabs__link[^"]*"[^>]*>\s*([^<]+?)\s*</a>', html)
    assert tabs == SECTIONS
    assert [next(iter(item)) for item in config()["nav"]] == SECTIONS


def test_every_section_has_an_index_page():
    for item in config()["nav"]:
        children = next(iter(item.values()))
        assert isinstance(children[0], str) and children[0].endswith("index.md"), item


def test_no_third_party_resources(site):
    found = {}
    for f in list(site.rglob("*.html")) + list(site.rglob("*.css")):
        for m in RESOURCE_RE.finditer(f.read_text(encoding="utf-8", errors="replace")):
            found.setdefault(next(g for g in m.groups() if g), f.relative_to(site).as_posix())
    assert not found, f"pages load from other hosts: {found}"


def test_chinese_headings_keep_their_own_ids(site):
    html = (site / "getting-started/style-guide/index.html").read_text(encoding="utf-8")
    assert 'id="速览"' in html
    assert 'id="space-1-中英文之间加空格"' in html
    for f in site.rglob("index.html"):
        assert not re.search(r'<h[1-6] id="_\d+"', f.read_text(encoding="utf-8")), f


def test_search_index_is_segmented_with_the_project_dictionary(site):
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["separator"].find("\\u200b") >= 0 or "\u200b" in index["config"]["separator"]
    words = set()
    for doc in index["docs"]:
        words |= set(re.split(r"[\s\u200b]+", doc["title"] + " " + doc["text"]))
    # jieba's own dictionary does not know these; includes/jieba_user_dict.txt keeps them whole
    for term in ("提示词", "显存", "底模", "采样器"):
        assert term in words, term


def test_every_page_has_an_edit_link_to_its_source(site):
    base = config()["repo_url"].rstrip("/") + "/" + config()["edit_uri"]
    for path in page_paths(site):
        html = (site / path / "index.html").read_text(encoding="utf-8")
        if "aidraw-hero" in html:        # the home page: its edit link is not shown
            continue
        m = re.search(r'<a href="([^"]+)" title="编辑此页"', html)
        assert m, f"{path}: no edit button"
        src = m.group(1)[len(base):]
        assert m.group(1).startswith(base) and (ROOT / "docs" / src).is_file(), (path, m.group(1))


def test_footer_states_the_licence_and_pages_show_update_dates(site):
    html = (site / "install/index.html").read_text(encoding="utf-8")
    assert "GFDL 1.3" in html and "/getting-started/statement/" in html
    assert "git-revision-date-localized-plugin" in html


def test_strict_build_passes_without_git(tmp_path):
    project = copy_project(tmp_path / "upload")
    r = mkdocs_build(project, tmp_path / "out")
    assert r.returncode == 0, r.stderr[-4000:]
    assert "git-revision-date-localized-plugin" in (tmp_path / "out/install/index.html").read_text(encoding="utf-8")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid",
                    "-c", "init.defaultBranch=main", *args], cwd=cwd, check=True, capture_output=True)


def test_strict_build_passes_in_a_shallow_clone_on_ci(tmp_path):
    src = copy_project(tmp_path / "src")
    git(src, "init", "-q")
    git(src, "add", "-A")
    git(src, "commit", "-q", "-m", "first")
    (src / "docs/reference/index.md").write_text(
        (src / "docs/reference/index.md").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(src, "commit", "-q", "-am", "second")
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{src}", str(tmp_path / "clone")], check=True)
    # GITHUB_ACTIONS makes the date plugin warn about the shallow clone; hooks/git_dates.py accepts it
    r = mkdocs_build(tmp_path / "clone", tmp_path / "out", env={"GITHUB_ACTIONS": "true"})
    assert r.returncode == 0, r.stderr[-4000:]


def test_broken_link_and_anchor_fail_the_strict_build(tmp_path):
    project = copy_project(tmp_path / "p")
    page = project / "docs/reference/index.md"
    page.write_text(page.read_text(encoding="utf-8") +
                    "\n见[不存在的页面](../install/no-such-page.md)和[不存在的小节](../paint/index.md#没有这一节)。\n",
                    encoding="utf-8")
    r = mkdocs_build(project, tmp_path / "out")
    assert r.returncode != 0
    assert "reference/index.md" in r.stderr and "no-such-page.md" in r.stderr
    assert "没有这一节" in r.stderr


def test_hotlinked_image_stops_even_a_plain_build(tmp_path):
    project = copy_project(tmp_path / "p")
    page = project / "docs/reference/index.md"
    lines = page.read_text(encoding="utf-8").split("\n")
    lines.insert(8, "![外链图](https://example.com/a.png)")
    page.write_text("\n".join(lines), encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "out")],
                       cwd=project, env=env, capture_output=True, text=True)
    assert r.returncode != 0
    assert "docs/reference/index.md:9: [IMG-1]" in r.stderr + r.stdout
