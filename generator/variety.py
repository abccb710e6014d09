"""One Portuguese per site: European forms of the models' output written the Brazilian way
(or, with ``portuguese = "pt-PT"``, the reverse where that is unambiguous).

The shipped en -> pt models write Brazilian Portuguese (their teacher's data was mostly
Brazilian) but sometimes a European word slips in ("autocarro" beside "ônibus"). No maintained
Python library converts between the two varieties (none in the package index searched for
this), so the table below is short and lexical: word pairs whose European form is never
Brazilian news usage, each from the differences listed in the Acordo Ortográfico de 1990
(spellings: "facto", "contacto", "registo", the acute accent of "económico" where Brazil
writes a circumflex) or from everyday vocabulary known to differ (transport, football,
telephones: "autocarro"/"ônibus", "golo"/"gol", "telemóvel"/"celular"). Names of countries and
cities come from CLDR (Babel's ``pt`` and ``pt_PT``: "Quénia"/"Quênia", "Moscovo"/"Moscou").
Words are replaced whole, in lower case or capitalized, never inside another word.
"""

from __future__ import annotations

import functools
import re

VARIETIES = ("pt-BR", "pt-PT")

# (European, Brazilian, reversible): reversible pairs are also written back for pt-PT; a
# Brazilian word that is also European in another sense ("tela": canvas; "time") is not.
# Not here, though European for "train" and "fridge": "comboio" (a convoy) and "frigorífico"
# (a meat-packing plant) are Brazilian news words too (16 and 100 times in Fake.br's 3,211
# articles, beside "trem" 58 and "geladeira" 17).
_PAIRS: tuple[tuple[str, str, bool], ...] = (
    # everyday vocabulary
    ("autocarro", "ônibus", True), ("autocarros", "ônibus", False),
    ("equipa", "equipe", True), ("equipas", "equipes", True),
    ("telemóvel", "celular", False), ("telemóveis", "celulares", False),
    ("ecrã", "tela", False), ("ecrãs", "telas", False),
    ("utilizador", "usuário", True), ("utilizadores", "usuários", True),
    ("guarda-redes", "goleiro", True),
    ("golo", "gol", True), ("golos", "gols", True),
    ("pequeno-almoço", "café da manhã", True),
    ("casa de banho", "banheiro", True),
    ("rapariga", "garota", True), ("raparigas", "garotas", True),
    ("sumo", "suco", True),
    ("relvado", "gramado", True),
    ("portagem", "pedágio", True), ("portagens", "pedágios", True),
    ("passadeira", "faixa de pedestres", True),
    ("camião", "caminhão", True), ("camiões", "caminhões", True),
    # spelling (Acordo Ortográfico de 1990: consonants Brazil does not write; -isto/-ista kept)
    ("facto", "fato", False), ("factos", "fatos", False),
    ("contacto", "contato", True), ("contactos", "contatos", True),
    ("registo", "registro", True), ("registos", "registros", True),
    ("registar", "registrar", True), ("registou", "registrou", True), ("registaram", "registraram", True),
    ("registado", "registrado", True), ("registada", "registrada", True),
    ("acção", "ação", False), ("acções", "ações", False),
    ("direcção", "direção", False), ("actual", "atual", False), ("actualmente", "atualmente", False),
    ("óptimo", "ótimo", False), ("objectivo", "objetivo", False), ("objectivos", "objetivos", False),
    ("eléctrico", "elétrico", False), ("eléctrica", "elétrica", False),
    ("projecto", "projeto", False), ("projectos", "projetos", False),
    ("director", "diretor", False), ("directora", "diretora", False),
    ("bebé", "bebê", True), ("bebés", "bebês", True),
    ("ténis", "tênis", True),
)

# Acute accents where Brazil writes a circumflex, before m or n (económico / econômico):
# (European ending, Brazilian ending) of lower-case words.
_ENDINGS: tuple[tuple[str, str], ...] = (
    ("ónico", "ônico"), ("ónica", "ônica"), ("ónicos", "ônicos"), ("ónicas", "ônicas"),
    ("ómico", "ômico"), ("ómica", "ômica"), ("ómicos", "ômicos"), ("ómicas", "ômicas"),
    ("émico", "êmico"), ("émica", "êmica"), ("émicos", "êmicos"), ("émicas", "êmicas"),
    ("ómeno", "ômeno"), ("ómenos", "ômenos"), ("ónimo", "ônimo"), ("ónimos", "ônimos"),
    ("ónomo", "ônomo"), ("ónoma", "ônoma"), ("ónomos", "ônomos"), ("ónomas", "ônomas"),
    ("ónio", "ônio"), ("ónios", "ônios"), ("énio", "ênio"), ("énios", "ênios"),
    ("prémio", "prêmio"), ("prémios", "prêmios"), ("género", "gênero"), ("géneros", "gêneros"),
)


