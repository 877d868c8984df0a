"""The report as an editable Word document (python-docx): the same headings, tables and notes
as the web page and the PDF, in Word's own heading styles so the Secretariat can finish it,
restyle it and let Word build its table of contents (a TOC field, refreshed on opening)."""

import io

from .outline import Grid, Heading, Links, Para


def _toc_field(paragraph) -> None:
    """A table-of-contents field over heading levels 1-4; Word fills it when the document
    is opened and fields are updated (the document asks it to, below)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, 'TOC \\o "1-4" \\h \\z \\u'),
                       ("separate", None), (None, None), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text is not None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            from flask_babel import gettext as _

            element.text = _("Right-click here and choose Update field to build the contents.")
        run._r.append(element)


def _update_fields_on_open(document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def render_docx(title: str, subtitle: str, blocks: list, organisation: str,
                logo: str | None = None) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt
    from flask_babel import gettext as _

    document = Document()
    document.core_properties.title = title
    document.core_properties.author = organisation
    section = document.sections[0]
    header = section.header.paragraphs[0]
    if logo:
        header.add_run().add_picture(logo, width=Cm(1.2))
    header.add_run(f"  {organisation}").bold = True
    document.add_heading(title, level=0)
    document.add_paragraph(subtitle)
    document.add_paragraph(_("Contents"), style="TOC Heading" if _has_style(
        document, "TOC Heading") else None).runs[0].bold = True
    _toc_field(document.add_paragraph())
    _update_fields_on_open(document)
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Para):
            paragraph = document.add_paragraph(block.text)
            if block.style == "note":
                for run in paragraph.runs:
                    run.font.size = Pt(9)
                    run.italic = True
        elif isinstance(block, Grid):
            _table(document, block)
        elif isinstance(block, Links):
            document.add_paragraph(block.caption).runs[0].bold = True
            for text, url in block.items:
                document.add_paragraph(f"{text}: {url}", style="List Bullet")
    _page_numbers(section, _("Page"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _has_style(document, name: str) -> bool:
    return any(style.name == name for style in document.styles)


def _table(document, block: Grid) -> None:
    from docx.shared import Pt

    document.add_paragraph(block.caption).runs[0].bold = True
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    for r, row in enumerate([block.header, *block.rows]):
        cells = table.rows[r].cells
        for c, text in enumerate(row):
            cells[c].text = str(text)
            run = cells[c].paragraphs[0].runs[0] if cells[c].paragraphs[0].runs else None
            if run is not None:
                run.font.size = Pt(8)
                run.bold = r == 0


def _page_numbers(section, word: str) -> None:
    """"Page N" in the footer, N a PAGE field Word keeps up to date."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.add_run(f"{word} ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
