"""``polydigest models``: a small, safe manager for the Argos translation packages.

The project's model folder (``models/``) is the source of truth: ``add`` validates a
package and puts it there, and every build installs what is there. Downloads happen
only when a maintainer runs ``models add LANG``; builds never download.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .argos import import_argostranslate, install_package, load_models, package_metadata, package_name
from .config import Config, is_language_code
from .download import DownloadError, get
from .errors import InvalidModelPackage, ModelError
from .messages import language_name
from .translate import PIVOT_LANGUAGE, find_route

_DOWNLOAD_LIMIT = 2_000_000_000  # bytes; no real Argos package comes near it
_INDEX_LIMIT = 50_000_000  # bytes; the official index is about 100 KB
_TIMEOUT = 30  # seconds without data before a download is given up
_DOWNLOAD_SECONDS = 3600  # for one package, from the first byte asked to the last


@dataclass(frozen=True)
class IndexEntry:
    from_code: str
    to_code: str
    version: str
    links: tuple[str, ...]
    size: int | None
    sha256: str | None


def default_index_url(config: Config) -> str:
    """The configured index, else argostranslate's own (the official Argos index)."""
    if config.model_index_url:
        return config.model_index_url
    return import_argostranslate(config.path(config.work_dir)).settings.remote_package_index


def fetch_index(url: str, allow_private_networks: bool = False) -> list[IndexEntry]:
    """The index's translation packages. Its address, and those of the links it lists, pass
    fetch's check (``download.refusal``): an index could otherwise send ``models add`` to a
    machine of the private network, or to a cloud machine's metadata service."""
    try:
        data = json.loads(get(url, max_bytes=_INDEX_LIMIT, timeout=_TIMEOUT,
                                   allow_private_networks=allow_private_networks).body)
    except DownloadError as exc:
        raise ModelError(
            f"cannot get the package index {url} ({exc}). If this machine is offline, download the .argosmodel "
            "files on a machine with internet access, then run 'polydigest models add FILE…'."
        ) from None
    except ValueError as exc:
        raise ModelError(f"the package index {url} is not valid JSON: {exc}") from None
    entries = []
    for item in data if isinstance(data, list) else data.get("packages", []):
        if not isinstance(item, dict) or item.get("type", "translate") != "translate":
            continue
        try:
            entries.append(IndexEntry(
                str(item["from_code"]), str(item["to_code"]), str(item.get("package_version", "")),
                tuple(str(link) for link in item.get("links", [])),
                int(item["size"]) if item.get("size") is not None else None,
                str(item.get("sha256") or item.get("checksum") or "") or None,
            ))
        except (KeyError, TypeError, ValueError):
            continue
    return entries


def _print_progress(name: str) -> Callable[[int, int | None], None]:
    def show(done: int, total: int | None) -> None:
        if total:
            width = 30
            filled = width * done // total
            line = f"\r{name} [{'#' * filled}{'.' * (width - filled)}] {done / 1e6:.1f}/{total / 1e6:.1f} MB"
        else:
            line = f"\r{name} {done / 1e6:.1f} MB"
        print(line, end="\n" if total and done >= total else "", file=sys.stderr, flush=True)

    return show


def download(entry: IndexEntry, destination: Path, progress: Callable[[int, int | None], None],
             allow_private_networks: bool = False) -> None:
    """Download a package to ``destination`` (a temporary file), checking size and checksum
    when the index gives them, each link's address as ``fetch_index`` does. Raises ModelError;
    the caller removes the temporary file."""
    errors = []
    for link in entry.links:
        digest = hashlib.sha256()
        try:
            with destination.open("wb") as out:
                def keep(block: bytes, announced: int | None, digest=digest, out=out) -> None:
                    digest.update(block)
                    out.write(block)
                    progress(out.tell(), entry.size or announced)

                get(link, max_bytes=entry.size or _DOWNLOAD_LIMIT, timeout=_DOWNLOAD_SECONDS, idle=_TIMEOUT,
                         allow_private_networks=allow_private_networks, sink=keep)
                done = out.tell()
            if entry.size and done != entry.size:
                raise ModelError(f"{link}: {done:,} bytes where the index announced {entry.size:,}; refused")
            if entry.sha256 and digest.hexdigest() != entry.sha256.lower():
                raise ModelError(f"{link}: checksum mismatch (expected {entry.sha256}, got {digest.hexdigest()})")
            return
        except DownloadError as exc:
            errors.append(f"{link}: {exc}")
        except ModelError as exc:
            errors.append(str(exc))
    raise ModelError(f"could not download {package_name(entry.from_code, entry.to_code)}: " + "; ".join(errors))


