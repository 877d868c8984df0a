"""Attendance from every source, for event sessions and course live sessions alike."""
