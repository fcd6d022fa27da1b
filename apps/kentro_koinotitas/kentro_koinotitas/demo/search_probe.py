"""The benchmark's search probes, as a centre-restricted user, through `frappe.desk.search.search_link` (what
a link field and the awesome bar call).

- lookups: a sample of the people the user may read, each looked up as staff type it: "surname first-name"
  (found when among the first 10 results: people share names), ΑΜΚΑ, ΑΦΜ and a phone written with +30 and
  spaces (found when first); each beside one indexed SQL query for the same person;
- typing: the prefixes of "surname first-name" of growing length, one search per key pressed.

Each kind of lookup first searches for ten other people, untimed (`WARM_UP`): the probes follow the
import probe, which leaves the caches of a server that staff use all day cold.
"""

import random
import statistics
import time

import frappe
from frappe.desk.search import search_link

from kentro_koinotitas.registry import identity

SEED = 17
POOL = 5_000  # people the sample is drawn from
WARM_UP = 10  # lookups of other people first, not timed: a desk server's caches are warm all day
TYPED_PEOPLE = 20  # people whose names are typed key by key
BASELINE = {
	"name": "select name from `tabBeneficiary` where home_centre in %(centres)s and name_key = %(key)s limit 10",
	"amka": "select name from `tabBeneficiary` where home_centre in %(centres)s and amka = %(key)s limit 10",
	"afm": "select name from `tabBeneficiary` where home_centre in %(centres)s and afm = %(key)s limit 10",
	"phone": "select name from `tabBeneficiary` where home_centre in %(centres)s and phone = %(key)s limit 10",
}


def stats(samples_ms: list[float]) -> dict:
	ordered = sorted(samples_ms)
	if not ordered:
		return {"p50_ms": None, "p95_ms": None, "n": 0}
	p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
	return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1), "n": len(ordered)}


def spaced_phone(e164: str) -> str:
	"""``+306912345678`` as staff write it: ``+30 691 234 5678``."""
	digits = e164.removeprefix("+30")
	return f"+30 {digits[:3]} {digits[3:6]} {digits[6:]}"


def _sample(samples: int, **filters) -> list:
	pool = frappe.get_list(
		"Beneficiary",
		fields=["name", "first_name", "last_name", "full_name", "amka", "afm", "phone", "home_centre"],
		filters={"phone": ("is", "set"), **filters},
		order_by="name",
		limit_page_length=POOL,
	)
	return random.Random(SEED).sample(pool, min(samples, len(pool)))


def search_probe(user: str, samples: int) -> dict:
	"""Per kind of lookup: p50/p95 of the search, p50 of the indexed SQL, and how many were found."""
	frappe.set_user(user)
	frappe.local.lang = "el"
	kinds = {
		"name": (_sample(samples), lambda r: f"{r.last_name} {r.first_name}", 10),
		"amka": (_sample(samples, amka=("is", "set")), lambda r: r.amka, 1),
		"afm": (_sample(samples, afm=("is", "set")), lambda r: r.afm, 1),
		"phone": (_sample(samples), lambda r: spaced_phone(r.phone), 1),
	}
	out = {}
	for kind, (people, typed, within) in kinds.items():
		for row in _sample(WARM_UP, name=("not in", [p.name for p in people] or [""])):
			search_link("Beneficiary", typed(row) or row.last_name, page_length=10)
		centres = tuple({row.home_centre for row in people}) or ("",)
		link, raw, found, namesakes = [], [], 0, []
		for row in people:
			start = time.perf_counter()
			results = search_link("Beneficiary", typed(row), page_length=10)
			link.append((time.perf_counter() - start) * 1000)
			found += row.name in [r.get("value") for r in results[:within]]
			key = identity.name_key(row.first_name, row.last_name) if kind == "name" else row.get(kind)
			start = time.perf_counter()
			frappe.db.sql(BASELINE[kind], {"centres": centres, "key": key})
			raw.append((time.perf_counter() - start) * 1000)
			if kind == "name":
				namesakes.append(
					len(frappe.get_list("Beneficiary", filters={"full_name": row.full_name}, pluck="name"))
				)
		result = stats(link)
		result["sql_p50_ms"] = stats(raw)["p50_ms"]
		result["ratio_to_sql"] = (
			round(result["p50_ms"] / result["sql_p50_ms"], 1) if result["sql_p50_ms"] else None
		)
		result["found"] = f"{found}/{len(people)}"
		result["found_within"] = within
		if namesakes:  # people the user may read with the same full name, on average
			result["namesakes_mean"] = round(statistics.mean(namesakes), 1)
		out[kind] = result
	frappe.set_user("Administrator")
	return out


def typing_probe(user: str, people: int = TYPED_PEOPLE) -> dict:
	"""One search per key pressed while typing "surname first-name", from the second letter."""
	frappe.set_user(user)
	frappe.local.lang = "el"
	timings = []
	for row in _sample(people):
		text = f"{row.last_name} {row.first_name}"
		for end in range(2, len(text) + 1):
			start = time.perf_counter()
			search_link("Beneficiary", text[:end], page_length=10)
			timings.append((time.perf_counter() - start) * 1000)
	frappe.set_user("Administrator")
	return stats(timings)
