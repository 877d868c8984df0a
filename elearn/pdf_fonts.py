"""The font every PDF embeds (certificates, tickets, statistics summaries): DejaVu Sans ships
with the package because reportlab's built-in fonts cover Latin-1 only, and participants' names
carry letters such as Ł, ñ, ç or Cyrillic that must print exactly as typed."""

import os
import threading

FONT_DIR = os.path.join(os.path.dirname(__file__), "fonts")
DEFAULT_FONT = os.path.join(FONT_DIR, "DejaVuSans.ttf")
DEFAULT_BOLD_FONT = os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf")
_lock = threading.Lock()


class FontMissing(RuntimeError):
    """The configured font file cannot be read; the message names it."""


def plain_streams() -> None:
    """Every PDF's streams as plain Flate: ASCII85 on top only makes files 25 % larger and
    slower to write. Called before drawing (reportlab is imported only by the code that draws)."""
    from reportlab import rl_config

    rl_config.useA85 = 0


def register_fonts(regular: str = DEFAULT_FONT, bold: str = DEFAULT_BOLD_FONT) -> tuple[str, str]:
    """Register the regular and bold faces with reportlab once; returns their font names."""
    # reportlab here, not at the top: a web worker that draws no PDF never loads it.
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    plain_streams()
    names = []
    for path in (regular, bold):
        name = "Cert-" + os.path.basename(path).rsplit(".", 1)[0]
        if name not in pdfmetrics.getRegisteredFontNames():
            if not os.path.isfile(path):
                raise FontMissing(path)
            try:
                with _lock:
                    pdfmetrics.registerFont(TTFont(name, path))
            except Exception as exc:  # reportlab raises TTFError and plain errors alike
                raise FontMissing(path) from exc
        names.append(name)
    return names[0], names[1]
