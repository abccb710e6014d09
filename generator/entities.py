"""Named entities of an article: the evidence that ties articles to one event, and its topics.

A name is a run of capitalized words (possibly joined by short particles: "Bank of England";
by "e" / "and" when an acronym spells the whole: "Comissão de Constituição e Justiça (CCJ)").
Names are canonicalized so that one entity has one key:

- country, territory and language names, and the demonyms of common countries, become a
  CLDR code (``country:BR``, ``language:pt``) through Babel's names in every language
  polydigest knows ("EUA", "Estados Unidos", "United States", "US", "American" -> ``country:US``),
  and are shown in each site language by Babel's name, never by machine translation;
- so are the main cities, by the time zones CLDR names ("London", "Londres" -> ``city:Europe/London``),
  unless the article names a person the word is part of ("Paris" after "Paris Hilton");
- an acronym becomes the full name it abbreviates when the article spells that out
  ("London Stock Exchange (LSE)", "LSE" -> "London Stock Exchange");
- a surname, or any word of a longer name used earlier in the article, becomes that full name
  ("Temer" after "Michel Temer");
- weekdays and months (Babel, in the article's language), words that the text also uses in
  lower case ("Justice" beside "justice"), and a short list of generic words are never names.

Person and organization names are shown as written, in every language.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass

from . import settings
from .languages import LANGUAGES, calendar_names, stop_words
from .messages import locale_of
from .names import NAME_PARTICLES, OUTLETS

MAX_TAGS: int = settings.section("stories")["max_tags"]
# Country and language names are recognised in each of these ([language.<code>] entity_names).
# The pivot's names first: a name that is a country in one language and a language in another
# ('italien') takes its meaning in the pivot.
CLDR_LANGUAGES = tuple(sorted((code for code, language in LANGUAGES.items() if language.entity_names),
                              key=lambda code: not LANGUAGES[code].pivot))

# A name: capitalized words, possibly joined by short lower-case particles ("Bank of England").
_NAME_WORDS = (r"[A-ZÀ-ÖØ-Þ][\w'’-]+"
               r"(?:{initial}\s+(?:of|de|da|do|dos|das|del|la|van|von|al|el|bin)?\s*[A-ZÀ-ÖØ-Þ][\w'’-]+)*")
_NAME = re.compile(r"\b" + _NAME_WORDS.format(initial=""))
# In the languages whose news writes a middle initial without its full stop ("George W Bush"; a full
# stop ends a sentence), a name may hold one, between two words in lower case; not a one-letter word
# ("A", "I", "O", "E", "Y": "About A Boy") or X ("versus"). Portuguese news writes "Série B", "Grupo C
# Brasil", "Plano B" without stops, and its initials with them.
_INITIALS_WITHOUT_STOP = frozenset({"en"})
_NAME_WITH_INITIALS = re.compile(r"\b" + _NAME_WORDS.format(
    initial=r"(?:(?<=[a-zà-öø-ÿ])\s+[B-DF-HJ-NP-WZ](?=\s+[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]))?"))
_SAFE_TAG = re.compile(r"^[^\W_][\w .'’-]{0,40}$")

# Words capitalized in news that name no entity (titles, roles, generic nouns, headline words).
_GENERIC_WORDS = """
mr mrs ms dr sir lord lady dame president minister prime chief chairman chancellor secretary governor mayor
senator judge justice state states country government party court police army news report reports
no yes not the a an it he she they we i you this that these those there here what when where why how
new old first last next year years month week day today tomorrow yesterday morning evening night
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
north south east west northern southern eastern western central national international world global
uk-based city town capital league cup club team group company firm bank market markets
sr sra dr dra presidente ministro ministra governador governadora prefeito prefeita senador senadora
deputado deputada juiz juiza justica estado estados pais governo partido tribunal policia exercito
segundo apos ainda mas nao sim ele ela eles elas nos voce isso isto este esta esse essa aqui onde quando
como porque ano anos mes semana dia hoje amanha ontem manha tarde noite
janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro
segunda terca quarta quinta sexta sabado domingo feira
norte sul leste oeste nacional internacional mundo cidade capital liga copa clube time grupo empresa banco
mercado operacao caso secretaria ministerio camara senado assembleia prefeitura conselho justica federal
"""
GENERIC = frozenset(_GENERIC_WORDS.split() + ["casa", "previdencia", "christmas", "natal", "id"])
# Institutions named before the person who heads them ("presidente da Câmara Eduardo Cunha").
INSTITUTIONS = frozenset({"camara", "republica", "fazenda", "senado", "justica", "planalto", "educacao", "saude",
                          "defesa", "stf", "deputados"})
# Adjectives that end an institution's name ("Casa Civil", "Polícia Federal"): a name after them is a
# person's ("Casa Civil | José Dirceu").
INSTITUTION_ENDINGS = frozenset({"civil", "federal", "militar"})
# Plural nouns that end a run of names without being part of it ("Labour MPs", "Windows PCs").
_TRAILING = frozenset({"mps", "mp", "pcs", "fans"})

# Titles and roles that stand before a name ("President Lula", "The Bank of England" less
# "The"): dropped from its front. Other generic words are not: "Ministério Público Federal"
# keeps "Ministério" (only a name made of generic words alone is no name).
_TITLE_WORDS = """
mr mrs ms dr sir lord lady dame president minister prime chief chairman chancellor secretary governor mayor
senator judge justice general coach captain boss striker midfielder defender goalkeeper manager leader
sr sra dr dra presidente ministro ministra governador governadora prefeito prefeita senador senadora
deputado deputada juiz juiza tecnico atacante meia zagueiro goleiro ex vice delegado promotor procurador
segundo apos ainda mas nao sim para com sobre entre
"""
TITLES = frozenset(_TITLE_WORDS.split())
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "dra", "sr", "sra"})
# Titles that also open companies' names ("General Motors", "General Electric"): a title only
# when the name after it is also written alone ("General Musharraf … Musharraf said").
COMPANY_TITLES = frozenset({"general"})

# Acronyms of things, not of entities.
GENERIC_ACRONYMS = frozenset({"TV", "CEO", "GDP", "PIB", "DNA", "DJ", "CD", "DVD", "SMS", "PC", "AM", "PM", "OK",
                              "MP3", "ID", "HIV", "VAT", "IVA", "ICMS", "IPI", "CPF", "CNPJ"})


# Demonyms of common countries, in English and Portuguese (Babel has country names, not demonyms).
DEMONYMS = {
    "US": "american americans americano americana americanos americanas norte-americano norte-americana "
          "norte-americanos norte-americanas estadunidense",
    "GB": "british britain briton britons britanico britanica britanicos britanicas",
    "BR": "brazilian brazilians brasileiro brasileira brasileiros brasileiras",
    "FR": "french frances francesa franceses francesas",
    "DE": "german germans alemao alema alemaes alemas",
    "GR": "greek greeks grego grega gregos gregas",
    "TR": "turkish turco turca turcos",
    "IT": "italian italians italiano italiana italianos italianas",
    "ES": "spanish spaniard espanhol espanhola espanhois espanholas",
    "PT": "portuguese portugues portuguesa portugueses portuguesas",
    "RU": "russian russians russo russa russos russas",
    "CN": "chinese chines chinesa chineses chinesas",
    "JP": "japanese japones japonesa japoneses japonesas",
    "IN": "indian indians indiano indiana indianos indianas",
    "IE": "irish irlandes irlandesa irlandeses",
    "AU": "australian australians australiano australiana australianos",
    "AR": "argentine argentinian argentino argentina argentinos argentinas",
    "MX": "mexican mexicans mexicano mexicana mexicanos",
    "VE": "venezuelan venezuelano venezuelana venezuelanos",
    "KP": "north korean norte-coreano norte-coreana norte-coreanos",
    "KR": "south korean sul-coreano sul-coreana sul-coreanos",
    "SY": "syrian sirio siria sirios",
    "IR": "iranian irano iraniano iraniana iranianos",
    "IQ": "iraqi iraquiano iraquiana iraquianos",
    "IL": "israeli israelense israelenses",
    "UA": "ukrainian ucraniano ucraniana ucranianos",
    "CU": "cuban cubano cubana cubanos",
    "CL": "chilean chileno chilena chilenos",
    "ZA": "south african south africans sul-africano sul-africana sul-africanos sul-africanas",
    "EU": "european europeu europeia europeus",
}
# Common short forms CLDR does not list as a name ("America" is the US in news, as the checks'
# country_aliases say; CLDR's Spanish names the Americas so).
SHORT_FORMS = {"us": "US", "usa": "US", "u.s.": "US", "eua": "US", "america": "US", "uk": "GB", "u.k.": "GB",
               "britain": "GB",
               "great britain": "GB", "england": "GB-ENG", "wales": "GB-WLS", "scotland": "GB-SCT",
               "eu": "EU", "ue": "EU", "uniao europeia": "EU", "european union": "EU", "holland": "NL"}
# Other names of one organisation that no rule ties together (a nickname is neither its acronym
# nor a part of its name): folded name -> the name shown.
NICKNAMES = {"tory": "Conservative Party", "tories": "Conservative Party", "conservatives": "Conservative Party",
             "lib dem": "Liberal Democrats", "lib dems": "Liberal Democrats", "labour": "Labour Party",
             "man utd": "Manchester United", "man united": "Manchester United"}
SUBDIVISIONS = {"GB-ENG": {"en": "England", "pt": "Inglaterra"}, "GB-WLS": {"en": "Wales", "pt": "País de Gales"},
                "GB-SCT": {"en": "Scotland", "pt": "Escócia"}}


@functools.lru_cache(maxsize=300_000)
def fold(text: str) -> str:
    """Lower case without accents: 'São Paulo' -> 'sao paulo'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


