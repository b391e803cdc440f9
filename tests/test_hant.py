"""繁體中文版: the conversion (hooks/hant.py with includes/zh-hant-phrases.txt), the strict build of the
Traditional edition (built once per session into the served site's zh-hant/ by conftest.py), and, in
Chromium, the language switch, the "converted automatically" note and search in Traditional Chinese."""
import importlib.util
import json
import re

import pytest

from conftest import ROOT, page_paths

_spec = importlib.util.spec_from_file_location("aidraw_hant", ROOT / "hooks/hant.py")
hant = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hant)


@pytest.fixture(scope="module")
def cv():
    return hant.Converter()


# Phrases s2twp alone gets wrong for this field, words it gets right, and names that must not change.
PHRASES = {
    "启动参数": "啟動參數",                 # s2twp: 引數
    "显存不足": "顯示記憶體不足",           # s2twp: 視訊記憶體
    "采样器": "取樣器",
    "提示词": "提示詞",
    "负面提示词": "負面提示詞",
    "内存": "記憶體",
    "视频": "影片",
    "安装扩展": "安裝擴充功能",             # s2twp: 擴充套件
    "图像质量": "影像品質",                 # s2twp: 質量 (mass)
    "像素": "像素",                         # s2twp: 畫素
    "局部重绘": "局部重繪",                 # s2twp: 區域性
    "国内镜像": "國內鏡像",                 # s2twp: 映象
    "需重载界面": "需重新載入介面",         # s2twp: 過載 (overload)
    "文件夹权限": "資料夾權限",             # s2twp: 許可權
    "声明与许可": "聲明與許可",             # s2twp: 宣告
    "错误类型": "錯誤類型",                 # s2twp: 型別
    "秋葉aaaki 的整合包": "秋葉aaaki 的整合包",
    "Stable Diffusion、ComfyUI、Flux.1 [dev]、SDXL": "Stable Diffusion、ComfyUI、Flux.1 [dev]、SDXL",
    "加上 --medvram 参数": "加上 --medvram 參數",
}


@pytest.mark.parametrize("simplified, traditional", PHRASES.items())
def test_tricky_phrases(cv, simplified, traditional):
    assert cv.markdown(simplified) == traditional


def test_code_urls_and_link_targets_are_untouched(cv):
    md = """# 显存优化 { #vram-opt }

用 `--medvram` 或 `set COMMANDLINE_ARGS=显存` 参数，见 [显存](../config/gpu-vram.md#显存不足 "显存说明")、
<https://example.com/显存/> 与 https://github.com/a/显存?q=参数 。<span title="显存" class="x">显存</span>
<!-- community: chat --> ++ctrl+enter++

[ref]: https://example.com/参数

```bash
python launch.py --medvram  # 显存不足时
```

!!! note "参数说明"

    正文里的显存。

    ```python
    x = "显存"
    ```

--8<-- "includes/参数.md"
"""
    out = cv.markdown(md)
    assert out.startswith("# 顯示記憶體最佳化 { #vram-opt }\n")
    for kept in ("`--medvram`", "`set COMMANDLINE_ARGS=显存`", "<https://example.com/显存/>",
                 "https://github.com/a/显存?q=参数", '<span title="显存" class="x">', "<!-- community: chat -->",
                 "++ctrl+enter++", "[ref]: https://example.com/参数", "python launch.py --medvram  # 显存不足时\n",
                 '    x = "显存"\n', '--8<-- "includes/参数.md"'):
        assert kept in out, kept
    # an internal link keeps its path; its #fragment follows the converted heading
    assert '](../config/gpu-vram.md#顯示記憶體不足 "顯示記憶體說明")' in out
    assert '!!! note "參數說明"' in out and "正文裡的顯示記憶體。" in out


def test_front_matter_keys_and_non_prose_values_are_untouched(site):
    # MkDocs parses front matter before the hook runs; only title and description are converted.
    page = type("P", (), {"meta": {"title": "显存优化", "description": "显存不足", "template": "home.html",
                                   "hide": ["navigation", "toc"], "search": {"exclude": True}}})()
    config = {"extra": {"hant": {"simplified": "/"}}}
    hant.on_page_markdown("正文", page, config, None)
    assert page.meta == {"title": "顯示記憶體最佳化", "description": "顯示記憶體不足", "template": "home.html",
                         "hide": ["navigation", "toc"], "search": {"exclude": True}}


