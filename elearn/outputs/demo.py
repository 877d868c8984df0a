"""Demo outputs: the minutes (a real PDF) of every past event, a slide deck and a session's
recording for the first one, the slides and final report of the diploma's first edition, a
compilation of best practices for the SME programme's activity 4 (I.III.A.4), and one activity
marked delivered by the programme manager. Files go through the same checks and storage as an
upload."""

import io
from datetime import timedelta

from sqlalchemy import select

from elearn.accounts.models import user_by_email
from elearn.courses.models import Edition
from elearn.db_types import utcnow
from elearn.events.demo import PROGRAMME_MANAGER_EMAIL
from elearn.events.models import Event, EventKind, EventStatus
from elearn.extensions import db
from elearn.pdf_fonts import draw_string, register_fonts
from elearn.programme.models import Activity

from .models import OutputKind, Visibility
from .services import add_output, set_verdict
from .services.files import check_file

BEST_PRACTICES_ACTIVITY = "I.III.A.4"
RECORDINGS = "https://media.elearn.demo/recordings"


def small_pdf(title: str, lines: list[str], pages: int = 1) -> bytes:
    """A small real PDF (reportlab, the embedded font: accents print as typed)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    regular, bold = register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(title)
    width, height = A4
    for page in range(pages):
        draw_string(pdf, 60, height - 80,
                    title if pages == 1 else f"{title} ({page + 1}/{pages})", bold, 16)
        for n, line in enumerate(lines):
            draw_string(pdf, 60, height - 120 - 18 * n, line, regular, 11)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _file(title: str, lines: list[str], name: str, pages: int = 1):
    return check_file(io.BytesIO(small_pdf(title, lines, pages)), name)


def _event_outputs(event: Event, manager, first: bool) -> int:
    day = event.ends_at.date() + timedelta(days=3)
    add_output(event, manager, kind=OutputKind.MINUTES, language="es", published_on=day,
               title={"en": f"Minutes: {event.text('title', 'en')}",
                      "es": f"Acta: {event.text('title', 'es')}",
                      "pt": f"Ata: {event.text('title', 'pt')}",
                      "fr": f"Procès-verbal : {event.text('title', 'fr')}"},
               visibility=Visibility.PUBLIC if first else Visibility.PARTICIPANTS,
               file=_file(f"Acta — {event.text('title', 'es')}"[:90],
                          ["Participantes, conclusiones y próximos pasos.",
                           "Relatoría de la Secretaría Permanente del SELA."], "acta.pdf"))
    if not first:
        return 1
    add_output(event, manager, kind=OutputKind.PRESENTATION, language="es", published_on=day,
               title={"en": "Opening presentation", "es": "Presentación de apertura",
                      "pt": "Apresentação de abertura", "fr": "Présentation d’ouverture"},
               visibility=Visibility.PUBLIC,
               file=_file("Presentación de apertura", ["Diagnóstico regional y propuestas."],
                          "presentacion.pdf", pages=4))
    session = event.sessions[0]
    add_output(session, manager, kind=OutputKind.RECORDING, language="es", published_on=day,
               title={"en": "Recording of the first session",
                      "es": "Grabación de la primera sesión",
                      "pt": "Gravação da primeira sessão",
                      "fr": "Enregistrement de la première séance"},
               visibility=Visibility.PARTICIPANTS,
               url=f"{RECORDINGS}/event-{event.id}-session-{session.id}")
    return 3


def populate(rng) -> list[str]:
    manager = user_by_email(PROGRAMME_MANAGER_EMAIL)
    if manager is None:
        return ["Outputs: skipped (no programme manager)."]
    now = utcnow()
    past = list(db.session.scalars(
        select(Event).where(Event.ends_at < now, Event.status != EventStatus.DRAFT,
                            Event.kind != EventKind.LIVE_CLASS)
        .order_by(Event.starts_at, Event.id)))
    count = sum(_event_outputs(event, manager, n == 0) for n, event in enumerate(past))
    first_edition = db.session.scalar(select(Edition).order_by(Edition.starts_on, Edition.id))
    if first_edition is not None:
        day = first_edition.ends_on
        add_output(first_edition, manager, kind=OutputKind.PRESENTATION, language="es",
                   published_on=first_edition.starts_on, visibility=Visibility.PARTICIPANTS,
                   title={"en": "Module 1 slides", "es": "Diapositivas del módulo 1",
                          "pt": "Slides do módulo 1", "fr": "Diapositives du module 1"},
                   file=_file("Módulo 1: políticas para pymes con enfoque de género",
                              ["Brechas de género en el acceso al financiamiento."],
                              "modulo-1.pdf", pages=3))
        add_output(first_edition, manager, kind=OutputKind.REPORT, language="es",
                   published_on=day, visibility=Visibility.PUBLIC,
                   title={"en": "Final report of the first edition",
                          "es": "Informe final de la primera edición",
                          "pt": "Relatório final da primeira edição",
                          "fr": "Rapport final de la première édition"},
                   file=_file("Informe final — primera edición",
                              ["Participación, resultados y lecciones aprendidas."],
                              "informe-final.pdf", pages=2))
        count += 2
    activity = db.session.scalar(select(Activity).where(
        Activity.path_code == BEST_PRACTICES_ACTIVITY))
    if activity is not None:
        add_output(activity, manager, kind=OutputKind.BEST_PRACTICES, language="es",
                   published_on=now.date() - timedelta(days=40), visibility=Visibility.PUBLIC,
                   title={"en": "Compilation of best practices: gender-focused SME policies",
                          "es": "Compilación de buenas prácticas: políticas para pymes con "
                                "enfoque de género",
                          "pt": "Compilação de boas práticas: políticas para PMEs com "
                                "enfoque de gênero",
                          "fr": "Recueil de bonnes pratiques : politiques en faveur des PME "
                                "intégrant la dimension de genre"},
                   file=_file("Compilación de buenas prácticas",
                              ["Políticas públicas con enfoque de género para reducir la "
                               "brecha en América Latina y el Caribe."], "buenas-practicas.pdf",
                              pages=3))
        count += 1
    delivered = past[-1].activity if past and past[-1].activity is not None else None
    if delivered is not None:
        set_verdict(delivered, manager, "delivered")
    db.session.flush()
    return [f"Outputs: {count} (minutes of {len(past)} past events, slides, a recording, the "
            f"first edition's report, best practices for {BEST_PRACTICES_ACTIVITY})"
            + (f"; activity {delivered.path_code} marked delivered." if delivered else ".")]
