# shellcheck shell=bash
# The production set-up (sourced by ./kentro; see README, "Operating it").
#
#   ./kentro production --domain <domain> --municipality "Δήμος …" [--cert <file> --key <file> | --self-signed]
#
# nginx in front (bench's generator: assets, gzip, HTTPS, HTTP redirected to HTTPS, security headers),
# gunicorn on 127.0.0.1 with 2×cores+1 workers, socket.io, RQ workers (short, default, long), the
# scheduler and Redis, all under supervisor (bench's generator) with restart on failure, and logrotate.

TLS_DIR="${KENTRO_TLS_DIR:-/etc/kentro/tls}"

check_certificate() {
	local domain="$1" cert="$2" key="$3" self_signed="$4"
	if [ "$self_signed" = "1" ]; then
		[ -z "$cert$key" ] || die "choose --cert and --key, or --self-signed, not both"
		return 0
	fi
	if [ -z "$cert$key" ]; then
		[ -f "$TLS_DIR/$domain.crt" ] && [ -f "$TLS_DIR/$domain.key" ] && return 0
		die "no certificate for $domain: give --cert <file> --key <file> (the municipality's), or --self-signed for a test"
	fi
	[ -f "$cert" ] || die "the certificate $cert does not exist"
	[ -f "$key" ] || die "the key $key does not exist"
	openssl x509 -in "$cert" -noout 2>/dev/null || die "$cert is not a PEM certificate"
	openssl pkey -in "$key" -noout 2>/dev/null || die "$key is not a PEM private key"
	[ "$(openssl x509 -in "$cert" -noout -pubkey | sha256sum)" = "$(openssl pkey -in "$key" -pubout | sha256sum)" ] \
		|| die "the key $key does not belong to the certificate $cert"
}

