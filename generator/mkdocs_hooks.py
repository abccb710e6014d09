"""MkDocs hooks that publish.derived_config adds to every language build.

``on_post_page`` takes out the indentation of Material's templates: every run of white space
that holds a line break becomes one line break, which a browser renders the same (white
space between words and tags stays white space) except inside ``<pre>``, ``<textarea>`` and
``<script>``, which are left as they are. ~2.9 KB of an article page's ~17 KB (issue #29).
"""

from __future__ import annotations

import re

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
