"""The report of the demo year against an independent count written here in SQL over the
source records (attendance, registrations, people): distinct people, consent, and small
figures hidden. Then the demo report's PDF and Word files in Spanish, read back."""

import io
from datetime import UTC, datetime

import docx
import pypdf
from flask_babel import force_locale
from sqlalchemy import text

from elearn.demo import populate
from elearn.extensions import db
from elearn.reports.documents import build_report_docx, build_report_pdf, report_outline
from elearn.stats.services import settings

# People who attended (present or late) as participants an event of an activity held in the
# year and not cancelled; speakers and the like of that event are counted apart. Women only
# when they agreed to the statistical use of their profile.
ATTENDED = """
SELECT e.activity_id, count(DISTINCT a.user_id),
       count(DISTINCT CASE WHEN u.gender = 'woman' AND u.stats_consent_at IS NOT NULL
                           THEN a.user_id END)
FROM attendance a
JOIN event_session s ON s.id = a.session_id
JOIN event e ON e.id = s.event_id
JOIN "user" u ON u.id = a.user_id
WHERE a.status IN ('present', 'late') AND e.status != 'cancelled'
  AND e.starts_at >= :start AND e.starts_at < :end {activity}
  AND NOT EXISTS (SELECT 1 FROM registration r WHERE r.event_id = e.id
                  AND r.user_id = a.user_id AND r.role != 'participant')
{group}
"""
# Confirmed speakers, panellists, chairs and moderators of the year's events.
PANEL = """
SELECT e.activity_id, count(DISTINCT r.user_id),
       count(DISTINCT CASE WHEN u.gender = 'woman' AND u.stats_consent_at IS NOT NULL
                           THEN r.user_id END)
FROM registration r JOIN event e ON e.id = r.event_id JOIN "user" u ON u.id = r.user_id
WHERE r.status = 'confirmed' AND e.status != 'cancelled'
  AND r.role IN ('speaker', 'panellist', 'chair', 'moderator')
  AND e.starts_at >= :start AND e.starts_at < :end AND e.activity_id IS NOT NULL
GROUP BY e.activity_id
"""


def _bounds(year):
    return {"start": datetime(year, 1, 1, tzinfo=UTC), "end": datetime(year + 1, 1, 1, tzinfo=UTC)}


def _demo_year() -> int:
    """The year with the most attendance: the demo's own year."""
    rows = db.session.execute(text(
        "SELECT e.starts_at FROM attendance a JOIN event_session s ON s.id = a.session_id "
        "JOIN event e ON e.id = s.event_id")).scalars().all()
    years = [r.year if isinstance(r, datetime) else int(str(r)[:4]) for r in rows]
    return max(set(years), key=years.count)


def _published_as(report_value, true_value, threshold) -> bool:
    """A published figure equals the count; a small one (1..threshold) is never published."""
    if 1 <= true_value <= threshold:
        return report_value is None
    return report_value is None or report_value == true_value


def _entries(report):
    for area in report.areas:
        for programme in area.children:
            for project in programme.children:
                yield from project.children


def test_demo_year_figures_equal_an_independent_count(app):
    populate()
    year = _demo_year()
    threshold, _min_group = settings()
    bounds = _bounds(year)
    attended = {a: (total, women) for a, total, women in db.session.execute(text(ATTENDED.format(
        activity="AND e.activity_id IS NOT NULL", group="GROUP BY e.activity_id")), bounds)}
    panel = {a: (total, women) for a, total, women in db.session.execute(text(PANEL), bounds)}
    reached, women = db.session.execute(text(ATTENDED.format(activity="", group="")
                                             .replace("e.activity_id, ", "")), bounds).one()
    with app.test_request_context(), force_locale("en"):
        report, _title, _subtitle, _blocks = report_outline(year, "en")
    assert reached > 0 and attended, "the demo year has people reached"
    assert report.summary.people in (reached, None)
    if report.summary.people is not None and report.summary.women_share is not None:
        assert abs(report.summary.women_share - women / reached) < 1e-9
    entries = {e.progress["activity_id"]: e for e in _entries(report)}
    assert set(attended) <= set(entries), "every activity with attendance is in the report"
    published = 0
    for aid, entry in entries.items():
        for counts, figures in ((attended.get(aid, (0, 0)), entry.figures["attended"]),
                                (panel.get(aid, (0, 0)), entry.panel)):
            total, women_count = counts
            assert _published_as(figures.total, total, threshold), (aid, figures, counts)
            assert _published_as(figures.of("woman"), women_count, threshold), (aid, counts)
            published += figures.total is not None and total > 0
    assert published, "some activity figures are published"


def test_demo_report_in_spanish_as_pdf_and_word(app):
    populate()
    year = _demo_year()
    with app.test_request_context(), force_locale("es"):
        _report, title, _subtitle, blocks = report_outline(year, "es")
    areas = [b.text for b in blocks if b.kind == "heading" and b.level == 1
             and b.anchor.startswith("area-")]
    assert areas and any(c in "".join(areas) for c in "áéíóúñ"), areas
    reader = pypdf.PdfReader(io.BytesIO(build_report_pdf(year, "es")))
    pdf_text = "\n".join(page.extract_text() for page in reader.pages)
    assert reader.metadata.title == title and title in pdf_text
    flat = " ".join(pdf_text.split())
    for heading in areas:
        assert heading in flat, heading
    document = docx.Document(io.BytesIO(build_report_docx(year, "es")))
    word_headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    for heading in areas:
        assert heading in word_headings
    assert document.paragraphs[0].text == title or any(
        p.text == title for p in document.paragraphs[:3])
