"""Shaping for the scripts whose letters change form and place (issue 18.4).

Devanagari and the other Indic scripts, Thai, Lao, Tibetan, Myanmar and Khmer join letters into
conjuncts, move vowel signs before or above their consonant and stack marks. reportlab draws one
glyph per code point, so a name like "क्षत्रिय" would print as its separate letters, the i-sign
after its consonant instead of before. A run in these scripts is shaped by HarfBuzz (uharfbuzz,
imported only here, when such a run is drawn) and its glyphs drawn one by one where HarfBuzz
puts them.

reportlab reaches a glyph only through a character, so a glyph that is not simply its own letter
gets a private code point (planes 15 and 16) of that font. The ToUnicode entry of that code
point is its share of the text its cluster shows (_texts), so the PDF still reads back, copies
and is searched as the name was typed.
"""

from __future__ import annotations

import functools
import threading
from collections import Counter
from dataclasses import dataclass

_COMPLEX = ((0x0900, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F), (0x1780, 0x17FF),
            (0xA8E0, 0xA8FF), (0xAA60, 0xAA7F))
_PRIVATE = ((0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))
_lock = threading.Lock()
_private_text: dict[int, str] = {}  # private code point -> the text its glyph shows
_private_code: dict[tuple[str, int, str], int] = {}  # (font, glyph id, text) -> code point
_next_private = [_PRIVATE[0][0]]


@dataclass(frozen=True)
class Glyph:
    char: str  # what the content stream draws: the letter itself, or a private code point
    x: float  # HarfBuzz's offsets from the pen and its advance, in 1/1000 of the font size
    y: float
    advance: float


def needs_shaping(text: str) -> bool:
    return any(low <= ord(c) <= high for c in text for low, high in _COMPLEX)


@functools.lru_cache(maxsize=64)
def _harfbuzz(path: str):
    import uharfbuzz

    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(path))
    return uharfbuzz.Font(face), 1000 / face.upem


def _free_code(taken) -> int | None:
    for low, high in _PRIVATE:
        code = max(_next_private[0], low)
        while code <= high and code in taken:
            code += 1
        if code <= high:
            _next_private[0] = code + 1
            return code
    return None


def _glyph_char(font: str, glyph: int, text: str, advance: float) -> str | None:
    """The character that draws `glyph` of the registered `font` and reads back as `text`;
    None when every private code point is taken (the run is then drawn unshaped)."""
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(font).face
    if len(text) == 1 and face.charToGlyph.get(ord(text)) == glyph:
        return text
    key = (font, glyph, text)
    with _lock:
        code = _private_code.get(key)
        if code is None:
            code = _free_code(face.charToGlyph)
            if code is None:
                return None
            face.charToGlyph[code] = glyph
            face.charWidths[code] = advance
            _private_text[code] = text
            _private_code[key] = code
    return chr(code)


def _texts(text: str, clusters: list[int]) -> list[str]:
    """What each glyph reads back as. The letters of a cluster are handed to its glyphs in
    order, one each and the rest to the last (a conjunct's one glyph gets all its letters),
    so the glyphs of a cluster read back as its text, whatever order they are drawn in;
    glyphs beyond the letters read as nothing. A reader that puts a space where a glyph has
    no text finds few such glyphs."""
    starts = sorted(set(clusters)) + [len(text)]
    ends = dict(zip(starts, starts[1:], strict=False))
    count = Counter(clusters)
    handed: dict[int, int] = {}
    found = []
    for cluster in clusters:
        letters = text[cluster:ends[cluster]]
        n = handed.get(cluster, 0)
        handed[cluster] = n + 1
        last = n == count[cluster] - 1
        found.append(letters[n:] if last else letters[n:n + 1])
    return found


@functools.lru_cache(maxsize=4096)
def shape(text: str, font: str, path: str) -> tuple[Glyph, ...] | None:
    """The glyphs of a run in the registered `font` (read from `path`) as HarfBuzz shapes
    them, in drawing order; None for text that needs no shaping."""
    if not needs_shaping(text):
        return None
    import uharfbuzz

    hb_font, scale = _harfbuzz(path)
    buffer = uharfbuzz.Buffer()
    buffer.add_codepoints([ord(c) for c in text])
    buffer.guess_segment_properties()
    uharfbuzz.shape(hb_font, buffer, {})
    infos = buffer.glyph_infos
    shows = _texts(text, [info.cluster for info in infos])
    glyphs = []
    for info, place, piece in zip(infos, buffer.glyph_positions, shows, strict=True):
        own = hb_font.get_glyph_h_advance(info.codepoint) * scale
        char = _glyph_char(font, info.codepoint, piece, own)
        if char is None:
            return None
        glyphs.append(Glyph(char, place.x_offset * scale, place.y_offset * scale,
                            place.x_advance * scale))
    return tuple(glyphs)


def width(glyphs: tuple[Glyph, ...], size: float) -> float:
    return sum(g.advance for g in glyphs) * size / 1000


def draw(canvas, x: float, y: float, glyphs: tuple[Glyph, ...], font: str,
         size: float) -> None:
    """Each glyph where HarfBuzz puts it; glyphs that follow on at their own width share one
    string, so a run without marks or kerning is a single Tj."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = canvas.beginText()
    text.setFont(font, size)
    chunk, pen, line = "", 0.0, None
    for glyph in glyphs:
        at, rise = x + glyph.x * size / 1000, y + glyph.y * size / 1000
        if not (chunk and rise == line and abs(at - pen) < 0.01):
            if chunk:
                text.textOut(chunk)
            text.setTextOrigin(at, rise)
            chunk, pen, line = "", at, rise
        chunk += glyph.char
        pen += stringWidth(glyph.char, font, size)
        x += glyph.advance * size / 1000
    if chunk:
        text.textOut(chunk)
    canvas.drawText(text)


def _to_unicode(name: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, each private code point mapped to its text (in UTF-16, so
    letters beyond U+FFFF and empty texts come out right too)."""
    def utf16(code: int) -> str:
        return _private_text.get(code, chr(code)).encode("utf-16-be").hex().upper()

    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({name})", f"/Ordering ({name})", "/Supplement 0",
        ">> def", f"/CMapName /{name} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(code)}>" for i, code in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])


@functools.lru_cache(maxsize=1)
def font_class():
    """reportlab's TTFont, writing the ToUnicode CMap of subsets that hold private code
    points (reportlab's own would name the private code points themselves)."""
    from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

    class ShapedTTFont(TTFont):
        def addObjects(self, doc):
            subsets = [list(s) for s in self._assignState(doc).subsets]
            super().addObjects(doc)
            for n, subset in enumerate(subsets):
                if not any(code > 0xFFFF for code in subset):
                    continue
                name = b"".join((SUBSETN(n), b"+", self.face.name,
                                 self.face.subfontNameX)).decode("pdfdoc")
                stream = doc.idToObject.get("toUnicodeCMap:" + name)
                if stream is not None:
                    stream.content = _to_unicode(name, subset)

    return ShapedTTFont
