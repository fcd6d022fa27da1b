"""The user-facing strings of the app, collected from DocType JSON, reports and source code.

Used by the test that proves every one of them has a Greek (``el``) translation.
"""

import json
import re
from pathlib import Path

APP_PATH = Path(__file__).resolve().parents[1]
PY_MESSAGE = re.compile(r"""(?<![\w.])_\(\s*(?P<q>"|')(?P<text>(?:\\.|(?!(?P=q)).)+)(?P=q)\s*[,)]""")
JS_MESSAGE = re.compile(r"""__\(\s*(?P<q>"|'|`)(?P<text>(?:\\.|(?!(?P=q)).)+)(?P=q)\s*[,)]""")
SKIPPED_FIELDTYPES = {"Column Break", "Section Break", "Tab Break"}
# Desk artefacts shipped in module folders -> the field that names them on screen
DESK_ARTEFACT_TITLES = {
	"report": "report_name",
	"number_card": "label",
	"dashboard_chart": "chart_name",
	"dashboard_chart_source": "source_name",
}


def doctype_strings(path: Path) -> set[str]:
	meta = json.loads(path.read_text(encoding="utf-8"))
	if meta.get("doctype") != "DocType":
		return set()
	strings = {meta["name"]}
	if meta.get("description"):
		strings.add(meta["description"])
	for field in meta.get("fields", []):
		for key in ("label", "description"):
			if field.get(key) and not (
				key == "label" and field["fieldtype"] in SKIPPED_FIELDTYPES and not field[key]
			):
				strings.add(field[key])
		if field.get("fieldtype") == "Select" and field.get("options"):
			strings.update(option for option in field["options"].split("\n") if option)
	return strings


def code_strings(path: Path) -> set[str]:
	pattern = PY_MESSAGE if path.suffix == ".py" else JS_MESSAGE
	text = path.read_text(encoding="utf-8")
	return {m.group("text").replace('\\"', '"').replace("\\'", "'") for m in pattern.finditer(text)}


def setup_strings() -> set[str]:
	"""Role names, workflow states and workflow actions the app ships."""
	from kentro_koinotitas.reporting import esf
	from kentro_koinotitas.setup import roles, workflows

	strings = {role for profile in roles.ROLE_PROFILES.values() for role in profile}
	for spec in workflows.WORKFLOWS:
		strings |= {row["state"] for row in spec["states"]} | {row["action"] for row in spec["transitions"]}
	strings |= {label for _code, label, _test in esf.OUTPUT_INDICATORS + esf.RESULT_INDICATORS}
	return strings


def collect() -> set[str]:
	strings: set[str] = setup_strings()
	for path in APP_PATH.rglob("*"):
		if "node_modules" in path.parts or "__pycache__" in path.parts or path.name.startswith("test_"):
			continue
		if path.suffix == ".json" and path.parent.parent.name in DESK_ARTEFACT_TITLES:
			strings.add(
				json.loads(path.read_text(encoding="utf-8"))[DESK_ARTEFACT_TITLES[path.parent.parent.name]]
			)
		elif path.suffix == ".json" and path.parent.parent.name == "doctype":
			strings |= doctype_strings(path)
		elif path.suffix in (".py", ".js") and path.name != "ui_strings.py":
			strings |= code_strings(path)
	return strings
