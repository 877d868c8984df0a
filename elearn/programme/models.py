"""The work programme: thematic areas > programmes > projects > activities, and the SDGs.

Codes follow the programme document (area "I", programme "III", project "A", activity "2");
`path_code` ("I.III.A.2") is unique and is how the loader finds a row to update in place.
Courses, events and the hackathon attach to an Activity.
"""

from sqlalchemy import Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.extensions import db
from elearn.multilingual import Multilingual, texts_column

activity_sdg = Table(
    "activity_sdg",
    db.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    # Indexed on its own: the SDG page looks activities up by goal (the PK leads with activity).
    Column(
        "sdg_number", ForeignKey("sdg.number", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class TitleAndDescription(Multilingual):
    """A title and a description in any of the site's languages (elearn/multilingual.py).
    The main language is the object's `language` (an event's); the work programme, written
    in Spanish first, has Spanish."""

    __multilingual__ = ("title", "description")
    title: Mapped[dict] = texts_column()
    description: Mapped[dict] = texts_column()


class Sdg(Multilingual, db.Model):
    __tablename__ = "sdg"
    __multilingual__ = ("title",)

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    title: Mapped[dict] = texts_column()


class ThematicArea(TitleAndDescription, db.Model):
    __tablename__ = "thematic_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True, nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    programmes: Mapped[list["Programme"]] = relationship(
        back_populates="area", order_by="Programme.position", cascade="all, delete-orphan"
    )


class Programme(TitleAndDescription, db.Model):
    __tablename__ = "programme"
    __table_args__ = (UniqueConstraint("area_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("thematic_area.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(10), nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    area: Mapped[ThematicArea] = relationship(back_populates="programmes")
    projects: Mapped[list["Project"]] = relationship(
        back_populates="programme", order_by="Project.position", cascade="all, delete-orphan"
    )


class Project(TitleAndDescription, db.Model):
    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(10), nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    programme: Mapped[Programme] = relationship(back_populates="projects")
    activities: Mapped[list["Activity"]] = relationship(
        back_populates="project", order_by="Activity.position", cascade="all, delete-orphan"
    )


class Activity(TitleAndDescription, db.Model):
    __tablename__ = "activity"
    __table_args__ = (UniqueConstraint("project_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(10), nullable=False)
    # "I.III.A.2": stable key for the loader and for other domains' demo data.
    path_code: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    # Years it runs, e.g. "2023" or "2022-2023"; first/last kept as numbers for filters.
    year_from: Mapped[int | None] = mapped_column(Integer)
    year_to: Mapped[int | None] = mapped_column(Integer)
    project: Mapped[Project] = relationship(back_populates="activities")
    sdgs: Mapped[list[Sdg]] = relationship(secondary=activity_sdg, order_by=Sdg.number)

    @property
    def years(self) -> str:
        """Shown as 2023 or 2022–2023; empty when the programme document states no year."""
        if self.year_from is None:
            return ""
        if self.year_to is None or self.year_to == self.year_from:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"
