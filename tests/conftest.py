from __future__ import annotations

import gzip
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# CI draws the same examples on every run (derandomized: a fixed seed per test), so a test
# cannot fail at random and block a good change; locally, hypothesis explores freely.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

sys.path.insert(0, str(Path(__file__).parent))

from tiny_argos import build_tiny_package  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> Path:
    """A folder of tiny upper-casing Argos packages: en<->pt and en->ar."""
    folder = tmp_path_factory.mktemp("tiny-models")
    for source, target in (("en", "pt"), ("pt", "en"), ("en", "ar")):
        build_tiny_package(folder, source, target)
    return folder


def make_project(root: Path, models: Path, seeds: Path | None = SEEDS, languages: str = "en,pt") -> Path:
    """A project folder like the repository's: mkdocs.yml, seeds/, models/, polydigest.toml."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "seeds").mkdir()
    if seeds is not None:
        for path in sorted(seeds.iterdir()):
            shutil.copy(path, root / "seeds" / path.name)
    shutil.copytree(models, root / "models")
    quoted = ", ".join(f'"{lang}"' for lang in languages.split(","))
    (root / "polydigest.toml").write_text(f"[polydigest]\nlanguages = [{quoted}]\n")
    return root


@pytest.fixture
def project(tmp_path, tiny_models) -> Path:
    """The two sample seeds with the tiny en<->pt models."""
    return make_project(tmp_path / "project", tiny_models)


def search_documents(language_site: Path) -> list[dict]:
    """What Pagefind indexed in one language site: its fragments, one per page (url,
    content, meta.title), read back from the gzipped files a browser downloads."""
    documents = []
    for fragment in sorted((language_site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        documents.append(json.loads(data.removeprefix(b"pagefind_dcd")))
    return documents
