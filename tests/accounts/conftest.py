"""Account-test helpers: follow the link in a real email."""

import re

import pytest


@pytest.fixture
def link_in(mailbox):
    def find(message) -> str:
        """The path of the first http://localhost link in the plain-text part."""
        text = mailbox.text_of(message)
        match = re.search(r"http://localhost(/\S+)", text)
        assert match, text
        return match.group(1)

    return find