install_certificate() {
	local domain="$1" cert="$2" key="$3" self_signed="$4"
	$SUDO mkdir -p "$TLS_DIR" && $SUDO chmod 700 "$TLS_DIR"
	if [ "$self_signed" = "1" ] && [ ! -f "$TLS_DIR/$domain.crt" ]; then
		(umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=$domain" \
			-addext "subjectAltName=DNS:$domain" -keyout "$TLS_DIR/$domain.key" -out "$TLS_DIR/$domain.crt" 2>/dev/null)
	elif [ -n "$cert" ]; then
		install -m 0644 "$cert" "$TLS_DIR/$domain.crt"
		install -m 0600 "$key" "$TLS_DIR/$domain.key"
	fi
	bench --site "$domain" set-config ssl_certificate "$TLS_DIR/$domain.crt" >/dev/null
	bench --site "$domain" set-config ssl_certificate_key "$TLS_DIR/$domain.key" >/dev/null
}

production_nginx() {
	# bench's own nginx generator, given the production sites only: `bench setup nginx` would publish every
	# site folder of the bench (on a machine that also holds the demo or test sites, those too)
	step "nginx (bench's generator, production sites only)"
	local conf="/etc/nginx/conf.d/$(bench_name).conf" previous=""
	[ -f config/nginx.conf ] && previous="$(cat config/nginx.conf)"
	"$BENCH_CLI/bin/python" - "$ROOT" "$PRODUCTION_SITES" <<-'PY'
		import sys
		import bench.config.nginx as nginx
		root, listed = sys.argv[1], sys.argv[2]
		wanted = {line.strip() for line in open(listed) if line.strip()}
		all_sites = nginx.get_sites_with_config
		nginx.get_sites_with_config = lambda bench_path: [s for s in all_sites(bench_path) if s["name"] in wanted]
		nginx.make_nginx_conf(root, yes=True)
	PY
	$SUDO ln -sf "$ROOT/config/nginx.conf" "$conf"
	$SUDO rm -f /etc/nginx/sites-enabled/default
	# bench's server blocks pass the request's Host to Frappe as the site name: a request for any other
	# name (another site folder of the bench, an IP address) is refused here, before it reaches a block
	$SUDO tee /etc/nginx/conf.d/00-kentro-default.conf >/dev/null <<-'EOF'
		# Written by ./kentro production: requests for a name that is not a production site are refused
		server {
			listen 80 default_server;
			listen [::]:80 default_server;
			server_name _;
			return 444;
		}
		server {
			listen 443 ssl default_server;
			listen [::]:443 ssl default_server;
			server_name _;
			ssl_reject_handshake on;
			return 444;
		}
	EOF
	if ! $SUDO nginx -t >/dev/null 2>&1; then
		$SUDO nginx -t || true
		if [ -n "$previous" ]; then printf '%s\n' "$previous" > config/nginx.conf; fi
		die "nginx rejected the new configuration: the previous one is kept"
	fi
	if pgrep -x nginx >/dev/null; then $SUDO nginx -s reload; else $SUDO nginx; fi
	done_step "serving $(production_sites | tr '\n' ' ')"
}

production_supervisor() {
	step "supervisor (bench's generator): web, socket.io, workers, scheduler, Redis"
	local workers=$(( $(nproc) * 2 + 1 ))
	bench config set-common-config -c gunicorn_workers "$workers" >/dev/null
	bench config set-common-config -c background_workers 1 >/dev/null
	bench setup supervisor --yes >/dev/null
	# the app's WSGI entry (honours X-Forwarded-For only from nginx on this machine), bound to loopback
	sed -i 's| frappe.app:application | kentro_koinotitas.serve:application |' config/supervisor.conf
	grep -q "kentro_koinotitas.serve:application" config/supervisor.conf || die "unexpected supervisor.conf from bench"
	grep -q -- "-b 127.0.0.1:" config/supervisor.conf || die "gunicorn is not bound to 127.0.0.1 in supervisor.conf"
	# socket.io on loopback only (ops/socketio-loopback.js: it must not be reachable but through nginx)
	sed -i "/^command=.* socketio$/a environment=NODE_OPTIONS=\"--require $ROOT/ops/socketio-loopback.js\"" config/supervisor.conf
	grep -q "socketio-loopback.js" config/supervisor.conf || die "socket.io is not bound to loopback in supervisor.conf"
	$SUDO ln -sf "$ROOT/config/supervisor.conf" "/etc/supervisor/conf.d/$(bench_name).conf"
	if ! pgrep -x supervisord >/dev/null; then
		$SUDO service supervisor start >/dev/null || $SUDO supervisord -c /etc/supervisor/supervisord.conf
		for _ in $(seq 1 20); do [ -S /var/run/supervisor.sock ] && break; sleep 0.5; done
	fi
	if ! supervisorctl status "$(bench_name)-redis:" 2>/dev/null | grep -q RUNNING; then
		# Redis started by ./kentro gives way to the supervised one (same configuration and password)
		REDISCLI_AUTH="$(cat "$STATE_DIR/redis_password")" redis-cli -p "$(redis_port redis_cache)" shutdown nosave >/dev/null 2>&1 || true
		REDISCLI_AUTH="$(cat "$STATE_DIR/redis_password")" redis-cli -p "$(redis_port redis_queue)" shutdown >/dev/null 2>&1 || true
	fi
	supervisorctl reread >/dev/null
	supervisorctl update >/dev/null
	supervisorctl start "$(bench_name)-redis:" >/dev/null 2>&1 || true
	supervisorctl restart "$(bench_name)-web:" "$(bench_name)-workers:" >/dev/null 2>&1 || true
	for _ in $(seq 1 30); do
		[ "$(supervisorctl status "$(bench_name)-web:" "$(bench_name)-workers:" "$(bench_name)-redis:" | grep -vc RUNNING)" = "0" ] && break
		sleep 1
	done
	supervisorctl status "$(bench_name)-web:" "$(bench_name)-workers:" "$(bench_name)-redis:" | grep -v RUNNING \
		&& die "some supervised processes did not start (supervisorctl status; logs/)"
	local port site
	port="$(awk -F': ' '/"webserver_port"/ {gsub(/[ ,]/, "", $2); print $2}' sites/common_site_config.json)"
	# RUNNING is not serving: the restarted gunicorn may still wait for the old one to free the port
	site="$(production_sites | head -n 1)"
	for _ in $(seq 1 120); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $site" "http://127.0.0.1:$port/api/method/ping")" = "200" ] && break
		sleep 0.5
	done
	[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $site" "http://127.0.0.1:$port/api/method/ping")" = "200" ] \
		|| die "gunicorn does not answer on 127.0.0.1:$port (logs/web.error.log)"
	done_step "$workers gunicorn workers on 127.0.0.1:$port"
}

production_logrotate() {
	step "logrotate"
	$SUDO tee "/etc/logrotate.d/kentro-$(bench_name)" >/dev/null <<-EOF
		# Written by ./kentro production: the bench's logs, daily, two weeks kept
		$ROOT/logs/*.log {
			daily
			rotate 14
			compress
			delaycompress
			missingok
			notifempty
			copytruncate
		}
	EOF
	done_step "daily, 14 days"
}

production_stop() {
	# This bench's supervised processes and nginx sites stop; its sites and backups stay. Redis goes back
	# to ./kentro's own daemons.
	step "Stop production (supervisor group, nginx sites)"
	if command -v supervisorctl >/dev/null 2>&1 && pgrep -x supervisord >/dev/null; then
		supervisorctl stop "$(bench_name)-web:" "$(bench_name)-workers:" "$(bench_name)-redis:" >/dev/null 2>&1 || true
		$SUDO rm -f "/etc/supervisor/conf.d/$(bench_name).conf"
		supervisorctl reread >/dev/null 2>&1 || true
		supervisorctl update >/dev/null 2>&1 || true
	fi
	$SUDO rm -f "/etc/nginx/conf.d/$(bench_name).conf" "/etc/logrotate.d/kentro-$(bench_name)"
	pgrep -x nginx >/dev/null && $SUDO nginx -s reload
	rm -f "$STATE_DIR/production"
	done_step "stopped"
	ensure_redis
}

cmd_production() {
	local domain="" municipality="" args=()
	[ "${1:-}" = "--stop" ] && { production_stop; return; }
	while [ "$#" -gt 0 ]; do
		case "$1" in
			--domain) domain="${2:-}"; shift 2 ;;
			--municipality) municipality="${2:-}"; args+=(--municipality "$municipality"); shift 2 ;;
			--cert | --key) args+=("$1" "${2:-}"); shift 2 ;;
			--self-signed) args+=("$1"); shift ;;
			*) die "unknown option $1" ;;
		esac
	done
	[ -n "$domain" ] || die "usage: ./kentro production --domain <domain> --municipality \"Δήμος …\" [--cert F --key F | --self-signed]"
	common_setup 0
	step "Debian packages for production (nginx, supervisor, logrotate)"
	local missing=()
	command -v nginx >/dev/null 2>&1 || missing+=(nginx)
	command -v supervisorctl >/dev/null 2>&1 || missing+=(supervisor)
	command -v logrotate >/dev/null 2>&1 || missing+=(logrotate)
	if [ "${#missing[@]}" -gt 0 ]; then
		$SUDO apt-get install -y -q "${missing[@]}" >/dev/null
		done_step "installed ${missing[*]}"
	else
		done_step "present"
	fi
	site_add "$domain" "${args[@]}"
	mkdir -p "$STATE_DIR" && touch "$STATE_DIR/production"
	bench config set-common-config -c dns_multitenant true >/dev/null
	production_supervisor
	production_nginx
	production_logrotate
	cat <<-EOF

		kentro_koinotitas serves https://$domain (set-up took $(($(date +%s) - T0))s).
		  Processes: supervisorctl status
		  Backups:   every 6 hours (database) and daily (with files), encrypted, copied to ${KENTRO_BACKUP_COPY_TO:-/var/backups/kentro}
	EOF
}
