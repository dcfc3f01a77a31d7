"""Browser journeys: Debian's Chromium driven by sync Playwright against pytest-django's live server.

One browser for the whole session; every test gets fresh contexts (cookies, storage) and pages.
Never run `playwright install`: the tests use /usr/bin/chromium.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)

# Sync Playwright keeps an asyncio event loop running in the test thread; the ORM calls the
# tests make between browser steps are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
MISSING_CHROMIUM = "install Debian's chromium: apt-get install -y chromium"
PASSWORD = "correct-horse-battery"  # the password tests.factories gives every user

# Fail fast: the pages are small and local, so a missing element is a failure, not a slow server.
expect.set_options(timeout=5_000)
# Except for a PDF: WeasyPrint spends seconds of CPU on a contract, longer on a busy 2-core runner.
PDF_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING_CHROMIUM, pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator[Callable[[], BrowserContext]]:
    """Open a fresh browser context (its own cookies) on the live server; closed after the test."""
    contexts: list[BrowserContext] = []
    refused: list[str] = []

    def open_context() -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(5_000)
        context.on("console", lambda message: _note_csp_violation(message, refused))
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    # Whatever a journey loads must keep to the Content Security Policy (settings.py).
    assert not refused, "The Content Security Policy refused:\n" + "\n".join(refused)


def _note_csp_violation(message: ConsoleMessage, refused: list[str]) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        refused.append(f"{message.location.get('url', '')}: {message.text}")


@pytest.fixture
def page(new_context) -> Page:
    return new_context().new_page()


def sign_in(page: Page, user, next_url: str = "") -> None:
    """Sign in through allauth's real login form, as a person would."""
    page.goto("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_in_with_cookie(context: BrowserContext, live_server, user) -> None:
    """Give the context a signed-in session without going through the form (for page scans)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )
