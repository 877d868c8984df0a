from pathlib import Path

import pytest
import yaml
from sqlalchemy import event, func, select

from elearn.extensions import db
from elearn.programme import services
from elearn.programme.models import Activity, Programme, Project, Sdg, ThematicArea
from elearn.programme.services import ProgrammeDataError, activity_by_path, load_programme

DATA = Path(services.__file__).parent / "data" / "work_programme.yaml"
ROWS = 3 + 7 + 11 + 44 + 17  # areas, programmes, projects, activities, SDGs


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def programme_data() -> dict:
    return yaml.safe_load(DATA.read_text("utf-8"))


def write(tmp_path, data) -> Path:
    path = tmp_path / "programme.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def find(data, *codes):
    node = data["areas"]
    for level, code in zip(["programmes", "projects", "activities", None], codes, strict=False):
        item = next(x for x in node if x["code"] == code)
        node = item.get(level) if level else item
    return item


def test_loads_the_whole_work_programme(app):
    load_programme()
    db.session.commit()
    levels = (ThematicArea, Programme, Project, Activity)
    assert [count(model) for model in levels] == [3, 7, 11, 44]
    assert count(Sdg) == 17
    areas = db.session.scalars(select(ThematicArea).order_by(ThematicArea.position)).all()
    assert [a.title["en"] for a in areas] == [
        "Economic recovery", "Digitalisation and infrastructure", "Social development"]

    second = activity_by_path("I.III.A.2")
    assert second.title["en"].startswith("Second edition of the gender-focused Diploma Course")
    assert second.title["es"].startswith("Segunda edición del Diplomado con enfoque de género")
    assert second.project.programme.title["en"] == "SMEs"
    assert [s.number for s in second.sdgs] == [5, 8, 10]
    assert (second.year_from, second.year_to, second.years) == (2023, 2023, "2023")
    caribbean = activity_by_path("I.III.A.3")
    assert caribbean.title["en"].startswith(
        "Caribbean edition of the gender-focused Diploma Course")

    hackathon = activity_by_path("II.I.A.3")
    assert hackathon.title["en"] == "Hackathon: digital solutions for regional integration"
    assert hackathon.project.programme.area.title["en"] == "Digitalisation and infrastructure"
    assert [s.number for s in activity_by_path("III.II.A.1").sdgs] == [11, 13, 17]
    assert activity_by_path("I.I.A.1").years == "2022"
    assert activity_by_path("III.II.A.1").years == ""  # the document gives that project no year
    assert activity_by_path("III.III.B.4").title["en"].startswith("Training on the development")

    # Every item is titled and described in the four languages, and every activity serves
    # at least one SDG.
    for model in (ThematicArea, Programme, Project, Activity):
        for row in db.session.scalars(select(model)):
            assert set(row.title) == set(row.description) == {"en", "es", "pt", "fr"}, row.title
    for sdg in db.session.scalars(select(Sdg)):
        assert set(sdg.title) == {"en", "es", "pt", "fr"}, sdg.number
    assert db.session.get(Sdg, 5).title["pt"] == "Igualdade de gênero"
    assert db.session.get(Sdg, 5).title["fr"] == "Égalité entre les sexes"
    assert second.project.programme.title["pt"] == "PMEs"
    assert second.project.programme.title["fr"] == "PME"
    assert all(a.sdgs for a in db.session.scalars(select(Activity)))


def test_running_twice_changes_nothing(app):
    first = load_programme()
    db.session.commit()
    assert first.created + first.unchanged == ROWS  # SDGs may be left from an earlier test
    assert first.created >= ROWS - 17 and first.updated == 0
    ids = dict(db.session.execute(select(Activity.path_code, Activity.id)).all())

    db.session.expire_all()
    statements = []

    def listen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        second = load_programme()
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    db.session.commit()
    assert len(statements) <= 7, statements  # a few bulk reads, never one per row
    assert (second.created, second.updated, second.unchanged) == (0, 0, ROWS)
    assert dict(db.session.execute(select(Activity.path_code, Activity.id)).all()) == ids
    assert not db.session.dirty and not db.session.new


