"""Find a student's file for an experiment, snapshot it, and stage what the worker imports.

`submissions/<student>/<experiment module>.py` or `.ipynb` (the short id,
`exp06.py`, is accepted too). `reference` resolves to the reference module,
which then goes through exactly the same path as a student's file.

Everything in a student's folder is chosen by the student, who may be trying
to forge marks or harm a classmate. So the grader never acts on those files in
its own context: it reads each one once, through a descriptor opened without
following links, after checking that it is a plain file of a sensible size,
and from then on uses only those bytes (hash, notebook extraction, staging
into the worker's directory). Links, pipes and devices are refused or skipped,
never followed or read. When a file was handed in comes from the grader's own
git repository, never from a repository or a file time in the student's
folder.
"""

from __future__ import annotations

import difflib
import errno
import hashlib
import os
import re
import stat
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from reference import Experiment, module_path

from . import errors
from .notebook import GradedSource, extract_bytes
from .text import printable

REFERENCE = "reference"
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
RESERVED_NAMES = {REFERENCE: "the reference solutions", "all": "every folder"}  # what `--submission` means by them
MiB = 1 << 20
MAX_SOURCE_BYTES = {"py": 2 * MiB, "ipynb": 64 * MiB}  # notebooks embed their outputs (images, tables)
MAX_HELPER_FILES = 200
MAX_HELPER_BYTES = 16 * MiB  # all helper modules together
MAX_PACKAGE_DEPTH = 8
MAX_SCANNED = 10_000  # folder entries looked at while gathering helpers, whatever they are
GIT_TIMEOUT = 10.0

_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # O_NONBLOCK: opening a FIFO never waits
_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


@dataclass
class Source:
    student: str
    path: Path  # where the submission file was found: for messages and the record, never read again
    kind: str  # "py" or "ipynb"
    sha256: str  # of the submission file's bytes, as snapshotted
    files: dict[str, bytes] = field(default_factory=dict)  # relative posix path -> bytes: the file and helpers
    notebook: GradedSource | None = None
    dropped: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # helper entries left out, each "name: why"
    submitted: dict | None = None  # see submitted(); set by find()

    @property
    def module_file(self) -> str:
        """The name of the file the worker imports: the .py itself, or a notebook's graded code."""
        return self.path.name if self.notebook is None else f"{self.path.stem}_graded_cells.py"

    @property
    def helpers(self) -> list[str]:
        return sorted(name for name in self.files if name != self.path.name)

    @property
    def snapshot_sha256(self) -> str:
        """One hash of everything graded: the submission file and every helper staged beside it."""
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(f"{name}\0{hashlib.sha256(self.files[name]).hexdigest()}\0".encode())
        return h.hexdigest()

    def where(self, lineno: int | None) -> str:
        """A human location for a line of the code the worker ran."""
        if lineno is None:
            return self.path.name
        if self.notebook is not None:
            return f"{self.path.name}, {self.notebook.locate(lineno)}"
        return f"{self.path.name}, line {lineno}"

    def relabel(self, text: str) -> str:
        """`text` (a message, a traceback, captured output) with a notebook's staged graded code named as the
        student knows it: its traceback frames (`File ".../x_graded_cells.py", line 57`) and `file:line`
        mentions become 'x.ipynb, code cell 3, line 2', and any other mention of the file becomes 'x.ipynb'."""
        if self.notebook is None or not text:
            return text
        staged = re.escape(self.module_file)

        def cell(match: re.Match) -> str:
            return self.notebook.locate(int(match.group(1))) or f"line {match.group(1)} of its graded cells"

        text = re.sub(rf'File "[^"\n]*?{staged}", line (\d+)', lambda m: f'File "{self.path.name}", {cell(m)}', text)
        text = re.sub(rf"[^\s\"']*?{staged}:(\d+)", lambda m: f"{self.path.name}, {cell(m)}", text)
        return re.sub(rf"[^\s\"']*{staged}", lambda m: self.path.name, text)

    def to_json(self) -> dict:
        out = {"path": str(self.path), "kind": self.kind, "sha256": self.sha256,
               "snapshot_sha256": self.snapshot_sha256, "dropped_lines": self.dropped, "submitted": self.submitted}
        if self.notebook is not None:
            out["graded_cells"] = self.notebook.graded_cells
        if self.helpers:
            out["helpers"] = self.helpers
        if self.skipped:
            out["skipped"] = self.skipped
        return out


