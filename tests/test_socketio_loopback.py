"""Frappe's socket.io server believes the Origin a client sends (it asks that address who the client is),
so it must be reachable only through nginx: ops/socketio-loopback.js binds it to loopback, and the
Procfile (./kentro run) and ops/production.sh (supervisor) load it."""

import os
import re
import socket
import subprocess
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
PRELOAD = BENCH / "ops" / "socketio-loopback.js"


def _free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def _listening(port: int) -> list[str]:
	"""The local addresses listening on the port (`ss`)."""
	out = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True, check=True).stdout
	return [line.split()[3] for line in out.splitlines() if line.split()[3].endswith(f":{port}")]


def _serve(port: int, preload: bool) -> list[str]:
	env = {**os.environ, "FRAPPE_SOCKETIO_PORT": str(port)}
	if preload:
		env["NODE_OPTIONS"] = f"--require {PRELOAD}"
	process = subprocess.Popen(
		["node", "apps/frappe/socketio.js"],
		cwd=BENCH,
		env=env,
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
	)
	try:
		deadline = time.monotonic() + 20
		while time.monotonic() < deadline and not _listening(port):
			time.sleep(0.2)
		return _listening(port)
	finally:
		process.terminate()
		process.wait(timeout=10)


def test_the_realtime_server_listens_on_loopback_only():
	port = _free_port()
	assert _serve(port, preload=True) == [f"127.0.0.1:{port}"]
	port = _free_port()
	assert _serve(port, preload=False) != [f"127.0.0.1:{port}"]  # Frappe's own: every interface


def test_both_ways_of_running_it_load_the_preload():
	procfile = (BENCH / "Procfile").read_text()
	assert re.search(
		r"^socketio: node --require \./ops/socketio-loopback\.js apps/frappe/socketio\.js$", procfile, re.M
	)
	production = (BENCH / "ops" / "production.sh").read_text()
	assert 'environment=NODE_OPTIONS=\\"--require $ROOT/ops/socketio-loopback.js\\"' in production
	assert 'grep -q "socketio-loopback.js" config/supervisor.conf || die' in production
