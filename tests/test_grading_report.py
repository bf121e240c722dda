"""Reports: rendered from saved records only, identically every time, escaped, and real in a browser.

The fixture record is a real run, saved once with
    pytest bench --submission=reference --submission=example --quick --seed 3 \
        --record tests/fixtures/run-record.json
and the golden page is refreshed with `pytest tests --update-golden`.
"""

from __future__ import annotations

import ast

import csv
import html
import json
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

from conftest import REPO
from grading.report import build, csv_cell, render_all, student_page
from grading.viva import VIVA_FILE

FIXTURE = REPO / "tests" / "fixtures" / "run-record.json"
GOLDEN = REPO / "tests" / "golden" / "example.html"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
MARKS = ("student,experiment,participation,viva,remark,updated_marks\n"
         "example,exp06,4,3.5,Explained the z-score well; revisit seasonality,\n"
         "example,1,5,4,,\n")


@pytest.fixture
def marks(tmp_path):
    path = tmp_path / "marks.csv"
    path.write_text(MARKS)
    return path


def normalise(html: str) -> str:
    """Embedded images differ between matplotlib versions; the page around them must not."""
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,...", html)


def test_rendering_twice_gives_identical_files(tmp_path, marks):
    first = render_all([FIXTURE], tmp_path / "a", marks)
    second = render_all([FIXTURE], tmp_path / "b", marks)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_student_page_matches_the_golden_snapshot(request, marks):
    html = normalise(student_page(build([FIXTURE], marks, viva_path=VIVA_FILE), "example"))
    if request.config.getoption("update_golden"):
        GOLDEN.write_text(html)
    assert GOLDEN.exists(), "no golden snapshot yet: run pytest tests --update-golden"
    assert html == GOLDEN.read_text(), "the page changed: review it, then pytest tests --update-golden"


def test_the_page_holds_the_manuals_table_and_the_reasons(marks):
    html = student_page(build([FIXTURE], marks), "example")
    for column in ("S.No", "Experiment", "Date", "Laboratory Assessment (15)", "Class Participation (5)",
                   "Viva (5)", "Remark", "Updated marks", "Faculty signature"):
        assert f">{column}</th>" in html, column
    assert "misses contextual anomalies" in html
    assert html.count("<img src=\"data:image/png;base64,") >= 3
    assert "pending" in html  # participation for exp06 is given, others are pending
    assert "http://" not in html and "https://" not in html  # nothing to fetch: works offline


def test_student_strings_are_escaped(tmp_path):
    record = json.loads(FIXTURE.read_text())
    entry = record["submissions"]["example"]["exp06"]
    entry["checks"][0]["message"] = "<script>alert('pwned')</script>"
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record))
    marks = tmp_path / "marks.csv"
    marks.write_text("student,experiment,remark\nexample,exp06,<img src=x onerror=alert(1)>\n")
    html = student_page(build([path], marks), "example")
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


FORMULA = '=HYPERLINK("http://x","y")'
REMARK = "@SUM(1+1)*cmd|' /C calc'!A0"


def test_spreadsheet_formulas_from_student_strings_are_neutralised(tmp_path):
    record = json.loads(FIXTURE.read_text())
    record["submissions"] = {FORMULA: record["submissions"]["example"]}  # a record from an older or other tool
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record))
    marks = tmp_path / "marks.csv"
    with marks.open("w", newline="") as f:
        csv.writer(f).writerows([["student", "experiment", "remark"], [FORMULA, "exp06", REMARK]])
    out = tmp_path / "out"
    written = render_all([path], out, marks)
    rows = list(csv.reader((out / "gradebook.csv").read_text().splitlines()))
    assert [row[0] for row in rows] == ["student", "'" + FORMULA]
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert all(cell == "" or float(cell) >= 0 for row in rows[1:] for cell in row[1:-1])  # marks stay numbers
    page = next(p.name for p in written if "HYPERLINK" in p.name)
    assert re.fullmatch(r"HYPERLINK_http_x_y-[0-9a-f]{12}\.html", page)
    assert all(p.parent in (out, out / "viva") for p in written) and (out / "viva" / page).exists()
    assert f'<a href="{page}">' in (out / "class.html").read_text()
    remarks = [e["remark"] for e in json.loads((out / "marks.json").read_text())["students"][FORMULA]["experiments"]]
    assert REMARK in remarks  # JSON is data, not a spreadsheet: kept as written


