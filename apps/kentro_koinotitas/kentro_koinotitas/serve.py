"""WSGI entry point for gunicorn: Frappe's application with its static files, and a default site.

Without nginx in front, gunicorn serves ``/assets`` and ``/files`` itself, through the same middlewares
Frappe's development server uses (``frappe.app.application_with_statics``).

Frappe picks the site by the Host header. Behind Frappe's production nginx, a request for a host with
no site folder falls to the default server; with gunicorn alone it would be a 404. When
``serve_default_site`` is on in ``common_site_config.json``, such a request is served by
``default_site`` (so http://localhost:8000 reaches the demo site), exactly as nginx would.
"""

import json
import os

from frappe.app import application as frappe_application
from frappe.middlewares import StaticDataMiddleware
from werkzeug.middleware.shared_data import SharedDataMiddleware

SITES_PATH = os.path.abspath(os.environ.get("SITES_PATH", "."))


def _default_site() -> str | None:
	try:
		with open(os.path.join(SITES_PATH, "common_site_config.json"), encoding="utf-8") as f:
			config = json.load(f)
	except (OSError, ValueError):
		return None
	return config.get("default_site") if config.get("serve_default_site") else None


DEFAULT_SITE = _default_site()
_with_statics = StaticDataMiddleware(
	SharedDataMiddleware(frappe_application, {"/assets": os.path.join(SITES_PATH, "assets")}),
	{"/files": SITES_PATH},
)


def application(environ, start_response):
	# Frappe takes the client's address from the first X-Forwarded-For entry, which any client can write:
	# honour the header only when the request comes through a proxy on this machine (nginx), so login
	# lockout per address cannot be dodged by sending a made-up one.
	if not environ.get("REMOTE_ADDR", "").startswith(("127.", "::1")):
		environ.pop("HTTP_X_FORWARDED_FOR", None)
	if DEFAULT_SITE and "HTTP_X_FRAPPE_SITE_NAME" not in environ:
		host = environ.get("HTTP_HOST", "").split(":")[0]
		if not host or not os.path.isfile(os.path.join(SITES_PATH, host, "site_config.json")):
			environ["HTTP_X_FRAPPE_SITE_NAME"] = DEFAULT_SITE
	return _with_statics(environ, start_response)
