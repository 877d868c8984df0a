"""Demo step: the real work programme 2022–2026 and the SDGs (no random data here)."""

from .services import load_programme


def populate(rng) -> list[str]:
    return [f"Work programme: {load_programme()}."]