def test_traditional_edition_is_built_strictly(site):
    """conftest.py's session build ran `mkdocs build --strict -f mkdocs.zh-hant.yml`: no warning at all, so
    the style checks (hooks/checks.py, on the Simplified sources) found nothing in the converted text."""
    hant_site = site / "zh-hant"
    assert len(page_paths(hant_site)) == len(page_paths(site))
    html = (hant_site / "config/gpu-vram/index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant"' in html
    assert "顯示卡與顯示記憶體最佳化" in html
    # edit links open the Simplified source
    assert 'href="https://github.com/aidraw-cn/aidraw/edit/main/docs/config/gpu-vram.md"' in html
    # the abbreviation tooltips and the community tables (rendered by hooks/community.py) are converted too
    assert '<abbr title="顯示記憶體，顯示卡上的記憶體"' in html
    community = (hant_site / "reference/community/index.html").read_text(encoding="utf-8")
    assert "<table>" in community and "<th>平臺</th>" in community and "社群與創作者" in community
    # the Simplified site is untouched by it
    assert "显卡与显存优化" in (site / "config/gpu-vram/index.html").read_text(encoding="utf-8")


def test_every_traditional_page_has_the_note_and_the_switch(site):
    hant_site = site / "zh-hant"
    for path in page_paths(hant_site):
        html = (hant_site / path / "index.html").read_text(encoding="utf-8")
        assert 'class="admonition note aidraw-hant"' in html, path
        assert f'href="/{path}" hreflang="zh-Hans" lang="zh-Hans">查看简体中文原文</a>' in html, path
        assert f'href="/{path}" hreflang="zh-Hans" class="md-select__link"' in html, path
        assert f'href="/zh-hant/{path}" hreflang="zh-Hant" class="md-select__link"' in html, path


def test_traditional_404_page_is_converted(site):
    """404.html is a static template, not a page: hooks/hant.py converts it in on_post_template."""
    html = (site / "zh-hant" / "404.html").read_text(encoding="utf-8")
    assert "找不到這個頁面" in html and "找不到这个页面" not in html
    assert "全新安裝 A1111" in html                       # the announcement bar
    simplified = (site / "404.html").read_text(encoding="utf-8")
    assert "找不到这个页面" in simplified
    # On Vercel every missing address gets the Simplified 404.html; it leads 繁體 readers back.
    assert 'href="/zh-hant/" hreflang="zh-Hant">返回繁體中文版首頁</a>' in simplified


def test_traditional_search_index_is_segmented_in_traditional(site):
    index = json.loads((site / "zh-hant/search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["title"] + " " + d["text"] for d in index["docs"])
    assert "顯示記憶體" in text.split("\u200b") or "\u200b顯示記憶體\u200b" in text
    assert "\u200b提示詞\u200b" in text
    assert "显存" not in re.sub(r"<(pre|code)>.*?</\1>", "", text, flags=re.S)


# ---------------------------------------------------------------- in Chromium

def _switch(page, target_lang: str):
    page.locator(".md-header__option .md-select button").hover()
    page.locator(f'a.md-select__link[hreflang="{target_lang}"]').click()


def test_switch_keeps_the_reader_on_the_same_page(page, server):
    page.goto(server + "guide/prompts/", wait_until="networkidle")
    _switch(page, "zh-Hant")
    page.wait_for_url(server + "zh-hant/guide/prompts/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".md-content h1").inner_text().startswith("如何寫提示詞")
    _switch(page, "zh-Hans")
    page.wait_for_url(server + "guide/prompts/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".md-content h1").inner_text().startswith("如何写提示词")
    assert not page.watch.errors, page.watch.errors
    assert not page.watch.foreign, page.watch.foreign


def test_note_links_to_the_simplified_page(page, server):
    page.goto(server + "zh-hant/config/gpu-vram/", wait_until="networkidle")
    page.locator(".aidraw-hant a").click()
    page.wait_for_url(server + "config/gpu-vram/")
    assert not page.watch.errors, page.watch.errors


@pytest.mark.parametrize("query, expected", {"顯示記憶體": "config/gpu-vram/",
                                             "提示詞": ("guide/prompts/", "guide/prompt-syntax/")}.items())
def test_search_in_traditional(page, server, query, expected):
    page.goto(server + "zh-hant/", wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")
    first = page.locator("li.md-search-result__item > a.md-search-result__link").first
    first.wait_for(timeout=30000)
    path = first.get_attribute("href").split("?")[0].split("#")[0]
    assert "/zh-hant/" in path or not path.startswith("/"), path
    assert path.endswith(expected if isinstance(expected, tuple) else (expected,)), f"{query!r} → {path}"
    assert not page.watch.errors, page.watch.errors
    assert not page.watch.foreign, page.watch.foreign
