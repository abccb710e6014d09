#!/usr/bin/env python3
"""What two builds of the same articles answer to the same searches, side by side: the
addresses each lists for a query (its first ten), how many they share, and each count line.
Made to check a change of how the search indexes or ranks articles (session 18: ten articles
a search document instead of one page each) against the code before it.

    .venv/bin/python bench/search_agreement.py OLD_SITE NEW_SITE

Each site is a built ``site/`` folder (one folder per language), served on 127.0.0.1 and
searched in Debian's Chromium (Playwright), each query in a fresh page, as a reader types it.
"""

import argparse
import functools
import re
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

QUERIES = {
    "en": ["government", "election", "Lula", "Temer", "oil prices", "football club", "Brazil economy",
           "prison sentence", "World Cup", "Iraq war", '"Supreme Court"', "police operation", "Trump",
           "music award", "mobile phone"],
    "pt": ["governo", "eleição", "Lula", "Temer", "Petrobras", "Câmara dos Deputados", "prisão preventiva",
           "reforma da previdência", '"Lava Jato"', "Copa do Mundo", "Moro", "delação", "Odebrecht",
           "Supremo Tribunal", "economia"],
}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *_args) -> None:
        pass


def _serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def _answer(browser, base: str, lang: str, query: str) -> tuple[list[str], str]:
    """The slugs listed for ``query`` and the count line."""
    page = browser.new_page()
    page.goto(f"{base}/{lang}/", wait_until="networkidle")
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.wait_for_function(
        "() => /\\d|No |Nenhum/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=20000)
    page.wait_for_load_state("networkidle")
    time.sleep(0.5)  # a later keystroke's answer replaces the list
    hrefs = page.locator("a.md-search-result__link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    count = page.locator(".md-search-result__meta").text_content()
    page.close()
    return [re.sub(r"[?#].*", "", href).rstrip("/").split("/")[-1].removesuffix(".html") for href in hrefs], count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path, help="the site built by the code before")
    parser.add_argument("new", type=Path, help="the site built by the code after")
    args = parser.parse_args()
    (old_server, old_base), (new_server, new_base) = _serve(args.old), _serve(args.new)
    shares, same = [], 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for lang, queries in QUERIES.items():
            for query in queries:
                old, old_count = _answer(browser, old_base, lang, query)
                new, new_count = _answer(browser, new_base, lang, query)
                common = len(set(old) & set(new))
                same += set(old) == set(new)
                if old:
                    shares.append(common / len(old))
                print(f"{lang} {query!r:26} before {len(old):2} ({old_count}); after {len(new):2} ({new_count}); "
                      f"shared {common}")
        browser.close()
    old_server.shutdown()
    new_server.shutdown()
    print(f"{same} of {sum(map(len, QUERIES.values()))} queries list the same articles; of the articles listed "
          f"before, {sum(shares) / max(1, len(shares)):.0%} are listed after (mean over {len(shares)} queries)")


if __name__ == "__main__":
    main()
