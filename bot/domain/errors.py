"""The one exception type the domain (and services) use to refuse something.

A refusal carries a dotted ``code`` (for example ``"brn.checksum"``) that the UI layer maps to a
message in its locale files, and ``params`` with the values that message formats (``used``,
``limit``, ``example`` ...). No user-facing text lives in the domain.

Codes raised here: none (each domain module lists its own codes in its docstring).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DomainError(Exception):
    """A rule refused the input; ``code`` names the rule, ``params`` fill its message."""

    code: str
    params: dict[str, Any]

    def __init__(self, code: str, /, **params: Any) -> None:
        # positional-only: a rule may have a parameter named ``code`` (a drop-out code, ...)
        super().__init__(code)
        self.code = code
        self.params = dict(params)

    def __str__(self) -> str:
        if not self.params:
            return self.code
        shown = ", ".join(f"{key}={value!r}" for key, value in sorted(self.params.items()))
        return f"{self.code} ({shown})"

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, params={self.params!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep pickling (e.g. across process pools) working despite the keyword-only params.
        return (_rebuild, (self.code, self.params))


def _rebuild(code: str, params: Mapping[str, Any]) -> DomainError:
    return DomainError(code, **params)
