"""trafilatura's extraction modes on real news wrapped in real-world page furniture: how much of
the article is kept (recall) and how much of what is kept is article (precision), by words.

Each page holds one real article (../shared/corpus, read at run time) between a navigation
menu, a cookie banner, share buttons, a photo caption, a "Related" list, a newsletter box and
a footer, the way news sites lay pages out. polydigest's reader (``extract_html``, which also
applies the project's cleaning) is scored for trafilatura's default, ``favor_precision`` (what
polydigest uses since #30) and ``favor_recall``.

usage: .venv/bin/python bench/extraction_precision.py [--articles 100] [--seed 3]
"""

from __future__ import annotations

import argparse
import html
import random
import sys
import time
from collections import Counter
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest_realworld import load  # noqa: E402  (bench/ is on the path: the corpus reader)

from generator import readers  # noqa: E402
from generator.cleaning import remove_boilerplate, split_paragraphs  # noqa: E402

FURNITURE = {
    "en": {
        "nav": ["Home", "World", "Business", "Politics", "Tech", "Science", "Health", "Sport", "Video"],
        "cookie": "We use cookies to improve your experience. By continuing you accept our cookie policy.",
        "share": "Share this article Facebook Twitter WhatsApp Email",
        "caption": "Photo: Pedro Ladeira/Reuters",
        "related": ["Markets fall as oil prices climb again", "Minister resigns after expenses row",
                    "Storm warning issued for the north coast"],
        "newsletter": "Sign up for our morning newsletter and get the news you need to start your day.",
        "footer": "Copyright 2024 Daily Planet Media. All rights reserved. Terms of use Privacy policy Contact us",
    },
    "pt": {
        "nav": ["Início", "Brasil", "Mundo", "Economia", "Política", "Esporte", "Cultura", "Vídeos"],
        "cookie": "Usamos cookies para melhorar sua experiência. Ao continuar, você concorda com a política.",
        "share": "Compartilhe esta notícia Facebook Twitter WhatsApp E-mail",
        "caption": "Foto: Pedro Ladeira/Folhapress",
        "related": ["Bolsa fecha em queda com alta do petróleo", "Ministro deixa o cargo após denúncia",
                    "Defesa Civil alerta para chuvas no litoral"],
        "newsletter": "Assine nossa newsletter e receba as principais notícias do dia no seu e-mail.",
        "footer": "Copyright 2024 Jornal Exemplo. Todos os direitos reservados. Termos de uso Privacidade Fale conosco",
    },
}


def page(row: dict, language: str) -> str:
    f = FURNITURE[language]
    paragraphs = [p for p in row["text"].replace("\r", "").split("\n") if p.strip()]
    body = paragraphs[:2] + [None] + paragraphs[2:]  # the photo goes after the second paragraph
    # Furniture inside the article's own container, in plain <div>s and <p>s with class names
    # that give nothing away: the hard case (semantic <aside>, <footer>, or classes such as
    # "share" and "related", are left out by every mode).
    article = "".join(
        f'<div class="block"><img src="/img/2019/05/01/photo.jpg"><p class="text">{html.escape(f["caption"])}</p></div>'
        if p is None else f"<p>{html.escape(p)}</p>" for p in body)
    nav = "".join(f'<li><a href="/{html.escape(n.lower())}">{html.escape(n)}</a></li>' for n in f["nav"])
    related = "".join(f'<li><a href="/r{i}">{html.escape(r)}</a></li>' for i, r in enumerate(f["related"]))
    title = html.escape(row.get("title") or " ".join(row["text"].split()[:8]))
    return (f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<div class="block"><p>{html.escape(f["cookie"])}</p></div><header><nav><ul>{nav}</ul></nav>'
            f'</header><main><div class="block"><h1>{title}</h1><p class="text">{html.escape(f["share"])}</p>'
            f'{article}<div class="block"><p>Related</p><ul>{related}</ul></div>'
            f'<div class="block"><p>{html.escape(f["newsletter"])}</p></div></div></main>'
            f'<footer><p>{html.escape(f["footer"])}</p></footer></body></html>')


def words(text: str) -> Counter:
    return Counter(w.strip(".,;:!?\"'()“”").lower() for w in text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100, help="per language")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    picker = random.Random(args.seed)
    pages = []
    for language, corpus in (("en", "news-en-bbc.jsonl.gz"), ("pt", "news-pt-fakebr.jsonl.gz")):
        rows = [r for r in load(corpus) if len(r["text"].split()) >= 80]
        pages += [(r, language, page(r, language)) for r in picker.sample(rows, args.articles)]
    import trafilatura

    original = trafilatura.bare_extraction
    print(f"{len(pages)} pages ({args.articles} per language); words of the article kept (recall) and share of "
          "the kept words that are article words (precision), after polydigest's cleaning")
    for mode in ("default", "favor_precision", "favor_recall"):
        options = {"favor_precision": False, "favor_recall": False} | ({} if mode == "default" else {mode: True})
        kept = extracted = relevant = raw_kept = raw_extracted = 0
        empty = 0
        start = time.perf_counter()
        with mock.patch.object(trafilatura, "bare_extraction",
                               lambda *a, _options=options, **k: original(*a, **{**k, **_options})):
            for row, _, markup in pages:
                truth = words(row["text"])
                try:
                    source = readers.extract_html(markup, "page.html", "html")
                except readers.UnreadableArticle:
                    empty += 1
                    relevant += sum(truth.values())
                    continue
                raw = words(source.text)
                raw_kept += sum((raw & truth).values())
                raw_extracted += sum(raw.values())
                got = words("\n".join(remove_boilerplate(split_paragraphs(source.text, hard_wrapped=False))))
                kept += sum((got & truth).values())
                extracted += sum(got.values())
                relevant += sum(truth.values())
        seconds = (time.perf_counter() - start) / len(pages) * 1000
        print(f"  {mode:16} recall {kept / relevant:.3f}  precision {kept / max(1, extracted):.3f} "
              f"(trafilatura alone: {raw_kept / max(1, raw_extracted):.3f})  "
              f"pages with nothing extracted {empty}  {seconds:.1f} ms/page")


if __name__ == "__main__":
    main()
