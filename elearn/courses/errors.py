"""The one error the course services raise for refused requests: a translated message and the
HTTP status a view should answer with (400 invalid, 403 not allowed, 409 conflict)."""


class CourseError(Exception):
    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message
