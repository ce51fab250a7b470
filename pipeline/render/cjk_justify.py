"""Chinese line layout for the PDF editions: flush justification of CJK text
and compression of adjacent full-width punctuation, as a small, switchable
patch of WeasyPrint.

Why a patch: WeasyPrint 70.0 justifies by stretching U+0020 and U+00A0 only,
so lines of pure Chinese end ragged (see /work/shared/MEASURED.md, "Chinese
line layout in WeasyPrint"), and it knows neither `text-justify` nor
`text-spacing-trim`.  Inserting characters into the text to get around this
spoils the PDF's text or its speed; extending WeasyPrint's own justification
does not.

WeasyPrint internals it relies on -- which is why weasyprint is pinned to
==70.0 in pyproject.toml, and why `install()` refuses (returns False, patches
nothing) on any other version:

* `weasyprint.layout.inline.justify_line(context, line, extra_width)` and
  `add_word_spacing(context, box, justification_spacing, x_advance)`, looked
  up as module globals at call time.  WeasyPrint divides the missing width of
  a justified line by its count of expandable spaces
  (`count_expandable_spaces`, U+0020 and U+00A0 only) and widens each text
  box by its share.  The replacements (copies of the 70.0 code) also count
  each CJK character (see `CJK`) as an opportunity, less half a one for a
  CJK character at either edge of a text box: Pango drops the outer half of
  the letter-spacing of the first and last glyph of a layout, and WeasyPrint
  draws each text box as a layout of its own.  The CJK spacing is kept on
  the box's `Layout` object (`layout.cjk_spacing`).  On a loose line it is
  capped at MAX_CJK_SPACING em (real spaces take the rest, if the line has
  any, and the Han-Latin gaps, up to MAX_GAP_STRETCH; else the line stays
  short): a wider gap between two hanzi is read as a word space by text
  extraction.  A trailing U+2005 (or another of
  HANGING_SPACES) hangs past the end of a justified line.
* `weasyprint.layout.inline.split_first_line(text, style, context,
  max_width, justification_spacing, is_line_start, minimum)` (the name
  `split_text_box` calls), wrapped: when the line it breaks could not be
  filled within MAX_CJK_SPACING, or leaves one character for a paragraph's
  last line, it is called again with the room tightening could make
  (MAX_CJK_SHRINK and punctuation at half width), and the longer line is
  kept if it fits so; its box reports the column's width and the layout
  carries the overflow (`cjk_pulled`), which justify_line() takes back by
  halving punctuation (`box.cjk_halts`) and negative CJK spacing.  The box
  reports no overflow so that WeasyPrint does not break the line earlier.
* `weasyprint.layout.inline.text_align(context, line, available_width,
  last)`, called by `iter_line_boxes`: wrapped so that a justified line made
  wider than the column only by a trailing U+2005 (Pango lets trailing
  white space overflow) is justified too.
* `weasyprint.text.line_break.Layout.set_text(text, justify=False)`, which
  builds the Pango attribute list of a text.  With `justify=True` (only when
  a box is drawn, from `Layout.reactivate`) WeasyPrint applies
  `justification_spacing` as Pango letter-spacing to the spaces; the wrapper
  applies `cjk_spacing` the same way to every run of CJK characters.  Line
  breaking (and so the line-start/line-end prohibitions) runs with
  `justify=False` and is untouched by this; the drawn text gets wider glyph
  advances (TJ offsets), never inserted characters.  Always, at layout and
  drawing alike, the wrapper also turns on the OpenType `halt` feature for
  the punctuation mark of an adjacent full-width pair that is set at half
  width (`halt_positions`); this does change widths, and so line breaks.
  It uses `Layout.layout`, `.text`, `.style`,
  `weasyprint.text.fonts.font_features`, `weasyprint.text.line_break.line_size`
  and the cffi bindings of `weasyprint.text.ffi` (letter-spacing and
  font-features attributes).

Not touched: every non-CJK character keeps its width, except U+2005 (the
Han-Latin gap inserted by xhtml.with_gap), which widens by at most
MAX_GAP_STRETCH on a loose line only, so the gap never becomes a hole; lines
without CJK are justified exactly as WeasyPrint does.

Switch: `install()` / `uninstall()`, both idempotent; `enabled()` reads the
environment variable TIANTANG_CJK_JUSTIFY (0/off/false/no turn it off).
"""
from __future__ import annotations