# --- which folders are students --------------------------------------------------------

def unsafe_name_reason(name: str) -> str | None:
    """Why a student folder name is not graded, or None when it is.

    Student names end up in file names, URLs, CSV cells and terminal lines; a
    short, plain alphabet keeps every one of those safe without escaping."""
    if not name:
        return "the name is empty"
    if len(name) > 64:
        return f"the name is {len(name)} characters long; at most 64 are allowed"
    if not SAFE_NAME.fullmatch(name):
        if not name[0].isascii() or not name[0].isalnum():
            return f"it starts with '{printable(name[0])}'; a name must start with a letter A-Z, a-z or a digit"
        odd = sorted({c for c in name if not (c.isascii() and (c.isalnum() or c in "._-"))})
        shown = " ".join(f"'{printable(c)}'" for c in odd[:10])
        return f"it contains {shown}; only letters A-Z, a-z, digits, '.', '_' and '-' are allowed"
    if name.lower() in RESERVED_NAMES:
        return f"'{name}' is what --submission uses for {RESERVED_NAMES[name.lower()]}"
    return None


def list_students(submissions_dir: Path) -> list[str]:
    """The student folders that are graded: real folders (not links) with safe names, sorted.

    Folders whose name starts with '.' or '_' are not student folders (`.git`, `_template`) and are ignored."""
    return sorted(entry.name for entry in _folder_entries(submissions_dir)
                  if entry.is_dir(follow_symlinks=False) and unsafe_name_reason(entry.name) is None)


def refused_students(submissions_dir: Path) -> list[tuple[str, str]]:
    """The would-be student folders that are not graded, as (name made printable, why), sorted by name.

    A link to a folder is refused whatever its name: grading it would read files from wherever it points."""
    refused = []
    for entry in sorted(_folder_entries(submissions_dir), key=lambda e: e.name):
        if entry.is_symlink():
            why = f"it is a symbolic link (to {_link_target(entry.path)}), not a folder; copy the files into a folder"
            refused.append((printable(entry.name), why))
        elif entry.is_dir(follow_symlinks=False) and (reason := unsafe_name_reason(entry.name)):
            refused.append((printable(entry.name), reason))
    return refused


def _folder_entries(submissions_dir: Path) -> list[os.DirEntry]:
    if not submissions_dir.is_dir():
        return []
    with os.scandir(submissions_dir) as entries:
        return [e for e in entries if not e.name.startswith((".", "_"))]


# --- finding and snapshotting a submission ----------------------------------------------

def find(student: str, experiment: Experiment, submissions_dir: Path) -> Source:
    """The student's submission for the experiment, read once into a snapshot (see the module docstring)."""
    if student == REFERENCE:
        path = module_path(experiment)
        folder_fd = _open_folder(path.parent, experiment)
        try:
            data = _read_regular(folder_fd, path.name, path, MAX_SOURCE_BYTES["py"])
        finally:
            os.close(folder_fd)
        source = Source(student, path, "py", _sha256(data), files={path.name: data})
        source.submitted = submitted(path, path.parents[2], data)  # the repository holding reference/
        return source
    if reason := unsafe_name_reason(student):
        raise errors.UnsafeName(
            f"Not grading the folder '{printable(student)}': {reason}. Expected: a folder name of 1 to 64 letters, "
            "digits, '.', '_' or '-' that starts with a letter or digit. Fix: rename the folder (for example to "
            "your name or roll number).")
    folder = submissions_dir / student
    folder_fd = _open_folder(folder, experiment)
    try:
        source = _snapshot(student, experiment, folder, folder_fd)
    finally:
        os.close(folder_fd)
    if source.kind == "ipynb":
        source.notebook = extract_bytes(source.files[source.path.name], source.path.name)
        source.dropped = source.notebook.dropped
    source.submitted = submitted(source.path, submissions_dir, source.files[source.path.name])
    return source


