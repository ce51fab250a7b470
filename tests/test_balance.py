"""Column balancing by a search (pipeline/render/balance.py): the heights it ends at are the ones
WeasyPrint 70.0's 1 px steps end at, in fewer trials, and the patch is pinned and switchable."""
import pytest

from pipeline.render import balance
from pipeline.render.balance import HeightSearch


def steps(fits, start, max_height, lost=lambda h: float("inf")):
    """WeasyPrint 70.0's loop: (height it ends at, whether the columns overflow, trials)."""
    height, trials = start, 0
    while True:
        trials += 1
        if fits(height):
            return height, False, trials
        height += 1 if lost(height) == float("inf") else lost(height)
        if height > max_height:
            return max_height, True, trials


def search(fits, start, max_height, lost=lambda h: float("inf")):
    s, height = HeightSearch(max_height), start
    while True:
        height, done, overflow = s.next(height, fits(height), lost(height))
        if done:
            return height, overflow, s.trials


@pytest.mark.parametrize("needed", [100, 100.4, 101, 103, 117.5, 160, 299, 300, 300.5, 480])
def test_the_search_ends_where_the_steps_end_in_fewer_trials(needed):
    fits = lambda h: h >= needed       # noqa: E731 -- more height, more fits
    ours, theirs = search(fits, 100.25, 300.6), steps(fits, 100.25, 300.6)
    assert ours[:2] == pytest.approx(theirs[:2])
    assert ours[2] <= max(theirs[2], 2 * (theirs[2]).bit_length() + 1)


def test_a_measured_shortfall_is_stepped_as_weasyprint_does():
    # a column's foot short by 12 px: the same jumps, then the pixel search from where they end
    lost = lambda h: 12.0 if h < 136 else float("inf")    # noqa: E731
    fits = lambda h: h >= 141                              # noqa: E731
    assert search(fits, 100, 400, lost)[:2] == steps(fits, 100, 400, lost)[:2] == (141, False)


def test_patch_is_idempotent_switchable_and_pinned(monkeypatch):
    import weasyprint
    from weasyprint.layout import block, column
    was = balance.is_installed()
    try:
        balance.uninstall()
        original = block.columns_layout
        assert balance.install() and balance.install()
        assert block.columns_layout.balance_patch and column.columns_layout is block.columns_layout
        balance.uninstall()
        assert block.columns_layout is original and column.columns_layout is original
        monkeypatch.setattr(balance, "STEP", "a source WeasyPrint does not have")
        assert balance.install() is False and block.columns_layout is original
        monkeypatch.undo()
        monkeypatch.setattr(weasyprint, "__version__", "71.0")
        assert balance.install() is False and not balance.is_installed()
        monkeypatch.setenv(balance.ENV, "off")
        assert not balance.enabled()
    finally:
        monkeypatch.undo()
        (balance.install if was else balance.uninstall)()


def test_balanced_columns_are_laid_out_as_without_the_patch(tmp_path):
    """Short articles of 2025-08's prose in two balanced columns: the same lines in the same
    places, patched or not."""
    import subprocess

    from weasyprint import HTML

    from helpers import ISSUE, ROOT
    from pipeline.render.pdf import STYLES, ClosedFetcher
    from test_print_layout import document, prose
    paragraphs = prose((ISSUE / "raw.md").read_text(encoding="utf-8"), 24)
    html = document(paragraphs).decode("utf-8")
    # each paragraph its own article body: many segments to balance
    html = html.replace("</p><p>", "</p></div><div class=\"article-body\"><p>")
    text, searched = {}, []
    original_next = HeightSearch.next

    def counted(self, *args):
        searched.append(args)
        return original_next(self, *args)

    HeightSearch.next = counted
    was = balance.is_installed()
    try:
        for patched in (False, True):
            (balance.install if patched else balance.uninstall)()
            pdf = tmp_path / f"{patched}.pdf"
            HTML(string=html, base_url=str(ROOT) + "/", url_fetcher=ClosedFetcher([STYLES])).write_pdf(str(pdf))
            text[patched] = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                                           text=True, check=True).stdout
    finally:
        HeightSearch.next = original_next
        (balance.install if was else balance.uninstall)()
    assert text[True].count("<page") >= 2 and text[True].count("<word") > 100
    assert text[True] == text[False]
    # some segment had no measure of what was missing: the pixel search ran
    assert any(not fits and lost == float("inf") for _, fits, lost in searched), searched


def test_kept_trials_give_the_columns_laying_them_out_again_would(tmp_path):
    """The final layout of a segment takes the columns of its trial at that height where that
    trial was laid out as the final one would be: the same words in the same places as laying
    them out once more, and some columns really are taken."""
    import subprocess

    from weasyprint import HTML

    from helpers import ISSUE, ROOT
    from pipeline.render.pdf import STYLES, ClosedFetcher
    from test_print_layout import document, prose
    paragraphs = prose((ISSUE / "raw.md").read_text(encoding="utf-8"), 24)
    html = document(paragraphs).decode("utf-8").replace("</p><p>", "</p></div><div class=\"article-body\"><p>")
    text, kept = {}, {}
    was, keep = balance.is_installed(), balance.KEEP_TRIALS
    try:
        for keeping in (False, True):
            balance.uninstall()
            balance.KEEP_TRIALS = keeping
            assert balance.install()
            before = balance.KEPT[0]
            pdf = tmp_path / f"{keeping}.pdf"
            HTML(string=html, base_url=str(ROOT) + "/", url_fetcher=ClosedFetcher([STYLES])).write_pdf(str(pdf))
            kept[keeping] = balance.KEPT[0] - before
            text[keeping] = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                                           text=True, check=True).stdout
    finally:
        balance.uninstall()
        balance.KEEP_TRIALS = keep
        (balance.install if was else balance.uninstall)()
    assert kept[False] == 0 and kept[True] >= 5, kept
    assert text[True].count("<word") > 100 and text[True] == text[False]
