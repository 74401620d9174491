"""The Kubernetes manifests in deploy/k8s hold together, checked without a cluster.

Every service folder in services/ gets its objects from base/service-template, named by the
kustomize Component base/services/<name> (its patches, images, then the transformers in
service-template/naming). `render_service` below applies that subset of kustomize in Python, so
these tests need only PyYAML; where `kustomize` or `kubectl` is on PATH, base and the overlays
are also built for real, checked, and compared with the rendering here.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
BASE = K8S / "base"
TEMPLATE = BASE / "service-template"
SERVICES = sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml"))
IMAGE_REPOSITORY = "ghcr.io/crm-suite"
BARMAN = "barman-cloud.cloudnative-pg.io"  # the Barman Cloud plugin of CloudNativePG
LOCAL = "config.kubernetes.io/local-config"
# SERVICE, SERVICE-db, SERVICE_DATABASE_URL, STORAGE; not OTEL_SERVICE_NAME
PLACEHOLDERS = re.compile(r"(?<![A-Za-z0-9_])(SERVICE|STORAGE)(?![A-Za-z0-9])")

YAML_FILES = sorted(K8S.rglob("*.yaml"))
KUSTOMIZATIONS = sorted(K8S.rglob("kustomization.yaml"))


def documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


def kustomization(folder: Path) -> dict[str, Any]:
    return documents(folder / "kustomization.yaml")[0]


def literals(generator: dict[str, Any]) -> dict[str, str]:
    return dict(item.split("=", 1) for item in generator.get("literals", []))


def generator(spec: dict[str, Any], name: str) -> dict[str, Any]:
    matches = [g for g in spec.get("configMapGenerator", []) if g["name"] == name]
    assert len(matches) == 1, f"expected one configMapGenerator {name!r}"
    return matches[0]


def key(doc: dict[str, Any]) -> tuple[str, str]:
    return doc["kind"], doc["metadata"]["name"]


def is_local(doc: dict[str, Any]) -> bool:
    return (doc["metadata"].get("annotations") or {}).get(LOCAL) == "true"


# ---------------------------------------------------------------------------------------------
# The subset of kustomize that names a copy of the service template
# ---------------------------------------------------------------------------------------------


def field_path(path: str) -> list[str]:
    """`a.[x.y].b.[name=app].0` -> ['a', '[x.y]', 'b', '[name=app]', '0']"""
    parts, current, depth = [], "", 0
    for char in path:
        if char == "." and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += {"[": 1, "]": -1}.get(char, 0)
        current += char
    return [*parts, current]


def step(node: Any, segment: str) -> tuple[Any, Any]:
    """The container holding `segment` in `node` and its key there."""
    if segment.startswith("[") and "=" in segment:
        field, _, value = segment[1:-1].partition("=")
        matches = [i for i, item in enumerate(node) if isinstance(item, dict) and item.get(field) == value]
        if len(matches) != 1:
            raise KeyError(segment)
        return node, matches[0]
    if isinstance(node, list):
        return node, int(segment)
    name = segment[1:-1] if segment.startswith("[") else segment
    if not isinstance(node, dict) or name not in node:
        raise KeyError(segment)
    return node, name


def get_field(doc: Any, path: str) -> Any:
    node = doc
    for segment in field_path(path):
        container, index = step(node, segment)
        node = container[index]
    return node


def set_field(doc: Any, path: str, value: str, options: dict[str, Any] | None) -> None:
    *parents, last = field_path(path)
    node = doc
    for segment in parents:
        container, index = step(node, segment)
        node = container[index]
    container, index = step(node, last)
    if options and "delimiter" in options:
        delimiter, position = options["delimiter"], options.get("index", 0)
        parts = str(container[index]).split(delimiter)
        if position < 0:
            parts.insert(0, value)
        elif position >= len(parts):
            parts.append(value)
        else:
            parts[position] = value
        value = delimiter.join(parts)
    container[index] = value


def selected(doc: dict[str, Any], selector: dict[str, Any]) -> bool:
    if "kind" in selector and doc["kind"] != selector["kind"]:
        return False
    if "name" in selector and not re.fullmatch(selector["name"], doc["metadata"]["name"]):
        return False
    if "labelSelector" in selector:
        label, _, value = selector["labelSelector"].partition("=")
        if (doc["metadata"].get("labels") or {}).get(label) != value:
            return False
    if "annotationSelector" in selector:
        annotation, _, value = selector["annotationSelector"].partition("=")
        if (doc["metadata"].get("annotations") or {}).get(annotation) != value:
            return False
    return True


def json_patch(doc: dict[str, Any], operations: list[dict[str, Any]]) -> None:
    for operation in operations:
        *parents, last = [p.replace("~1", "/").replace("~0", "~") for p in operation["path"].lstrip("/").split("/")]
        node: Any = doc
        for segment in parents:
            node = node[int(segment)] if isinstance(node, list) else node[segment]
        if operation["op"] == "remove":
            del node[int(last) if isinstance(node, list) else last]
        elif operation["op"] in ("add", "replace") and isinstance(node, list):
            if last == "-":
                node.append(operation["value"])
            elif operation["op"] == "add":
                node.insert(int(last), operation["value"])
            else:
                node[int(last)] = operation["value"]
        elif operation["op"] in ("add", "replace"):
            assert operation["op"] == "add" or last in node, operation
            node[last] = operation["value"]
        else:
            raise NotImplementedError(f"JSON patch op {operation['op']!r}: extend the test's renderer")


def pod_spec(doc: dict[str, Any]) -> dict[str, Any] | None:
    if doc["kind"] in ("Deployment", "Job"):
        return doc["spec"]["template"]["spec"]
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return None


def containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spec = pod_spec(doc)
    return [] if spec is None else spec.get("initContainers", []) + spec["containers"]


def apply_images(docs: list[dict[str, Any]], images: list[dict[str, Any]]) -> None:
    for image in images:
        for doc in docs:
            for container in containers(doc):
                name, _, tag = container["image"].partition(":")
                if name == image["name"]:
                    new_tag = image.get("newTag", tag)
                    container["image"] = image.get("newName", name) + (f":{new_tag}" if new_tag else "")


def apply_replacements(docs: list[dict[str, Any]], config: dict[str, Any]) -> None:
    for replacement in config["replacements"]:
        source = replacement["source"]
        [origin] = [d for d in docs if selected(d, source)]
        value = get_field(origin, source["fieldPath"])
        for target in replacement["targets"]:
            matches = [d for d in docs if selected(d, target["select"])]
            assert matches, f"replacement target {target['select']} selects nothing"
            for doc in matches:
                for path in target["fieldPaths"]:
                    set_field(doc, path, value, target.get("options"))


@cache
def template() -> tuple[dict[str, Any], ...]:
    return tuple(resources(TEMPLATE))


@cache
def service_component(service: str) -> dict[str, Any]:
    return kustomization(BASE / "services" / service)


@cache
def render_service(service: str) -> tuple[dict[str, Any], ...]:
    """The objects base/services/<service> adds: the template's, named (local ones included)."""
    component = service_component(service)
    folder = BASE / "services" / service
    assert component["kind"] == "Component"
    paths = [(folder / r).resolve() for r in component["resources"]]
    assert TEMPLATE.resolve() in paths, f"{service} does not include the service template"
    values = generator(component, "values")
    assert (values.get("options") or {}).get("annotations", {}).get(LOCAL) == "true"
    docs = [copy.deepcopy(d) for d in template()]
    for path in paths:
        if path != TEMPLATE.resolve():
            docs += resources(path) if path.is_dir() else documents(path)
    docs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "values"}, "data": literals(values)})
    for patch in component.get("patches", []):
        operations = yaml.safe_load(patch["patch"])
        assert isinstance(operations, list), "the renderer applies JSON 6902 patches only"
        matches = [d for d in docs if selected(d, patch["target"])]
        assert len(matches) >= 1, f"{service}: patch target {patch['target']} selects nothing"
        for doc in matches:
            json_patch(doc, operations)
    apply_images(docs, component.get("images", []))
    for transformers in component["transformers"]:
        naming = (folder / transformers).resolve()
        for entry in kustomization(naming)["resources"]:
            for config in documents(naming / entry):
                if config["kind"] == "ReplacementTransformer":
                    apply_replacements(docs, config)
                elif config["kind"] == "PatchTransformer":
                    docs = [d for d in docs if not selected(d, config["target"])]
                else:
                    raise NotImplementedError(config["kind"])
    return tuple(docs)


