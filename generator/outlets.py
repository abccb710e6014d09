"""Which outlet published an article: a story counts outlets, not articles.

An outlet is the source's name when the article states one (two sites under one registered
domain, such as two blogs on uol.com.br, are two outlets when their names differ), else the
registered domain of its address or of its feed, found with the Public Suffix List as the
``tld`` package ships it (offline: the list is never fetched), so 'politica.estadao.com.br' and
'esportes.estadao.com.br' are one outlet, 'news.bbc.co.uk' is 'bbc.co.uk'. An article that
names none is its seed folder's outlet (a folder per feed), else an outlet of its own.
"""

from __future__ import annotations

from .cleaning import registered_domain
from .entities import fold
from .records import Article


def outlet_key(article: Article) -> str:
    """A stable key of the article's outlet."""
    domain = registered_domain(article.source_url) or registered_domain(article.feed_url)
    name = " ".join(fold(article.source_name).split())
    if name:
        return f"{domain}|{name}" if domain and fold(domain.split(".")[0]) not in name.replace(" ", "") \
            else f"name|{name}" if not domain else f"{domain}|"
    if domain:
        return f"{domain}|"
    folder, _, _ = article.source_file.rpartition("/")
    return f"folder|{folder}" if folder else f"file|{article.source_file.partition('#')[0]}"


def outlet_name(article: Article) -> str:
    """The outlet as shown: its stated name, else its registered domain, else ''."""
    return " ".join(article.source_name.split()) or registered_domain(article.source_url) \
        or registered_domain(article.feed_url)


def count_outlets(articles: list[Article]) -> int:
    return len({outlet_key(a) for a in articles})
