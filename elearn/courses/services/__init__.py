"""Course rules, by topic: editions (content and copying), eligibility, enrolment, quizzes,
assignments, live (classes as event sessions), progress, completion, gradebook.
Import from the submodule: `from elearn.courses.services.completion import evaluate`."""
