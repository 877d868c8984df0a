"""The rules of surveys: setting one up, its life (open, remind, close) and answering it."""
