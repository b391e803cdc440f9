"""Budgets for what a visitor downloads, and accessibility of the page templates tests/test_browser.py does
not cover. Only deterministic figures are asserted here; timings and Lighthouse scores are measured by
scripts/benchmark.py, which writes reports/benchmark.md."""
import gzip

import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT

AXE = ROOT / "node_modules/axe-core/axe.min.js"
# The home page, cold cache, as Vercel transfers it (text compressed), before search is used: everything it
# loads. The search index waits for the reader (javascripts/search-lazy.js) and has its own budget.
HOME_BUDGET = 300 * 1024
SEARCH_INDEX = "search/search_index.json"
SEARCH_INDEX_BUDGET = 700 * 1024      # compressed; about 505 KB in November 2026 (1.8 MB uncompressed)
TEXT = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


def sizes(finished) -> list[dict]:
    """Each finished request with its body size, uncompressed and gzip-compressed (Vercel compresses text
    responses; the test server does not)."""
    out = []
    for r in finished:
        body = r.response().body()
        kind = r.response().headers.get("content-type", "")
        packed = len(gzip.compress(body, 6)) if kind.startswith(TEXT) else len(body)
        out.append({"url": r.url, "raw": len(body), "sent": min(packed, len(body)), "type": kind})
    return out


def load_cold(page, url: str) -> tuple[list[dict], list]:
    """Load `url` in a fresh context (cold cache); returns the sized responses and the live list of finished
    requests, which keeps growing as the page goes on."""
    finished = []
    page.on("requestfinished", lambda r: finished.append(r))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(500)                # late requests started by scripts after load
    return sizes(finished), finished


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def test_home_page_is_light_and_local(page, server):
    loads, _ = load_cold(page, server)
    total = sum(x["sent"] for x in loads)
    detail = "\n".join(f"  {kb(x['sent']):>9} ({kb(x['raw'])} uncompressed)  {x['url'].replace(server, '/')}"
                       for x in sorted(loads, key=lambda x: -x["sent"])[:8])
    assert not [x for x in loads if x["url"].endswith(SEARCH_INDEX)], \
        f"the search index loaded before search was used:\n{detail}"
    assert total < HOME_BUDGET, f"home page transfers {kb(total)} (budget {kb(HOME_BUDGET)}):\n{detail}"
    assert len(loads) >= 5, loads
    assert not page.watch.foreign, f"third-party requests: {page.watch.foreign}"
    assert not page.watch.errors, page.watch.errors


@pytest.mark.parametrize("how", ["focus", "key", "hover", "icon", "shared-link"])
def test_search_index_loads_when_search_is_wanted(browser, server, how):
    """Each way of turning to search fetches the index, and search then answers."""
    mobile = how == "icon"
    context = browser.new_context(viewport={"width": 400, "height": 800} if mobile else {"width": 1280, "height": 900})
    page = context.new_page()
    _, finished = load_cold(page, server + ("?q=显存" if how == "shared-link" else ""))
    loaded = lambda: any(r.url.endswith(SEARCH_INDEX) for r in finished)
    if how != "shared-link":
        assert not loaded(), "the index loaded before search was used"
    if how == "focus":
        page.locator("input.md-search__input").focus()
    elif how == "key":
        page.keyboard.press("/")
    elif how == "hover":
        page.locator("input.md-search__input").hover()
    elif how == "icon":
        page.locator("label.md-header__button[for='__search']").click()
    page.wait_for_function("() => performance.getEntriesByType('resource')"
                           ".some(e => e.name.endsWith('/search/search_index.json') && e.responseEnd > 0)",
                           timeout=10000)
    page.wait_for_timeout(300)
    assert loaded()
    if how != "hover":
        if how != "shared-link":
            page.keyboard.type("显存 ")
        page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    context.close()


def test_search_index_budget(site):
    body = (site / SEARCH_INDEX).read_bytes()
    packed = len(gzip.compress(body, 6))
    assert packed < SEARCH_INDEX_BUDGET, f"{SEARCH_INDEX}: {kb(packed)} compressed, {kb(len(body))} uncompressed"


def axe_serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
        resultTypes: ['violations']})""")
    return [f"{v['impact']} {v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


# tests/test_browser.py covers the home page, two content pages and the 404 page, tests/test_workbench.py the
# workbench (/paint/); these are the templates left: a section index and a content page with lightbox images.
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["guide/", "getting-started/intro/"])
def test_other_templates_have_no_serious_accessibility_violation(browser, server, path, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + path, wait_until="networkidle")
    if path == "getting-started/intro/":
        assert page.locator("a.glightbox img").count() >= 1          # a page with lightbox images
    serious = axe_serious(page)
    context.close()
    assert not serious, "\n".join(serious)


def test_open_lightbox_has_no_serious_accessibility_violation(page, server):
    """GLightbox's viewer is a dialog; javascripts/a11y.js gives it a name."""
    page.goto(server + "getting-started/intro/", wait_until="networkidle")
    page.locator("a.glightbox").first.click()
    page.locator(".glightbox-container .gslide-image img").first.wait_for(state="visible", timeout=10000)
    page.wait_for_timeout(500)                # the zoom-in animation
    serious = axe_serious(page)
    assert not serious, "\n".join(serious)


def test_layout_width_does_not_depend_on_page_length(browser, server):
    """A long page is painted before all of it has arrived; if the scrollbar then appears, the centred layout
    moves sideways (Lighthouse measured a layout shift of 0.156 on install/a1111/). extra.css reserves the
    scrollbar's space, so a page that does not scroll is laid out exactly as wide as one that does."""
    # Playwright hides scrollbars in headless Chromium; Lighthouse (and every reader's browser) shows them.
    with_scrollbars = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                                  ignore_default_args=["--hide-scrollbars"])
    page = with_scrollbars.new_page(viewport={"width": 1280, "height": 2400})
    widths = {}
    for path in ("no-such-page/", "install/a1111/"):
        page.goto(server + path, wait_until="load")
        widths[path] = page.evaluate("""() => {
            const box = document.querySelector('.md-main__inner').getBoundingClientRect();
            return [box.left, box.width, document.documentElement.scrollHeight > innerHeight]; }""")
    with_scrollbars.close()
    assert widths["no-such-page/"][2] is False and widths["install/a1111/"][2] is True, widths
    assert widths["no-such-page/"][:2] == widths["install/a1111/"][:2], widths
