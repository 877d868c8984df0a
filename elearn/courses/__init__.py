"""Diploma courses: courses, editions (cohorts), modules, lessons, assessments, enrolment,
progress and completion."""
