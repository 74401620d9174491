"""Password checks: argon2id, one at a time in a process, so a crowd signing in leaves the other core free."""

import asyncio
import threading
import time

from identity.auth import passwords


class CountingHasher:
    """Checks every password as right, noting how many checks ran at once."""

    def __init__(self) -> None:
        self.running = self.most = 0
        self.lock = threading.Lock()

    def verify(self, stored: str, password: str) -> bool:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(0.02)  # argon2id's tens of milliseconds, off the event loop
        with self.lock:
            self.running -= 1
        return True

    def hash(self, password: str) -> str:
        return "$argon2id$" if self.verify("", password) else ""


async def test_a_crowd_signing_in_has_its_passwords_checked_one_at_a_time(monkeypatch):
    hasher = CountingHasher()
    monkeypatch.setattr(passwords, "_hasher", hasher)
    checks = [passwords.verify_password("$argon2id$stored", f"secret-{n}") for n in range(4)]
    changes = [passwords.hash_password(f"new-secret-{n}") for n in range(2)]
    assert await asyncio.gather(*checks, *changes) == [True] * 4 + ["$argon2id$"] * 2
    assert hasher.most == 1


async def test_a_password_is_checked_against_its_argon2id_hash():
    stored = await passwords.hash_password("Welcome-2026")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert await passwords.verify_password(stored, "Welcome-2026") is True
    assert await passwords.verify_password(stored, "welcome-2026") is False
    assert await passwords.verify_password(None, "Welcome-2026") is False  # an unknown email takes as long
