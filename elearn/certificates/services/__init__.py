"""The certificate rules, for every caller (web, CLI, jobs): templates, issuing, bulk jobs,
revocation and reissue, verification and badges."""

from .issuing import issue, verdicts  # noqa: F401
from .lifecycle import find_by_code, reissue, revoke  # noqa: F401
from .templates import design_for, template_for  # noqa: F401