_BRAZILIAN_TOO = frozenset({"Daca", "Adis-Abeba", "Tajiquistão"})
"""CLDR's European forms that Brazilian news writes too (Fake.br: "Daca" 13 times, "Dacca" 3;
"Adis-Abeba" 6, "Adis Abeba" 8; "Tajiquistão" 4, "Tadjiquistão" 0): left as written. Counted
for every European form of the table; the others are rare there ("Nova Iorque" 8 against
"Nova York" 173, "Irão" 1 against "Irã" 166)."""


@functools.cache
def _place_names() -> tuple[tuple[str, str], ...]:
    """(European, Brazilian) names of territories and time-zone cities where CLDR's ``pt_PT``
    and ``pt`` differ as spellings of one name: not where one's words are among the other's ("Salvador" is
    El Salvador in Portugal, a city in Brazil), the European one is the English name ("Madrid":
    Real Madrid keeps it), or the two begin differently (another name: "Ilhas Falkland")."""
    from babel import Locale

    brazilian, european, english = Locale("pt"), Locale("pt", "PT"), Locale("en")
    candidates = [(european.territories.get(code), name, english.territories.get(code))
                  for code, name in brazilian.territories.items()
                  if code.isalpha() and not code.startswith(("X", "Q"))]  # X*, Q*: private-use codes
    candidates += [(european.time_zones.get(zone, {}).get("city"), names.get("city"),
                    english.time_zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " "))
                   for zone, names in brazilian.time_zones.items() if not zone.startswith("Etc/")]
    pairs: dict[str, str] = {}
    for pt_pt, pt_br, in_english in candidates:
        if (not pt_pt or not pt_br or pt_pt == pt_br or pt_pt in _BRAZILIAN_TOO
                or pt_pt.casefold() == (in_english or "").casefold()):
            continue
        words_pt, words_br = set(pt_pt.casefold().split()), set(pt_br.casefold().split())
        if words_pt <= words_br or words_br <= words_pt:
            continue
        if pt_pt[0].casefold() == pt_br[0].casefold():
            pairs.setdefault(pt_pt, pt_br)
    return tuple(sorted(pairs.items()))


@functools.cache
def _table(variety: str) -> tuple[re.Pattern, dict[str, str]]:
    """One pattern of the words to replace in ``variety``'s site, and their replacements."""
    if variety == "pt-BR":
        words = {pt: br for pt, br, _ in _PAIRS} | dict(_place_names())
        endings = dict(_ENDINGS)
    elif variety == "pt-PT":
        words = {br: pt for pt, br, reversible in _PAIRS if reversible} | {br: pt for pt, br in _place_names()}
        endings = {}  # "ônico" is Brazilian, but "-ônio" (Antônio) may be a name: words only
    else:
        raise ValueError(f"unknown Portuguese variety {variety!r}: expected one of {', '.join(VARIETIES)}")
    words.update({w[0].upper() + w[1:]: r[0].upper() + r[1:] for w, r in list(words.items())})
    alternatives = [re.escape(w) for w in sorted(words, key=len, reverse=True)]
    alternatives += [rf"[^\W\d_]*{re.escape(e)}" for e in sorted(endings, key=len, reverse=True)]
    table = dict(words)
    table.update({f"*{e}": r for e, r in endings.items()})
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])"), table


def _replacement(match: re.Match, table: dict[str, str]) -> str:
    word = match.group(0)
    if word in table:
        return table[word]
    for ending, replacement in ((e, r) for e, r in table.items() if e.startswith("*")):
        if word.endswith(ending[1:]) and word[0].islower():
            return word[: -len(ending) + 1] + replacement
    return word


def normalize(text: str, variety: str = "pt-BR") -> str:
    """``text`` with the other variety's forms of the table written in ``variety``."""
    pattern, table = _table(variety)
    return pattern.sub(lambda m: _replacement(m, table), text)


def other_forms(text: str, variety: str = "pt-BR") -> list[str]:
    """The words of ``text`` that ``normalize`` would change: forms of the other variety."""
    pattern, table = _table(variety)
    return [m.group(0) for m in pattern.finditer(text) if _replacement(m, table) != m.group(0)]
