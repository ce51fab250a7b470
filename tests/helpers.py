"""What the tests share: the project's paths, a throw-away issue folder, the
clean-up run on a few lines.  Imported as `helpers` (pytest's `pythonpath`)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ISSUE = ROOT / "sources" / "2025-08"


def make_issue(tmp_path, raw, issue_toml=None, fixes=None, magazine=None):
    """A throw-away issue folder beside a copy of the magazine constants (or, given `magazine`,
    those constants: a dict such as MAGAZINE, or magazine.toml's text)."""
    src = tmp_path / "sources"
    folder = src / "test-01"
    folder.mkdir(parents=True)
    if magazine is None:
        (src / "magazine.toml").write_bytes((ROOT / "sources" / "magazine.toml").read_bytes())
    else:
        (src / "magazine.toml").write_text(magazine if isinstance(magazine, str) else toml_text(magazine),
                                           encoding="utf-8")
    (folder / "raw.md").write_bytes(raw.encode("utf-8") if isinstance(raw, str) else raw)
    (folder / "issue.toml").write_text(issue_toml if issue_toml is not None else (
        'id = "test-01"\ntitle = "天堂之芯"\nsubtitle = "Integrated Circuit News"\nlanguage = "zh-CN"\n'
        'date = "2025-09"\npublisher = "测试出版社"\nidentifier = "urn:uuid:00000000-0000-4000-8000-000000000001"\n'),
        encoding="utf-8")
    if fixes is not None:
        (folder / "fixes.toml").write_text(fixes, encoding="utf-8")
    return folder


def toml_text(table: dict) -> str:
    """A small TOML writer for the tests' constants: texts, arrays of texts, one level of tables."""
    import json

    def value(v):
        return "[" + ", ".join(map(value, v)) + "]" if isinstance(v, list) else json.dumps(v, ensure_ascii=False)
    top = [f"{k} = {value(v)}" for k, v in table.items() if not isinstance(v, dict)]
    subs = [f"\n[{k}]\n" + "\n".join(f"{kk} = {value(vv)}" for kk, vv in v.items())
            for k, v in table.items() if isinstance(v, dict)]
    return "\n".join(top) + "\n" + "".join(s + "\n" for s in subs)


def issue_toml(language="zh-CN", title="天堂之芯", subtitle="Integrated Circuit News") -> str:
    return (f'id = "test-01"\ntitle = "{title}"\nsubtitle = "{subtitle}"\nlanguage = "{language}"\n'
            'date = "2025-09"\npublisher = "测试出版社"\nidentifier = "urn:uuid:00000000-0000-4000-8000-000000000001"\n')


# --- rules on a few lines ---------------------------------------------------------------------------

# another publication's constants: the rules must know nothing of ours
MAGAZINE = {"masthead": "示例月刊", "masthead_en": "SAMPLE MONTHLY", "sections": ["要闻", "观点"],
            "disclaimer": "本刊所载文章仅代表作者本人观点，不代表本刊立场。"}


def run_rules(raw: str, only=None, language="zh-CN", magazine=None, stage="clean"):
    """Read `raw` and run the clean-up (and, with stage="tables", the table
    decisions) with only the named rules on → (blocks, log)."""
    from pipeline.clean import clean
    from pipeline.context import Context
    from pipeline.model import Log
    from pipeline.read import read_blocks
    from pipeline.tables import tables

    log = Log()
    ctx = Context(log=log, magazine=MAGAZINE if magazine is None else magazine, language=language,
                  only=frozenset(only) if only is not None else None)
    blocks = clean(read_blocks(raw, log), ctx)
    if stage == "tables":
        blocks = tables(blocks, ctx)
    return blocks, log


def describe(blocks, log=None) -> str:
    """Blocks one per line, as a person checks them: kind, role, language, text
    (a line break inside a block shows as ⏎); then what was dropped."""
    from pipeline.model import Heading, ListBlock, Paragraph, Table, plain

    def flat(s):
        return s.strip().replace("\n", " ⏎ ")

    out = []
    for b in blocks:
        lang = f"[{b.lang}]" if getattr(b, "lang", None) else ""
        if isinstance(b, Heading):
            out.append(f"h{b.level}: {flat(b.text)}")
        elif isinstance(b, Paragraph):
            role = "" if b.role == "body" else f".{b.role}"
            out.append(f"p{role}{lang}: {flat(b.text)}")
        elif isinstance(b, ListBlock):
            kind = f"ol({b.start})" if b.ordered else "ul"
            out.append(f"{kind}{lang}: " + " | ".join(flat(plain(i)) for i in b.items))
        elif isinstance(b, Table):
            # a header cell in brackets; a row that is not body says what it is
            rows = " / ".join(("" if r.role in ("body", "head") else f"{r.role}: ")
                              + "|".join(f"[{c.text}]" if c.header else c.text for c in r.cells) for r in b.rows)
            cap = f" «{flat(plain(b.caption))}»" if b.caption else ""
            notes = "".join(f" ‹{flat(plain(n))}›" for n in b.notes)
            out.append(f"table{lang}{cap}: {rows}{notes}")
    for d in (log.drops if log else []):
        out.append(f"dropped: {flat(d.text)}")
    return "\n".join(out)


def fixtures(path: Path):
    """Cases in the style of markdown-it-py's test fixtures:

        [rule_a rule_b] what the case shows
        .
        input lines
        .
        expected lines (see `describe`)
        .

    → (title, rules, input, expected)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    k = 0
    while k < len(lines):
        head = lines[k]
        if not head.startswith("["):
            k += 1
            continue
        rules, _, title = head[1:].partition("]")
        assert lines[k + 1] == ".", f"{path.name}:{k + 2}: a '.' line after the title"
        end_in = lines.index(".", k + 2)
        end_out = lines.index(".", end_in + 1)
        yield (title.strip(), rules.split(), "\n".join(lines[k + 2:end_in]) + "\n",
               "\n".join(lines[end_in + 1:end_out]).strip(), k + 1)
        k = end_out + 1


def bad_input_line(folder, out) -> str:
    """Build `folder` expecting bad input: exit 2, no traceback, nothing written to `out` → the one
    line on stderr (which the caller checks names the file, line and fault)."""
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert not Path(out).exists()
    line = proc.stderr.strip()
    assert line.startswith("error: ") and "\n" not in line, line
    return line
