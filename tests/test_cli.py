import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO

from generator.cli import main


def test_help_explains_every_build_option(capsys):
    try:
        main(["build", "--help"])
    except SystemExit as exit_:
        assert exit_.code == 0
    out = capsys.readouterr().out
    for option in ("--seeds", "--out", "--languages", "--skip-missing-languages", "--algorithm", "--sentences",
                   "--beam-size", "--report"):
        assert option in out


def test_module_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "generator", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "build" in result.stdout and "serve" in result.stdout


def test_config_command_documents_every_option(capsys, tmp_path):
    assert main(["config", "--project", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "summary_algorithm = lead\n" in out and "languages = ['en', 'pt']" in out


def test_bad_option_value_is_a_clear_error_not_a_traceback(capsys, tmp_path):
    (tmp_path / "polydigest.toml").write_text('[polydigest]\nlanguages = ["english"]\n')
    assert main(["build", "--project", str(tmp_path)]) == 2
    assert "languages: 'english' is not an ISO 639 language code" in capsys.readouterr().err


def test_missing_seeds_folder_is_a_clear_error(capsys, tmp_path):
    assert main(["build", "--project", str(tmp_path), "--seeds", "nowhere"]) == 2
    assert "seeds folder" in capsys.readouterr().err


def test_readme_quick_start_is_the_two_commands_ci_runs():
    readme = (REPO / "README.md").read_text()
    block = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line for line in block.splitlines()[1:] if line.strip()]
    assert commands == ["make site", "make test"]
    assert "make test" in Path(REPO / ".ci" / "run").read_text()


def test_summarize_refuses_an_unsupported_file_and_a_link_by_name(capsys, tmp_path):
    (tmp_path / "notes.xyz").write_text("The council met on Monday. It approved the budget.\n")
    (tmp_path / "link.txt").symlink_to(tmp_path / "notes.xyz")
    assert main(["summarize", "--project", str(tmp_path), str(tmp_path / "notes.xyz"), str(tmp_path / "link.txt")]) == 1
    err = capsys.readouterr().err
    assert "notes.xyz: unsupported file type '.xyz'; skipped" in err and "link.txt: symbolic link; skipped" in err


def test_summarize_prints_json_per_article_and_reports_bad_files(capsys, tmp_path):
    from conftest import SEEDS

    seed = sorted(SEEDS.glob("*.txt"))[1]
    assert main(["summarize", "--json", "--project", str(tmp_path), str(seed), str(tmp_path / "missing.txt")]) == 1
    captured = capsys.readouterr()
    import json

    record = json.loads(captured.out.strip())
    assert record["id"] == seed.stem.replace("_", "-") and record["language"] == "en"
    assert record["sentences"] and all(s in seed.read_text() for s in record["sentences"])
    assert "missing.txt" in captured.err


def _translate(project: Path, *args: str, stdin: bytes) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "translate", "--project", str(project), *args],
                          input=stdin, capture_output=True, timeout=120)


def test_translate_prints_one_line_per_input_line(project):
    result = _translate(project, "--from", "en", "--to", "pt", stdin=b"Rain today.\n\nSun tomorrow.\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == ["RAIN TODAY.", "", "SUN TOMORROW."]


def test_translate_json_gives_translation_checks_and_retry_per_line(project):
    result = _translate(project, "--from", "pt", "--to", "en", "--json", stdin=b"Chuva hoje.\n")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line) for line in result.stdout.decode().splitlines()] == [
        {"source": "Chuva hoje.", "translation": "CHUVA HOJE.", "checks": {"passed": True, "reasons": []},
         "retried": False}]


def test_translate_json_reports_a_declined_line_as_null(tmp_path, tiny_models):
    from conftest import make_project
    from tiny_argos import build_tiny_package

    models = tmp_path / "models"
    build_tiny_package(models, "en", "pt", changes_digits=True)
    project = make_project(tmp_path / "project", models, seeds=None)
    result = _translate(project, "--from", "en", "--to", "pt", "--json", stdin=b"It cost 12 pounds.\n")
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["translation"] is None and line["retried"] is True
    assert line["checks"] == {"passed": False, "reasons": ["number: 12 lost or changed"]}


def test_translate_missing_pair_names_the_models_add_command(project):
    result = _translate(project, "--from", "en", "--to", "de", stdin=b"Hello.\n")
    assert result.returncode == 2
    assert "polydigest models add de" in result.stderr.decode()


def test_translate_refuses_input_that_is_not_utf8(project):
    result = _translate(project, "--from", "en", "--to", "pt", stdin=b"caf\xe9\n")
    assert result.returncode == 2
    assert "not UTF-8" in result.stderr.decode()


def test_every_command_takes_the_project_folder_from_one_shared_flag(capsys):
    import pytest

    from generator.cli import COMMANDS

    names = [command.__name__.rsplit(".", 1)[1] for command in COMMANDS]
    invocations = [[name] for name in names if name != "models"] + [["models", a] for a in ("list", "add", "remove")]
    for invocation in invocations:
        with pytest.raises(SystemExit) as exit_:
            main([*invocation, "--help"])
        assert exit_.value.code == 0
        assert "--project DIR project folder with mkdocs.yml and polydigest.toml" in " ".join(
            capsys.readouterr().out.split()), invocation


def test_ingest_has_no_output_flag_it_would_not_read(capsys, tmp_path):
    import pytest

    with pytest.raises(SystemExit):
        main(["ingest", "--json", "--project", str(tmp_path), str(tmp_path)])
    assert "unrecognized arguments: --json" in capsys.readouterr().err


def test_every_file_the_package_reads_is_in_its_distribution():
    # A wheel built from pyproject.toml shipped no catalog (locale/*.po): a pip-installed polydigest
    # wrote every page text in English. Each non-Python file of the package must match package-data.
    import tomllib

    package = Path(__file__).resolve().parent.parent / "generator"
    config = tomllib.loads((package.parent / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = {path for pattern in config["tool"]["setuptools"]["package-data"]["generator"]
               for path in package.glob(pattern) if path.is_file()}
    data = {path for path in package.rglob("*") if path.is_file() and path.suffix not in (".py", ".pyc")
            and "__pycache__" not in path.parts}
    assert {"settings.toml", "locale/pt/LC_MESSAGES/polydigest.po"} <= {
        path.relative_to(package).as_posix() for path in shipped}
    assert sorted(path.relative_to(package).as_posix() for path in data - shipped) == []
