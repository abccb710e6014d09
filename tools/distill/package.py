"""Turn a distilled student (.npz) into a genuine Argos Translate package (.argosmodel).

Steps: the SentencePiece vocabulary as the Marian vocab.yml that the converter wants;
`ct2-marian-converter --quantization int8`; then a zip with metadata.json, README.md, the
SentencePiece model and the sentence splitter (MiniSBD format) taken from the previous
package of the same pair, so argostranslate itself can split and translate offline.

usage: python package.py --student student.npz --spm VOCAB.spm --from en --to pt --version 0.2 \
           --previous ../../models/translate-en_pt.argosmodel --readme README.md --out translate-en_pt.argosmodel
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import sentencepiece

NAMES = {"en": "English", "pt": "Portuguese"}


def write_vocab_yml(spm_path: Path, out: Path) -> None:
    model = sentencepiece.SentencePieceProcessor(model_file=str(spm_path))
    lines = [f"{json.dumps(model.id_to_piece(i), ensure_ascii=False)}: {i}" for i in range(model.get_piece_size())]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--student", type=Path, required=True)
    parser.add_argument("--spm", type=Path, required=True)
    parser.add_argument("--from", dest="source", required=True)
    parser.add_argument("--to", dest="target", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--previous", type=Path, required=True, help="earlier package: its sentence splitter is kept")
    parser.add_argument("--readme", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    top = f"translate-{args.source}_{args.target}-{args.version.replace('.', '_')}"
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        vocab = scratch / "vocab.yml"
        write_vocab_yml(args.spm, vocab)
        converter = Path(sys.executable).with_name("ct2-marian-converter")
        subprocess.run([str(converter), "--model_path", str(args.student), "--vocab_paths", str(vocab), str(vocab),
                        "--output_dir", str(scratch / "model"), "--quantization", "int8"], check=True)
        metadata = {"package_version": args.version, "argos_version": "1.9",
                    "from_code": args.source, "from_name": NAMES[args.source],
                    "to_code": args.target, "to_name": NAMES[args.target], "type": "translate", "links": []}
        with zipfile.ZipFile(args.previous) as previous:
            splitter = {name.split("/", 1)[1]: previous.read(name) for name in previous.namelist()
                        if "/minisbd/" in name and not name.endswith("/")}
        partial = args.out.with_name(args.out.name + ".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{top}/metadata.json", json.dumps(metadata, indent=1))
            archive.writestr(f"{top}/README.md", args.readme.read_text(encoding="utf-8"))
            archive.write(args.spm, f"{top}/sentencepiece.model")
            for name, data in sorted(splitter.items()):
                archive.writestr(f"{top}/{name}", data)
            for path in sorted((scratch / "model").iterdir()):
                archive.write(path, f"{top}/model/{path.name}")
        partial.replace(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
