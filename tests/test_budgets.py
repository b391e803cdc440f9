"""Budgets for what a visitor downloads, and accessibility of the page templates tests/test_browser.py does
not cover. Only deterministic figures are asserted here; timings and Lighthouse scores are measured by
scripts/benchmark.py, which writes reports/benchmark.md."""
import gzip

import pytest

from conftest import ROOT

AXE = ROOT / "node_modules/axe-core/axe.min.js"
# The home page, cold cache, as Vercel transfers it (text compressed): everything it loads except the search
# index, which Material's search worker fetches in the background on every cold start (budgeted apart).
HOME_BUDGET = 300 * 1024
SEARCH_INDEX = "search/search_index.json"
SEARCH_INDEX_BUDGET = 700 * 1024      # compressed; about 545 KB in November 2026 (2.9 MB uncompressed)
TEXT = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


def load_cold(page, url: str) -> list[dict]:
    """Load `url` in a fresh context (cold cache): every response with its body size, uncompressed and
    gzip-compressed (Vercel compresses text responses; the test server does not)."""
    finished = []
    page.on("requestfinished", lambda r: finished.append(r))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)                # late requests started by scripts after load
    out = []
    for r in finished:
        body = r.response().body()
        kind = r.response().headers.get("content-type", "")
        packed = len(gzip.compress(body, 6)) if kind.startswith(TEXT) else len(body)
        out.append({"url": r.url, "raw": len(body), "sent": min(packed, len(body)), "type": kind})
    return out


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def test_home_page_is_light_and_local(page, server):
    loads = load_cold(page, server)
    index = [x for x in loads if x["url"].endswith(SEARCH_INDEX)]
    rest = [x for x in loads if x not in index]
    total = sum(x["sent"] for x in rest)
    detail = "\n".join(f"  {kb(x['sent']):>9} ({kb(x['raw'])} uncompressed)  {x['url'].replace(server, '/')}"
                       for x in sorted(rest, key=lambda x: -x["sent"])[:8])
    assert total < HOME_BUDGET, f"home page transfers {kb(total)} (budget {kb(HOME_BUDGET)}):\n{detail}"
    assert len(rest) >= 5, rest
    if index:
        assert index[0]["sent"] < SEARCH_INDEX_BUDGET, \
            f"search index: {kb(index[0]['sent'])} compressed (budget {kb(SEARCH_INDEX_BUDGET)})"
    assert not page.watch.foreign, f"third-party requests: {page.watch.foreign}"
    assert not page.watch.errors, page.watch.errors


def test_search_index_budget(site):
    """The same budget without a browser, so that it holds even if the index stops loading eagerly."""
    body = (site / SEARCH_INDEX).read_bytes()
    assert len(gzip.compress(body, 6)) < SEARCH_INDEX_BUDGET, f"{SEARCH_INDEX}: {kb(len(body))} uncompressed"


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
    """GLightbox's viewer is a dialog; javascripts/lightbox-label.js gives it a name."""
    page.goto(server + "getting-started/intro/", wait_until="networkidle")
    page.locator("a.glightbox").first.click()
    page.locator(".glightbox-container .gslide-image img").first.wait_for(state="visible", timeout=10000)
    page.wait_for_timeout(500)                # the zoom-in animation
    serious = axe_serious(page)
    assert not serious, "\n".join(serious)
