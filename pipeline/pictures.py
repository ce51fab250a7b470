"""pictures: the issue's images, found inside its folder, each with its
caption and the text a reader who cannot see it is given; and what the page
said of pictures the edition does not have.

Runs after the tables stage (a caption above a table is the table's by
then), before structure.  Closed world: a picture is read only from a file
inside the issue folder; a path out of it (`../`, absolute, a link, a URL)
is refused and reported, like a file that is missing.
"""
from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from .clean.figures import PICTURE_MARK
from .context import Context, Decisions
from .model import Editor, Figure, Heading, ListBlock, Paragraph, Run, Table, plain
from .text import SOURCE_LINE

DECISIONS = Decisions("pictures", {
    "pictures.caption": "the caption beside a picture (below it, or 图1/Fig. above it) is set with it, never apart",
    "pictures.alt": "a picture's text for readers who cannot see it: the extractor's description, the text "
                    "that stood in it, else its caption",
    "pictures.missing": "a caption, slide or poster text whose picture is not in the edition goes to the report "
                        "(picture missing); `keep` in fixes.toml brings it back",
})

# what WeasyPrint draws and EPUB 3 lists as core media types, by Pillow's format name
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
# MinerU crops pictures out of pages rendered at 200 dpi (measured on the corpus: pixels against
# the content list's boxes); a file that names its own resolution is taken at its word
EXTRACTOR_DPI = 200.0
# a caption numbers its picture, or marks it (▲), or credits it
CAPTION_START = re.compile(rf"^\s*(?:{PICTURE_MARK}|Graph\b|Chart\b|Map\b|Photo\b)", re.I)
# the author's text pointing at a picture: shown beside a missing one in the report
POINTER = re.compile(r"[如见][上下左右]?图|[上下左右]图|图\s*\d|圖\s*\d|\b(?:see |the )?(?:figure|fig\.|graph|chart|map)s?\s*(?:\d|below|above)",
                     re.I)
CONTENT_LIST = ("content_list.json", "*_content_list.json")


def locate(src: str, folder: Path) -> tuple[str | None, str]:
    """The file a picture's `src` names, relative to the issue folder, or
    (None, why not).  Only files inside the folder are ever read."""
    parsed = urlparse(src)
    if parsed.scheme or parsed.netloc:
        return None, "not a file of the issue folder (a URL)"
    rel = PurePosixPath(unquote(parsed.path))
    if not str(rel).strip() or str(rel) == ".":
        return None, "names no file"
    if rel.is_absolute() or ".." in rel.parts:
        return None, "outside the issue folder (the pictures are read from the issue folder only)"
    root = folder.resolve()
    full = (root / rel).resolve()
    if not full.is_relative_to(root):
        return None, "a link out of the issue folder (the pictures are read from the issue folder only)"
    if not full.is_file():
        return None, "not in the issue folder"
    return full.relative_to(root).as_posix(), ""


def inspect(path: Path) -> tuple[str, tuple[int, int], float] | str:
    """(format, pixel size, dpi it names or 0) of an image file, or why it cannot be used."""
    from PIL import Image
    try:
        with Image.open(path) as im:
            im.verify()
        with Image.open(path) as im:
            fmt, size, dpi = im.format, im.size, im.info.get("dpi")
    except Image.DecompressionBombError:
        return "too many pixels to be a picture of a page"
    except Exception as err:   # Pillow raises many kinds for a damaged file
        return f"not an image Pillow can read ({type(err).__name__})"
    if fmt not in FORMATS:
        return f"a {fmt} image: save it as JPEG or PNG"
    if not (size[0] and size[1]):
        return "an image of no pixels"
    named = float(dpi[0]) if isinstance(dpi, tuple) and dpi and isinstance(dpi[0], (int, float)) else 0.0
    return fmt, size, named if 30 <= named <= 2400 and abs(named - 72) > 0.5 else 0.0   # 72: a default, not a scan


def content_list(folder: Path, log) -> dict[str, dict]:
    """MinerU's content list (one per folder), img_path → its entry; {} if none."""
    found = sorted({p for pattern in CONTENT_LIST for p in folder.glob(pattern)})
    if not found:
        return {}
    path = found[0]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        log.warn("pictures.content_list", None, f"{path.name} is not readable JSON ({err}); its captions are not used")
        return {}
    entries = {}
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict) and item.get("type") == "image" and isinstance(item.get("img_path"), str):
            entries[item["img_path"]] = item
    return entries