import os
import re

from ..text import HAN, HAN_LATIN_GAP

SUPPORTED_WEASYPRINT = "70.0"
ENV = "TIANTANG_CJK_JUSTIFY"
# widest gap added between two CJK characters, in em of their font size:
# poppler (pdftotext, Evince) starts a new word at gaps over 0.1 em, and next
# to a mark compressed with `halt` the gap drawn is about 0.01 em wider
MAX_CJK_SPACING = 0.08
# A line that would leave the next character (with its stop) or a short word
# for the next line, or end a paragraph with one character, takes it in when
# it fits tightened: first its full-width punctuation set at half width
# (`halt`, as clreq and JLREQ compress punctuation before the characters),
# the mark at the end of the line first; then its CJK characters by at most
# MAX_CJK_SHRINK em each.  A tightened line reads better than a short one,
# a spaced one or a lone character.
MAX_CJK_SHRINK = 0.06
# widest stretch of a real space on such a loose line, in em: beyond it the
# line rather ends a little short than shows a hole ("SJ      MOSFET")
MAX_SPACE_STRETCH = 0.5
# widest stretch of a gap between CJK and Latin text (U+2005, a quarter em) on
# such a line, in em: JLREQ lets it widen up to half an em
MAX_GAP_STRETCH = 0.25
# space separators other than U+0020 that hang at the end of a justified line
# (CSS Text 3, 4.1.3), such as the Han-Latin gap U+2005 before a line break:
# invisible there, they would leave the line visibly short
HANGING_SPACES = "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u205f"

# Characters that take inter-character justification: CJK radicals, CJK
# symbols and punctuation (incl. U+3000), kana, bopomofo, Han (BMP and
# supplementary planes), compatibility ideographs, vertical/compatibility
# forms and full-width forms.  Deliberately not: U+2005 and other spaces,
# Hangul (Korean justifies at spaces), and the width-ambiguous marks
# “”‘’—…· (a Latin-set quote must not be spread; two em dashes or two
# ellipses must stay joined).
CJK_CLASS = ("\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff"
             "\ufe30-\ufe4f\uff01-\uff60\uffe0-\uffe6" + HAN)
CJK = re.compile(f"[{CJK_CLASS}]")
CJK_RUN = re.compile(f"[{CJK_CLASS}]+")

# Full-width punctuation by where its blank half lies (Noto CJK SC forms,
# where ，。、：；！？ sit on the left of their em box).
RIGHT_BLANK = set("，。、；：！？）」』》】〕〗〉”’")   # closing marks and stops
LEFT_BLANK = set("（「『《【〔〖〈“‘")                 # opening marks
COMPRESSIBLE = RIGHT_BLANK | LEFT_BLANK
PAIR = re.compile("[%s]{2}" % re.escape("".join(sorted(RIGHT_BLANK | LEFT_BLANK))))


def halt_positions(text: str) -> list[int]:
    """Indexes of the characters to set at half width (OpenType `halt`), so
    that two adjacent full-width punctuation marks take 1.5 em, not 2 (W3C
    clreq, consecutive punctuation): the blank between them is halved.

    * stop/closing + closing (。」 ）、 ”。): the first one -- no line may
      break between them;
    * closing/stop + opening (，“ ：“ 。（ ）（): the opening one, so that when
      the line breaks between them, the line that ends keeps the width it was
      measured with;
    * opening + opening (（“ 「『): the second one;
    * opening + closing (「」) has no blank between: nothing.
    """
    out = []
    if not PAIR.search(text):
        return out
    for k in range(len(text) - 1):
        a, b = text[k], text[k + 1]
        if a in RIGHT_BLANK:
            if b in RIGHT_BLANK:
                out.append(k)
            elif b in LEFT_BLANK:
                out.append(k + 1)
        elif a in LEFT_BLANK and b in LEFT_BLANK:
            out.append(k + 1)
    return out