def _snapshot(student: str, experiment: Experiment, folder: Path, folder_fd: int) -> Source:
    candidates = [name for name in experiment.file_names() if _exists(folder_fd, name)]
    if not candidates:
        raise errors.MissingFile(_missing_message(folder, experiment, os.listdir(folder_fd)))
    if len(candidates) > 1:
        raise errors.AmbiguousFile(
            f"Found {' and '.join(candidates)} in {_shown(folder)}: more than one file could be the submission for "
            f"{experiment.id}. Expected exactly one. Fix: keep {experiment.module}.py or {experiment.module}.ipynb "
            "and delete or rename the others.")
    name = candidates[0]
    kind = name.rsplit(".", 1)[1]
    data = _read_regular(folder_fd, name, folder / name, MAX_SOURCE_BYTES[kind])
    path = folder / name
    reserved: dict[str, str | None] = {name: None}
    if kind == "ipynb":
        reserved[f"{path.stem}_graded_cells.py"] = ("the harness writes a file of that name (the notebook's graded "
                                                    "code); rename it")
    helpers = _Helpers(folder, reserved)
    helpers.gather(folder_fd)
    return Source(student, path, kind, _sha256(data), files={name: data, **helpers.files}, skipped=helpers.skipped)


def _exists(folder_fd: int, name: str) -> bool:
    """Whether the folder has an entry of that name, of any type (a link is found, to be refused, not followed)."""
    try:
        os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def _open_folder(folder: Path, experiment: Experiment) -> int:
    """A descriptor for the student's folder, which must be a real folder: a link would let the harness read
    files from anywhere the link points."""
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        raise errors.MissingFile(_missing_message(folder, experiment, None)) from None
    if stat.S_ISLNK(st.st_mode):
        raise _link_error(folder, "student folders must be real folders", "folder")
    if not stat.S_ISDIR(st.st_mode):
        raise errors.UnsafeFile(
            f"{_shown(folder)} is {_kind_of(st.st_mode)}, not a folder. Expected: a folder submissions/<your name>/ "
            f"holding {experiment.module}.py (or .ipynb). Fix: make it a folder and put your files in it.")
    try:
        return os.open(folder, _DIRECTORY)
    except OSError as exc:
        raise _open_error(folder, exc, "student folders must be real folders", "folder") from None


