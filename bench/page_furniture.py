"""Issue #30's last mile, measured: real news articles (../shared/corpus: BBC English, Brazilian
Portuguese; read at run time, never copied) delivered as web pages and feeds in the shapes
that still went wrong, with page chrome in five languages (en, pt, es, fr, de). The article
text is always real (English or Portuguese); the chrome around it (site names, sections,
related-article blocks, photo credits, newsletter and "write to us" boxes, author bios, a news
agency's trust-principles footer) was written for this bench to look like what news sites
print, and is NOT text fetched from real sites (there is no network here).

Pages: <title> chains segments (site name, section path, host, a date, a tagline) with |, -,
», ·; og:title may be cut mid-word or missing; the page may hold a logo <h1>, or no <h1>; the
article's date is in its metadata, JSON-LD, a date line of its body, or nowhere, while a
related-article block (before or after the article) carries dates of its own. Furniture sits
inside the article's container in neutral <div>s (class names give nothing away).
Feeds: entries whose description is empty, an image, a "read more" link, a credit, a date,
or a URL; short Portuguese headline entries in feeds that do or do not declare a language.

Halves: ``--half tune`` and ``--half report`` take disjoint halves of the corpus, of the site
identities and of every furniture phrase list, so rules tuned on one half are measured on
phrasings, sites and articles they never saw.

Measured (by words, against the corpus text): article text kept, furniture left (share of the
words kept that are not the article's, and pages with any furniture phrase left), title right
(equal to the headline), date right (stated date found; undated pages left undated), feed
entries kept, languages right.

usage:
  .venv/bin/python bench/page_furniture.py [--half report] [--seed 7] [--articles 100]
  .venv/bin/python bench/page_furniture.py --before /tmp/polydigest-base   # old code side by side
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import html
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"

# Two site identities per chrome language: one for each half.
SITES = {
    "en": [("The Daily Courier", "www.dailycourier.co.uk", ["World", "Politics", "Business"],
            "Breaking news, analysis and opinion"),
           ("Northern Herald", "news.northernherald.com", ["Economy", "Europe", "UK"], "Your news, every day")],
    "pt": [("Jornal do Planalto", "www.jornaldoplanalto.com.br", ["Política", "Economia", "Brasil"],
            "Notícias do Brasil e do mundo"),
           ("Gazeta Paulista", "noticias.gazetapaulista.com.br", ["Poder", "Mercado", "Cotidiano"],
            "O jornal que informa")],
    "es": [("El Diario del Sur", "www.diariodelsur.es", ["Internacional", "Política", "Economía"],
            "Últimas noticias de hoy"),
           ("La Voz de Castilla", "www.lavozdecastilla.com", ["España", "Mundo", "Sociedad"],
            "Noticias de última hora")],
    "fr": [("Le Courrier du Matin", "www.courrierdumatin.fr", ["International", "Politique", "Économie"],
            "Toute l'actualité en direct"),
           ("La Gazette de l'Est", "www.gazette-est.fr", ["Monde", "France", "Société"], "L'info en continu")],
    "de": [("Neue Rundschau", "www.neue-rundschau.de", ["Politik", "Wirtschaft", "Ausland"],
            "Nachrichten aus aller Welt"),
           ("Westdeutsche Post", "www.wdpost.de", ["Inland", "Welt", "Panorama"], "Aktuelle Nachrichten")],
}

# Furniture phrase lists, per chrome language; even items belong to the tune half, odd to report.
FURNITURE = {
    "en": {
        "related": ["You may also be interested in", "More on this story", "Related stories", "Read next",
                    "You might also like", "More from the Courier", "Most read", "Top stories"],
        "headlines": ["Markets fall as oil prices climb again", "Minister resigns after expenses row",
                      "Storm warning issued for the north coast", "Council approves new housing plan",
                      "Rail strike called off after late talks", "Hospital waiting lists reach record high"],
        "credit": ["Photo: Pedro Ladeira/Reuters", "Image: Getty Images", "(Photo by Dan Kitwood/Getty Images)",
                   "Photograph: Andy Rain/EPA", "Picture: PA Media", "Image source, Reuters"],
        "newsletter": ["Sign up for our morning newsletter and get the news you need to start your day.",
                       "Get our free daily briefing straight to your inbox every morning.",
                       "Want more stories like this? Subscribe to our weekly newsletter.",
                       "Sign up to First Edition, our free daily newsletter, every weekday at 7am."],
        "write": ["Got a story? Write to us at newsdesk@dailycourier.example",
                  "Do you have a news tip? Email us at tips@northernherald.example",
                  "Have your say: write to us at letters@dailycourier.example",
                  "If you have information about this story, contact our newsroom."],
        "bio": ["{name} is a reporter covering politics and the economy for the Courier.",
                "{name} is our Europe correspondent, based in Brussels.",
                "{name} is a senior writer at the Herald. She previously worked for regional papers.",
                "About the author: {name} has covered business news since 2009."],
        "agency": ["Reporting by {name}; Editing by {name2}", "Our Standards: The Thomson Reuters Trust Principles.",
                   "Additional reporting by {name}; writing by {name2}",
                   "Our Standards: The Thomson Reuters Trust Principles."],
        "names": ["Sarah Jones", "Michael Brown", "Emma Wilson", "David Clarke"],
    },
    "pt": {
        "related": ["Você também pode se interessar", "Leia também", "Veja também", "Mais lidas",
                    "Notícias relacionadas", "Recomendadas para você", "Saiba mais", "Mais notícias"],
        "headlines": ["Bolsa fecha em queda com alta do petróleo", "Ministro deixa o cargo após denúncia",
                      "Defesa Civil alerta para chuvas no litoral", "Câmara aprova projeto de habitação",
                      "Greve dos metroviários é suspensa", "Fila de cirurgias bate recorde no estado"],
        "credit": ["Foto: Pedro Ladeira/Folhapress", "Crédito: Marcelo Camargo/Agência Brasil",
                   "Foto: Divulgação", "Imagem: Reprodução/TV Globo", "Foto: Reuters/Adriano Machado",
                   "Crédito da foto: Arquivo pessoal"],
        "newsletter": ["Assine nossa newsletter e receba as principais notícias do dia no seu e-mail.",
                       "Receba as notícias mais importantes do dia no seu e-mail. Cadastre-se gratuitamente.",
                       "Quer receber as notícias no celular? Entre no nosso canal do WhatsApp.",
                       "Inscreva-se na nossa newsletter semanal e fique bem informado."],
        "write": ["Tem alguma sugestão de pauta? Escreva para redacao@jornaldoplanalto.example",
                  "Fale com a redação: envie sua denúncia pelo WhatsApp.",
                  "Viu algum erro? Escreva para a redação.",
                  "Envie sua sugestão de reportagem para o nosso e-mail."],
        "bio": ["{name} é repórter de política e cobre o Congresso Nacional desde 2015.",
                "{name} é correspondente em Brasília.",
                "{name} é jornalista e escreve sobre economia.",
                "Sobre o autor: {name} é editor da seção de Mercado."],
        "agency": ["Reportagem de {name}; Edição de {name2}",
                   "Nossos padrões: Os princípios de confiança da Thomson Reuters.",
                   "Reportagem adicional de {name}", "Nossos Padrões: Princípios de Confiança da Thomson Reuters."],
        "names": ["Ana Souza", "Carlos Oliveira", "Mariana Costa", "Pedro Almeida"],
    },
    "es": {
        "related": ["Te puede interesar", "También te puede interesar", "Noticias relacionadas", "Lo más leído",
                    "Más información", "Te recomendamos", "Lee también", "Contenido relacionado"],
        "headlines": ["La bolsa cae por la subida del petróleo", "Dimite el ministro tras la polémica",
                      "Alerta por tormentas en la costa norte", "El ayuntamiento aprueba el plan de vivienda",
                      "Desconvocada la huelga de trenes", "Las listas de espera baten récord"],
        "credit": ["Foto: EFE/Juan Carlos Hidalgo", "Imagen: Europa Press", "Fotografía: Reuters",
                   "(Foto: AFP / Javier Soriano)", "Foto: Archivo", "Imagen de archivo: EFE"],
        "newsletter": ["Suscríbete a nuestro boletín y recibe cada mañana las noticias más importantes.",
                       "Recibe nuestra newsletter diaria en tu correo electrónico.",
                       "Apúntate a nuestro boletín semanal gratuito.",
                       "Suscríbete a la newsletter para no perderte nada."],
        "write": ["¿Tienes algo que contar? Escríbenos a redaccion@diariodelsur.example",
                  "Si quieres contactar con la redacción, escríbenos.",
                  "Envíanos tus noticias, fotos o vídeos por WhatsApp.",
                  "¿Has visto un error? Escríbenos a correcciones@lavoz.example"],
        "bio": ["{name} es periodista de la sección de Internacional. Antes trabajó en la radio.",
                "{name} es corresponsal en Bruselas.",
                "{name} es redactora de Economía desde 2012.",
                "Sobre el autor: {name} cubre la información política."],
        "agency": ["Información de {name}; editado en español por {name2}",
                   "Nuestras normas: Los principios de confianza de Thomson Reuters.",
                   "Reporte de {name}; editado por {name2}",
                   "Nuestras normas: Los principios de confianza de Thomson Reuters."],
        "names": ["María López", "Javier García", "Lucía Fernández", "Pablo Martín"],
    },
    "fr": {
        "related": ["Vous pourriez aussi aimer", "À lire aussi", "Sur le même sujet", "Les plus lus",
                    "Lire aussi", "Nos articles recommandés", "À voir aussi", "Dans la même rubrique"],
        "headlines": ["La Bourse recule avec la hausse du pétrole", "Le ministre démissionne après la polémique",
                      "Alerte aux orages sur la côte nord", "La mairie adopte le plan logement",
                      "La grève des trains est levée", "Les listes d'attente atteignent un record"],
        "credit": ["Photo : AFP / Ludovic Marin", "Crédit photo : Reuters", "© Stéphane de Sakutin / AFP",
                   "Photo d'illustration : Archives", "Photo : Maxppp", "Crédits : AFP"],
        "newsletter": ["Inscrivez-vous à notre newsletter pour recevoir chaque matin l'essentiel de l'actualité.",
                       "Recevez gratuitement notre lettre d'information quotidienne.",
                       "Abonnez-vous à notre newsletter hebdomadaire.",
                       "Inscrivez-vous gratuitement à la lettre du matin."],
        "write": ["Une info à nous transmettre ? Écrivez-nous à redaction@courrier.example",
                  "Vous avez été témoin de cet événement ? Contactez la rédaction.",
                  "Une remarque, une correction ? Écrivez-nous.",
                  "Pour nous signaler une information, écrivez à la rédaction."],
        "bio": ["{name} est journaliste au service Politique du Courrier.",
                "{name} est correspondant à Bruxelles.",
                "{name} est rédactrice en chef adjointe, chargée de l'économie.",
                "À propos de l'auteur : {name} couvre l'actualité internationale."],
        "agency": ["(Reportage {name}, édité par {name2})",
                   "Nos valeurs : Les principes de confiance de Thomson Reuters.",
                   "(Rédigé par {name}, édité par {name2})",
                   "Nos valeurs : Les principes de confiance de Thomson Reuters."],
        "names": ["Claire Martin", "Julien Dubois", "Sophie Laurent", "Nicolas Petit"],
    },
    "de": {
        "related": ["Das könnte Sie auch interessieren", "Mehr zum Thema", "Auch interessant", "Meistgelesen",
                    "Lesen Sie auch", "Weitere Artikel", "Empfehlungen der Redaktion", "Das könnte Sie interessieren"],
        "headlines": ["Börse fällt wegen steigender Ölpreise", "Minister tritt nach Affäre zurück",
                      "Unwetterwarnung für die Nordseeküste", "Stadtrat beschließt Wohnungsbauplan",
                      "Bahnstreik in letzter Minute abgesagt", "Wartelisten in Kliniken so lang wie nie"],
        "credit": ["Foto: dpa/Michael Kappeler", "Bild: picture alliance / dpa", "Foto: imago images",
                   "Quelle: Reuters", "Foto: AFP", "Bildquelle: Getty Images"],
        "newsletter": ["Abonnieren Sie unseren Newsletter und erhalten Sie jeden Morgen die wichtigsten Nachrichten.",
                       "Melden Sie sich für unseren kostenlosen Newsletter an.",
                       "Jetzt den Newsletter abonnieren und nichts mehr verpassen.",
                       "Der Morgen-Newsletter: Die wichtigsten Nachrichten kostenlos per E-Mail."],
        "write": ["Haben Sie Hinweise? Schreiben Sie uns an redaktion@rundschau.example",
                  "Sie haben einen Fehler entdeckt? Schreiben Sie uns.",
                  "Haben Sie Fragen oder Anregungen? Kontaktieren Sie die Redaktion.",
                  "Sie wollen uns etwas mitteilen? Schreiben Sie an leserbriefe@wdpost.example"],
        "bio": ["{name} ist Redakteur im Ressort Politik.",
                "{name} ist Korrespondentin in Brüssel.",
                "{name} ist Wirtschaftsjournalist und schreibt über Finanzen.",
                "Zur Person: {name} leitet das Hauptstadtbüro."],
        "agency": ["(Berichterstattung von {name}, redigiert von {name2})",
                   "Unsere Standards: Die Thomson Reuters Trust Principles.",
                   "(Reporter: {name}; Redigiert von {name2})",
                   "Unsere Standards: Die Thomson Reuters Trust Principles."],
        "names": ["Anna Schmidt", "Thomas Müller", "Julia Weber", "Stefan Wagner"],
    },
}
NAV = {"en": ["Home", "News", "Sport", "Weather"], "pt": ["Início", "Notícias", "Esporte", "Vídeos"],
       "es": ["Portada", "Noticias", "Deportes", "Vídeos"], "fr": ["Accueil", "Actualités", "Sport", "Vidéos"],
       "de": ["Startseite", "Nachrichten", "Sport", "Videos"]}
COOKIE = {"en": "We use cookies to improve your experience. By continuing you accept our cookie policy.",
          "pt": "Usamos cookies para melhorar sua experiência. Ao continuar, você concorda com a política.",
          "es": "Utilizamos cookies para mejorar tu experiencia. Si continúas, aceptas nuestra política de cookies.",
          "fr": "Nous utilisons des cookies pour améliorer votre expérience. En poursuivant, vous les acceptez.",
          "de": "Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten."}
# Date lines as the chrome language prints them (Babel patterns).
DATE_LINES = {"en": ["'Published' d MMMM y",
                     "MMMM d, y 'at' h:mm a"], "pt": ["'Publicado em' dd/MM/y 'às' HH'h'mm", "d 'de' MMMM 'de' y"],
              "es": ["'Publicado el' d 'de' MMMM 'de' y",
                     "dd/MM/y HH:mm"], "fr": ["'Publié le' d MMMM y 'à' HH'h'mm", "dd/MM/y"],
              "de": ["'Veröffentlicht am' dd.MM.y, HH:mm 'Uhr'", "d. MMMM y"]}
RELATED_DATE = {"en": "d MMM y", "pt": "dd/MM/y", "es": "d MMM y", "fr": "d MMM y", "de": "dd.MM.y"}


def load(name: str) -> list[dict]:
    with gzip.open(CORPUS / name, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def in_half(key: str, half: str) -> bool:
    return (int(hashlib.sha256(key.encode()).hexdigest(), 16) % 2 == 0) == (half == "tune")


def halve(items: list, half: str) -> list:
    return items[0 if half == "tune" else 1::2]


def headline(row: dict) -> str:
    if row.get("title"):
        return " ".join(row["title"].split())
    words = row["text"].split()[:12]
    while words and words[-1][-1:] in ".,;:":
        words = words[:-1]
    return " ".join(w.strip("“”\"") for w in words)


def e(text: str) -> str:
    return html.escape(text, quote=True)


class Page:
    def __init__(self, picker: random.Random, half: str, row: dict, language: str, chrome: str):
        from babel.dates import format_date, format_datetime

        self.picker, self.row, self.language, self.chrome = picker, row, language, chrome
        f = {k: (halve(v, half) if isinstance(v, list) and k != "names" else v) for k, v in FURNITURE[chrome].items()}
        self.f = f
        site, host, sections, tagline = SITES[chrome][0 if half == "tune" else 1]
        self.site, self.host, self.tagline = site, host, tagline
        self.section = picker.choice(sections)
        self.title = headline(row)
        self.day = dt.date(picker.randint(2008, 2024), picker.randint(1, 12), picker.randint(1, 28))
        self.where = picker.choice(["meta", "meta", "jsonld", "line", "line", "none"])
        dated = f"{self.day:%Y/%m/%d}/" if self.where != "none" and picker.random() < 0.5 else ""
        self.url = f"https://{host}/{self.section.lower()}/{dated}{row['id']}.html"
        self.furniture: list[str] = []  # phrases that must not be in the article text
        self.fmt_date, self.fmt_datetime = format_date, format_datetime

    def when(self, day: dt.date, pattern: str) -> str:
        moment = dt.datetime(day.year, day.month, day.day, self.picker.randint(6, 22), self.picker.randint(0, 59))
        return self.fmt_datetime(moment, pattern, locale=self.chrome)

    def title_tag(self) -> str:
        p, t, site, section = self.picker, self.title, self.site, self.section
        shape = p.randrange(7 if self.where != "none" else 6)
        return [f"{t} | {site}", f"{t} - {section} - {site}", f"{site} » {section} » {t}",
                f"{t} | {section} | {site} | {self.tagline}", f"{t} · {self.host.removeprefix('www.')}", t,
                f"{t} - {site} - {self.day:%d/%m/%Y}"][shape]

    def og_title(self) -> str | None:
        shape = self.picker.randrange(5)
        if shape == 0:
            return None
        if shape == 1 and len(self.title) > 30:  # cut by the site's CMS, in the middle of a word
            cut = self.picker.randint(20, len(self.title) - 5)
            while cut < len(self.title) - 3 and (self.title[cut - 1] == " " or self.title[cut] == " "):
                cut += 1
            return self.title[:cut] + "…"
        if shape == 2:
            return f"{self.title} | {self.site}"
        return self.title

    def related(self) -> str:
        p, f = self.picker, self.f
        heading = p.choice(f["related"])
        items = []
        for headline_ in p.sample(f["headlines"], 3):
            other = self.day - dt.timedelta(days=p.randint(3, 900))
            shown = self.when(other, RELATED_DATE[self.chrome])
            self.furniture.append(headline_)
            items.append(p.choice([
                f'<li><a href="/x/{p.randrange(10**6)}">{e(headline_)}</a> '
                f'<time datetime="{other.isoformat()}">{e(shown)}</time></li>',
                f'<li><a href="/x/{p.randrange(10**6)}">{e(headline_)}</a><span class="date">{e(shown)}</span></li>',
                f'<li><p><a href="/x/{p.randrange(10**6)}">{e(headline_)}</a></p><p>{e(shown)}</p></li>',
            ]))
        self.furniture.append(heading)
        return f'<div class="box"><p class="t">{e(heading)}</p><ul>{"".join(items)}</ul></div>'

    def block(self, kind: str) -> str:
        f, p = self.f, self.picker
        names = p.sample(f["names"], 2)
        text = p.choice(f[kind]).format(name=names[0], name2=names[1])
        self.furniture.append(text)
        return f'<div class="box"><p>{e(text)}</p></div>'

    def render(self) -> tuple[str, dt.date | None]:
        p = self.picker
        paragraphs = [x for x in self.row["text"].replace("\r", "").split("\n") if x.strip()]
        where = self.where
        head = [f'<meta charset="utf-8"><title>{e(self.title_tag())}</title>',
                f'<meta property="og:site_name" content="{e(self.site)}">',
                f'<link rel="canonical" href="{e(self.url)}">']
        if (og := self.og_title()) is not None:
            head.append(f'<meta property="og:title" content="{e(og)}">')
        if where == "meta":
            head.append(f'<meta property="article:published_time" content="{self.day.isoformat()}T10:00:00+00:00">')
        if where == "jsonld":
            head.append('<script type="application/ld+json">' + json.dumps(
                {"@context": "https://schema.org", "@type": "NewsArticle", "headline": self.title,
                 "datePublished": f"{self.day.isoformat()}T09:30:00Z"}) + "</script>")
        body = []
        shape = p.randrange(4)
        if shape == 1:  # the logo is an <h1> too
            body.append(f'<div class="logo"><h1><a href="/">{e(self.site)}</a></h1></div>')
        nav = "".join(f'<li><a href="/{e(n.lower())}">{e(n)}</a></li>' for n in NAV[self.chrome])
        body.append(f'<div class="box"><p>{e(COOKIE[self.chrome])}</p></div><header><nav><ul>{nav}</ul></nav></header>')
        related_first = p.random() < 0.3
        related = self.related() if p.random() < 0.8 else ""
        if related and related_first:
            body.append(related)
        article = [f'<div class="headline">{e(self.title)}</div>' if shape == 3 else f"<h1>{e(self.title)}</h1>"]
        if where == "line":
            # a numeric date is read in the article's language: a site writing in another prints month names
            patterns = DATE_LINES[self.chrome] if self.chrome == self.language else [
                x for x in DATE_LINES[self.chrome] if "MMM" in x]
            article.append(f'<p>{e(self.when(self.day, p.choice(patterns)))}</p>')
        furniture_after = []
        for kind, chance in (("newsletter", 0.5), ("write", 0.4), ("bio", 0.5), ("agency", 0.35)):
            if p.random() < chance:
                furniture_after.append(self.block(kind))
        caption = ""
        if p.random() < 0.6:
            credit = p.choice(self.f["credit"])
            self.furniture.append(credit)
            caption = f'<div class="box"><img src="/img/{self.day:%Y/%m/%d}/a.jpg"><p>{e(credit)}</p></div>'
        for i, paragraph in enumerate(paragraphs):
            article.append(f"<p>{e(paragraph)}</p>")
            if i == 1 and caption:
                article.append(caption)
        if p.random() < 0.5 and "newsletter" in str(furniture_after):  # a newsletter box mid-article
            article.insert(min(4, len(article)), furniture_after.pop(0))
        article += furniture_after
        if related and not related_first:
            article.append(related)
        body.append(f'<main><div class="content">{"".join(article)}</div></main>')
        body.append(f"<footer><p>© {self.day.year} {e(self.site)}. All rights reserved.</p></footer>")
        page = (f'<!doctype html><html lang="{self.language}"><head>{"".join(head)}</head>'
                f'<body>{"".join(body)}</body></html>')
        return page, (None if where == "none" else self.day)


def feed(picker: random.Random, half: str, rows: list[dict], number: int) -> tuple[str, dict[int, tuple[str, str]]]:
    """An RSS feed of Portuguese entries in awkward shapes; returns it and, by entry number,
    the expected (title, language)."""
    declared = picker.random() < 0.5
    site, host, _, _ = SITES["pt"][0 if half == "tune" else 1]
    items, expected = [], {}
    for n, row in enumerate(rows, 1):
        title = headline(row)
        shape = picker.randrange(8)
        if shape == 0:  # a few-word headline, no description
            title = " ".join(title.split()[: picker.randint(3, 6)])
            description = ""
        else:
            description = ["", "<p>" + e(row["text"].split("\n")[0]) + "</p>", '<img src="https://x.example/a.jpg">',
                           '<p><a href="https://x.example/a">Leia mais »</a></p>', "<p>Foto: Reuters</p>",
                           f"<p>{picker.randint(1, 28)}/0{picker.randint(1, 9)}/2018</p>",
                           f"https://{host}/x/{n}"][shape - 1]
        expected[n] = (title, "pt")
        items.append(f"<item><title>{e(title)}</title><link>https://{host}/n/{number}/{n}</link>"
                     + (f"<description><![CDATA[{description}]]></description>" if description else "") + "</item>")
    language = "<language>pt-br</language>" if declared else ""
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{e(site)}</title>'
            f"<link>https://{host}/</link>{language}{''.join(items)}</channel></rss>"), expected


def words(text: str) -> Counter:
    return Counter(w.strip(".,;:!?\"'()“”«»").lower() for w in text.split() if w.strip(".,;:!?\"'()“”«»"))


def measure(args: argparse.Namespace) -> dict:
    sys.path.insert(0, str(Path(args.code).resolve()))
    from generator.config import load_config
    from generator.ingest import read_folder

    if args.mode != "default":  # trafilatura's own precision/recall options, for comparison
        import trafilatura

        original = trafilatura.bare_extraction
        trafilatura.bare_extraction = lambda *a, **k: original(*a, **{**k, args.mode: True})

    picker = random.Random(args.seed)
    pages: dict[str, tuple[dict, Page, dt.date | None]] = {}
    feeds: dict[str, tuple[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "seeds"
        folder.mkdir()
        corpora = {}
        for language, corpus in (("en", "news-en-bbc.jsonl.gz"), ("pt", "news-pt-fakebr.jsonl.gz")):
            rows = [r for r in load(corpus) if len(r["text"].split()) >= 80 and in_half(r["id"], args.half)]
            corpora[language] = rows
            for row in picker.sample(rows, args.articles):
                chrome = picker.choice([language, language, "es", "fr", "de"])
                page = Page(picker, args.half, row, language, chrome)
                markup, day = page.render()
                (folder / f"{row['id']}.html").write_text(markup, encoding="utf-8")
                pages[f"{row['id']}.html"] = (row, page, day)
        used = {row["id"] for row, _, _ in pages.values()}
        short = picker.sample([r for r in corpora["pt"] if len(r["text"].split()) < 400 and r["id"] not in used],
                              8 * args.feeds)
        for number in range(args.feeds):
            markup, expected = feed(picker, args.half, short[8 * number: 8 * number + 8], number)
            (folder / f"feed{number}.xml").write_text(markup, encoding="utf-8")
            feeds.update({f"feed{number}.xml#{n}": v for n, v in expected.items()})
        config = load_config(Path(tmp))
        articles, problems = read_folder(folder, config)
    found = {a.source_file: a for a in articles}
    c: Counter = Counter()
    examples: dict[str, list[str]] = {}
    for name, (row, page, day) in pages.items():
        article = found.get(name)
        if article is None:
            c["pages lost"] += 1
            continue
        text = "\n".join(article.paragraphs)
        truth, got = words(row["text"]), words(text)
        c["article words"] += sum(truth.values())
        c["article words kept"] += sum((got & truth).values())
        c["words kept"] += sum(got.values())
        c["furniture words left"] += sum((got - truth).values())
        left = [f for f in page.furniture if f in text]
        if left:
            c["pages with furniture left"] += 1
            examples.setdefault("furniture", []).append(f"{name}: {left[0]!r}")
        c["pages"] += 1
        if article.title == page.title:
            c["titles right"] += 1
        else:
            examples.setdefault("title", []).append(f"{name}: {article.title!r} (want {page.title!r})")
        stated = None if article.date_is_stand_in else article.date
        c["dates right"] += stated == day
        if stated != day:
            examples.setdefault("date", []).append(f"{name}: {stated} (want {day})")
        c["languages right"] += article.language == page.language
    for name, (title, language) in feeds.items():
        article = found.get(name)
        c["entries"] += 1
        if article is None:
            examples.setdefault("entry", []).append(f"{name} lost: {[str(p) for p in problems if name in str(p)][:1]}")
            continue
        c["entries kept"] += 1
        c["entry titles right"] += article.title == title
        c["entry languages right"] += article.language == language
        if article.language != language:
            examples.setdefault("entry language", []).append(f"{name}: {article.language} for {title!r}")
    return {"counts": dict(c), "examples": {k: v[: args.show] for k, v in examples.items()}}


def figures(counts: dict) -> dict[str, str]:
    c = Counter(counts)
    pages = max(1, c["pages"])
    return {
        "article text kept": f"{c['article words kept'] / max(1, c['article words']):.1%}",
        "furniture left (share of words kept)": f"{c['furniture words left'] / max(1, c['words kept']):.2%}",
        "pages with furniture left": f"{c['pages with furniture left']} of {c['pages']} "
                                     f"({c['pages with furniture left'] / pages:.1%})",
        "titles right": f"{c['titles right']} of {c['pages']} ({c['titles right'] / pages:.1%})",
        "dates right (undated left undated)": f"{c['dates right']} of {c['pages']} ({c['dates right'] / pages:.1%})",
        "languages right": f"{c['languages right']} of {c['pages']}",
        "pages lost": str(c["pages lost"]),
        "feed entries kept": f"{c['entries kept']} of {c['entries']}",
        "entry titles right": f"{c['entry titles right']} of {c['entries']}",
        "entry languages right": f"{c['entry languages right']} of {c['entries']}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100, help="pages per article language (en, pt)")
    parser.add_argument("--feeds", type=int, default=6, help="feeds of 8 Portuguese entries")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--half", choices=["tune", "report"], default="report")
    parser.add_argument("--code", default=str(REPO), help="the checkout whose generator/ is measured")
    parser.add_argument("--before", help="another checkout (e.g. a git worktree of an older commit): "
                        "measured on the same pages and printed side by side")
    parser.add_argument("--mode", choices=["default", "favor_precision", "favor_recall"], default="default",
                        help="force trafilatura's mode in both runs (default: as each version calls it)")
    parser.add_argument("--show", type=int, default=0, help="print up to this many failures of each kind")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args)))
        return
    runs = {}
    for label, code in (("before", args.before), ("after", args.code)):
        if code is None:
            continue
        command = [sys.executable, __file__, "--json", "--code", code, "--seed", str(args.seed), "--half", args.half,
                   "--articles", str(args.articles), "--feeds", str(args.feeds),
                   "--show", str(args.show), "--mode", args.mode]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        runs[label] = json.loads(out)
    print(f"{2 * args.articles} pages (en + pt text; chrome en/pt/es/fr/de) and {args.feeds} feeds of 8 entries; "
          f"half {args.half!r}, seed {args.seed}, trafilatura "
          f"{'as each version calls it' if args.mode == 'default' else 'forced to ' + args.mode}")
    table = {label: figures(run["counts"]) for label, run in runs.items()}
    labels = list(table)
    print(f"  {'':40}" + "".join(f"{label:>22}" for label in labels))
    for key in table[labels[-1]]:
        print(f"  {key:40}" + "".join(f"{table[label][key]:>22}" for label in labels))
    for label, run in runs.items():
        for kind, shown in run["examples"].items():
            for line in shown:
                print(f"  [{label}] {kind}: {line}")


if __name__ == "__main__":
    main()
