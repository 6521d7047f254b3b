"""docker-compose.yml is a valid Compose file with the production stack, health checks, named
volumes and no secret written into it.

Validated offline (no Docker engine here) by Debian's `docker-compose` v1 (`apt-get install
docker-compose`), which checks the file against the Compose specification's JSON schema that it
ships; the schema is also applied directly with `jsonschema`. Locally a missing validator skips
loudly; in CI (CI=true) it fails.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"
SCHEMA = Path("/usr/lib/python3/dist-packages/compose/config/compose_spec.json")  # from Debian's docker-compose

AIRFLOW_SERVICES = ["airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                    "airflow-triggerer", "airflow-worker"]
WEB = "waspada-web"
LONG_RUNNING = ["postgres", "redis", "elasticsearch", "kibana", WEB] + AIRFLOW_SERVICES[1:]
SECRET_NAME = re.compile(r"PASSWORD|SECRET|FERNET|API_KEY|TOKEN|ENCRYPTIONKEY", re.I)


def _missing_validator(what: str) -> None:
    message = f"COMPOSE VALIDATOR MISSING, check skipped: {what} (apt-get install -y docker-compose)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _docker_compose(*args: str, env_file: Path, cwd: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("docker-compose")
    if exe is None:
        _missing_validator("docker-compose (v1) is not installed")
    return subprocess.run([exe, "--env-file", str(env_file), "-f", str(COMPOSE), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def resolved(tmp_path_factory) -> dict:
    """The file as Compose sees it with the example env: anchors merged, variables substituted."""
    cwd = tmp_path_factory.mktemp("compose")  # no stray .env of a developer's can leak in
    proc = _docker_compose("config", env_file=ENV_EXAMPLE, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return yaml.safe_load(proc.stdout)


def test_validates_with_docker_compose_v1(tmp_path):
    proc = _docker_compose("config", "-q", env_file=ENV_EXAMPLE, cwd=tmp_path)
    assert proc.returncode == 0, f"docker-compose config rejected the file:\n{proc.stderr}"


def test_validates_against_the_compose_spec_schema(resolved):
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.exists():
        _missing_validator(f"{SCHEMA} (shipped by Debian's docker-compose) is absent")
    raw = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    # The file names draft 2019-09 by a URL jsonschema does not know; that draft is what it means.
    jsonschema.Draft201909Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(raw)


def test_a_missing_secret_stops_compose_with_its_name(tmp_path):
    env = tmp_path / "partial.env"
    env.write_text("\n".join(line for line in ENV_EXAMPLE.read_text().splitlines()
                             if not line.startswith("POSTGRES_PASSWORD=")) + "\n")
    proc = _docker_compose("config", "-q", env_file=env, cwd=tmp_path)
    assert proc.returncode != 0
    assert "POSTGRES_PASSWORD" in proc.stderr


def test_the_production_services_are_there(compose):
    services = compose["services"]
    for name in ["postgres", "redis", "elasticsearch", "es-setup", "kibana", "kibana-setup", WEB] + AIRFLOW_SERVICES:
        assert name in services, f"service {name} is missing"
    assert "/elasticsearch/elasticsearch:" in services["elasticsearch"]["image"], "use the full Elasticsearch image"
    assert services["kibana"]["image"].split(":")[0].endswith("kibana/kibana")


def test_files_the_stack_mounts_and_builds_exist(resolved):
    services = resolved["services"]
    build = services["airflow-worker"]["build"]
    assert (Path(build["context"]) / build["dockerfile"]).is_file()
    for name in ("es-setup", "kibana-setup"):
        script = services[name]["entrypoint"][-1]  # /setup/<script>, /setup mounted from docker/<dir>
        mount = _mounts(services[name])
        host = next(src for src, dst in mount.items() if dst == "/setup")
        assert (Path(host) / Path(script).name).is_file(), f"{name}: {script} is not in {host}"
    assert (REPO / "docker" / "airflow-init.sh").is_file()
    assert (REPO / "docker" / "kibana" / "waspada-flagged.ndjson").is_file()


def test_airflow_runs_celery_with_every_component(resolved):
    services = resolved["services"]
    commands = {name: _words(services[name].get("command")) for name in AIRFLOW_SERVICES}
    assert commands["airflow-apiserver"] == "api-server"
    assert commands["airflow-scheduler"] == "scheduler"
    assert commands["airflow-dag-processor"] == "dag-processor"
    assert commands["airflow-triggerer"] == "triggerer"
    assert commands["airflow-worker"] == "celery worker"
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql"), name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://"), name
        assert env["WASPADA_INDEX_BACKEND"] == "elasticsearch", name
        assert env["WASPADA_ES_ANALYZER"] == "indonesian", name
    init = services["airflow-init"]
    assert "airflow db migrate" in (REPO / "docker" / "airflow-init.sh").read_text()
    assert init["entrypoint"][-1].endswith("airflow-init.sh")
    for name in AIRFLOW_SERVICES[1:]:
        assert services[name]["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully", name


def _words(command) -> str:
    return command if isinstance(command, str) or command is None else " ".join(command)


def _mounts(service: dict) -> dict[str, str]:
    """Volume source -> container path, from the short (`src:dst:mode`) or the long syntax."""
    out = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume["source"], volume["target"]
        out[source] = target
    return out


def test_the_web_app_serves_the_shared_data(resolved):
    services = resolved["services"]
    web, worker = services[WEB], services["airflow-worker"]
    # Same image as Airflow, but `waspada web` instead of Airflow's entrypoint, on all interfaces.
    assert web["image"] == worker["image"]
    argv = [*(web.get("entrypoint") or []), *(web.get("command") or [])]
    assert "waspada web" in " ".join(argv), argv
    assert argv[argv.index("--host") + 1] == "0.0.0.0" and argv[argv.index("--port") + 1] == "8080", argv
    assert "127.0.0.1:8080:8080" in [_port(p) for p in web["ports"]]
    assert web["restart"] == "unless-stopped"
    # Health check on /healthz, with a tool the image has (curl, which the Airflow checks use too).
    test = web["healthcheck"]["test"]
    assert "/healthz" in " ".join(test if isinstance(test, list) else [test])
    assert web["depends_on"]["elasticsearch"]["condition"] == "service_healthy"
    env, worker_env = web["environment"], worker["environment"]
    # The same index as the pipeline writes.
    for key in ("WASPADA_INDEX_BACKEND", "WASPADA_ES_URL", "WASPADA_ES_INDEX", "WASPADA_ES_ANALYZER"):
        assert env[key] == worker_env[key], key
    # The operations database (users, audit, investigations, alert state) is one file that the web
    # app and the alerts DAG both open: same volume, same path, and WEB_DB inside it.
    mounts, worker_mounts = _mounts(web), _mounts(worker)
    assert mounts["waspada-data"] == worker_mounts["waspada-data"] == env["WASPADA_DATA_DIR"]
    assert env["WASPADA_DATA_DIR"] == worker_env["WASPADA_DATA_DIR"]
    assert env.get("WASPADA_WEB_DB", f"{env['WASPADA_DATA_DIR']}/web.db") == f"{worker_env['WASPADA_DATA_DIR']}/web.db"
    assert "WASPADA_WEB_DB" not in worker_env  # the workers use the default, DATA_DIR/web.db
    # Evidence is readable (downloads of the raw bytes) but never writable from the web app.
    assert mounts["evidence"] == env["WASPADA_EVIDENCE_DIR"] == worker_env["WASPADA_EVIDENCE_DIR"]
    evidence = next(v for v in web["volumes"] if (v.split(":")[0] if isinstance(v, str) else v["source"]) == "evidence")
    read_only = evidence.split(":")[2:] == ["ro"] if isinstance(evidence, str) else evidence.get("read_only") is True
    assert read_only, f"mount the evidence volume read-only in the web app: {evidence}"
    assert env["WASPADA_WEB_COOKIE_SECURE"] in ("true", "false")


def test_the_web_secret_comes_from_env(compose, tmp_path):
    raw = compose["services"][WEB]["environment"]["WASPADA_WEB_SECRET"]
    assert re.fullmatch(r"\$\{WASPADA_WEB_SECRET:\?[^}]+\}", raw), raw
    env = tmp_path / "partial.env"
    env.write_text("\n".join(line for line in ENV_EXAMPLE.read_text().splitlines()
                             if not line.startswith("WASPADA_WEB_SECRET=")) + "\n")
    proc = _docker_compose("config", "-q", env_file=env, cwd=tmp_path)
    assert proc.returncode != 0
    assert "WASPADA_WEB_SECRET" in proc.stderr


def _port(port) -> str:
    """A port mapping as `ip:published:target`, from the short or the long syntax (without `/tcp`)."""
    if isinstance(port, str):
        return port.split("/")[0]
    return f"{port.get('host_ip', '0.0.0.0')}:{port['published']}:{port['target']}"


def test_no_two_services_publish_the_same_host_port(resolved):
    seen: dict[str, str] = {}
    for name, service in resolved["services"].items():
        for port in service.get("ports", []):
            ip, published, _ = _port(port).rsplit(":", 2)
            assert (ip, published) not in seen, f"{name} and {seen[(ip, published)]} both publish {ip}:{published}"
            seen[(ip, published)] = name


def test_workers_can_scale(compose):
    worker = compose["services"]["airflow-worker"]
    assert "container_name" not in worker, "a fixed container name stops `--scale airflow-worker=N`"
    assert "ports" not in worker, "a fixed host port stops `--scale airflow-worker=N`"


def test_long_running_services_have_health_checks(resolved):
    for name in LONG_RUNNING:
        check = resolved["services"][name].get("healthcheck")
        assert check and check.get("test"), f"{name} has no health check"


def test_data_lives_on_named_volumes(resolved):
    for volume in ["spool", "evidence", "es-data", "postgres-data", "waspada-data"]:
        assert volume in resolved["volumes"], volume
    mounts = _mounts(resolved["services"]["airflow-worker"])
    assert mounts["spool"] == resolved["services"]["airflow-worker"]["environment"]["WASPADA_SPOOL_DIR"]
    assert mounts["evidence"] == resolved["services"]["airflow-worker"]["environment"]["WASPADA_EVIDENCE_DIR"]
    es_mounts = _mounts(resolved["services"]["elasticsearch"])
    assert es_mounts["es-data"] == "/usr/share/elasticsearch/data"


def _strings(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def test_no_secret_is_written_into_the_compose_file(compose):
    """Every secret-looking setting is a required ${VAR} from the env file, with no default."""
    checked = 0
    for service_name, service in compose["services"].items():
        env = service.get("environment") or {}
        for key, value in env.items():
            if SECRET_NAME.search(key):
                checked += 1
                assert re.fullmatch(r"\$\{[A-Z0-9_]+:\?[^}]*\}", str(value)), \
                    f"{service_name}: {key} must be a required ${{VAR:?...}} from .env, got {value!r}"
    assert checked >= 8
    # Credentials inside URLs come from variables too.
    for where, value in _strings(compose):
        for userinfo in re.findall(r"://([^/@\s]*)@", value):
            password = userinfo.partition(":")[2]
            assert password == "" or password.startswith("${"), f"{where}: credentials in a URL: {value!r}"


def test_the_example_env_holds_placeholders_only():
    values = dict(line.split("=", 1) for line in ENV_EXAMPLE.read_text().splitlines()
                  if line.strip() and not line.startswith("#"))
    secrets = {k: v for k, v in values.items() if SECRET_NAME.search(k)}
    assert len(secrets) >= 8
    for key, value in secrets.items():
        assert value.startswith("change-me"), f".env.example {key} must be a change-me placeholder"
    used = set(re.findall(r"(?<!\$)\$\{([A-Z0-9_]+)", COMPOSE.read_text()))
    assert not (used - set(values)), f"variables used in docker-compose.yml but missing from .env.example: {used - set(values)}"


def test_kibana_dashboard_objects_are_importable():
    objects = [json.loads(line) for line in (REPO / "docker" / "kibana" / "waspada-flagged.ndjson").read_text().splitlines()]
    by_id = {o["id"]: o for o in objects}
    assert {o["type"] for o in objects} == {"index-pattern", "search", "dashboard"}
    for obj in objects:  # every reference points at an object in the same file
        for ref in obj.get("references", []):
            assert ref["id"] in by_id and by_id[ref["id"]]["type"] == ref["type"], ref
    assert by_id["waspada-flagged-posts"]["attributes"]["timeFieldName"] == "@timestamp"
