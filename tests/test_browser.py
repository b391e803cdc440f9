"""The site in a real browser: Debian's Chromium driven by Playwright, against the real HTTP server."""
import pytest

from conftest import ROOT, page_paths

AXE = ROOT / "node_modules/axe-core/axe.min.js"

# What a newcomer types into the search box, and the page that must come first.
SEARCHES = {
    "显存": {"config/gpu-vram/"},
    "显存 多少": {"before-you-start/hardware/"},
    "CUDA out of memory": {"config/gpu-vram/"},
    "提示词": {"guide/prompts/", "guide/prompt-syntax/"},
    "哪个前端": {"before-you-start/choose-frontend/"},
    "Colab": {"before-you-start/choose-route/"},
    "50系": {"before-you-start/hardware/"},            # digits touching Chinese: javascripts/search-cjk.js
    "LoRA 训练": {"train/lora/", "train/lora-sdxl-flux/"},
    "Couldn't clone Stable Diffusion": {"install/troubleshooting/"},
    "启动参数": {"install/launch-args/"},
    "重绘幅度": {"guide/img2img/", "guide/inpainting/"},
    # Each of these three pages has a section titled with 黑图; before javascripts/search-cjk.js fixed the
    # query cutting, "黑图" was searched as "黑*" and a training page's "黑屏" came first.
    "黑图": {"config/generation-errors/", "config/gpu-vram/", "config/vae/"},
    "NansException": {"config/generation-errors/"},
    "扩展": {"install/extensions/"},                  # was searched as "扩*"
}


def title(page, expected: str) -> str:
    """The page's own heading, once it reads `expected` (instant navigation swaps the content in after the
    URL changes, so wait for it). Search highlighting re-inserts the index's word breaks (U+200B)."""
    script = """() => { const h = document.querySelector('.md-content h1');
        return h ? h.innerText.replace(/[\\u00b6\\u200b]/g, '').trim() : null; }"""
    try:
        page.wait_for_function(f"({script})() === {expected!r}", timeout=10000)
    except Exception:
        pass
    return page.evaluate(script)


def search(page, query: str) -> str:
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")        # Material searches on keyup; fill() alone sends no key events for CJK text
    first = page.locator("li.md-search-result__item > a.md-search-result__link").first
    first.wait_for(timeout=30000)
    return first.get_attribute("href")


def test_every_page_loads_cleanly_from_our_host_alone(page, server, site):
    bad = []
    for path in page_paths(site) + ["no-such-page/"]:
        page.watch.errors.clear()
        response = page.goto(server + path, wait_until="load")
        expected = 404 if path == "no-such-page/" else 200
        if response.status != expected:
            bad.append(f"/{path}: HTTP {response.status}")
        # the 404 page's own response is the one error status we expect
        errors = [e for e in page.watch.errors if path != "no-such-page/" or "404" not in e]
        bad += [f"/{path}: {e}" for e in errors]
    assert not bad, "\n".join(bad)
    assert not page.watch.foreign, f"requests to other hosts: {sorted(set(page.watch.foreign))}"


@pytest.mark.parametrize("query, expected", SEARCHES.items())
def test_search_puts_the_right_page_first(page, server, query, expected):
    page.goto(server, wait_until="networkidle")
    href = search(page, query)
    path = href.split("?")[0].split("#")[0]
    assert any(path.endswith("/" + e) for e in expected), f"{query!r} → {href}"
    assert not page.watch.foreign


def test_search_result_opens_the_page(page, server):
    page.goto(server + "install/", wait_until="networkidle")
    search(page, "显存")
    page.locator("li.md-search-result__item > a.md-search-result__link").first.click()
    page.wait_for_url("**/config/gpu-vram/**")
    assert title(page, "显卡与显存优化") == "显卡与显存优化"


def test_palette_toggle_switches_and_is_remembered(page, server):
    page.goto(server + "guide/", wait_until="networkidle")
    scheme = lambda: page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert scheme() == "default"          # follows the system (light in this browser)
    for _ in range(3):
        if scheme() == "slate":
            break
        page.locator("form[data-md-component=palette] label:visible").first.click()
    assert scheme() == "slate"
    page.reload(wait_until="networkidle")
    assert scheme() == "slate"


def test_dark_system_setting_gives_the_dark_palette(browser, server):
    context = browser.new_context(color_scheme="dark")
    pg = context.new_page()
    pg.goto(server, wait_until="networkidle")
    assert pg.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    context.close()


def test_instant_navigation_keeps_the_page_working(page, server):
    page.goto(server, wait_until="networkidle")
    page.evaluate("window.__sameDocument = true")
    page.locator(".md-tabs__link", has_text="安装配置").click()
    page.wait_for_url("**/install/")
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation, got a full page load"
    assert title(page, "安装总览") == "安装总览"
    assert not page.watch.errors and not page.watch.foreign


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", "install/a1111/", "getting-started/glossary/", "no-such-page/"])
def test_no_serious_accessibility_violation(browser, server, path, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(server + path, wait_until="networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
        resultTypes: ['violations']})""")
    context.close()
    serious = [f"{v['impact']} {v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(serious)


def test_not_found_page_offers_search_and_sections(page, server):
    response = page.goto(server + "install/no-such-page/", wait_until="networkidle")
    assert response.status == 404
    assert title(page, "找不到这个页面") == "找不到这个页面"
    page.locator("button.aidraw-search-link").click()
    assert page.locator("input.md-search__input").is_visible()
    page.keyboard.type("显存 ")
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    closed = "() => !document.getElementById('__search').checked"
    page.keyboard.press("Escape")
    page.wait_for_function(closed)
    button = page.locator("button.aidraw-search-link")     # the keyboard way
    button.focus()
    page.wait_for_timeout(200)             # let Material finish closing search, which moves focus too
    button.focus()
    assert page.evaluate("() => document.activeElement.matches('button.aidraw-search-link')")
    page.keyboard.press("Enter")
    try:
        page.wait_for_function("() => document.activeElement.matches('input.md-search__input')"
                               " && document.getElementById('__search').checked", timeout=10000)
    except Exception:
        raise AssertionError(page.evaluate("() => [document.activeElement.outerHTML.slice(0, 80), "
                                           "document.getElementById('__search').checked, location.href]"))
    page.keyboard.press("Escape")
    page.wait_for_function(closed)
    links = page.locator("article a[href$='install/']")
    assert links.count() >= 1
    links.first.click()
    page.wait_for_url("**/install/")
