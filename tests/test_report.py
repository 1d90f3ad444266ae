"""HTML reports: built from a project with a hostile article; self-contained, escaped, and clean in Chromium."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

HOSTILE = (
    "Tariff <script>window.__pwned = 1; alert('xss')</script> Talks Resume <img src=x onerror=alert(1)>\n\n"
    "Japan's Prime Minister Shigeru Ishiba said on Monday that security and trade would stay separate, "
    "according to officials in Tokyo.\n\n"
    "\"We will not pay <img src=x onerror=\"window.__pwned=2\"> for the troops,\" Ishiba said. "
    "The talks continue next week in Washington, where a 24% tariff on Japanese goods remains paused.\n"
)
SCRIPT_RAW = "<script>window.__pwned"
IMG_RAW = "<img src=x onerror"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A copy of the project plus one article full of HTML, with every report built."""
    from conftest import copy_project

    from linkage import build
    from linkage.pipeline.manifest import add_article
    from linkage.pipeline.settings import Settings
    from linkage.presentation.report import build_reports

    os.environ.setdefault("MPLBACKEND", "Agg")
    dst = copy_project(ROOT, tmp_path_factory.mktemp("reportproj"))
    shutil.copytree(ROOT / "notebooks", dst / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    source = tmp_path_factory.mktemp("incoming") / "900_hostile.txt"
    source.write_text(HOSTILE, encoding="utf-8", newline="")
    add_article(Settings(dst), source, outlet="The <b>Example</b> Times", published="2025-04-22T09:00+09:00",
                kind="news", article_id="example-2025-04-22")
    build(dst)
    reports = build_reports(dst)
    assert not [r.error for r in reports if r.error], [r.error for r in reports]
    return dst / "reports"


def _pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


def test_every_notebook_has_a_full_and_a_briefing_report_and_index_links_them(site: Path):
    names = {p.name for p in _pages(site)}
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert names == {"index.html"} | {f"{n}.html" for n in notebooks} | {f"{n}_briefing.html" for n in notebooks}
    index = (site / "index.html").read_text(encoding="utf-8")
    for n in notebooks:
        assert f'href="{n}.html"' in index and f'href="{n}_briefing.html"' in index


def test_index_summary_is_computed_from_the_tables(site: Path):
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "6 articles from 5 outlets" in index  # five seed articles + the hostile one, counted from the tables


def test_briefings_hide_code_and_full_reports_show_it(site: Path):
    full = (site / "01_corpus.html").read_text(encoding="utf-8")
    brief = (site / "01_corpus_briefing.html").read_text(encoding="utf-8")
    assert "corpus_findings" in full and "jp-InputArea" in full
    assert "corpus_findings" not in brief
    assert "Key findings" in brief and "<img" in brief


def test_reports_fetch_nothing_from_the_network(site: Path):
    for page in _pages(site):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=", html), f"{page.name} loads an external script"
        assert not re.search(r"<link[^>]+href=[\"']?(?:https?:)?//", html), f"{page.name} loads a stylesheet"
        assert not re.search(r"<img[^>]+src=[\"']?(?:https?:)?//", html), f"{page.name} loads a remote image"
        assert not re.search(r"@import|url\([\"']?(?:https?:)?//", html), f"{page.name} imports remote CSS"


def test_article_text_is_escaped(site: Path):
    seen_escaped = False
    for page in _pages(site):
        html = page.read_text(encoding="utf-8")
        assert SCRIPT_RAW not in html, f"{page.name}: article <script> inserted as markup"
        assert IMG_RAW not in html, f"{page.name}: article <img onerror> inserted as markup"
        assert "<b>Example</b>" not in html
        seen_escaped |= "&lt;script&gt;window.__pwned" in html
    assert seen_escaped, "the hostile headline should appear (as text) in the corpus report"


def _chrome():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
    if not chromium or not driver:
        pytest.skip("Chromium is not available: install Debian's chromium and chromium-driver "
                    "(apt-get install -y chromium chromium-driver; .ci/run does this) to run the browser test")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (requirements-dev.txt)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1600"):
        options.add_argument(arg)
    options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        return webdriver.Chrome(service=Service(driver), options=options)
    except Exception as exc:  # noqa: BLE001 - any launch failure means no browser here
        pytest.skip(f"Chromium could not start: {exc}")


def test_reports_in_headless_chromium(site: Path, tmp_path: Path):
    """Every page: images load, no console errors, no script from an article runs; a screenshot is taken."""
    driver = _chrome()
    try:
        for page in _pages(site):
            driver.get(page.as_uri())
            driver.execute_script("return document.readyState")
            images = driver.execute_script(
                "return Array.from(document.images).map(i => [i.complete && i.naturalWidth > 0, i.alt])")
            assert images, f"{page.name} shows no image"
            broken = [alt for ok, alt in images if not ok]
            assert not broken, f"{page.name}: images failed to load: {broken}"
            errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
            assert not errors, f"{page.name}: console errors: {errors}"
            assert driver.execute_script("return window.__pwned === undefined"), f"{page.name}: article script ran"
            if page.name == "index.html":
                height = driver.execute_script("return document.body.scrollHeight")
                driver.set_window_size(1280, min(height + 40, 4000))
                shot = tmp_path / "index.png"
                assert driver.save_screenshot(str(shot))
                assert shot.stat().st_size > 10_000
                driver.set_window_size(1280, 1600)
    finally:
        driver.quit()


def test_tables_filter_and_sort_in_chromium(site: Path):
    """The inline table script works offline: typing filters rows, clicking a header sorts."""
    from selenium.webdriver.common.by import By

    driver = _chrome()
    try:
        driver.get((site / "01_corpus_briefing.html").as_uri())
        table = driver.find_elements(By.CSS_SELECTOR, "div.lk-dt")[0]
        box = table.find_element(By.CSS_SELECTOR, "input")
        box.send_keys("Example")
        visible = [r for r in table.find_elements(By.CSS_SELECTOR, "tbody tr") if r.is_displayed()]
        assert len(visible) == 1 and "Example" in visible[0].text
        assert table.find_element(By.CSS_SELECTOR, ".lk-dt-count").text == "1 of 6 rows"
        box.clear()
        box.send_keys(" ")
        box.clear()
        header = [h for h in table.find_elements(By.CSS_SELECTOR, "th") if h.text.strip() == "characters"][0]
        header.click()
        header.click()  # descending
        column = [h.text.strip() for h in table.find_elements(By.CSS_SELECTOR, "th")].index("characters")
        values = [int(r.find_elements(By.CSS_SELECTOR, "td")[column].get_attribute("data-v").split(".")[0])
                  for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
        assert values == sorted(values, reverse=True)
    finally:
        driver.quit()
