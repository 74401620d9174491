"""argon2id password hashing with OWASP's parameters, off the event loop, one at a time in a process."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# verified against when the email is unknown, so both failures take the same time
_DUMMY = _hasher.hash("not-a-real-password")
# tens of milliseconds of a core each: a crowd signing in at once queues here instead of taking every core the
# suite's other requests need (more sign-ins a second: more identity replicas)
_hashing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="argon2id")


async def hash_password(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_hashing, _hasher.hash, password)


async def verify_password(stored: str | None, password: str) -> bool:
    def verify() -> bool:
        try:
            return _hasher.verify(stored or _DUMMY, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.get_running_loop().run_in_executor(_hashing, verify)


COMMON = {
    "password",
    "password1",
    "12345678",
    "123456789",
    "qwerty123",
    "iloveyou",
    "11111111",
    "abc12345",
    "admin123",
    "welcome1",
    "changeme",
    "letmein1",
    "88888888",
    "woaini1314",
    "a1234567",
}
MIN_LENGTH = 8
MAX_LENGTH = 256  # argon2 hashes any length, but a megabyte a login would be a denial of service


def check_policy(password: str, email: str = "", field: str = "password") -> None:
    """At least 8 characters with a letter and a non-letter; not a common password, not the email's name."""
    from crm_shared.errors import BadInput

    if len(password) > MAX_LENGTH:
        raise BadInput("too_long", field=field, maximum=MAX_LENGTH)
    if len(password) < MIN_LENGTH:
        raise BadInput("password_length", field=field, min=MIN_LENGTH)
    if not any(c.isalpha() for c in password) or all(c.isalpha() for c in password):
        raise BadInput("password_mix", field=field)
    local = email.split("@")[0].lower()
    if password.lower() in COMMON or (len(local) >= 4 and local in password.lower()):
        raise BadInput("password_common", field=field)
