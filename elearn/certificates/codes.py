"""Verification codes: 15 random Crockford base32 symbols (75 bits) and one check symbol.

The check symbol is Crockford's mod-37 check, which catches every single mistyped symbol and
every swap of two neighbours. Codes whose check would fall on one of the five extra mod-37
symbols (*~$=U) are drawn again, so a printed code only ever uses the 32 unambiguous symbols
(no I, L, O, U) and reads well in a URL; that costs well under one bit of randomness.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
DATA_LENGTH = 15
LENGTH = DATA_LENGTH + 1
# What people type by mistake for a symbol that does not exist in the alphabet.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


class CodeTypo(ValueError):
    """Well-formed enough to be meant as a code, but not a possible one."""


def _check_value(data: str) -> int:
    number = 0
    for char in data:
        number = number * 32 + _VALUE[char]
    return number % 37


def new_code() -> str:
    while True:
        data = "".join(secrets.choice(ALPHABET) for _ in range(DATA_LENGTH))
        check = _check_value(data)
        if check < 32:
            return data + ALPHABET[check]


def normalise(typed: str) -> str:
    """Upper-case, drop spaces and dashes, read O as 0 and I/L as 1."""
    cleaned = "".join(ch for ch in (typed or "") if not ch.isspace() and ch not in "-_.")
    return cleaned.upper().translate(_LOOKALIKES)


def parse(typed: str) -> str:
    """The canonical code (16 symbols, no dashes), or CodeTypo."""
    code = normalise(typed)
    if len(code) != LENGTH or any(ch not in _VALUE for ch in code):
        raise CodeTypo(code)
    if _check_value(code[:-1]) != _VALUE[code[-1]]:
        raise CodeTypo(code)
    return code


def is_valid(typed: str) -> bool:
    try:
        parse(typed)
    except CodeTypo:
        return False
    return True


def display(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))
