"""A submission is snapshotted before use: the grader never acts on a student's files in its own context.

Students are untrusted: a link, a pipe or a planted git configuration in their folder must not make the
grader read elsewhere, hang, or run a command; what is graded is the bytes read once, and the hand-in
time comes from the grader's own repository, never from a file time the student sets.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from bench import errors, submission
from bench.submission import (
    find,
    list_students,
    refused_students,
    stage,
    submitted,
    unsafe_name_reason,
)
from reference import EXPERIMENTS, module_path

EXP06 = EXPERIMENTS["exp06"]
CODE = b"def detect(series):\n    return series\n"


@pytest.fixture
def subs(tmp_path) -> Path:
    """An empty submissions folder (not inside any git repository)."""
    path = tmp_path / "submissions"
    path.mkdir()
    return path


def student(subs: Path, name: str = "alice", files: dict[str, bytes] | None = None) -> Path:
    folder = subs / name
    folder.mkdir()
    for rel, data in ({"exp06_anomaly.py": CODE} if files is None else files).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder


def find_within(seconds: float, *args):
    """find(*args) in a thread: a refusal must come at once, never after blocking on what it was handed."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = find(*args)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"find() still running after {seconds} s: it blocked on the student's file"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


# --- the submission file -----------------------------------------------------------------

def test_a_symlinked_submission_file_is_refused_and_never_followed(subs, tmp_path):
    folder = student(subs, files={})
    target = tmp_path / "classmate.fifo"
    os.mkfifo(target)  # were the link followed, opening it would block
    (folder / "exp06_anomaly.py").symlink_to(target)
    with pytest.raises(errors.UnsafeFile) as info:
        find_within(5, "alice", EXP06, subs)
    assert info.value.kind == "unsafe_file"
    assert f"exp06_anomaly.py is a symbolic link (to {target}); submissions must be regular files" in info.value.message
    assert "Fix: copy the file itself into your folder" in info.value.message


def test_a_fifo_named_like_the_submission_is_refused_without_blocking(subs):
    folder = student(subs, files={})
    os.mkfifo(folder / "exp06_anomaly.py")
    with pytest.raises(errors.UnsafeFile, match=r"exp06_anomaly\.py is a named pipe \(FIFO\), not a regular file; "
                                                r"submissions must be regular files"):
        find_within(5, "alice", EXP06, subs)


def test_a_folder_named_like_the_submission_is_refused(subs):
    folder = student(subs, files={})
    (folder / "exp06.py").mkdir()
    with pytest.raises(errors.UnsafeFile, match=r"exp06\.py is a folder, not a regular file"):
        find("alice", EXP06, subs)


def test_an_oversized_file_is_refused_before_it_is_read(subs):
    folder = student(subs, files={})
    with open(folder / "exp06_anomaly.py", "wb") as f:
        f.truncate(submission.MAX_SOURCE_BYTES["py"] + 1)  # sparse: costs no disk
    with pytest.raises(errors.TooLarge, match=r"exp06_anomaly\.py is larger than 2 MiB, the most the harness reads "
                                              r"for a \.py file"):
        find("alice", EXP06, subs)


def test_a_notebook_may_be_larger_than_a_py_file(subs):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("# graded\ndef f(x):\n    return x")]
    padding = "x" * (3 * submission.MiB)  # embedded outputs
    nb.cells.append(nbformat.v4.new_markdown_cell(padding))
    student(subs, files={"exp06_anomaly.ipynb": nbformat.writes(nb).encode()})
    source = find("alice", EXP06, subs)
    assert source.kind == "ipynb" and source.notebook.graded_cells == [1]


def test_a_symlinked_student_folder_is_refused(subs, tmp_path):
    elsewhere = tmp_path / "bob-work"
    elsewhere.mkdir()
    (elsewhere / "exp06_anomaly.py").write_bytes(CODE)
    (subs / "alice").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(errors.UnsafeFile) as info:
        find("alice", EXP06, subs)
    assert f"alice is a symbolic link (to {elsewhere}); student folders must be real folders" in info.value.message
    assert list_students(subs) == []
    assert refused_students(subs) == [("alice", (f"it is a symbolic link (to {elsewhere}), not a folder; copy the "
                                                "files into a folder"))]


