"""The Kubernetes manifests hold together without a cluster: paths, probes, security, topics, services."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
SERVICES = sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml"))


def documents(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def manifests(folder: Path) -> list[dict]:
    return [d for f in sorted(folder.glob("*.yaml")) if f.name != "kustomization.yaml" for d in documents(f)]


BASE = manifests(K8S / "base")


def of_kind(kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in BASE if d["kind"] == kind}


def test_every_yaml_parses_and_every_kustomization_path_exists():
    kustomizations = list(K8S.rglob("kustomization.yaml"))
    assert len(kustomizations) >= 5
    for kustomization in kustomizations:
        spec = documents(kustomization)[0]
        for key in ("resources", "components"):
            for entry in spec.get(key, []):
                assert (kustomization.parent / entry).exists(), f"{kustomization}: {entry} is missing"
    for path in K8S.rglob("*.yaml"):
        assert documents(path), f"{path} is empty"


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_its_deployment_service_job_and_database(service):
    assert service in of_kind("Deployment"), f"no Deployment for {service}"
    assert service in of_kind("Service")
    assert f"{service}-migrate" in of_kind("Job")
    assert f"{service}-db" in of_kind("Cluster")
    env = {
        e["name"] for e in of_kind("Deployment")[service]["spec"]["template"]["spec"]["containers"][0]["env"]
    }
    assert f"{service.upper()}_DATABASE_URL" in env
    images = {i["name"] for i in documents(K8S / "base" / "kustomization.yaml")[0]["images"]}
    assert f"ghcr.io/crm-suite/{service}" in images


def pod_specs():
    for kind in ("Deployment", "Job"):
        for name, doc in of_kind(kind).items():
            yield name, doc["spec"]["template"]["spec"]


@pytest.mark.parametrize(("name", "pod"), list(pod_specs()))
def test_every_workload_runs_locked_down_with_limits(name, pod):
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    for container in pod["containers"]:
        security = container["securityContext"]
        assert security["readOnlyRootFilesystem"] is True and security["allowPrivilegeEscalation"] is False
        assert security["capabilities"]["drop"] == ["ALL"]
        assert {"cpu", "memory"} <= set(container["resources"]["limits"])


@pytest.mark.parametrize("name", sorted(of_kind("Deployment")))
def test_every_deployment_has_liveness_and_readiness_probes(name):
    container = of_kind("Deployment")[name]["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"]
    assert container["readinessProbe"]["httpGet"]["path"]


def test_every_topic_the_services_publish_exists_with_a_dead_letter_sibling():
    from crm_shared.devstack.services import TOPICS

    declared = {d["spec"]["topicName"] for d in of_kind("KafkaTopic").values()}
    for topic in TOPICS:
        assert topic in declared and f"{topic}.dlq" in declared, topic
