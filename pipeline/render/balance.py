"""Column balancing with fewer trial layouts: a small, switchable patch of
WeasyPrint 70.0's `columns_layout`.

Why: to balance the columns of a segment, WeasyPrint 70.0 lays the segment
out at the average column height, then again and again at a greater height
until everything fits: each time by the height it found missing at a column's
foot (`lost_space`), or, when it found none, by 1 px.  Where `orphans` and
`widows` keep the next lines together, it finds none, and the 1 px steps run
long: on 2025-08, most of the trial layouts of the article bodies are such
steps (see issue 18).  This patch takes those steps as a search: 1, 2, 4, 8 px
further while a trial does not fit, then halves the gap between the last
height that did not fit and the first that did, down to 1 px.  Where fitting
grows with the height (it does, but for rare interplays of the break rules),
it ends at the height the 1 px steps end at -- the smallest that fits -- in
fewer trials; the steps by `lost_space` are WeasyPrint's own.

Second, the last layout: after the trials WeasyPrint lays the chosen height's
columns out once more, as the final ones.  The patch keeps each trial's columns
(by height) and takes the trial's instead, moved to their columns' places,
where that trial was laid out as the final layout would be: the same space
below, the same "page is empty", left to right, no fixed height, and no box in
it that registers itself in the layout context (positioned, floating, a
footnote, a running element).  On 2025-08 31 of 94 segments are taken so, the
PDFs byte for byte the same (KEEP_TRIALS = False: the search alone).

How: the source of `weasyprint.layout.column.columns_layout` is taken as
WeasyPrint 70.0 ships it, its step (the block quoted in STEP) replaced by a
call to HeightSearch, and the function compiled again in the module's own
namespace; `weasyprint.layout.block.columns_layout` (the name block layout
calls) then points to it.  On any other WeasyPrint, or if the source differs,
`install()` patches nothing and returns False.

Switch: `install()` / `uninstall()`, both idempotent; TIANTANG_FAST_COLUMNS=0
(0/off/false/no) leaves WeasyPrint's own balancing (`enabled()`).
"""
from __future__ import annotations

import inspect
import os
import textwrap

SUPPORTED_WEASYPRINT = "70.0"
ENV = "TIANTANG_FAST_COLUMNS"

# WeasyPrint 70.0's step, in columns_layout's balancing loop
STEP = """
            if balancing:
                if column_skip_stack is None:
                    # We rendered the whole content, stop
                    break

                # Increase the column heights and render them again
                add_height = 1 if lost_space == inf else lost_space
                height += add_height

                if height > max_height:
                    # We reached max height, stop rendering
                    height = max_height
                    stop_rendering = True
                    break
"""
SEARCH = """
            if balancing:
                if search is None:
                    search = HeightSearch(max_height)
                height, done, stop_rendering = search.next(height, column_skip_stack is None, lost_space)
                if done:
                    break
"""
START = """        page_is_empty = stop_rendering = balancing = False
"""
START_SEARCH = """        page_is_empty = stop_rendering = balancing = False
        search = None
        trials = {}
"""

# Keeping the trial: each trial's columns are kept (by height), and the final layout takes the
# columns of the trial at its height instead of laying them out once more, where that trial was
# laid out as the final one would be (the same space below, the same "page is empty", no
# positioned, floating, footnote or running boxes in it, left to right, no fixed height).
TRIAL_START = """            new_boxes = []
            for i in range(count):
"""
TRIAL_START_KEEP = """            new_boxes = []
            trial_columns = []
            for i in range(count):
"""
TRIAL_NONE = """                if new_box is None:
                    # We didn't render anything, retry
                    column_skip_stack = {0: None}
                    break
                new_boxes.append(new_box)
"""
TRIAL_NONE_KEEP = """                if new_box is None:
                    # We didn't render anything, retry
                    column_skip_stack = {0: None}
                    trial_columns = None
                    break
                new_boxes.append(new_box)
                trial_columns.append((new_box, resume_at, next_page))
"""
TRIAL_END = """            # Remove placeholders but keep the current footnote area height
"""
TRIAL_END_KEEP = """            if trial_columns and plain_columns(new_boxes):
                trials[height] = (trial_columns, page_is_empty or not balancing,
                                  context.page_bottom - current_position_y - height)
            # Remove placeholders but keep the current footnote area height
"""
FINAL_START = """        # Replace the current box children with real columns
        i = 0
"""
FINAL_START_KEEP = """        # Replace the current box children with real columns
        kept = trials.get(height)
        if kept is not None and (height_defined or style['direction'] == 'rtl' or
                                 kept[1] != original_page_is_empty or kept[2] != bottom_space):
            kept = None
        i = 0
"""
FINAL_LAYOUT = """            new_child, column_skip_stack, column_next_page, _, _, _ = (
                block_box_layout(
                    context, column_box, bottom_space, skip_stack, containing_block,
                    original_page_is_empty, absolute_boxes, fixed_boxes, None,
                    first_letter_style, first_line_style, discard=False,
                    max_lines=None))
"""
FINAL_LAYOUT_KEEP = """            if kept is not None and i < len(kept[0]):
                new_child, column_skip_stack, column_next_page = kept[0][i]
                KEPT[0] += 1
                new_child.translate(column_box.position_x - new_child.position_x, 0)
            else:
                new_child, column_skip_stack, column_next_page, _, _, _ = (
                    block_box_layout(
                        context, column_box, bottom_space, skip_stack, containing_block,
                        original_page_is_empty, absolute_boxes, fixed_boxes, None,
                        first_letter_style, first_line_style, discard=False,
                        max_lines=None))
"""
KEEP = [(TRIAL_START, TRIAL_START_KEEP), (TRIAL_NONE, TRIAL_NONE_KEEP), (TRIAL_END, TRIAL_END_KEEP),
        (FINAL_START, FINAL_START_KEEP), (FINAL_LAYOUT, FINAL_LAYOUT_KEEP)]
