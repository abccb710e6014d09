"""Stage 3: translate titles and summaries offline with Argos Translate packages.

Models are ``.argosmodel`` files in the project's model folder, installed (validated,
atomically) into a package folder under the work dir; nothing is ever downloaded.
Each package is opened with argostranslate's own ``Package`` (metadata, SentencePiece
or BPE tokenizer) and its CTranslate2 model is run directly with ``translate_iterable``
over all sentences of a build at once: summaries are already split into sentences, so
argostranslate's sentence splitter (which would fetch a model) is never needed, and
batching is what makes translation fast. A pair with no direct model pivots through
English. Every translated sentence is cached by (model, options, text).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .cache import Cache, cache_key
from .config import Config
from .errors import InvalidModelPackage, MissingTranslation

log = logging.getLogger(__name__)

PIVOT_LANGUAGE = "en"
_MAX_UNPACKED_BYTES = 2_000_000_000  # far above any real Argos package; stops zip bombs
_MAX_COMPRESSION_RATIO = 50  # int8 weights barely compress; a zip bomb expands 1000-fold
_MAX_DECODING_LENGTH = 512  # tokens; CTranslate2's default of 256 cuts long sentences


def use_private_argos_dirs(work_dir: Path) -> None:
    """Point argostranslate at folders of this project. It reads these variables once, at
    import, and creates its folders there; so this runs before the first import."""
    base = work_dir / "argos"
    os.environ["ARGOS_PACKAGES_DIR"] = str(base / "packages")
    os.environ["XDG_DATA_HOME"] = str(base / "data")
    os.environ["XDG_CONFIG_HOME"] = str(base / "config")
    os.environ["XDG_CACHE_HOME"] = str(base / "cache")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
        isinstance(metadata.get(k), str) and metadata[k].isalpha() for k in ("from_code", "to_code")
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
    _package: object = field(default=None, repr=False)
    _translator: object = field(default=None, repr=False)

    @classmethod
    def open(cls, path: Path) -> TranslationModel:
        import argostranslate.package  # after use_private_argos_dirs()

        package = argostranslate.package.Package(path)
        stamp = path / ".polydigest-source.json"
        sha = json.loads(stamp.read_text())["sha256"] if stamp.exists() else file_sha256(path / "model" / "model.bin")
        return cls(path, package.from_code, package.to_code, sha, _package=package)

    @property
    def identity(self) -> str:
        return f"{self.from_code}-{self.to_code}-{self.sha256}"

    def translator(self, threads: int):
        if self._translator is None:
            import ctranslate2

            # Several single-threaded replicas beat one multi-threaded one on sentence batches.
            self._translator = ctranslate2.Translator(
                str(self.path / "model"), device="cpu", compute_type="int8",
                inter_threads=threads, intra_threads=1,
            )
        return self._translator

    def translate(self, sentences: list[str], beam_size: int, threads: int,
                  progress: Callable[[int, int], None] = lambda done, total: None) -> list[str]:
        """Translate sentences in batches; one output per input, in order."""
        if not sentences:
            return []
        package = self._package
        tokens = [package.tokenizer.encode(s) for s in sentences]
        prefix = [[package.target_prefix]] * len(tokens) if package.target_prefix else None
        results = self.translator(threads).translate_iterable(
            tokens, target_prefix=prefix, max_batch_size=32, batch_type="examples",
            beam_size=beam_size, replace_unknowns=True, max_decoding_length=_MAX_DECODING_LENGTH,
        )
        outputs = []
        for result in results:
            text = package.tokenizer.decode(result.hypotheses[0])
            if package.target_prefix and text.startswith(package.target_prefix):
                text = text[len(package.target_prefix):]
            outputs.append(text.strip())
            if len(outputs) % 64 == 0 or len(outputs) == len(sentences):
                progress(len(outputs), len(sentences))
        return outputs


def load_models(config: Config) -> dict[tuple[str, str], TranslationModel]:
    """Install every .argosmodel of the model folder (when changed) and open them by pair."""
    work_dir = config.path(config.work_dir)
    use_private_argos_dirs(work_dir)
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


def find_route(
    models: dict[tuple[str, str], TranslationModel], source: str, target: str
) -> list[TranslationModel] | None:
    """Models to apply in turn: the direct pair, else source -> English -> target."""
    if (source, target) in models:
        return [models[(source, target)]]
    if PIVOT_LANGUAGE not in (source, target):
        first, second = models.get((source, PIVOT_LANGUAGE)), models.get((PIVOT_LANGUAGE, target))
        if first and second:
            return [first, second]
    return None


def missing_pair_message(source: str, target: str) -> str:
    language = source if target == PIVOT_LANGUAGE else target
    return (
        f"no Argos model translates {source} -> {target}, directly or through English. "
        f"Run 'polydigest models add {language}' (downloads from the Argos index) or "
        f"'polydigest models add {package_name(source, target)}.argosmodel' (a file you have; or "
        f"{package_name(source, PIVOT_LANGUAGE)} and {package_name(PIVOT_LANGUAGE, target)}), "
        f"or build with --skip-missing-languages to leave {target} out."
    )


# A unit of 1-12 characters repeated 6+ times in a row: "salad salad salad …", "!!!!!!!".
_LOOP = re.compile(r"(.{1,12}?)\1{5,}", re.DOTALL)


def degeneration(source: str, translation: str) -> str | None:
    """Why a translation is implausible (neural models sometimes loop or drop most of a
    sentence), or None when it looks sane. Repetition already in the source is allowed."""
    if not translation.strip():
        return "empty translation"
    if len(source) >= 20:
        ratio = len(translation) / len(source)
        if not 0.3 <= ratio <= 3.0:
            return f"implausible length ({ratio:.1f}x the source)"
    loop = max(_LOOP.finditer(translation), key=_repeats, default=None)
    if loop and _repeats(loop) > 2 + max(map(_repeats, _LOOP.finditer(source)), default=0):
        return f"repeats {loop.group(1)!r} {_repeats(loop)} times"
    return None


def _repeats(match: re.Match) -> int:
    return len(match.group(0)) // len(match.group(1))


@dataclass
class Translator:
    """Translates texts along routes, with every step cached.

    A sentence the model fails on (an error, or a degenerate output) comes back as None:
    callers show the original instead and say so."""

    models: dict[tuple[str, str], TranslationModel]
    cache: Cache
    beam_size: int
    threads: int
    executor: object = None
    """Where batches run (``executor.Executor``); default: this process."""
    translated: int = 0
    fallbacks: list[str] = field(default_factory=list)
    """One line per sentence that could not be translated: pair, reason, start of the text."""
    progress: Callable[[str, int, int], None] = lambda pair, done, total: None

    def __post_init__(self) -> None:
        if self.executor is None:
            from .executor import LocalExecutor  # executor imports this module

            self.executor = LocalExecutor()

    def _run(self, model: TranslationModel, texts: list[str], pair: str) -> list[str | None]:
        def report(done: int, total: int) -> None:
            self.progress(pair, done, total)

        try:
            outputs = self.executor.translate(model, texts, self.beam_size, self.threads, report)
        except RuntimeError:
            if len(texts) == 1:
                return [None]  # reported by the caller with the error below
            return [out for text in texts for out in self._run(model, [text], pair)]
        return outputs

    def _step(self, model: TranslationModel, texts: Iterable[str]) -> dict[str, str | None]:
        texts = sorted(set(texts))
        pair = f"{model.from_code}->{model.to_code}"
        keys = {t: cache_key("translation", model=model.identity, beam=self.beam_size, text=t) for t in texts}
        cached = {t: self.cache.get(k) for t, k in keys.items()}
        todo = [t for t, v in cached.items() if v is None]
        results = {}
        if todo:
            # The model is deterministic: a failure is cached too, so it is not retried until
            # the model or the options change (which changes the key).
            for text, output in zip(todo, self._run(model, todo, pair), strict=True):
                reason = "the model failed on it" if output is None else degeneration(text, output)
                results[text] = {"failed": reason} if reason else output
            self.cache.put_many({keys[t]: value for t, value in results.items()})
            self.translated += len(todo)
        done: dict[str, str | None] = {}
        for text in texts:
            value = cached[text] if cached[text] is not None else results[text]
            if isinstance(value, dict):
                self.fallbacks.append(f"{pair}: {value['failed']}: {text[:60]!r}")
                value = None
            done[text] = value
        return done

    def translate(self, texts: Iterable[str], source: str, target: str) -> dict[str, str | None]:
        """{text: translation, or None where it failed} from ``source`` into ``target``."""
        route = find_route(self.models, source, target)
        if route is None:
            raise MissingTranslation(missing_pair_message(source, target))
        current: dict[str, str | None] = {t: t for t in texts}
        for model in route:
            step = self._step(model, [t for t in current.values() if t is not None])
            current = {original: None if text is None else step[text] for original, text in current.items()}
        return current
