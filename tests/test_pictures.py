"""Pictures: read from the issue folder only, each with its caption and a text for readers who
cannot see it, in every edition; captions and image text of pictures the edition does not have
go to the report.  The pictures here are drawn with Pillow for each test."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image, ImageDraw

from helpers import ISSUE, ROOT, bad_input_line, make_issue
from pipeline.build import make_model
from pipeline.model import Figure, Paragraph, Table
from pipeline.pictures import locate

XHTML = "http://www.w3.org/1999/xhtml"


def picture(path: Path, size=(800, 500), colour=(200, 30, 30), mode="RGB", fmt=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    im = Image.new(mode, size, "white" if mode != "L" else 255)
    ImageDraw.Draw(im).rectangle([size[0] // 8, size[1] // 8, size[0] * 7 // 8, size[1] * 7 // 8],
                                 fill=colour if mode != "L" else 60)
    im.save(path, fmt)
    return path


SENTENCES = iter(f"这是第{n}段正文，讲述了晶圆制造的过程{'、光刻与刻蚀' * (n % 3)}，以及封装测试的主要环节。"
                 for n in range(1, 10_000))


class _Prose:
    """A new sentence each time (the same line three times over would be page furniture)."""
    def __format__(self, spec):
        return next(SENTENCES)


PROSE = _Prose()


def figures(issue):
    return [b for a in issue.articles for b in a.blocks if isinstance(b, Figure)]


def body_texts(issue):
    return [b.text for a in issue.articles for b in a.blocks]


def test_only_files_inside_the_issue_folder_are_pictures(tmp_path):
    folder = tmp_path / "issue"
    picture(folder / "images" / "a.jpg")
    picture(tmp_path / "outside.jpg")
    (folder / "images" / "link.jpg").symlink_to(tmp_path / "outside.jpg")
    assert locate("images/a.jpg", folder) == ("images/a.jpg", "")
    assert locate("./images/a.jpg", folder) == ("images/a.jpg", "")
    for src in ("../outside.jpg", "images/../../outside.jpg", str(tmp_path / "outside.jpg"), "/etc/passwd"):
        found, why = locate(src, folder)
        assert found is None and "outside the issue folder" in why, src
    assert locate("images/link.jpg", folder)[0] is None            # a link out of the folder
    assert locate("file:///etc/passwd", folder)[0] is None
    assert locate("http://example.com/a.jpg", folder)[0] is None
    assert locate("images/none.jpg", folder) == (None, "not in the issue folder")


def test_a_picture_outside_the_folder_is_left_out_and_named(tmp_path):
    folder = make_issue(tmp_path, f"# 标题\n\n{PROSE}\n\n![](../../secret.jpg)\n\n{PROSE}\n")
    picture(tmp_path / "secret.jpg")
    issue, log, _ = make_model(folder)
    assert figures(issue) == []
    warning = next(w for w in log.warnings if w.rule == "pictures.missing")
    assert "../../secret.jpg" in warning.message and "line 5" in warning.message
    assert any(d.rule == "pictures.missing" and "../../secret.jpg" in d.text for d in log.drops)


def test_captions_below_above_and_marked_join_their_pictures(tmp_path):
    raw = (f"# 晶圆厂参观记\n\n{PROSE}\n\n![](images/a.jpg)\n图1 晶圆厂的洁净室\n\n{PROSE}\n\n"
           f"图2 封装测试的流程\n\n![](images/b.png)\n\n{PROSE}\n\n![](images/c.jpg)\n\n▲ 工程师在检查晶圆\n\n"
           f"{PROSE}\n\n![](images/d.jpg)\n\n{PROSE}\n")
    folder = make_issue(tmp_path, raw)
    for name in ("a.jpg", "c.jpg", "d.jpg"):
        picture(folder / "images" / name)
    picture(folder / "images" / "b.png", mode="L")
    issue, log, _ = make_model(folder)
    got = {f.src: (f.text, f.alt, f.alt_from) for f in figures(issue)}
    assert got["images/a.jpg"] == ("图1晶圆厂的洁净室", "图1晶圆厂的洁净室", "caption")
    assert got["images/b.png"] == ("图2封装测试的流程", "图2封装测试的流程", "caption")
    assert got["images/c.jpg"] == ("▲ 工程师在检查晶圆", "▲ 工程师在检查晶圆", "caption")
    assert got["images/d.jpg"][0] == "" and got["images/d.jpg"][2] == ""   # nothing describes it
    assert next(f for f in figures(issue) if f.src == "images/d.jpg").near.startswith("这是第")
    # each caption is set once, with its picture, not also as a paragraph
    # (the house style sets the gap between 图1 and the Han text, not a space)
    assert not any(t in ("图1晶圆厂的洁净室", "图2封装测试的流程", "▲ 工程师在检查晶圆")
                   for a in issue.articles for b in a.blocks if isinstance(b, Paragraph) for t in [b.text])
    assert sum(1 for c in log.changes if c.rule == "pictures.caption") == 3


def test_the_content_list_names_a_caption_no_pattern_would(tmp_path):
    raw = (f"# Report\n\n{PROSE}\n\n![](images/a.jpg)  \nEvolution of production 1971 to 2003   \n"
           f"Energy mix in the country (Source: an agency)\n\n{PROSE}\n")
    folder = make_issue(tmp_path, raw)
    picture(folder / "images" / "a.jpg")
    (folder / "content_list.json").write_text(json.dumps([{
        "type": "image", "img_path": "images/a.jpg", "page_idx": 3,
        "image_caption": ["Evolution of production 1971 to 2003 ", "Energy mix in the country (Source: an agency) "],
        "image_footnote": []}]), encoding="utf-8")
    issue, log, _ = make_model(folder)
    (fig,) = figures(issue)
    assert fig.text.split("\n") == ["Evolution of production 1971 to 2003",
                                    "Energy mix in the country (Source: an agency)"]


def test_the_text_that_stood_in_a_picture_becomes_its_description(tmp_path):
    # a slide: its lines follow the picture; the picture is there, so they are its description
    raw = (f"# 发布会\n\n{PROSE}\n\n![](images/slide.png)\n\nRedundancy is Your Friend\n\n"
           f"Uniform small core architecture enables redundancy\n\n{PROSE}\n")
    folder = make_issue(tmp_path, raw)
    picture(folder / "images" / "slide.png")
    issue, log, _ = make_model(folder)
    (fig,) = figures(issue)
    assert fig.alt_from == "image-text" and "Redundancy is Your Friend" in fig.alt
    assert "Redundancy is Your Friend" not in body_texts(issue)


def test_captions_and_image_text_without_their_picture_go_to_the_report(tmp_path):
    raw = (f"# 光互连\n\n{PROSE}\n\n可插拔光模块和NPO的不同\n\n如图所示，NPO架构将光引擎与交换芯片封装在同一块基板上，"
           f"缩短了电信号的传输距离。\n\nCPO vs Pluggable Optics\n\n{PROSE}\n\n![](images/lost.jpg)\n\n"
           f"▲ 一台交换机的内部\n\n{PROSE}\n")
    folder = make_issue(tmp_path, raw)
    issue, log, _ = make_model(folder)
    shown = "\n".join(body_texts(issue))
    assert "可插拔光模块和NPO的不同" not in shown and "CPO vs Pluggable Optics" not in shown
    assert "▲ 一台交换机的内部" not in shown
    assert "如图所示，NPO架构" in shown                    # the author's sentence stays
    missing = [d for d in log.drops if d.rule == "pictures.missing"]
    caption = next(d for d in missing if d.text == "可插拔光模块和NPO的不同")
    assert "如图所示，NPO架构" in caption.reason             # listed beside the missing picture
    lost = next(d for d in missing if "images/lost.jpg" in d.text)
    assert "▲ 一台交换机的内部" in lost.text                  # the picture's caption goes with it
    assert any(w.rule == "pictures.missing" and "images/lost.jpg" in w.message and "line 13" in w.message
               for w in log.warnings)


def test_an_editor_keeps_a_caption_or_places_a_picture_for_it(tmp_path):
    raw = f"# 光互连\n\n{PROSE}\n\n可插拔光模块和NPO的不同\n\n{PROSE}\n\nDPO和LPO的区别\n\n{PROSE}\n"
    fixes = ('[[fix]]\nlines = "5"\nexpect = "可插拔光模块"\naction = "keep"\n\n'
             '[[fix]]\nlines = "9"\nexpect = "DPO和LPO"\naction = "figure"\nfile = "images/dpo.png"\n'
             'text = "两种光模块的结构对比图"\n')
    folder = make_issue(tmp_path, raw, fixes=fixes)
    picture(folder / "images" / "dpo.png")
    issue, log, _ = make_model(folder)
    assert "可插拔光模块和NPO的不同" in body_texts(issue)
    (fig,) = figures(issue)
    assert fig.file == "images/dpo.png" and fig.text == "DPO和LPO的区别"
    assert fig.alt == "两种光模块的结构对比图" and fig.alt_from == "editor"


@pytest.mark.parametrize("file, said", [("../x.png", "outside the issue folder"), ("images/none.png", "not in the issue folder"),
                                        ("images/bad.png", "not an image")])
def test_a_figure_fix_naming_no_usable_picture_is_bad_input(tmp_path, file, said):
    raw = f"# 光互连\n\n{PROSE}\n\nDPO和LPO的区别\n\n{PROSE}\n"
    fixes = f'# a fix\n[[fix]]\nlines = "5"\nexpect = "DPO和LPO"\naction = "figure"\nfile = "{file}"\n'
    folder = make_issue(tmp_path, raw, fixes=fixes)
    (folder / "images").mkdir()
    (folder / "images" / "bad.png").write_bytes(b"not a picture")
    line = bad_input_line(folder, tmp_path / "o")
    assert "fixes.toml:6:" in line and said in line, line


def test_2025_08_shows_no_caption_or_slide_text_of_a_missing_picture():
    """Hand-checked against the raw issue: its extraction has no image files, so these captions
    and slides (raw lines 428, 662, 1068, 1308) have nothing to stand beside."""
    issue, log, _ = make_model(ISSUE)
    blocks = [t.strip() for t in body_texts(issue)]
    for text in ("内部资料严禁外传！", "▲ 2022年~2024年芯迈半导体的营收、年内利润、研发支出变化",
                 "科技部七司副司长秦浩源", "DPO和LPO的区别"):
        assert text not in blocks             # (the name stays in the prose that speaks of him)
        assert any(d.rule == "pictures.missing" and d.text == text for d in log.drops), text
    # what is left of captions titles a table (raw 1744, under the WSE table: the table is in the text)
    left = [(a.blocks[k - 1:k + 2], b) for a in issue.articles for k, b in enumerate(a.blocks)
            if isinstance(b, Paragraph) and b.role in ("caption", "figure-text")]
    assert [b.span.start for _, b in left] == [1744]
    assert isinstance(left[0][0][0], Table)
    assert any("如上图所示" in t for t in blocks)     # the author's words stay


@pytest.mark.slow
def test_pictures_in_all_three_editions(tmp_path):
    raw = (f"# 晶圆厂参观记\n\n{PROSE}\n\n![](images/red.jpg)\n图1 晶圆厂的洁净室\n\n{PROSE}\n\n"
           f"![](images/grey.png)\n\n▲ 示意图\n\n{PROSE}\n\n![](images/wide.png)\n\nFig. 2 A landscape chart\n\n{PROSE}\n")
    folder = make_issue(tmp_path, raw)
    picture(folder / "images" / "red.jpg", size=(600, 600), colour=(220, 20, 20))
    picture(folder / "images" / "grey.png", size=(400, 300), mode="L")
    rgba = Image.new("RGBA", (1600, 800), (0, 0, 0, 0))
    ImageDraw.Draw(rgba).ellipse([100, 100, 1500, 700], fill=(20, 60, 200, 255))
    rgba.save(folder / "images" / "wide.png")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--out", str(out), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    listed = lambda pdf: [ln.split() for ln in subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                                                              text=True).stdout.splitlines()[2:]
                           if ln.split()[2] == "image"]     # (an alpha channel is an smask row of its own)
    screen, press = listed(out / "test-01.pdf"), listed(out / "test-01-print.pdf")
    assert len(screen) == len(press) == 3
    assert sorted(row[5] for row in press) == ["cmyk", "cmyk", "gray"]      # never DeviceRGB for the press
    # the red square is still red in the print PDF (CMYK through the profile, not inverted)
    page = int(next(row[0] for row in press if row[3] == "600"))
    png = tmp_path / "p"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", str(page), "-l", str(page),
                    str(out / "test-01-print.pdf"), str(png)], check=True)
    im = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    reds = sum(1 for r, g, b in im.tobytes() and zip(*[iter(im.tobytes())] * 3) if r > 170 and g < 90 and b < 90)
    assert reds > 200, reds
    from pipeline.check import check_print_pdf
    assert all(ok for name, ok, _ in check_print_pdf(out / "test-01-print.pdf") if "picture" in name)
    # the EPUB: the files in the manifest with their types, <figure>/<figcaption>, alt text, a11y metadata
    with zipfile.ZipFile(out / "test-01.epub") as z:
        opf = z.read("OEBPS/content.opf").decode()
        items = etree.fromstring(opf.encode()).findall(".//{http://www.idpf.org/2007/opf}item")
        pics = {i.get("href"): i.get("media-type") for i in items if i.get("href").startswith("pictures/")}
        assert sorted(pics.values()) == ["image/jpeg", "image/png", "image/png"]
        assert all(f"OEBPS/{h}" in z.namelist() for h in pics)
        doc = etree.fromstring(next(z.read(n) for n in z.namelist() if b"<figure" in z.read(n)))
    figs = doc.findall(f".//{{{XHTML}}}figure")
    assert len(figs) == 3
    captions = [f.find(f"{{{XHTML}}}figcaption").text.replace("\u2005", "") for f in figs]   # (the Han–Latin gap)
    assert captions == ["图1晶圆厂的洁净室", "▲ 示意图", "Fig. 2 A landscape chart"]
    assert all(f.find(f"{{{XHTML}}}img").get("alt") for f in figs)
    assert "schema:accessMode\">visual" in opf and "alternativeText" in opf


@pytest.mark.parametrize("cover, said", [("../c.jpg", "outside the issue folder"), ("/etc/hostname", "outside the issue folder"),
                                         ("images/none.jpg", "not in the issue folder"), ("images/bad.jpg", "not an image"),
                                         ("", "must name a picture file")])
def test_a_cover_naming_no_usable_picture_is_bad_input(tmp_path, cover, said):
    from helpers import issue_toml
    folder = make_issue(tmp_path, f"# 光互连\n\n{PROSE}\n", issue_toml=issue_toml() + f'# the cover\ncover = "{cover}"\n')
    (folder / "images").mkdir()
    (folder / "images" / "bad.jpg").write_bytes(b"not a picture")
    line = bad_input_line(folder, tmp_path / "o")
    assert "issue.toml:9:" in line and said in line, line


@pytest.mark.slow
@pytest.mark.parametrize("size, cut", [((1500, 2200), 0), ((2400, 1600), 2)])
def test_the_issues_cover_picture_is_the_cover_of_every_edition(tmp_path, size, cut):
    from helpers import issue_toml
    raw = "".join(f"# 第{k}篇\n\n" + "".join(f"{PROSE}\n\n" for _ in range(12)) for k in (1, 2))
    folder = make_issue(tmp_path, raw, issue_toml=issue_toml() + 'cover = "images/cover.jpg"\n')
    # a portrait picture a little narrower than the trim (8 % cut away), or a landscape one (half of
    # it cut away: both PDFs warn); never letterboxed.  1500 px across 216 mm with the bleed is
    # 176 ppi, 1600 px down 291 mm 140 ppi: soft for the press
    (folder / "images").mkdir()
    Image.new("RGB", size, (230, 190, 30)).save(folder / "images" / "cover.jpg")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", str(folder), "--out", str(out), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    first = lambda pdf: [ln.split() for ln in subprocess.run(["pdfimages", "-f", "1", "-l", "1", "-list", str(pdf)],
                                                             capture_output=True, text=True).stdout.splitlines()[2:]]
    (screen,), (press,) = first(out / "test-01.pdf"), first(out / "test-01-print.pdf")
    assert screen[3:6] == [*map(str, size), "rgb"] and press[3:6] == [*map(str, size), "cmyk"]
    # full bleed: the picture's yellow runs past every edge of the trim into the 3 mm bleed (the
    # paper is 10 mm beyond the trim, the marks' slug: looked at 2 mm beyond the trim)
    subprocess.run(["pdftoppm", "-r", "20", "-png", "-f", "1", "-l", "1", str(out / "test-01-print.pdf"),
                    str(tmp_path / "c")], check=True)
    im = Image.open(next(tmp_path.glob("c*.png"))).convert("RGB")
    w, h = im.size
    d = round(8 * 20 / 25.4)
    for x, y in ((d, h // 2), (w - 1 - d, h // 2), (w // 2, d), (w // 2, h - 1 - d)):
        r, g, b = im.getpixel((x, y))
        assert r > 180 and g > 140 and b < 120, ((x, y), (r, g, b))
    # the running heads still name the publication, from magazine.toml, as with the drawn cover
    page2 = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(out / "test-01.pdf"), "-"],
                           capture_output=True, text=True).stdout
    assert "天堂之芯" in page2
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    soft = [w["message"] for w in report["warnings"] if w["rule"] == "pdf.picture_resolution"]
    assert len(soft) == 1 and "images/cover.jpg on page 1 of the print PDF" in soft[0], soft
    assert len([w for w in report["warnings"] if w["rule"] == "pdf.cover_cropped"]) == cut
    with zipfile.ZipFile(out / "test-01.epub") as z:
        opf = etree.fromstring(z.read("OEBPS/content.opf"))
        (item,) = [i for i in opf.iter("{http://www.idpf.org/2007/opf}item") if i.get("properties") == "cover-image"]
        assert item.get("media-type") == "image/jpeg"
        assert z.read("OEBPS/" + item.get("href")) == (folder / "images" / "cover.jpg").read_bytes()
