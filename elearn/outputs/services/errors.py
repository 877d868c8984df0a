"""The one error the outputs' rules raise: a message for the person, and the HTTP status."""


class OutputError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status