def resources(folder: Path) -> list[dict[str, Any]]:
    """The objects a kustomization lists under `resources` (files and folders), as written."""
    docs = []
    for entry in kustomization(folder).get("resources", []):
        path = folder / entry
        docs += resources(path) if path.is_dir() else documents(path)
    return docs


@cache
def base_objects() -> dict[tuple[str, str], dict[str, Any]]:
    """Everything base holds, the services rendered; `deployed` leaves out the local objects."""
    docs = resources(BASE)
    for component in kustomization(BASE).get("components", []):
        docs += render_service(Path(component).name)
    objects: dict[tuple[str, str], dict[str, Any]] = {}
    for doc in docs:
        assert key(doc) not in objects, f"{key(doc)} defined twice"
        objects[key(doc)] = doc
    return objects


def deployed(kind: str) -> dict[str, dict[str, Any]]:
    return {name: d for (k, name), d in base_objects().items() if k == kind and not is_local(d)}


# ---------------------------------------------------------------------------------------------
# Files and references
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(K8S)))
def test_every_yaml_file_parses_into_objects(path):
    docs = documents(path)
    assert docs, f"{path} is empty"
    for doc in docs:
        assert isinstance(doc, dict) and doc.get("apiVersion") and doc.get("kind"), f"{path}: {doc!r:.80}"


