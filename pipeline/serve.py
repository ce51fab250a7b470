"""`editions serve sources/<id> [--port 8000]`: a preview of the issue on this machine.

It builds the issue into output/<id>/ (the EPUB and the report first, about a second or two,
then all editions) and serves, on 127.0.0.1 only:

    /                 what there is: the EPUB's chapters, the screen PDF, the contact sheet, the
                      report, and how the last build went
    /epub/<file>      the EPUB's documents as pages (from the built EPUB)
    /out/<file>       the editions, the report and preview.png, as built

When raw.md, fixes.toml, issue.toml, magazine.toml or a style sheet changes (looked at twice a
second), it builds again, the same way; every page it serves asks for /version once a second and
reloads itself when a build has finished.  A build that fails (bad input) is shown on / with its
one line; the last good editions stay served.
"""
from __future__ import annotations

import html
import http.server
import json
import mimetypes
import re
import threading
import time
import zipfile
from pathlib import Path

from .errors import InputError

ROOT = Path(__file__).resolve().parent.parent
POLL = 0.5            # seconds between looks at the sources
RELOAD = """<script>(function(){var v=null;setInterval(function(){fetch('/version').then(function(r){
return r.text()}).then(function(t){if(v===null){v=t}else if(t!==v){location.reload()}}).catch(function(){})},
1000)})();</script>"""


class Preview:
    """The state the server shows: the build's version, its last outcome, what is built."""

    def __init__(self, folder: Path, out: Path, say=None):
        self.folder, self.out = folder, out
        self.say = say or (lambda line: None)
        self.version = 0
        self.status = "building …"
        self.built = None      # (what, seconds, clock time) of the last good build, said on / in the words
        self.lock = threading.Lock()
        self.epub: dict[str, bytes] = {}

    def watched(self) -> dict[Path, int]:
        paths = [self.folder / n for n in ("raw.md", "fixes.toml", "issue.toml")]
        paths += [self.folder.parent / "magazine.toml", *sorted((ROOT / "styles").glob("*.css"))]
        return {p: p.stat().st_mtime_ns if p.exists() else 0 for p in paths}

    def build(self) -> None:
        """The EPUB and the report first (reloaded at once), then all editions."""
        from .build import build
        for formats, label in ((["epub"], "EPUB and report"), (None, "all editions")):
            what = "epub" if formats else "all"
            started = time.perf_counter()
            try:
                with self.lock:
                    if formats:
                        build(self.folder, self.out, formats=formats, quiet=True)
                    else:
                        build(self.folder, self.out, quiet=True)
                        from .preview import contact_sheet
                        pdf = self.out / f"{self._id()}.pdf"
                        if pdf.exists():
                            contact_sheet(pdf, self.out / "preview.png")
                    self._read_epub()
                    seconds, clock = time.perf_counter() - started, time.strftime('%H:%M:%S')
                    self.status = f"{label} built in {seconds:.1f} s at {clock}"
                    self.built = (what, seconds, clock)
            except InputError as err:
                self.status = f"error: {err.path}:{err.line}: {err.message}"
                self.built = None
                self.version += 1
                self.say(self.status)
                return
            except Exception as err:      # noqa: BLE001 -- shown on the page; the server keeps going
                self.status = f"internal error: {type(err).__name__}: {err}"
                self.built = None
                self.version += 1
                self.say(self.status)
                return
            self.version += 1
            self.say(self.status)

    def _id(self) -> str:
        from .sources import load_source
        return load_source(self.folder).meta.id

    def _read_epub(self) -> None:
        epubs = sorted(self.out.glob("*.epub"))
        if epubs:
            with zipfile.ZipFile(epubs[0]) as z:
                self.epub = {n.split("/", 1)[1] if n.startswith("OEBPS/") else n: z.read(n) for n in z.namelist()}

    def watch(self, stop: threading.Event) -> None:
        seen = self.watched()
        while not stop.wait(POLL):
            now = self.watched()
            if now != seen:
                seen = now
                self.build()

    def chapters(self) -> list[str]:
        """The EPUB's documents in reading order (its spine), the nav left out."""
        opf = self.epub.get("content.opf")
        if not opf:
            return []
        from lxml import etree
        root = etree.fromstring(opf)
        hrefs = {i.get("id"): i.get("href") for i in root.iter("{*}item")}
        return [hrefs[r.get("idref")] for r in root.iter("{*}itemref") if r.get("idref") in hrefs]

    def index(self) -> str:
        try:
            from .sources import load_source
            meta = load_source(self.folder).meta
            lang, heading = meta.language, f"{meta.title} {meta.number or meta.date_label}"
        except InputError:            # the status line says what is wrong
            lang, heading = "en", self.folder.name
        L = INDEX_WORDS["zh" if lang.lower().startswith("zh") else "en"]
        files = sorted(p.name for p in self.out.iterdir()) if self.out.is_dir() else []
        status = self.status          # errors as the build said them: one line naming file and line
        if self.built:
            what, seconds, clock = self.built
            status = L["built_" + what].format(seconds=seconds, clock=clock)

        def title(name):       # the chapter's own <title>, else its file name
            m = re.search(rb"<title>([^<]*)</title>", self.epub[name])
            return m.group(1).decode("utf-8", "replace") if m and m.group(1).strip() else name
        items = "".join(f'<li><a href="/epub/{html.escape(n)}">{html.escape(title(n))}</a></li>'
                        for n in self.chapters() if n in self.epub)
        warned = ""
        if (self.out / "report.json").is_file():
            try:
                count = len(json.loads((self.out / "report.json").read_text(encoding="utf-8"))["warnings"])
                warned = f'<p><a href="/out/report.html#warnings">{L["warnings"].format(count=count)}</a></p>'
            except (ValueError, KeyError):
                pass
        named = {n: L.get(Path(n).suffix, "") for n in files}
        for n in files:
            if n.endswith("-print.pdf"):
                named[n] = L["print"]
        outs = "".join(f'<li><a href="/out/{html.escape(n)}">{html.escape(n)}</a> {html.escape(named[n])}</li>'
                       for n in files if named[n])
        sheet = (f'<h2>{L["sheet"]}</h2><p><img src="/out/preview.png" alt="{L["sheet"]}" style="max-width:100%"/></p>'
                 if "preview.png" in files else "")
        return (f"<!DOCTYPE html><html lang=\"{html.escape(lang)}\"><head><meta charset=\"utf-8\"/><title>"
                f"{L['preview']}：{html.escape(heading)}</title><style>{INDEX_STYLE}</style></head><body>"
                f"<h1>{L['preview']}：{html.escape(heading)}</h1><p id=\"status\">{html.escape(status)}</p>{warned}"
                f"<h2>{L['editions']}</h2><ul>{outs}</ul><h2>{L['chapters']}</h2><ol>{items}</ol>{sheet}{RELOAD}"
                "</body></html>")