@pytest.mark.parametrize("value, cell", [
    ("alice", "alice"), (FORMULA, "'" + FORMULA), (REMARK, "'" + REMARK), ("+1+cmd", "'+1+cmd"),
    ("-2+3", "'-2+3"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-1.5", "-1.5"), ("+3", "+3"), (-1.5, -1.5),
    (7, 7), ("", ""), ("a=b", "a=b"),
])
def test_a_csv_cell_never_starts_a_formula_and_numbers_stay_numbers(value, cell):
    assert csv_cell(value) == cell


def test_an_unknown_hand_in_time_shows_as_unknown(tmp_path):
    record = json.loads(FIXTURE.read_text())
    why = "changed since its last commit in the grader's git repository"
    record["submissions"]["example"]["exp06"]["source"]["submitted"] = {"at": None, "from": why}
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record))
    html = student_page(build([path]), "example")
    shown = why.replace("'", "&#39;")  # as autoescaped
    assert f'<span class="muted" title="{shown}">unknown</span>' in html
    assert f"hand-in time unknown ({shown})" in html


def test_the_cli_rerenders_and_refuses_bad_marks_before_writing(tmp_path, marks):
    out = tmp_path / "out"
    ok = subprocess.run([sys.executable, "-m", "grading", "report", str(FIXTURE), "--marks", str(marks),
                         "--out", str(out)], cwd=REPO, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert {p.name for p in out.iterdir()} == {"example.html", "reference.html", "class.html", "gradebook.csv",
                                               "marks.json", "similarity.json", "viva"}
    assert [p.name for p in (out / "viva").iterdir()] == ["example.html"]  # staff sheets; the reference sits none
    public = tmp_path / "public"
    quiet = subprocess.run([sys.executable, "-m", "grading", "report", str(FIXTURE), "--no-viva", "--out",
                            str(public)], cwd=REPO, capture_output=True, text=True)
    assert quiet.returncode == 0, quiet.stderr
    assert not (public / "viva").exists() and "Viva sheet" not in (public / "example.html").read_text()
    gradebook = (out / "gradebook.csv").read_text().splitlines()
    assert gradebook[0].startswith("student,01 exp01 (/25),02 exp02 (/25)")
    bad = tmp_path / "bad.csv"
    bad.write_text("student,experiment,viva\nexample,exp06,9\n")
    fresh = tmp_path / "fresh"
    refused = subprocess.run([sys.executable, "-m", "grading", "report", str(FIXTURE), "--marks", str(bad),
                              "--out", str(fresh)], cwd=REPO, capture_output=True, text=True)
    assert refused.returncode == 2
    assert "row 1 (line 2): viva 9 is out of range: expected 0 to 5" in refused.stderr
    assert not fresh.exists()


def _chromium(*args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.slow  # starts a real browser: seconds each, left out of the fast tier
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium package (.ci/run installs it)")
def test_the_report_in_a_real_browser(tmp_path, marks):
    out = tmp_path / "report"
    render_all([FIXTURE], out, marks)
    page = (out / "example.html").as_uri()
    dom = _chromium(f"--user-data-dir={tmp_path / 'profile1'}", "--dump-dom", page).stdout
    assert "Laboratory Assessment (15)" in dom and "Faculty signature" in dom
    shot = tmp_path / "example.png"
    _chromium(f"--user-data-dir={tmp_path / 'profile2'}", "--window-size=1200,4000", f"--screenshot={shot}", page)
    import matplotlib.image

    pixels = (matplotlib.image.imread(shot)[..., :3] * 255).round().astype(int)
    ink = (pixels.sum(axis=2) < 600).mean()
    assert ink > 0.02, f"the page looks blank ({ink:.1%} of pixels are not white)"
    table_lines = np.all(pixels == (0xD8, 0xDE, 0xE4), axis=2).sum()  # the tables' border colour
    assert table_lines > 2000, table_lines
    # Plot ink: matplotlib's green and red bars (metrics) and its blue (confusion matrices).
    plot_colours = [(0x2C, 0xA0, 0x2C), (0xD6, 0x27, 0x28), (0x1F, 0x77, 0xB4)]
    plotted = sum(np.all(np.abs(pixels - c) <= 3, axis=2).sum() for c in plot_colours)
    assert plotted > 1000, f"no plot visible ({plotted} plot-coloured pixels)"


@pytest.mark.slow  # starts a real browser: seconds each, left out of the fast tier
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium package (.ci/run installs it)")
def test_the_class_table_sorts_in_the_browser(tmp_path, marks):
    out = tmp_path / "report"
    render_all([FIXTURE], out, marks)
    page = (out / "class.html").as_uri()
    order = {}
    for direction in ("", "-"):
        dom = _chromium(f"--user-data-dir={tmp_path / ('p' + direction)}", "--dump-dom",
                        f"{page}#sort={direction}0").stdout
        order[direction] = re.findall(r'<td><a href="(\w+)\.html">', dom)
    assert order[""] == sorted(order[""]) and order["-"] == sorted(order["-"], reverse=True)
    assert len(order[""]) == 2


def _names_left_in(folder) -> set[str]:
    """Every keyword and string constant in a module, or the modules under a folder: where evidence keys are
    written."""
    names = set()
    for path in [REPO / folder] if folder.endswith(".py") else (REPO / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg:
                names.add(node.arg)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
    return names


def test_every_evidence_kind_is_drawn_and_left_by_some_check():
    """A kind nobody draws is dead schema; a drawn kind no check leaves (a renamed key) is a figure that
    silently never appears."""
    from bench.record import Evidence
    from grading.plots import drawn_kinds

    kinds = set(Evidence.kinds().values())
    read_by_the_report = {Evidence.SPEED, Evidence.METRICS}
    assert kinds - drawn_kinds() - read_by_the_report == set()
    left = _names_left_in("bench/checks") | _names_left_in("bench/scoring") | _names_left_in("bench/check.py")
    assert kinds - left == set(), f"no check leaves evidence of kinds {sorted(kinds - left)}"


def test_figures_follow_the_evidence_whatever_the_experiment():
    """A new experiment's checks that leave known kinds get their figures with nothing registered."""
    from grading.plots import figures

    entry = {"checks": [
        {"name": "fits[small]", "evidence": {"history": {"loss": [1.0, 0.5], "accuracy": [0.5, 0.9],
                                                          "seconds_tokenising": 3.0}}},
        {"name": "fits[large]", "evidence": {"history": {"loss": [1.2, 0.4]}}},
        {"name": "classifies", "evidence": {"confusion_matrix": [[3, 1], [0, 4]], "classes": ["no", "yes"]}},
        {"name": "skipped_one", "evidence": {"kmeans_cost": None}},
    ]}
    shown = figures(entry)
    assert [f.title for f in shown] == ["Learning curves", "Confusion matrix"]
    assert all(f.uri.startswith("data:image/png;base64,") and not f.error for f in shown)
    broken = figures({"checks": [{"name": "c", "evidence": {"attention_heatmap": {"weights": [[1.0]]}}}]})
    assert broken[0].error.startswith("KeyError"), "a figure that cannot be drawn says why instead of failing"

def _band_pixels(uri: str) -> int:
    """Pixels of the report's shaded band colour (BAND_COLOUR at alpha 0.25 over white) in a figure."""
    import base64
    import io

    import matplotlib.image

    rgb = (matplotlib.image.imread(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))[..., :3] * 255).round()
    return int((np.abs(rgb - (199, 221, 236)).max(axis=2) <= 3).sum())


def test_the_targets_figure_shades_the_references_band_and_an_older_record_draws_none():
    from grading.plots import Found, _band_span, metrics_vs_targets

    target = {"floor": 0.43, "target": 0.87, "source": "reference, seeds 0,1,2,3,4", "variant": "embedded"}
    band = {"mean": 0.9095, "worst": 0.8905, "sd": 0.015}

    def entry(t: dict) -> dict:
        return {"checks": [{"name": "accuracy[rnn]", "evidence": {"metrics": {"accuracy_rnn": 0.6},
                                                                  "targets": {"accuracy_rnn": t}}}]}

    [banded] = metrics_vs_targets(Found(entry({**target, "band": band})))
    [older] = metrics_vs_targets(Found(entry(target)))  # a record from before bands (as tests/fixtures' own)
    assert _band_pixels(banded.uri) > 200 and _band_pixels(older.uri) == 0
    assert "Shaded: the reference's own runs" in banded.caption and "Shaded" not in older.caption
    assert _band_span({**target, "band": band}) == pytest.approx((0.8905, 0.9095, 0.9245))
    both = {"checks": [*entry({**target, "band": band})["checks"], {"name": "accuracy[cnn]", "evidence": {
        "metrics": {"accuracy_cnn": 0.9}, "targets": {"accuracy_cnn": {**target, "provisional": True}}}}]}
    [mixed] = metrics_vs_targets(Found(both))  # a provisional row beside a banded one: both are explained
    assert "except those marked provisional" in mixed.caption and "Shaded: the reference's own runs" in mixed.caption
    fid = {"floor": 83.07, "target": 27.69, "band": {"mean": 18.4641, "worst": 24.3258, "sd": 3.3621}}
    assert _band_span(fid) == pytest.approx((15.102, 18.4641, 24.3258))  # lower is better: mean - sd to worst


# Run in the page after it loads: where the marks table's last column lies, before and after scrolling its
# container all the way right, written into the page for --dump-dom to carry out.
_LAYOUT_PROBE = """<script>
window.addEventListener("load", () => {
  const box = document.querySelector("#marks").closest(".table-scroll");
  const out = {box: !!box, width: window.innerWidth};
  if (box) {
    const last = document.querySelector("#marks thead th:last-child");
    const before = last.getBoundingClientRect(), frame = box.getBoundingClientRect();
    Object.assign(out, {overflow: getComputedStyle(box).overflowX, scrollWidth: box.scrollWidth,
                        clientWidth: box.clientWidth, boxRight: frame.right, lastRight: before.right});
    box.scrollLeft = box.scrollWidth;
    out.lastRightScrolled = last.getBoundingClientRect().right;
    out.boxRightScrolled = box.getBoundingClientRect().right;
  }
  const pre = document.createElement("pre");
  pre.id = "layout-probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script></body>"""


def _layout(tmp_path, page, width: int, height: int) -> dict:
    probed = page.with_name(f"probed-{width}.html")
    probed.write_text(page.read_text().replace("</body>", _LAYOUT_PROBE))
    dom = _chromium(f"--user-data-dir={tmp_path / f'layout{width}'}", f"--window-size={width},{height}",
                    "--virtual-time-budget=2000", "--dump-dom", probed.as_uri()).stdout
    found = re.search(r'<pre id="layout-probe">(.*?)</pre>', dom)
    assert found, dom[-2000:]
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.slow  # starts a real browser: seconds each, left out of the fast tier
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium package (.ci/run installs it)")
@pytest.mark.parametrize("width, height", [(1200, 800), (700, 800)])
def test_the_marks_tables_last_column_is_reachable_on_a_laptop_screen(tmp_path, marks, width, height):
    out = tmp_path / "report"
    render_all([FIXTURE], out, marks)
    layout = _layout(tmp_path, out / "class.html", width, height)
    assert layout["box"], "the marks table is not inside a scrolling container"
    assert layout["width"] == width and layout["boxRight"] <= width + 0.5, layout  # the box itself is on screen
    if layout["scrollWidth"] > layout["clientWidth"]:  # too wide for the screen: it scrolls, to the last column
        assert layout["overflow"] in ("auto", "scroll"), layout
        assert layout["lastRightScrolled"] <= layout["boxRightScrolled"] + 0.5, layout
    else:
        assert layout["lastRight"] <= layout["boxRight"] + 0.5, layout
    if width < 1000:  # a narrow window must really scroll, or this test proves nothing about scrolling
        assert layout["scrollWidth"] > layout["clientWidth"] and layout["lastRight"] > layout["boxRight"], layout


def _pdf_pages(tmp_path, page, name: str) -> int:
    pdf = tmp_path / f"{name}.pdf"
    _chromium(f"--user-data-dir={tmp_path / f'pdf-{name}'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
              page.as_uri())
    counts = re.findall(rb"/Count (\d+)", pdf.read_bytes())
    assert counts, f"chromium printed no PDF for {page}"
    return max(int(c) for c in counts)


@pytest.mark.slow  # starts a real browser: seconds each, left out of the fast tier
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium package (.ci/run installs it)")
def test_the_viva_sheets_in_a_real_browser(tmp_path, marks):
    from grading.config import load_course
    from grading.report import viva_page
    from grading.viva import Question, Sheet

    out = tmp_path / "report"
    render_all([FIXTURE], out, marks)
    page = out / "viva" / "example.html"
    dom = _chromium(f"--user-data-dir={tmp_path / 'viva-dom'}", "--dump-dom", page.as_uri()).stdout
    assert dom.count('<section class="viva-sheet"') == 2 and "Viva mark:" in dom
    assert "Your RNN reached 0.67 test accuracy while your CNN reached 0.98" in dom
    assert 'href="../example.html"' in dom  # back to the student's report, beside it
    shot = tmp_path / "viva.png"
    _chromium(f"--user-data-dir={tmp_path / 'viva-shot'}", "--window-size=1000,1600", f"--screenshot={shot}",
              page.as_uri())
    import matplotlib.image

    pixels = (matplotlib.image.imread(shot)[..., :3] * 255).round().astype(int)
    ink = (pixels.sum(axis=2) < 600).mean()
    assert ink > 0.02, f"the viva page looks blank ({ink:.1%} of pixels are not white)"
    # On paper a sheet starts a page: three one-question sheets, which would share one page, print as three.
    course = load_course()
    tiny = [Sheet("example", ce, "run", "0" * 16, (), (Question("Short?", ("a", "b"), "t"),), 5.0)
            for ce in course.experiments[:3]]
    reports = build([FIXTURE], marks)
    small = tmp_path / "tiny.html"
    small.write_text(viva_page(reports, "example", sheets=tiny, beside_report=False))
    assert _pdf_pages(tmp_path, small, "tiny") == 3
    assert _pdf_pages(tmp_path, page, "fixture") >= 2


def test_a_lab_manual_target_is_named_beside_its_grade(tmp_path):
    record = json.loads(FIXTURE.read_text())
    check = next(c for c in record["submissions"]["example"]["exp01"]["checks"] if c["name"] == "accuracy[cnn]")
    source = "provisional: lab manual figure 0.984 (Experiment 1: the manual's Keras CNN on MNIST); floor 0.49"
    check["evidence"]["targets"]["accuracy_cnn"].update(target=0.984, floor=0.49, variant="real", source=source,
                                                         provisional=True,
                                                         provenance="provisional: lab manual figure")
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record))
    page = student_page(build([path]), "example")
    # beside the grade: that it is a lab manual figure, and where it came from (as autoescaped)
    assert '<div class="provenance">accuracy_cnn target: ' + source.replace("'", "&#39;") in page
    assert "except those marked provisional" in page  # the targets figure's caption
    measured = student_page(build([FIXTURE]), "example")  # a record with measured targets only (or older)
    assert "provisional" not in measured