def halvable(text: str) -> list[int]:
    """Indexes of the full-width marks of `text` that may still be set at half
    width to tighten a line (those halt_positions() does not halve already)."""
    done = set(halt_positions(text))
    return [k for k, c in enumerate(text) if c in COMPRESSIBLE and k not in done]


def gap_points(text: str, line_end: bool = False) -> int:
    """Han-Latin gaps of a text box that may widen (not those hanging at a line end)."""
    if line_end:
        text = text.rstrip(HANGING_SPACES)
    return text.count(HAN_LATIN_GAP)


def compress_punctuation(text: str) -> list[tuple[str, bool]]:
    """`text` cut into pieces, each with whether it is set with `halt`; for
    writers without this patch (an EPUB reader, say: a span with
    `font-feature-settings: "halt"` around each True piece).  Joining the
    pieces gives `text` back."""
    pieces, start = [], 0
    for k in halt_positions(text):
        if k > start:
            pieces.append((text[start:k], False))
        pieces.append((text[k], True))
        start = k + 1
    if start < len(text):
        pieces.append((text[start:], False))
    return pieces


def expansion_points(text: str, line_end: bool = False) -> tuple[int, float]:
    """Justification opportunities of one text box: (spaces and no-break
    spaces, as WeasyPrint counts them; one per CJK character less half a one
    for a CJK character at either end of the box).  At the end of a line
    (`line_end`), trailing HANGING_SPACES do not count as an end: the half
    unit after the last CJK character goes past the line with them."""
    spaces = text.count(" ") + text.count("\u00a0")
    cjk = len(CJK.findall(text))
    if cjk:
        last = text.rstrip(HANGING_SPACES)[-1:] if line_end else text[-1]
        cjk -= 0.5 * bool(CJK.match(text[0])) + 0.5 * bool(CJK.match(last))
    return spaces, cjk


# ------------------------------------------------------------------ the patch

_saved: dict = {}


def enabled() -> bool:
    """Whether the environment wants the patch (TIANTANG_CJK_JUSTIFY, default on)."""
    return os.environ.get(ENV, "1").strip().lower() not in {"0", "off", "false", "no"}


def is_installed() -> bool:
    return bool(_saved)


