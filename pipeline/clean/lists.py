"""lists: list items the extractor split, and numbers written into items."""
from __future__ import annotations

import re

from ..model import ListBlock, plain
from ..text import delete, edit_runs


def merge_lists(blocks, ctx):
    """List items split by blank lines become one list; numbered items only
    where the numbers run on (a list that starts again at 1 is a new list)."""
    out = []
    for b in blocks:
        prev = out[-1] if out else None
        if (isinstance(b, ListBlock) and isinstance(prev, ListBlock)
                and prev.ordered == b.ordered
                and (not b.ordered or b.start == prev.start + len(prev.items))):
            prev.items.extend(b.items)
            prev.span = prev.span.merge(b.span)
            continue
        out.append(b)
    return out


ITEM_NUMBER = re.compile(r"^\s*(\d{1,2})[、.．]\s*")


def numbered_items(blocks, ctx):
    """`- 1、…` items are an ordered list: the number moves into the list."""
    for b in blocks:
        if isinstance(b, ListBlock) and not b.ordered and b.items:
            nums = [ITEM_NUMBER.match(plain(i)) for i in b.items]
            if all(nums) and [int(n.group(1)) for n in nums] == list(
                    range(int(nums[0].group(1)), int(nums[0].group(1)) + len(nums))):
                before = b.text
                b.ordered, b.start = True, int(nums[0].group(1))
                b.items = [edit_runs(i, ITEM_NUMBER, delete)
                           for i in b.items]
                ctx.log.change("numbered_items", b.span, before, b.text)
    return blocks
