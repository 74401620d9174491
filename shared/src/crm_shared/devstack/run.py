"""`make run`: the whole suite on embedded infrastructure, until Ctrl-C.

PostgreSQL (one database and login role per service, migrations applied), the broker on
127.0.0.1:9092 with every topic, each service, the demo organisation and Hive Gateway on
http://127.0.0.1:4000/graphql, and the web console on http://127.0.0.1:3000 (built first when
its sources changed). Data lives in `.data/` and survives restarts.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from crm_shared.db.migrate import upgrade
from crm_shared.devstack.broker import Broker, free_port, wait_for_port
from crm_shared.devstack.console import build as build_console
from crm_shared.devstack.cti import DEV_CTI_SECRET, CtiSimulator
from crm_shared.devstack.postgres import PostgresServer
from crm_shared.devstack.sms import DEV_SMS_KEY, DEV_SMS_SECRET, SmsProvider
from crm_shared.devstack.smtp import SmtpSink, http_route
from crm_shared.devstack.webhooks import WebhookReceiver
from crm_shared.events.kafka import ensure_topics
from crm_shared.service import ServiceManifest, discover, topics

SERVICES = discover()
# the signed-in REST routes the console calls, and their service: the Ingress `crm` routes them the same way
CONSOLE_ROUTES = (("/api/v1/tickets/", "support"), ("/api/v1/notifications/", "automation"))


@dataclass(frozen=True)
class Ports:
    gateway: int = int(os.environ.get("CRM_GATEWAY_PORT", "4000"))
    postgres: int = int(os.environ.get("CRM_PG_PORT", "55432"))
    kafka: int = int(os.environ.get("CRM_KAFKA_PORT", "9092"))
    smtp: int = int(os.environ.get("CRM_SMTP_PORT", "1025"))
    console: int = int(os.environ.get("CRM_CONSOLE_PORT", "3000"))
    services: dict[str, int] = field(default_factory=lambda: {s.name: s.port for s in SERVICES})
    sms: int = int(os.environ.get("CRM_SMS_PORT", "9095"))
    webhooks: int = int(os.environ.get("CRM_WEBHOOK_PORT", "8099"))  # the local receiver of outgoing webhooks
    cti: int = int(os.environ.get("CRM_CTI_PORT", "9096"))  # the local phone system (CTI simulator)

    @classmethod
    def free(cls) -> Ports:
        """Ports nobody listens on, for a second stack beside `make run` (tests, benchmarks)."""
        gateway, postgres, kafka, smtp, console = (free_port() for _ in range(5))
        services = {s.name: free_port() for s in SERVICES}
        return cls(
            gateway, postgres, kafka, smtp, console, services, sms=free_port(), webhooks=free_port(), cti=free_port()
        )


class Stack:
    """PostgreSQL, the broker, every service and the gateway as child processes."""

    def __init__(
        self, root: Path, data: Path, ports: Ports | None = None, seed: bool = True, console: bool = False
    ) -> None:
        self.root = root
        self.data = data
        self.ports = ports or Ports()
        self.seed = seed
        self.console = console
        self.logs = self.data / "logs"
        self.postgres = PostgresServer(self.data / "postgres", self.ports.postgres)
        self.broker = Broker(self.ports.kafka, self.logs / "broker.log")
        self.smtp = SmtpSink(self.ports.smtp, self.data / "mail")
        self.sms = SmsProvider(self.ports.sms, {DEV_SMS_KEY: DEV_SMS_SECRET}, self.data / "sms")
        self.webhooks = WebhookReceiver(self.ports.webhooks, self.data / "webhooks.jsonl")
        self.cti = CtiSimulator(self.ports.cti)
        self.processes: list[subprocess.Popen[bytes]] = []
        self.launches: dict[int, tuple[str, list[str], Path | None]] = {}
        self.replicas: dict[str, list[int]] = {}  # service → ports of the processes added beside the first
        self.env = dict(os.environ, CRM_KAFKA_BOOTSTRAP_SERVERS=self.broker.bootstrap, CRM_ENV="development")
        self.env["CRM_SERVICE_URLS"] = ",".join(f"{s.name}={self.service_url(s.name)}" for s in SERVICES)
        identity = self.service_url("identity")
        self.env["CRM_JWKS_URL"] = f"{identity}/.well-known/jwks.json"
        self.env["CRM_GATEWAY_PORT"] = str(self.ports.gateway)
        self.env["CRM_WEBHOOK_PORT"] = str(self.ports.webhooks)
        for spec in SERVICES:
            if spec.inbound_mail is not None:
                self._route_mail(spec)
            if spec.sms_replies is not None:
                self._route_sms(spec)
            if spec.cti_events is not None:
                self._route_calls(spec)
            if spec.calls_as is not None:  # identity's demo data registers this key for the service's account
                self.env.setdefault(f"{spec.name.upper()}_{spec.calls_as.setting}", spec.calls_as.dev_key(spec.name))

    def _route_mail(self, spec: ServiceManifest) -> None:
        """The SMTP sink hands mail to the service's address to the service, with a token of this run."""
        assert spec.inbound_mail is not None
        prefix = spec.name.upper()
        address = self.env.setdefault(f"{prefix}_{spec.inbound_mail.setting}", spec.inbound_mail.address)
        token = self.env.setdefault(f"{prefix}_INBOUND_MAIL_TOKEN", secrets.token_urlsafe(24))
        self.smtp.route(address, http_route(self.service_url(spec.name) + spec.inbound_mail.path, token))

    def _route_sms(self, spec: ServiceManifest) -> None:
        """The local SMS provider pushes subscribers' replies to the service, signed with a secret of this run."""
        assert spec.sms_replies is not None
        secret = self.env.setdefault(f"{spec.name.upper()}_SMS_CALLBACK_SECRET", secrets.token_urlsafe(24))
        self.sms.callback_url, self.sms.callback_secret = self.service_url(spec.name) + spec.sms_replies, secret

    def _route_calls(self, spec: ServiceManifest) -> None:
        """The local CTI takes the service's click-to-call requests and pushes call events back, signed."""
        assert spec.cti_events is not None
        prefix = spec.name.upper()
        self.cti.secret = self.env.setdefault(f"{prefix}_CTI_SECRET", DEV_CTI_SECRET)
        self.env.setdefault(f"{prefix}_CTI_URL", self.cti.url)
        self.cti.callback_url = self.service_url(spec.name) + spec.cti_events

    def service_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports.services[name]}"

    def service_urls(self) -> dict[str, str]:
        """Every running service process, replicas included, by process name."""
        urls = {s.name: self.service_url(s.name) for s in SERVICES}
        for name, ports in self.replicas.items():
            urls.update({f"{name}@{port}": f"http://127.0.0.1:{port}" for port in ports})
        return urls

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.gateway}/graphql"

    @property
    def console_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.console}"

    def start(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        step("PostgreSQL", f"127.0.0.1:{self.ports.postgres}")
        self.postgres.start()
        for spec in SERVICES:
            url = asyncio.run(self.postgres.ensure_database(spec.name, f"{spec.name}-dev"))
            upgrade(spec.name, url)
            self.env[f"{spec.name.upper()}_DATABASE_URL"] = url
        step("SMTP sink (mail in .data/mail)", f"127.0.0.1:{self.ports.smtp}")
        self.smtp.start()
        step("webhook receiver (in .data/webhooks.jsonl)", self.webhooks.url)
        self.webhooks.start()
        self.env.update(
            IDENTITY_RESET_URL=f"{self.console_url}/reset-password?token=",
        )
        self.env.update({f"{spec.name.upper()}_SMTP_PORT": str(self.ports.smtp) for spec in SERVICES})
        step("SMS provider (texts in .data/sms)", self.sms.url)
        self.sms.start()
        step("CTI simulator (click-to-call and call events)", self.cti.url)
        self.cti.start()
        for spec in SERVICES:
            prefix = spec.name.upper()
            self.env.update(
                {
                    f"{prefix}_SMS_ENDPOINT": self.sms.url,
                    f"{prefix}_SMS_ACCESS_KEY_ID": DEV_SMS_KEY,
                    f"{prefix}_SMS_ACCESS_KEY_SECRET": DEV_SMS_SECRET,
                }
            )
        step("Kafka-protocol broker", self.broker.bootstrap)
        self.broker.start()
        asyncio.run(ensure_topics(self.broker.bootstrap, topics(SERVICES)))
        for spec in SERVICES:
            url, port = self.service_url(spec.name), self.ports.services[spec.name]
            step(f"{spec.name} service", url)
            self._spawn(spec.name, _uvicorn(spec, port))
            wait_healthy(f"{url}/healthz")
            self.env[f"CRM_SUBGRAPH_{spec.name.upper()}_URL"] = f"{url}/graphql"
        if self.seed:
            self._seed()
        step("gateway", self.gateway_url)
        self._spawn("gateway", gateway_command(self.root), cwd=self.root / "gateway")
        wait_for_port(self.ports.gateway, 60, self.processes[-1])
        if self.console:
            self._start_console()

    def _start_console(self) -> None:
        step("web console", self.console_url)
        web = self.root / "web"
        build_console(web)
        routes = [f"{self.service_url(name)}{path}" for path, name in CONSOLE_ROUTES if name in self.ports.services]
        serve = ["-m", "crm_shared.devstack.console", str(web / "dist"), str(self.ports.console), self.gateway_url]
        serve += routes
        self._spawn("console", [sys.executable, *serve])
        wait_for_port(self.ports.console, 30, self.processes[-1])

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)
            if process.poll() is None:
                process.kill()
        self.broker.stop()
        self.smtp.stop()
        self.sms.stop()
        self.cti.stop()
        self.webhooks.stop()
        self.postgres.stop()

    def process(self, name: str) -> subprocess.Popen[bytes]:
        """The child process named `name` (a service, `<service>@<port>` for a replica, the gateway)."""
        [found] = [p for p in self.processes if self.launches[p.pid][0] == name]
        return found

    def add_replica(self, service: str) -> str:
        """One more process of `service` on a free port, in the same consumer group, as when a
        deployment scales out; the gateway keeps routing to the first. Returns its process name."""
        [spec] = [s for s in SERVICES if s.name == service]
        port = free_port()
        name = f"{service}@{port}"
        self._spawn(name, _uvicorn(spec, port))
        self.replicas.setdefault(service, []).append(port)
        wait_healthy(f"http://127.0.0.1:{port}/healthz")
        return name

    def remove_replica(self, service: str) -> None:
        """Stop the replica of `service` added last, gracefully, as when a deployment scales in."""
        port = self.replicas[service].pop()
        process = self.process(f"{service}@{port}")
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self.processes.remove(process)
        del self.launches[process.pid]

    def _spawn(self, name: str, command: list[str], cwd: Path | None = None) -> None:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115  (owned by the child for its lifetime)
        # own session: Ctrl-C reaches only this process, which stops the children in order
        child = subprocess.Popen(
            command, cwd=cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(child)
        self.launches[child.pid] = (name, command, cwd)

    def heal(self) -> list[str]:
        """Start again what stopped on its own (a crashed service, the gateway, the broker), as an
        orchestrator would; returns what was restarted. A restarted broker starts empty: the
        services recreate their topics and re-feed it from their outboxes."""
        healed = []
        for index, process in enumerate(self.processes):
            if process.poll() is not None:
                name, command, cwd = self.launches.pop(process.pid)
                self.processes.pop(index)
                self._spawn(name, command, cwd)
                self.processes.insert(index, self.processes.pop())
                healed.append(name)
        if self.broker.process is not None and self.broker.process.poll() is not None:
            self.broker.start()
            healed.append("broker")
        return healed

    def _seed(self) -> None:
        """Each service's demo data, seeded in this process with the environment the services get
        (where the local receivers listen, for one)."""
        saved = dict(os.environ)
        os.environ.update(self.env)
        try:
            for spec in SERVICES:
                if spec.seed:
                    asyncio.run(spec.load(spec.seed)(self.env[f"{spec.name.upper()}_DATABASE_URL"]))
        finally:
            os.environ.clear()
            os.environ.update(saved)


def gateway_command(root: Path) -> list[str]:
    """Hive Gateway serving the committed supergraph, run from `root / "gateway"`, with the heap its
    Kubernetes deployment gives it (so it is collected here as often as there)."""
    hive = root / "gateway/node_modules/.bin/hive-gateway"
    return ["node", "--max-old-space-size=384", str(hive), "supergraph", "supergraph.graphql"]


@contextlib.contextmanager
def gateway(root: Path, env: dict[str, str], log_file: Path) -> Iterator[str]:
    """A gateway of its own on `env`'s CRM_GATEWAY_PORT, stopped on leaving: its GraphQL URL."""
    port = int(env["CRM_GATEWAY_PORT"])
    with open(log_file, "ab") as log:
        process = subprocess.Popen(
            gateway_command(root), cwd=root / "gateway", env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(port, 60, process)
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        process.terminate()
        process.wait(10)


def _uvicorn(spec: ServiceManifest, port: int) -> list[str]:
    # the platform resolves client addresses itself (crm_shared.addresses), uvicorn must not first
    # idle connections outlive the gateway's pauses between requests: a connection uvicorn closes after
    # its default 5 s can cross the gateway's next request on it, which then fails as "socket hang up"
    uvicorn = ["uvicorn", spec.app, "--factory", "--no-access-log", "--no-proxy-headers", "--timeout-keep-alive", "75"]
    return [sys.executable, "-m", *uvicorn, "--host", "127.0.0.1", "--port", str(port)]


def step(what: str, where: str) -> None:
    print(f"  starting {what:<24} {where}", flush=True)


def wait_healthy(url: str, timeout: float = 120) -> None:
    """Two minutes: a first start on a busy machine reads every module from a cold disk."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


def banner(stack: Stack) -> str:
    docs = ", ".join(f"{stack.service_url(s.name)}/docs" for s in SERVICES)
    notes = "\n".join(spec.load(spec.banner)() for spec in SERVICES if spec.banner)
    console = f"  Web console:                               {stack.console_url}\n" if stack.console else ""
    return f"""
CRM suite is running.

{console}  GraphQL gateway (GraphiQL in the browser): {stack.gateway_url}
  Kafka-protocol broker:                     {stack.broker.bootstrap}
  SMS provider (texts received):             {stack.sms.url}messages
  CTI simulator (POST /inbound rings a call): {stack.cti.url}/
  Service OpenAPI:                           {docs}
  Logs:                                      .data/logs/

{notes}

Press Ctrl-C to stop.
"""


def main() -> None:
    stack = Stack(Path.cwd(), Path.cwd() / ".data", console=True)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        stack.start()
        print(banner(stack), flush=True)
        while True:
            time.sleep(1)
            for name in stack.heal():
                print(f"  {name} stopped; started it again (see .data/logs/{name}.log)", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        print("\nstopping...", flush=True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the shutdown short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()


if __name__ == "__main__":
    main()
