"""The HTML report in a real headless Chromium, opened from file with the network unused.

Checks what a reader sees: the charts are drawn (SVG with non-zero size), typing in the quote box
and choosing a group hide the other quotes, and a screenshot is kept in tests/artifacts/.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from voiceminer.report.html import write_html_report

from ._system import ARTIFACTS, CHROMIUM_ARGS, chromium_or_skip
from .test_html import report_inputs

pytest.importorskip("playwright.sync_api", reason="pip install playwright (the test extra)")


@pytest.fixture(scope="module")
def browser_page():
    from playwright.sync_api import sync_playwright

    chromium = chromium_or_skip()
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=chromium, headless=True, args=list(CHROMIUM_ARGS),
            viewport={"width": 1200, "height": 900})
        requests: list[str] = []
        context.on("request", lambda r: requests.append(r.url))
        yield context.new_page(), requests
        context.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    write_html_report(*report_inputs(), out)
    return out


def _visible_quotes(page) -> int:
    return page.locator("#quote-list li:not([hidden])").count()


def test_province_page_draws_charts_and_filters_quotes(browser_page, report):
    page, requests = browser_page
    page.goto((report / "provinces" / "云南.html").as_uri())
    for chart in ("#theme-group-heatmap", "#concern-bars"):
        box = page.locator(chart).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 50, chart
    assert page.locator("#theme-group-heatmap rect").count() == 10  # 2 themes × (全部 + 4 groups)
    assert page.locator("#concern-bars g.bar").count() == 12  # 3 concerns × 4 groups
    assert _visible_quotes(page) == 4
    assert page.locator("#quote-count").inner_text() == "4 / 4"

    page.fill("#quote-search", "几块钱")
    assert _visible_quotes(page) == 1
    assert "抽成越来越高" in page.locator("#quote-list li:not([hidden])").inner_text()
    assert page.locator("#quote-count").inner_text() == "1 / 4"

    page.fill("#quote-search", "")
    page.select_option("#quote-group", "货车司机")
    assert _visible_quotes(page) == 1
    assert "运费拖了三个月" in page.locator("#quote-list li:not([hidden])").inner_text()
    page.select_option("#quote-group", "")

    page.fill("#quote-search", "Sheet1")  # origins are searchable too
    assert _visible_quotes(page) == 1

    page.fill("#quote-search", "")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "html_province.png"), full_page=True)
    assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests


def test_index_links_to_province_pages(browser_page, report):
    page, _ = browser_page
    page.goto((report / "index.html").as_uri())
    assert page.locator("#province-theme-heatmap g.cell").count() == 4  # 2 provinces × 2 themes
    page.locator("#province-theme-heatmap a", has_text="广东").click()
    assert page.url.endswith("/provinces/%E5%B9%BF%E4%B8%9C.html")
    assert page.locator("h1").inner_text() == "广东新就业形态劳动者反映问题清单"
    page.goto((report / "index.html").as_uri())
    page.screenshot(path=str(ARTIFACTS / "html_index.png"), full_page=True)