@pytest.mark.parametrize("path", KUSTOMIZATIONS, ids=lambda p: str(p.parent.relative_to(K8S)))
def test_every_path_a_kustomization_names_exists(path):
    spec = documents(path)[0]
    folder = path.parent
    assert spec["kind"] in ("Kustomization", "Component")
    for field in ("resources", "components", "transformers", "generators"):
        for entry in spec.get(field, []):
            target = folder / entry
            assert target.exists(), f"{path}: {field} entry {entry} is missing"
            if target.is_dir():
                inner = documents(target / "kustomization.yaml")[0]
                expected = "Component" if field == "components" else "Kustomization"
                assert inner["kind"] == expected, f"{path}: {entry} is a {inner['kind']}, not a {expected}"
    for patch in spec.get("patches", []):
        assert "path" in patch or "patch" in patch
        if "path" in patch:
            assert (folder / patch["path"]).exists(), f"{path}: patch {patch['path']} is missing"
        else:
            assert yaml.safe_load(patch["patch"]), f"{path}: an empty patch"
    for gen in spec.get("configMapGenerator", []) + spec.get("secretGenerator", []):
        for source in gen.get("files", []) + gen.get("envs", []):
            assert (folder / source.split("=")[-1]).exists(), f"{path}: {source} is missing"


def test_the_expected_layout_is_there():
    for folder in (
        "base",
        "components/network-policies",
        "components/otel",
        "overlays/dev",
        "overlays/production",
    ):
        assert (K8S / folder / "kustomization.yaml").is_file(), folder
    for component in ("network-policies", "otel"):
        assert kustomization(K8S / "components" / component)["kind"] == "Component"
    assert (K8S / "README.md").is_file()


# ---------------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------------


def test_services_are_found():
    assert "identity" in SERVICES


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_is_listed_in_base(service):
    assert (BASE / "services" / service / "kustomization.yaml").is_file(), (
        f"copy base/services/customer to base/services/{service} (deploy/k8s/README.md)"
    )
    entries = [(BASE / c).resolve() for c in kustomization(BASE).get("components", [])]
    assert (BASE / "services" / service).resolve() in entries, f"list services/{service} under components:"


