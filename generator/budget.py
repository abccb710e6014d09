"""The published site's size budget (``site_budget_bytes``, ``site_budget_files``): what the
site weighs, how close it is to its budget, and how many articles keep a page of their own.

Retention rule: the newest articles keep their page in every language; the oldest leave the
site's own pages (their page, the lists, topics, sources, editions, stories and the search)
and stay listed on their month's archive page (``articles/archive/<yyyy-mm>/``) with their
title, date, source and a link to the original (render.render_language's ``own_pages``).
How many keep a page comes from the last site published (``own_pages``). Over its budget, each
article folded saves its own pages and, on average, its share of the search fragments (it
also leaves the lists and the search index): the fewest that bring the site back within it
are folded. Under it, each article more costs about the site's average per article with a
page (lists and index included), plus ``GROWTH_MARGIN``. Before any site was measured,
``FIRST_ESTIMATE`` stands in. A site over its budget all the same is reported so, and the next
build folds more.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .filehashes import walk_files

USAGE_FILE = "site-usage.json"  # in the work folder: the last published site's measure


@dataclass
class SiteUsage:
    """A published site's weight: all of it, its article pages' and what every site carries."""

    bytes: int
    files: int
    article_pages: int
    """Articles with a page of their own (each has one in every language)."""
    article_bytes: int
    """The bytes of those pages in every language and of the search fragments holding them
    (publish.SEARCH_DOCUMENT_ARTICLES articles a fragment)."""
    article_files: int
    fixed_bytes: int
    """Material's and Pagefind's files and the root page: the same with 10 articles or 100,000."""
    fixed_files: int


FIRST_ESTIMATE = {"fixed_bytes": 600_000, "fixed_files": 20, "article_bytes": 16_000, "article_files": 2}
"""Per site language, before any site was measured, rounded up from 1,000 real articles in
English and Portuguese: Material's and Pagefind's files 0.5 MB in 14 files, then 13.2 KB and
1.63 files per article (its page, its share of the search fragments, the lists and the index)."""


def search_folder(shard: int) -> str:
    """The folder, in a language site, of its search shard ``shard`` (publish.index_search):
    ``pagefind`` for shard 0, the newest articles, the index a search loads first."""
    return "pagefind" if shard == 0 else f"pagefind-{shard}"


def is_search_folder(name: str) -> bool:
    return re.fullmatch(r"pagefind(-[1-9][0-9]*)?", name) is not None


def _article_page(relative: tuple[str, ...]) -> bool:
    """``<lang>/articles/<slug>/index.html``: an article's page (render.py's layout)."""
    return (len(relative) == 4 and relative[1] == "articles" and relative[3] == "index.html"
            and relative[2] not in ("archive", "category"))


def _fixed(relative: tuple[str, ...]) -> bool:
    """A file every site has whatever its size: the root's, Material's assets, Pagefind's
    scripts (not its index nor its fragments, which grow with the pages)."""
    return len(relative) == 1 or relative[1] == "assets" or (relative[1] == "pagefind" and len(relative) == 3)


def measure(site_dir: Path) -> SiteUsage:
    """The weight of the site in ``site_dir`` (site/<lang>/…, one folder per language)."""
    total = files = pages = page_bytes = fragments = fragment_bytes = fixed_bytes = fixed_files = 0
    for relative, entry in walk_files(str(site_dir)) if site_dir.is_dir() else ():
        name, size = entry.name, entry.stat(follow_symlinks=False).st_size
        total, files = total + size, files + 1
        if len(relative) == 3 and relative[2] == "fragment" and is_search_folder(relative[1]):
            fragments, fragment_bytes = fragments + 1, fragment_bytes + size  # Pagefind indexes articles alone
        elif _article_page((*relative, name)):
            pages, page_bytes = pages + 1, page_bytes + size
        elif _fixed((*relative, name)):
            fixed_files, fixed_bytes = fixed_files + 1, fixed_bytes + size
    languages = sum(1 for entry in site_dir.iterdir() if entry.is_dir()) if site_dir.is_dir() else 1
    return SiteUsage(bytes=total, files=files, article_pages=pages // max(1, languages),
                     article_bytes=page_bytes + fragment_bytes, article_files=pages + fragments,
                     fixed_bytes=fixed_bytes, fixed_files=fixed_files)


def save(config: Config, usage: SiteUsage) -> None:
    (config.path(config.work_dir) / USAGE_FILE).write_text(json.dumps(dataclasses.asdict(usage)))


def last_usage(config: Config) -> SiteUsage | None:
    """The measure of the last site published, when one was recorded."""
    try:
        return SiteUsage(**json.loads((config.path(config.work_dir) / USAGE_FILE).read_text()))
    except (OSError, ValueError, TypeError):
        return None


GROWTH_MARGIN = 1.1
"""An article given its page back costs the site's average per article with a page and a tenth:
topics reaching the number of articles that gives them a page add list pages faster."""


def _allowed(budget: int, used: int, article: int, fixed: int, pages: int) -> int:
    """Pages within ``budget`` (of one unit, bytes or files) from a site of ``pages`` article
    pages that used ``used``, ``article`` of it their pages and fragments, ``fixed`` the rest
    every site has."""
    if used > budget:
        return pages - math.ceil((used - budget) / (article / pages))
    return pages + int((budget - used) // ((used - fixed) / pages * GROWTH_MARGIN))


def own_pages(config: Config) -> int | None:
    """How many of the newest articles keep a page of their own within the budget; None when
    the site has no budget (every article keeps its page)."""
    if not (config.site_budget_bytes or config.site_budget_files):
        return None
    usage = last_usage(config)
    allowed = math.inf
    for budget, unit in ((config.site_budget_bytes, "bytes"), (config.site_budget_files, "files")):
        if not budget:
            continue
        if usage is None or usage.article_pages == 0:
            languages = len(config.languages)
            allowed = min(allowed, (budget - FIRST_ESTIMATE[f"fixed_{unit}"] * languages)
                          // (FIRST_ESTIMATE[f"article_{unit}"] * languages))
        else:
            allowed = min(allowed, _allowed(budget, getattr(usage, unit), getattr(usage, f"article_{unit}"),
                                            getattr(usage, f"fixed_{unit}"), usage.article_pages))
    return max(0, int(allowed))


def status(config: Config, usage: SiteUsage) -> dict:
    """The site's weight and, when it has a budget, the share of it that is used."""
    found: dict = {"bytes": usage.bytes, "files": usage.files, "article_pages": usage.article_pages}
    for name, used, budget in (("bytes", usage.bytes, config.site_budget_bytes),
                               ("files", usage.files, config.site_budget_files)):
        if budget:
            found[f"budget_{name}"] = budget
            found[f"{name}_used"] = round(used / budget, 4)
    found["within_budget"] = all(found.get(f"{name}_used", 0) <= 1 for name in ("bytes", "files"))
    return found


def site_report(config: Config) -> dict:
    """``status`` of the last site published and its ``summary`` line (what the build report
    shows); empty before any."""
    usage = last_usage(config)
    if usage is None:
        return {}
    state = status(config, usage)
    return {**state, "summary": describe(state)}


def describe(state: dict) -> str:
    """One line: '12.3 MB in 2,345 files (62% of a 20 MB budget, 12% of 20,000 files)'."""
    line = f"{state['bytes'] / 1e6:.1f} MB in {state['files']:,} files"
    shares = []
    if "budget_bytes" in state:
        shares.append(f"{state['bytes_used']:.0%} of a {state['budget_bytes'] / 1e6:g} MB budget")
    if "budget_files" in state:
        shares.append(f"{state['files_used']:.0%} of {state['budget_files']:,} files")
    if shares:
        line += f" ({', '.join(shares)}{'' if state['within_budget'] else ': over budget'})"
    return line
