"""A MariaDB replica for the tests: a second `mariadbd` with its own data directory, socket and loopback
port, seeded from a consistent dump of the test site's database and following the machine's MariaDB (the
primary, with the binary log `./kentro` configures) by GTID replication.

Administrative statements go through the `mariadb` client as root over each server's unix socket. Every
step is bounded in time; `stop()` shuts the server down, removes its directory and the replication account.
The server dies with the test process too (PR_SET_PDEATHSIG), so a killed run leaves no `mariadbd` behind.
"""

import contextlib
import ctypes
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from kentro_koinotitas.demo.replica_benchmark import covers, gtid_positions

PRIMARY_SOCKET = "/run/mysqld/mysqld.sock"
START_SECONDS = 60
LOAD_SECONDS = 600
PR_SET_PDEATHSIG = 1


class ReplicaError(RuntimeError):
	pass


def die_with_parent() -> None:
	ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def free_port() -> int:
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


def _client(arguments: list[str], socket_path: str, timeout: float) -> str:
	"""The output of the `mariadb` client run as root over a server's unix socket."""
	result = subprocess.run(
		["mariadb", "-u", "root", f"--socket={socket_path}", "-B", *arguments],
		capture_output=True,
		text=True,
		timeout=timeout,
		check=False,
	)
	if result.returncode:
		raise ReplicaError(f"{' '.join(arguments)[:100]}: {result.stderr.strip()}")
	return result.stdout


def root_sql(sql: str, socket_path: str = PRIMARY_SOCKET, timeout: float = 60) -> list[list[str]]:
	"""Rows (tab-separated fields) of `sql` run as root."""
	return [line.split("\t") for line in _client(["-N", "-e", sql], socket_path, timeout).splitlines()]


def table_reads(tables: list[str], database: str, socket_path: str = PRIMARY_SOCKET) -> dict[str, int]:
	"""Rows read from each table since the server started (`userstat`: information_schema.TABLE_STATISTICS)"""
	names = ", ".join(f"'{table}'" for table in tables)
	rows = root_sql(
		"select table_name, rows_read from information_schema.table_statistics "
		f"where table_schema = '{database}' and table_name in ({names})",
		socket_path,
	)
	reads = dict.fromkeys(tables, 0)
	reads.update({name: int(count) for name, count in rows})
	return reads


