"""Viva sheets: the questions for the short oral exam that gives an experiment's Viva mark.

A sheet is drawn per (student, experiment) from the question bank
(`grading/viva_questions.toml`: questions on the experiment plus one or two
general ones) and completed with questions made from the student's own run
record (`grading/viva_record.py`): their weakest check, a number from their
run, a design choice in their code. The bank draw is seeded from the
student, the experiment and the run id, so two examiners print the same
sheet; the record's questions depend on the record alone.

The sheet only asks; the mark still goes into the marks CSV
(`student,experiment,participation,viva,...`, grading/manual.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
from dataclasses import dataclass
from pathlib import Path

from .config import HERE, ConfigError, Course, CourseExperiment, _headers, _line, _read
from .manual import COLUMNS as MARKS_COLUMNS

VIVA_FILE = HERE / "viva_questions.toml"
GENERAL = "general"
MIN_PER_EXPERIMENT = 6
MIN_GENERAL = 12
POINTS = (2, 4)  # how many points a good answer covers, at least and at most
BANK_QUESTIONS = 5  # drawn from the bank per sheet: experiment questions plus GENERAL_DRAWN general ones
GENERAL_DRAWN = (1, 2)
MARKS_HEADER = ",".join(MARKS_COLUMNS)
ORIGINS = {"bank": "bank", "general": "general", "record": "from the run", "code": "from the code"}


@dataclass(frozen=True)
class Question:
    text: str
    points: tuple[str, ...]  # what a good answer covers, for the examiner
    topic: str
    origin: str = "bank"  # "bank", "general", "record" (from the run record) or "code" (from the submission)
    quote: str = ""  # the line of the submission a "code" question is about


@dataclass(frozen=True)
class Bank:
    experiments: dict[str, tuple[Question, ...]]
    general: tuple[Question, ...]


@dataclass(frozen=True)
class Sheet:
    student: str
    experiment: CourseExperiment
    run_id: str
    seed: str  # printed on the sheet: two copies with the same seed hold the same questions
    from_record: tuple[Question, ...]
    from_bank: tuple[Question, ...]
    viva_max: float
    viva: float | None = None  # the mark already in the marks CSV, if any

    @property
    def questions(self) -> tuple[Question, ...]:
        return self.from_record + self.from_bank


# --- the bank ------------------------------------------------------------------------------------------

def load_bank(path: Path = VIVA_FILE) -> Bank:
    """The question bank, checked: every problem is a ConfigError naming the file, the line and the entry."""
    from reference import EXPERIMENTS

    data, lines = _read(path)
    seen: dict[str, str] = {}
    experiments: dict[str, tuple[Question, ...]] = {}
    general: tuple[Question, ...] = ()
    for key, entries in data.items():
        headers = _headers(lines, key)
        first = headers[0] if headers else _line(lines, key)
        if key != GENERAL and key not in EXPERIMENTS:
            raise ConfigError(f"{path}, line {first}: unknown experiment {key!r}; write questions under "
                              f"[[{GENERAL}]] or an experiment the bench grades: {', '.join(EXPERIMENTS)}")
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise ConfigError(f"{path}, line {first}: write each question of {key} as a [[{key}]] table with "
                              "question, points and topic")
        questions = []
        for i, entry in enumerate(entries):
            at = headers[i] if i < len(headers) else first
            name = f"{path}, line {at}: {key} question {i + 1}"
            questions.append(_question(entry, name, GENERAL if key == GENERAL else "bank"))
            text = " ".join(questions[-1].text.lower().split())
            if text in seen:
                raise ConfigError(f"{name} repeats {seen[text]}: {questions[-1].text!r}; keep one")
            seen[text] = f"{key} question {i + 1} (line {at})"
        if key == GENERAL:
            general = tuple(questions)
        else:
            experiments[key] = tuple(questions)
    # An experiment with no table yet (one just added to the course) draws general questions only; one with a
    # table needs enough questions that two students' sheets differ.
    short = [f"{e} has {len(qs)}" for e, qs in experiments.items() if len(qs) < MIN_PER_EXPERIMENT]
    if short:
        raise ConfigError(f"{path}: an experiment's questions need at least {MIN_PER_EXPERIMENT} so that sheets "
                          f"differ; {'; '.join(short)}: add [[expNN]] tables")
    if len(general) < MIN_GENERAL:
        raise ConfigError(f"{path}: at least {MIN_GENERAL} [[{GENERAL}]] questions are needed, found "
                          f"{len(general)}: add some")
    return Bank(experiments, general)


def _question(entry: dict, name: str, origin: str) -> Question:
    keys = set(entry)
    if keys != {"question", "points", "topic"}:
        missing, extra = {"question", "points", "topic"} - keys, keys - {"question", "points", "topic"}
        raise ConfigError(f"{name}: a question has exactly the keys question, points and topic; "
                          + "; ".join(filter(None, [f"missing {', '.join(sorted(missing))}" if missing else "",
                                                    f"unknown {', '.join(sorted(extra))}" if extra else ""])))
    text, points, topic = entry["question"], entry["points"], entry["topic"]
    if not isinstance(text, str) or not text.strip():
        raise ConfigError(f"{name}: the question is empty; write it as the examiner reads it out")
    if not isinstance(topic, str) or not topic.strip():
        raise ConfigError(f"{name} ({text[:60]!r}): the topic is empty; give a short tag such as \"overfitting\"")
    lo, hi = POINTS
    if (not isinstance(points, list) or not lo <= len(points) <= hi
            or not all(isinstance(p, str) and p.strip() for p in points)):
        found = f"{len(points)} entries" if isinstance(points, list) else repr(points)
        raise ConfigError(f"{name} ({text[:60]!r}): points must list {lo} to {hi} non-empty points a good answer "
                          f"covers; found {found}")
    return Question(text.strip(), tuple(p.strip() for p in points), topic.strip(), origin)


# --- sheets --------------------------------------------------------------------------------------------

def seed_of(student: str, experiment_id: str, run_id: str) -> str:
    """The sheet's seed: the same on every machine (Python's own hash() is salted per process)."""
    return hashlib.sha256(f"{student}\0{experiment_id}\0{run_id}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _draw(pool: tuple[Question, ...], k: int, rng: random.Random, covered: set[str]) -> list[Question]:
    """k questions from pool, of different topics where the pool allows, none on a topic already covered."""
    order = rng.sample(pool, len(pool))
    picked, topics = [], set(covered)
    for q in order:
        if len(picked) < k and q.topic not in topics:
            picked.append(q)
            topics.add(q.topic)
    picked += [q for q in order if q not in picked and q.topic not in covered][:k - len(picked)]
    return picked


def make_sheet(student: str, experiment: CourseExperiment, entry: dict, run_id: str, bank: Bank, course: Course,
               viva: float | None = None) -> Sheet:
    from .viva_record import record_questions

    seed = seed_of(student, experiment.id, run_id)
    rng = random.Random(int(seed, 16))
    n_general = rng.choice(GENERAL_DRAWN)
    own = tuple(record_questions(experiment.id, entry))
    covered = {q.topic for q in own}  # a code question on nu = 0.1 makes the bank's question on nu redundant
    drawn = _draw(bank.experiments.get(experiment.id, ()), BANK_QUESTIONS - n_general, rng, covered)
    drawn += _draw(bank.general, n_general, rng, covered)
    return Sheet(student, experiment, run_id, seed, own, tuple(drawn), course.marks.viva, viva)


def marks_row(sheet: Sheet) -> str:
    """The marks CSV row the examiner writes for this sheet (the mark itself where the CSV already has it)."""
    row = {c: "" for c in MARKS_COLUMNS} | {"student": sheet.student, "experiment": sheet.experiment.id,
                                            "viva": f"{sheet.viva:g}" if sheet.viva is not None else "MARK"}
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(row[c] for c in MARKS_COLUMNS)
    return out.getvalue()
