"""Stage 4: Markdown pages for every site language, under ``docs/<lang>/``.

Layout per language (the same paths in every language, so the language switcher can
keep a reader on the same page):

- ``index.md``: the digest, newest first;
- ``articles/index.md``: the blog index of Material's blog plugin;
- ``articles/posts/<slug>.md``: one post per article.

Article text is untrusted: every character that could start HTML or Markdown markup is
written as an HTML entity, so the text is shown exactly and never becomes markup.
Front matter is written by a YAML dumper with known keys only.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

from .languages import language_name
from .model import LocalizedArticle

BLOG_DIR = "articles"

_LABELS = {
    "en": {
        "home_title": "News digest",
        "home_intro": "Summaries of the latest articles, newest first, in every language of this site.",
        "source": "Source",
        "file": "file",
        "undated": "Undated: the article states no date; {date} is when it was added.",
        "translated": "Machine-translated from {language} with Argos Translate.",
        "untranslated": "{count} part(s) could not be machine-translated and are shown in the original language.",
        "original": "Original text ({language})",
        "no_model": "No translation model for {language} is installed: shown in the original language.",
        "author": "By",
        "blog_title": "Articles",
        "empty": "No articles yet.",
    },
    "pt": {
        "home_title": "Resumo de notícias",
        "home_intro": "Resumos dos artigos mais recentes, do mais novo ao mais antigo, em cada idioma deste site.",
        "source": "Fonte",
        "file": "arquivo",
        "undated": "Sem data: o artigo não indica data; {date} é quando foi adicionado.",
        "translated": "Traduzido automaticamente do {language} com o Argos Translate.",
        "untranslated": "{count} trecho(s) não puderam ser traduzidos automaticamente e aparecem no idioma original.",
        "original": "Texto original ({language})",
        "no_model": "Nenhum modelo de tradução do {language} está instalado: exibido no idioma original.",
        "author": "Por",
        "blog_title": "Artigos",
        "empty": "Ainda não há artigos.",
    },
}

# Characters that can open markup in Python-Markdown, its extensions or HTML.
_MARKUP_CHARACTERS = set("\\`*_{}[]()<>#+-!|~&^=")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)


def label(site_language: str, key: str, **values: str) -> str:
    return _LABELS.get(site_language, _LABELS["en"])[key].format(**values)


def escape_text(text: str) -> str:
    """Inline text that renders as exactly these characters, never as markup."""
    text = " ".join(text.split())
    return "".join(f"&#{ord(ch)};" if ch in _MARKUP_CHARACTERS else ch for ch in text)


def escape_paragraph(text: str) -> str:
    """A paragraph of text: also neutralizes block syntax at its start (lists, numbers)."""
    escaped = escape_text(text)
    return re.sub(r"^(\d+)\.", r"\1&#46;", escaped)


def safe_url(url: str) -> str | None:
    """The URL when it is plain http(s); anything else is not linked."""
    return url if _SAFE_URL.match(url or "") else None


def front_matter(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def render_post(item: LocalizedArticle) -> str:
    article, lang = item.article, item.language
    original_language = language_name(article.language, lang)
    meta = {
        # MkDocs and Material put the page title into <title>, navigation and attributes
        # without escaping it; written pre-escaped, it shows as the text it is everywhere.
        "title": html.escape(" ".join(item.title.split()), quote=True),
        "date": {"created": article.date},
        "categories": [language_name(article.language, "en")],
        "slug": article.slug,
    }
    lines = [front_matter(meta), f"# {escape_text(item.title)}", "", escape_paragraph(" ".join(item.sentences)), ""]
    lines += ["<!-- more -->", ""]
    source = escape_text(article.source_name) if article.source_name else ""
    url = safe_url(article.source_url)
    if url:
        source = f"[{source or escape_text(url)}](<{url}>)"
    if not source:
        source = f"{label(lang, 'file')} {escape_text(article.source_file)}"
    lines += [f"**{label(lang, 'source')}:** {source}", ""]
    if article.author:
        lines += [f"*{label(lang, 'author')} {escape_text(article.author)}*", ""]
    if article.date_is_stand_in:
        lines += [f"*{escape_text(label(lang, 'undated', date=article.date.isoformat()))}*", ""]
    if item.translated_from:
        lines += [f"*{escape_text(label(lang, 'translated', language=original_language))}*", ""]
    if item.missing_model:
        lines += [f"*{escape_text(label(lang, 'no_model', language=original_language))}*", ""]
    if item.untranslated:
        lines += [f"*{escape_text(label(lang, 'untranslated', count=str(item.untranslated)))}*", ""]
    lines += [f'??? quote "{escape_text(label(lang, "original", language=original_language))}"', ""]
    if article.title != item.title or item.translated_from:
        lines += [f"    **{escape_text(article.title)}**", ""]
    for paragraph in article.paragraphs:
        lines += [f"    {escape_paragraph(paragraph)}", ""]
    return "\n".join(lines)


def render_home(items: list[LocalizedArticle], lang: str) -> str:
    lines = [f"# {escape_text(label(lang, 'home_title'))}", "", escape_text(label(lang, "home_intro")), ""]
    if not items:
        lines += [escape_text(label(lang, "empty")), ""]
    for item in items:
        date = item.article.date.isoformat()
        lines += [
            f"## [{escape_text(item.title)}]({BLOG_DIR}/posts/{item.article.slug}.md)",
            "",
            f"*{date}* · {escape_paragraph(item.sentences[0])}" if item.sentences else f"*{date}*",
            "",
        ]
    return "\n".join(lines)


def newest_first(items: list[LocalizedArticle]) -> list[LocalizedArticle]:
    return sorted(items, key=lambda i: (-i.article.date.toordinal(), i.article.slug))


def render_language(items: list[LocalizedArticle], lang: str) -> dict[str, str]:
    """All Markdown files of one language, by path relative to ``docs/<lang>/``."""
    ordered = newest_first(items)
    files = {
        "index.md": render_home(ordered, lang),
        f"{BLOG_DIR}/index.md": f"# {escape_text(label(lang, 'blog_title'))}\n",
    }
    for item in ordered:
        files[f"{BLOG_DIR}/posts/{item.article.slug}.md"] = render_post(item)
    return files


def write_tree(root: Path, files: dict[str, str]) -> int:
    """Make ``root`` hold exactly ``files``: unchanged files are not rewritten (their
    modification times stay, so nothing downstream sees a change), stale ones are removed.
    Returns the number of files written."""
    written = 0
    for relative, content in files.items():
        path = root / relative
        data = content.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
        written += 1
    wanted = {root / relative for relative in files}
    if root.is_dir():
        for path in sorted(root.rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written
