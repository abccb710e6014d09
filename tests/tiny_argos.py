"""Builds a tiny but genuine Argos Translate package for the tests.

The package has everything a real one has: a character-level SentencePiece model
(trained here on a few lines), a CTranslate2 Transformer (1 encoder + 1 decoder layer)
and a MiniSBD sentence splitter, zipped as ``.argosmodel``. Its weights are set by hand
so that the output is a known function of the input: it copies the sentence character
by character, upper-cased. Tests can then assert exact translated text.

How the weights do that: the model dimension is [one-hot token | one-hot position].
Every attention and feed-forward block is zeroed except the decoder's cross-attention,
whose query (decoder position t) matches only the key of source position t, and whose
value carries that source token; the output projection maps token c to upper(c).
The source gets </s> appended, which is copied too and ends decoding. Building takes
about a second and the package is ~20 KB zipped.
"""

from __future__ import annotations

import json
import string
import tempfile
import zipfile
from pathlib import Path

import numpy as np

# Characters the tiny model knows; anything else is copied unchanged by replace_unknowns.
_ALPHABET = (
    string.ascii_letters + string.digits + string.punctuation
    + "ÀÁÂÃÄÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜàáâãäçèéêëìíîïñòóôõöùúûüºª«»“”‘’–—…¿¡"
)
MAX_POSITIONS = 512

# The rule-based splitter shipped inside the project's real en->pt package (PROVENANCE.md):
# a MiniSBD-format ONNX model that argostranslate loads offline.
_SPLITTER_SOURCE = Path(__file__).resolve().parent.parent / "models" / "translate-en_pt.argosmodel"


def _output_character(ch: str, changes_digits: bool) -> str:
    if changes_digits and ch in string.digits:
        return str((int(ch) + 1) % 10)
    return ch.upper() if len(ch.upper()) == 1 and ch.upper() in _ALPHABET else ch


def expected_translation(text: str, changes_digits: bool = False) -> str:
    """What the tiny model outputs for one sentence (argostranslate's decoder turns "_" into a space)."""
    return "".join(_output_character(ch, changes_digits) for ch in text).replace("_", " ")


def _train_sentencepiece(prefix: Path) -> list[str]:
    import sentencepiece as spm

    lines = [_ALPHABET[i : i + 40] + " " + _ALPHABET[i + 5 : i + 25] for i in range(0, len(_ALPHABET), 10)]
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_prefix=str(prefix), model_type="char",
        vocab_size=len(set(_ALPHABET)) + 4, character_coverage=1.0, normalization_rule_name="identity",
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1, minloglevel=2,
    )
    processor = spm.SentencePieceProcessor(model_file=f"{prefix}.model")
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _uppercase_transformer(vocabulary: list[str], output_dir: Path, changes_digits: bool) -> None:
    from ctranslate2.specs import transformer_spec

    size, positions = len(vocabulary), MAX_POSITIONS
    dim = size + positions
    spec = transformer_spec.TransformerSpec.from_config((1, 1), 1, pre_norm=True)
    encoder, decoder = spec.encoder, spec.decoder

    def zeros(*shape):
        return np.zeros(shape, np.float32)

    def layer_norm(spec_):
        spec_.gamma, spec_.beta = np.ones(dim, np.float32), zeros(dim)

    def linear(spec_, out, inp):
        spec_.weight, spec_.bias = zeros(out, inp), zeros(out)

    position_table = zeros(positions, dim)
    position_table[np.arange(positions), size + np.arange(positions)] = 1
    token_table = zeros(size, dim)
    token_table[np.arange(size), np.arange(size)] = 1
    encoder.embeddings[0].weight, encoder.scale_embeddings = token_table, False
    encoder.position_encodings.encodings = position_table
    decoder.embeddings.weight, decoder.scale_embeddings = zeros(size, dim), False
    decoder.position_encodings.encodings = position_table
    for layer in (encoder.layer[0], decoder.layer[0]):
        layer_norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * dim, dim)
        linear(layer.self_attention.linear[1], dim, dim)
        layer_norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, 4, dim)
        linear(layer.ffn.linear_1, dim, 4)
    layer_norm(encoder.layer_norm)
    layer_norm(decoder.layer_norm)
    cross = decoder.layer[0].attention
    layer_norm(cross.layer_norm)
    linear(cross.linear[0], dim, dim)
    cross.linear[0].weight[size:, size:] = 20 * np.eye(positions)  # sharp: position t attends to t
    linear(cross.linear[1], 2 * dim, dim)
    cross.linear[1].weight[size:dim, size:] = np.eye(positions)  # keys: positions
    cross.linear[1].weight[dim : dim + size, :size] = np.eye(size)  # values: tokens
    # Past the end of the source no position matches; a constant query on the </s> key
    # makes such steps attend to </s> and stop, so beam search ends as soon as greedy does.
    eos = vocabulary.index("</s>")
    cross.linear[0].bias[eos] = 70.0
    cross.linear[1].weight[eos, eos] = 1.0
    linear(cross.linear[2], dim, dim)
    cross.linear[2].weight[:size, :size] = np.eye(size)
    index = {token: i for i, token in enumerate(vocabulary)}
    projection = zeros(size, dim)
    for token, i in index.items():
        output = _output_character(token, changes_digits) if len(token) == 1 else token
        projection[index.get(output, i), i] = 10.0
    linear(decoder.projection, size, dim)
    decoder.projection.weight = projection
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.config.add_source_eos = True
    spec.validate()
    spec.optimize(quantization="int8")
    output_dir.mkdir(parents=True)
    spec.save(str(output_dir))


def build_tiny_package(destination: Path, from_code: str, to_code: str, changes_digits: bool = False) -> Path:
    """Write ``translate-<from>_<to>.argosmodel`` into ``destination`` and return its path.
    With ``changes_digits`` the model turns every digit into the next one (9 into 0), the way a
    weak model changes "531.7" into "541.7": a genuine model that always fails the number check."""
    name = f"translate-{from_code}_{to_code}"
    with tempfile.TemporaryDirectory() as work:
        root = Path(work) / name
        root.mkdir()
        vocabulary = _train_sentencepiece(root / "sentencepiece")
        (root / "sentencepiece.vocab").unlink()
        _uppercase_transformer(vocabulary, root / "model", changes_digits)
        (root / "minisbd").mkdir()
        with zipfile.ZipFile(_SPLITTER_SOURCE) as real:
            splitter = next(n for n in real.namelist() if n.endswith("minisbd/rules.onnx"))
            (root / "minisbd" / "rules.onnx").write_bytes(real.read(splitter))
        metadata = {
            "package_version": "0.0.1", "argos_version": "1.9", "type": "translate",
            "from_code": from_code, "from_name": from_code, "to_code": to_code, "to_name": to_code,
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2))
        (root / "README.md").write_text("Test package: copies its input upper-cased"
                                        + (", digits changed.\n" if changes_digits else ".\n"))
        destination.mkdir(parents=True, exist_ok=True)
        archive = destination / f"{name}.argosmodel"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(root.rglob("*")):
                zipped.write(path, str(path.relative_to(Path(work))))
    return archive
