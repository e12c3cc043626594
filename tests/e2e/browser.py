"""Debian's Chromium, headless, driven by Selenium through the system's chromedriver: nothing is ever downloaded."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from selenium import webdriver
from selenium.common.exceptions import JavascriptException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.selenium_manager import SeleniumManager
from selenium.webdriver.support.wait import WebDriverWait

# Flags that work on a closed network, as root, without a display.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
]


def _no_download(*args: object, **kwargs: object) -> Any:
    raise RuntimeError("Selenium Manager would fetch a driver or browser; use the system's chromium + chromedriver")


@contextmanager
def chromium() -> Iterator[webdriver.Chrome]:
    """A headless Chromium session; fails (never skips) when chromium or chromedriver is missing."""
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if binary is None or driver is None:
        raise RuntimeError("chromium and chromium-driver are not installed; run `make chromium` (as root)")
    profile = tempfile.mkdtemp(prefix="werkkloket-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    try:
        # Both paths are given, so Selenium skips its manager; should it ever not, it fails instead of downloading.
        with mock.patch.object(SeleniumManager, "binary_paths", _no_download):
            browser = webdriver.Chrome(service=Service(executable_path=driver), options=options)
        try:
            yield browser
        finally:
            browser.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def type_into(browser: webdriver.Chrome, css: str, text: str) -> None:
    browser.find_element(By.CSS_SELECTOR, css).send_keys(text)


def click(browser: webdriver.Chrome, css: str) -> None:
    browser.find_element(By.CSS_SELECTOR, css).click()


def wait_until(browser: webdriver.Chrome, script: str, timeout: float = 20) -> Any:
    """Run `script` until it returns something truthy; that value."""
    wait = WebDriverWait(browser, timeout, poll_frequency=0.05)
    return wait.until(lambda b: b.execute_script(script), message=f"timed out waiting for: {script}")


def wait_for(browser: webdriver.Chrome, css: str, timeout: float = 30) -> None:
    """Wait until an element matching `css` is on the page, across navigations (a redirect may be under way)."""
    wait = WebDriverWait(
        browser, timeout, poll_frequency=0.1, ignored_exceptions=(JavascriptException, StaleElementReferenceException)
    )
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, css), message=f"timed out waiting for {css}")


def keycloak_login(browser: webdriver.Chrome, username: str, password: str) -> None:
    """Fill in and send Keycloak's own login form, where the dashboard sent the browser."""
    wait_for(browser, "#kc-login")
    for css, text in (("#username", username), ("#password", password)):
        field = browser.find_element(By.CSS_SELECTOR, css)
        field.clear()
        field.send_keys(text)
    click(browser, "#kc-login")
