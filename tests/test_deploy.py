"""The publishing recipes: deploy/ (GitHub Actions, GitLab CI, rsync) and .pre-commit-hooks.yaml.

Their structure is checked as parsed YAML, and the gongshi commands they run are run for real,
against a copy of the basic fixture: each `python build.py …` line is translated by `local_argv`
(a small, strict translation, never a shell) into a command for this machine.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, ROOT

DEPLOY = ROOT / "deploy"
BASIC = FIXTURES / "basic" / "content"
RSYNC_DEPLOY = DEPLOY / "rsync-deploy.sh"
OFFICIAL_ACTIONS = {
    "actions/checkout@v4",
    "actions/setup-python@v5",
    "actions/setup-node@v4",
    "actions/configure-pages@v5",
    "actions/upload-pages-artifact@v3",
    "actions/deploy-pages@v4",
    "actions/cache@v4",
}
# What CI would put in the variables the recipes pass to --base-url.
GITHUB_PAGES_URL = "https://example.github.io/gongshi"
GITLAB_PAGES_URL = "https://example.gitlab.io/gongshi"
VARIABLES = {"$BASE_URL": GITHUB_PAGES_URL, "$CI_PAGES_URL": GITLAB_PAGES_URL}
PYTHONS = {"python", "python3", ".venv/bin/python"}
needs_rsync = pytest.mark.skipif(
    shutil.which("rsync") is None, reason="rsync is not installed (apt-get install rsync fixes it)"
)


# --- reading the recipes ---------------------------------------------------------------------


def load(path: Path) -> Any:
    """A recipe as plain data."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict | list), f"{path} is not a YAML mapping or list"
    return data


def github() -> dict:
    """deploy/github-actions.yml."""
    return load(DEPLOY / "github-actions.yml")


def gitlab() -> dict:
    """deploy/gitlab-ci.yml."""
    return load(DEPLOY / "gitlab-ci.yml")


def triggers(workflow: dict) -> dict:
    """The workflow's `on:` (YAML 1.1, which PyYAML follows, reads the bare key `on` as True)."""
    on = workflow.get("on", workflow.get(True))
    assert isinstance(on, dict), "`on:` should be a mapping of events"
    return on


def step(job: dict, uses: str) -> dict:
    """The one step of `job` that uses the action `uses` (owner/name, any version)."""
    found = [s for s in job["steps"] if s.get("uses", "").split("@")[0] == uses]
    assert len(found) == 1, f"expected one {uses} step, found {len(found)}"
    return found[0]


def gongshi_commands(script: str | list[str]) -> list[str]:
    """The lines of a `run:` block or `script:` list that run gongshi (`… build.py …`)."""
    lines = script.splitlines() if isinstance(script, str) else list(script)
    return [line.strip() for line in lines if "build.py" in line]


def github_commands(job: str) -> list[str]:
    """The gongshi commands of a GitHub job's `run:` steps."""
    return [c for s in github()["jobs"][job]["steps"] if "run" in s for c in gongshi_commands(s["run"])]


def gitlab_commands(job: str) -> list[str]:
    """The gongshi commands of a GitLab job's `script:`."""
    return gongshi_commands(gitlab()[job]["script"])


# --- translating a recipe's command into one that runs here ----------------------------------


