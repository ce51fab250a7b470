"""Formulas: TeX the extractor wrote, typeset for each edition.

The document carries a formula as `<span class="math">TeX</span>` (in a
`<p class="formula">` for one set apart).  The EPUB gets MathML, which EPUB 3
reading systems render (latex2mathml); the PDFs get SVG drawn in STIX Two Math
(ziamath), since WeasyPrint has no MathML.  A formula neither library reads
is set as code, and the report says which (`formulas`, at the model stage).
"""
from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
MATHML = "http://www.w3.org/1998/Math/MathML"
PX_PER_PT = 4 / 3
BODY_PT = 10          # the size formulas are set at in the PDFs (common.css: html 10pt)


def _quiet():
    import logging
    logging.getLogger("ziamath").setLevel(logging.ERROR)


@lru_cache(maxsize=4096)
def mathml(tex: str, display: bool = False) -> str | None:
    import latex2mathml.converter
    try:
        out = latex2mathml.converter.convert(tex, display="block" if display else "inline")
        etree.fromstring(out)
        return out
    except Exception:          # the library raises many kinds on TeX it does not read
        return None


_SVG: dict[str, str | None] = {}     # TeX → SVG, for both PDF editions of a build


def _draw(tex: str) -> str | None:
    import ziamath
    _quiet()
    ziamath.config.svg2 = False   # glyphs as plain paths: no <symbol> ids, and WeasyPrint draws it ~30 % faster
    try:
        return ziamath.Latex(tex, size=BODY_PT * PX_PER_PT).svg()
    except Exception:          # TeX ziamath does not read
        return None


def svg(tex: str) -> str | None:
    if tex not in _SVG:
        draw_all([tex])
    return _SVG[tex]


def draw_all(texs) -> None:
    """Draw the formulas not drawn yet: ziamath takes ~12 ms a formula, so a
    maths booklet's hundreds are drawn in worker processes where there are
    several cores."""
    todo = sorted(set(texs) - set(_SVG))
    if not todo:
        return
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor
    workers = min(os.cpu_count() or 1, len(todo) // 50)
    # a daemon process (the print PDF's, build._Forked) may not start workers: it draws them itself
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods() or \
            multiprocessing.current_process().daemon:
        _SVG.update(zip(todo, map(_draw, todo)))
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        _SVG.update(zip(todo, pool.map(_draw, todo, chunksize=16)))


CUT = re.compile(r"(\\|[\^_])\s*$")   # ends in a backslash or a bare ^ or _: the formula was cut
ESCAPED = re.compile(r"\\[\\{}_^]")


def readable(tex: str) -> bool:
    """Whole TeX the EPUB can set as MathML (the PDFs' drawing is checked when
    drawn); latex2mathml takes `5\\` or `x^` without complaint."""
    bare = ESCAPED.sub("", tex)       # \{ \} \_ are signs, not groups or scripts
    return (bool(tex.strip()) and not CUT.search(bare) and bare.count("{") == bare.count("}")
            and mathml(tex) is not None)


def _math_elements(root):
    return [el for el in root.iter(f"{{{XHTML}}}span") if el.get("class") == "math"]


def draw_issue(issue) -> None:
    """Draw every formula of the issue now, in this process (and its workers): a process forked
    after this (the print PDF's) finds them drawn."""
    import dataclasses

    from ..model import Run
    texs, stack = [], [issue]
    while stack:          # every Run of the model, wherever it is (paragraphs, cells, captions …)
        node = stack.pop()
        if isinstance(node, Run):
            if "math" in node.marks:
                texs.append(node.text)
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
        elif dataclasses.is_dataclass(node):
            stack.extend(getattr(node, f.name) for f in dataclasses.fields(node))
    draw_all(texs)


def to_svg(root, ink: str | None = None) -> list[str]:
    """Each formula of the XHTML tree as inline SVG, on the text's baseline;
    its TeX stays as the label a screen reader speaks; drawn in `ink` where
    given (the print edition's black, a CMYK colour: ziamath draws in RGB
    black, which a CMYK preflight rejects).  → the TeX of those that could
    not be drawn (set as their source instead)."""
    formulas = _math_elements(root)
    draw_all(el.text or "" for el in formulas)
    failed = []
    for n, el in enumerate(formulas):
        tex = el.text or ""
        drawing = svg(tex)
        if drawing is None:      # shown as what the source said, in code face
            el.set("class", "math-source")
            el.text = f"${tex}$"
            failed.append(tex)
            continue
        if ink:
            drawing = drawing.replace('fill="black"', f'fill="{ink}"').replace('stroke="black"', f'stroke="{ink}"')
        node = etree.fromstring(drawing)
        _unique_ids(node, f"m{n}-")
        y, height = (float(v) for v in node.get("viewBox").split()[1::2])
        depth = height + y                 # below the baseline
        node.set("style", f"vertical-align: {-depth:.2f}px")
        node.set("role", "img")
        node.set("aria-label", tex)
        el.text = None
        el.append(node)
    return failed


def _unique_ids(node, prefix: str) -> None:
    """ziamath names its glyph symbols by glyph: two formulas in one document would share ids."""
    href = "{http://www.w3.org/1999/xlink}href"
    for el in node.iter():
        if el.get("id"):
            el.set("id", prefix + el.get("id"))
        for attr in (href, "href"):
            if (el.get(attr) or "").startswith("#"):
                el.set(attr, "#" + prefix + el.get(attr)[1:])


def to_mathml(root) -> bool:
    """Each formula of the XHTML tree as MathML, with its TeX as alttext.
    → whether there was any (the EPUB manifest says `mathml` then)."""
    found = False
    for el in _math_elements(root):
        tex = el.text or ""
        parent = el.getparent()
        markup = mathml(tex, display=parent is not None and parent.get("class") == "formula")
        if markup is None:
            continue
        node = etree.fromstring(markup)
        node.set("alttext", tex)
        el.text = None
        el.append(node)
        found = True
    return found