def add_files(config: Config, files: list[Path]) -> list[str]:
    """Validate each .argosmodel file, copy it into the model folder and install it.
    A file that fails validation is refused with its reason and nothing of it is kept."""
    models_dir = config.path(config.models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    work_dir = config.path(config.work_dir)
    paths.claim(work_dir, "work_dir")
    packages_dir = work_dir / "argos" / "packages"
    added = []
    for file in files:
        if not file.is_file():
            raise ModelError(f"{file}: no such file")
        try:  # validated before anything is copied
            _, metadata = package_metadata(file)
        except InvalidModelPackage as exc:
            raise ModelError(f"refused: {exc}") from None
        source, target_code = metadata["from_code"], metadata["to_code"]
        target = models_dir / f"{package_name(source, target_code)}.argosmodel"
        if file.resolve() != target.resolve():
            staged = target.with_name(target.name + ".tmp")
            shutil.copyfile(file, staged)
            os.replace(staged, target)  # atomic: the folder never holds half a file
        install_package(target, packages_dir)
        added.append(f"{source}->{target_code}")
    return added


def needed_pairs(language: str, site_languages: list[str]) -> list[list[tuple[str, str]]]:
    """For each direction between ``language`` and every other site language: the direct
    pair first, then the pairs of the route through English."""
    options = []
    for other in site_languages:
        if other == language:
            continue
        for source, target in ((other, language), (language, other)):
            pivot = [] if PIVOT_LANGUAGE in (source, target) else [(source, PIVOT_LANGUAGE), (PIVOT_LANGUAGE, target)]
            options.append([(source, target)] + pivot)
    return options


def add_languages(config: Config, languages: list[str], index_url: str,
                  progress_factory=_print_progress) -> list[str]:
    """Download and install what is needed to translate between each language and the
    site languages (directly, else through English). Returns the pairs added."""
    installed = load_models(config)
    index = {(e.from_code, e.to_code): e for e in fetch_index(index_url, config.allow_private_networks)}
    wanted: list[tuple[str, str]] = []
    for language in languages:
        site = list(dict.fromkeys(config.languages + [language]))
        for direct, *pivot in needed_pairs(language, site):
            if find_route(installed, *direct):
                continue
            if direct in index:
                wanted.append(direct)
            elif pivot and all(p in index or p in installed for p in pivot):
                wanted += [p for p in pivot if p not in installed]
            else:
                raise ModelError(
                    f"the package index has no model for {direct[0]} -> {direct[1]} "
                    f"(directly or through English); nothing was installed"
                )
    added = []
    work_dir = config.path(config.work_dir)
    paths.claim(work_dir, "work_dir")
    for pair in dict.fromkeys(wanted):
        entry = index[pair]
        with tempfile.TemporaryDirectory(dir=work_dir) as scratch:
            file = Path(scratch) / f"{package_name(*pair)}.argosmodel"
            download(entry, file, progress_factory(file.name), config.allow_private_networks)
            added += add_files(config, [file])
    return added


def remove_pair(config: Config, pair: str) -> Path:
    """Remove the package for 'de-en' (or 'de_en', 'de->en') from the model folder and
    the installed packages."""
    codes = pair.lower().replace("->", "-").replace("_", "-").split("-")
    if len(codes) != 2 or not all(is_language_code(c) for c in codes):
        raise ModelError(f"{pair!r} is not a language pair such as de-en")
    name = package_name(*codes)
    file = config.path(config.models_dir) / f"{name}.argosmodel"
    installed = config.path(config.work_dir) / "argos" / "packages" / name
    if not file.exists() and not installed.exists():
        raise ModelError(f"no package {name} is installed or in {config.path(config.models_dir)}")
    file.unlink(missing_ok=True)
    shutil.rmtree(installed, ignore_errors=True)
    return file


def describe(config: Config) -> str:
    """The text of 'models list'."""
    models = load_models(config)
    lines = ["Installed packages:"]
    for (source, target), model in sorted(models.items()):
        size = sum(p.stat().st_size for p in model.path.rglob("*") if p.is_file())
        stamp = model.path / ".polydigest-source.json"
        origin = json.loads(stamp.read_text()).get("file", "?") if stamp.exists() else "?"
        version = json.loads((model.path / "metadata.json").read_text()).get("package_version", "?")
        lines.append(f"  {source} -> {target}  version {version}  {size / 1e6:.1f} MB  from {origin}")
    if not models:
        lines.append("  (none)")
    models_dir = config.path(config.models_dir)
    files = sorted(models_dir.glob("*.argosmodel")) if models_dir.is_dir() else []
    lines.append(f"Files in {models_dir}:")
    lines += [f"  {f.name}  {f.stat().st_size / 1e6:.1f} MB" for f in files] or ["  (none)"]
    lines.append(f"Site languages {', '.join(config.languages)}:")
    for source in config.languages:
        for target in config.languages:
            if source == target:
                continue
            route = find_route(models, source, target)
            if route is None:
                how = f"MISSING: run 'polydigest models add {source if target == PIVOT_LANGUAGE else target}'"
            elif len(route) == 1:
                how = "direct"
            else:
                how = "through English"
            lines.append(f"  {language_name(source)} -> {language_name(target)}: {how}")
    return "\n".join(lines)
