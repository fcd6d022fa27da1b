# shellcheck shell=bash
# One site per municipality on this bench (sourced by ./kentro; see README, "Operating it").
#
#   ./kentro site add <domain> --municipality "Δήμος …" [--cert <file> --key <file> | --self-signed]
#   ./kentro site drop <domain>        (asks for the domain again; the site's backups stay where they are)
#   ./kentro site list

PRODUCTION_SITES="$STATE_DIR/production_sites"

valid_domain() {
	[[ "$1" =~ ^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$ ]]
}

production_sites() {
	[ -f "$PRODUCTION_SITES" ] && grep -v '^$' "$PRODUCTION_SITES" || true
}

cmd_site() {
	local action="${1:-}"
	shift || true
	case "$action" in
		add) site_add "$@" ;;
		drop) site_drop "$@" ;;
		list) production_sites ;;
		*) die "usage: ./kentro site add <domain> --municipality \"Δήμος …\" [--cert F --key F | --self-signed] | drop <domain> | list" ;;
	esac
}

site_add() {
	local domain="${1:-}" municipality="" cert="" key="" self_signed=0
	shift || true
	while [ "$#" -gt 0 ]; do
		case "$1" in
			--municipality) municipality="${2:-}"; shift 2 ;;
			--cert) cert="${2:-}"; shift 2 ;;
			--key) key="${2:-}"; shift 2 ;;
			--self-signed) self_signed=1; shift ;;
			*) die "unknown option $1" ;;
		esac
	done
	valid_domain "$domain" || die "«$domain» is not a domain name (e.g. kentro.dimos-kalamarias.gr)"
	[ -n "$municipality" ] || die "--municipality is required, e.g. --municipality \"Δήμος Καλαμαριάς\""
	check_certificate "$domain" "$cert" "$key" "$self_signed"
	if [ -f "sites/$domain/site_config.json" ]; then
		production_sites | grep -qx "$domain" \
			|| die "$domain is already a site of this bench (not a production site): choose another domain"
		step "Site $domain"
		done_step "exists (production site): nothing to create"
	else
		common_setup 0
		step "Site $domain for $municipality"
		local password
		password="$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)"
		ADMIN_PASSWORD="$password" common_config secrets-on
		trap 'common_config secrets-off' EXIT
		bench new-site "$domain" --db-root-username "$DB_ADMIN_USER" --install-app kentro_koinotitas 2>&1 | quiet_progress
		common_config secrets-off
		trap - EXIT
		echo "$(hash_tree apps/kentro_koinotitas/kentro_koinotitas)-$(git -C apps/frappe rev-parse --short HEAD)" \
			> "sites/$domain/.kentro-migrated"
		bench --site "$domain" set-config -p kentro_require_two_factor 1 >/dev/null
		bench --site "$domain" set-config host_name "https://$domain" >/dev/null
		bench --site "$domain" set-config -p kentro_backups \
			"{\"copy_to\": \"${KENTRO_BACKUP_COPY_TO:-/var/backups/kentro}\", \"keep_days\": 30}" >/dev/null
		bench --site "$domain" execute kentro_koinotitas.setup.production.prepare_site \
			--kwargs "$(env/bin/python -c 'import json, sys; print(json.dumps({"municipality": sys.argv[1]}))' "$municipality")" >/dev/null
		bench --site "$domain" kentro-backup-key >/dev/null
		bench --site "$domain" enable-scheduler >/dev/null
		mkdir -p "$STATE_DIR" && echo "$domain" >> "$PRODUCTION_SITES"
		protect_site_files
		done_step "created"
		cat <<-EOF

			    Administrator password of $domain (shown once, stored nowhere else): $password
			    Backup key: $(backup_key_path "$domain") (keep a copy away from the backups)

		EOF
	fi
	install_certificate "$domain" "$cert" "$key" "$self_signed"
	if [ -f "$STATE_DIR/production" ]; then
		production_nginx
	fi
}

site_drop() {
	local domain="${1:-}"
	[ -f "sites/$domain/site_config.json" ] || die "no site $domain in this bench"
	if [ "${KENTRO_CONFIRM:-}" != "$domain" ]; then
		read -r -p "Type the domain again to drop $domain and its database: " answer
		[ "$answer" = "$domain" ] || die "not dropped"
	fi
	ensure_mariadb >/dev/null
	step "Drop site $domain"
	common_config secrets-on
	trap 'common_config secrets-off' EXIT
	local archive
	archive="$(mktemp -d)"
	bench drop-site "$domain" --db-root-username "$DB_ADMIN_USER" --no-backup --force \
		--archived-sites-path "$archive" >/dev/null
	rm -rf "$archive"
	common_config secrets-off
	trap - EXIT
	if [ -f "$PRODUCTION_SITES" ]; then
		grep -vx "$domain" "$PRODUCTION_SITES" > "$PRODUCTION_SITES.tmp" || true
		mv "$PRODUCTION_SITES.tmp" "$PRODUCTION_SITES"
	fi
	[ -f "$STATE_DIR/production" ] && production_nginx
	done_step "dropped (its database and files; backups and the backup key are kept)"
}
