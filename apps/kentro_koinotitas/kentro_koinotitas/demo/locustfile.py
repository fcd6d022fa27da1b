"""Locust scenario of the benchmark's HTTP load probe: desk users who list, open, search and save
beneficiaries and list cases. `demo.http_load.http_load_probe` runs it; the site and the logins come in the
environment. Not imported by the app (Locust lives in its own virtualenv)."""

import base64
import hashlib
import hmac
import itertools
import json
import os
import random
import socket
import struct
import time
from pathlib import Path

from locust import HttpUser, between, events, task

SITE = os.environ.get("KENTRO_SITE", "kentro.localhost")
LOGINS = itertools.cycle(json.loads(os.environ.get("KENTRO_LOGINS", "[]")))
SEQUENCE = itertools.count()
# think time between clicks, seconds (the production load probe sets it)
THINK = tuple(float(x) for x in os.environ.get("KENTRO_THINK", "0.5,2").split(","))
# the production probe: https://<site> through nginx on this machine, with the site's own certificate
LOOPBACK_HOST = os.environ.get("KENTRO_LOOPBACK_HOST")
CA = os.environ.get("KENTRO_CA")
TIMES = os.environ.get("KENTRO_TIMES")  # where every request's time is written when Locust quits
RECORDS: list[list] = []

if LOOPBACK_HOST:
	_getaddrinfo = socket.getaddrinfo

	def _loopback(host, *args, **kwargs):
		return _getaddrinfo("127.0.0.1" if host == LOOPBACK_HOST else host, *args, **kwargs)

	socket.getaddrinfo = _loopback


@events.request.add_listener
def _record(name, response_time, exception=None, **kwargs):
	if TIMES:
		RECORDS.append([name, response_time, str(exception)[:200] if exception else None])


@events.quitting.add_listener
def _write_times(**kwargs):
	if TIMES:
		with open(TIMES, "w", encoding="utf-8") as handle:
			json.dump(RECORDS, handle)


def totp(secret: str) -> str:
	"""The current code of an authenticator app (RFC 6238: SHA-1, 30 s, 6 digits), as Frappe's pyotp checks it."""
	key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
	digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
	offset = digest[-1] & 0x0F
	return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


SEARCHES = ("παπα", "γεωργ", "νικολ", "μαρι", "ιωανν", "κων", "69", "210")
# "surname first-name" as staff type it, key by key (the synthetic data's names, read from its list)
_NAMES = json.loads((Path(__file__).parent / "data" / "names.json").read_text(encoding="utf-8"))
TYPED = [f"{pair[0]} {first}" for pair in _NAMES["surname_pairs"][:20] for first in _NAMES["male_first"][:5]]
LANGUAGES = ("Ελληνικά", "Αλβανικά", "Αραβικά", "Ρομανί", "Αγγλικά")


class DeskUser(HttpUser):
	wait_time = between(*THINK)  # a person at a desk: read, type, click

	def on_start(self):
		self.client.headers.update({"Host": SITE, "Accept": "application/json"})
		if CA:
			self.client.verify = CA
		login = next(LOGINS)
		self.can_write = login["can_write"]
		self.can_read_cases = login["can_read_cases"]
		for _attempt in range(3):  # a code read just before its 30 s window ends may arrive too late
			response = self.client.post(
				"/api/method/login", data={"usr": login["user"], "pwd": login["password"]}, name="login"
			)
			tmp_id = response.json().get("tmp_id") if response.ok else None
			if not (tmp_id and login.get("otp_secret")):  # no second factor asked
				break
			with self.client.post(
				"/api/method/login",
				data={"otp": totp(login["otp_secret"]), "tmp_id": tmp_id},
				name="login",
				catch_response=True,
			) as answer:
				if answer.ok:
					break
				answer.success()  # counted once, below, if every attempt fails
		else:
			raise RuntimeError(f"{login['user']} could not sign in")
		# the records this user saves: a page of their own, so that two users never save the same one
		self.own = self._list("Beneficiary", start=next(SEQUENCE) * 20)
		self.seen = list(self.own)

	def _list(self, doctype: str, start: int = 0, filters=None) -> list[str]:
		response = self.client.get(
			"/api/method/frappe.desk.reportview.get",
			params={
				"doctype": doctype,
				"fields": json.dumps([f"`tab{doctype}`.`name`"]),
				"filters": json.dumps(filters or []),
				"order_by": f"`tab{doctype}`.`modified` desc",
				"start": start,
				"page_length": 20,
			},
			name=f"list {doctype}",
		)
		try:
			message = response.json().get("message") or {}
		except ValueError:  # no answer (counted by Locust as the request's failure)
			return []
		return [row[0] for row in message.get("values", [])] if isinstance(message, dict) else []

	@task(3)
	def list_beneficiaries(self):
		self.seen = self._list("Beneficiary", start=random.randint(0, 10) * 20) or self.seen

	@task(1)
	def list_open_cases(self):
		if self.can_read_cases:
			self._list("Case", filters=[["Case", "status", "=", "Open"]])

	@task(3)
	def open_form(self):
		if self.seen:
			self.client.get(
				"/api/method/frappe.desk.form.load.getdoc",
				params={"doctype": "Beneficiary", "name": random.choice(self.seen)},
				name="open Beneficiary",
			)

	@task(3)
	def search(self):
		self.client.get(
			"/api/method/frappe.desk.search.search_link",
			params={"doctype": "Beneficiary", "txt": random.choice(SEARCHES), "page_length": 10},
			name="search Beneficiary",
		)

	@task(2)
	def type_search(self):
		"""A link field as a person types into it: one search per key, from the second letter."""
		text = random.choice(TYPED)
		for end in range(2, len(text) + 1):
			self.client.get(
				"/api/method/frappe.desk.search.search_link",
				params={"doctype": "Beneficiary", "txt": text[:end], "page_length": 10},
				name="search while typing",
			)
			time.sleep(0.12)  # keys pressed about 8 a second

	@task(1)
	def save(self):
		if self.can_write and self.own:
			self.client.post(
				"/api/method/frappe.client.set_value",
				data={
					"doctype": "Beneficiary",
					"name": random.choice(self.own),
					"fieldname": "mother_tongue",
					"value": random.choice(LANGUAGES),
				},
				name="save Beneficiary",
			)
