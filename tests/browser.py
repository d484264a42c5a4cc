"""Shared set-up of browser-level tests: Debian's Chromium package driven by Playwright (never a downloaded browser).

Data fixtures must be written BEFORE `chromium_page()` starts Playwright's event loop in the test thread: ORM calls
made under that loop go through another connection (asgiref's context-local storage), left open, which PostgreSQL then
refuses to drop with the test database.
"""

import contextlib
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

browser_marks = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium absent (/usr/bin/chromium) : apt install chromium"),
]


@contextlib.contextmanager
def chromium_page(*, cookies=(), **context_options):
    """A French-locale Chromium page with a 10 s default timeout; `cookies` are added to its context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="fr-FR", **context_options)
            if cookies:
                context.add_cookies(list(cookies))
            page = context.new_page()
            page.set_default_timeout(10_000)
            yield page
        finally:
            browser.close()
