"""The work programme's rules: loading it from its data files, and reading it for other domains.

The programme is reference data kept in `data/work_programme.yaml` and `data/sdgs.yaml`.
`load_programme()` brings the database in line with those files in place, matching rows by their
code path, so ids stay stable for the courses, events and hackathon that point at activities.
Rows missing from the file are kept (something may still point at them) and reported.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from flask import has_request_context
from flask_babel import get_locale
from sqlalchemy.orm import joinedload, selectinload

from elearn.extensions import db
from elearn.multilingual import LANGUAGE_NAMES, clean_texts, sql_text

from .models import Activity, Programme, Project, Sdg, ThematicArea, activity_sdg

# The work programme is written in Spanish first: every entry needs a Spanish title; the
# other languages (title_en, title_pt, description_fr, ...) are optional.
MAIN_LANGUAGE = "es"
TEXT_FIELDS = ("title", "description")
FIRST_YEAR, LAST_YEAR = 2000, 2100


class ProgrammeDataError(ValueError):
    """The data file is not a valid work programme; nothing was written."""


@dataclass
class LoadCounts:
    """Rows of every kind (SDGs, areas, programmes, projects, activities) the loader touched."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Activities in the database but no longer in the file: kept, because others point at them.
    not_in_file: list[str] = field(default_factory=list)

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


# --- hooks for the domains above -------------------------------------------------------------

# Courses, events and the hackathon add a callable(activity) -> (title, template, context) or
# None; the activity page renders each returned section with `activity` plus that context.
ActivitySection = tuple[str, str, dict[str, Any]]
activity_sections: list[Callable[[Activity], ActivitySection | None]] = []
_replaced: set[Callable] = set()  # sections another took over, whatever the import order


def register_activity_section(func: Callable[[Activity], ActivitySection | None],
                              replaces: Callable | None = None):
    """Add a domain's section to the activity page (usable as a decorator). A higher domain
    that lists what a lower one does, and more, names the section it `replaces`: the page
    then shows one list, in the place of the one replaced."""
    if func in activity_sections or func in _replaced:
        return func
    if replaces is not None:
        _replaced.add(replaces)
    if replaces in activity_sections:
        activity_sections[activity_sections.index(replaces)] = func
    else:
        activity_sections.append(func)
    return func


def sections_for(activity: Activity) -> list[ActivitySection]:
    return [s for s in (section(activity) for section in activity_sections) if s is not None]


# --- reading ----------------------------------------------------------------------------------

def programme_tree() -> list[ThematicArea]:
    """Areas > programmes > projects > activities (with SDGs) in five queries, whatever the size."""
    return list(
        db.session.scalars(
            db.select(ThematicArea)
            .order_by(ThematicArea.position)
            .options(
                selectinload(ThematicArea.programmes)
                .selectinload(Programme.projects)
                .selectinload(Project.activities)
                .selectinload(Activity.sdgs)
            )
        )
    )


def _with_parents(query):
    return query.options(
        joinedload(Activity.project).joinedload(Project.programme).joinedload(Programme.area),
        selectinload(Activity.sdgs),
    )


def activity_by_path(path_code: str) -> Activity | None:
    """The activity "I.III.A.2", with its project, programme, area and SDGs loaded."""
    return db.session.scalar(_with_parents(db.select(Activity).filter_by(path_code=path_code)))


def activity_by_id(activity_id: int) -> Activity | None:
    return db.session.scalar(_with_parents(db.select(Activity).filter_by(id=activity_id)))


def _in_programme_order(query):
    return (
        query.join(Activity.project)
        .join(Project.programme)
        .join(Programme.area)
        .order_by(ThematicArea.position, Programme.position, Project.position, Activity.position)
    )


def activity_choices(lang: str | None = None) -> list[tuple[int, str]]:
    """(id, "I.III.A.2 — title") for select fields, in programme order, in one query."""
    if lang is None:  # the CLI and jobs have no viewer: English
        lang = str(get_locale() or "en") if has_request_context() else "en"
    title = sql_text(Activity.title, lang, MAIN_LANGUAGE).label("title")
    rows = db.session.execute(
        _in_programme_order(db.select(Activity.id, Activity.path_code, title))
    )
    return [(row.id, f"{row.path_code} — {row.title}") for row in rows]


def get_sdg(number: int) -> Sdg | None:
    return db.session.get(Sdg, number)


