"""Locust scenario of the benchmark's HTTP load probe: desk users who list, open, search and save
beneficiaries and list cases. `demo.http_load.http_load_probe` runs it; the site and the logins come in the
environment. Not imported by the app (Locust lives in its own virtualenv)."""

import itertools
import json
import os
import random

from locust import HttpUser, between, task

SITE = os.environ.get("KENTRO_SITE", "kentro.localhost")
LOGINS = itertools.cycle(json.loads(os.environ.get("KENTRO_LOGINS", "[]")))
SEQUENCE = itertools.count()
SEARCHES = ("παπα", "γεωργ", "νικολ", "μαρι", "ιωανν", "κων", "69", "210")
LANGUAGES = ("Ελληνικά", "Αλβανικά", "Αραβικά", "Ρομανί", "Αγγλικά")


class DeskUser(HttpUser):
	wait_time = between(0.5, 2)  # a person at a desk: read, type, click

	def on_start(self):
		self.client.headers.update({"Host": SITE, "Accept": "application/json"})
		login = next(LOGINS)
		self.can_write = login["can_write"]
		self.can_read_cases = login["can_read_cases"]
		self.client.post(
			"/api/method/login", data={"usr": login["user"], "pwd": login["password"]}, name="login"
		)
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
		message = response.json().get("message") or {}
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