@pytest.mark.parametrize("service", SERVICES)
def test_service_patches_touch_only_their_own_copy(service):
    # A component's patches see the services added before it, and kustomize matches objects by
    # their former names too: `name: SERVICE-db` alone would also patch identity-db.
    for patch in service_component(service).get("patches", []):
        assert patch["target"].get("labelSelector") == "app.kubernetes.io/name=SERVICE", patch["target"]


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_deployment_service_account_job_and_database(service):
    objects = {key(d): d for d in render_service(service)}
    for kind, name in (
        ("Deployment", service),
        ("Service", service),
        ("ServiceAccount", service),
        ("Job", f"{service}-migrate"),
        ("CronJob", f"{service}-reconcile"),
        ("Cluster", f"{service}-db"),
    ):
        assert (kind, name) in objects, f"no {kind} {name}"
        assert not is_local(objects[kind, name])
    leftovers = [key(d) for d in render_service(service) if PLACEHOLDERS.search(yaml.safe_dump(d))]
    assert not leftovers, f"placeholders left in {leftovers}"

    database = objects["Cluster", f"{service}-db"]["spec"]
    assert database["bootstrap"]["initdb"] == {"database": service, "owner": service}
    assert database["instances"] >= 2

    env_name = f"{service.upper()}_DATABASE_URL"
    secret = {"name": f"{service}-db-app", "key": "uri"}  # written by CloudNativePG
    deployment = objects["Deployment", service]
    pod = deployment["spec"]["template"]["spec"]
    [app] = pod["containers"]
    env = {e["name"]: e for e in app["env"]}
    assert env[env_name]["valueFrom"]["secretKeyRef"] == secret
    assert env["CRM_FIELD_ENCRYPTION_KEY"]["valueFrom"]["secretKeyRef"]["name"]
    assert {"configMapRef": {"name": "crm-config"}} in app["envFrom"]
    assert app["image"].startswith(f"{IMAGE_REPOSITORY}/{service}:"), app["image"]
    assert pod["serviceAccountName"] == service
    assert 8000 in [p["containerPort"] for p in app["ports"]]

    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert labels["app.kubernetes.io/name"] == service
    selector = objects["Service", service]["spec"]["selector"]
    assert selector.items() <= labels.items()
    assert objects["Service", service]["spec"]["ports"][0]["port"] == 8000

    job = objects["Job", f"{service}-migrate"]
    [migrate] = job["spec"]["template"]["spec"]["containers"]
    assert migrate["command"][-3:] == ["-m", "crm_shared.db.migrate", service]
    assert {e["name"]: e for e in migrate["env"]}[env_name]["valueFrom"]["secretKeyRef"] == secret
    assert migrate["image"] == app["image"]
    assert not selector.items() <= job["spec"]["template"]["metadata"]["labels"].items(), (
        "the Service must not route to the migration pod"
    )

    reconcile = objects["CronJob", f"{service}-reconcile"]
    assert reconcile["spec"]["suspend"] is True, "run on demand only: kubectl create job --from=cronjob/..."
    [run] = containers(reconcile)
    assert run["command"][-3:] == ["-m", "crm_shared.events.reconcile", service]
    assert {e["name"]: e for e in run["env"]}[env_name]["valueFrom"]["secretKeyRef"] == secret
    assert run["image"] == app["image"]
    pod_labels = reconcile["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
    assert pod_labels["app.kubernetes.io/name"] == service and not selector.items() <= pod_labels.items()

    backup = objects["ScheduledBackup", f"{service}-db"]
    assert is_local(backup) and backup["metadata"]["annotations"]["crm.io/optional"] == "backups"
    assert backup["spec"]["cluster"] == {"name": f"{service}-db"}
    assert backup["spec"]["method"] == "plugin"
    assert backup["spec"]["pluginConfiguration"] == {"name": BARMAN}


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_registers_its_subgraph_with_the_gateway(service):
    merged = generator(service_component(service), "gateway-config")
    assert merged.get("behavior") == "merge"
    url = literals(merged)[f"CRM_SUBGRAPH_{service.upper()}_URL"]
    assert url == f"http://{service}:8000/graphql"
    assert "gateway" in kustomization(BASE)["resources"], "gateway-config must exist before the services merge into it"


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_optional_autoscaling_budget_and_network_policies(service):
    objects = {key(d): d for d in render_service(service)}
    for kind, name, switch in (
        ("HorizontalPodAutoscaler", service, "availability"),
        ("PodDisruptionBudget", service, "availability"),
        ("NetworkPolicy", service, "network-policies"),
        ("NetworkPolicy", f"{service}-migrate", "network-policies"),
        ("NetworkPolicy", f"{service}-db", "network-policies"),
    ):
        doc = objects[kind, name]
        assert is_local(doc) and doc["metadata"]["annotations"]["crm.io/optional"] == switch
    hpa = objects["HorizontalPodAutoscaler", service]["spec"]
    assert hpa["scaleTargetRef"]["name"] == service and hpa["minReplicas"] >= 2
    pod_labels = objects["Deployment", service]["spec"]["template"]["metadata"]["labels"]
    pdb = objects["PodDisruptionBudget", service]["spec"]["selector"]["matchLabels"]
    assert pdb.items() <= pod_labels.items()
    policy = objects["NetworkPolicy", service]["spec"]
    assert policy["podSelector"]["matchLabels"].items() <= pod_labels.items()
    assert {"cnpg.io/cluster": f"{service}-db"} in [
        peer.get("podSelector", {}).get("matchLabels") for rule in policy["egress"] for peer in rule.get("to", [])
    ]


# ---------------------------------------------------------------------------------------------
# Every workload
# ---------------------------------------------------------------------------------------------


def collected(names):
    """Parameters computed from the manifests; a manifest that breaks them fails one test
    instead of the collection of every contract test."""
    try:
        return sorted(names())
    except Exception as error:  # reported by the test that receives it
        return [pytest.param(error, id="unreadable-manifests")]


def raise_if_error(value):
    if isinstance(value, Exception):
        raise value


def test_the_gateway_the_console_and_every_service_have_a_deployment():
    assert set(deployed("Deployment")) == {"gateway", "console", *SERVICES}


@pytest.mark.parametrize(
    "name", collected(lambda: [f"{k}/{n}" for k in ("Deployment", "Job", "CronJob") for n in deployed(k)])
)
def test_every_workload_runs_locked_down_with_requests_and_limits(name):
    raise_if_error(name)
    kind, _, workload = name.partition("/")
    pod = pod_spec(deployed(kind)[workload])
    assert pod is not None
    security = pod["securityContext"]
    assert security["runAsNonRoot"] is True
    assert security["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod["automountServiceAccountToken"] is False
    # service links would set e.g. IDENTITY_PORT=tcp://..., which a service reads as a setting
    assert pod["enableServiceLinks"] is False
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for container in pod.get("initContainers", []) + pod["containers"]:
        context = container["securityContext"]
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
        assert {"cpu", "memory"} <= set(container["resources"]["limits"])
        assert {"cpu", "memory"} <= set(container["resources"]["requests"])
        tmp = [m for m in container.get("volumeMounts", []) if m["mountPath"] == "/tmp"]
        assert tmp and "emptyDir" in volumes[tmp[0]["name"]], "a writable /tmp"


@pytest.mark.parametrize("name", collected(lambda: deployed("Deployment")))
def test_every_deployment_has_liveness_and_readiness_probes(name):
    raise_if_error(name)
    [container] = deployed("Deployment")[name]["spec"]["template"]["spec"]["containers"]
    liveness, readiness = container["livenessProbe"]["httpGet"], container["readinessProbe"]["httpGet"]
    ports = {p["name"] for p in container["ports"]}
    assert liveness["port"] in ports and readiness["port"] in ports
    if name == "gateway":  # Hive Gateway's own endpoints
        assert (liveness["path"], readiness["path"]) == ("/healthcheck", "/readiness")
    else:
        assert (liveness["path"], readiness["path"]) == ("/healthz", "/readyz")


def test_the_gateway_is_configured_for_the_cluster():
    spec = kustomization(BASE / "gateway")
    config = literals(generator(spec, "gateway-config"))
    assert config["CRM_GATEWAY_HOST"] == "0.0.0.0" and config["CRM_GATEWAY_PORT"] == "4000"
    [container] = deployed("Deployment")["gateway"]["spec"]["template"]["spec"]["containers"]
    assert {"configMapRef": {"name": "crm-config"}} in container["envFrom"]
    assert {"configMapRef": {"name": "gateway-config"}} in container["envFrom"]
    assert [p["containerPort"] for p in container["ports"]] == [4000]
    assert container["image"] == f"{IMAGE_REPOSITORY}/gateway"
    assert any(i["name"] == container["image"] and i.get("newTag") for i in spec["images"])


# the services' routes that take no token, reached from outside straight through the Ingress
PUBLIC_ROUTES = {
    "/api/v1/public/web-form": "sales",
    "/api/v1/inbound-mail": "support",
    "/api/v1/public/articles": "support",
    "/api/v1/public/unsubscribe": "marketing",
    "/api/v1/public/open": "marketing",
    "/api/v1/public/click": "marketing",
}
# the services' routes the console calls straight through the Ingress, with the user's token
TOKEN_ROUTES = {"/api/v1/notifications/stream": "automation"}


def test_the_console_and_the_gateway_share_one_origin_behind_the_ingress():
    spec = kustomization(BASE / "console")
    [ingress] = [d for d in documents(BASE / "console" / "ingress.yaml") if d["kind"] == "Ingress"]
    [rule] = ingress["spec"]["rules"]
    routes = {p["path"]: p["backend"]["service"] for p in rule["http"]["paths"]}
    assert routes == {
        "/graphql": {"name": "gateway", "port": {"name": "http"}},
        "/api/v1/tickets": {"name": "support", "port": {"name": "http"}},  # attachments, with the user's token
        **{path: {"name": service, "port": {"name": "http"}} for path, service in PUBLIC_ROUTES.items()},
        **{path: {"name": service, "port": {"name": "http"}} for path, service in TOKEN_ROUTES.items()},
        "/": {"name": "console", "port": {"name": "http"}},
    }
    assert (BASE / "console" / "config.js").read_text() == 'window.CRM_CONFIG = { graphqlUrl: "/graphql" };\n'
    [container] = deployed("Deployment")["console"]["spec"]["template"]["spec"]["containers"]
    assert container["image"] == f"{IMAGE_REPOSITORY}/console"
    assert any(i["name"] == container["image"] and i.get("newTag") for i in spec["images"])
    assert {"mountPath": "/usr/share/nginx/html/config.js", "name": "config", "subPath": "config.js"} in container[
        "volumeMounts"
    ]
    [service] = [d for d in documents(BASE / "console" / "console.yaml") if d["kind"] == "Service"]
    assert service["spec"]["ports"] == [{"name": "http", "port": 8080, "targetPort": "http"}]


def test_the_common_configuration():
    config = literals(generator(kustomization(BASE), "crm-config"))
    assert config["CRM_ENV"] == "production"
    assert config["CRM_KAFKA_IDEMPOTENCE"] == "true"
    assert config["CRM_JWKS_URL"] == "http://identity:8000/.well-known/jwks.json"
    assert config["CRM_JWT_ISSUER"] == "crm-identity"
    assert config["CRM_JWT_AUDIENCE"] == "crm"
    assert config["CRM_TRUSTED_PROXIES"] == "10.0.0.0/8"  # the gateway's pods, so client addresses reach the services
    bootstrap = config["CRM_KAFKA_BOOTSTRAP_SERVERS"]
    [kafka] = deployed("Kafka").values()
    assert bootstrap == f"{kafka['metadata']['name']}-kafka-bootstrap:9092"


def test_the_identity_service_gets_its_signing_key_passphrase_from_a_secret():
    if "identity" not in SERVICES:
        pytest.skip("no identity service")
    [app] = deployed("Deployment")["identity"]["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in app["env"]}
    assert env["IDENTITY_SIGNING_KEY_PASSPHRASE"]["valueFrom"]["secretKeyRef"]["name"]


def test_the_support_service_gets_its_inbound_mail_token_from_a_secret():
    if "support" not in SERVICES:
        pytest.skip("no support service")
    [app] = deployed("Deployment")["support"]["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in app["env"]}
    secret = {"name": "support-secrets", "key": "inbound-mail-token"}
    assert env["SUPPORT_INBOUND_MAIL_TOKEN"]["valueFrom"]["secretKeyRef"] == secret


# ---------------------------------------------------------------------------------------------
# Infrastructure
# ---------------------------------------------------------------------------------------------


def topic_names() -> list[str]:
    return [d["spec"]["topicName"] for d in documents(BASE / "topics.yaml") if d["kind"] == "KafkaTopic"]


def test_every_topic_has_a_dead_letter_sibling():
    names = topic_names()
    assert len(names) == len(set(names)), "a topic is declared twice"
    assert names, "no KafkaTopic in base/topics.yaml"
    for topic in names:
        if topic.endswith(".dlq"):
            assert topic.removesuffix(".dlq") in names, f"{topic} without its topic"
        else:
            assert re.fullmatch(r"crm\.audit|crm\.[a-z]+\.[a-z_]+", topic), topic
            assert f"{topic}.dlq" in names, f"{topic} has no dead-letter topic"


def test_every_topic_the_services_publish_is_declared():
    service = pytest.importorskip("crm_shared.service", reason="crm_shared is not installed")
    missing = set(service.topics()) - set(topic_names())
    assert not missing, f"add {sorted(missing)} and their .dlq topics to deploy/k8s/base/topics.yaml"


def test_kafka_runs_in_kraft_mode_with_replicated_topics():
    pools = deployed("KafkaNodePool")
    assert pools and all({"controller", "broker"} & set(p["spec"]["roles"]) for p in pools.values())
    assert sum(p["spec"]["replicas"] for p in pools.values()) >= 3
    [kafka] = deployed("Kafka").values()
    assert kafka["metadata"]["annotations"]["strimzi.io/kraft"] == "enabled"
    assert kafka["spec"]["kafka"]["config"]["auto.create.topics.enable"] is False
    [defaults] = [  # the patch every topic gets
        p
        for p in kustomization(BASE)["patches"]
        if p["target"].get("kind") == "KafkaTopic" and "name" not in p["target"]
    ]
    patch = yaml.safe_load(defaults["patch"])
    assert patch["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]
    assert patch["spec"]["replicas"] >= 3 and patch["spec"]["config"]["min.insync.replicas"] >= 2


def test_the_network_policies_component_denies_everything_first():
    spec = kustomization(K8S / "components" / "network-policies")
    docs = [d for entry in spec["resources"] for d in documents(K8S / "components" / "network-policies" / entry)]
    deny = [
        d for d in docs if d["spec"]["podSelector"] == {} and "ingress" not in d["spec"] and "egress" not in d["spec"]
    ]
    assert deny and set(deny[0]["spec"]["policyTypes"]) == {"Ingress", "Egress"}
    assert {"gateway", "kafka"} <= {d["metadata"]["name"] for d in docs}
    switches = [p["target"].get("annotationSelector") for p in spec.get("patches", [])]
    assert "crm.io/optional=network-policies" in switches


def test_the_otel_component_sets_the_exporter_endpoint():
    spec = kustomization(K8S / "components" / "otel")
    merged = generator(spec, "crm-config")
    assert merged["behavior"] == "merge"
    assert literals(merged)["OTEL_EXPORTER_OTLP_ENDPOINT"].startswith("http")


def test_the_overlays_choose_their_components():
    production = kustomization(K8S / "overlays" / "production")
    dev = kustomization(K8S / "overlays" / "dev")
    assert sorted(production.get("components", [])) == [
        "../../components/network-policies",
        "../../components/otel",
    ]
    assert not dev.get("components")
    switches = [p["target"].get("annotationSelector") for p in production.get("patches", [])]
    assert "crm.io/optional=availability" in switches
    assert "crm.io/optional=backups" in switches


def test_production_keeps_the_backups_in_an_object_store_with_credentials_from_a_secret():
    production = K8S / "overlays" / "production"
    assert "backups.yaml" in kustomization(production)["resources"]
    [store] = [d for d in documents(production / "backups.yaml") if d["kind"] == "ObjectStore"]
    assert store["apiVersion"] == "barmancloud.cnpg.io/v1"
    assert re.fullmatch(r"\d+[dwm]", store["spec"]["retentionPolicy"])
    configuration = store["spec"]["configuration"]
    assert configuration["destinationPath"].startswith("s3://")
    for credential in configuration["s3Credentials"].values():
        assert credential["name"] == "crm-backup-store" and credential["key"]
    assert configuration["wal"]["compression"] and configuration["data"]["compression"]


# ---------------------------------------------------------------------------------------------
# With kustomize at hand: the real builds
# ---------------------------------------------------------------------------------------------


def kustomize_command() -> list[str] | None:
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    return None


@cache
def build(folder: str) -> dict[tuple[str, str], dict[str, Any]]:
    command = kustomize_command()
    if command is None:
        pytest.skip("neither kustomize nor kubectl is on PATH")
    result = subprocess.run([*command, str(K8S / folder)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    docs = [d for d in yaml.safe_load_all(result.stdout) if d]
    objects = {key(d): d for d in docs}
    assert len(objects) == len(docs), "duplicate objects"
    return objects


def hashed(objects: dict[tuple[str, str], dict[str, Any]], kind: str, prefix: str) -> dict[str, Any]:
    [doc] = [d for (k, name), d in objects.items() if k == kind and re.fullmatch(rf"{prefix}(-[a-z0-9]+)?", name)]
    return doc


@pytest.mark.parametrize("folder", ["base", "overlays/dev", "overlays/production"])
def test_kustomize_builds_the_same_objects(folder):
    objects = build(folder)
    leftovers = [k for k, d in objects.items() if PLACEHOLDERS.search(yaml.safe_dump(d))]
    assert not leftovers, f"placeholders left in {leftovers}"
    assert all(d["metadata"].get("namespace") == "crm" for k, d in objects.items() if k[0] != "Namespace")
    assert not [k for k, d in objects.items() if is_local(d)]
    expected = {key(d) for d in base_objects().values() if not is_local(d) and d["kind"] != "ConfigMap"}
    built = {k for k in objects if k[0] != "ConfigMap"}
    if folder == "base":
        assert built == expected
    else:
        assert expected <= built
    for service in SERVICES:
        [app] = objects["Deployment", service]["spec"]["template"]["spec"]["containers"]
        ours = deployed("Deployment")[service]["spec"]["template"]["spec"]["containers"][0]
        assert [e["name"] for e in app["env"]] == [e["name"] for e in ours["env"]]
        assert app["image"] == ours["image"]
        config = hashed(objects, "ConfigMap", "gateway-config")["data"]
        assert config[f"CRM_SUBGRAPH_{service.upper()}_URL"] == f"http://{service}:8000/graphql"


def test_kustomize_production_scales_budgets_and_isolates():
    objects = build("overlays/production")
    workloads = {"gateway", *SERVICES}
    for name in workloads:
        assert "replicas" not in objects["Deployment", name]["spec"], "the autoscaler owns the count"
        hpa = objects["HorizontalPodAutoscaler", name]["spec"]
        assert hpa["minReplicas"] >= 2 and hpa["scaleTargetRef"]["name"] == name
        assert objects["PodDisruptionBudget", name]["spec"]["minAvailable"] >= 1
    policies = {name for kind, name in objects if kind == "NetworkPolicy"}
    assert {"default-deny", "gateway", "console", "kafka"} <= policies
    for service in SERVICES:
        assert {service, f"{service}-migrate", f"{service}-db"} <= policies
    assert "OTEL_EXPORTER_OTLP_ENDPOINT" in hashed(objects, "ConfigMap", "crm-config")["data"]


def test_kustomize_production_tells_the_gateway_to_believe_the_ingress_controller():
    objects = build("overlays/production")
    config = hashed(objects, "ConfigMap", "gateway-config")["data"]
    assert config["CRM_GATEWAY_TRUSTED_PROXIES"] == "10.0.0.0/8"
    assert hashed(objects, "ConfigMap", "crm-config")["data"]["CRM_ENV"] == "production"


def matches(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """Whether a Kubernetes label selector selects `labels`."""
    tests = {"In": lambda e: labels.get(e["key"]) in e["values"], "Exists": lambda e: e["key"] in labels}
    return selector.get("matchLabels", {}).items() <= labels.items() and all(
        tests[e["operator"]](e) for e in selector.get("matchExpressions", [])
    )


def admits(policy: dict[str, Any], labels: dict[str, str], namespace: str, port: int) -> bool:
    """Whether a NetworkPolicy lets pods of `namespace` reach the pod with `labels` on `port`."""
    spec = policy["spec"]
    if not matches(spec["podSelector"], labels):
        return False
    for rule in spec.get("ingress", []):
        sources = rule.get("from")
        if rule.get("ports") and port not in [p["port"] for p in rule["ports"]]:
            continue
        if sources is None or any(
            s.get("namespaceSelector", {}).get("matchLabels") == {"kubernetes.io/metadata.name": namespace}
            and "podSelector" not in s
            for s in sources
        ):
            return True
    return False


def test_kustomize_production_routes_the_public_endpoints_and_lets_the_ingress_controller_in():
    objects = build("overlays/production")
    [rule] = objects["Ingress", "crm"]["spec"]["rules"]
    routes = {p["path"]: p["backend"]["service"]["name"] for p in rule["http"]["paths"]}
    direct = {**PUBLIC_ROUTES, **TOKEN_ROUTES}
    assert {path: routes.get(path) for path in direct} == direct
    policies = [d for (kind, _), d in objects.items() if kind == "NetworkPolicy"]
    for service in {*direct.values(), "identity", "customer"}:
        labels = objects["Deployment", service]["spec"]["template"]["metadata"]["labels"]
        let_in = [p["metadata"]["name"] for p in policies if admits(p, labels, "ingress-nginx", 8000)]
        assert let_in == (["public-routes"] if service in direct.values() else []), service


def test_kustomize_production_backs_up_every_service_database():
    objects = build("overlays/production")
    [store] = [name for kind, name in objects if kind == "ObjectStore"]
    clusters = {name for kind, name in objects if kind == "Cluster"}
    assert clusters == {f"{service}-db" for service in SERVICES}
    for cluster in clusters:
        [plugin] = objects["Cluster", cluster]["spec"]["plugins"]
        assert plugin == {"name": BARMAN, "isWALArchiver": True, "parameters": {"barmanObjectName": store}}
        scheduled = objects["ScheduledBackup", cluster]["spec"]
        assert scheduled["cluster"] == {"name": cluster} and scheduled["method"] == "plugin"
        assert scheduled["pluginConfiguration"] == {"name": BARMAN}
        assert len(scheduled["schedule"].split()) == 6  # CloudNativePG's schedules start with seconds
    assert {name for kind, name in objects if kind == "ScheduledBackup"} == clusters


def test_kustomize_dev_is_one_of_everything():
    objects = build("overlays/dev")
    assert {kind for kind, _ in objects}.isdisjoint(
        {"HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "ScheduledBackup", "ObjectStore"}
    )
    assert not any("plugins" in d["spec"] for (kind, _), d in objects.items() if kind == "Cluster")
    assert all(d["spec"]["replicas"] == 1 for (kind, _), d in objects.items() if kind == "Deployment")
    assert all(d["spec"]["instances"] == 1 for (kind, _), d in objects.items() if kind == "Cluster")
    assert all(d["spec"]["replicas"] == 1 for (kind, _), d in objects.items() if kind == "KafkaTopic")
