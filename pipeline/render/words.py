"""The words the editions print around the magazine's own text (contents, colophon, table
continuations, navigation), by the issue's language; and the script that language is written in,
which chooses the faces (Noto CJK SC, TC, JP, KR).

The words come from the table below, chosen by the issue's language (issue.toml `language`, a
BCP 47 tag); a magazine may override any of them in an optional [words] table of magazine.toml
(sources.py checks its keys and types).  Nothing here knows the magazine."""
from __future__ import annotations

# what each word is for (the keys of [words] in magazine.toml)
KEYS = {
    "contents": "title of the contents page, the EPUB's contents and its bookmark",
    "contents_subtitle": "line under the contents title (empty: none)",
    "table_continued": "page head over a table that runs on from the previous page",
    "colophon": "name of the colophon (EPUB navigation, PDF bookmark)",
    "disclaimer": "heading of the disclaimer",
    "source": "before an article's source, punctuation included",
    "colon": "between a label and what it names (table continued: caption)",
    "cover": "name of the cover (EPUB)",
    "body_matter": "landmark of the first article (EPUB)",
    "page_list": "heading of the EPUB's page list",
    "landmarks": "heading of the EPUB's landmarks",
    "print_edition": "after the issue's name: the page source of the EPUB",
    "accessibility_summary": "the EPUB's schema:accessibilitySummary",
    "figure_undescribed": "text for a picture with no description or caption, before the passage it illustrates",
    "summary_pictures": "added to the accessibility summary of a book with pictures",
}

WORDS = {
    "zh-Hans": {
        "contents": "目录", "contents_subtitle": "CONTENTS", "table_continued": "续表", "colophon": "版权页",
        "disclaimer": "免责声明", "source": "来源：", "colon": "：", "cover": "封面", "body_matter": "正文",
        "page_list": "页码", "landmarks": "导览", "print_edition": "（印刷版）",
        "accessibility_summary": "全文为可重排文本，标题层级、目录导航和表格表头均已标注；"
                                 "封面为装饰性图片，其文字亦见于正文。",
        "figure_undescribed": "插图（原文无说明），配合上文：", "summary_pictures": "插图均有替代文字：图注、图中文字，或其所配合的上文。",
    },
    "zh-Hant": {
        "contents": "目錄", "contents_subtitle": "CONTENTS", "table_continued": "續表", "colophon": "版權頁",
        "disclaimer": "免責聲明", "source": "來源：", "colon": "：", "cover": "封面", "body_matter": "正文",
        "page_list": "頁碼", "landmarks": "導覽", "print_edition": "（印刷版）",
        "accessibility_summary": "全文為可重排文字，標題層級、目錄導覽和表格表頭均已標註；"
                                 "封面為裝飾性圖片，其文字亦見於正文。",
        "figure_undescribed": "插圖（原文無說明），配合上文：", "summary_pictures": "插圖均有替代文字：圖注、圖中文字，或其所配合的上文。",
    },
    "ja": {
        "contents": "目次", "contents_subtitle": "CONTENTS", "table_continued": "表（続き）", "colophon": "奥付",
        "disclaimer": "免責事項", "source": "出典：", "colon": "：", "cover": "表紙", "body_matter": "本文",
        "page_list": "ページ", "landmarks": "ランドマーク", "print_edition": "（印刷版）",
        "accessibility_summary": "本文はすべてリフロー可能なテキストで、見出しの階層、目次のナビゲーション、"
                                 "表の見出しセルが示されています。表紙は装飾画像で、その文字は本文にもあります。",
        "figure_undescribed": "図（原文に説明なし）。前の本文：", "summary_pictures": "図にはすべて代替テキスト（キャプション、図中の文字、または対応する本文）があります。",
    },
    "en": {
        "contents": "Contents", "contents_subtitle": "", "table_continued": "Table (continued)",
        "colophon": "Colophon", "disclaimer": "Disclaimer", "source": "Source: ", "colon": ": ",
        "cover": "Cover", "body_matter": "Start", "page_list": "Pages", "landmarks": "Landmarks",
        "print_edition": " (print edition)",
        "accessibility_summary": "All text is reflowable; heading levels, contents navigation and table "
                                 "header cells are marked up; the cover is a decorative image whose text "
                                 "also appears in the text.",
        "figure_undescribed": "Figure (no description in the source), with the text: ", "summary_pictures": " Every picture has a text alternative: its caption, the text in it, or the passage it illustrates.",
    },
}
assert all(set(w) == set(KEYS) for w in WORDS.values())

# the script of a language written without one (CLDR likely subtags, the languages we set)
HANT_REGIONS = {"TW", "HK", "MO"}
SCRIPT_OF_LANGUAGE = {"zh": "Hans", "ja": "Jpan", "ko": "Kore", "yue": "Hant"}
# the Noto CJK faces of a script (Debian fonts-noto-cjk names them "Noto Serif CJK TC", …)
FACE_OF_SCRIPT = {"Hans": "SC", "Hant": "TC", "Jpan": "JP", "Kore": "KR"}


def _subtags(language: str) -> tuple[str, str | None, str | None]:
    """(primary language, script, region) of a BCP 47 tag, as the registry writes them."""
    parts = language.replace("_", "-").split("-")
    primary, script, region = parts[0].lower(), None, None
    for part in parts[1:]:
        if len(part) == 1:           # an extension or private use: what follows is not script or region
            break
        if len(part) == 4 and part.isalpha() and script is None and region is None:
            script = part.title()
        elif (len(part) == 2 and part.isalpha() or len(part) == 3 and part.isdigit()) and region is None:
            region = part.upper()
    return primary, script, region


def script(language: str) -> str:
    """The ISO 15924 script a language tag means: written in it (zh-Hant-TW), else the likely one
    (zh-TW, zh-HK, zh-MO → Hant; zh, zh-CN, zh-SG → Hans; ja → Jpan; ko → Kore; others Latn)."""
    primary, written, region = _subtags(language)
    if written:
        return written
    if primary == "zh" and region in HANT_REGIONS:
        return "Hant"
    return SCRIPT_OF_LANGUAGE.get(primary, "Latn")


def face(language: str) -> str:
    """The Noto CJK face (SC, TC, JP, KR) for text in `language`; SC for scripts without one."""
    return FACE_OF_SCRIPT.get(script(language), "SC")


def table_for(language: str) -> dict[str, str]:
    """The built-in words of a language: Chinese by script, others by primary language, else English."""
    primary = _subtags(language)[0]
    if primary == "zh":
        return WORDS["zh-Hant" if script(language) == "Hant" else "zh-Hans"]
    return WORDS.get(primary, WORDS["en"])


def words(language: str, magazine: dict | None = None) -> dict[str, str]:
    """The words for an issue in `language`, with the magazine's [words] over them."""
    return {**table_for(language), **((magazine or {}).get("words") or {})}


def issue_words(issue) -> dict[str, str]:
    return words(issue.meta.language, issue.magazine)
