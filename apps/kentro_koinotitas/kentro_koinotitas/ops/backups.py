"""Encrypted backups of a site, their second copy and retention, and restoring one into a new site.

Frappe's backup (`frappe.utils.backups.BackupGenerator`: `mariadb-dump` of the database, tar of the public
and private files, a copy of `site_config.json`) with its encryption (gpg, symmetric, with a passphrase:
what `bench restore --encryption-key` reads), and three changes:

- **The key lives outside the site.** Frappe keeps `backup_encryption_key` in `site_config.json`, and
  copies that file next to the backups: whoever holds the backups holds the key. Here the key is a file
  of its own (`key_path`: `/etc/kentro/keys/<site>.backup-key`, mode 0600, outside the bench, never in a
  backup) and is given to Frappe in memory only.
- **Encryption fails closed.** Frappe prints "Files are stored without encryption" and keeps the plain
  files when gpg fails; here the backup is deleted and the command fails. The passphrase reaches gpg on
  a pipe, never on its command line (visible to every local user in `ps`).
- **The site's configuration is encrypted too** (it holds the database password and the `encryption_key`
  of the site's stored passwords); Frappe leaves that copy in clear.

Every backup set is then copied to a second location (`copy_to`, e.g. another disk or a mounted remote
share) and sets older than `keep_days` are deleted there; Frappe itself keeps the local sets for
`keep_backups_for_hours` (24 h by default).
"""

import json
import os
import shutil
import subprocess  # nosec B404 # gpg and tar with fixed arguments
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import frappe
from cryptography.fernet import Fernet
from frappe.utils.backups import BACKUP_ENCRYPTION_CONFIG_KEY, BackupGenerator, get_backup_path

DEFAULT_KEY_DIR = "/etc/kentro/keys"
DEFAULT_KEEP_DAYS = 30
SETTINGS_KEY = "kentro_backups"  # site config: {"copy_to": "/var/backups/kentro", "keep_days": 30}
ENCRYPTED_SUFFIX = "-enc"


class BackupError(Exception):
	pass


def key_dir() -> Path:
	return Path(os.environ.get("KENTRO_KEY_DIR") or DEFAULT_KEY_DIR)


def key_path(site: str) -> Path:
	return key_dir() / f"{site}.backup-key"


def create_key(site: str) -> Path:
	"""The site's backup key (made once; an existing key is never replaced: old backups need it)."""
	path = key_path(site)
	if path.exists():
		return path
	path.parent.mkdir(parents=True, exist_ok=True)
	os.chmod(path.parent, 0o700)
	descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
	with os.fdopen(descriptor, "w") as key_file:
		key_file.write(Fernet.generate_key().decode())
	return path


def read_key(site: str, path: str | Path | None = None) -> str:
	path = Path(path) if path else key_path(site)
	if not path.exists():
		raise BackupError(f"No backup key for {site} at {path}: create it with `./kentro backup-key {site}`")
	if path.stat().st_mode & 0o077:
		raise BackupError(f"The backup key {path} is readable by other users: chmod 600 {path}")
	key = path.read_text().strip()
	if not key:
		raise BackupError(f"The backup key {path} is empty")
	return key


def gpg(arguments: list[str], passphrase: str) -> None:
	"""Run gpg with the passphrase on its standard input (fd 0)."""
	result = subprocess.run(  # nosec B603 B607 # fixed program and options, paths from this module
		["gpg", "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase-fd", "0", *arguments],
		input=passphrase.encode(),
		capture_output=True,
		check=False,
	)
	if result.returncode != 0:
		raise BackupError(f"gpg failed: {result.stderr.decode(errors='replace').strip()}")


class EncryptedBackup(BackupGenerator):
	"""Frappe's backup of one site, every file of it encrypted with the site's own key, or none kept."""

	def __init__(self, key: str, **kwargs):
		super().__init__(**kwargs)
		self.key = key

	def set_backup_file_name(self):
		super().set_backup_file_name()
		for attribute in (
			"backup_path_db",
			"backup_path_files",
			"backup_path_private_files",
			"backup_path_conf",
		):
			path = getattr(self, attribute)
			if path and ENCRYPTED_SUFFIX not in os.path.basename(path):
				stem, dot, extension = os.path.basename(path).partition(".")
				setattr(
					self,
					attribute,
					os.path.join(os.path.dirname(path), f"{stem}{ENCRYPTED_SUFFIX}{dot}{extension}"),
				)

	def paths(self) -> list[str]:
		candidates = (
			self.backup_path_db,
			self.backup_path_conf,
			self.backup_path_files,
			self.backup_path_private_files,
		)
		return [path for path in candidates if path and os.path.exists(path)]

	def backup_encryption(self):
		try:
			for path in self.paths():
				gpg(["--symmetric", "--output", f"{path}.gpg", path], self.key)
				os.replace(f"{path}.gpg", path)
		except BackupError:
			for path in self.paths():
				os.remove(path)
			raise


def take_backup(site: str, with_files: bool, key: str | None = None) -> list[str]:
	"""A new encrypted backup set of the current site (`frappe.init`/`connect` done by the caller)."""
	key = key or read_key(site)
	generator = EncryptedBackup(
		key,
		db_name=frappe.conf.db_name,
		user=frappe.conf.db_name,
		password=frappe.conf.db_password,
		db_socket=frappe.conf.db_socket,
		db_host=frappe.conf.db_host,
		db_port=frappe.conf.db_port,
		db_type=frappe.conf.db_type,
		compress_files=True,
	)
	# Frappe's key look-up writes a missing key into site_config.json: give it this one, in memory only
	frappe.conf[BACKUP_ENCRYPTION_CONFIG_KEY] = key
	try:
		generator.set_backup_file_name()
		generator.take_dump()
		generator.copy_site_config()
		if with_files:
			generator.backup_files()
		generator.backup_encryption()
	except Exception:
		for path in generator.paths():
			os.remove(path)
		raise
	finally:
		frappe.conf.pop(BACKUP_ENCRYPTION_CONFIG_KEY, None)
	return generator.paths()