@functools.cache
def _cldr_table(language: str) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """Folded name -> 'country:XX' (a CLDR territory: country, territory or region such as
    'country:150', Europe) / 'language:xx' from Babel, as the article's language and the pivot
    write them: not as a third language does ("Salvador" is El Salvador in French; Portuguese
    news names the city so, and a real build's pages read "El Salvador" for it). And, for the
    names that only ever carry accents, their spellings (lower case: 'franca' -> {'frança'}):
    written without them, the word names something else ('Franca', a city of São Paulo state,
    was read as France); a name the pivot writes without accents ('mexico': 'México',
    'Mexico') is not one of them."""
    from babel import Locale

    names: dict[str, str] = {}
    spellings: dict[str, set[str]] = {}

    def add(name: str, key: str) -> None:
        names.setdefault(fold(name), key)
        spellings.setdefault(fold(name), set()).add(name.lower().replace("’", "'"))

    for code in (c for c in CLDR_LANGUAGES if c == language or LANGUAGES[c].pivot):
        locale = Locale.parse(code)
        for key, name in locale.territories.items():
            # countries and territories, and the regions news names (150 Europe, 419 Latin America:
            # a Portuguese page showed 'Europe'); not 001, 'world', a common word
            if (key.isalpha() and len(key) == 2) or (key.isdigit() and key != "001"):
                add(name, f"country:{key}")
        for key, name in locale.languages.items():
            if key.isalpha() and 2 <= len(key) <= 3:
                add(name, f"language:{key}")
    for code, words in DEMONYMS.items():
        for word in words.split():
            names[word.replace("-", " ")] = f"country:{code}"
            names[word] = f"country:{code}"
    for short, code in SHORT_FORMS.items():
        names[short] = f"country:{code}"
    return names, {folded: frozenset(written) for folded, written in spellings.items() if folded not in written}


