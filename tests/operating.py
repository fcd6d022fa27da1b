"""Running ./kentro and bench as IT does, and Python on a site of this bench, from the operations tests."""

import json
import os
import secrets
import subprocess  # nosec B404
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".bench-cli" / "bin" / "bench"
KENTRO = ROOT / "kentro"


def run(*command, timeout: int = 900, check: bool = True, **env: str) -> subprocess.CompletedProcess:
	result = subprocess.run(  # nosec B603
		[str(part) for part in command],
		cwd=ROOT,
		env={**os.environ, **env},
		capture_output=True,
		text=True,
		timeout=timeout,
		check=False,
		stdin=subprocess.DEVNULL,
	)
	if check:
		assert result.returncode == 0, (
			f"{command[:3]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
		)
	return result


def on_site(site: str, script: str, *args: str) -> dict | list:
	"""Run a Python script on a site (in the bench's `sites` folder); its last line of output is JSON."""
	out = run(
		ROOT / "env" / "bin" / "python", "-c", f"import os; os.chdir('sites'); exec({script!r})", site, *args
	)
	return json.loads(out.stdout.strip().splitlines()[-1])


def new_name(prefix: str) -> str:
	return f"{prefix}-{secrets.token_hex(3)}.localhost"


def drop_sites(sites: list[str]) -> None:
	for site in sites:
		if (ROOT / "sites" / site / "site_config.json").exists():
			run(KENTRO, "site", "drop", site, KENTRO_CONFIRM=site)