def local_argv(command: str) -> list[str]:
    """`python build.py [build|check] OPTIONS` from a recipe, as an argv for this machine.

    Only that form is accepted, with options and the $VARIABLES of VARIABLES; anything else
    (another program, a pipe, `&&`, an unknown variable) fails the test instead of running.
    `python` becomes this interpreter and `build.py` gongshi's own. Builds get --no-search (the
    search index is slow and tested elsewhere). Paths stay as written: the command runs in a
    folder holding a copy of the fixture as content/, so the default --content content and an
    --out such as site or public land in that folder.
    """
    argv = [VARIABLES.get(token, token) for token in shlex.split(command)]
    assert len(argv) >= 2 and argv[0] in PYTHONS and argv[1] == "build.py", f"not a gongshi command: {command}"
    for token in argv[2:]:
        assert "$" not in token, f"unknown variable in {command!r}: {token}"
        assert token not in {"&&", "||", ";", "|", ">", "<", "&"}, f"shell syntax in {command!r}"
    args = argv[2:]
    if not args or args[0].startswith("-"):
        args = ["build", *args]  # gongshi's default command
    assert args[0] in {"build", "check"}, f"not a build or check: {command}"
    for option in ("--content", "--out"):
        if option in args:
            value = args[args.index(option) + 1]
            assert not Path(value).is_absolute() and ".." not in Path(value).parts, f"{option} {value} leaves the site"
    if args[0] == "build":
        args.append("--no-search")
    return [sys.executable, str(ROOT / "build.py"), *args]


def fixture_copy(folder: Path, broken: bool = False) -> Path:
    """`folder` with the basic fixture as content/ (plus a record with an invalid status when broken)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(BASIC, folder / "content")
    if broken:
        (folder / "content" / "initiatives" / "broken-record.yaml").write_text(
            "title: 测试\nstatus: nonsense\n", encoding="utf-8"
        )
    return folder


def git(cwd: Path, *args: str) -> None:
    """Run git quietly, with an identity for commits."""
    subprocess.run(
        ["git", "-c", "user.name=gongshi tests", "-c", "user.email=tests@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        timeout=60,
    )


def clone(origin: Path, folder: Path, depth: int) -> Path:
    """A clone of the git repository `origin` as CI checks it out: full history for depth 0, else `depth` commits."""
    if not (origin / ".git").is_dir():
        fixture_copy(origin)
        git(origin, "init", "-q")
        for message in ("first", "second"):  # two commits, so that depth 1 is really shallow
            update = origin / "content" / "updates" / "2019-07-bus.md"
            update.write_text(update.read_text(encoding="utf-8") + f"\n{message}\n", encoding="utf-8")
            git(origin, "add", "-A")
            git(origin, "commit", "-q", "-m", message)
    git(
        origin.parent,
        "clone",
        "-q",
        *(["--no-local"] if depth == 0 else ["--depth", str(depth)]),
        origin.as_uri(),
        str(folder),
    )
    return folder


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `argv` in `cwd` and capture its output as text."""
    return subprocess.run(
        argv,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )


class Runs:
    """Runs translated commands in fresh fixture copies, each distinct command once per module."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.done: dict[tuple[str, bool, int | None], tuple[subprocess.CompletedProcess[str], Path]] = {}

    def __call__(
        self, command: str, broken: bool = False, depth: int | None = None
    ) -> tuple[subprocess.CompletedProcess[str], Path]:
        """Run `command` in a plain copy of the fixture, or in a git clone of it `depth` deep (0: full)."""
        key = (command, broken, depth)
        if key not in self.done:
            folder = self.base / f"run{len(self.done)}"
            if depth is None:
                fixture_copy(folder, broken)
            else:
                clone(self.base / "origin", folder, depth)
            self.done[key] = run(local_argv(command), folder), folder
        return self.done[key]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """A `Runs` for this module."""
    return Runs(tmp_path_factory.mktemp("recipes"))


def test_local_argv_translates_and_refuses() -> None:
    """The translation handles the recipes' forms and refuses anything that is not a plain gongshi call."""
    argv = local_argv('python build.py build --out public --base-url "$CI_PAGES_URL"')
    assert argv == [
        sys.executable,
        str(ROOT / "build.py"),
        "build",
        "--out",
        "public",
        "--base-url",
        GITLAB_PAGES_URL,
        "--no-search",
    ]
    assert local_argv(".venv/bin/python build.py check --strict")[2:] == ["check", "--strict"]
    assert local_argv("python build.py --quiet")[2:] == ["build", "--quiet", "--no-search"]
    for bad in (
        "python build.py check && rm -rf site",
        "bash build.py",
        "python build.py --base-url $SECRET",
        "python build.py serve",
        "python build.py build --out /var/www",
    ):
        with pytest.raises(AssertionError):
            local_argv(bad)


