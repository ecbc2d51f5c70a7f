"""Make the fonts of the link-preview cards (themes/default/fonts/) from Debian's Noto fonts.

    apt-get install fonts-noto-core fonts-noto-cjk && pip install fonttools
    python tools/card_fonts.py

Noto is under the SIL Open Font License 1.1 (themes/default/fonts/OFL.txt),
which allows subsets and merges under a name of their own. A card draws a
line of text with one font, so each font covers whole lines:

- ``CardSans-Regular.ttf``, ``CardSans-Bold.ttf``: Noto Sans, Noto Sans
  Arabic and Noto Sans Hebrew merged, for Latin, Greek, Cyrillic, Arabic
  and Hebrew (with their shaping, so right-to-left titles render joined).
- ``CardSansCJK-Bold.otf``: Noto Sans CJK SC cut to the commonest
  characters of Chinese (GB 2312 level 1, Big5's common characters),
  Japanese (JIS X 0208 level 1 kanji, kana) and Korean (KS X 1001 Hangul),
  with Basic Latin and punctuation, in one weight: the whole collection is
  19 MB a weight, the cut 2 MB. Rarer characters are drawn as a box.

The output is the same bytes from the same inputs: the fonts' times are
their sources'.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTCollection, TTFont

NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
CJK_SC = 2
"""Noto Sans CJK SC's index in the collection (JP, KR, SC, TC, HK, then the monospaced ones)."""
OUT = Path(__file__).resolve().parent.parent / "themes" / "default" / "fonts"

LATIN_RANGES = [(0x20, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20BF)]
ARABIC_RANGES = [(0x600, 0x6FF), (0x750, 0x77F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]
HEBREW_RANGES = [(0x590, 0x5FF), (0xFB1D, 0xFB4F)]
CJK_RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x3000, 0x30FF), (0xFF00, 0xFFEF)]
NAME = "Sitegen Card Sans"


def codepoints(ranges: list[tuple[int, int]]) -> set[int]:
    return {code for first, last in ranges for code in range(first, last + 1)}


def double_byte(codec: str, leads: range, trails: range) -> set[int]:
    """The characters a double-byte character set encodes in these lead and trail bytes."""
    found = set()
    for lead in leads:
        for trail in trails:
            try:
                found.add(ord(bytes([lead, trail]).decode(codec)))
            except (UnicodeDecodeError, TypeError):
                pass
    return found


def cjk_codepoints() -> set[int]:
    return (
        codepoints(CJK_RANGES)
        | double_byte("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))  # GB 2312 level 1: 3,755 hanzi
        | double_byte("big5", range(0xA4, 0xC7), range(0x40, 0xFF))  # Big5's common characters: 5,401 hanzi
        | double_byte("euc_jp", range(0xB0, 0xD0), range(0xA1, 0xFF))  # JIS X 0208 level 1: 2,965 kanji
        | double_byte("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))  # KS X 1001: 2,350 Hangul syllables
    )


def cut(font: TTFont, codes: set[int], features: list[str]) -> TTFont:
    options = subset.Options()
    options.layout_features = features
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codes))
    subsetter.subset(font)
    return font


def renamed(font: TTFont, family: str, style: str, stamp: int) -> TTFont:
    """A name of its own, as the licence asks of a modified font; the copyright notices stay.

    Its times are ``stamp``, the source's, never the time this ran: the same sources, the same bytes.
    """
    names = font["name"]
    full = f"{family} {style}"
    for record_id, value in ((1, family), (2, style), (3, f"{full};sitegen"), (4, full), (6, full.replace(" ", ""))):
        names.setName(value, record_id, 3, 1, 0x409)
        names.setName(value, record_id, 1, 0, 0)
    font["head"].created = font["head"].modified = stamp
    font.recalcTimestamp = False
    return font


def merged_sans(style: str) -> TTFont:
    shaping = ["kern", "mark", "mkmk", "liga", "ccmp", "locl", "init", "medi", "fina", "isol", "rlig", "calt"]
    stamp = TTFont(NOTO / f"NotoSans-{style}.ttf")["head"].modified
    parts = []
    sources = (("NotoSans", LATIN_RANGES), ("NotoSansArabic", ARABIC_RANGES), ("NotoSansHebrew", HEBREW_RANGES))
    for name, ranges in sources:
        path = OUT / f".{name}-{style}.ttf"
        cut(TTFont(NOTO / f"{name}-{style}.ttf"), codepoints(ranges), shaping).save(path)
        parts.append(path)
    try:
        font = Merger().merge([str(path) for path in parts])
    finally:
        for path in parts:
            path.unlink()
    return renamed(font, NAME, style, stamp)


def main() -> int:
    for style in ("Regular", "Bold"):
        merged_sans(style).save(OUT / f"CardSans-{style}.ttf", reorderTables=True)
    cjk = TTCollection(NOTO_CJK).fonts[CJK_SC]
    stamp = cjk["head"].modified
    renamed(cut(cjk, cjk_codepoints(), []), f"{NAME} CJK", "Bold", stamp).save(OUT / "CardSansCJK-Bold.otf")
    for path in sorted(OUT.glob("CardSans*")):
        print(f"{path.name}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
