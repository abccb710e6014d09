"""Names the stages share: the outlets that publish news (never a topic, never an author's
place) and the particles inside people's and institutions' names. Read by ingest (authors) and
stories (entities): a change here reads the seeds again (ingest.ParsedFiles) and needs
stories.TERMS_VERSION bumped."""

from __future__ import annotations

# News outlets and agencies: who wrote an article, not what it is about (never a topic, never
# evidence that two articles report one event). An article's own source name is added to these.
OUTLETS = frozenset("""
g1|bbc|bbc news|bbc sport|bbc radio|bbc world|bbc brasil|bbc news online|reuters|afp|ap|associated press|
press association|estadao|estadao conteudo|agencia estado|ae|folha|folha de s.paulo|folha de sao paulo|uol|
agencia brasil|ebc|valor|valor economico|veja|o globo|globo|tv globo|globonews|rede globo|cnn|bloomberg|
the guardian|guardian|the times|financial times|ft|sky news|jovem pan|band|sbt|record|r7|terra|exame|epoca|
istoe|carta capital|nexo|el pais|agencia lusa|lusa|efe|dpa|xinhua|the economist|new york times|
the new york times|washington post|the washington post|wall street journal|the wall street journal|
o estado de s.paulo|o estado de s. paulo|estado de s. paulo|rbs tv|rpc|eptv|tv tem|tv anhanguera|tv bahia|
tv gazeta|tv vanguarda|tv tribuna|inter tv|tv mirante|tv verdes mares|tv cabo branco|tv integracao
""".replace("\n", "").split("|"))
OUTLETS = frozenset(" ".join(o.split()) for o in OUTLETS if o.strip())

NAME_PARTICLES = frozenset(["of", "de", "da", "do", "dos", "das", "del", "la", "van", "von", "al", "el", "bin", "e",
                            "and"])
