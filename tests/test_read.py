import pytest

from pipeline.errors import InputError
from pipeline.model import Figure, Heading, ListBlock, Log, Paragraph, Table
from pipeline.read import decode, read_blocks


def test_blocks_keep_their_raw_lines():
    text = "# 标题\n\n第一段第一行\n第一段第二行\n\n- 甲\n- 乙\n\n名称\t数量\n甲\t1\n"
    blocks = read_blocks(text, Log())
    assert [type(b) for b in blocks] == [Heading, Paragraph, ListBlock, ListBlock, Table]
    assert [(b.span.start, b.span.end) for b in blocks] == [(1, 1), (3, 4), (6, 6), (7, 7), (9, 10)]
    assert blocks[1].text == "第一段第一行第一段第二行"   # no space between Han


def test_hard_breaks_survive():
    blocks = read_blocks("地址：杭州  \n投稿：incub@hicc.org.cn  \n", Log())
    assert blocks[0].text == "地址：杭州\n投稿：incub@hicc.org.cn"


def test_tab_line_starting_with_hash_is_a_table_row():
    blocks = read_blocks("#\t申报计划\t申报时间\n1\t甲\t乙\n", Log())
    assert isinstance(blocks[0], Table) and len(blocks[0].rows) == 2


def test_an_image_line_is_a_figure_with_the_extractors_description():
    blocks = read_blocks("前文。\n\n![A chip on a wafer](images/a.jpg)  \n图1 晶圆\n", Log())
    fig = blocks[1]
    assert isinstance(fig, Figure) and fig.src == "images/a.jpg" and fig.span.start == 3
    assert fig.alt == "A chip on a wafer" and fig.alt_from == "extractor"
    assert blocks[2].text == "图1 晶圆"     # the caption line is text; the pictures stage attaches it


def test_decode_errors_name_the_line():
    with pytest.raises(InputError) as e:
        decode(b"  \n", "raw.md", Log())
    assert e.value.line == 1
    with pytest.raises(InputError) as e:
        decode("一\n二\n".encode() + b"\x00\x01", "raw.md", Log())
    assert e.value.line == 3


def test_bom_utf16_and_gb18030_are_decoded_with_a_warning():
    for data in ["\ufeff天堂之芯".encode("utf-8"), "天堂之芯".encode("utf-16"), "天堂之芯".encode("gb18030")]:
        log = Log()
        assert decode(data, "raw.md", log) == "天堂之芯"
        assert log.warnings
