"""The PDF's table of contents is laid out once, its page numbers written afterwards (see
elearn/reports/pdf.py): read back, each entry's number must be the page its heading is on."""

import io

import pypdf
from flask_babel import force_locale

from elearn.reports.documents import build_report_pdf, report_outline
from elearn.reports.outline import Heading

from .conftest import make_programme, populate_event


def _flat(text: str) -> str:
    return " ".join(text.split())


def _bookmarks(reader, outline) -> list[tuple[str, int]]:
    """(title, page number from 1) of every bookmark, in order, nested ones included."""
    found = []
    for item in outline:
        if isinstance(item, list):
            found += _bookmarks(reader, item)
        else:
            found.append((_flat(item.title), reader.get_destination_page_number(item) + 1))
    return found


def _lone_numbers(reader) -> list[int]:
    """Every piece of text that is a number alone, in the order the pages draw them."""
    found: list[int] = []

    def visit(text, *_args):
        if text.strip().isdigit():
            found.append(int(text.strip()))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return found


def test_contents_page_numbers_point_to_their_headings(app, make_user, make_event, register):
    # Enough activities for a report of many pages, and a contents over more than one page.
    activities = make_programme(n=40)
    for activity in activities[:3]:
        populate_event(make_user, make_event, register, activity, people=12)
    data = build_report_pdf(2025, "es")
    with app.test_request_context(), force_locale("es"):
        _report, _title, _subtitle, blocks = report_outline(2025, "es")
    headings = [b for b in blocks if isinstance(b, Heading)]
    assert len(headings) > 40
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [_flat(page.extract_text()) for page in reader.pages]
    assert len(pages) > 3
    # Where each heading really is, as the PDF's bookmarks (filed as it is drawn) say.
    bookmarks = _bookmarks(reader, reader.outline)
    assert [title for title, _page in bookmarks] == [_flat(h.text) for h in headings]
    placed = {h.anchor: page for h, (_title, page) in zip(headings, bookmarks, strict=True)}
    # The contents are drawn first: their page numbers are the first figures standing alone
    # in the file's text, one per entry, in the order of the headings.
    printed = _lone_numbers(reader)[:len(headings)]
    for heading, number in zip(headings, printed, strict=True):
        assert number == placed[heading.anchor], heading.text
        assert _flat(heading.text) in pages[number - 1], heading.text
    # The last heading is on a later page than the first: the numbers are not all alike.
    assert placed[headings[-1].anchor] > placed[headings[0].anchor]


def test_every_page_has_its_number_and_the_contents_their_entries(app, world):
    data = build_report_pdf(2025, "en")
    reader = pypdf.PdfReader(io.BytesIO(data))
    first = _flat(reader.pages[0].extract_text())
    with app.test_request_context(), force_locale("en"):
        _report, _title, _subtitle, blocks = report_outline(2025, "en")
    headings = [b for b in blocks if isinstance(b, Heading)]
    for heading in headings:  # a small report: the contents hold on the first page
        assert _flat(heading.text) in first, heading
    numbers = _lone_numbers(reader)[:len(headings)]
    assert len(numbers) == len(headings)
    assert all(1 <= n <= len(reader.pages) for n in numbers) and numbers == sorted(numbers)
    for n, page in enumerate(reader.pages, start=1):
        assert f"Page {n}" in page.extract_text()
    # The reader's bookmarks are there too, one per heading.
    assert len(reader.outline) >= 1