def _texts(item: dict, key: str) -> list[str]:
    value = item.get(key) if item else None
    return [v.strip() for v in value if isinstance(v, str) and v.strip()] if isinstance(value, list) else []


def _norm(t: str) -> str:
    return re.sub(r"\W", "", t).lower()


def _caption_of(blocks, n, listed: list[str]) -> tuple[list[int], list[int]]:
    """(caption paragraphs, source paragraphs) of the picture blocks[n], as indexes."""
    caps, notes = [], []
    k = n + 1
    wanted = _norm("".join(listed))
    while k < len(blocks) and isinstance(blocks[k], Paragraph) and len(caps) < 2:
        b, t = blocks[k], blocks[k].text.strip()
        said = wanted and _norm(t) and _norm(t) in wanted
        if said or b.role == "caption" or (b.role == "body" and CAPTION_START.match(t) and len(t) < 120):
            caps.append(k)
            k += 1
            continue
        break
    if k < len(blocks) and isinstance(blocks[k], Paragraph) and SOURCE_LINE.match(blocks[k].text) \
            and len(blocks[k].text) < 120:
        notes.append(k)
    if not caps and n > 0 and isinstance(blocks[n - 1], Paragraph):
        b, t = blocks[n - 1], blocks[n - 1].text.strip()
        above = (b.role == "caption" and CAPTION_START.match(t)) or (wanted and _norm(t) == wanted)
        if above and not (n > 1 and isinstance(blocks[n - 2], Figure)):   # it would be the one above's
            caps.append(n - 1)
    return caps, notes


def _image_text_of(blocks, n) -> list[int]:
    """The image text right after a picture (and its caption): what stood in it."""
    k, found = n + 1, []
    while k < len(blocks) and isinstance(blocks[k], Paragraph) and blocks[k].role == "figure-text" \
            and Editor.SHOW not in blocks[k].editor:
        found.append(k)
        k += 1
    return found


def pictures(blocks: list, ctx: Context, folder: Path | None) -> list:
    listed = content_list(folder, ctx.log) if folder else {}
    for b in blocks:
        if isinstance(b, Figure):
            _find_file(b, folder, ctx)
    taken: set[int] = set()
    for n, b in enumerate(blocks):
        if not isinstance(b, Figure) or n in taken:
            continue
        item = listed.get(b.src, {})
        if ctx.enabled("pictures.caption"):
            caps, notes = _caption_of(blocks, n, _texts(item, "image_caption") + _texts(item, "image_footnote"))
            caps = [k for k in caps if k not in taken]
            for k in caps:
                c = blocks[k]
                b.caption = b.caption + ([Run("\n")] if b.caption and c.runs else []) + c.runs
                b.lang = b.lang or c.lang
                ctx.log.change("pictures.caption", c.span, c.text, f"caption of the picture {b.src}", stage="pictures")
            for k in notes:
                b.notes.append(blocks[k].runs)
                ctx.log.change("pictures.caption", blocks[k].span, blocks[k].text,
                               f"source line of the picture {b.src}", stage="pictures")
            taken |= set(caps) | set(notes)
        if ctx.enabled("pictures.alt") and b.file:
            inside = [k for k in _image_text_of(blocks, max([n] + sorted(taken & set(range(n, n + 4))))) if k not in taken]
            if inside:
                said = "\n".join(blocks[k].text.strip() for k in inside)
                if not b.alt:
                    b.alt, b.alt_from = " ".join(said.split()), "image-text"
                for k in inside:
                    ctx.log.change("pictures.alt", blocks[k].span, blocks[k].text,
                                   f"the text in the picture {b.src}, given as its description", stage="pictures")
                taken |= set(inside)
        if not b.alt and b.caption:
            b.alt, b.alt_from = " ".join(plain(b.caption).split()), "caption"
        b.near = _passage_before(blocks, n)
    out = [b for k, b in enumerate(blocks) if k not in taken]
    if ctx.enabled("pictures.missing"):
        out = _set_aside_missing(out, ctx)
    return out


NEAR = 60    # characters of the passage a picture illustrates, for its text when nothing describes it


