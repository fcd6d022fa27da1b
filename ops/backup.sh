# shellcheck shell=bash
# Backups, restore and upgrade (sourced by ./kentro; see README, "Operating it").
#
#   ./kentro backup <site> [--with-files]            encrypted backup set, copied to the second location
#   ./kentro restore <new-site> <database backup> --key-file <key of the site it came from> [--force]
#   ./kentro upgrade [--site <site>]...              backup, update, migrate (restore on failure), build, restart

cmd_backup() {
	local site="${1:-}"
	[ -n "$site" ] || die "usage: ./kentro backup <site> [--with-files]"
	shift
	[ -f "sites/$site/site_config.json" ] || die "no site $site in this bench"
	ensure_mariadb >/dev/null
	ensure_redis >/dev/null
	[ -f "$(backup_key_path "$site")" ] || die "no backup key for $site: ./kentro backup-key $site"
	bench --site "$site" kentro-backup "$@"
}

backup_key_path() {
	printf '%s/%s.backup-key' "${KENTRO_KEY_DIR:-/etc/kentro/keys}" "$1"
}

cmd_backup_key() {
	local site="${1:-}"
	[ -n "$site" ] || die "usage: ./kentro backup-key <site>"
	bench --site "$site" kentro-backup-key
}

cmd_restore() {
	local site="${1:-}" database="${2:-}" migrate=1 args=()
	[ -n "$site" ] && [ -n "$database" ] || die "usage: ./kentro restore <new-site> <database backup> --key-file <file> [--force] [--no-migrate]"
	shift 2
	while [ "$#" -gt 0 ]; do
		case "$1" in
			--no-migrate) migrate=0; shift ;;
			*) args+=("$1"); shift ;;
		esac
	done
	[ -f "$database" ] || die "no such backup: $database"
	ensure_mariadb >/dev/null
	ensure_redis >/dev/null
	database="$(cd "$(dirname "$database")" && pwd)/$(basename "$database")"
	step "Restore $(basename "$database") into $site"
	common_config secrets-on
	trap 'common_config secrets-off' EXIT
	local rc=0
	bench kentro-restore --db-root-username "$DB_ADMIN_USER" "$site" "$database" "${args[@]}" || rc=$?
	common_config secrets-off
	trap - EXIT
	[ "$rc" -eq 0 ] || die "restore failed: $site was not changed unless --force was given"
	if [ "$migrate" = "1" ]; then
		bench --site "$site" migrate 2>&1 | quiet_progress
		echo "$(hash_tree apps/kentro_koinotitas/kentro_koinotitas)-$(git -C apps/frappe rev-parse --short HEAD)" \
			> "sites/$site/.kentro-migrated"
	fi
	protect_site_files
	done_step "restored"
}

cmd_upgrade() {
	# Every site of the bench (or those named with --site): a backup first, then the new code, then
	# migrate. A site whose migrate fails is restored from its backup, the code goes back to the commit it
	# was at, and the upgrade stops: the installation is left as it was.
	local sites=() site
	while [ "$#" -gt 0 ]; do
		case "$1" in
			--site) [ -n "${2:-}" ] || die "usage: ./kentro upgrade [--site <site>]..."
				[ -f "sites/$2/site_config.json" ] || die "no site $2 in this bench"
				sites+=("$2"); shift 2 ;;
			*) die "unknown option $1 (usage: ./kentro upgrade [--site <site>]...)" ;;
		esac
	done
	if [ "${#sites[@]}" -eq 0 ]; then
		for site in sites/*/site_config.json; do
			[ -f "$site" ] && sites+=("$(basename "$(dirname "$site")")")
		done
	fi
	common_setup 0
	step "Backups before the upgrade"
	declare -A backups=()
	for site in "${sites[@]}"; do
		[ -f "$(backup_key_path "$site")" ] || bench --site "$site" kentro-backup-key >/dev/null
		backups[$site]=$(bench --site "$site" kentro-backup | env/bin/python -c \
			'import json, sys; print(next(f for f in json.load(sys.stdin)["files"] if "-database" in f))') \
			|| die "the backup of $site failed: nothing was changed"
		backups[$site]="sites/${backups[$site]#./}"
		echo "    $site: ${backups[$site]}"
	done
	done_step "${#sites[@]} site(s) backed up"

	step "New code"
	local previous
	previous="$(git rev-parse HEAD)"
	if [ "${KENTRO_UPGRADE_PULL:-1}" = "1" ] && git remote get-url origin >/dev/null 2>&1; then
		git pull --ff-only || die "git pull failed: nothing was changed (the backups are above)"
	fi
	ensure_bench
	done_step "$(git rev-parse --short HEAD)"

	local failed=""
	for site in "${sites[@]}"; do
		step "Migrate $site"
		if ! bench --site "$site" migrate 2>&1 | quiet_progress; then
			failed="$site"
			break
		fi
		echo "$(hash_tree apps/kentro_koinotitas/kentro_koinotitas)-$(git -C apps/frappe rev-parse --short HEAD)" \
			> "sites/$site/.kentro-migrated"
		done_step "migrated"
	done
	if [ -n "$failed" ]; then
		upgrade_roll_back "$failed" "${backups[$failed]}" "$previous"
		die "the upgrade stopped: $failed failed to migrate (the error is above); it was restored from its backup ${backups[$failed]} and the code is back at $(git rev-parse --short HEAD)"
	fi
	restart_supervised
}

upgrade_roll_back() {
	# The database as it was before the migrate, the code at the commit it was at, the processes restarted
	local site="$1" backup="$2" previous="$3"
	step "Roll back $site"
	echo "    migrate failed: restoring $site from $backup"
	cmd_restore "$site" "$backup" --key-file "$(backup_key_path "$site")" --force --no-migrate
	if [ "$(git rev-parse HEAD)" != "$previous" ]; then
		git reset --keep "$previous" || die "restored $site, but the code could not go back to $previous: git status"
		ensure_bench
	fi
	restart_supervised
	done_step "restored; code at $(git rev-parse --short HEAD)"
}

restart_supervised() {
	if [ -f "$STATE_DIR/production" ] && command -v supervisorctl >/dev/null 2>&1 && [ -f config/supervisor.conf ]; then
		step "Restart the supervised processes"
		supervisorctl restart "$(bench_name)-web:" "$(bench_name)-workers:" >/dev/null
		done_step "restarted"
	fi
}

bench_name() {
	basename "$ROOT" | tr -c 'A-Za-z0-9_\n-' '-'
}