def _cldr_names(language: str) -> dict[str, str]:
    return _cldr_table(language)[0]


def _is_cldr_name(name: str, language: str) -> bool:
    """Whether ``name`` is a CLDR place or language name as the article's language or the
    pivot writes it, accents included where it always has them (``_cldr_table``)."""
    names, accented = _cldr_table(language)
    folded = fold(name)
    return folded in names and (folded not in accented or name.lower().replace("’", "'") in accented[folded])


@functools.cache
def _calendar_words(language: str) -> frozenset[str]:
    """Weekday and month names (wide and abbreviated) in the language, folded, word by word."""
    return frozenset(w for name in calendar_names(language) for w in fold(name).replace("-", " ").split() if len(w) > 2)


# Zones named after a city; Antarctica's are research stations (Davis, Casey), Etc/ and the
# legacy US/, Canada/ … zones are no places ("Central", "Pacific").
_CITY_REGIONS = frozenset({"Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"})


@functools.cache
def cldr_version() -> str:
    """Babel's version: its CLDR data gives the keys of countries, languages and cities, so the
    entities cached under one version are not mixed with another's."""
    import babel

    return babel.__version__


@functools.cache
def _city_names() -> frozenset[str]:
    """Folded names of the world's main cities: the time zone database's ("America/New_York")
    and CLDR's names for them in every known language ("Nova York")."""
    import zoneinfo

    from babel import Locale

    cities = {_zone_city(zone) for zone in zoneinfo.available_timezones() if zone.split("/")[0] in _CITY_REGIONS}
    for code in CLDR_LANGUAGES:
        cities.update(names["city"] for names in Locale.parse(code).time_zones.values() if "city" in names)
    return frozenset(fold(city) for city in cities)


# The regions of the zones whose cities are topics: not the oceans' islands ("Atlantic/Canary":
# "the Canaries" is Norwich City; "Pacific/Norfolk", "Atlantic/Madeira").
_CONTINENTS = ("Africa/", "America/", "Asia/", "Australia/", "Europe/")


@functools.cache
def _city_zones() -> tuple[str, ...]:
    """The zones CLDR keeps whose city is a topic of its own: named otherwise in some language
    (an exonym: London, Londres; a name written alike everywhere, "Lima", "Darwin", "Phoenix",
    is a surname or a team as often, and needs no key to be one topic), and not after the
    country or island it is in, in any language ("America/St_Vincent": "São Vicente", of "São
    Vicente e Granadinas", is a city of São Paulo state too; "Atlantic/Faroe")."""
    from babel.core import get_global

    territory_of = get_global("zone_territories")
    zones = []
    for zone in sorted(z for z in territory_of if z.startswith(_CONTINENTS)):
        names = {code: city_name(zone, code) for code in ("en", *CLDR_LANGUAGES)}
        if len({fold(name) for name in names.values()}) == 1:
            continue
        if any(fold(locale_of(code).territories.get(territory_of[zone], "")).split()[:len(fold(name).split())]
               == fold(name).split() for code, name in names.items()):
            continue
        zones.append(zone)
    return tuple(zones)


@functools.cache
def _city_keys(language: str) -> dict[str, str]:
    """Folded name -> 'city:<zone>' for ``_city_zones``, by their CLDR names as the article's
    language and the pivot write them ("London", "Londres"): one city, one topic on every site.
    Not a third language's ("Roma" in English news is the football club, not Rome)."""
    codes = [code for code in CLDR_LANGUAGES if code == language or LANGUAGES[code].pivot]
    keys: dict[str, str] = {}
    for zone in _city_zones():
        for code in codes:
            keys.setdefault(fold(city_name(zone, code)), f"city:{zone}")
    return keys


