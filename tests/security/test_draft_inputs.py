"""`kb draft` refuses what would break the knowledge base or reach outside it.

Each case runs the command as a curator does (`python -m bot kb draft ...`) against a
scratch checkout: knowledge/, seeds/ and the data directory two levels down, so an id
like `../../../x` would land inside the scratch directory where the test can see it.
A refusal is one line on stderr and exit status 2, and afterwards every file in the
scratch directory (the inputs too) is byte-for-byte what it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import KNOWLEDGE, ROOT, SEEDS

FIXTURE = ROOT / "tests" / "fixtures" / "northmoor_focused_visit.txt"
ID_RULE = (
    "use lowercase letters and digits, in words joined by single hyphens, "
    "at most 64 characters (e.g. northmoor-2025)"
)


@dataclass(frozen=True)
class Site:
    root: Path  # everything the command could touch lies under here
    knowledge: Path
    seeds: Path
    data: Path
    inputs: Path

    def run(self, *args: str) -> subprocess.CompletedProcess:
        env = os.environ | {
            "INSPECTION_BOT_KNOWLEDGE_DIR": str(self.knowledge),
            "INSPECTION_BOT_SEEDS_DIR": str(self.seeds),
            "INSPECTION_BOT_DATA_DIR": str(self.data),
        }
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def draft(self, name: str, *options: str) -> subprocess.CompletedProcess:
        return self.run("kb", "draft", str(self.inputs / name), *options)


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry under `root`: a file's bytes, a link's target, or 'dir'."""
    found: dict[str, bytes | str] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            key = str(path.relative_to(root))
            if path.is_symlink():
                found[key] = f"link to {os.readlink(path)}"
            elif path.is_dir():
                found[key] = "dir"
            else:
                found[key] = path.read_bytes()
    return found


@pytest.fixture
def site(tmp_path: Path) -> Site:
    checkout = tmp_path / "outside" / "checkout"
    shutil.copytree(KNOWLEDGE, checkout / "knowledge", ignore=shutil.ignore_patterns("drafts"))
    shutil.copytree(SEEDS, checkout / "seeds")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copyfile(FIXTURE, inputs / "northmoor.txt")
    return Site(tmp_path, checkout / "knowledge", checkout / "seeds", checkout / "data", inputs)


def assert_refused(site: Site, result: subprocess.CompletedProcess, before: dict, error: str):
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"Cannot draft: {error}\n")
    assert snapshot(site.root) == before


# -- rule A: a draft the validator would reject is never written ---------------------------


def test_an_empty_text_is_refused(site):
    (site.inputs / "empty.txt").write_bytes(b"")
    before = snapshot(site.root)
    assert_refused(site, site.draft("empty.txt"), before, "empty.txt has no text to draft")


def test_a_text_of_only_blank_lines_is_refused(site):
    (site.inputs / "blank.txt").write_text("\n  \n\t\n\n")
    before = snapshot(site.root)
    assert_refused(site, site.draft("blank.txt"), before, "blank.txt has no text to draft")


def test_an_id_already_published_is_refused(site):
    before = snapshot(site.root)
    assert_refused(
        site,
        site.draft("northmoor.txt", "--id", "poole-2017"),
        before,
        "the report id 'poole-2017' is taken by knowledge/reports/poole-2017.yaml; "
        "choose another --id",
    )


def test_an_id_already_drafted_is_refused(site):
    assert site.draft("northmoor.txt").returncode == 0
    before = snapshot(site.root)
    assert_refused(
        site,
        site.draft("northmoor.txt", "--id", "northmoor-2025-03-focused"),
        before,
        "the report id 'northmoor-2025-03-focused' is taken by "
        "knowledge/drafts/northmoor-2025-03-focused.yaml; choose another --id",
    )


def test_a_text_that_starts_with_blank_lines_drafts_into_a_valid_knowledge_base(site):
    """The opening section must start at the first line with text: a draft that put it
    at line 1 was written, and then `kb validate` failed on it."""
    text = "\n\n\n\n\n" + FIXTURE.read_text()
    (site.inputs / "late-start.txt").write_text(text)
    drafted = site.draft("late-start.txt")
    assert drafted.returncode == 0, drafted.stderr
    validated = site.run("kb", "validate")
    assert (validated.returncode, validated.stderr) == (0, "")


def test_a_good_draft_is_written_and_validates(site):
    drafted = site.draft("northmoor.txt")
    assert (drafted.returncode, drafted.stderr) == (0, "")
    assert drafted.stdout.splitlines()[0] == (
        f"Draft written to {site.knowledge / 'drafts' / 'northmoor-2025-03-focused.yaml'} "
        "(report id northmoor-2025-03-focused): 1 judgements, 5 figures, 3 recommendations, "
        "11 findings. Not found in the text: inspectors (null in the draft; see its notes)."
    )
    assert (site.seeds / "northmoor.txt").read_bytes() == FIXTURE.read_bytes()
    assert site.run("kb", "validate").returncode == 0