# the index's words, in the language (as the report's)
INDEX_WORDS = {
    "zh": {"preview": "预览", "editions": "版本与报告", "chapters": "EPUB 各章", "sheet": "屏幕版 PDF 全部页面",
           "warnings": "警告 {count} 条：看报告", ".pdf": "屏幕版 PDF", "print": "印刷版 PDF", ".epub": "EPUB",
           ".html": "构建报告", ".json": "构建报告（JSON）", ".png": "页面缩略图",
           "built_epub": "EPUB 和报告已生成（{seconds:.1f} 秒，{clock}），PDF 排版中 …",
           "built_all": "全部版本已生成（{seconds:.1f} 秒，{clock}）"},
    "en": {"preview": "Preview", "editions": "Editions and report", "chapters": "EPUB chapters",
           "sheet": "All pages of the screen PDF", "warnings": "{count} warnings: see the report",
           ".pdf": "screen PDF", "print": "print PDF", ".epub": "EPUB", ".html": "build report",
           ".json": "build report (JSON)", ".png": "contact sheet",
           "built_epub": "EPUB and report built in {seconds:.1f} s at {clock}; laying out the PDFs …",
           "built_all": "all editions built in {seconds:.1f} s at {clock}"},
}
INDEX_STYLE = ("body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em;max-width:60em;line-height:1.5}"
               "#status{color:#555}ol{columns:2}")


def handler(preview: Preview):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):      # quiet: the terminal is the editor's
            pass

        def send(self, body: bytes, kind: str, code: int = 200):
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if path == "/":
                return self.send(preview.index().encode("utf-8"), "text/html; charset=utf-8")
            if path == "/version":
                return self.send(str(preview.version).encode(), "text/plain")
            if path.startswith("/epub/") and path[6:] in preview.epub:
                name = path[6:]
                body = preview.epub[name]
                if name.endswith(".xhtml"):
                    body = body.replace(b"</body>", RELOAD.encode() + b"</body>")
                    return self.send(body, "application/xhtml+xml; charset=utf-8")
                return self.send(body, mimetypes.guess_type(name)[0] or "application/octet-stream")
            if path.startswith("/out/"):
                name = path[5:]
                target = preview.out / name
                if "/" not in name and target.is_file():
                    body = target.read_bytes()
                    if name.endswith(".html"):
                        body = body.replace(b"</body>", RELOAD.encode() + b"</body>")
                    return self.send(body, mimetypes.guess_type(name)[0] or "application/octet-stream")
            self.send(b"not found", "text/plain", 404)
    return Handler


def serve(folder: Path, out: Path, port: int) -> None:
    def say(line):
        print(line, flush=True)
    preview = Preview(folder, out, say)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler(preview))
    say(f"preview of {folder} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    stop = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    preview.build()
    try:
        preview.watch(stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