def test_the_existing_messages_for_missing_and_ambiguous_files_stay(subs):
    student(subs, files={"exp6_anomaly.py": CODE})
    with pytest.raises(errors.MissingFile, match="Did you mean exp6_anomaly.py"):
        find("alice", EXP06, subs)
    student(subs, "bob", files={"exp06_anomaly.py": CODE, "exp06.ipynb": b"{}"})
    with pytest.raises(errors.AmbiguousFile, match="Found exp06_anomaly.py and exp06.ipynb"):
        find("bob", EXP06, subs)
    with pytest.raises(errors.MissingFile, match="No submission folder"):
        find("carol", EXP06, subs)


# --- the snapshot and staging --------------------------------------------------------------

def test_the_snapshot_is_immune_to_the_file_changing_after_find(subs, tmp_path):
    folder = student(subs)
    source = find("alice", EXP06, subs)
    (folder / "exp06_anomaly.py").unlink()
    (folder / "exp06_anomaly.py").symlink_to("/etc/passwd")  # swapped after the check
    staged = stage(source, _stage_dir(tmp_path))
    assert staged.name == "exp06_anomaly.py" and not staged.is_symlink()
    assert staged.read_bytes() == CODE
    assert source.sha256 == hashlib.sha256(CODE).hexdigest()
    assert source.files == {"exp06_anomaly.py": CODE}


def test_helper_modules_and_packages_are_staged_and_links_skipped(subs, tmp_path):
    folder = student(subs, files={
        "exp06_anomaly.py": CODE, "helpers.py": b"H = 1\n", "pkg/__init__.py": b"", "pkg/core.py": b"C = 2\n",
        "pkg/sub/__init__.py": b"", "pkg/sub/deep.py": b"D = 3\n", "pkg/data.csv": b"1,2\n",
        "notes/not_a_package.py": b"N = 4\n", "README.md": b"hi\n", "bad-name.py": b"B = 5\n"})
    (folder / "linked.py").symlink_to("/etc/hostname")
    (folder / "linkedpkg").symlink_to(folder / "pkg", target_is_directory=True)
    os.mkfifo(folder / "pipe.py")
    (folder / "pkg" / "escape.py").symlink_to(tmp_path / "secret.py")
    source = find("alice", EXP06, subs)
    assert sorted(source.files) == ["exp06_anomaly.py", "helpers.py", "pkg/__init__.py", "pkg/core.py",
                                    "pkg/sub/__init__.py", "pkg/sub/deep.py"]
    assert source.helpers == ["helpers.py", "pkg/__init__.py", "pkg/core.py", "pkg/sub/__init__.py",
                              "pkg/sub/deep.py"]
    assert source.skipped == [
        "bad-name.py: not an importable module name",
        "linked.py: a symbolic link, not followed (copy the file itself)",
        "linkedpkg: a symbolic link, not followed (a package must be a real folder)",
        "pipe.py: a named pipe (FIFO), not a regular file",
        "pkg/escape.py: a symbolic link, not followed (copy the file itself)"]
    out = _stage_dir(tmp_path)
    staged = stage(source, out)
    assert staged == out / "exp06_anomaly.py"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "exp06_anomaly.py", "helpers.py", "pkg", "pkg/__init__.py", "pkg/core.py", "pkg/sub", "pkg/sub/__init__.py",
        "pkg/sub/deep.py"]
    assert (out / "pkg" / "sub" / "deep.py").read_bytes() == b"D = 3\n"
    assert stat.S_IMODE((out / "helpers.py").stat().st_mode) == 0o644
    assert stat.S_IMODE((out / "pkg" / "sub").stat().st_mode) == 0o755
    assert source.to_json()["helpers"] == source.helpers and source.to_json()["skipped"] == source.skipped


def test_a_notebook_is_staged_as_its_graded_cells_beside_the_helpers(subs, tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("# graded\nfrom helper import H\n!pip install x")]
    student(subs, files={"exp06_anomaly.ipynb": nbformat.writes(nb).encode(), "helper.py": b"H = 1\n",
                         "exp06_anomaly_graded_cells.py": b"FORGED = True\n"})
    source = find("alice", EXP06, subs)
    assert source.skipped == [("exp06_anomaly_graded_cells.py: the harness writes a file of that name (the "
                              "notebook's graded code); rename it")]
    out = _stage_dir(tmp_path)
    staged = stage(source, out)
    assert staged == out / "exp06_anomaly_graded_cells.py"
    assert sorted(p.name for p in out.iterdir()) == ["exp06_anomaly_graded_cells.py", "helper.py"]
    assert staged.read_text() == source.notebook.source and "FORGED" not in staged.read_text()
    assert source.dropped == [{"cell": 1, "line": 3, "text": "!pip install x", "reason": "shell command"}]