# -- rule B: ids are slugs ------------------------------------------------------------------


@pytest.mark.parametrize(
    "report_id",
    [
        "Bad Id!",
        "../reports/poole-2017",
        "../../../x",
        "/tmp/x",
        "x/y",
        "-x",
        "x-",
        "a--b",
        "a_b",
        "",
        "é-2025",
        "x" * 65,
    ],
)
def test_an_id_that_is_not_a_slug_is_refused(site, report_id):
    before = snapshot(site.root)
    assert_refused(
        site,
        site.draft("northmoor.txt", f"--id={report_id}"),  # "=": "-x" is not an option
        before,
        f"--id {report_id!r} is not a report id: {ID_RULE}",
    )


def test_the_longest_id_is_accepted(site):
    report_id = "-".join(["northmoor"] * 6) + "-1234"  # 64 characters
    assert len(report_id) == 64
    drafted = site.draft("northmoor.txt", "--id", report_id)
    assert drafted.returncode == 0, drafted.stderr
    assert (site.knowledge / "drafts" / f"{report_id}.yaml").is_file()


# -- rule B: the files themselves ----------------------------------------------------------


def test_a_junk_pdf_is_refused_and_nothing_is_copied(site):
    (site.inputs / "junk.pdf").write_bytes(b"junk\n")
    before = snapshot(site.root)
    result = site.draft("junk.pdf")
    assert result.returncode == 2
    assert result.stderr.startswith("Cannot draft: cannot read junk.pdf as a PDF: ")
    assert result.stderr.count("\n") == 1  # pypdf's own warnings are not shown
    assert snapshot(site.root) == before


def test_a_truncated_pdf_is_refused_and_nothing_is_copied(site):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, FIXTURE.read_text().replace("•", "-").replace("’", "'"))
    whole = bytes(pdf.output())
    (site.inputs / "cut.pdf").write_bytes(whole[: len(whole) // 3])
    before = snapshot(site.root)
    result = site.draft("cut.pdf")
    assert result.returncode == 2
    assert result.stderr.startswith("Cannot draft: ")
    assert result.stderr.count("\n") == 1
    assert snapshot(site.root) == before


def test_text_that_is_not_utf8_is_refused(site):
    (site.inputs / "latin.txt").write_bytes("Children’s services\n".encode("cp1252"))
    before = snapshot(site.root)
    assert_refused(
        site,
        site.draft("latin.txt"),
        before,
        "latin.txt is not UTF-8 text (byte 0x92 at offset 8); save it as UTF-8 "
        "(for example with `iconv -f windows-1252 -t utf-8`) and draft it again",
    )


def test_a_symbolic_link_is_refused(site):
    secret = site.root / "secret"
    secret.write_text(FIXTURE.read_text())
    (site.inputs / "link.txt").symlink_to(secret)
    before = snapshot(site.root)
    assert_refused(
        site,
        site.draft("link.txt"),
        before,
        "link.txt is a symbolic link; give the file it points to",
    )


def test_text_over_2_mb_is_refused(site):
    (site.inputs / "big.txt").write_bytes(b"A" * (2 * 1024 * 1024 + 1))
    before = snapshot(site.root)
    assert_refused(
        site,
        site.draft("big.txt"),
        before,
        "big.txt is 2,097,153 bytes; a .txt report may be at most 2 MB (2,097,152 bytes)",
    )


def test_a_pdf_over_20_mb_is_refused(site):
    (site.inputs / "big.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 - 8))
    before = snapshot(site.root)
    assert_refused(
        site,
        site.draft("big.pdf"),
        before,
        "big.pdf is 20,971,521 bytes; a .pdf report may be at most 20 MB (20,971,520 bytes)",
    )


def test_the_limits_are_in_the_help(site):
    result = site.run("kb", "draft", "--help")
    help_text = " ".join(result.stdout.split())
    for words in ("2 MB", "20 MB", "UTF-8", "Symbolic links are refused", "64 characters"):
        assert words in help_text, words


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("report.docx", b"text", "report.docx: give a .txt or a .pdf"),
        (
            "000_de87dc580cd60475.txt",
            FIXTURE.read_bytes(),
            "seeds/000_de87dc580cd60475.txt exists with other contents; rename the file",
        ),
    ],
)
def test_other_refusals_are_usage_errors(site, name, content, error):
    (site.inputs / name).write_bytes(content)
    before = snapshot(site.root)
    assert_refused(site, site.draft(name), before, error)


def test_a_missing_file_is_refused(site):
    before = snapshot(site.root)
    missing = site.inputs / "missing.txt"
    assert_refused(site, site.draft("missing.txt"), before, f"no such file: {missing}")
