"""deploy/: the Kubernetes manifests validate against a pinned Kubernetes version's
schemas (bundled in kubernetes-validate: no network), say what the deployment needs
(two replicas probed on /healthz, a digest CronJob that never overlaps, a Job that
upgrades the schema), and name only commands, flags and settings the bot has."""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
MANIFESTS = DEPLOY / "kubernetes"
DOCKERFILE = DEPLOY / "Dockerfile"
# The Kubernetes version the manifests are checked against; kubernetes-validate bundles
# the schemas of each version it supports.
KUBERNETES_VERSION = "1.30"
SECRET_TEMPLATE = "secret.example.yaml"
BOT = Path(sys.executable).parent / "inspection-bot"


def _documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _manifest_files() -> list[Path]:
    return sorted(p for p in MANIFESTS.glob("*.yaml") if p.name != "kustomization.yaml")


def _resources() -> list[tuple[str, dict]]:
    return [(path.name, doc) for path in _manifest_files() for doc in _documents(path)]


def _one(kind: str) -> dict:
    found = [doc for _, doc in _resources() if doc["kind"] == kind]
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def _pod_spec(resource: dict) -> dict:
    if resource["kind"] == "CronJob":
        return resource["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return resource["spec"]["template"]["spec"]


def _workloads() -> list[dict]:
    return [doc for _, doc in _resources() if doc["kind"] in {"Deployment", "Job", "CronJob"}]


def _containers(resource: dict) -> list[dict]:
    spec = _pod_spec(resource)
    return spec.get("initContainers", []) + spec["containers"]


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def _dockerfile_cmd() -> list[str]:
    cmds = [args for op, args in _dockerfile_instructions() if op == "CMD"]
    assert len(cmds) == 1, "the Dockerfile has one CMD"
    return json.loads(cmds[0])  # exec form: a JSON array, so signals reach gunicorn


def _dockerfile_env() -> dict[str, str]:
    env = {}
    for op, args in _dockerfile_instructions():
        if op == "ENV":
            env.update(re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=(\S+)", args))
    return env


@functools.cache
def _help(*words: str) -> str:
    result = subprocess.run(
        [str(BOT), *words, "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, f"inspection-bot {' '.join(words)} --help: {result.stderr}"
    return result.stdout


@functools.cache
def _subcommands(*words: str) -> frozenset[str]:
    """The subcommands `inspection-bot [words] --help` lists ("    serve     serve...")."""
    text = _help(*words)
    return frozenset(re.findall(r"^    ([a-z][a-z-]*)(?:\s|$)", text, flags=re.MULTILINE))


def _check_command(argv: list[str]) -> None:
    """`inspection-bot SUB [SUB2] --flags`: each subcommand is listed in its parent's
    --help, and each flag in the subcommand's own --help."""
    assert argv[0] == "inspection-bot", argv
    words = [a for a in argv[1:] if not a.startswith("-")]
    flags = [a.split("=", 1)[0] for a in argv[1:] if a.startswith("-")]
    assert words, f"{argv}: no subcommand"
    for depth, word in enumerate(words):
        parent = tuple(words[:depth])
        listed = _subcommands(*parent)
        assert word in listed, f"`inspection-bot {' '.join(parent)} --help` lists no {word!r}"
    own_help = _help(*words)
    for flag in flags:
        assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", own_help), (
            f"`inspection-bot {' '.join(words)} --help` has no {flag}"
        )


# --- the schemas -------------------------------------------------------------------


def test_the_pinned_kubernetes_schemas_are_bundled():
    """Offline: the schemas ship inside the package; nothing is fetched."""
    versions = {v.rsplit(".", 1)[0] for v in kubernetes_validate.utils.all_versions()}
    assert KUBERNETES_VERSION in versions


@pytest.mark.parametrize("path", _manifest_files(), ids=lambda p: p.name)
def test_manifest_validates_strictly(path):
    documents = _documents(path)
    assert documents, f"{path.name} holds no resource"
    for doc in documents:
        # strict: an unknown field (a typo such as `readinesProbe`) is an error too.
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            where = ".".join(str(p) for p in error.path)
            pytest.fail(f"{path.name}: {doc['kind']} at {where}: {error.message}")
        except kubernetes_validate.SchemaNotFoundError as error:
            pytest.fail(f"{path.name}: {error.message}")


def test_the_cli_validates_them_too():
    """The same check as a person would run it."""
    files = [str(p) for p in _manifest_files()]
    cli = Path(sys.executable).parent / "kubernetes-validate"
    result = subprocess.run(
        [str(cli), "--strict", "--quiet", "-k", KUBERNETES_VERSION, *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The CLI only warns about a kind it has no schema for: none may go unchecked.
    assert "WARN" not in result.stdout, result.stdout


def test_kustomization_lists_every_manifest_but_the_secret_template():
    kustomization = yaml.safe_load((MANIFESTS / "kustomization.yaml").read_text())
    assert kustomization["kind"] == "Kustomization"
    listed = kustomization["resources"]
    assert len(listed) == len(set(listed))
    expected = {p.name for p in _manifest_files()} - {SECRET_TEMPLATE}
    # Applied with the rest, the template's placeholders would overwrite the real Secret.
    assert set(listed) == expected
    # deploy/README.md applies them in order by this label: migrate, web, digest.
    components = {}
    for name in listed:
        for doc in _documents(MANIFESTS / name):
            component = doc["metadata"]["labels"].get("app.kubernetes.io/component")
            components.setdefault(component, []).append(f"{name}:{doc['kind']}")
    assert set(components) == {"migrate", "web", "digest"}, components
    images = {image["name"] for image in kustomization.get("images", [])}
    used = {c["image"].split(":")[0] for w in _workloads() for c in _containers(w)}
    assert used <= images, f"images not set by the kustomization: {used - images}"


# --- what the deployment must say --------------------------------------------------


def test_deployment_runs_two_replicas_over_http_probed_on_healthz():
    deployment = _one("Deployment")
    assert deployment["spec"]["replicas"] == 2
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["inspection-bot", "serve", "--http"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": 3000}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        get = container[probe]["httpGet"]
        assert get["path"] == "/healthz", probe
        assert ports.get(get["port"], get["port"]) == 3000, probe
    assert container["resources"]["requests"] and container["resources"]["limits"]
    secret = _one("Secret")["metadata"]["name"]
    assert {"secretRef": {"name": secret}} in container["envFrom"]
    # Several copies: the in-process schedule is off and the CronJob posts the digest.
    env = {e["name"]: e.get("value") for e in container.get("env", [])}
    assert env.get("DIGEST_SCHEDULE") == "off"


def test_pods_run_as_non_root_with_the_data_dir_on_a_volume():
    data_dir = _dockerfile_env()["INSPECTION_BOT_DATA_DIR"]
    for workload in _workloads():
        spec = _pod_spec(workload)
        assert spec["securityContext"]["runAsNonRoot"] is True, workload["kind"]
        assert spec["securityContext"]["runAsUser"] != 0, workload["kind"]
        volumes = {v["name"]: v for v in spec["volumes"]}
        for container in _containers(workload):
            mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
            # Each pod builds its own index from the image's knowledge into the data dir.
            assert data_dir in mounts, f"{workload['kind']}/{container['name']}"
            assert "emptyDir" in volumes[mounts[data_dir]]


def test_service_and_ingress_reach_the_bots_port():
    service = _one("Service")
    deployment = _one("Deployment")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] == "http"
    ingress = _one("Ingress")
    paths = {}
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            assert backend["name"] == service["metadata"]["name"]
            assert backend["port"] in ({"name": port["name"]}, {"number": port["port"]})
            paths[path["path"]] = path["pathType"]
    assert set(paths) == {"/slack/events", "/slack/install", "/slack/oauth_redirect", "/healthz"}
    # The Service selects only the web pods, never the Job's or the CronJob's.
    for workload in _workloads():
        if workload["kind"] != "Deployment":
            labels = (
                workload["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
                if workload["kind"] == "CronJob"
                else workload["spec"]["template"]["metadata"]["labels"]
            )
            assert not service["spec"]["selector"].items() <= labels.items()


def test_digest_cronjob_never_overlaps_and_posts_for_every_workspace():
    cronjob = _one("CronJob")
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    (container,) = _pod_spec(cronjob)["containers"]
    command = container["command"] + container.get("args", [])
    assert command[:3] == ["inspection-bot", "digest", "--post"]
    assert "--all-workspaces" in command
    assert "--force" not in command


def test_job_upgrades_the_schema_then_builds_the_index():
    job = _one("Job")
    spec = _pod_spec(job)
    # Init containers run in order, to completion, before the containers start.
    steps = [c["command"] + c.get("args", []) for c in _containers(job)]
    assert steps == [["inspection-bot", "db", "upgrade"], ["inspection-bot", "index"]]
    assert spec["restartPolicy"] in {"Never", "OnFailure"}


def test_secret_template_holds_placeholders_only():
    secret = _one("Secret")
    assert "data" not in secret, "base64 data could hide a real value: use stringData"
    values = secret["stringData"]
    assert set(values) == {
        "SLACK_SIGNING_SECRET",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
        "SLACK_BOT_TOKEN",
        "DATABASE_URL",
    }
    for name, value in values.items():
        assert re.search(r"<[^<>]+>", value), f"{name} is not a <placeholder>"
        rest = re.sub(r"<[^<>]*>", "", value)
        # Outside its <placeholders>, nothing but the URL's punctuation and port.
        skeleton = r"postgresql://:@:\d+/" if name == "DATABASE_URL" else ""
        assert re.fullmatch(skeleton, rest), f"{name} holds more than placeholders: {rest!r}"
    assert values["DATABASE_URL"].startswith("postgresql://")


# --- only names the bot knows ------------------------------------------------------


def _names_set_by_the_deployment() -> set[str]:
    names = set(_one("Secret")["stringData"])
    for workload in _workloads():
        for container in _containers(workload):
            names |= {e["name"] for e in container.get("env", [])}
    # Python's and pip's own settings in the image are not the bot's.
    names |= {n for n in _dockerfile_env() if not n.startswith(("PYTHON", "PIP_"))}
    return names


def _names_the_bot_reads() -> set[str]:
    """Every quoted UPPER_CASE name in the bot's source: env.get("PORT"),
    _int(env, "WEB_CONCURRENCY", 2), ... A renamed setting drops out of this set."""
    names = set()
    for path in (ROOT / "bot").rglob("*.py"):
        names |= set(re.findall(r"""["']([A-Z][A-Z0-9_]{2,})["']""", path.read_text()))
    return names


def test_every_setting_the_manifests_and_image_set_is_one_the_bot_reads():
    unknown = _names_set_by_the_deployment() - _names_the_bot_reads()
    assert not unknown, f"set in deploy/ but read nowhere in bot/: {sorted(unknown)}"


# --- only commands the bot has -----------------------------------------------------


def test_dockerfile_serves_http_as_a_non_root_user_on_port_3000():
    instructions = _dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    assert any(op == "RUN" and "pip install" in args for op, args in instructions)
    users = [args for op, args in instructions if op == "USER"]
    assert users and users[-1].split(":")[0] not in {"0", "root"}
    assert ("EXPOSE", "3000") in instructions
    assert _dockerfile_cmd() == ["inspection-bot", "serve", "--http"]
    copied = " ".join(args for op, args in instructions if op == "COPY")
    assert "knowledge" in copied and "seeds" in copied


def test_dockerfile_cmd_is_a_real_command():
    _check_command(_dockerfile_cmd())


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["inspection-bot", "serve", "--http"], id="deployment"),
        pytest.param(["inspection-bot", "index"], id="job-index"),
    ],
)
def test_manifest_commands_are_real(argv):
    commands = [c["command"] + c.get("args", []) for w in _workloads() for c in _containers(w)]
    assert argv in commands
    _check_command(argv)


def test_job_db_upgrade_is_a_real_command():
    _check_command(["inspection-bot", "db", "upgrade"])


def test_cronjob_digest_command_is_real():
    (container,) = _pod_spec(_one("CronJob"))["containers"]
    command = container["command"] + container.get("args", [])
    _check_command(command)