def install() -> bool:
    """Patch WeasyPrint; True if the patch is (now or already) in place, False
    (and nothing patched) on any WeasyPrint but 70.0."""
    if _saved:
        return True
    import weasyprint
    if weasyprint.__version__ != SUPPORTED_WEASYPRINT:
        return False
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text import line_break
    from weasyprint.text.ffi import TO_UNITS, ffi, pango
    from weasyprint.text.fonts import font_features

    create_layout = inline.create_layout
    line_size = line_break.line_size
    original_split_first_line = inline.split_first_line
    original_set_text = line_break.Layout.set_text
    original_text_align = inline.text_align

    hung = []   # the text box whose trailing spaces hang, during justify_line()

    def opportunities(box):
        """(spaces, CJK points, smallest font size of a box with CJK points)."""
        if isinstance(box, boxes.TextBox):
            spaces, cjk = expansion_points(box.text, box in hung)
            return spaces, cjk, (box.style['font_size'] if cjk else None)
        if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            spaces = cjk = 0
            size = None
            for child in box.children:
                s, c, z = opportunities(child)
                spaces, cjk = spaces + s, cjk + c
                if z is not None and (size is None or z < size):
                    size = z
            return spaces, cjk, size
        return 0, 0, None

    def hang_trailing_spaces(context, line):
        """Take the width of trailing HANGING_SPACES out of the line (their
        glyphs stay, past the end of the line); the width taken."""
        ancestors, box = [], line
        while isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            if not box.children:
                return 0
            ancestors.append(box)
            box = box.children[-1]
        if not isinstance(box, boxes.TextBox):
            return 0
        kept = box.text.rstrip(HANGING_SPACES)
        if not kept or kept == box.text:
            return 0
        layout = create_layout(kept, box.style, context, None, 0)   # keeps its lines alive
        first_line, _ = layout.get_first_line()
        hang = box.width + pulled(box) - line_size(first_line, box.style)[0]   # its real width
        del layout
        if hang <= 0:
            return 0
        for ancestor in (*ancestors, box):
            ancestor.width -= hang
        hung.append(box)
        return hang

    def text_align(context, line, available_width, last):
        """WeasyPrint's text_align, which leaves alone a line as wide as the
        column; but Pango lets a trailing U+2005 stick out past the column,
        and the visible line then ends short: justify it too."""
        if (line.style['text_align_all'] == 'justify'
                and line.style['white_space'] in ('normal', 'nowrap', 'pre-line')
                and ((line.width >= available_width and not last) or pulled(line))):
            # (a last line that took in a paragraph's last character is tightened too)
            justify_line(context, line, available_width - line.width)
            return 0
        return original_text_align(context, line, available_width, last)

    def split_first_line(text, style, context, max_width, justification_spacing,
                         is_line_start=True, minimum=False):
        """WeasyPrint's split_first_line; but when the line it breaks is too
        short to be filled within MAX_CJK_SPACING (the next character was
        pushed down with its stop, or an unbreakable word did not fit), the
        line that takes in what follows, if it fits when its CJK characters
        are tightened by at most MAX_CJK_SHRINK.  Its box reports the
        column's width; the layout keeps the overflow (`cjk_pulled`), which
        justify_line() takes back by tightening."""
        result = original_split_first_line(text, style, context, max_width, justification_spacing,
                                           is_line_start, minimum)
        layout, length, resume_index, width, height, baseline = result
        if (resume_index is None or minimum or max_width is None or max_width == float('inf')
                or style['text_align_all'] != 'justify'
                or style['white_space'] not in ('normal', 'pre-line')):
            return result
        size = style['font_size']
        _, cjk = expansion_points(text.encode()[:length].decode(errors='ignore'))
        # a paragraph ending in one character and its stop (任。) looks like a mistake
        orphan = len(text.encode()[resume_index:].decode(errors='ignore').strip()) <= 2
        if cjk < 4 or (max_width - width <= MAX_CJK_SPACING * size * cjk and not orphan):
            return result     # nothing to tighten, or justification fills the line
        first = text.encode()[:length].decode(errors='ignore')
        room = size * (MAX_CJK_SHRINK * (cjk + 2) + 0.5 * (len(halvable(first)) + 1))
        wider = original_split_first_line(text, style, context, max_width + room, justification_spacing,
                                          is_line_start, minimum)
        w_layout, w_length, w_resume, w_width, *_ = wider
        if w_length <= length:
            return result
        w_text = text.encode()[:w_length].decode(errors='ignore').rstrip(' ' + HANGING_SPACES)
        _, w_cjk = expansion_points(w_text)
        overflow = w_width - max_width
        if w_cjk <= 0 or overflow > size * (MAX_CJK_SHRINK * w_cjk + 0.5 * len(halvable(w_text))):
            return result
        w_layout.cjk_pulled = max(overflow, 0)
        return (w_layout, w_length, w_resume, min(w_width, max_width), *wider[4:])

    def pulled(box):
        """The overflow of the text boxes of a line taken in by tightening."""
        if isinstance(box, boxes.TextBox):
            return getattr(box.pango_layout, 'cjk_pulled', 0) if box.pango_layout else 0
        return sum(pulled(child) for child in getattr(box, 'children', ()))

    def text_boxes(box):
        if isinstance(box, boxes.TextBox):
            yield box
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            for child in box.children:
                yield from text_boxes(child)

    def halve_punctuation(line, needed):
        """Mark full-width punctuation of the line to be set at half width
        (`box.cjk_halts`), from the end of the line, until `needed` is saved
        or none is left; the width saved."""
        saved = 0
        for box in reversed(list(text_boxes(line))):
            for k in reversed(halvable(box.text)):
                if saved >= needed:
                    return saved
                box.cjk_halts = getattr(box, 'cjk_halts', frozenset()) | {k}
                saved += 0.5 * box.style['font_size']
        return saved

    def justify_line(context, line, extra_width):
        """WeasyPrint's justify_line, with CJK characters as opportunities too;
        a line taken in by split_first_line() is tightened."""
        try:
            extra_width += hang_trailing_spaces(context, line)
            extra_width -= pulled(line)
            spaces, cjk, size = opportunities(line)
            if not spaces + cjk or (extra_width <= 0 and not cjk) or extra_width == 0:
                return
            if extra_width < 0:    # tighten: punctuation at half width, then the CJK characters
                extra_width += halve_punctuation(line, -extra_width)
                add_word_spacing(context, line, 0, 0, extra_width / cjk)
                return
            spacing = cjk_spacing = extra_width / (spaces + cjk)
            gap_spacing = 0
            if cjk and cjk_spacing > MAX_CJK_SPACING * size:
                # a loose line: CJK spacing stays below what text extraction
                # reads as a word space; real spaces and Han-Latin gaps, if
                # any, take the rest, but never so much that one becomes a
                # hole in the line
                cjk_spacing = MAX_CJK_SPACING * size
                gaps = sum(gap_points(box.text, box in hung) for box in text_boxes(line))
                rest = extra_width - cjk_spacing * cjk
                share = rest / (spaces + gaps) if spaces + gaps else 0
                spacing = min(share, MAX_SPACE_STRETCH * size)
                gap_spacing = min(share, MAX_GAP_STRETCH * size)
            add_word_spacing(context, line, spacing, 0, cjk_spacing, gap_spacing)
        finally:
            hung.clear()

    def add_word_spacing(context, box, justification_spacing, x_advance, cjk_spacing=None,
                         gap_spacing=0):
        """WeasyPrint's add_word_spacing; CJK runs get cjk_spacing, Han-Latin gaps gap_spacing."""
        if cjk_spacing is None:
            cjk_spacing = justification_spacing
        if isinstance(box, boxes.TextBox):
            box.justification_spacing = justification_spacing
            box.position_x += x_advance
            if box.pango_layout is not None:    # its real width, if taken in by tightening
                box.width += getattr(box.pango_layout, 'cjk_pulled', 0)
            spaces, cjk = expansion_points(box.text, box in hung)
            gaps = gap_points(box.text, box in hung) if gap_spacing else 0
            extra_space = justification_spacing * spaces + cjk_spacing * cjk + gap_spacing * gaps
            halts = getattr(box, 'cjk_halts', ())
            if halts:     # set at half width by halve_punctuation()
                halved = 0.5 * box.style['font_size'] * len(halts)
                x_advance -= halved
                box.width -= halved
            if spaces + cjk + gaps > 0 or halts:
                layout = create_layout(
                    box.text, box.style, context, max_width=None,
                    justification_spacing=box.justification_spacing)
                if halts:
                    layout.cjk_halts = halts
                    layout.set_text(box.text)
                layout.cjk_spacing = cjk_spacing
                layout.gap_spacing = gap_spacing
                layout.deactivate()
                x_advance += extra_space
                box.width += extra_space
                box.pango_layout = layout
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x += x_advance
            previous_x_advance = x_advance
            children = box.children
            if box.style['direction'] == 'rtl':
                children = children[::-1]
            for child in children:
                if child.is_in_normal_flow():
                    x_advance = add_word_spacing(
                        context, child, justification_spacing, x_advance, cjk_spacing, gap_spacing)
            box.width += x_advance - previous_x_advance
        else:
            # Atomic inline-level box
            box.translate(x_advance, 0)
        return x_advance

    def reset_attributes(layout):
        # Attributes set for a previous text of this Pango layout (byte
        # ranges) would apply to the wrong characters: start again from the
        # style's font features, as Layout.setup() does.
        style = layout.style
        features = font_features(
            style['font_kerning'], style['font_variant_ligatures'],
            style['font_variant_position'], style['font_variant_caps'],
            style['font_variant_numeric'], style['font_variant_alternates'],
            style['font_variant_east_asian'], style['font_feature_settings'])
        if features:
            value = ','.join(f'{key} {value}' for key, value in features.items()).encode()
            attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
            pango.pango_attr_list_insert(attr_list, pango.pango_attr_font_features_new(value))
            pango.pango_layout_set_attributes(layout.layout, attr_list)
        else:
            pango.pango_layout_set_attributes(layout.layout, ffi.NULL)

    def set_text(self, text, justify=False):
        """WeasyPrint's Layout.set_text, then `halt` on compressed punctuation
        and, when drawing a justified box, letter-spacing on CJK runs."""
        if getattr(self, '_cjk_dirty', None) is self.layout:
            reset_attributes(self)
            self._cjk_dirty = None
        original_set_text(self, text, justify)
        text = self.text
        halts = halt_positions(text) if len(text) > 1 else []
        halts = sorted({*halts, *getattr(self, 'cjk_halts', ())})
        spacing = 0
        cjk_spacing = getattr(self, 'cjk_spacing', 0)
        if justify and cjk_spacing and CJK.search(text):
            letter_spacing = self.style['letter_spacing']
            if letter_spacing == 'normal':
                letter_spacing = 0
            spacing = int((letter_spacing + cjk_spacing) * TO_UNITS)
        gap_spacing = getattr(self, 'gap_spacing', 0) if justify and HAN_LATIN_GAP in text else 0
        if not halts and not spacing and not gap_spacing:
            return
        attr_list = pango.pango_layout_get_attributes(self.layout)
        if attr_list == ffi.NULL:
            attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)

        def byte(index):
            return len(text[:index].encode())

        if spacing:
            for match in CJK_RUN.finditer(text):
                attr = pango.pango_attr_letter_spacing_new(spacing)
                attr.start_index, attr.end_index = byte(match.start()), byte(match.end())
                pango.pango_attr_list_change(attr_list, attr)
        if gap_spacing:
            letter_spacing = self.style['letter_spacing']
            gap = int(((0 if letter_spacing == 'normal' else letter_spacing) + gap_spacing) * TO_UNITS)
            for match in re.finditer(HAN_LATIN_GAP, text):
                attr = pango.pango_attr_letter_spacing_new(gap)
                attr.start_index, attr.end_index = byte(match.start()), byte(match.end())
                pango.pango_attr_list_change(attr_list, attr)
        for k in halts:
            # inserted, not changed: it adds to the style's own features
            attr = pango.pango_attr_font_features_new(b'halt 1')
            attr.start_index, attr.end_index = byte(k), byte(k + 1)
            pango.pango_attr_list_insert(attr_list, attr)
        pango.pango_layout_set_attributes(self.layout, attr_list)
        self._cjk_dirty = self.layout

    for function in (text_align, justify_line, add_word_spacing, set_text, split_first_line):
        function.cjk_patch = True
    _saved.update(split_first_line=original_split_first_line,
                  text_align=original_text_align, justify_line=inline.justify_line,
                  add_word_spacing=inline.add_word_spacing, set_text=original_set_text)
    inline.split_first_line = split_first_line
    inline.text_align = text_align
    inline.justify_line = justify_line
    inline.add_word_spacing = add_word_spacing
    line_break.Layout.set_text = set_text
    return True


def uninstall() -> bool:
    """Restore WeasyPrint's own functions (a no-op when not installed); False."""
    if _saved:
        from weasyprint.layout import inline
        from weasyprint.text import line_break
        inline.split_first_line = _saved["split_first_line"]
        inline.text_align = _saved["text_align"]
        inline.justify_line = _saved["justify_line"]
        inline.add_word_spacing = _saved["add_word_spacing"]
        line_break.Layout.set_text = _saved["set_text"]
        _saved.clear()
    return False
