"""Making forms and changing them without touching what was answered.

Forms are written as plain definitions too (the standard evaluation template, the demo, tests):

    {"title": {"en": ..., "es": ...},
     "sections": [{"title": {...}, "questions": [
         {"key": "satisfaction", "type": "rating", "required": True,
          "text": {"en": ..., "es": ...}, "help": {...}, "sensitive": False,
          "settings": {"low": {...}, "high": {...}},           # rating; number: {"min", "max"}
          "options": [{"key": "pt", "label": {...}}, ...],     # single/multiple choice
          "condition": {"key": "interpretation", "values": ["yes"]}}]}]}
"""

import re
import secrets

from sqlalchemy import exists, select

from elearn.extensions import db

from .models import (
    Form,
    FormPurpose,
    FormQuestion,
    FormResponse,
    FormSection,
    FormVersion,
    QuestionOption,
    QuestionType,
)

_KEY = re.compile(r"[a-z0-9_]{1,40}")


def new_key(prefix: str = "q") -> str:
    return f"{prefix}{secrets.token_hex(4)}"


def from_definition(definition: dict, purpose: FormPurpose, owner_kind: str | None = None,
                    owner_id: int | None = None, template_key: str | None = None) -> Form:
    """A new form (added to the session) with one version made from `definition`."""
    form = Form(purpose=purpose, owner_kind=owner_kind, owner_id=owner_id,
                template_key=template_key, title=dict(definition.get("title") or {}))
    version = FormVersion(form=form, number=1)
    for s_pos, section_def in enumerate(definition.get("sections", [])):
        section = FormSection(version=version, position=s_pos,
                              title=dict(section_def.get("title") or {}))
        for q_pos, q in enumerate(section_def.get("questions", [])):
            key = q.get("key") or new_key()
            if not _KEY.fullmatch(key):
                raise ValueError(f"question key {key!r}")
            condition = q.get("condition") or {}
            question = FormQuestion(
                version=version, section=section, section_position=s_pos, position=q_pos,
                key=key, type=QuestionType(q["type"]), required=bool(q.get("required")),
                sensitive=bool(q.get("sensitive")), text=dict(q.get("text") or {}),
                help=dict(q.get("help") or {}), settings=dict(q.get("settings") or {}),
                condition_key=condition.get("key"),
                condition_values=list(condition["values"]) if condition else None)
            for o_pos, option in enumerate(q.get("options", [])):
                QuestionOption(question=question, position=o_pos,
                               key=option.get("key") or new_key("o"),
                               label=dict(option.get("label") or {}))
    db.session.add(form)
    db.session.flush()
    form.current_version = version
    return form


def has_answers(version: FormVersion) -> bool:
    return bool(db.session.scalar(select(exists().where(FormResponse.version_id == version.id))))


def editable_version(form: Form) -> FormVersion:
    """The version an edit may change: the current one while nobody has answered it, else a
    new copy (same keys) that becomes current, so earlier answers keep their wording."""
    current = form.current_version
    if current is not None and not has_answers(current):
        return current
    copy = FormVersion(form=form, number=(current.number + 1) if current else 1)
    # Reading `current`'s rows must not autoflush the half-made copy (not in the session until
    # the add below, which takes every row made here with it).
    with db.session.no_autoflush:
        _copy_rows(current, copy)
    db.session.add(copy)
    db.session.flush()
    form.current_version = copy
    return copy


def _copy_rows(current: FormVersion | None, copy: FormVersion) -> None:
    if current is not None:
        sections = {}
        for section in current.sections:
            sections[section.id] = FormSection(version=copy, position=section.position,
                                               title=dict(section.title))
        for q in current.questions:
            new = FormQuestion(
                version=copy, section=sections[q.section_id], section_position=q.section_position,
                position=q.position, key=q.key, type=q.type, required=q.required,
                sensitive=q.sensitive, text=dict(q.text), help=dict(q.help),
                settings=dict(q.settings), condition_key=q.condition_key,
                condition_values=list(q.condition_values) if q.condition_values else None)
            for o in q.options:
                QuestionOption(question=new, position=o.position, key=o.key,
                               label=dict(o.label))


def copy_form(source: Form, owner_kind: str | None, owner_id: int | None) -> Form:
    """A new form for another owner with the wording of `source`'s current version."""
    version = source.current_version
    definition = {"title": dict(source.title), "sections": [
        {"title": dict(s.title), "questions": [
            {"key": q.key, "type": q.type.value, "required": q.required,
             "sensitive": q.sensitive, "text": dict(q.text), "help": dict(q.help),
             "settings": dict(q.settings),
             "condition": ({"key": q.condition_key, "values": list(q.condition_values or [])}
                           if q.condition_key else None),
             "options": [{"key": o.key, "label": dict(o.label)} for o in q.options]}
            for q in s.questions]}
        for s in version.sections]} if version is not None else {"title": dict(source.title)}
    return from_definition(definition, source.purpose, owner_kind, owner_id,
                           template_key=source.template_key)
