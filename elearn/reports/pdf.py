"""The report as a PDF (reportlab): the organisation's logo and name at the top of every page,
a table of contents, a heading per area, programme, project and activity, and page numbers.
The embedded DejaVu font (elearn.pdf_fonts) prints every accent as typed; letters of scripts it
lacks are drawn in a fallback font (`_text` marks those runs).

Laid out once. reportlab's own table of contents needs a second full layout pass (a third
when the first pass moves a heading), the page numbers being known only once the body is laid
out: for a busy year that doubled or tripled the PDF's time. Here the contents are known from
the outline before the layout (every heading, in order), so only their page numbers are
missing; each is drawn as a reference to a small PDF form (XObject) named after the heading,
and the forms are written once the body is laid out, before the file is saved. The contents
take the same room whatever the numbers (a fixed width is kept for them), so nothing moves.

Figure cells are plain strings, not Paragraphs: a figure never wraps, and a Paragraph per
figure was most of the layout's time."""

import io
import os
import re
from ast import literal_eval
from xml.sax.saxutils import escape  # Paragraph reads markup

from elearn.pdf_fonts import draw_string, markup, register_fonts

from .outline import Grid, Heading, Links, Para

LOGO = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))), "static", "img", "organisation-logo.png")


# A figure as outline.number and outline.share write it: digits, separators, "x", "–", "%".
FIGURE = re.compile(r"^[0-9.,\u00a0\u202f %x–-]*$")
NUMBER_WIDTH = "0000"  # the room kept for a page number in the contents


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

    def figure(text):  # drawn as it is, in the cell style's font (TableStyle FONT below)
        return text if FIGURE.match(text) else cell(text)

    labels = block.labels
    data = [[cell(c, True) for c in block.header]]
    data += [[cell(c) if k < labels else figure(c) for k, c in enumerate(row)]
             for row in block.rows]
    columns = len(block.header)
    # The first column (names) takes the room it needs; figures share the rest.
    first = width * (0.40 if block.labels == columns else 0.28)
    rest = (width - first) / max(columns - 1, 1)
    table = Table(data, colWidths=[first] + [rest] * (columns - 1), repeatRows=1,
                  hAlign="LEFT")
    style = styles["cell"]
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), style.fontName, style.fontSize, style.leading),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


class _Document:
    """A BaseDocTemplate that notes the page of each heading (for the contents) and files it
    in the PDF outline (the reader's bookmarks)."""

    @staticmethod
    def make(out, title: str, organisation: str, regular: str, bold: str):
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

        class Doc(BaseDocTemplate):
            pages: dict  # heading anchor -> its page

            def afterFlowable(self, flowable):
                level = getattr(flowable, "toc_level", None)
                if level is None:
                    return
                key = flowable.anchor
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level - 1,
                                          closed=level > 1)
                self.pages[key] = self.page

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
        doc.pages = {}
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
        return doc


def page_label(number: int) -> str:
    from flask_babel import gettext as _

    return _("Page %(num)s", num=number)


def _form_of(key: str) -> str:
    return f"page-of-{key}"


def _contents(blocks: list, styles: dict):
    """The table of contents, its entries known before the layout: every heading of the
    outline, each with the form that will hold its page number."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus.tableofcontents import TableOfContents

    class Contents(TableOfContents):
        def wrap(self, availWidth, availHeight):
            # reportlab's entries draw their page number with this callback; ours draws the
            # dots up to the room kept for the number, and the number's form in that room.
            found = super().wrap(availWidth, availHeight)
            self.canv.setNamedCB("drawTOCEntryEnd", self._entry_end(availWidth))
            return found

        def _entry_end(self, width):
            def draw(canvas, _kind, label):
                _page, level, key = label.split(",")  # reportlab's label: page, level, repr
                key = literal_eval(key)
                style: ParagraphStyle = self.getLevelStyle(int(level))
                x, y = canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"]
                room = stringWidth(NUMBER_WIDTH, style.fontName, style.fontSize)
                dot = " . "
                dots = int(max(width - room - x, 0) / stringWidth(dot, style.fontName,
                                                                   style.fontSize))
                text = canvas.beginText(width - room - dots * stringWidth(
                    dot, style.fontName, style.fontSize), y)
                text.setFont(style.fontName, style.fontSize)
                text.textLine(dot * dots)
                canvas.drawText(text)
                canvas.saveState()
                canvas.translate(width - room, y)
                canvas.doForm(_form_of(key))
                canvas.restoreState()
                canvas.linkRect("", key, (width - room, y, width, y + style.leading),
                                relative=1)
            return draw

    toc = Contents(dotsMinLevel=0)
    # The entry's text stops short of the number's room, so the two never overlap.
    toc.levelStyles = [styles["text"].clone(
        f"toc{n}", leftIndent=12 * n, fontSize=9 - n * 0.5,
        rightIndent=stringWidth(NUMBER_WIDTH, styles["text"].fontName, 9 - n * 0.5) + 4)
        for n in range(4)]
    entries = []
    for block in blocks:
        if isinstance(block, Heading):
            style = toc.getLevelStyle(block.level - 1)
            # The page number is left to the callback: the label carries level and key.
            entries.append((block.level - 1, markup(block.text, style.fontName), 0,
                            block.anchor))
    toc._lastEntries = entries
    return toc, entries


def _number_forms(canvas, doc, toc) -> None:
    """Each heading's page number, as the form its contents entry refers to: right-aligned
    in the room kept for it, at the entry's baseline."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for level, _entry, _page, key in toc._lastEntries:
        style = toc.getLevelStyle(level)
        room = stringWidth(NUMBER_WIDTH, style.fontName, style.fontSize)
        number = str(doc.pages.get(key, ""))
        canvas.beginForm(_form_of(key), lowerx=0, lowery=-style.fontSize, upperx=room,
                         uppery=style.leading)
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        canvas.drawRightString(room, 0, number)
        canvas.endForm()


def render_pdf(title: str, subtitle: str, blocks: list, organisation: str) -> bytes:
    from flask_babel import gettext as _
    from reportlab.platypus import Spacer

    regular, bold = register_fonts()
    styles = _styles(regular, bold)
    out = io.BytesIO()
    doc = _Document.make(out, title, organisation, regular, bold)
    toc, _entries = _contents(blocks, styles)
    story = [_text(title, styles["title"]), _text(subtitle, styles["subtitle"]),
             _text(_("Contents"), styles["toc_heading"]), toc, Spacer(1, 6)]
    for block in blocks:
        story += _flowables(block, styles, doc.width)
    doc._doSave = 0  # saved below, once the page numbers' forms are written
    doc.build(story)
    _number_forms(doc.canv, doc, toc)
    doc.canv.save()
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
