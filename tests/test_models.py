"""``polydigest models``: adding languages from a package index served on 127.0.0.1,
adding files, refusing broken or hostile packages, removing pairs."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import make_project, write_docs
from tiny_argos import build_tiny_package

from generator.cli import main


@pytest.fixture(scope="module")
def xx_packages(tmp_path_factory) -> dict[str, bytes]:
    """Tiny packages for a made-up language 'xx' and English, both ways."""
    folder = tmp_path_factory.mktemp("xx-packages")
    return {path.name: path.read_bytes() for path in (build_tiny_package(folder, "en", "xx"),
                                                     build_tiny_package(folder, "xx", "en"))}


class IndexServer:
    """A package index and its files on 127.0.0.1; ``mode`` breaks it on purpose."""

    def __init__(self, packages: dict[str, bytes]):
        self.packages = packages
        self.mode = "ok"
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                name = self.path.strip("/")
                if name == "index.json":
                    body = json.dumps(server.index()).encode()
                elif name in server.packages:
                    body = server.packages[name]
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.mode == "interrupted" and name != "index.json":
                    self.wfile.write(body[: len(body) // 2])  # then the connection drops
                    self.wfile.flush()
                    self.connection.close()
                    return
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def index(self) -> list[dict]:
        entries = []
        for name, data in self.packages.items():
            source, target = name.removeprefix("translate-").removesuffix(".argosmodel").split("_")
            sha = hashlib.sha256(data).hexdigest()
            entries.append({"type": "translate", "from_code": source, "to_code": target, "package_version": "0.0.1",
                            "links": [f"{self.url}/{name}"], "size": len(data),
                            "sha256": "0" * 64 if self.mode == "bad-checksum" else sha})
        return entries


@pytest.fixture
def index_server(xx_packages):
    server = IndexServer(xx_packages)
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def nothing_installed(project: Path) -> bool:
    models = {p.name for p in (project / "models").glob("*.argosmodel")}
    packages = project / ".polydigest" / "argos" / "packages"
    return not any("xx" in name for name in models) and not (
        packages.exists() and any("xx" in p.name for p in packages.iterdir()))


def test_add_language_downloads_installs_and_the_build_uses_it(tmp_path, tiny_models, index_server, capsys):
    project = make_project(tmp_path / "p", tiny_models)
    assert main(["models", "add", "xx", "--project", str(project), "--index", f"{index_server.url}/index.json",
                 "--allow-private-networks"]) == 0
    out = capsys.readouterr()
    assert "added en->xx, xx->en" in out.out and "add it to 'languages'" in out.out
    assert "[##############################]" in out.err  # the progress bar
    assert (project / "models" / "translate-en_xx.argosmodel").read_bytes() == index_server.packages[
        "translate-en_xx.argosmodel"]
    report = write_docs(project, {"languages": "en,pt,xx"})  # the pages are what it proves: no MkDocs
    assert report.languages == ["en", "pt", "xx"]
    page = (project / "docs" / "xx" / "articles" / "002-bafb978d1410a73f.md").read_text()
    assert "# ISLAMIC STATE THREATENS TO ATTACKS IN RUSSIA" in page
    listing = capsys.readouterr().out if main(["models", "list", "--project", str(project)]) == 0 else ""
    assert "en -> xx  version 0.0.1" in listing


@pytest.mark.parametrize("mode, message", [
    ("interrupted", "closed"),
    ("bad-checksum", "checksum mismatch"),
])
def test_failed_download_installs_nothing_and_says_why(tmp_path, tiny_models, index_server, capsys, mode, message):
    project = make_project(tmp_path / "p", tiny_models)
    index_server.mode = mode
    assert main(["models", "add", "xx", "--project", str(project), "--index", f"{index_server.url}/index.json",
                 "--allow-private-networks"]) == 2
    assert message in capsys.readouterr().err
    assert nothing_installed(project)
    assert not [p for p in (project / ".polydigest").iterdir() if p.name.startswith("tmp")]


def test_unreachable_index_says_offline_and_points_to_add_file(tmp_path, tiny_models, capsys):
    project = make_project(tmp_path / "p", tiny_models)
    assert main(["models", "add", "xx", "--project", str(project), "--index", "http://127.0.0.1:9/index.json",
                 "--allow-private-networks"]) == 2
    err = capsys.readouterr().err
    assert "cannot connect" in err and "offline" in err and "polydigest models add FILE" in err
    assert nothing_installed(project)


def test_index_on_this_machine_is_refused_unless_allowed(tmp_path, tiny_models, index_server, capsys):
    """fetch's address guard: an index (or a link it lists) could send models add to a private
    machine or a cloud metadata service."""
    project = make_project(tmp_path / "p", tiny_models)
    assert main(["models", "add", "xx", "--project", str(project), "--index", f"{index_server.url}/index.json"]) == 2
    err = capsys.readouterr().err
    assert "refused: 127.0.0.1 is a loopback address" in err and "--allow-private-networks" in err
    assert nothing_installed(project)


def test_package_link_to_the_metadata_service_is_refused_before_any_connection(tmp_path, index_server):
    """Each link an index lists passes the same check as the index (the address is a literal:
    it is refused before any packet leaves)."""
    from generator import packages

    entries = packages.fetch_index(f"{index_server.url}/index.json", allow_private_networks=True)
    entry = next(e for e in entries if e.to_code == "xx")
    hostile = packages.IndexEntry(entry.from_code, entry.to_code, entry.version,
                                  ("http://169.254.169.254/latest/meta-data/",), entry.size, entry.sha256)
    with pytest.raises(packages.ModelError, match="169.254.169.254 is a link-local address"):
        packages.download(hostile, tmp_path / "x.argosmodel", lambda done, total: None)


def test_add_file_copies_and_installs_and_remove_undoes_it(tmp_path, tiny_models, xx_packages, capsys):
    project = make_project(tmp_path / "p", tiny_models)
    file = tmp_path / "downloaded.argosmodel"
    file.write_bytes(xx_packages["translate-xx_en.argosmodel"])
    assert main(["models", "add", str(file), "--project", str(project)]) == 0
    assert (project / "models" / "translate-xx_en.argosmodel").is_file()
    assert main(["models", "remove", "xx-en", "--project", str(project)]) == 0
    assert nothing_installed(project)
    assert main(["models", "remove", "xx-en", "--project", str(project)]) == 2
    assert "no package translate-xx_en" in capsys.readouterr().err


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("p/metadata.json", '{"from_code": "xx", "to_code": "en"}')
        archive.writestr("p/sentencepiece.model", "")
        with archive.open("p/model/model.bin", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(300):  # 300 MB of zeros, ~300 KB compressed
                member.write(chunk)
    return path


def _package(path: Path, metadata: str, extra: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("p/metadata.json", metadata)
        archive.writestr("p/model/model.bin", "")
        archive.writestr("p/sentencepiece.model", "")
        for name, data in extra.items():
            archive.writestr(name, data)
    return path


def _escaping(path: Path) -> Path:
    return _package(path, '{"from_code": "xx", "to_code": "en"}', {"p/../../../escaped.txt": "owned"})


def _bad_metadata(path: Path) -> Path:
    return _package(path, '{"from_code": "../../x", "to_code": "en"}', {})


@pytest.mark.parametrize("make, reason", [
    (_zip_bomb, "zip bomb"), (_escaping, "escapes the package folder"), (_bad_metadata, "from_code"),
])
def test_hostile_package_file_is_refused_and_installs_nothing(tmp_path, tiny_models, capsys, make, reason):
    project = make_project(tmp_path / "p", tiny_models)
    file = make(tmp_path / "hostile.argosmodel")
    assert main(["models", "add", str(file), "--project", str(project)]) == 2
    assert reason in capsys.readouterr().err
    assert nothing_installed(project) and not (tmp_path / "escaped.txt").exists()
    assert not list(tmp_path.rglob("escaped.txt"))


def test_build_with_a_missing_language_suggests_the_exact_command(tmp_path, tiny_models, capsys):
    project = make_project(tmp_path / "p", tiny_models)
    assert main(["build", "--project", str(project), "--languages", "en,pt,de", "-q"]) == 2
    assert "Run 'polydigest models add de'" in capsys.readouterr().err


def test_argostranslate_imported_without_a_work_folder_leaves_no_scratch_folder(tmp_path):
    """A process with no project (a Dask worker, a test) gives Argos a scratch folder: gone when it exits."""
    done = subprocess.run([sys.executable, "-c", "from generator import argos; import os; "
                           "argos.import_argostranslate(); print(os.listdir(os.environ['TMPDIR']))"],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "TMPDIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("['argos-")  # it had one while it ran
    assert list(tmp_path.iterdir()) == []
