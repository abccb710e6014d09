"""Search indexes: what Pagefind reads of a language site."""

from __future__ import annotations

from pathlib import Path

from conftest import search_documents

from generator.publish import index_search

ARTICLE = '<html><body><h1>{title}</h1><div data-pagefind-body><h1>{title}</h1><p>text</p></div></body></html>'
LIST = "<html><body><h1>{title}</h1><p>text</p></body></html>"


def _page(site: Path, path: str, template: str) -> None:
    page = site / path
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(template.format(title=path))


def test_pagefind_reads_the_article_pages_in_both_url_layouts(tmp_path):
    """With directory URLs an article is articles/<slug>/index.html, without them
    articles/<slug>.html (mkdocs.yml's use_directory_urls); lists and the other pages are
    not indexed, even one that (wrongly) marked its text."""
    site = tmp_path / "site"
    for path in ("articles/one/index.html", "articles/two.html"):
        _page(site, path, ARTICLE)
    for path in ("index.html", "articles/index.html", "articles/archive/2024-01/index.html",
                 "articles/archive/index.html"):
        _page(site, path, LIST)
    _page(site, "stories/one/index.html", ARTICLE)
    assert index_search(site, "en").returncode == 0
    assert sorted(document["url"] for document in search_documents(site)) == ["/articles/one/", "/articles/two.html"]
