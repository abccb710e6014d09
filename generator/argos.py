"""Argos Translate packages: validated, installed and opened safely, run through CTranslate2.

Models are ``.argosmodel`` files in the project's model folder, installed (validated,
atomically) into a package folder under the work dir; nothing is ever downloaded here.
Each package is opened with argostranslate's own ``Package`` (metadata, SentencePiece or
BPE tokenizer) and its CTranslate2 model is run directly with ``translate_iterable`` over
many sentences at once: summaries are already split into sentences, so argostranslate's
sentence splitter (which would fetch a model) is never needed, and batching is what makes
translation fast.
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from . import paths
from .config import Config, is_language_code
from .errors import ExecutorError, InvalidModelPackage, ModelFailure
from .filehashes import file_sha256
from .memory import relax_allocator

log = logging.getLogger(__name__)

_MAX_UNPACKED_BYTES = 2_000_000_000  # far above any real Argos package; stops zip bombs
_MAX_COMPRESSION_RATIO = 50  # int8 weights barely compress; a zip bomb expands 1000-fold


@dataclass(frozen=True)
class Decoding:
    """How CTranslate2 searches for a translation."""

    beam_size: int = 1
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    max_decoding_length: int = 512
    """Tokens; CTranslate2's default of 256 cuts long sentences."""
    num_hypotheses: int = 1
    """Translations returned per sentence, best first (the n-best choice; at most beam_size
    unless sampling)."""
    sampling_topk: int = 1
    """1: search (greedy or beam); more: sample among the k likeliest tokens."""
    sampling_temperature: float = 1.0

    def options(self) -> dict:
        return dataclasses.asdict(self)


_ARGOS_FOLDERS = {"ARGOS_PACKAGES_DIR": "packages", "XDG_DATA_HOME": "data", "XDG_CONFIG_HOME": "config",
                  "XDG_CACHE_HOME": "cache"}


def import_argostranslate(work_dir: Path | None = None):
    """The ``argostranslate`` module, imported with its folders inside the project's work
    folder (or a scratch folder, removed as the process exits): it reads these variables once,
    at import, and creates its folders there. They are set for the import only, so MkDocs and
    other subprocesses never inherit them."""
    if "argostranslate.package" not in sys.modules:
        if work_dir is not None:
            paths.claim(work_dir, "work_dir")
            base = work_dir / "argos"
        else:  # a scratch folder for this process, removed as it exits
            base = Path(tempfile.mkdtemp(prefix="argos-", dir=_worker_directory()))
            atexit.register(shutil.rmtree, base, ignore_errors=True)
        saved = {name: os.environ.get(name) for name in _ARGOS_FOLDERS}
        os.environ.update({name: str(base / folder) for name, folder in _ARGOS_FOLDERS.items()})
        try:
            import argostranslate.package
            import argostranslate.settings  # noqa: F401  (read by 'models add LANG')
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    return sys.modules["argostranslate"]


def package_name(from_code: str, to_code: str) -> str:
    """How packages are named, as files (.argosmodel) and installed folders."""
    return f"translate-{from_code}_{to_code}"