def _passage_before(blocks, n) -> str:
    """The start of the text a picture stands under (a run of pictures shares it)."""
    for b in reversed(blocks[max(0, n - 6):n]):
        if isinstance(b, Paragraph) and b.role == "body" and b.text.strip() or isinstance(b, (ListBlock, Heading)):
            t, whole = _speakable(b)          # a heading only where no prose comes first (a question set)
            t = " ".join(t.split())
            return t if len(t) <= NEAR and whole else t[:NEAR].rstrip() + "…"
        if isinstance(b, Table):
            break
    return ""


def _speakable(b) -> tuple[str, bool]:
    """A block's text as a reader who cannot see it is told it: a formula in plain words where it is
    simple TeX (x, 2x + 1 = 5), and the text cut before the first that is not, TeX being no text to
    read out → (text, whether it is whole)."""
    from .inline import tex_to_runs
    runs = b.runs if isinstance(b, (Paragraph, Heading)) else [r for item in b.items for r in item + [Run(" ")]]
    out = []
    for r in runs:
        if r.marks & {"math", "tex"}:
            simple = tex_to_runs(r.text.strip().strip("$"), frozenset())
            if simple is None:
                return "".join(out), False
            out.append(plain(simple))
        else:
            out.append(r.text)
    return "".join(out), True


def _find_file(b: Figure, folder: Path | None, ctx: Context) -> None:
    if b.file:         # an editor's `figure` fix named it, and it was checked then
        pass
    elif folder is None:
        return
    else:
        b.file, why = locate(b.src, folder)
        if b.file is None:
            ctx.log.warn("pictures.missing", b.span, f"the picture {b.src or '(no file name)'} at raw line "
                         f"{b.span.start} is {why}: it is left out of the editions")
            return
    got = inspect(folder / b.file) if folder else "no issue folder"
    if isinstance(got, str):
        ctx.log.warn("pictures.unreadable", b.span, f"the picture {b.file} at raw line {b.span.start} is {got}: "
                     "it is left out of the editions")
        b.file = None
        return
    _, b.size, b.dpi = got
    b.dpi = b.dpi or EXTRACTOR_DPI


def _set_aside_missing(blocks: list, ctx: Context) -> list:
    """Pictures whose file is not there, and captions and image text with no
    picture beside them, are not shown: the report lists each as "picture
    missing", with the sentences nearby that point at it."""
    out = []
    for n, b in enumerate(blocks):
        missing = isinstance(b, Figure) and not b.file
        orphan = (isinstance(b, Paragraph) and b.role in ("caption", "figure-text") and Editor.SHOW not in b.editor
                  and not _beside_table(blocks, n))
        if not (missing or orphan):
            out.append(b)
            continue
        what = (f"the file {b.src} is not in the issue folder" + (", nor is its caption shown" if b.text else "")
                if missing else ("a caption" if b.role == "caption" else "the text of a picture (a slide, chart or poster)")
                + " whose picture is not in the edition")
        pointers = [p.text.strip() for p in blocks[max(0, n - 4):n + 5]
                    if isinstance(p, Paragraph) and p.role == "body" and POINTER.search(p.text)]
        pointed = "".join(f"; the text points at it: “{_around(t)}”" for t in pointers[:2])
        said = (_image_line(b, ctx) + ("\n" + b.text if b.text else "")) if missing else b.text
        ctx.log.drop("pictures.missing", b.span, said,
                     f"picture missing: {what}{pointed} "
                     "(fixes.toml: `keep` shows the text, `figure` places a picture from images/)")
    return out


def _image_line(b: Figure, ctx: Context) -> str:
    """The image line as the source wrote it (its description included)."""
    k = b.span.start - 1
    line = ctx.source[k].strip() if 0 <= k < len(ctx.source) else ""
    return line if b.src in line else f"![{b.alt}]({b.src})"


def _beside_table(blocks, n) -> bool:
    """A caption next to a table is the table's (a title below it, a "表1" the tables stage left)."""
    return any(0 <= k < len(blocks) and isinstance(blocks[k], Table) for k in (n - 1, n + 1)) \
        and blocks[n].role == "caption"


def _around(t: str) -> str:
    m = POINTER.search(t)
    start = max(0, m.start() - 12)
    return ("…" if start else "") + t[start:m.end() + 12] + ("…" if m.end() + 12 < len(t) else "")


def figures_of(blocks) -> list[Figure]:
    return [b for b in blocks if isinstance(b, Figure)]

