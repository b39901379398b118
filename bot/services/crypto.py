"""AES-256-GCM for personal data at rest (resident numbers, TOTP secrets).

``cryptography`` (OpenSSL's bindings, ~8 MiB of memory) is imported on the first encryption or
decryption: most updates handle neither a resident number nor a second factor.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = b"\x01"


class Cipher:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("AES-256 needs a 32-byte key")
        self._key = key
        self._cached: AESGCM | None = None

    @property
    def _aead(self) -> AESGCM:
        if self._cached is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            self._cached = AESGCM(self._key)
        return self._cached

    def encrypt(self, plaintext: str, *, context: str) -> bytes:
        """``context`` binds the ciphertext to its use (e.g. ``rrn:participant``)."""
        nonce = os.urandom(12)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext.encode(), context.encode())

    def decrypt(self, blob: bytes, *, context: str) -> str:
        if blob[:1] != _VERSION:
            raise ValueError("unknown ciphertext version")
        nonce, body = blob[1:13], blob[13:]
        return self._aead.decrypt(nonce, body, context.encode()).decode()

    def __repr__(self) -> str:  # never show key material
        return "Cipher(AES-256-GCM)"


def totp_context(telegram_id: int) -> str:
    """AEAD context of a TOTP secret: a secret copied onto another account does not decrypt."""
    return f"totp:{telegram_id}"


def rrn_context(participant_id: int) -> str:
    return f"rrn:{participant_id}"


def rrn_draft_context(staff_telegram_id: int) -> str:
    """A number staff typed for a paper application, before its participant exists: it opens
    only for the same staff member, and is sealed again for the participant on registering."""
    return f"rrn:offline:{staff_telegram_id}"
