"""`make corpus`: build every document of ../shared/corpus as a new user would
(its own issue.toml and an empty magazine.toml, nothing of our magazine), and
print what structure was found: the practice ground of the unseen-input issue.

    .venv/bin/python tools/corpus.py [NAME ...] [--formats screen,print,epub]
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
# name → (raw file, language, title): what a user would write in issue.toml
DOCUMENTS = {
    "worldbank": ("worldbank-la-venta-pad/raw.md", "en", "Mexico Wind Umbrella (La Venta II)"),
    "research-report": ("research-report-raw.md", "zh-CN", "高测股份研究报告"),
    "math-2-6": ("math-topic-2-6-nidengxian/raw.md", "zh-CN", "专题2-6 逆等线之乾坤大挪移"),
    "g7-week12": ("xiexiu-g7-math-week12/raw.md", "zh-CN", "七年级数学第12周"),
}


def issue_folder(name: str, work: Path) -> Path:
    raw, language, title = DOCUMENTS[name]
    src = CORPUS / raw
    folder = work / "sources" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (work / "sources" / "magazine.toml").write_text("# a publication with no settings of its own\n", encoding="utf-8")
    shutil.copy(src, folder / "raw.md")
    if (src.parent / "images").is_dir() and src.parent != CORPUS:
        shutil.copytree(src.parent / "images", folder / "images")
    if (src.parent / "content_list.json").is_file() and src.parent != CORPUS:
        shutil.copy(src.parent / "content_list.json", folder / "content_list.json")
    (folder / "issue.toml").write_text(
        f'id = "{name}"\ntitle = "{title}"\nsubtitle = "{title}"\nlanguage = "{language}"\ndate = "2026-01"\n'
        f'publisher = "corpus"\nidentifier = "urn:uuid:00000000-0000-4000-8000-{abs(hash(name)) % 10**12:012d}"\n',
        encoding="utf-8")
    return folder


def outline(report: dict) -> list[str]:
    lines = []
    for s in report["structure"]["sections"]:
        lines.append(f"  [{s['name'] or '(no section)'}]")
        lines += [f"    {a['title']}" + (f"  p.{a['printed_page']}" if a.get("printed_page") else "")
                  for a in s["articles"]]
    return lines


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*", default=list(DOCUMENTS))
    ap.add_argument("--formats", default="screen,print,epub")
    ap.add_argument("--out", default=str(ROOT / "output" / "corpus"))
    args = ap.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    out = Path(args.out)
    worst = 0
    for name in args.names:
        folder = issue_folder(name, out / "_work")
        proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--formats", args.formats,
                               "--out", str(out / name), "--quiet"], cwd=ROOT, capture_output=True, text=True)
        worst = max(worst, proc.returncode)
        print(f"== {name}: exit {proc.returncode}")
        if proc.returncode:
            print(proc.stderr.strip()[-2000:])
            continue
        report = json.loads((out / name / "report.json").read_text(encoding="utf-8"))
        rules = Counter(w["rule"] for w in report["warnings"])
        print(f"  pages {report['pages']}; changes {len(report['changes'])}; dropped {len(report['dropped'])}; "
              f"warnings {dict(rules)}")
        print("\n".join(outline(report)))
    return worst


if __name__ == "__main__":
    sys.exit(main())
