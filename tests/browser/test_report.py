"""The HTML report in a real browser: headless Chromium (Debian's), driven by Selenium.

Opened from a file with the network of a fresh profile off, the report must show no console
error, fetch nothing but itself, and draw every figure (inline SVG with a size, images with
pixels). A screenshot of each goes to ``results/browser/`` for a person to look at.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

import sim
from sim.report import write_report
from tests.conftest import ROOT, SCENARIOS

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SHOTS = ROOT / "results" / "browser"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1600",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    assert Path(CHROMIUM).is_file(), "apt-get install -y chromium chromium-driver (see .ci/run)"
    assert Path(CHROMEDRIVER).is_file(), "apt-get install -y chromium-driver (see .ci/run)"
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        options = Options()
        options.binary_location = CHROMIUM
        for flag in (*FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        driver.set_page_load_timeout(60)
        try:
            yield driver
        finally:
            driver.quit()


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A run report and a comparison report, from small runs of the shipped scenarios."""
    base = tmp_path_factory.mktemp("reports")
    comparison = sim.compare(
        [SCENARIOS / "baseline.yaml", SCENARIOS / "no_us_backing.yaml"], reps=10, workers=1
    )
    comparison.save(base / "compare")
    comparison.reference.save(base / "run")
    return {
        "run": write_report(base / "run"),
        "compare": write_report(base / "compare"),
    }


def _requests(driver: webdriver.Chrome) -> list[str]:
    """URLs the page asked for, from the DevTools performance log."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


@pytest.mark.parametrize("kind", ["run", "compare"])
def test_the_report_opens_offline_and_draws_every_figure(
    browser: webdriver.Chrome, reports: dict[str, Path], kind: str
) -> None:
    path = reports[kind]
    browser.get_log("performance")  # drop what came before this page
    browser.get(path.as_uri())
    assert browser.execute_script("return document.readyState") == "complete"

    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []

    requested = _requests(browser)
    assert requested == [path.as_uri()]
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert resources == []

    boxes = browser.execute_script(
        "return [...document.querySelectorAll('svg.figure')].map(s => {"
        "const r = s.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert len(boxes) >= 5
    assert all(w > 100 and h > 50 for w, h in boxes), boxes
    images = browser.execute_script(
        "return [...document.images].map(i => [i.complete, i.naturalWidth])"
    )
    assert all(complete and width > 0 for complete, width in images)

    text = browser.find_element("tag name", "body").text
    assert "not a forecast" in text.lower()
    assert "Key findings" in text
    assert "Sources and assumptions" in text

    width, client = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= client, "the page scrolls sideways"

    SHOTS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SHOTS / f"{kind}-report-top.png"))
    if kind == "compare":  # the whole page once, for a person to read
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1280, min(int(height) + 40, 14000))
        assert browser.save_screenshot(str(SHOTS / "report.png"))
        browser.set_window_size(1280, 1600)
