"""What can go wrong when issuing or changing a certificate, with the HTTP status a view
answers with. Messages are translated where they are raised."""


class CertificateError(Exception):
    status = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotQualified(CertificateError):
    """The kind's rule says no, and no admin override was given."""


class TemplateProblem(CertificateError):
    """No template, no signatory, or the font cannot be read: nothing can be rendered."""


class AlreadyRevoked(CertificateError):
    pass


class NotYet(CertificateError):
    """Too early: the activity has not ended, or the edition's results are not recorded."""


class NotAllowed(CertificateError):
    status = 403


class BadInput(CertificateError):
    status = 400
