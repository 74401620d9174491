"""How a service declares itself, and how the platform finds the services that are installed.

Each service package exports one `ServiceManifest` under the `crm.services` entry-point group
(`[project.entry-points."crm.services"]` in its pyproject). The development stack, the topic list,
the permission catalogue and the subgraph export read the manifests; `crm_shared` never imports a
service by name.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

from crm_shared.db.engine import UnitOfWork

GROUP = "crm.services"


@dataclass(frozen=True)
class Schedule:
    """A job the service runs every `every` seconds (sooner when it returns `RunAgain`), each run in a unit of
    work of its own; with `wake`, also at once when a transaction that gives it work commits `NOTIFY <wake>`
    (`notify`), the interval then only a fallback and the time for what waits (a retry)."""

    name: str
    job: Callable[[UnitOfWork], Awaitable[Any]]
    every: float
    wake: str | None = None  # a PostgreSQL NOTIFY channel


@dataclass(frozen=True)
class RunAgain:
    """What a job returns to run again before its interval is over: after `seconds`, at once (0) when a
    full batch says more is waiting."""

    seconds: float = 0.0


@dataclass(frozen=True)
class Snapshots:
    """What other services project from this one, re-published whole by a reconciliation.

    `event` names the snapshot model ("module:Class", a `crm_shared.events.reconcile.Reconciled`);
    `source` names an async generator `(uow, run_id)` yielding one such event per live object.
    """

    event: str
    source: str


@dataclass(frozen=True)
class InboundMail:
    """An address whose mail the service takes in, as raw messages POSTed to `path` with a bearer token.

    The development SMTP server hands such mail over (`make run`); in production a mail provider's
    inbound webhook or a mailbox poller does. The service reads the address from `<NAME>_<setting>`
    (default `address`) and the token from `<NAME>_INBOUND_MAIL_TOKEN`. Mail to a sub-address
    (`local+tag@domain`) reaches the address's owner as well.
    """

    address: str
    path: str
    setting: str = "MAIL_ADDRESS"


@dataclass(frozen=True)
class CallsAs:
    """A service account the service calls other services as, its API key read from `<NAME>_<setting>`.

    In production an administrator creates the account and its key (identity's `createServiceAccount`,
    `createApiKey`) and hands the key over as a secret; `make run` passes `dev_key` and identity's demo
    data registers it, so the stack needs no hand work.
    """

    setting: str
    permissions: tuple[str, ...]
    scopes: Mapping[str, str] = field(default_factory=dict)

    def dev_key(self, service: str) -> str:
        """The development stack's key (like the demo password, never one of production)."""
        return f"crm_dev_{service}-service-account-key"


@dataclass(frozen=True)
class ServiceManifest:
    """What the platform needs to know of a service without running it."""

    name: str
    port: int
    topics: tuple[str, ...]  # the topics it publishes, keyed by aggregate id
    resources: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # `<name>:<resource>` → actions
    masked_fields: tuple[str, ...] = ()  # `<name>:<resource>.<field>` a role may be shown masked
    seed: str | None = None  # "module:function" awaited with the database URL to add the demo data
    banner: str | None = None  # "module:function" returning lines `make run` prints (the demo logins)
    catalogue_file: str | None = None  # where, in the package, `make compose` writes the permission catalogue
    snapshots: tuple[Snapshots, ...] = ()  # what `python -m crm_shared.events.reconcile` re-publishes
    inbound_mail: InboundMail | None = None  # mail to an address of its own, handed over as raw messages
    calls_as: CallsAs | None = None  # the service account it calls other services as
    # where the SMS provider pushes subscribers' replies (signed with `<NAME>_SMS_CALLBACK_SECRET`); `make run`'s
    # local provider pushes there
    sms_replies: str | None = None
    # where the phone system (CTI) pushes call events (signed with `<NAME>_CTI_SECRET`); `make run`'s local
    # CTI simulator pushes there and takes click-to-call requests at `<NAME>_CTI_URL`
    cti_events: str | None = None

    @property
    def package(self) -> str:
        return self.name

    @property
    def source(self) -> str:
        """The CloudEvents `source` of everything it publishes."""
        return f"/crm/{self.name}"

    @property
    def app(self) -> str:
        return f"{self.package}.app:create_app"

    def url(self, port: int | None = None) -> str:
        return f"http://127.0.0.1:{port or self.port}"

    def load(self, target: str) -> Any:
        module, _, attribute = target.partition(":")
        return getattr(importlib.import_module(module), attribute)

    def schema(self) -> Any:
        """The service's strawberry subgraph schema."""
        return importlib.import_module(f"{self.package}.graphql").schema


def named(name: str) -> ServiceManifest:
    """The installed service called `name`."""
    for manifest in discover():
        if manifest.name == name:
            return manifest
    raise LookupError(f"no service named {name!r} is installed")


def discover() -> list[ServiceManifest]:
    """The installed services, in port order (identity first: the others verify its tokens)."""
    manifests = [entry.load() for entry in entry_points(group=GROUP)]
    return sorted(manifests, key=lambda m: m.port)


def topics(manifests: list[ServiceManifest] | None = None) -> list[str]:
    """Every topic of the suite: each service's own and the audit topic all of them write."""
    from crm_shared.audit import AUDIT_TOPIC

    return [AUDIT_TOPIC, *(topic for manifest in manifests or discover() for topic in manifest.topics)]