class Replica:
	"""`start(database)` → a running replica of `database` on 127.0.0.1:`port`, caught up with the primary."""

	def __init__(self):
		self.directory = Path(tempfile.mkdtemp(prefix="kentro-replica-"))
		self.socket = str(self.directory / "mysqld.sock")
		self.port = free_port()
		self.process: subprocess.Popen | None = None
		self.repl_user = f"kentro_repl_{secrets.token_hex(3)}"
		self.repl_password = secrets.token_urlsafe(18)
		self.database = ""
		self.seed_gtid = ""

	# the server process -----------------------------------------------------------------------------
	def start_server(self) -> None:
		data = self.directory / "data"
		if not data.exists():
			command = [
				"mariadb-install-db", "--no-defaults", f"--datadir={data}", "--user=root",
				"--skip-test-db", "--auth-root-authentication-method=socket",
			]  # fmt: skip
			install = subprocess.run(
				command,
				capture_output=True,
				text=True,
				timeout=120,
				check=False,
			)
			if install.returncode:
				raise ReplicaError(f"mariadb-install-db failed: {install.stderr[-2000:]}")
		log = self.directory / "error.log"
		command = [
			"mariadbd", "--no-defaults", f"--datadir={data}", f"--socket={self.socket}",
			f"--port={self.port}", "--bind-address=127.0.0.1", "--user=root", "--server-id=2",
			f"--pid-file={self.directory / 'mysqld.pid'}", f"--log-error={log}",
			"--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
			"--character-set-client-handshake=FALSE", "--max-allowed-packet=256M",
			"--innodb-buffer-pool-size=256M", *self.role_options(),
		]  # fmt: skip
		self.process = subprocess.Popen(
			command,
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			start_new_session=True,
			preexec_fn=die_with_parent,  # only sets the death signal
		)
		deadline = time.monotonic() + START_SECONDS
		while time.monotonic() < deadline:
			if self.process.poll() is not None:
				raise ReplicaError(f"mariadbd exited: {log.read_text(errors='replace')[-2000:]}")
			ping = subprocess.run(
				["mariadb-admin", "-u", "root", f"--socket={self.socket}", "ping"],
				capture_output=True,
				timeout=10,
				check=False,
			)
			if ping.returncode == 0:
				return
			time.sleep(0.3)
		raise ReplicaError(f"mariadbd did not answer within {START_SECONDS} s")

	def role_options(self) -> list[str]:
		return [
			f"--relay-log={self.directory / 'relay-bin'}", "--skip-log-bin", "--skip-slave-start",
			"--read-only=1", "--gtid-strict-mode=1", "--userstat=1", "--innodb-flush-log-at-trx-commit=2",
			*([f"--replicate-do-db={self.database}"] if self.database else []),
		]  # fmt: skip

	def stop_server(self) -> None:
		"""Shut the server down (SIGTERM: a clean InnoDB shutdown), killing it if it lingers."""
		if not self.process:
			return
		for sig, wait in ((signal.SIGTERM, 60), (signal.SIGKILL, 10)):
			if self.process.poll() is not None:
				break
			with contextlib.suppress(ProcessLookupError):
				self.process.send_signal(sig)
			with contextlib.suppress(subprocess.TimeoutExpired):
				self.process.wait(timeout=wait)
		self.process = None

	def restart(self) -> None:
		"""Start the stopped server again: it resumes replication where it stopped."""
		self.start_server()
		self.sql("start slave")

	def sql(self, statement: str, timeout: float = 60) -> list[list[str]]:
		return root_sql(statement, self.socket, timeout)

	# replication -----------------------------------------------------------------------------------
	def start(self, database: str) -> "Replica":
		primary = root_sql("select @@log_bin, @@binlog_format, @@server_id")[0]
		if primary[0] != "1" or primary[1] != "ROW":
			raise ReplicaError(
				"The primary MariaDB has no row-based binary log: run ./kentro, which configures it "
				"(/etc/mysql/mariadb.conf.d/99-kentro-frappe.cnf) and restarts MariaDB."
			)
		self.database = database
		self.start_server()
		root_sql(
			f"create user '{self.repl_user}'@'127.0.0.1' identified by '{self.repl_password}';"
			f"grant replication slave on *.* to '{self.repl_user}'@'127.0.0.1'"
		)
		self.seed()
		self.copy_site_account()
		self.sql(
			f"change master to master_host = '127.0.0.1', master_port = 3306, "
			f"master_user = '{self.repl_user}', master_password = '{self.repl_password}', "
			"master_use_gtid = slave_pos, master_connect_retry = 1; start slave"
		)
		self.wait_caught_up()
		return self

	def seed(self) -> None:
		"""A consistent dump (one transaction, at a known GTID position), loaded into the replica."""
		dump = self.directory / "seed.sql"
		command = [
			"mariadb-dump", "-u", "root", f"--socket={PRIMARY_SOCKET}", "--single-transaction",
			"--gtid", "--master-data=2", "--routines", "--triggers", "--databases", self.database,
		]  # fmt: skip
		with open(dump, "wb") as out:
			result = subprocess.run(
				command,
				stdout=out,
				stderr=subprocess.PIPE,
				timeout=LOAD_SECONDS,
				check=False,
			)
		if result.returncode:
			raise ReplicaError(f"mariadb-dump failed: {result.stderr.decode(errors='replace')[-2000:]}")
		with open(dump, "rb") as handle:  # the GTID position is printed at the end of the dump
			handle.seek(max(dump.stat().st_size - 20_000, 0))
			tail = handle.read().decode(errors="replace")
		match = re.search(r"gtid_slave_pos\s*=\s*'([0-9,\- ]*)'", tail)
		if not match:
			raise ReplicaError("The dump names no GTID position (mariadb-dump --gtid --master-data)")
		self.seed_gtid = match.group(1)
		_client(["-e", f"source {dump}"], self.socket, LOAD_SECONDS)
		dump.unlink()
		self.sql(f"set global gtid_slave_pos = '{self.seed_gtid}'")

	def copy_site_account(self) -> None:
		"""The site's database account on the replica, with the primary's password hash: read rights only."""
		(password_hash,) = root_sql(
			f"select authentication_string from mysql.user where user = '{self.database}' "
			"and host = 'localhost'"
		)[0]
		for host in ("localhost", "127.0.0.1"):
			self.sql(
				f"create user '{self.database}'@'{host}' identified by password '{password_hash}';"
				f"grant select on `{self.database}`.* to '{self.database}'@'{host}'"
			)

	def status(self) -> dict[str, str]:
		lines = _client(["-e", "show slave status"], self.socket, 30).splitlines()
		return dict(zip(lines[0].split("\t"), lines[1].split("\t"), strict=False)) if len(lines) > 1 else {}

	def wait_caught_up(self, timeout: float = 120) -> float:
		"""Seconds until the replica has applied everything the primary had logged when this was called."""
		target = gtid_positions(root_sql("select @@global.gtid_binlog_pos")[0][0])
		start = time.monotonic()
		while time.monotonic() - start < timeout:
			if covers(gtid_positions(self.sql("select @@global.gtid_slave_pos")[0][0]), target):
				return time.monotonic() - start
			status = self.status()
			if status.get("Last_SQL_Errno", "0") != "0" or status.get("Last_IO_Errno", "0") != "0":
				raise ReplicaError(
					f"replication stopped: {status.get('Last_IO_Error')} {status.get('Last_SQL_Error')}"
				)
			time.sleep(0.1)
		raise ReplicaError(f"the replica did not catch up within {timeout} s: {self.status()}")

	def stop(self) -> None:
		if self.process and self.process.poll() is None:
			with contextlib.suppress(ReplicaError, subprocess.TimeoutExpired):
				self.sql("stop slave", timeout=30)
		self.stop_server()
		with contextlib.suppress(ReplicaError, subprocess.TimeoutExpired):
			root_sql(f"drop user if exists '{self.repl_user}'@'127.0.0.1'")
		shutil.rmtree(self.directory, ignore_errors=True)