def _read_regular(folder_fd: int, name: str, path: Path, limit: int) -> bytes:
    """The bytes of `name` in the folder, which must be a regular file of at most `limit` bytes.

    The type is checked before opening (opening a device can act on it) and again on the open descriptor
    (the entry may have been swapped in between); the read stops just past the limit."""
    try:
        st = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
    except OSError as exc:
        raise _open_error(path, exc, "submissions must be regular files", "file") from None
    _require_regular(st, path, limit)
    try:
        fd = os.open(name, _READ, dir_fd=folder_fd)
    except OSError as exc:
        raise _open_error(path, exc, "submissions must be regular files", "file") from None
    try:
        _require_regular(os.fstat(fd), path, limit)
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 * MiB, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise _too_large(path, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _require_regular(st: os.stat_result, path: Path, limit: int) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise _link_error(path, "submissions must be regular files", "file")
    if not stat.S_ISREG(st.st_mode):
        raise errors.UnsafeFile(
            f"{_shown(path)} is {_kind_of(st.st_mode)}, not a regular file; submissions must be regular files. "
            f"Fix: delete it and put the file itself, saved from your editor, in the folder under that name.")
    if st.st_size > limit:
        raise _too_large(path, limit)


@dataclass
class _Helpers:
    """The student's own modules beside the submission (the README promises they import): regular `*.py`
    files of the folder and of its packages (sub-folders with an `__init__.py`), gathered under caps.
    Links and special files among them are skipped with a note, never followed or opened."""

    folder: Path
    reserved: dict[str, str | None]  # top-level names that are not helpers -> why (None: the submission itself)
    files: dict[str, bytes] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    total: int = 0
    scanned: int = 0

    def gather(self, folder_fd: int, prefix: str = "", depth: int = 0) -> None:
        entries = []
        with os.scandir(folder_fd) as scan:
            for entry in scan:  # counted as they come: a folder of millions of entries stops here, early
                self.scanned += 1
                if self.scanned > MAX_SCANNED:
                    raise errors.TooLarge(
                        f"{_shown(self.folder)} and its packages hold more than {MAX_SCANNED} entries; the harness "
                        "looks through at most that many for helper modules. Fix: keep data sets, environments "
                        "and outputs out of your submission folder.")
                entries.append(entry)
        for entry in sorted(entries, key=lambda e: e.name):
            rel = prefix + entry.name
            if not prefix and entry.name in self.reserved:
                if self.reserved[entry.name]:
                    self.skipped.append(f"{printable(rel)}: {self.reserved[entry.name]}")
            elif entry.name.endswith(".py"):
                self._module(folder_fd, entry, rel)
            elif entry.name.isidentifier() and entry.is_symlink():
                self.skipped.append(f"{printable(rel)}: a symbolic link, not followed (a package must be a real "
                                    "folder)")
            elif entry.name.isidentifier() and entry.is_dir(follow_symlinks=False):
                self._package(folder_fd, entry, rel, depth)

    def _module(self, folder_fd: int, entry: os.DirEntry, rel: str) -> None:
        if entry.is_symlink():
            self.skipped.append(f"{printable(rel)}: a symbolic link, not followed (copy the file itself)")
        elif not entry.is_file(follow_symlinks=False):
            mode = entry.stat(follow_symlinks=False).st_mode
            self.skipped.append(f"{printable(rel)}: {_kind_of(mode)}, not a regular file")
        elif not entry.name[:-3].isidentifier():
            self.skipped.append(f"{printable(rel)}: not an importable module name")
        else:
            if len(self.files) >= MAX_HELPER_FILES:
                raise errors.TooLarge(
                    f"{_shown(self.folder)} holds more than {MAX_HELPER_FILES} Python files beside the submission "
                    "(counting packages in sub-folders); the harness copies at most that many helper modules. "
                    "Fix: keep only the modules your submission imports in the folder.")
            data = _read_regular(folder_fd, entry.name, self.folder / rel, MAX_SOURCE_BYTES["py"])
            self.total += len(data)
            if self.total > MAX_HELPER_BYTES:
                raise errors.TooLarge(
                    f"The Python files beside the submission in {_shown(self.folder)} come to more than "
                    f"{MAX_HELPER_BYTES // MiB} MiB; the harness copies at most that much. Fix: keep only the "
                    "modules your submission imports in the folder, and load data from the arguments instead "
                    "of embedding it in code.")
            self.files[rel] = data

    def _package(self, folder_fd: int, entry: os.DirEntry, rel: str, depth: int) -> None:
        try:
            fd = os.open(entry.name, _DIRECTORY, dir_fd=folder_fd)
        except OSError as exc:
            self.skipped.append(f"{printable(rel)}/: could not be opened ({exc.strerror})")
            return
        try:
            init = os.stat("__init__.py", dir_fd=fd, follow_symlinks=False)
        except OSError:
            init = None  # not a package: a data or output folder, __pycache__, ...
        try:
            if init is None or not stat.S_ISREG(init.st_mode):
                return
            if depth + 1 > MAX_PACKAGE_DEPTH:
                self.skipped.append(f"{printable(rel)}/: a package nested more than {MAX_PACKAGE_DEPTH} deep, not "
                                    "copied")
                return
            self.gather(fd, rel + "/", depth + 1)
        finally:
            os.close(fd)


# --- staging for the worker -------------------------------------------------------------

def stage(source: Source, directory: Path) -> Path:
    """Write the snapshot into `directory` (made by the parent, empty) and return the file the worker imports.

    A notebook's graded code is written next to the helper modules, so that they import as they did beside
    the notebook. Files are created fresh (never through an existing entry or link) with plain permissions,
    so that a worker running under another uid can read them."""
    folder_fd = os.open(directory, _DIRECTORY)
    try:
        for rel, data in sorted(source.files.items()):
            if rel == source.path.name and source.notebook is not None:
                continue  # the notebook itself is not importable; its graded code is written below
            _write_at(folder_fd, rel, data)
        if source.notebook is not None:
            _write_at(folder_fd, source.module_file, source.notebook.source.encode("utf-8"))
    finally:
        os.close(folder_fd)
    return directory / source.module_file


def _write_at(root_fd: int, rel: str, data: bytes) -> None:
    *folders, name = rel.split("/")
    if any(part in ("", ".", "..") or "\0" in part for part in (*folders, name)):
        raise ValueError(f"not a plain relative path: {rel!r}")  # a harness bug: snapshots hold plain names
    fd = os.dup(root_fd)
    try:
        for part in folders:
            try:
                os.mkdir(part, 0o755, dir_fd=fd)
                created = True
            except FileExistsError:
                created = False
            sub = os.open(part, _DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = sub
            if created:
                os.fchmod(fd, 0o755)  # whatever the umask
        out = os.open(name, _CREATE, 0o644, dir_fd=fd)
        with os.fdopen(out, "wb") as f:
            os.fchmod(f.fileno(), 0o644)
            f.write(data)
    finally:
        os.close(fd)


# --- when it was handed in --------------------------------------------------------------

def submitted(path: Path, submissions_dir: Path, data: bytes) -> dict:
    """When the file was handed in: `{"at": commit date, "from": "git commit"}` when the bytes graded
    (`data`) are exactly those of the file's last commit in the grader's git repository, else
    `{"at": None, "from": why it is unknown}`, plus a "note" when the student's folder holds a `.git` of its
    own. Never the file's modification time, which the student sets. `path` is
    `submissions_dir/<student>/<file name>`.

    The repository is found by walking up from the submissions folder, never from inside a student's folder,
    and must belong to the user running the grader: git reads its configuration from the repository, and a
    configuration a student wrote (core.fsmonitor, hooks, diff drivers) runs commands as the grader."""
    result = _commit_date(path, Path(submissions_dir), data)
    if os.path.lexists(path.parent / ".git"):
        result["note"] = "ignored the .git inside the student's folder: only the grader's repository is used"
    return result


def _commit_date(path: Path, submissions_dir: Path, data: bytes) -> dict:
    repo = _grader_repository(submissions_dir)
    if isinstance(repo, str):
        return {"at": None, "from": repo}
    git_dir, work_tree = repo
    rel = (submissions_dir.resolve() / path.parent.name / path.name).relative_to(work_tree).as_posix()
    try:
        with tempfile.TemporaryDirectory(prefix="labmark-git-") as home:
            def git(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
                return _git(git_dir, work_tree, home, *args, stdin=stdin)

            committed = git("rev-parse", "--verify", "--quiet", f"HEAD:{rel}")
            if committed.returncode != 0:
                return {"at": None, "from": "not in the last commit of the grader's git repository"}
            ours = git("hash-object", "--no-filters", "--stdin", stdin=data)
            if ours.returncode != 0 or ours.stdout.strip() != committed.stdout.strip():
                return {"at": None, "from": "changed since its last commit in the grader's git repository"}
            log = git("log", "-1", "--format=%cI", "HEAD", "--", rel)
            date = log.stdout.decode("ascii", "replace").strip()
            if log.returncode != 0 or not date:
                return {"at": None, "from": "git log gave no commit date"}
            return {"at": date, "from": "git commit"}
    except FileNotFoundError:
        return {"at": None, "from": "git is not installed"}
    except subprocess.TimeoutExpired:
        return {"at": None, "from": f"git took longer than {GIT_TIMEOUT:g} s"}
    except OSError as exc:
        return {"at": None, "from": f"git could not run ({exc.strerror})"}


def _grader_repository(submissions_dir: Path) -> tuple[Path, Path] | str:
    """(git dir, work tree) of the repository holding the submissions folder, or why there is none to trust."""
    start = submissions_dir.resolve()
    for folder in (start, *start.parents):
        dot_git = folder / ".git"
        try:
            st = os.lstat(dot_git)
        except FileNotFoundError:
            continue
        except OSError as exc:
            return f"could not look at {dot_git} ({exc.strerror})"
        git_dir = dot_git if stat.S_ISDIR(st.st_mode) else _linked_git_dir(dot_git, st)
        if isinstance(git_dir, str):
            return git_dir
        owner = next((uid for uid in (st.st_uid, os.stat(git_dir).st_uid) if uid != os.geteuid()), None)
        if owner is not None:
            return (f"the git repository {git_dir} belongs to uid {owner}, not to the grader (uid {os.geteuid()}), "
                    "so it is not trusted")
        return git_dir, folder
    return "no git repository holds the submissions folder"


def _linked_git_dir(dot_git: Path, st: os.stat_result) -> Path | str:
    """The repository a `.git` file points to (`gitdir: ...`, as in worktrees and submodules)."""
    if not stat.S_ISREG(st.st_mode) or st.st_size > 4096:
        return f"{dot_git} is {_kind_of(st.st_mode)}, not a git repository; not used"
    text = dot_git.read_text(errors="replace").strip()
    if not text.startswith("gitdir:"):
        return f"{dot_git} is not a git repository (no 'gitdir:' line); not used"
    git_dir = (dot_git.parent / text.removeprefix("gitdir:").strip()).resolve()
    if not git_dir.is_dir():
        return f"{dot_git} points to {git_dir}, which is not a folder; not used"
    return git_dir


def _git(git_dir: Path, work_tree: Path, home: str, *args: str, stdin: bytes | None = None):
    """git on the grader's own repository, with no system or user configuration and the settings that run
    commands (fsmonitor, hooks, pager, signature checks) switched off; it never sees the student's folder as cwd."""
    env = {"PATH": os.environ.get("PATH", os.defpath), "HOME": home, "XDG_CONFIG_HOME": home, "LC_ALL": "C",
           "GIT_DIR": str(git_dir), "GIT_WORK_TREE": str(work_tree), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_ATTR_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
           "GIT_OPTIONAL_LOCKS": "0", "GIT_PAGER": "cat"}
    command = ["git", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "safe.directory=*",
               "-c", "log.showSignature=false", "-c", "core.pager=cat", *args]
    return subprocess.run(command, check=False, cwd=home, env=env, input=stdin, capture_output=True,
                          timeout=GIT_TIMEOUT)


# --- messages ---------------------------------------------------------------------------

def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _shown(path: Path) -> str:
    """A path as the user typed it: relative to the working directory when it is inside it; printable."""
    try:
        shown = str(Path(os.path.abspath(path)).relative_to(Path.cwd()))  # lexical: links are not followed
    except (ValueError, OSError):
        shown = str(path)
    return printable(shown, limit=200)


def _kind_of(mode: int) -> str:
    kinds = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISREG, "a regular file"))
    return next((what for test, what in kinds if test(mode)), "not a regular file")


def _link_target(path: Path | str) -> str:
    try:
        return printable(os.readlink(path), limit=120)
    except OSError:
        return "somewhere"


def _link_error(path: Path, rule: str, what: str) -> errors.UnsafeFile:
    return errors.UnsafeFile(
        f"{_shown(path)} is a symbolic link (to {_link_target(path)}); {rule}. The harness does not follow links. "
        f"Fix: copy the {what} itself into your folder instead of linking to it.")


def _open_error(path: Path, exc: OSError, rule: str, what: str) -> errors.UnsafeFile:
    if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link: the entry was swapped for one after it was checked
        return _link_error(path, rule, what)
    return errors.UnsafeFile(
        f"{_shown(path)} could not be opened ({exc.strerror}); {rule} that the grader can read. "
        f"Fix: make the {what} readable (chmod a+r) and submit again.")


def _too_large(path: Path, limit: int) -> errors.TooLarge:
    return errors.TooLarge(
        f"{_shown(path)} is larger than {limit // MiB} MiB, the most the harness reads for a {path.suffix} file. "
        "Likely cause: data or model weights pasted into the code, or notebook outputs full of images. Fix: take "
        "data from the arguments the harness passes, and clear the outputs (Edit > Clear all outputs) before "
        "saving a notebook.")


def _missing_message(folder: Path, experiment: Experiment, names: list[str] | None) -> str:
    expected = f"{_shown(folder / experiment.module)}.py or .ipynb"
    if names is None:
        return (f"No submission folder {_shown(folder)}. Expected: {expected}. Fix: create the folder "
                f"submissions/<your name>/ and put {experiment.module}.py (or .ipynb) in it.")
    present = sorted(printable(n) for n in names if n.endswith((".py", ".ipynb")))
    message = (f"No submission for {experiment.id} ({experiment.title}): expected {expected} "
               f"({experiment.id}.py or {experiment.id}.ipynb also accepted).")
    if present:
        message += f" Found: {', '.join(present[:10])}."
        close = difflib.get_close_matches(experiment.module, [Path(p).stem for p in present], n=1, cutoff=0.5)
        if close:
            actual = next(p for p in present if Path(p).stem == close[0])
            message += f" Did you mean {actual}? Rename it to {experiment.module}{Path(actual).suffix}."
    else:
        message += " The folder holds no .py or .ipynb files."
    return message
