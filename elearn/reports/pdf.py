"""The report as a PDF (reportlab): the organisation's logo and name at the top of every page,
a table of contents, a heading per area, programme, project and activity, and page numbers.
The embedded DejaVu font (elearn.pdf_fonts) prints every accent as typed; letters of scripts it
lacks are drawn in a fallback font (`_text` marks those runs)."""

import io
import os
from xml.sax.saxutils import escape  # Paragraph reads markup

from elearn.pdf_fonts import draw_string, markup, register_fonts

from .outline import Grid, Heading, Links, Para

LOGO = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))), "static", "img", "organisation-logo.png")


def _text(text, style):
    """A Paragraph of plain text in the style's font, with fallback runs for other scripts."""
    from reportlab.platypus import Paragraph

    return Paragraph(markup(str(text), style.fontName), style)


def _styles(regular: str, bold: str) -> dict:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=regular, fontSize=9, leading=11.5)
    heading = {1: (15, 6), 2: (12.5, 5), 3: (11, 4), 4: (10, 3)}
    styles = {
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=20, leading=24,
                                spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, leading=13,
                                   spaceAfter=10),
        "text": ParagraphStyle("text", parent=base, spaceAfter=3),
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=10,
                               textColor=colors.HexColor("#333333"), spaceAfter=3),
        "label": ParagraphStyle("label", parent=base, fontName=bold, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7, leading=8.5),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=bold, fontSize=7,
                                    leading=8.5),
        "link": ParagraphStyle("link", parent=base, fontSize=8, leading=10, leftIndent=8),
        "toc_heading": ParagraphStyle("toc_heading", parent=base, fontName=bold, fontSize=14,
                                      leading=18, spaceAfter=6),
    }
    for level, (size, after) in heading.items():
        styles[f"h{level}"] = ParagraphStyle(f"h{level}", parent=base, fontName=bold,
                                             fontSize=size, leading=size * 1.25,
                                             spaceBefore=after * 2, spaceAfter=after,
                                             keepWithNext=True)
    return styles


def _grid(block: Grid, styles: dict, width: float):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    def cell(text, bold=False):
        return _text(text, styles["cell_bold" if bold else "cell"])

    data = [[cell(c, True) for c in block.header]]
    data += [[cell(c) for c in row] for row in block.rows]
    columns = len(block.header)
    # The first column (names) takes the room it needs; figures share the rest.
    first = width * (0.40 if block.labels == columns else 0.28)
    rest = (width - first) / max(columns - 1, 1)
    table = Table(data, colWidths=[first] + [rest] * (columns - 1), repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


class _Document:
    """A BaseDocTemplate that files each heading in the table of contents and the PDF
    outline (the reader's bookmarks)."""

    @staticmethod
    def make(out, title: str, organisation: str, regular: str, bold: str):
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

        class Doc(BaseDocTemplate):
            def afterFlowable(self, flowable):
                level = getattr(flowable, "toc_level", None)
                if level is None:
                    return
                text = flowable.getPlainText()
                key = flowable.anchor
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(text, key, level=level - 1, closed=level > 1)
                self.notify("TOCEntry", (level - 1, text, self.page, key))

        def decorate(canvas, doc):
            width, height = A4
            canvas.saveState()
            if os.path.isfile(LOGO):
                canvas.drawImage(LOGO, 15 * mm, height - 20 * mm, width=10 * mm,
                                 height=10 * mm, mask="auto")
            draw_string(canvas, 28 * mm, height - 14 * mm, organisation, bold, 9)
            draw_string(canvas, 28 * mm, height - 18 * mm, title, regular, 8)
            canvas.line(15 * mm, height - 22 * mm, width - 15 * mm, height - 22 * mm)
            canvas.drawRightString(width - 15 * mm, 10 * mm, page_label(doc.page))
            canvas.restoreState()

        doc = Doc(out, pagesize=A4, title=title, author=organisation, leftMargin=15 * mm,
                  rightMargin=15 * mm, topMargin=27 * mm, bottomMargin=18 * mm)
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
        return doc


def page_label(number: int) -> str:
    from flask_babel import gettext as _

    return _("Page %(num)s", num=number)


def render_pdf(title: str, subtitle: str, blocks: list, organisation: str) -> bytes:
    from flask_babel import gettext as _
    from reportlab.platypus import Spacer
    from reportlab.platypus.tableofcontents import TableOfContents

    regular, bold = register_fonts()
    styles = _styles(regular, bold)
    out = io.BytesIO()
    doc = _Document.make(out, title, organisation, regular, bold)
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [styles["text"].clone(f"toc{n}", leftIndent=12 * n, fontSize=9 - n * 0.5)
                       for n in range(4)]
    story = [_text(title, styles["title"]), _text(subtitle, styles["subtitle"]),
             _text(_("Contents"), styles["toc_heading"]), toc, Spacer(1, 6)]
    for block in blocks:
        story += _flowables(block, styles, doc.width)
    doc.multiBuild(story)
    return out.getvalue()


def _flowables(block, styles: dict, width: float) -> list:
    from reportlab.platypus import Paragraph, Spacer

    if isinstance(block, Heading):
        style = styles[f"h{block.level}"]
        heading = Paragraph(f'<a name="{block.anchor}"/>{markup(block.text, style.fontName)}',
                            style)
        heading.toc_level, heading.anchor = block.level, block.anchor
        return [heading]
    if isinstance(block, Para):
        return [_text(block.text, styles[block.style])]
    if isinstance(block, Grid):
        return [_text(block.caption, styles["label"]),
                _grid(block, styles, width), Spacer(1, 4)]
    if isinstance(block, Links):
        found = [_text(block.caption, styles["label"])]
        for text, url in block.items:
            href = escape(url, {'"': "&quot;"})
            shown = markup(text, styles["link"].fontName)
            found.append(Paragraph(f'• {shown}: <link href="{href}" color="blue">'
                                   f'{escape(url)}</link>', styles["link"]))
        return found
    raise TypeError(type(block))