def validate_package_zip(archive: zipfile.ZipFile) -> tuple[str, dict]:
    """Check an .argosmodel before anything is written: (top-level folder, metadata).

    Refuses paths that leave the package folder, links, oversized contents and packages
    without metadata, a CTranslate2 model and a tokenizer."""
    members = archive.infolist()
    tops = {PurePosixPath(m.filename).parts[0] for m in members if m.filename.strip("/")}
    if len(tops) != 1:
        raise InvalidModelPackage("expected exactly one top-level folder in the archive")
    top = tops.pop()
    if top in (".", "..") or "\\" in top:
        raise InvalidModelPackage(f"bad top-level folder name {top!r}")
    total = 0
    for member in members:
        path = PurePosixPath(member.filename)
        if path.is_absolute() or ".." in path.parts or "\\" in member.filename:
            raise InvalidModelPackage(f"path {member.filename!r} escapes the package folder")
        if (member.external_attr >> 16) & 0o170000 == 0o120000:
            raise InvalidModelPackage(f"{member.filename!r} is a symbolic link")
        total += member.file_size
        if member.file_size > 10_000_000 and member.file_size > _MAX_COMPRESSION_RATIO * member.compress_size:
            raise InvalidModelPackage(f"{member.filename!r} expands {member.file_size // max(1, member.compress_size)}"
                                      "-fold: refused as a zip bomb")
    if total > _MAX_UNPACKED_BYTES:
        raise InvalidModelPackage(f"unpacks to {total:,} bytes, over the {_MAX_UNPACKED_BYTES:,}-byte limit")
    names = {m.filename for m in members}
    for required in ("metadata.json", "model/model.bin"):
        if f"{top}/{required}" not in names:
            raise InvalidModelPackage(f"missing {required}")
    if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
        raise InvalidModelPackage("missing sentencepiece.model (or bpe.model)")
    try:
        metadata = json.loads(archive.read(f"{top}/metadata.json"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidModelPackage(f"metadata.json is not valid JSON: {exc}") from exc
    if not isinstance(metadata, dict) or not all(
        is_language_code(metadata.get(k)) for k in ("from_code", "to_code")
    ):
        raise InvalidModelPackage("metadata.json needs from_code and to_code language codes")
    return top, metadata


def package_metadata(archive_path: Path) -> tuple[str, dict]:
    """Validate an .argosmodel without unpacking anything: (top-level folder, metadata)."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            return validate_package_zip(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InvalidModelPackage(f"{archive_path.name}: not a zip archive ({exc})") from exc
    except InvalidModelPackage as exc:
        raise InvalidModelPackage(f"{archive_path.name}: {exc}") from exc


def install_package(archive_path: Path, packages_dir: Path) -> Path:
    """Install one .argosmodel into ``packages_dir`` atomically; returns the package folder.

    The package is unpacked into a temporary folder beside its destination and renamed
    into place, so a failure leaves either the old package or none, never half of one."""
    sha = file_sha256(archive_path)
    top, metadata = package_metadata(archive_path)
    with zipfile.ZipFile(archive_path) as archive:
        destination = packages_dir / package_name(metadata["from_code"], metadata["to_code"])
        stamp = destination / ".polydigest-source.json"
        if stamp.exists() and json.loads(stamp.read_text()).get("sha256") == sha:
            return destination
        packages_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=packages_dir))
        try:
            archive.extractall(staging)
            unpacked = staging / top
            (unpacked / ".polydigest-source.json").write_text(
                json.dumps({"sha256": sha, "file": archive_path.name}, sort_keys=True)
            )
            if destination.exists():
                retired = staging / "previous"
                destination.rename(retired)
            unpacked.rename(destination)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    log.info("installed %s -> %s", archive_path.name, destination.name)
    return destination


@dataclass
class TranslationModel:
    """One installed Argos package, loaded once per process."""

    path: Path
    from_code: str
    to_code: str
    sha256: str
    archive: Path | None = None
    """The .argosmodel it was installed from (sent to Dask workers)."""
    shortlist: bool = False
    """The package holds a vocabulary map (``model/vmap.txt``, the teacher's lexical shortlist):
    each step scores ~1,000 likely target tokens instead of 32,000, 1.6 times faster on news
    with 589 of 600 sentences unchanged (tools/distill/shortlist.py)."""
    _package: Any = field(default=None, repr=False)
    _translator: Any = field(default=None, repr=False)

    @classmethod
    def open(cls, path: Path) -> TranslationModel:
        package = import_argostranslate().package.Package(path)
        stamp = path / ".polydigest-source.json"
        sha = json.loads(stamp.read_text())["sha256"] if stamp.exists() else file_sha256(path / "model" / "model.bin")
        return cls(path, package.from_code, package.to_code, sha, shortlist=(path / "model" / "vmap.txt").is_file(),
                   _package=package)

    @property
    def identity(self) -> str:
        return f"{self.from_code}-{self.to_code}-{self.sha256}"

    def translator(self, threads: int):
        if self._translator is None:
            self._translator = self._load(threads)
        return self._translator

    def _load(self, threads: int):
        import ctranslate2

        # Several single-threaded replicas beat one multi-threaded one on sentence batches.
        return ctranslate2.Translator(str(self.path / "model"), device="cpu", compute_type="int8",
                                      inter_threads=threads, intra_threads=1)

    def unload(self) -> None:
        """Free the CTranslate2 model (about 60 MB); the next translation loads it again."""
        self._translator = None

    def translate(self, sentences: list[str], decoding: Decoding, threads: int) -> list[str]:
        """Translate sentences in batches; one output per input, in order. Raises
        ``ModelFailure`` when CTranslate2 rejects the input (never for lack of memory)."""
        return [hypotheses[0][0] for hypotheses in self.candidates(sentences, decoding, threads)]

    def candidates(self, sentences: list[str], decoding: Decoding, threads: int) -> list[list[tuple[str, float]]]:
        """Up to ``decoding.num_hypotheses`` translations of each sentence, best first, with the
        model's score. A sentence of more than ``LONG_SENTENCE_WORDS`` is translated clause by
        clause where it has clauses (``clauses``): the small models stop early or loop on very long
        input. Its n-th candidate joins its clauses' n-th ones."""
        pieces = [clauses(sentence) if len(sentence.split()) > LONG_SENTENCE_WORDS else [(sentence, "")]
                  for sentence in sentences]
        flat = self._candidates([text for parts in pieces for text, _ in parts], decoding, threads)
        outputs, at = [], 0
        for parts in pieces:
            found = flat[at:at + len(parts)]
            at += len(parts)
            if len(parts) == 1:
                outputs.append(found[0])
                continue
            outputs.append([("".join(text + glue for (text, _), (_, glue) in zip(ranked, parts, strict=True)),
                             sum(score for _, score in ranked) / len(ranked))
                            for ranked in zip(*found, strict=False)])
        return outputs

    def _candidates(self, sentences: list[str], decoding: Decoding, threads: int) -> list[list[tuple[str, float]]]:
        """The candidates of each sentence (scores: log-probability per token; higher is better).

        Sentences are sorted by length into batches (little padding), all queued at once so
        every replica works, and each batch may decode at most ``decoding_limit`` of its longest
        source: a longer output fails the length check anyway, and a looping one would otherwise
        run to ``max_decoding_length``."""
        if not sentences:
            return []
        package = self._package
        tokens = [package.tokenizer.encode(s) for s in sentences]
        prefix = [package.target_prefix] if package.target_prefix else None
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
        # Batches of up to 32, but small jobs (a retry of a few sentences) split so every replica works.
        size = max(1, min(32, -(-len(tokens) // threads)))
        if decoding.sampling_topk > 1:
            import ctranslate2

            # The same samples on every run: a replica seeds its generator when it starts, so the
            # seed takes a new one, and a single replica samples the batches in order.
            ctranslate2.set_random_seed(26)
            translator = self._load(1)
        else:
            translator = self.translator(threads)
        options = {**decoding.options(), "max_batch_size": 0, "use_vmap": self.shortlist}
        pending = []
        try:
            for start in range(0, len(order), size):
                batch = order[start:start + size]
                options["max_decoding_length"] = decoding_limit(max(len(tokens[i]) for i in batch), decoding)
                pending.append((batch, translator.translate_batch(
                    [tokens[i] for i in batch], target_prefix=[prefix] * len(batch) if prefix else None,
                    replace_unknowns=True, return_scores=decoding.num_hypotheses > 1, asynchronous=True,
                    **options)))
            answered = {i: answer.result() for batch, answers in pending
                        for i, answer in zip(batch, answers, strict=True)}
            results = [answered[i] for i in range(len(tokens))]
        except RuntimeError as exc:  # pybind11 turns std::bad_alloc into MemoryError, not this
            raise ModelFailure(f"{self.from_code}->{self.to_code}: {exc}") from exc
        outputs = []
        for result in results:
            scores = result.scores or [0.0] * len(result.hypotheses)
            hypotheses = []
            for hypothesis, score in zip(result.hypotheses, scores, strict=False):
                text = package.tokenizer.decode(hypothesis)
                if package.target_prefix and text.startswith(package.target_prefix):
                    text = text[len(package.target_prefix):]
                hypotheses.append((text.strip(), score))
            outputs.append(hypotheses)
        return outputs


LONG_SENTENCE_WORDS = 50
"""Words above which a sentence is translated clause by clause:
the models learned on sentences of 4-80 words, and Brazilian news runs a lead of 70 words
together with semicolons and dashes."""
_CLAUSE_END = re.compile(r"(?<=\S)( ?; | [–—-] )(?=\S)")


def clauses(sentence: str) -> list[tuple[str, str]]:
    """(clause, the separator after it) of a long sentence, split at semicolons and spaced
    dashes; [(sentence, "")] when it has none."""
    parts = _CLAUSE_END.split(sentence)
    if len(parts) == 1:
        return [(sentence, "")]
    texts, glues = parts[0::2], parts[1::2] + [""]
    return [(text, glue) for text, glue in zip(texts, glues, strict=True)]


OUTPUT_TOKENS_PER_SOURCE_TOKEN = 3
"""At most this many output tokens per source token (plus OUTPUT_TOKENS_MARGIN): far above any
faithful translation (news en <-> pt: at most 1.5 on 600 sentences) and above what the length
check lets through (2.2 times the source's characters)."""
OUTPUT_TOKENS_MARGIN = 16


def decoding_limit(source_tokens: int, decoding: Decoding) -> int:
    """The most tokens decoded for a source of ``source_tokens``: a loop stops there."""
    return min(decoding.max_decoding_length, OUTPUT_TOKENS_PER_SOURCE_TOKEN * source_tokens + OUTPUT_TOKENS_MARGIN)


def load_models(config: Config) -> dict[tuple[str, str], TranslationModel]:
    """Install every .argosmodel of the model folder (when changed) and open them by pair."""
    work_dir = config.path(config.work_dir)
    paths.claim(work_dir, "work_dir")
    import_argostranslate(work_dir)
    packages_dir = work_dir / "argos" / "packages"
    models_dir = config.path(config.models_dir)
    archives = sorted(models_dir.glob("*.argosmodel")) if models_dir.is_dir() else []
    installed = {install_package(archive, packages_dir): archive for archive in archives}
    models = {}
    if packages_dir.is_dir():
        for path in sorted(packages_dir.iterdir()):
            if path in installed:
                model = TranslationModel.open(path)
                model.archive = installed[path]
                models[(model.from_code, model.to_code)] = model
            elif path.is_dir():  # its file left the model folder: the folder is the source of truth
                shutil.rmtree(path, ignore_errors=True)
    return models


@dataclass(frozen=True)
class ShippedModel:
    """A model on its way to another process (a Dask worker): its package's bytes, installed
    and opened there once per process, into the worker's own folder, which Dask removes."""

    identity: str
    package: bytes

    @classmethod
    def of(cls, model: TranslationModel) -> ShippedModel:
        if model.archive is None:
            raise ExecutorError(f"{model.path.name}: no .argosmodel file to send to the workers")
        return cls(model.identity, model.archive.read_bytes())

    def load(self) -> TranslationModel:
        if self.identity not in _LOADED:
            relax_allocator()
            folder = Path(tempfile.mkdtemp(prefix="polydigest-model-", dir=_worker_directory()))
            archive = folder / "package.argosmodel"
            archive.write_bytes(self.package)
            _LOADED[self.identity] = TranslationModel.open(install_package(archive, folder / "packages"))
        return _LOADED[self.identity]


_LOADED: dict[str, TranslationModel] = {}
"""Models this process opened from shipped packages, by identity."""


def _worker_directory() -> str | None:
    """The Dask worker's scratch folder (removed with the worker), else the system's."""
    try:
        from distributed import get_worker

        return get_worker().local_directory
    except (ImportError, ValueError):  # not inside a Dask worker
        return None


def translate_batch(texts: list[str], model: TranslationModel | ShippedModel, decoding: Decoding,
                    threads: int) -> list[str]:
    """One batch of sentences (run by an executor, maybe on a Dask worker)."""
    if isinstance(model, ShippedModel):
        model = model.load()
    return model.translate(texts, decoding, threads)


def candidates_batch(texts: list[str], model: TranslationModel | ShippedModel, decoding: Decoding,
                     threads: int) -> list[list[tuple[str, float]]]:
    """The n-best translations of one batch of sentences, with their scores."""
    if isinstance(model, ShippedModel):
        model = model.load()
    return model.candidates(texts, decoding, threads)