def test_changed_rows_are_restored_in_place(app):
    load_programme()
    db.session.commit()
    diploma = activity_by_path("I.III.A.2")
    diploma_id = diploma.id
    diploma.title["es"] = "Texto cambiado"  # changed in place: tracked all the same
    diploma.title["pt"] = "Texto alterado"
    diploma.sdgs = diploma.sdgs[:1]
    area = db.session.scalar(select(ThematicArea).filter_by(code="II"))
    area.description = {**area.description, "en": "edited"}
    db.session.commit()

    counts = load_programme()
    db.session.commit()
    assert (counts.created, counts.updated) == (0, 2)
    db.session.expire_all()
    diploma = activity_by_path("I.III.A.2")
    assert diploma.id == diploma_id
    assert diploma.title["es"].startswith("Segunda edición")
    assert diploma.title["pt"].startswith("Segunda edição do Diploma")
    assert [s.number for s in diploma.sdgs] == [5, 8, 10]
    area = db.session.scalar(select(ThematicArea).filter_by(code="II"))
    assert area.description["en"] != "edited"


def test_a_modified_file_updates_in_place_and_keeps_dropped_activities(app, tmp_path):
    load_programme()
    db.session.commit()
    diploma_id = activity_by_path("I.III.A.2").id
    data = programme_data()
    project = find(data, "I", "III", "A")
    project["activities"][1]["title_en"] = "Second edition of the diploma (revised)"
    project["activities"][1]["years"] = "2023-2024"
    project["activities"][1]["sdgs"] = [4, 5]
    project["activities"][1]["title_fr"] = "Deuxième édition du diplôme (révisée)"
    project["activities"].append({"code": "9", "title_es": "Una actividad nueva", "sdgs": [9]})
    hackathon_project = find(data, "II", "I", "A")
    hackathon_project["activities"] = [
        a for a in hackathon_project["activities"] if a["code"] != "7"]

    counts = load_programme(write(tmp_path, data))
    db.session.commit()
    assert (counts.created, counts.updated) == (1, 1)
    assert counts.not_in_file == ["II.I.A.7"]
    db.session.expire_all()
    diploma = activity_by_path("I.III.A.2")
    assert diploma.id == diploma_id
    assert diploma.title["en"] == "Second edition of the diploma (revised)"
    assert (diploma.year_from, diploma.year_to, diploma.years) == (2023, 2024, "2023–2024")
    assert [s.number for s in diploma.sdgs] == [4, 5]
    new = activity_by_path("I.III.A.9")
    assert diploma.title["fr"] == "Deuxième édition du diplôme (révisée)"
    assert new.position == 9 and new.year_from is None
    assert new.title == {"es": "Una actividad nueva"} and new.description == {}
    assert activity_by_path("II.I.A.7") is not None  # kept: courses or events may point at it


@pytest.mark.parametrize("breakage, message", [
    (lambda a: a.update(sdgs=[99]), "unknown SDG"),
    (lambda a: a.update(code="1"), "appears twice"),
    (lambda a: a.update(title_es=""), "title_es is required"),
    (lambda a: a.update(years="soon"), "years must look like"),
])
def test_an_invalid_file_writes_nothing(app, tmp_path, breakage, message):
    data = programme_data()
    last_activity = find(data, "III", "III", "B")["activities"][-1]
    breakage(last_activity)
    with pytest.raises(ProgrammeDataError, match=message):
        load_programme(write(tmp_path, data))
    db.session.commit()
    assert count(Activity) == 0 and count(ThematicArea) == 0


def test_cli_loads_and_prints_the_counts(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["elearn", "load-programme"])
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    assert count(Activity) == 44
    again = runner.invoke(args=["elearn", "load-programme"])
    assert f"0 created, 0 updated, {ROWS} unchanged" in again.output


def test_cli_refuses_a_broken_file(app, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("areas: nope\n", "utf-8")
    result = app.test_cli_runner().invoke(args=["elearn", "load-programme", "--file", str(path)])
    assert result.exit_code != 0
    assert "expected a top-level list" in result.output
    assert count(Activity) == 0


def test_demo_step_loads_the_programme(app):
    import random

    from elearn.programme import demo

    lines = demo.populate(random.Random(1))
    db.session.commit()
    assert lines and "created" in lines[0]
    assert count(Activity) == 44


def test_activity_choices_are_labelled_in_the_viewers_language_in_one_query(app):
    load_programme()
    db.session.commit()
    statements = []

    def listen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        with app.test_request_context(headers={"Accept-Language": "es"}):
            choices = services.activity_choices()
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert len(statements) == 1
    assert len(choices) == 44
    assert choices[0][1] == "I.I.A.1 — Medición de los procesos de integración"
    assert choices[-1][1].startswith("III.III.B.4 — Formación")
    diploma = activity_by_path("I.III.A.2")
    assert (diploma.id, "I.III.A.2 — " + diploma.title["en"]) in services.activity_choices("en")
    assert services.activity_choices()[0][1] == "I.I.A.1 — Measuring the integration processes"