def _zone_city(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")


@functools.lru_cache(maxsize=4096)
def city_name(zone: str, language: str) -> str:
    """A city as CLDR names it in ``language`` (English, else the zone's own name, where CLDR has
    no other, or no name a topic can have: "Yangón (Rangún)"): 'Europe/London' -> 'Londres' in
    Portuguese."""
    for code in (language, "en"):
        name = locale_of(code).time_zones.get(zone, {}).get("city", "")
        if safe_tag(name):
            return name
    return _zone_city(zone)


@functools.cache
def _subdivision_names() -> frozenset[str]:
    """Folded names of the world's states, provinces and regions: ISO 3166-2's first level
    (from pycountry, which sumy requires), "Rio Grande do Sul", "Minas Gerais", "Bayern"; not
    the districts and towns below them (Liverpool, Sevilla: football clubs' names too)."""
    import pycountry

    return frozenset(fold(subdivision.name.split(" [")[0]) for subdivision in pycountry.subdivisions
                     if not subdivision.parent_code)


def is_place(key: str) -> bool:
    """A country, territory, state or province, or main city: where something happened, not
    what it is about."""
    return key.startswith(("country:", "city:")) or (key.startswith("name:") and (key[5:] in _city_names()
                                                                                   or key[5:] in _subdivision_names()))


def display_name(key: str, shown: str, language: str) -> str:
    """An entity as shown on a site in ``language``: CLDR's name for countries, territories,
    languages and main cities; any other name as written (never translated)."""
    kind, _, code = key.partition(":")
    if kind == "city":
        return city_name(code, language)
    if kind in ("country", "language") and code:
        if code in SUBDIVISIONS:
            return SUBDIVISIONS[code].get(language, SUBDIVISIONS[code]["en"])
        locale = locale_of(language)  # a language CLDR does not know gets English names, like its page texts
        table = locale.territories if kind == "country" else locale.languages
        if code == "EU":
            return {"pt": "União Europeia", "es": "Unión Europea", "fr": "Union européenne",
                    "de": "Europäische Union", "it": "Unione europea"}.get(language, "European Union")
        return table.get(code) or shown
    return shown


@dataclass(frozen=True)
class Entities:
    counts: dict[str, int]
    """Entity key -> mentions (title mentions count twice)."""
    names: dict[str, str]
    """Entity key -> the name as the article writes it (its longest form)."""
    in_title: frozenset[str]
    defined: dict[str, str] = dataclasses.field(default_factory=dict)
    """Acronym key -> the key of the name the article spells it out as, "Partido dos
    Trabalhadores (PT)": ``collection_aliases`` reads an acronym as the name it is defined as."""


# An acronym in brackets right after a name: its definition ("Supremo Tribunal Federal (STF)").
_DEFINED = re.compile(r"\s*\(([A-Z]{2,6})\)")
# Two names joined by "e" / "and" and then defined ("Comissão de Constituição e Justiça (CCJ)").
_JOINED_DEFINED = re.compile(rf"({_NAME.pattern})\s+(?:e|and)\s+({_NAME.pattern}){_DEFINED.pattern}")


def _names_pattern(text: str, language: str) -> re.Pattern:
    """``_NAME`` (with middle initials in the languages that write them without a stop), or first
    the names of ``text`` joined by "e" / "and" that an acronym after them
    spells whole ("Comissão de Constituição e Justiça (CCJ)": one name, not "Comissão de
    Constituição" and "Justiça"), wherever the text writes them."""
    joined = set()
    for bracket in _DEFINED.finditer(text):  # only before an acronym: the search is ~5x cheaper
        match = _JOINED_DEFINED.search(text, max(0, bracket.start() - 120), bracket.end())
        if not match or match.end() != bracket.end():
            continue
        words = match.group(0)[:match.start(3) - match.start(0)].split()
        for start in range(len(match.group(1).split())):  # from a word of the first name
            if "".join(w[0] for w in words[start:] if w[0].isupper()) == match.group(3) and words[start][0].isupper():
                joined.add(" ".join(words[start:]).rstrip("( "))
                break
    name = _NAME_WITH_INITIALS if language in _INITIALS_WITHOUT_STOP else _NAME
    if not joined:
        return name
    names = "|".join(re.escape(name) for name in sorted(joined, key=len, reverse=True))
    # after a capitalized word too ("Na Comissão …", "US Food and Drug …"): _NAME would take the run first
    return re.compile(rf"(?:[A-ZÀ-ÖØ-Þ][\w'’-]+\s+){{0,2}}(?:{names})|{name.pattern}")


def _is_generic(name: str, language: str, lowercase_words: set[str]) -> bool:
    if fold(name) in OUTLETS:
        return True
    if name.isupper() and len(name) >= 2:
        return name in GENERIC_ACRONYMS  # an acronym ("US" is not the pronoun "us"), unless a thing's ("TV")
    words = fold(name).split()
    ignored = stop_words(language)
    calendar = _calendar_words(language)
    if all(w in GENERIC or w in ignored or w in calendar for w in words):
        return True
    return len(words) == 1 and (words[0] in lowercase_words or (len(words[0]) < 3 and not name.isupper()))


def _pieces(words: list[str], ignored: frozenset[str] = frozenset()) -> list[list[str]]:
    """A run of capitalized words split where one name ends and another begins: after a
    possessive ("Britain's | Kelly Holmes"), after a role ("UK Foreign Secretary | Jack Straw"),
    between an acronym or a capitalized heading and a name ("STF | Gilmar Mendes", "DELAÇÃO DA
    JBS | Joesley Batista"), after an institution named before its head ("Câmara | Eduardo Cunha")."""
    pieces: list[list[str]] = [[]]
    for index, word in enumerate(words):
        current = pieces[-1]
        following = words[index + 1] if index + 1 < len(words) else ""
        if word.endswith(("'s", "’s")):
            current.append(word[:-2])
            pieces.append([])
            continue
        if current and fold(word) in HONORIFICS and following[:1].isupper():
            pieces.append([])  # "Harrogate | Mr Kennedy": an honorific only ever opens a person's name
            current = pieces[-1]
        elif current and current[-1].isupper() and len(current[-1]) > 1 and word[:1].isupper() \
                and not word.isupper() and any(c.islower() for c in word) and index + 1 < len(words):
            pieces.append([])  # an acronym or heading, then a name of two words or more
            current = pieces[-1]
        current.append(word)
        after = words[index + 2] if index + 2 < len(words) else ""
        closes_institution = fold(word) in INSTITUTION_ENDINGS and any(  # "Casa Civil", not "(The) Federal Reserve"
            fold(w) not in ignored for w in current[:-1])
        if (fold(word) in TITLES or fold(word) in INSTITUTIONS or closes_institution) and following[:1].isupper() \
                and after[:1].isupper() and fold(following) not in NAME_PARTICLES and fold(after) not in NAME_PARTICLES:
            pieces.append([])  # "Secretary Jack Straw", "Câmara Eduardo Cunha", "Casa Civil José Dirceu": a name
    return [piece for piece in pieces if piece]


# Number words are part of the names they start ("Six Nations", "Três Poderes"), though stop words.
_NUMBER_WORDS = """
one two three four five six seven eight nine ten eleven twelve twenty hundred thousand
um uma dois duas tres quatro cinco seis sete oito nove dez onze doze vinte cem mil
"""
NUMBER_WORDS = frozenset(_NUMBER_WORDS.split())


def _is_prefix(word: str, ignored: frozenset[str], calendar: frozenset[str], opens_sentence: bool) -> bool:
    """A word that stands before a name without being part of it: a stop word (not a number
    word) capitalized because it opens a sentence ("The Bank of England") or in lower case
    ("Presidente do Supremo"; anywhere else a capitalized stop word is the name's: "New
    York"), a title or role, a month or weekday
    ("In March Lord Goldsmith"), "ex-", or a compound modifier ("Paris-based LVMH", "Fly-half
    Andy Goode")."""
    folded = fold(word)
    head, hyphen, tail = word.partition("-")
    return ((opens_sentence or word[:1].islower()) and folded in ignored and folded not in NUMBER_WORDS) \
        or folded in TITLES \
        or folded in calendar or folded.startswith("ex-") or bool(hyphen and head and tail and tail.islower())


# Languages whose texts were read for headings and sentences run into the names before them
# (Fake.br's Portuguese lost its line breaks): elsewhere names end in short function words ("Swiss Re",
# "Dr No", Italian "Rai Tre", Spanish "Fórmula Uno") and capitals hold datelines ("UN WHO", "NEW YORK").
_RUN_IN_LANGUAGES = frozenset({"pt"})


# The one short word that folds to a function word and ends names: the see ("Santa Sé", "Praça da Sé").
_ENDS_NAMES = frozenset({"sé"})


def _ends_sentence_glued(word: str, language: str, ignored: frozenset[str]) -> bool:
    """A short function word ending a run of capitalized words: the first word of the next
    sentence, run into the name where a heading or line break was lost ("Delações da Odebrecht
    Ao ser questionado", "Michel Temer Se", "Às 10h")."""
    folded = fold(word)
    return language in _RUN_IN_LANGUAGES and len(folded) <= 3 and folded in ignored and folded not in NUMBER_WORDS \
        and word.lower() not in _ENDS_NAMES and not word.isupper()


def _is_heading(words: list[str], language: str, ignored: frozenset[str], written: set[str]) -> bool:
    """A heading in capitals with a function word ("LEIA MAIS", "DELAÇÃO DA JBS"), not a name the
    text also writes in small letters (``written``: its runs, folded), as a dateline's city ("RIO DE
    JANEIRO -" where it writes "Rio de Janeiro"), nor a place CLDR names."""
    name = " ".join(words)
    return language in _RUN_IN_LANGUAGES and len(words) > 1 and name.isupper() \
        and any(fold(w) in ignored for w in words) and fold(name) not in written \
        and fold(name) not in _cldr_names(language) and fold(name) not in _city_keys(language)


def _opens_before_name(words: list[str], lowercase_words: set[str], runs: Counter) -> bool:
    """A word the text also writes in lower case, capitalized because it opens the sentence,
    before a name the text also writes as a run of its own (``runs``: its runs of capitalized
    words): "Diz Sérgio Moro: …" and "Além de Temer, …" were topics; "Casa Branca", "Rio
    Grande do Sul", "White House" (beside "House of Representatives") are not named without
    their first word."""
    rest = words[1:]
    while rest and rest[0][:1].islower():  # "Além | de Temer": the name is "Temer"
        rest = rest[1:]
    return bool(rest) and fold(words[0]) in lowercase_words and runs[" ".join(rest)] > 0


# A division of a court named with it ("Oitava Turma do TRF-4", "Segunda Turma do STF"): the
# court is the topic ("Turma do TRF-4" was a top-60 topic that "TRF-4" merged into). The court
# is an acronym or named as one ("Supremo", "Tribunal", "Corte"): "Turma da Mônica" is a comic.
_DIVISIONS = frozenset({"turma"})
_COURT_WORDS = frozenset({"supremo", "tribunal", "corte"})


def _without_division(words: list[str]) -> list[str]:
    for index, word in enumerate(words[:-2]):
        court = words[index + 2]
        if fold(word) in _DIVISIONS and fold(words[index + 1]) in NAME_PARTICLES \
                and (court.isupper() or fold(court) in _COURT_WORDS):
            return words[index + 2:]
    return words


# A code of letters and a number, with a hyphen or without ("TRF-4" / "TRF4", "Covid-19" /
# "COVID19"), folded: one name however it is written.
_CODE = re.compile(r"[a-z]{1,6}-?\d{1,3}[a-z]?")


def _after_series_letter(words: list[str], language: str) -> list[str]:
    """A capital letter between two words of a name is a series' letter, not an initial, after a
    generic word or before a place ("Group B England", "Pool C Wales"): the name is what follows."""
    for index in range(1, len(words) - 1):
        rest = fold(" ".join(words[index + 1:]))
        if len(words[index]) == 1 and (fold(words[index - 1]) in GENERIC or rest in _cldr_names(language)
                                       or is_place(f"name:{rest}")):
            return words[index + 1:]
    return words


def _written_alone(titled: list[str], text: str) -> bool:
    """Whether the last word of ``titled`` (a title and a name) is in ``text`` more often than
    ``titled`` itself: a person named again by surname ("General Musharraf … Musharraf said"),
    not a company ("General Motors" names no "Motors")."""
    def count(words: str) -> int:
        return len(re.findall(rf"\b{re.escape(words)}\b", text))
    return count(titled[-1]) > count(" ".join(titled))


def _name_key(folded: str) -> str:
    """The key of a name (folded): a code with its hyphen or without ("TRF-4" / "TRF4"); in a name
    of several words a hyphen is a space ("Procuradoria-Geral da República" / "Procuradoria Geral
    …": one topic, not two), in one word it joins two names ("Bush-Blair" is no name of Bush's)."""
    if _CODE.fullmatch(folded):
        return f"name:{folded.replace('-', '')}"
    return f"name:{folded.replace('-', ' ') if ' ' in folded else folded}"


def find_entities(title: str, text: str, language: str) -> Entities:
    """The article's entities, their aliases merged (see the module's documentation)."""
    lowercase_words = {fold(w) for w in set(re.findall(r"\b[a-zà-öø-ÿ][\w'’-]+", text))}
    ignored = stop_words(language)
    mentions: list[tuple[str, bool]] = []  # (name as written, in title)
    definitions: list[tuple[str, str]] = []  # (acronym, the name before it), generic names too ("Polícia Federal")
    name_pattern = _names_pattern(text, language)
    runs = Counter(" ".join(match.group(0).split())
                   for _, chunk in _chunks(text) for match in name_pattern.finditer(chunk))
    written = {fold(run) for run in runs if not run.isupper()}  # names the text writes in small letters too
    for source, is_title in ((title, True), (text, False)):
        for sentence_start, chunk in _chunks(source):
            for match in name_pattern.finditer(chunk):
                first_piece = True
                for words in _pieces(" ".join(match.group(0).split()).strip("'’-").split(), ignored):
                    words = _after_series_letter(words, language)
                    at_start = first_piece and match.start() == sentence_start
                    first_piece = False
                    opens = at_start
                    while words and not words[0].isupper() and fold(" ".join(words)) not in _cldr_names(language) \
                            and (_is_prefix(words[0], ignored, _calendar_words(language), opens)
                                 or opens and _opens_before_name(words, lowercase_words, runs)) \
                            and not (fold(words[0]) in COMPANY_TITLES and not _written_alone(words, text)):
                        words = words[1:]  # "The Bank of England", "President Lula", "In March Lord Goldsmith"
                        opens = False  # the next word is capitalized for its name: "But New York", "In The Hague"
                    while words and (fold(words[-1]) in _TRAILING or len(words) > 1 and _ends_sentence_glued(
                            words[-1], language, ignored)):
                        words = words[:-1]
                    words = _without_division(words)
                    if not words or fold(words[-1]) in TITLES:
                        continue  # nothing left, or a role ("Home Secretary"), not a name
                    if at_start and len(words) == 1 and (words[0] == match.group(0) or fold(
                            (match.group(0).split() + [""])[1]) in HONORIFICS) and not is_title \
                            and fold(words[0]) not in _cldr_names(language) and not words[0].isupper():
                        continue  # a sentence's first word: not known to be a name ("Analysing | Mr Brown")
                    name = " ".join(words)
                    if _is_heading(words, language, ignored, written):
                        continue
                    if _SAFE_TAG.match(name) and not _is_generic(name, language, lowercase_words):
                        mentions.append((name, is_title))
                bracket = _DEFINED.match(chunk, match.end())
                if bracket:
                    definitions.append((bracket.group(1), match.group(0)))
    mentions = _unglued(mentions, language)
    # Aliases: full names first (longest), then acronyms and single words that abbreviate them.
    full_names = sorted({n for n, _ in mentions if " " in n}, key=lambda n: (-len(n.split()), n))
    mentioned = Counter(n for n, _ in mentions)
    first_named: dict[str, int] = {}
    for number, (n, _) in enumerate(mentions):
        first_named.setdefault(n, number)
    cldr, cities = _cldr_names(language), _city_keys(language)

    def named_key(folded: str) -> str:
        return cities.get(folded) or _name_key(folded)

    def key_of(name: str) -> tuple[str, str]:
        folded = fold(name)
        if _is_cldr_name(name, language):
            return cldr[folded], name
        if folded in NICKNAMES:
            return f"name:{fold(NICKNAMES[folded])}", NICKNAMES[folded]
        if name.isupper() and 2 <= len(name) <= 6:
            for full in full_names:
                initials = "".join(w[0] for w in full.split() if w[0].isupper())
                if initials == name:
                    return named_key(fold(full)), full
        if " " not in name:
            # the longest full name ("Lula": Luiz Inácio Lula da Silva, not Instituto Lula), of those the
            # one the article names most ("Cerveró": Nestor Cerveró, named ten times, not his son
            # Bernardo, once; the alphabet chose Bernardo), then the first named
            holding = [full for full in full_names if name in full.split() and fold(full) not in cldr]
            if holding:
                full = max(holding, key=lambda n: (len(n.split()), mentioned[n], -first_named[n]))
                return named_key(fold(full)), full
        # after the person it may be part of: "Paris" is Paris Hilton where the article names her
        return named_key(folded), name

    counts: Counter = Counter()
    names: dict[str, str] = {}
    in_title: set[str] = set()
    keys_of: dict[str, tuple[str, str]] = {}
    for name, is_title in mentions:
        if name not in keys_of:  # a name is mentioned again and again: its key found once
            # interned: a build holds every article's entities until it has grouped them, and
            # articles share their names (30,000 articles: 963,000 keys, 53,000 of them distinct)
            key, shown = key_of(name)
            keys_of[name] = sys.intern(key), sys.intern(shown)
        key, shown = keys_of[name]
        counts[key] += 2 if is_title else 1
        if len(shown) > len(names.get(key, "")):
            names[key] = shown
        if is_title:
            in_title.add(key)
    defined: dict[str, str] = {}
    for acronym, run in definitions:
        words = run.split()
        for start in range(len(words) - 1):  # the end of the run that the acronym spells ("Presidente do | STF")
            if "".join(w[0] for w in words[start:] if w[0].isupper()) == acronym and words[start][0].isupper():
                folded = fold(" ".join(words[start:]))
                if folded not in cldr:
                    defined[f"name:{fold(acronym)}"] = _name_key(folded)
                break
    return Entities(dict(counts), names, frozenset(in_title), defined)


def _unglued(mentions: list[tuple[str, bool]], language: str) -> list[tuple[str, bool]]:
    """Mentions with a name run into the person named after it split in two, when the article
    names both alone: "o ex-diretor da Petrobras Nestor Cerveró" is Petrobras and Nestor Cerveró
    where it also writes "a Petrobras" and "Cerveró" (else every Petrobras of the article, and of
    the collection through ``collection_aliases``, was the glued name). The person is two
    capitalized words or more, named alone in full or by last name; the name before it is a place,
    a people or an acronym named alone, a name of three words or more named alone ("Rio de
    Janeiro"), or any name named alone twice — one word then only before a person named in full
    ("Lula Jacó Bittar"; not "Hillary Rodham Clinton", whose "Hillary" and "Clinton" are one
    person; a compound first name, "Maria Helena", is rarely named alone twice).
    "London Stock Exchange" stays whole: "Exchange" is not named alone."""
    alone = Counter(name for name, _ in mentions)
    split: list[tuple[str, bool]] = []
    for name, is_title in mentions:
        words = name.split()
        for cut in range(1, len(words) - 1):
            head, tail = words[:cut], words[cut:]
            named, person = alone[" ".join(head)], " ".join(tail)
            by_name = person in alone or tail[-1] in alone
            if tail[0][:1].isupper() and tail[1][:1].isupper() and (
                    (named and _place_or_acronym(head, language) and by_name)
                    or (named > 1 and (person in alone or (len(head) > 1 and by_name)))
                    or (named and len(head) > 2 and by_name)):
                split += [(" ".join(head), is_title), (person, is_title)]
                break
        else:
            split.append((name, is_title))
    return split


def _place_or_acronym(head: list[str], language: str) -> bool:
    """Whether the words before a person's name are a place or a people (CLDR: "Chile",
    "Italian") or an acronym ("PF"): no start of that person's name."""
    return fold(" ".join(head)) in _cldr_names(language) or (len(head) == 1 and head[0].isupper())


_BEFORE_SENTENCE = " \t\"'“”‘’«»([—–-"  # a sentence after a quotation starts after its closing mark


def _chunks(text: str):
    """(offset of the sentence start, sentence) pieces, by terminal punctuation and lines."""
    for match in re.finditer(r"[^.!?\n]+[.!?]*", text):
        chunk = match.group(0)
        yield len(chunk) - len(chunk.lstrip(_BEFORE_SENTENCE)), chunk


def topics(entities: Entities, limit: int = MAX_TAGS) -> tuple[str, ...]:
    """Up to ``limit`` entity keys, most mentioned first: an entity counts when the article
    mentions it twice, or once in its title."""
    def order(key: str) -> tuple[int, str]:
        # ties by key; a city as the name it was keyed by before it had a key of its own (as
        # "city:…" it sorted before every name and took the place of people in ties)
        return -entities.counts[key], f"name:{fold(entities.names[key])}" if key.startswith("city:") else key

    ranked = sorted(entities.counts, key=order)
    body = {k: entities.counts[k] - (2 if k in entities.in_title else 0) for k in ranked}
    chosen = [k for k in ranked if entities.counts[k] >= 2 and body[k] >= 1]
    return tuple(chosen[:limit])


def safe_tag(tag: str) -> str | None:
    """A tag as shown: only letters, digits, spaces and - . ' (it becomes a page name and a URL)."""
    tag = " ".join(tag.split())
    return tag if _SAFE_TAG.match(tag) else None


# Words for what a name is, or articles, that news writes before it or not ("a Operação Lava
# Jato" / "a Lava Jato", "the Davis Cup" / "Davis Cup"): collection_aliases.
_KIND_WORDS = frozenset({"operacao", "operation", "grupo", "group", "the", "os", "as"})


def collection_aliases(frequency: dict[str, int], defined: dict[str, Counter] | None = None) -> dict[str, str]:
    """Across a collection: a one-word name that is part of longer names ("Lula", "Temer") ->
    the longer name most articles use for it ("Luiz Inácio Lula da Silva"), when that one is
    used by at least half of the articles naming such a longer name and by two articles or
    more; an acronym two articles or more use -> the name the collection's articles define it as
    most often ("Partido dos Trabalhadores (PT)"; ``defined``: acronym key -> Counter of name
    keys), when that name is one of the collection's. An acronym no article defines stands for
    no name: of all the names with its initials, the most frequent was often another ("PF",
    Polícia Federal, read as Papa Francisco; "GM" as George Michael). ``frequency`` is entity
    key -> number of articles naming it; CLDR keys are left as they are."""
    defined = defined or {}
    names = {key: key[5:].split() for key in frequency if key.startswith("name:")}
    by_word: dict[str, list[str]] = {}
    for key, words in names.items():
        if len(words) > 1:
            for word in set(words):
                by_word.setdefault(word, []).append(key)
    aliases = {}
    for key, words in names.items():
        if len(words) > 1:
            continue  # a name of two words or more is a name of its own ("Port Harbor", not "Port Harbor United")
        candidates = []
        for other in by_word.get(words[0], ()):
            longer = names[other]
            # A word that names what a longer name is of ("Universidade de | Brasília", "Comissão de |
            # Constituição") is that longer name only when fewer articles name it alone: else it is
            # an entity of its own (the city, the Constitution). So is a surname after a particle
            # that more articles name alone than in full ("Amaral": 54 articles, "Delcídio do
            # Amaral": 48, not all of them about him); an article that names him in full still
            # merges its "Amaral" into the full name (find_entities).
            of_something = all(i > 0 and longer[i - 1] in NAME_PARTICLES for i, word in enumerate(longer)
                               if word == words[0]) and frequency[key] > frequency[other]
            # Nor is it a name run into a person the collection names more often alone ("Petrobras |
            # Nestor Cerveró"): where _unglued could not tell, every Petrobras of the collection
            # became Nestor Cerveró's. A first name and a surname ("Dilma | Rousseff") are no such run.
            rest = f"name:{' '.join(longer[1:])}"
            glued = longer[0] == words[0] and len(longer) > 2 and frequency.get(rest, 0) >= frequency[other]
            if not of_something and not glued:
                candidates.append(other)
        if not candidates:
            continue
        best = max(candidates, key=lambda c: (frequency[c], len(names[c]), c))
        if frequency[best] >= 2 and 2 * frequency[best] >= sum(frequency[c] for c in candidates):
            aliases[key] = best
    for key, words in names.items():
        # A name of two words or more after the word for its kind or an article ("Operação | Lava
        # Jato", "The | Davis Cup") is that name: one entity, named the way more articles name it.
        # Not after other generic words ("West Midlands", "National Football League", "Sunday
        # Times"), nor one word or a place ("Operação Rio", "Grupo Petrópolis", "Operação São Francisco").
        other = f"name:{' '.join(words[1:])}"
        if words[0] in _KIND_WORDS and len(words) > 2 and words[1] not in NAME_PARTICLES and other in names \
                and key not in aliases and other not in aliases and not is_place(other):
            if frequency[other] >= frequency[key]:
                aliases[key] = other
            else:
                aliases[other] = key
    for key, words in names.items():
        if key in aliases or len(words) != 1:
            continue
        word = words[0]
        singular = f"name:{word[:-3]}y" if word.endswith("ies") else f"name:{word[:-1]}" if word.endswith("s") else ""
        if singular in names and frequency[singular] >= frequency[key]:  # "Oscars" -> "Oscar", not "Santos" -> "Santo"
            aliases[key] = aliases.get(singular, singular)
        elif 2 <= len(word) <= 5 and frequency[key] >= 2 and key in defined:
            # an acronym -> the name it abbreviates ("PT" -> "Partido dos Trabalhadores"); one article's
            # acronym is not enough (a real build read Athletics Kenya's "KA" as Kingfisher Airlines)
            spelled = [name for name in defined[key] if name in names and name != key]
            if spelled:
                aliases[key] = max(spelled, key=lambda name: (defined[key][name], frequency[name], name))
    for key in list(aliases):  # to the end of a chain ("Lula" -> "Lula da Silva" -> the full name)
        seen = {key}
        while aliases[key] in aliases and aliases[key] not in seen:
            seen.add(aliases[key])
            aliases[key] = aliases[aliases[key]]
    return aliases