class SiteServer(Replica):
	"""A MariaDB server of its own for a copy of a site's database, under a name of its own (the cache keys
	of a site follow its database name), without replication: a test may kill it without touching the
	machine's MariaDB. `start(database, copy, password)` → a running server on 127.0.0.1:`port` holding
	a consistent copy of `database` as `copy`, writable by the account `copy` with `password`. Durable as
	a production server is (a committed transaction survives a kill)."""

	def role_options(self) -> list[str]:
		return ["--skip-log-bin", "--innodb-flush-log-at-trx-commit=1"]

	def start(self, database: str, copy: str, password: str) -> "SiteServer":
		self.start_server()
		dump = self.directory / "seed.sql"
		command = [
			"mariadb-dump",
			"-u",
			"root",
			f"--socket={PRIMARY_SOCKET}",
			"--single-transaction",
			database,
		]
		with open(dump, "wb") as out:
			result = subprocess.run(
				command, stdout=out, stderr=subprocess.PIPE, timeout=LOAD_SECONDS, check=False
			)
		if result.returncode:
			raise ReplicaError(f"mariadb-dump failed: {result.stderr.decode(errors='replace')[-2000:]}")
		self.sql(f"create database `{copy}` character set utf8mb4 collate utf8mb4_unicode_ci")
		_client([copy, "-e", f"source {dump}"], self.socket, LOAD_SECONDS)
		dump.unlink()
		for host in ("localhost", "127.0.0.1"):
			self.sql(
				f"create user '{copy}'@'{host}' identified by '{password}';"
				f"grant all privileges on `{copy}`.* to '{copy}'@'{host}'"
			)
		self.database = copy
		return self

	def kill(self) -> None:
		"""SIGKILL: what a crash or an out-of-memory kill does to the server."""
		assert self.process is not None
		self.process.kill()
		self.process.wait(timeout=30)
		self.process = None

	def stop(self) -> None:
		self.stop_server()
		shutil.rmtree(self.directory, ignore_errors=True)