KEEP_TRIALS = True     # False: the search alone (to compare); set before install()
KEPT = [0]             # columns taken from a trial, not laid out again (since the process began)


def plain_columns(boxes) -> bool:
    """No box in the columns whose layout registers something in the layout context (absolutely
    or fixed positioned, floating, a footnote, a running element): such columns are laid out again."""
    stack = list(boxes)
    while stack:
        b = stack.pop()
        style = b.style
        if style['position'] in ('absolute', 'fixed') or style['float'] != 'none' or b.footnote or b.note:
            return False
        stack.extend(getattr(b, 'children', ()))
    return True


class HeightSearch:
    """The heights to try for one segment's columns.  `next(height, fits,
    lost_space)` is told how the trial at `height` went and answers (the next
    height, whether to stop, whether the columns overflow the page): as
    WeasyPrint 70.0 does after a trial that fits or after a step by
    `lost_space` (a finite height missing at a column's foot); else by a
    galloping search over whole pixels above the last height that did not fit
    (`base`): base + 1, + 3, + 7 … until one fits, then halving between."""

    def __init__(self, max_height: float):
        self.max_height = max_height
        self.base = None     # the height the pixel search counts from (it did not fit)
        self.low = 0         # pixels above base known not to fit
        self.high = None     # pixels above base known to fit
        self.trials = 0

    def next(self, height: float, fits: bool, lost_space: float) -> tuple[float, bool, bool]:
        self.trials += 1
        if self.base is None:                     # WeasyPrint's own steps
            if fits:
                return height, True, False
            if lost_space != float("inf"):
                return self._step(height + lost_space)
            self.base, self.low, self.high = height, 0, None
            return self._probe(1)
        pixels = round(height - self.base)
        if fits:
            self.high = pixels
        else:
            self.low = pixels
        if self.high is not None:
            if self.high - self.low <= 1:           # the smallest height that fits, to the pixel
                return self.base + self.high, True, False
            return self._probe((self.low + self.high) // 2)
        if lost_space != float("inf"):            # a measure again: WeasyPrint's step from here
            self.base = None
            return self._step(height + lost_space)
        return self._probe(2 * self.low + 1)

    def _step(self, height: float) -> tuple[float, bool, bool]:
        if height > self.max_height:              # as WeasyPrint: the columns run on to the next page
            return self.max_height, True, True
        return height, False, False

    def _probe(self, pixels: int) -> tuple[float, bool, bool]:
        top = int(self.max_height - self.base)    # the most pixels the page allows
        if pixels > top:
            if top <= self.low:                   # nothing up to the page's foot fits
                return self.max_height, True, True
            pixels = top
        return self.base + pixels, False, False


_saved: dict = {}


def enabled() -> bool:
    return os.environ.get(ENV, "1").strip().lower() not in {"0", "off", "false", "no"}


def is_installed() -> bool:
    return bool(_saved)


def install() -> bool:
    """Patch WeasyPrint; True if the patch is (now or already) in place, False (and nothing
    patched) on any WeasyPrint but 70.0 or a columns_layout whose source is not 70.0's."""
    if _saved:
        return True
    import weasyprint
    if weasyprint.__version__ != SUPPORTED_WEASYPRINT:
        return False
    from weasyprint.layout import block, column
    source = textwrap.dedent(inspect.getsource(column.columns_layout))
    if source.count(STEP) != 1 or source.count(START) != 1 or any(source.count(a) != 1 for a, _ in KEEP):
        return False
    source = source.replace(STEP, SEARCH).replace(START, START_SEARCH)
    if KEEP_TRIALS:
        for old, new in KEEP:
            source = source.replace(old, new)
    namespace = dict(vars(column), HeightSearch=HeightSearch, plain_columns=plain_columns, KEPT=KEPT)
    exec(compile(source, column.__file__, "exec"), namespace)
    patched = namespace["columns_layout"]
    patched.balance_patch = True
    _saved.update(block=block.columns_layout, column=column.columns_layout)
    block.columns_layout = column.columns_layout = patched
    return True


def uninstall() -> bool:
    if _saved:
        from weasyprint.layout import block, column
        block.columns_layout, column.columns_layout = _saved["block"], _saved["column"]
        _saved.clear()
    return False