def test_staging_never_writes_through_an_existing_entry(subs, tmp_path):
    student(subs)
    source = find("alice", EXP06, subs)
    out = _stage_dir(tmp_path)
    (out / "exp06_anomaly.py").symlink_to(tmp_path / "victim.py")
    with pytest.raises(FileExistsError):
        stage(source, out)
    assert not (tmp_path / "victim.py").exists()


def test_too_many_helper_modules_is_a_clear_error(subs, monkeypatch):
    monkeypatch.setattr(submission, "MAX_HELPER_FILES", 3)
    student(subs, files={"exp06_anomaly.py": CODE, **{f"h{i}.py": b"" for i in range(4)}})
    with pytest.raises(errors.TooLarge, match="holds more than 3 Python files beside the submission"):
        find("alice", EXP06, subs)


def test_a_folder_with_too_many_entries_is_refused_early(subs, monkeypatch):
    monkeypatch.setattr(submission, "MAX_SCANNED", 5)
    student(subs, files={"exp06_anomaly.py": CODE, **{f"data{i}.csv": b"" for i in range(5)}})
    with pytest.raises(errors.TooLarge, match="alice and its packages hold more than 5 entries"):
        find("alice", EXP06, subs)


def test_packages_nested_too_deep_are_skipped_and_noted(subs, monkeypatch):
    monkeypatch.setattr(submission, "MAX_PACKAGE_DEPTH", 1)
    student(subs, files={"exp06_anomaly.py": CODE, "pkg/__init__.py": b"", "pkg/sub/__init__.py": b""})
    source = find("alice", EXP06, subs)
    assert source.helpers == ["pkg/__init__.py"]
    assert source.skipped == ["pkg/sub/: a package nested more than 1 deep, not copied"]


def test_the_reference_goes_through_the_same_snapshot(tmp_path):
    source = find("reference", EXP06, tmp_path)
    path = module_path(EXP06)
    assert source.files == {path.name: path.read_bytes()} and source.helpers == []
    out = _stage_dir(tmp_path)
    assert stage(source, out).read_bytes() == path.read_bytes()


def _stage_dir(tmp_path: Path) -> Path:
    out = tmp_path / f"stage-{uuid.uuid4().hex[:6]}"
    out.mkdir(mode=0o700)
    return out


# --- when it was handed in -------------------------------------------------------------

def _git(cwd: Path, *args: str, **env: str) -> str:
    environment = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", **env}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        environment.pop(name, None)
    return subprocess.run(["git", "-c", "user.name=Staff", "-c", "user.email=staff@example.org", *args], cwd=cwd,
                          env=environment, check=True, capture_output=True, text=True).stdout


def plant_git(folder: Path, tmp_path: Path) -> Path:
    """A student's own repository whose configuration runs a command when git looks at the work tree."""
    marker = tmp_path / f"pwned-{uuid.uuid4().hex}"
    _git(folder, "init", "-q", ".")
    _git(folder, "config", "core.fsmonitor", f"touch {marker}")
    return marker


def test_the_planted_git_configuration_is_live(tmp_path):
    """The attack the next tests defend against: git run in the student's folder runs their command."""
    folder = tmp_path / "alice"
    folder.mkdir()
    (folder / "exp06_anomaly.py").write_bytes(CODE)
    marker = plant_git(folder, tmp_path)
    _git(folder, "status", "--short")
    assert marker.exists()


def test_a_planted_git_is_never_run_and_the_file_time_never_used(subs, tmp_path):
    folder = student(subs)
    os.utime(folder / "exp06_anomaly.py", (946684800, 946684800))  # 2000-01-01: a student can set any time
    marker = plant_git(folder, tmp_path)
    source = find("alice", EXP06, subs)
    assert not marker.exists()
    assert source.submitted == {"at": None, "from": "no git repository holds the submissions folder",
                                "note": "ignored the .git inside the student's folder: only the grader's "
                                        "repository is used"}


@pytest.fixture
def course(tmp_path) -> Path:
    """A grader's repository holding submissions/alice/exp06_anomaly.py, committed at a known date."""
    repo = tmp_path / "course"
    (repo / "submissions").mkdir(parents=True)
    student(repo / "submissions")
    _git(repo, "init", "-q", ".")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "hand-in", GIT_COMMITTER_DATE="2030-01-02T03:04:05+00:00",
         GIT_AUTHOR_DATE="2030-01-02T03:04:05+00:00")
    return repo