# --- GitHub Actions --------------------------------------------------------------------------


def test_github_triggers() -> None:
    """The workflow runs on pull requests and on pushes to main."""
    on = triggers(github())
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]


def test_github_uses_only_official_pinned_actions() -> None:
    """Every step uses one of the official actions, at the agreed major version."""
    used = {s["uses"] for job in github()["jobs"].values() for s in job.get("steps", []) if "uses" in s}
    assert used <= OFFICIAL_ACTIONS, used - OFFICIAL_ACTIONS


def test_github_check_job_annotates_pull_requests() -> None:
    """Pull requests run `python build.py check --format github` and nothing else of gongshi."""
    job = github()["jobs"]["check"]
    assert "pull_request" in job["if"]
    assert github_commands("check") == ["python build.py check --format github"]


def test_github_build_job() -> None:
    """Pushes to main: full history, Python 3.11, Node 20, scripts/setup, build with the Pages URL, upload site/."""
    job = github()["jobs"]["build"]
    assert "refs/heads/main" in job["if"]
    assert step(job, "actions/checkout")["with"]["fetch-depth"] == 0
    assert str(step(job, "actions/setup-python")["with"]["python-version"]) == "3.11"
    assert str(step(job, "actions/setup-node")["with"]["node-version"]) == "20"
    assert any("bash scripts/setup" in s.get("run", "") for s in job["steps"])
    pages = step(job, "actions/configure-pages")
    build = next(s for s in job["steps"] if gongshi_commands(s.get("run", "")))
    assert job["steps"].index(pages) < job["steps"].index(build)
    assert build["env"]["BASE_URL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}"
    (command,) = github_commands("build")
    assert '--base-url "$BASE_URL"' in command and "check" not in command
    upload = step(job, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "site"
    assert job["steps"].index(build) < job["steps"].index(upload)
    restore = step(job, "actions/cache")  # the last build and its cache: an incremental rebuild
    assert set(restore["with"]["path"].split()) == {".cache", "site", ".site.gongshi-new"}  # the second tree too
    assert job["steps"].index(restore) < job["steps"].index(build)


def test_github_deploy_job() -> None:
    """Deployment: after the build, with pages and id-token write permissions, serialised by a concurrency group."""
    workflow = github()
    job = workflow["jobs"]["deploy"]
    assert job["needs"] == "build"
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert job["environment"]["name"] == "github-pages"
    step(job, "actions/deploy-pages")
    assert job["concurrency"]["group"] and job["concurrency"]["cancel-in-progress"] is False
    assert "group" in workflow["concurrency"]
    assert workflow["permissions"] == {"contents": "read"}


def test_github_check_command_annotates_errors(runs: Runs) -> None:
    """The pull-request check, run here on broken content, fails with an annotation on the broken line."""
    (command,) = github_commands("check")
    done, _ = runs(command, broken=True)
    assert done.returncode == 1, done.stderr
    assert "::error file=content/initiatives/broken-record.yaml,line=2," in done.stderr


def test_github_build_command_builds_with_base_url(runs: Runs) -> None:
    """The main-branch build, run here, writes site/ (the uploaded path) with absolute links from the Pages URL."""
    (command,) = github_commands("build")
    depth = step(github()["jobs"]["build"], "actions/checkout")["with"]["fetch-depth"]
    done, folder = runs(command, depth=depth)
    assert done.returncode == 0, done.stderr
    assert "shallow" not in done.stderr, "the checkout is too shallow for gongshi's page history"
    site = folder / step(github()["jobs"]["build"], "actions/upload-pages-artifact")["with"]["path"]
    page = (site / "zh-hans" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{GITHUB_PAGES_URL}/zh-hans/index.html">' in page
    assert (site / "zh-hant" / "index.html").is_file() and (site / "404.html").is_file()


def test_shallow_clone_loses_history(runs: Runs) -> None:
    """The reason for fetch-depth 0: the same build in a one-commit-deep clone warns that history is lost."""
    (command,) = github_commands("build")
    done, _ = runs(command, depth=1)
    assert done.returncode == 0, done.stderr
    assert "shallow" in done.stderr


# --- GitLab CI -------------------------------------------------------------------------------


def test_gitlab_structure() -> None:
    """GitLab: python:3.11 with Node from apt, full clone, `check` on merge requests, `pages` publishing public/."""
    ci = gitlab()
    assert ci["image"] == "python:3.11"
    assert str(ci["variables"]["GIT_DEPTH"]) == "0"
    setup = " ".join(ci["pages"].get("before_script", ci["default"]["before_script"]))
    assert "apt-get install" in setup and "nodejs" in setup and "npm" in setup and "npm ci" in setup
    assert [r["if"] for r in ci["check"]["rules"]] == ['$CI_PIPELINE_SOURCE == "merge_request_event"']
    assert [r["if"] for r in ci["pages"]["rules"]] == ["$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"]
    assert ci["pages"]["artifacts"]["paths"] == ["public"]
    site_cache = [c for c in ci["pages"]["cache"] if "public" in c["paths"]]  # the last build: incremental
    assert len(site_cache) == 1 and ".cache/build-*.json" in site_cache[0]["paths"]
    assert ".public.gongshi-new" in site_cache[0]["paths"]  # the second tree: a push writes only what it changed
    assert ci["cache"] in ci["pages"]["cache"]  # and the dependency cache as everywhere
    assert gitlab_commands("check") == ["python build.py check"]
    (command,) = gitlab_commands("pages")
    assert "--out public" in command and '--base-url "$CI_PAGES_URL"' in command


def test_gitlab_commands_run(runs: Runs) -> None:
    """GitLab's check passes on the fixture and its pages build writes public/ with the Pages URL."""
    (check,) = gitlab_commands("check")
    done, _ = runs(check)
    assert done.returncode == 0, done.stderr
    (build,) = gitlab_commands("pages")
    done, folder = runs(build, depth=int(gitlab()["variables"]["GIT_DEPTH"]))
    assert done.returncode == 0, done.stderr
    assert "shallow" not in done.stderr, "the clone is too shallow for gongshi's page history"
    public = folder / gitlab()["pages"]["artifacts"]["paths"][0]
    assert f'href="{GITLAB_PAGES_URL}/zh-hant/index.html"' in (public / "zh-hant" / "index.html").read_text("utf-8")
    assert not (folder / "site").exists()


# --- pre-commit ------------------------------------------------------------------------------


def hooks() -> dict[str, dict]:
    """.pre-commit-hooks.yaml by hook id."""
    data = load(ROOT / ".pre-commit-hooks.yaml")
    assert isinstance(data, list)
    return {hook["id"]: hook for hook in data}


def test_pre_commit_hooks_fields() -> None:
    """.pre-commit-hooks.yaml defines gongshi-check and gongshi-check-strict as system hooks on content/."""
    found = hooks()
    assert set(found) == {"gongshi-check", "gongshi-check-strict"}
    assert found["gongshi-check"]["entry"] == "python build.py check"
    assert found["gongshi-check-strict"]["entry"] == "python build.py check --strict"
    for hook in found.values():
        assert hook["name"]
        assert hook["language"] == "system"
        assert hook["files"] == "^content/"
        assert hook["pass_filenames"] is False


def test_pre_commit_entries_run(runs: Runs) -> None:
    """The hooks' entries run here: the check passes, and --strict fails exactly when there are warnings."""
    found = hooks()
    check, _ = runs(found["gongshi-check"]["entry"])
    assert check.returncode == 0, check.stderr
    last = check.stderr.strip().splitlines()[-1]
    assert last.startswith("ok: no errors, ")
    strict, _ = runs(found["gongshi-check-strict"]["entry"])
    assert strict.returncode == (0 if last == "ok: no errors, 0 warning(s)" else 1), strict.stderr


# --- rsync -----------------------------------------------------------------------------------


def deploy(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run rsync-deploy.sh from `folder`, building its content/ (without search) into its site/."""
    env = {
        "PYTHON": sys.executable,
        "GONGSHI_CONTENT": "content",
        "GONGSHI_OUT": "site",
        "GONGSHI_BUILD_ARGS": "--no-search --quiet",
    }
    env_clean = {k: v for k, v in os.environ.items() if k != "DEPLOY_TARGET"}
    return subprocess.run(
        ["bash", str(RSYNC_DEPLOY), *args],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**env_clean, **env},
    )


def files(root: Path) -> Iterator[tuple[str, bytes]]:
    """Every file under `root`, as (relative path, bytes), sorted."""
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path.relative_to(root).as_posix(), path.read_bytes()


@needs_rsync
def test_rsync_deploy_copies_only_changes(tmp_path: Path) -> None:
    """Dry run changes nothing, the first run copies the site, a rerun sends nothing, an edit sends its pages."""
    folder = fixture_copy(tmp_path / "repo")
    www = tmp_path / "www"
    dry = deploy(folder, "--dry-run", str(www) + "/")
    assert dry.returncode == 0, dry.stderr
    assert "index.html" in dry.stdout and not www.exists()

    first = deploy(folder, str(www) + "/")
    assert first.returncode == 0, first.stderr
    assert list(files(www)) == list(files(folder / "site"))
    assert (www / "zh-hans" / "index.html").is_file()

    again = deploy(folder, str(www) + "/")
    assert again.returncode == 0, again.stderr
    assert again.stdout == "", f"a rebuild of the same content transferred:\n{again.stdout}"

    update = folder / "content" / "updates" / "2019-07-bus.md"
    update.write_text(update.read_text(encoding="utf-8") + "\n补充说明：线路延长至清姜村。\n", encoding="utf-8")
    (www / "stray.txt").write_text("not part of the site", encoding="utf-8")
    edited = deploy(folder, str(www) + "/")
    assert edited.returncode == 0, edited.stderr
    changed = {line.split(maxsplit=1)[1] for line in edited.stdout.splitlines()}
    assert "stray.txt" in changed and not (www / "stray.txt").exists()
    assert any(path.startswith("zh-hans/updates/") for path in changed)
    assert not any(path.startswith("static/") for path in changed)
    assert len(changed) < len(list(files(www))) / 2
    assert list(files(www)) == list(files(folder / "site"))


@needs_rsync
def test_rsync_deploy_refuses_a_failed_build(tmp_path: Path) -> None:
    """Content errors stop the deployment before rsync runs, with the build's exit status."""
    folder = fixture_copy(tmp_path / "repo", broken=True)
    done = deploy(folder, str(tmp_path / "www"))
    assert done.returncode == 1
    assert "nothing was deployed" in done.stderr and "broken-record.yaml:2:" in done.stderr
    assert not (tmp_path / "www").exists() and done.stdout == ""


def test_rsync_deploy_usage(tmp_path: Path) -> None:
    """No target, an unknown option or a target that is a whole home folder or / are usage errors (2)."""
    for args in ((), ("--force", "x/"), ("deploy@host:",), ("deploy@host:/",), ("/",)):
        done = deploy(tmp_path, *args)
        assert done.returncode == 2, (args, done.stderr)
        assert "rsync-deploy:" in done.stderr
    assert "usage: bash deploy/rsync-deploy.sh" in deploy(tmp_path).stderr
    helped = deploy(tmp_path, "--help")
    assert helped.returncode == 0 and "DEPLOY_TARGET" in helped.stdout
