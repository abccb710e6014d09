"""Real articles with damaged metadata and bodies, written as Markdown, HTML pages and RSS
entries (issue #24): every kind of bad field of point 3 and the impossible dates of point 2.
The article text itself stays usable, so every file must still be published. Shared by
tests/test_damaged_build.py (on the repository's own articles) and bench/damaged_corpus.py
(on ../shared/corpus)."""

from __future__ import annotations

import html
import random
from collections.abc import Callable
from pathlib import Path

ALIAS_BOMB = "\n".join(
    ['lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"l{n}: &{chr(98 + n)} [" + ",".join([f"*{chr(97 + n)}"] * 9) + "]" for n in range(8)]
)
IMPOSSIBLE_DATES = ["0201-01-06", "1899-12-31", "2999-01-01", "2024-02-30", "0000-00-00", "31/31/2020", "99999"]

# Front matter lines that break a field each (the title, date and so on are given otherwise).
FRONT_MATTER_DAMAGE: list[Callable[[str, random.Random], str]] = [
    lambda title, rng: f"title: [{title!r}, second]",
    lambda title, rng: f"title: {{text: {title!r}}}",
    lambda title, rng: "title: 12345",
    lambda title, rng: f"title: {title!r}\ntitle: other title",
    lambda title, rng: f"title: {title!r}\ndate: {rng.choice(IMPOSSIBLE_DATES)}",
    lambda title, rng: f"title: {title!r}\ndate: {rng.randint(0, 99999999)}",
    lambda title, rng: f"title: {title!r}\ndate: [2020-01-01, 2021-01-01]",
    lambda title, rng: f"title: {title!r}\nsource: {{name: x, url: y}}",
    lambda title, rng: f"title: {title!r}\nlanguage: [en, pt]",
    lambda title, rng: f"title: {title!r}\nlanguage: Klingon",
    lambda title, rng: f"title: {title!r}\ntags: {{a: b}}",
    lambda title, rng: f"title: {title!r}\nauthor: {{name: x}}",
    lambda title, rng: "title: !!python/object/apply:os.system ['echo pwned']",
    lambda title, rng: f"title: {title!r}\n{ALIAS_BOMB}\nauthor: *i",
    lambda title, rng: f"title: [unclosed {title}",
    lambda title, rng: "title: " + " ".join([title] * (30_000 // max(1, len(title)) + 1)),
    lambda title, rng: f"title: \"\u202e{title}\u202c\"\ndate: 2017-03-0{rng.randint(1, 9)}",
    lambda title, rng: f"title: {title!r}\ntags:\n" + "- tag\n" * 12_000,
]

BODY_DAMAGE: list[Callable[[str, random.Random], str]] = [
    lambda text, rng: text,
    lambda text, rng: text.replace(". ", ".\x00 ", 3),
    lambda text, rng: text.replace("\n", "\r\n"),
    lambda text, rng: "\ufeff" + text,
    lambda text, rng: text.replace(" ", " \u2066", 2),
    lambda text, rng: "Published: 12/03/1066\n\n" + text,
    lambda text, rng: text + "\n\nUpdated on 01/01/2999\n",
]


def _markdown(title: str, text: str, rng: random.Random) -> str:
    front = rng.choice(FRONT_MATTER_DAMAGE)(title, rng)
    body = rng.choice(BODY_DAMAGE)(text, rng)
    newline = "\r\n" if rng.random() < 0.3 else "\n"
    return f"---{newline}{front}{newline}---{newline}{newline}{body}"


def _html(title: str, text: str, rng: random.Random) -> str:
    day = rng.choice(IMPOSSIBLE_DATES)
    heading = html.escape(rng.choice([title, title * 400, "\u202e" + title]))
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return (f'<!doctype html><html lang="{rng.choice(["en", "xx-garbage", "", "pt-BR"])}"><head>'
            f"<title>{heading}</title>"
            f'<meta property="article:published_time" content="{day}T10:00:00Z">'
            f'<meta name="date" content="{day}"></head><body><nav>Home News</nav><article><h1>{heading}</h1>'
            f'<time datetime="{day}">{day}</time>{paragraphs}</article></body></html>')


def _rss(entries: list[tuple[str, str]], rng: random.Random) -> str:
    items = []
    for title, text in entries:
        day = rng.choice(["Thu, 01 Jan 0201 08:00:00 GMT", "Fri, 01 Jan 2999 08:00:00 GMT", "yesterday",
                          "Mon, 31 Feb 2020 08:00:00 GMT", "Sun, 06 Jan 0201 00:00:00 +0000"])
        shown = rng.choice([title, title * 300, "\u202e" + title])
        body = html.escape("".join(f"<p>{p}</p>" for p in text.split("\n\n") if p.strip()))
        items.append(f"<item><title>{html.escape(shown)}</title><pubDate>{day}</pubDate>"
                     f"<description>{body}</description></item>")
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Damaged feed</title>'
            f"<language>{rng.choice(['en', 'pt', 'Klingon', ''])}</language>{''.join(items)}</channel></rss>")


def write_damaged(seeds: Path, articles: list[tuple[str, str]], seed: int, first: int = 0) -> list[str]:
    """Write ``articles`` ((title, text) pairs) damaged into ``seeds``, a third each as
    Markdown, HTML and RSS entries (four to a feed), numbered from ``first``; returns the names
    every one of them must be published under (files, and feed entries as 'file#n')."""
    rng = random.Random(seed)
    expected: list[str] = []
    feed: list[tuple[str, str]] = []
    for number, (title, text) in enumerate(articles, first):
        kind = number % 3
        if kind == 0:
            name = f"damaged-{number:04d}.md"
            (seeds / name).write_bytes(_markdown(title, text, rng).encode("utf-8"))
            expected.append(name)
        elif kind == 1:
            name = f"damaged-{number:04d}.html"
            (seeds / name).write_text(_html(title, text, rng), encoding="utf-8")
            expected.append(name)
        else:
            feed.append((title, text))
        if len(feed) == 4 or (feed and number == first + len(articles) - 1):
            name = f"damaged-feed-{number:04d}.xml"
            (seeds / name).write_text(_rss(feed, rng), encoding="utf-8")
            expected += [f"{name}#{n}" for n in range(1, len(feed) + 1)]
            feed = []
    return expected
