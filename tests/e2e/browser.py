"""A small W3C WebDriver client for Debian's chromium + chromedriver (no browser download, no extra package)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from typing import Any

import httpx
from werkkloket_deploy.provision import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
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


class Browser:
    def __init__(self) -> None:
        if not shutil.which(CHROMEDRIVER) or not shutil.which(CHROMIUM):
            raise RuntimeError("chromium and chromium-driver are not installed; run `make install` (as root)")
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="werkkloket-chromium-")
        self.driver = subprocess.Popen(
            [CHROMEDRIVER, f"--port={self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=60)
        deadline = time.monotonic() + 20
        while True:
            try:
                if self.http.get("/status").json()["value"]["ready"]:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("chromedriver did not start")
            time.sleep(0.1)
        options = {"binary": CHROMIUM, "args": [*FLAGS, f"--user-data-dir={self.profile}"]}
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}}
        self.session = self._call("POST", "/session", caps)["sessionId"]

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        r = self.http.request(method, path, json=body)
        value = r.json()["value"]
        if r.status_code >= 400:
            raise RuntimeError(f"webdriver {path}: {value}")
        return value

    def _s(self, path: str) -> str:
        return f"/session/{self.session}{path}"

    def open(self, url: str) -> None:
        self._call("POST", self._s("/url"), {"url": url})

    def find(self, css: str) -> str:
        element: str = self._call("POST", self._s("/element"), {"using": "css selector", "value": css})[ELEMENT]
        return element

    def type(self, css: str, text: str) -> None:
        self._call("POST", self._s(f"/element/{self.find(css)}/value"), {"text": text})

    def click(self, css: str) -> None:
        self._call("POST", self._s(f"/element/{self.find(css)}/click"), {})

    def run(self, script: str, *args: Any) -> Any:
        return self._call("POST", self._s("/execute/sync"), {"script": script, "args": list(args)})

    def wait(self, script: str, timeout: float = 20) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            result = self.run(script)
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for: {script}")
            time.sleep(0.05)

    def screenshot(self) -> bytes:
        import base64

        return base64.b64decode(self._call("GET", self._s("/screenshot")))

    def close(self) -> None:
        try:
            self._call("DELETE", self._s(""))
        finally:
            self.http.close()
            self.driver.terminate()
            self.driver.wait(10)
            shutil.rmtree(self.profile, ignore_errors=True)
