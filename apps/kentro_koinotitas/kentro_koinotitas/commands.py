"""The app's bench commands (`bench --site <site> kentro-backup`, `bench kentro-restore …`); `./kentro`
calls them (see README, "Operating it")."""

import json

import click
import frappe
from frappe.commands import get_site, pass_context


@click.command("kentro-backup-key")
@pass_context
def backup_key(context):
	"""Create the site's backup key outside the bench (once; an existing key is kept)."""
	from kentro_koinotitas.ops.backups import create_key

	click.echo(create_key(get_site(context)))


@click.command("kentro-backup")
@click.option("--with-files", is_flag=True, default=False, help="Also the public and private files")
@pass_context
def backup(context, with_files: bool = False):
	"""An encrypted backup of the site (key outside the site), copied to the second location."""
	from kentro_koinotitas.ops.backups import BackupError, backup_site

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		click.echo(json.dumps(backup_site(site, with_files), indent=1))
	except BackupError as error:
		raise click.ClickException(str(error)) from error
	finally:
		frappe.destroy()


@click.command("kentro-restore")
@click.argument("site")
@click.argument("database_file")
@click.option(
	"--key-file", default=None, help="The backup key of the site the backup came from (encrypted sets)"
)
@click.option("--db-root-username", default=None)
@click.option("--force", is_flag=True, default=False, help="Replace an existing site")
def restore(site: str, database_file: str, key_file: str | None, db_root_username: str | None, force: bool):
	"""Restore an encrypted backup set (database, files, configuration) into a new site."""
	from kentro_koinotitas.ops.backups import BackupError, read_key
	from kentro_koinotitas.ops.backups import restore as restore_set

	common = frappe.get_site_config(sites_path=".")
	try:
		restored = restore_set(
			site,
			database_file,
			read_key(site, key_file) if key_file else None,
			db_root_username or common.get("root_login") or "root",
			common.get("root_password"),
			force=force,
		)
	except BackupError as error:
		raise click.ClickException(str(error)) from error
	click.echo(json.dumps({"site": site, "restored": restored}))


commands = [backup_key, backup, restore]