def copy_and_prune(
	site: str, paths: list[str], copy_to: str, keep_days: int = DEFAULT_KEEP_DAYS
) -> list[str]:
	"""Copy a backup set to the second location (`<copy_to>/<site>/`), and delete sets there older than
	`keep_days`."""
	target = Path(copy_to) / site
	target.mkdir(parents=True, exist_ok=True)
	os.chmod(target, 0o700)
	copied = []
	for path in paths:
		destination = target / os.path.basename(path)
		shutil.copy2(path, destination)
		os.chmod(destination, 0o600)
		copied.append(str(destination))
	limit = (datetime.now() - timedelta(days=keep_days)).timestamp()
	for old in target.iterdir():
		if old.is_file() and old.stat().st_mtime < limit:
			old.unlink()
	return copied


def settings() -> dict:
	return frappe.conf.get(SETTINGS_KEY) or {}


def backup_site(site: str, with_files: bool) -> dict:
	"""Take an encrypted backup of the current site and copy it to the second location, as configured."""
	paths = take_backup(site, with_files)
	for path in paths:
		os.chmod(path, 0o600)
	config = settings()
	copies = (
		copy_and_prune(site, paths, config["copy_to"], int(config.get("keep_days") or DEFAULT_KEEP_DAYS))
		if config.get("copy_to")
		else []
	)
	return {"files": paths, "copies": copies, "local_directory": os.path.abspath(get_backup_path())}


def scheduled_database_backup() -> None:
	"""Every 6 hours (hooks.py): the database, on sites where backups are configured (production)."""
	if settings().get("copy_to"):
		backup_site(frappe.local.site, with_files=False)


def scheduled_full_backup() -> None:
	"""Daily (hooks.py): the database with the public and private files."""
	if settings().get("copy_to"):
		backup_site(frappe.local.site, with_files=True)


# ----------------------------------------------------------------------------- restore
def backup_set(database_file: str) -> dict[str, str | None]:
	"""The files of the set a database backup belongs to (same time stamp and site, in its folder)."""
	path = Path(database_file).resolve()
	if not path.exists():
		raise BackupError(f"No such backup: {database_file}")
	prefix = path.name.split("-database")[0]
	encrypted = ENCRYPTED_SUFFIX if f"-database{ENCRYPTED_SUFFIX}" in path.name else ""

	def sibling(kind: str, *extensions: str) -> str | None:
		for extension in extensions:
			candidate = path.parent / f"{prefix}-{kind}{encrypted}.{extension}"
			if candidate.exists():
				return str(candidate)
		return None

	return {
		"database": str(path),
		"config": sibling("site_config_backup", "json"),
		"public": sibling("files", "tgz", "tar"),
		"private": sibling("private-files", "tgz", "tar"),
	}


def decrypt_set(files: dict[str, str | None], key: str | None, into: str) -> dict[str, str | None]:
	"""Decrypt every file of a backup set into a private temporary folder (a wrong key stops here)."""
	plain = {}
	for kind, path in files.items():
		if not path:
			plain[kind] = None
			continue
		target = os.path.join(into, os.path.basename(path).replace(ENCRYPTED_SUFFIX, ""))
		if ENCRYPTED_SUFFIX in os.path.basename(path):
			if not key:
				raise BackupError(f"{os.path.basename(path)} is encrypted: give the key file of its site")
			try:
				gpg(["--output", target, "--decrypt", path], key)
			except BackupError as error:
				raise BackupError(
					f"The backup {os.path.basename(path)} does not decrypt with this key"
				) from error
		else:
			shutil.copy2(path, target)
		plain[kind] = target
	return plain


def restore(
	site: str,
	database_file: str,
	key: str | None,
	db_root_username: str,
	db_root_password: str,
	force: bool = False,
) -> dict:
	"""Restore a backup set into a site (new, or an existing one when `force`): database, files, and the
	`encryption_key` of the site's stored passwords. Nothing is touched until the whole set has decrypted.
	Runs in the bench's `sites` folder, as Frappe's own `restore` does."""
	from frappe.installer import _new_site, extract_files, update_site_config

	files = backup_set(database_file)
	exists = os.path.exists(os.path.join(site, "site_config.json"))
	if exists and not force:
		raise BackupError(f"The site {site} exists: restore into a new site, or use --force to replace it")
	with tempfile.TemporaryDirectory(prefix="kentro-restore-") as workdir:
		os.chmod(workdir, 0o700)
		plain = decrypt_set(files, key, workdir)
		source_config = json.loads(Path(plain["config"]).read_text()) if plain["config"] else {}
		db_name = frappe.get_site_config(sites_path=".", site_path=site).get("db_name") if exists else None
		frappe.init(site=site, new_site=not exists)
		try:
			_new_site(
				db_name,
				site,
				db_root_username=db_root_username,
				db_root_password=db_root_password,
				install_apps=[],
				source_sql=plain["database"],
				force=True,
				db_type=source_config.get("db_type") or "mariadb",
			)
			if source_config.get("encryption_key"):
				update_site_config("encryption_key", source_config["encryption_key"])
		finally:
			frappe.destroy()
		for kind in ("public", "private"):
			if plain[kind]:
				os.remove(extract_files(site, plain[kind]))
	return {kind: bool(path) for kind, path in files.items()}
