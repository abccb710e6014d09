"""MkDocs hooks that publish.derived_config adds to every language build.

``on_post_page`` takes out the indentation of Material's templates: every run of white space
that holds a line break becomes one line break, which a browser renders the same (white
space between words and tags stays white space) except inside ``<pre>``, ``<textarea>`` and
``<script>``, which are left as they are. ~2.9 KB of an article page's ~17 KB (issue #29).

``on_page_content`` turns a link to ``ORIGINAL_PAGE`` + a language code (render.py writes it
on a page whose article is in another language of the site) into a link to the page's
twin in that language, as the language switcher links it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

_KEPT_AS_IS = re.compile(r"(<(pre|textarea|script)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
_INDENTED_LINE_BREAK = re.compile(r"\s*\n\s*")


def without_indentation(html: str) -> str:
    """``html`` with each run of white space holding a line break made one line break, outside
    the elements whose white space counts or that a browser does not lay out as text."""
    parts = _KEPT_AS_IS.split(html)
    # split() with two groups yields: text, whole kept element, its tag name, text, ...
    return "".join(_INDENTED_LINE_BREAK.sub("\n", part) if index % 3 == 0 else part if index % 3 == 1 else ""
                   for index, part in enumerate(parts))


def on_post_page(output: str, **_: object) -> str:
    return without_indentation(output)


ORIGINAL_PAGE = "polydigest-original-page:"
_ORIGINAL_PAGE_LINK = re.compile(f'href="{ORIGINAL_PAGE}([a-z]{{2,3}})"')


def twin_page_links(html: str, page_url: str) -> str:
    """``html`` of the page at ``page_url`` (relative to its language's root, as MkDocs gives
    it) with each ``ORIGINAL_PAGE`` link made relative: up to the language's root, across to
    the language named, down to the same page; marked as leading to a page in that language."""
    up = "../" * page_url.count("/")
    return _ORIGINAL_PAGE_LINK.sub(lambda match: f'href="{up}../{match[1]}/{page_url}" hreflang="{match[1]}"', html)


def on_page_content(html: str, page: Page, **_: object) -> str:
    return twin_page_links(html, page.url) if ORIGINAL_PAGE in html else html
