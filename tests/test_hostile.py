"""Hostile and broken inputs against every command: each case builds its
input, runs a command and expects an exit code and a message fragment, and
never a traceback. Cases that must be processed also check the result.

Most cases run in-process through click's CliRunner; those that need a real
process (endless stdin, signals, process substitution) run a subprocess.
"""
from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest
from click.testing import CliRunner

from toolkit.cli import main

REPO = Path(__file__).resolve().parent.parent

AR1 = "وصل الرئيس إلى العاصمة صباح اليوم في زيارة رسمية تستمر يومين."
AR2 = "وقال المتحدث إن المحادثات كانت مثمرة وبناءة."
ARTICLE = f"{AR1}\n{AR2}\n"
ESC = "\x1b"


def w(name: str, data: str | bytes):
    """A builder writing one file; the case gets its path."""
    def build(d: Path) -> str:
        p = d / name
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return str(p)
    return build


def jsonl(*rows: Any, raw: str | None = None):
    """A translations JSONL beside a valid article: (article, jsonl)."""
    def build(d: Path) -> tuple[str, str]:
        art = d / "a.txt"
        art.write_text(ARTICLE, encoding="utf-8")
        t = d / "t.jsonl"
        t.write_text(raw if raw is not None else "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                     encoding="utf-8")
        return str(art), str(t)
    return build


GOOD = [{"id": "1.1", "text": "The president arrived in the capital this morning for a two-day official visit."},
        {"id": "1.2", "text": "The spokesman said that the talks had been fruitful and constructive."}]


@dataclass
class Case:
    id: str
    build: Callable[[Path], Any]          # returns what `args` formats in as {0}, {1}, ...
    args: list[str]
    code: int
    fragment: str = ""
    env: dict[str, str] = field(default_factory=dict)
    stdin: bytes | None = None
    check: Callable[[str, Path], None] | None = None
    hub: bool = False                     # needs the embedding model (../shared)
    setup: Callable[[Any], None] | None = None  # gets monkeypatch


def _no_raw_escape(out: str, _d: Path) -> None:
    assert ESC not in out and "\x9b" not in out


def _json_sentences(out: str) -> list[str]:
    return [json.loads(line)["text"] for line in out.splitlines() if line.startswith("{")]


def _has(*texts: str) -> Callable[[str, Path], None]:
    def check(out: str, _d: Path) -> None:
        for t in texts:
            assert t in out, t
    return check


def _denied(exc_type: type[OSError]):
    def setup(mp: Any) -> None:
        import toolkit.ingest.paths as paths

        def refuse(*a: Any, **k: Any) -> Any:
            raise exc_type(13, "Permission denied")

        mp.setattr(paths.Path, "iterdir", refuse)
    return setup


def _unreadable_file(mp: Any) -> None:
    import toolkit.fileio as fileio

    def refuse(*a: Any, **k: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    mp.setattr(fileio, "open", refuse, raising=False)


def _dir_with(*files: tuple[str, str]):
    def build(d: Path) -> str:
        sub = d / "articles"
        sub.mkdir()
        for name, text in files:
            (sub / name).write_text(text, encoding="utf-8")
        return str(sub)
    return build


def _many_files(d: Path) -> str:
    sub = d / "many"
    sub.mkdir()
    for i in range(300):
        (sub / f"{i:04d}.txt").write_text(f"{AR1}\n", encoding="utf-8")
    return str(sub)


def _symlink_loop(d: Path) -> str:
    (d / "loop").symlink_to(d / "loop")
    return str(d / "loop")


def _broken_link(d: Path) -> str:
    (d / "dangling.txt").symlink_to(d / "nowhere.txt")
    return str(d / "dangling.txt")


def _socket(d: Path) -> str:
    path = str(d / "s.sock")
    if len(path) > 100:  # AF_UNIX path limit
        pytest.skip("temporary path too long for a socket")
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.close()
    return path


def _fifo_with_article(d: Path) -> str:
    path = d / "pipe.txt"
    os.mkfifo(path)

    def feed() -> None:
        with open(path, "wb") as fh:
            fh.write(ARTICLE.encode("utf-8"))
    threading.Thread(target=feed, daemon=True).start()
    return str(path)


def _dir_with_fifo(d: Path) -> str:
    sub = d / "withfifo"
    sub.mkdir()
    os.mkfifo(sub / "b.txt")  # never opened: reading it would block
    (sub / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return str(sub)


def _file_parent(d: Path) -> str:
    (d / "afile").write_text("x")
    return str(d / "afile")


def _score_files(hyp: str, ref: str, name: str = "hyp.txt"):
    def build(d: Path) -> tuple[str, str]:
        (d / name).write_text(hyp, encoding="utf-8")
        (d / "ref.txt").write_text(ref, encoding="utf-8")
        return str(d / name), str(d / "ref.txt")
    return build


def _config(text: str | bytes):
    def build(d: Path) -> str:
        cfg = Path(os.environ["TOOLKIT_CONFIG"])
        cfg.write_bytes(text.encode() if isinstance(text, str) else text)
        (d / "a.txt").write_text(ARTICLE, encoding="utf-8")
        return str(d / "a.txt")
    return build


def _article(d: Path) -> str:
    return w("a.txt", ARTICLE)(d)


REF = "The president arrived in the capital.\nThe talks were useful.\n"
CASES: list[Case] = [
    # -- encodings ------------------------------------------------------------
    Case("utf8-invalid-bytes", w("a.txt", AR1.encode() + b" \xff\xfe " + AR2.encode()),
         ["split", "{0}", "--format", "jsonl"], 0, "not valid UTF-8 and were replaced",
         check=_has("وصل الرئيس", "byte offset(s)")),
    Case("utf8-bom-invalid-bytes", w("a.txt", b"\xef\xbb\xbf" + AR1.encode() + b"\x80\n" + AR2.encode()),
         ["split", "{0}"], 0, "replaced by U+FFFD"),
    Case("utf8-overlong", w("a.txt", AR1.encode() + b"\xc0\xaf" + AR2.encode()), ["split", "{0}"], 0, "replaced"),
    Case("utf8-surrogate", w("a.txt", AR1.encode() + b"\xed\xa0\x80\n" + AR2.encode()), ["split", "{0}"], 0,
         "replaced"),
    Case("utf8-truncated-at-end", w("a.txt", ARTICLE.encode() + "ع".encode()[:1]), ["split", "{0}"], 0, "replaced"),
    Case("cp1256", w("a.txt", ARTICLE.encode("cp1256")), ["split", "{0}", "--format", "json"], 0,
         '"encoding": "cp1256"'),
    Case("utf16-le-bom", w("a.txt", ARTICLE.encode("utf-16-le").join([b"\xff\xfe", b""])), ["split", "{0}"], 0,
         "1.2"),
    Case("utf16-be-bom", w("a.txt", b"\xfe\xff" + ARTICLE.encode("utf-16-be")), ["split", "{0}"], 0, "1.2"),
    Case("utf16-no-bom", w("a.txt", ARTICLE.encode("utf-16-le")), ["split", "{0}"], 2, "cannot decode"),
    Case("latin1-french", w("a.txt", "Le président est arrivé à Paris. Très bien.".encode("latin-1")),
         ["split", "{0}"], 2, "cannot decode"),
    Case("shift-jis", w("a.txt", "東京で会議が開かれた。".encode("shift_jis")), ["split", "{0}"], 2, "cannot decode"),
    Case("bom-only", w("a.txt", b"\xef\xbb\xbf"), ["split", "{0}"], 2, "empty article"),
    Case("whitespace-only", w("a.txt", " \n\t\n\u00a0\n"), ["split", "{0}"], 2, "empty article"),
    # -- binary ---------------------------------------------------------------
    Case("pdf", w("a.pdf.txt", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"), ["split", "{0}"], 2, "binary file"),
    Case("zip", w("a.txt", b"PK\x03\x04" + bytes(range(256))), ["split", "{0}"], 2, "binary file"),
    Case("elf", w("a.txt", b"\x7fELF\x02\x01\x01" + bytes(64)), ["split", "{0}"], 2, "binary file"),
    Case("png", w("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32)), ["split", "{0}"], 2,
         "cannot decode"),
    Case("gzip", w("a.txt", b"\x1f\x8b\x08\x00" + bytes(range(200, 256)) * 4), ["split", "{0}"], 2,
         "cannot decode"),
    Case("random-bytes", w("a.txt", random.Random(7).randbytes(4096)), ["split", "{0}"], 2, "cannot decode"),
    Case("nul-in-text", w("a.txt", AR1 + "\x00" + AR2), ["split", "{0}"], 2, "NUL"),
    # -- size -------------------------------------------------------------------
    Case("file-over-limit", w("a.txt", ARTICLE * 400), ["split", "{0}"], 2, "input limit of 0.01 MB",
         env={"TOOLKIT_MAX_INPUT_MB": "0.01"}),
    Case("stdin-over-limit", lambda d: None, ["split", "-"], 2, "<stdin>: larger than the input limit",
         env={"TOOLKIT_MAX_INPUT_MB": "0.01"}, stdin=(ARTICLE * 400).encode()),
    Case("dev-zero-path", lambda d: "/dev/zero", ["split", "{0}"], 2, "input limit",
         env={"TOOLKIT_MAX_INPUT_MB": "0.5"}),
    Case("limit-setting-not-a-number", _article, ["split", "{0}"], 2, "max_input_mb must be a number",
         env={"TOOLKIT_MAX_INPUT_MB": "lots"}),
    Case("limit-setting-negative", _article, ["split", "{0}"], 2, "must be positive",
         env={"TOOLKIT_MAX_INPUT_MB": "-1"}),
    Case("one-huge-line", w("a.txt", "كلمة " * 40000), ["split", "{0}", "--format", "jsonl"], 0, '"part": 2'),
    Case("300-small-articles", _many_files, ["split", "{0}", "--format", "tsv"], 0, "300.1"),
    Case("translate-over-limit", w("a.txt", ARTICLE * 400), ["translate", "{0}"], 2, "input limit",
         env={"TOOLKIT_MAX_INPUT_MB": "0.01"}),
    # -- control characters and terminal escapes ----------------------------------
    Case("vertical-tab", w("a.txt", AR1 + "\x0b" + AR2), ["split", "{0}", "--format", "jsonl"], 0, AR2,
         check=lambda out, d: _json_sentences(out) == [AR1, AR2]),
    Case("form-feed", w("a.txt", AR1 + "\x0c" + AR2), ["split", "{0}", "--format", "tsv"], 0, "1.2"),
    Case("ansi-in-article", w("a.txt", f"{AR1}\n{ESC}[31m{AR2}{ESC}[0m\n"), ["split", "{0}"], 0,
         "removed 2 terminal escape sequence(s)", check=_no_raw_escape),
    Case("osc-title-in-article", w("a.txt", f"{AR1}{ESC}]0;pwned\x07\n{AR2}\n"), ["split", "{0}"], 0,
         "terminal escape", check=_no_raw_escape),
    Case("c1-csi-in-article", w("a.txt", f"{AR1}\u009b2J\n{AR2}\n"), ["split", "{0}"], 0, "terminal escape",
         check=_no_raw_escape),
    Case("bell-backspace", w("a.txt", f"{AR1}\x07\x08\n{AR2}\n"), ["split", "{0}"], 0, "2 control character(s)"),
    Case("bidi-override-kept", w("a.txt", f"{AR1}\n\u202e{AR2}\u202c\n"), ["split", "{0}", "--format", "jsonl"], 0,
         "\u202e"),
    Case("zero-width-kept", w("a.txt", f"{AR1}\n\u200f{AR2}\u200d\n"), ["split", "{0}"], 0, "1.2"),
    Case("escape-in-file-name", lambda d: str(d / f"{ESC}[31mred.txt"), ["split", "{0}"], 2, "no such file",
         check=_no_raw_escape),
    Case("score-worst-escapes", _score_files(f"The {ESC}[2J president {ESC}]0;x\x07 arrived.\nTalks.\n", REF),
         ["score", "{0}", "--ref", "{1}", "--worst", "2"], 0, "␛", check=_no_raw_escape),
    Case("score-json-keeps-text", _score_files(f"The {ESC}[2J president arrived.\nTalks.\n", REF),
         ["score", "{0}", "--ref", "{1}", "--worst", "2", "--format", "json"], 0, "\\u001b[2J"),
    # -- markup ----------------------------------------------------------------------
    Case("rich-markup-in-article", w("a.txt", f"{AR1} [bold]x[/bold] [/x]\n{AR2}\n"), ["split", "{0}"], 0, "[/x]"),
    Case("markup-in-baseline-name", lambda d: (*_score_files("The president arrived.\nTalks.\n", REF)(d),
                                               w("[bold]base.txt", "A president.\nTalk.\n")(d)),
         ["score", "{0}", "--ref", "{1}", "--compare", "{2}", "--samples", "20"], 0, "[bold]base"),
    Case("markup-model-dir", _article, ["translate", "{0}", "--model", "./[/x]"], 3, "[/x] does not exist"),
    Case("markup-model-id", _article, ["translate", "{0}", "--model", "bad[/x]id"], 2, "unknown model"),
    Case("script-in-html", w("a.html", f"<html><body><script>alert(1)</script><article><p>{AR1}</p><p>{AR2}</p>"
                                      "</article></body></html>"), ["split", "{0}", "--format", "tsv"], 0, "1.2"),
    Case("nav-only-html", w("nav.html", "<html><body><nav><a href='/'>الرئيسية</a><a href='/s'>رياضة</a></nav>"
                                        "</body></html>"), ["summarize", "{0}"], 2, "only headings or menu lines"),
    Case("headings-only-summarize", w("menu.txt", "الرئيسية\nأخبار الرياضة\nاتصل بنا\n"),
         ["summarize", "{0}"], 2, "only headings or menu lines"),
    Case("headings-only-report", w("menu.txt", "الرئيسية\nأخبار الرياضة\nاتصل بنا\n"),
         ["report", "{0}"], 2, "only headings or menu lines"),
    # -- URLs ------------------------------------------------------------------------
    Case("sentence-with-url-kept",
         w("a.txt", f"{AR1}\nوقالت الوزارة في بيان على موقعها https://mofa.example/news إن الزيارة ناجحة.\n"),
         ["split", "{0}", "--format", "jsonl"], 0, "https://mofa.example/news"),
    Case("bare-link-removed", w("a.txt", f"{AR1}\nhttps://t.me/example\n{AR2}\n"),
         ["split", "{0}", "--format", "json"], 0, '"reason": "link"'),
    Case("link-caption-removed", w("a.txt", f"{AR1}\nرابط الخبر: https://x.example/a\n{AR2}\n"),
         ["split", "{0}", "--format", "json"], 0, '"reason": "link"'),
    # -- malformed translations JSONL ---------------------------------------------------
    Case("jsonl-not-json", jsonl(raw='{"id": "1.1", "text": "x"}\nnot json\n'),
         ["summarize", "{0}", "-t", "{1}"], 2, "t.jsonl:2: not JSON"),
    Case("jsonl-text-number", jsonl({"id": "1.1", "text": 5}), ["summarize", "{0}", "-t", "{1}"], 2,
         't.jsonl:1: each line must be an object with string "id" and "text"'),
    Case("jsonl-id-null", jsonl({"id": None, "text": "x"}), ["summarize", "{0}", "-t", "{1}"], 2, "t.jsonl:1:"),
    Case("jsonl-top-level-array", jsonl(raw='[{"id": "1.1", "text": "x"}]\n'), ["summarize", "{0}", "-t", "{1}"],
         2, "t.jsonl:1:"),
    Case("jsonl-flags-string", jsonl({**GOOD[0], "flags": "loop"}, GOOD[1]), ["summarize", "{0}", "-t", "{1}"], 2,
         'field "flags" must be a list'),
    Case("jsonl-flags-ints", jsonl({**GOOD[0], "flags": [1, 2]}, GOOD[1]), ["summarize", "{0}", "-t", "{1}"], 2,
         "each flag must be"),
    Case("jsonl-source-file-number", jsonl({**GOOD[0], "source_file": 3}, GOOD[1]),
         ["summarize", "{0}", "-t", "{1}"], 2, 'field "source_file" must be a string'),
    Case("jsonl-source-number", jsonl({**GOOD[0], "source": ["x"]}, GOOD[1]), ["summarize", "{0}", "-t", "{1}"], 2,
         'field "source" must be a string'),
    Case("jsonl-duplicate-id", jsonl(GOOD[0], GOOD[1], {"id": "1.1", "text": "Invented."}),
         ["summarize", "{0}", "-t", "{1}"], 2, "t.jsonl:3: sentence ID 1.1 occurs twice (first on line 1)"),
    Case("jsonl-empty", jsonl(raw="\n\n"), ["summarize", "{0}", "-t", "{1}"], 2, "no translations in file"),
    Case("jsonl-bad-id-form", jsonl({"id": "x", "text": "y"}), ["summarize", "{0}", "-t", "{1}"], 2,
         "is not of the form A.S"),
    Case("jsonl-unknown-sentence", jsonl(GOOD[0], {"id": "1.99", "text": "y"}), ["summarize", "{0}", "-t", "{1}"],
         4, "sentence 1.99 is not in"),
    Case("jsonl-invalid-utf8", lambda d: (w("a.txt", ARTICLE)(d), w("t.jsonl", b'{"id": "1.1", "text": "\xff"}\n')(d)),
         ["summarize", "{0}", "-t", "{1}"], 2, "cannot read translation file"),
    Case("jsonl-u2028-reads-back", jsonl({"id": "1.1", "text": "The president\u2028arrived in the capital."},
                                         GOOD[1]),
         ["report", "{0}", "-t", "{1}", "--format", "md"], 0, "arrived in the capital. [1.1]", hub=True),
    Case("jsonl-bom", jsonl(raw="\ufeff" + json.dumps(GOOD[0]) + "\n" + json.dumps(GOOD[1]) + "\n"),
         ["report", "{0}", "-t", "{1}", "--format", "md"], 0, "two-day official visit", hub=True),
    Case("summarize-escapes-in-translation", jsonl({"id": "1.1", "text": f"The {ESC}[2J president arrived."},
                                                   GOOD[1]),
         ["summarize", "{0}", "-t", "{1}", "--cite"], 0, "president", hub=True, check=_no_raw_escape),
    # -- filesystem ----------------------------------------------------------------------
    Case("out-parent-is-file", lambda d: (_article(d), _file_parent(d)),
         ["split", "{0}", "--format", "json", "--out", "{1}/x/y.json"], 2, "afile is a file, not a directory"),
    Case("out-read-only-fs", _article, ["split", "{0}", "--format", "json", "--out", "/proc/toolkit-out.json"], 2,
         "cannot write"),
    Case("out-is-directory", lambda d: (_article(d), str(d)), ["split", "{0}", "--out", "{1}"], 2, "directory"),
    Case("translate-out-is-file", lambda d: (_article(d), _file_parent(d)), ["translate", "{0}", "--out", "{1}"], 2,
         "is a file"),
    Case("score-out-parent-is-file", lambda d: (*_score_files("A.\nB.\n", REF)(d), _file_parent(d)),
         ["score", "{0}", "--ref", "{1}", "--out", "{2}/s.json", "--format", "json"], 2, "cannot write"),
    Case("missing-file", lambda d: str(d / "nope.txt"), ["split", "{0}"], 2, "no such file"),
    Case("path-through-file", lambda d: _file_parent(d) + "/a.txt", ["split", "{0}"], 2, "no such file"),
    Case("broken-symlink", _broken_link, ["split", "{0}"], 2, "no such file"),
    Case("symlink-loop", _symlink_loop, ["split", "{0}"], 2, "cannot access"),
    Case("socket", _socket, ["split", "{0}"], 2, "not a regular file"),
    Case("unreadable-directory", _dir_with(("a.txt", ARTICLE)), ["split", "{0}"], 2,
         "cannot read directory (Permission denied)", setup=_denied(PermissionError)),
    Case("unreadable-file", _article, ["split", "{0}"], 2, "a.txt: cannot read (Permission denied)",
         setup=_unreadable_file),
    Case("directory-without-articles", _dir_with(("a.pdf", "x")), ["split", "{0}"], 2, "no article files"),
    Case("fifo-path", _fifo_with_article, ["split", "{0}", "--format", "tsv"], 0, "pipe.txt\t" + AR2),
    Case("fifo-in-directory-skipped", _dir_with_fifo, ["split", "{0}", "--format", "tsv"], 0, "1.2"),
    Case("stdin-twice", lambda d: None, ["split", "-", "-"], 2, "only once", stdin=ARTICLE.encode()),
    # -- settings --------------------------------------------------------------------------
    Case("config-invalid-toml", _config("beam = = 3"), ["translate", "{0}"], 2, "invalid config file"),
    Case("config-unknown-key", _config("bean = 3\n"), ["translate", "{0}"], 2, "unknown setting(s) bean"),
    Case("config-not-utf8", _config(b"model = \"\xff\"\n"), ["translate", "{0}"], 2, "invalid config file"),
    Case("config-beam-string", _config('beam = "wide"\n'), ["translate", "{0}"], 2, "beam must be an integer"),
    Case("env-beam-zero", _article, ["translate", "{0}"], 2, "beam must be at least 1", env={"TOOLKIT_BEAM": "0"}),
    Case("env-engine-bogus", _article, ["summarize", "{0}"], 2, "unknown engine 'bogus'",
         env={"TOOLKIT_ENGINE": "bogus"}),
    Case("eval-engine-bogus", lambda d: (_article(d), str(d)), ["eval", "{0}", "--refs", "{1}", "--engine", "bogus"],
         2, "bogus"),
    Case("model-bad-revision", _article, ["translate", "{0}", "--model", "owner/name@../x"], 2, "model revision"),
    Case("model-not-cached-offline", _article, ["translate", "{0}", "--model", "owner/not-cached"], 3,
         "is not in the Hugging Face cache"),
    Case("cache-dir-is-a-file", jsonl(*GOOD), ["summarize", "{0}", "-t", "{1}", "--format", "json"], 2,
         "setting cache_dir: cannot create /proc/version", hub=True, env={"TOOLKIT_CACHE_DIR": "/proc/version"}),
    Case("score-hyp-dev-zero", lambda d: ("/dev/zero", w("ref.txt", REF)(d)), ["score", "{0}", "--ref", "{1}"], 2,
         "input limit", env={"TOOLKIT_MAX_INPUT_MB": "0.5"}),
    Case("score-hyp-is-directory", lambda d: (str(d), w("ref.txt", REF)(d)), ["score", "{0}", "--ref", "{1}"], 2,
         "cannot pair a directory"),
    Case("glossary-dev-zero", lambda d: (_article(d), "/dev/zero"), ["translate", "{0}", "--glossary", "{1}"], 2,
         "glossary: larger than the input limit", env={"TOOLKIT_MAX_INPUT_MB": "0.5"}),
    Case("glossary-binary", lambda d: (_article(d), w("g.tsv", b"\xff\xfe\x00\x01")(d)),
         ["translate", "{0}", "--glossary", "{1}"], 2, "glossary is not UTF-8"),
    Case("jsonl-dev-zero", lambda d: (_article(d), "/dev/zero"), ["summarize", "{0}", "-t", "{1}"], 2,
         "translation file: larger than the input limit", env={"TOOLKIT_MAX_INPUT_MB": "0.5"}),
    # -- usage ---------------------------------------------------------------------------------
    Case("no-articles", lambda d: None, ["split"], 2, "Missing argument"),
    Case("unknown-option", _article, ["split", "{0}", "--frobnicate"], 2, "No such option"),
    Case("max-tokens-zero", _article, ["split", "{0}", "--max-tokens", "0"], 2, "max-tokens"),
]


def _format(args: list[str], built: Any) -> list[str]:
    values = built if isinstance(built, tuple) else (built,)
    return [a.format(*values) if "{" in a else a for a in args]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path, monkeypatch):
    if case.hub:
        from tests.summarize_fixtures import use_shared_hub

        use_shared_hub(monkeypatch)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    built = case.build(tmp_path)
    if case.setup:
        case.setup(monkeypatch)
    result = CliRunner().invoke(main, _format(case.args, built), input=case.stdin)
    output = result.output
    assert "Traceback" not in output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {type(result.exception).__name__}: {result.exception}")
    assert result.exit_code == case.code, output
    assert case.fragment in output, output
    if case.code not in (0,) and case.fragment:
        assert len([ln for ln in output.splitlines() if ln.startswith("Error")]) <= 1
    if case.check:
        case.check(output, tmp_path)


def test_case_count():
    # The suite is meant to stay broad; removing cases should be a decision.
    assert len(CASES) + len(PROCESS_CASES) >= 60


# -- cases that need a real process ---------------------------------------------------------

def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), **extra}


def _endless_stdin(tmp: Path) -> tuple[int, str]:
    with open("/dev/zero", "rb") as zero:
        p = subprocess.run([sys.executable, "-m", "toolkit", "split", "-"], stdin=zero, capture_output=True,
                           text=True, env=_env(TOOLKIT_MAX_INPUT_MB="1"), timeout=60)
    return p.returncode, p.stderr


def _endless_text_stdin(tmp: Path) -> tuple[int, str]:
    p = subprocess.Popen([sys.executable, "-m", "toolkit", "translate", "-"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(TOOLKIT_MAX_INPUT_MB="0.5"))
    line = (AR1 + "\n").encode()
    try:
        while p.poll() is None:
            p.stdin.write(line * 100)
    except BrokenPipeError:
        pass
    _, err = p.communicate(timeout=60)
    return p.returncode, err.decode()


def _blocked_reading_stdin(pid: int, timeout: float = 60.0) -> None:
    """Wait until the process sits in read(0, ...): on a loaded machine its
    start-up can take longer than any fixed sleep. Linux's
    /proc/PID/syscall gives the syscall number (read: 0 on x86-64, 63 on
    arm64) and its first argument; elsewhere a fixed wait stands in."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            fields = Path(f"/proc/{pid}/syscall").read_text().split()
        except OSError:
            time.sleep(1.5)
            return
        if len(fields) > 1 and fields[0] in ("0", "63") and int(fields[1], 16) == 0:
            return
        time.sleep(0.05)


def _sigint_while_reading(tmp: Path) -> tuple[int, str]:
    # A shell without job control starts background jobs with SIGINT
    # ignored, and Python then installs no handler: the child gets Ctrl-C's
    # default, as in a terminal, whatever started the tests.
    p = subprocess.Popen([sys.executable, "-m", "toolkit", "split", "-"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    _blocked_reading_stdin(p.pid)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=30)
    return p.returncode, err


def _process_substitution(tmp: Path) -> tuple[int, str]:
    (tmp / "a.txt").write_text(ARTICLE, encoding="utf-8")
    p = subprocess.run(["bash", "-c", f'"{sys.executable}" -m toolkit split <(cat "{tmp}/a.txt") --format tsv'],
                       capture_output=True, text=True, env=_env(), timeout=60)
    assert AR2 in p.stdout
    return p.returncode, p.stderr


def _closed_stdout(tmp: Path) -> tuple[int, str]:
    (tmp / "a.txt").write_text(ARTICLE * 3000, encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "toolkit", "split", str(tmp / "a.txt"), "--format", "jsonl"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    p.stdout.read(10)
    p.stdout.close()
    err = p.stderr.read().decode()
    p.wait(timeout=60)
    return 0 if p.returncode in (0, 1, 120, -signal.SIGPIPE) else p.returncode, err


PROCESS_CASES = [
    ("endless-stdin", _endless_stdin, 2, "<stdin>: larger than the input limit of 1 MB"),
    ("endless-text-stdin-translate", _endless_text_stdin, 2, "larger than the input limit"),
    ("sigint-while-reading", _sigint_while_reading, 130, "interrupted"),
    ("process-substitution", _process_substitution, 0, ""),
    ("stdout-closed-early", _closed_stdout, 0, ""),
]


@pytest.mark.parametrize("name, run, code, fragment", PROCESS_CASES, ids=[c[0] for c in PROCESS_CASES])
def test_hostile_process(name, run, code, fragment, tmp_path):
    rc, err = run(tmp_path)
    assert "Traceback" not in err, err
    assert rc == code, err
    assert fragment in err


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\x1c", "\x0b"])
def test_translations_jsonl_round_trips_line_breaking_characters(char, tmp_path):
    # What `toolkit translate --format jsonl` writes must read back exactly,
    # whatever the text holds (str.splitlines would break at these).
    from toolkit.cli.common import dumps_jsonl
    from toolkit.ingest import load_articles
    from toolkit.brief import english_from_jsonl

    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    articles = load_articles([str(art)])
    rows = [{"id": "1.1", "text": f"The president{char}arrived.", "source_file": str(art)},
            {"id": "1.2", "text": "Talks.", "source_file": str(art)}]
    (tmp_path / "t.jsonl").write_text(dumps_jsonl(rows), encoding="utf-8")
    english, _ = english_from_jsonl(tmp_path / "t.jsonl", articles)
    assert english == {"1.1": f"The president{char}arrived.", "1.2": "Talks."}