def test_the_commit_date_comes_from_the_graders_repository(course, tmp_path):
    subs = course / "submissions"
    marker = plant_git(subs / "alice", tmp_path)  # the student's own repository inside the grader's
    source = find("alice", EXP06, subs)
    assert source.submitted == {"at": "2030-01-02T03:04:05+00:00", "from": "git commit",
                                "note": "ignored the .git inside the student's folder: only the grader's "
                                        "repository is used"}
    assert not marker.exists()


def test_a_file_changed_since_its_commit_has_no_known_time(course):
    subs = course / "submissions"
    path = subs / "alice" / "exp06_anomaly.py"
    path.write_bytes(CODE + b"# changed after the deadline\n")
    os.utime(path, (1893456000, 1893456000))  # 2030-01-01, before the commit: still never used
    result = find("alice", EXP06, subs).submitted
    assert result == {"at": None, "from": "changed since its last commit in the grader's git repository"}
    mtime = datetime.fromtimestamp(1893456000, tz=UTC).isoformat(timespec="seconds")
    assert mtime not in str(result)


def test_an_uncommitted_file_has_no_known_time(course):
    subs = course / "submissions"
    student(subs, "bob")
    assert find("bob", EXP06, subs).submitted == {
        "at": None, "from": "not in the last commit of the grader's git repository"}


def test_the_bytes_graded_are_compared_not_the_file_as_it_is_now(course):
    """The commit date vouches for what was graded: bytes that differ from the commit get no date."""
    path = course / "submissions" / "alice" / "exp06_anomaly.py"
    assert submitted(path, course / "submissions", CODE)["from"] == "git commit"
    assert submitted(path, course / "submissions", CODE + b"x")["at"] is None


def test_a_repository_owned_by_someone_else_is_not_trusted(course, monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 4242)
    result = find("alice", EXP06, course / "submissions").submitted
    assert result["at"] is None
    assert result["from"] == (f"the git repository {course / '.git'} belongs to uid {os.stat(course).st_uid}, not to "
                              "the grader (uid 4242), so it is not trusted")


# --- names ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, reason", [
    ("alice", None),
    ("a.b_c-9", None),
    ("2024CS001", None),
    ("", "the name is empty"),
    (".hidden", "it starts with '.'; a name must start with a letter A-Z, a-z or a digit"),
    ('=HYPERLINK("http://x","y")', "it starts with '='; a name must start with a letter A-Z, a-z or a digit"),
    ("bob smith", "it contains ' '; only letters A-Z, a-z, digits, '.', '_' and '-' are allowed"),
    ("ali\u202ece", "it contains '\\u202e'; only letters A-Z, a-z, digits, '.', '_' and '-' are allowed"),
    ("x\x1b[2Jy", "it contains '\\x1b' '['; only letters A-Z, a-z, digits, '.', '_' and '-' are allowed"),
    ("a" * 65, "the name is 65 characters long; at most 64 are allowed"),
    ("reference", "'reference' is what --submission uses for the reference solutions"),
    ("all", "'all' is what --submission uses for every folder"),
])
def test_unsafe_folder_names_are_refused_with_the_reason(name, reason):
    assert unsafe_name_reason(name) == reason


def test_only_safe_real_folders_are_listed_and_the_others_reported(subs):
    for name in ("alice", "bob smith", "x\x1b[2Jy", "reference", ".git", "_template"):
        (subs / name).mkdir()
    (subs / "notes.txt").write_text("not a folder")
    assert list_students(subs) == ["alice"]
    assert refused_students(subs) == [
        ("bob smith", "it contains ' '; only letters A-Z, a-z, digits, '.', '_' and '-' are allowed"),
        ("reference", "'reference' is what --submission uses for the reference solutions"),
        ("x\\x1b[2Jy", "it contains '\\x1b' '['; only letters A-Z, a-z, digits, '.', '_' and '-' are allowed")]
    with pytest.raises(errors.UnsafeName, match=r"Not grading the folder 'bob smith': it contains ' '"):
        find("bob smith", EXP06, subs)
    with pytest.raises(errors.UnsafeName, match=r"Not grading the folder '\.\./alice'"):
        find("../alice", EXP06, subs / "alice")