def all_sdgs_with_counts() -> list[tuple[Sdg, int]]:
    """Every SDG with how many activities serve it, in one grouped query."""
    count = db.func.count(activity_sdg.c.activity_id)
    rows = db.session.execute(
        db.select(Sdg, count)
        .outerjoin(activity_sdg, activity_sdg.c.sdg_number == Sdg.number)
        .group_by(Sdg.number)
        .order_by(Sdg.number)
    )
    return [(sdg, n) for sdg, n in rows]


def activities_for_sdg(number: int) -> list[Activity]:
    """Activities serving SDG `number`, in programme order, with their parents for context."""
    query = _in_programme_order(
        db.select(Activity).join(activity_sdg, activity_sdg.c.activity_id == Activity.id)
    ).where(activity_sdg.c.sdg_number == number)
    return list(db.session.scalars(_with_parents(query)).unique())


# --- loading ------------------------------------------------------------------------------------

def _data_path(name: str) -> Path:
    return Path(str(resources.files("elearn.programme").joinpath("data", name)))


def _read_yaml(path: Path | str, key: str) -> list[dict]:
    try:
        data = yaml.safe_load(Path(path).read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProgrammeDataError(f"Cannot read {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise ProgrammeDataError(f"{path}: expected a top-level list '{key}'.")
    return data[key]


def _texts(row: dict, field: str) -> dict[str, str]:
    """{"es": row["title_es"], "pt": row["title_pt"], ...}: the languages the row has."""
    return clean_texts({lang: str(row.get(f"{field}_{lang}") or "")
                        for lang in LANGUAGE_NAMES})


def _text(row: dict, where: str, fields=TEXT_FIELDS) -> dict[str, dict[str, str]]:
    if not isinstance(row, dict):
        raise ProgrammeDataError(f"{where}: expected a mapping.")
    values = {field: _texts(row, field) for field in fields}
    if MAIN_LANGUAGE not in values["title"]:
        raise ProgrammeDataError(f"{where}: title_{MAIN_LANGUAGE} is required.")
    return values


def _code(row: dict, where: str, seen: set[str]) -> str:
    code = str(row.get("code") or "").strip() if isinstance(row, dict) else ""
    if not code or "." in code:
        raise ProgrammeDataError(f"{where}: a code without dots is required.")
    if code in seen:
        raise ProgrammeDataError(f"{where}: code {code} appears twice.")
    seen.add(code)
    return code


def _years(value: Any, where: str) -> tuple[int | None, int | None]:
    """2023 -> (2023, 2023); "2022-2023" -> (2022, 2023); absent -> (None, None)."""
    if value is None or value == "":
        return None, None
    parts = str(value).replace("–", "-").split("-")
    try:
        first, last = int(parts[0]), int(parts[-1])
    except ValueError:
        raise ProgrammeDataError(f"{where}: years must look like 2023 or 2022-2023.") from None
    if len(parts) > 2 or not FIRST_YEAR <= first <= last <= LAST_YEAR:
        raise ProgrammeDataError(f"{where}: years must look like 2023 or 2022-2023.")
    return first, last


def _parse_sdgs(rows: list[dict]) -> dict[int, dict[str, dict[str, str]]]:
    parsed: dict[int, dict[str, dict[str, str]]] = {}
    for row in rows:
        number = row.get("number") if isinstance(row, dict) else None
        if not isinstance(number, int) or number in parsed:
            raise ProgrammeDataError(f"SDG {number!r}: a unique whole number is required.")
        parsed[number] = _text(row, f"SDG {number}", ("title",))
    return parsed


def _parse_programme(areas: list[dict], sdg_numbers: set[int]) -> list[dict]:
    """Validate the whole file first, so a bad row never leaves a half-loaded programme."""
    parsed, area_codes = [], set()
    for area in areas:
        a_code = _code(area, f"Area {area!r:.40}", area_codes)
        a = {"code": a_code, "text": _text(area, f"Area {a_code}"), "programmes": []}
        programme_codes: set[str] = set()
        for programme in area.get("programmes") or []:
            p_code = _code(programme, f"Programme in area {a_code}", programme_codes)
            p_path = f"{a_code}.{p_code}"
            p = {"code": p_code, "text": _text(programme, p_path), "projects": []}
            project_codes: set[str] = set()
            for project in programme.get("projects") or []:
                j_code = _code(project, f"Project in {p_path}", project_codes)
                j_path = f"{p_path}.{j_code}"
                j = {"code": j_code, "text": _text(project, j_path), "activities": []}
                activity_codes: set[str] = set()
                for activity in project.get("activities") or []:
                    code = _code(activity, f"Activity in {j_path}", activity_codes)
                    path = f"{j_path}.{code}"
                    numbers = activity.get("sdgs") or []
                    unknown = [n for n in numbers if n not in sdg_numbers]
                    if unknown:
                        raise ProgrammeDataError(f"{path}: unknown SDG {unknown}.")
                    j["activities"].append({
                        "code": code,
                        "path_code": path,
                        "text": _text(activity, path),
                        "years": _years(activity.get("years"), path),
                        "sdgs": sorted(set(numbers)),
                    })
                p["projects"].append(j)
            a["programmes"].append(p)
        parsed.append(a)
    return parsed


def _apply(obj, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; True when something changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _sync(existing, make, values: dict[str, Any], counts: LoadCounts):
    if existing is None:
        obj = make(**values)
        db.session.add(obj)
        counts.add("created")
        return obj
    counts.add("updated" if _apply(existing, values) else "unchanged")
    return existing


def load_programme(
    path: Path | str | None = None, sdg_path: Path | str | None = None
) -> LoadCounts:
    """Bring the database in line with the data files; the caller commits.

    Running it twice changes nothing the second time (all rows `unchanged`).
    """
    sdg_rows = _parse_sdgs(_read_yaml(sdg_path or _data_path("sdgs.yaml"), "sdgs"))
    areas = _parse_programme(
        _read_yaml(path or _data_path("work_programme.yaml"), "areas"), set(sdg_rows)
    )
    counts = LoadCounts()

    sdgs = {s.number: s for s in db.session.scalars(db.select(Sdg))}
    for number, values in sdg_rows.items():
        sdgs[number] = _sync(sdgs.get(number), Sdg, {"number": number, **values}, counts)

    # Everything already there, in four queries, keyed by code path.
    old_areas = {a.code: a for a in db.session.scalars(db.select(ThematicArea))}
    old_programmes = {
        f"{p.area.code}.{p.code}": p
        for p in db.session.scalars(db.select(Programme).options(joinedload(Programme.area)))
    }
    old_projects = {
        f"{j.programme.area.code}.{j.programme.code}.{j.code}": j
        for j in db.session.scalars(
            db.select(Project).options(joinedload(Project.programme).joinedload(Programme.area))
        )
    }
    old_activities = {
        a.path_code: a
        for a in db.session.scalars(db.select(Activity).options(selectinload(Activity.sdgs)))
    }

    for a_pos, a in enumerate(areas, 1):
        area = _sync(old_areas.get(a["code"]), ThematicArea,
                     {"code": a["code"], "position": a_pos, **a["text"]}, counts)
        for p_pos, p in enumerate(a["programmes"], 1):
            p_path = f"{a['code']}.{p['code']}"
            programme = _sync(old_programmes.get(p_path), Programme,
                              {"area": area, "code": p["code"], "position": p_pos, **p["text"]},
                              counts)
            for j_pos, j in enumerate(p["projects"], 1):
                project = _sync(
                    old_projects.get(f"{p_path}.{j['code']}"), Project,
                    {"programme": programme, "code": j["code"], "position": j_pos, **j["text"]},
                    counts,
                )
                for pos, act in enumerate(j["activities"], 1):
                    _sync_activity(old_activities.pop(act["path_code"], None), project, pos, act,
                                   sdgs, counts)

    counts.not_in_file = sorted(old_activities)
    db.session.flush()
    return counts


def _sync_activity(activity, project, position, act, sdgs, counts: LoadCounts) -> None:
    year_from, year_to = act["years"]
    values = {"project": project, "code": act["code"], "path_code": act["path_code"],
              "position": position, "year_from": year_from, "year_to": year_to, **act["text"]}
    wanted = [sdgs[n] for n in act["sdgs"]]
    if activity is None:
        db.session.add(Activity(**values, sdgs=wanted))
        counts.add("created")
        return
    changed = _apply(activity, values)
    if [s.number for s in activity.sdgs] != act["sdgs"]:
        activity.sdgs = wanted
        changed = True
    counts.add("updated" if changed else "unchanged")
