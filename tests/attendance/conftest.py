"""Attendance-test helpers: events, sessions and registrations made directly as rows."""





