"""How the package is installed: the hashed locks, and the wheel, built from the working tree,
installed into a fresh environment and run outside the checkout. (The editable install the
other tests use reads generator/ in place, so it cannot show a module or template missing from
the wheel.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from generator.project import Project

from .conftest import REPO


def _locked(name: str) -> dict[str, set[str]]:
    """The versions a lock file pins, by package; every pin must carry hashes."""
    pins: dict[str, set[str]] = {}
    entries: list[tuple[str, int]] = []
    for line in (REPO / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith((" ", "#")):
            requirement = Requirement(line.removesuffix("\\").strip())
            (specifier,) = requirement.specifier
            assert specifier.operator == "==", line
            pins.setdefault(canonicalize_name(requirement.name), set()).add(specifier.version)
            entries.append((line, 0))
        elif "--hash=sha256:" in line:
            entries[-1] = (entries[-1][0], entries[-1][1] + 1)
    assert entries and all(hashes for _, hashes in entries), f"{name}: a pin without hashes"
    return pins


def test_the_locks_pin_what_pyproject_asks_for_with_hashes() -> None:
    with (REPO / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    runtime, development = _locked("requirements.lock"), _locked("requirements-dev.lock")
    wanted = {"requirements.lock": (runtime, project["dependencies"])}
    wanted["requirements-dev.lock"] = (
        development,
        project["dependencies"] + project["optional-dependencies"]["dev"],
    )
    for name, (pins, requirements) in wanted.items():
        for text in requirements:
            requirement = Requirement(text)
            (specifier,) = requirement.specifier
            found = pins.get(canonicalize_name(requirement.name), set())
            assert specifier.version in found, f"{name} lacks {text}: run make lock"
    for package, versions in runtime.items():
        assert development.get(package) == versions, f"{package}: the locks disagree"


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    result = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of a copy of the working tree, so that the build leaves nothing in the checkout
    (and nothing left in a build/ folder there can end up in the wheel)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(
        REPO / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "-q", "-w", work / "dist", source, cwd=work,
    )  # fmt: skip
    (built,) = (work / "dist").glob("factsheet-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_holds_every_module_and_template(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        packed = {name for name in archive.namelist() if name.startswith("generator/")}
    wanted = {
        path.relative_to(REPO).as_posix()
        for pattern in ("*.py", "*.j2")
        for path in (REPO / "generator").rglob(pattern)
        if "__pycache__" not in path.parts
    }
    assert "generator/provenance/rules/quotes.py" in wanted  # a sub-package, two levels down
    assert any(name.startswith("generator/templates/pictures/") for name in wanted)
    assert wanted - packed == set(), "missing from the wheel"
    assert packed - wanted == set(), "in the wheel but not in generator/"


@pytest.mark.slow
def test_the_installed_wheel_runs_outside_the_checkout(
    wheel: Path, tmp_path: Path, project: Project
) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "-q", wheel, cwd=tmp_path,
    )  # fmt: skip
    # The dependencies come from the environment running the tests, added after the new
    # environment's own site-packages; a path in a .pth file does not run the .pth files in it,
    # so the editable install of the checkout stays out of sight.
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path).stdout.strip())  # fmt: skip
    outer = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (site / "_test_dependencies.pth").write_text("\n".join(outer) + "\n", encoding="utf-8")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with (REPO / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]
    result = _run(venv / "bin" / "factsheet", "--version", cwd=elsewhere)
    assert result.stdout == f"factsheet {version}\n"
    result = _run(
        python,
        "-c",
        "import generator, generator.provenance, generator.cli; print(generator.__file__)",
        cwd=elsewhere,
    )
    assert Path(result.stdout.strip()).is_relative_to(site), "imported from the wheel"
    # Rendering every page reads every template, from the installed package.
    result = _run(venv / "bin" / "factsheet", "--root", project.root, "generate", cwd=elsewhere)
    assert "page(s) written" in result.stdout
    assert (project.generated_dir / "index.md").is_file()
