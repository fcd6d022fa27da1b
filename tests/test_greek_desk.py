"""Everything the desk shows each role is Greek, and the app's pages pass axe-core.

One walk per role through the pages of the daily flows (home workspace, the app's lists, new forms,
reports, a record's form with its menu and timeline, the awesome bar with a search, the notifications
panel) collects what a user reads: visible text, the page title, tooltips (`title`), placeholders and
aria-labels. Any Latin-letter word outside a short allowlist (codes, file formats, people's data) fails
the Greek check. axe-core (npm, installed by ./kentro into .kentro/axe) runs on the same pages; serious
and critical violations fail unless they belong to Frappe's own desk chrome (README, "Accessibility").
Screenshots of every page are kept in test-artifacts/greek-desk/.
"""

import json
import re
import shutil
from collections import defaultdict
from urllib.parse import quote, urlparse

import pytest

from tests.conftest import ARTIFACTS, ROOT, SITE
from tests.test_browser import CHROMIUM, log_in

pytestmark = pytest.mark.browser

AXE = ROOT / ".kentro" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ARTIFACTS / "greek-desk"

REPORTS = ("Awaiting My Approval", "Centre Indicators", "Caseload per Professional")
# role -> routes walked after its home workspace ({person}, {case}: records of the role's centre)
WALKS = {
	"receptionist_a": [
		"beneficiary",
		"beneficiary/new",
		"front-desk-visit",
		"front-desk-visit/new",
		"beneficiary/{person}",
	],
	"social_worker_a": [
		"case",
		"case/new",
		"referral",
		"referral/new",
		"consent/new",
		"case/{case}",
	],
	"psychologist_a": ["case", "beneficiary"],
	"coordinator_a": [
		"report",
		*(f"query-report/{quote(name)}" for name in REPORTS),
		"case/{case}",
	],
	"director": ["query-report/Centre%20Indicators"],
	"dpo": ["beneficiary/{person}"],
}

# Latin words a Greek desk legitimately shows: file formats, standards, keys and the brand of the
# print/PDF engine are written in Latin in Greek too.
ALLOWED = {
	"Administrator",
	"PDF",
	"Excel",
	"CSV",
	"XLSX",
	"ESF",
	"HSDS",
	"Open",
	"Referral",
	"Ctrl",
	"Shift",
	"Alt",
	"Esc",
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
# codes and data: anything holding a digit (record names, dates), e-mail addresses, URLs, paths, the
# temporary name of an unsaved record (new-case-abcdefghij)
DATA = re.compile(
	r"\S*\d\S*|\S+@\S+|https?://\S+|/\S+|\bnew-[a-z-]+-[a-z0-9]{10}\b|\S+\.(?:txt|pdf|xlsx|csv|png|jpg)\b"
	r"|\bEsLine[A-Za-z]+\b"  # Frappe's icon names, given as the title of timeline icons
)

# axe-core rules whose findings on these pages lie in Frappe's own desk markup, not in what the app
# defines (its DocTypes' fields, workspaces' content, reports' data): recorded in test-artifacts and
# listed in README ("Accessibility"). Any other serious or critical finding fails.
FRAPPE_DESK = {
	"color-contrast": "the desk theme's muted greys (sidebar placeholders, avatars, read-only values)",
	"list": "the list and form sidebars put links and blocks directly in <ul>",
	"listitem": "the sidebars' and the form tab bar's <li> outside a list",
	"aria-required-children": "the form's tab bar (role=tablist) holds <li>, not tabs",
	"aria-required-parent": "the form's tabs (role=tab) sit in <li>, not in a tablist",
	"link-in-text-block": "timeline links told apart from text by colour only",
	"aria-allowed-attr": "workspace widget menus set aria-haspopup on a plain link",
	"aria-required-attr": "link fields (Awesomplete, role=combobox) without aria-expanded",
	"aria-valid-attr-value": "link fields point aria-owns at a result list not rendered yet",
}
# contrast inside these is the app's own (workspace blocks, report cells): never excused
APP_CONTENT = (".ce-block", ".dt-cell", ".number-card", ".shortcut-widget-box", ".report-summary")

STYLED = """() => [...document.styleSheets].some(
	(sheet) => (sheet.href || "").includes("/desk.bundle.") && sheet.cssRules.length > 0
)"""

COLLECT = """() => {
	const shown = (el) => {
		if (!el || !el.getClientRects().length) return false;
		const box = el.getBoundingClientRect();
		if (box.right <= 0 || box.left >= window.innerWidth) return false; // parked off screen
		const style = getComputedStyle(el);
		return style.visibility !== "hidden" && style.display !== "none" && style.opacity !== "0";
	};
	const out = [["document title", document.title]];
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	while (walker.nextNode()) {
		const node = walker.currentNode, parent = node.parentElement;
		const text = node.textContent.trim();
		if (!text || !parent || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(parent.tagName)) continue;
		if (parent.closest("svg, .ql-editor, .CodeMirror")) continue;
		if (shown(parent)) out.push(["text", text]);
	}
	for (const el of document.querySelectorAll("[title], [placeholder], [aria-label], [data-original-title]")) {
		if (!shown(el)) continue;
		for (const attr of ["title", "placeholder", "aria-label", "data-original-title"]) {
			const value = (el.getAttribute(attr) || "").trim();
			if (value) out.push([attr, value]);
		}
	}
	return out;
}"""

RUN_AXE = """async () => {
	const result = await axe.run(document, {
		resultTypes: ["violations"],
		runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
	});
	return result.violations
		.filter((v) => ["serious", "critical"].includes(v.impact))
		.map((v) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			targets: v.nodes.map((n) => n.target.join(" ")),
			html: v.nodes.map((n) => n.html.slice(0, 160)),
		}));
}"""


def latin_words(text: str, data: set[str]) -> list[str]:
	# codes first: a datum found inside one (the run's hex tag inside an unsaved record's random name,
	# "new-case-ucqhkkujne") would otherwise cut it into Latin words
	text = DATA.sub(" ", text)
	for value in sorted(data, key=len, reverse=True):
		text = text.replace(value, " ")
	return [word for word in LATIN_WORD.findall(text) if word not in ALLOWED]


QUIET_DOM = """() => new Promise((resolve) => {
	let timer;
	const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 400); });
	function done() { observer.disconnect(); resolve(); }
	observer.observe(document.body, { childList: true, subtree: true });
	timer = setTimeout(done, 400);
	setTimeout(done, 5000);
})"""


def settle(page) -> None:
	"""Wait until the routed page is shown and Frappe has no request in flight."""
	page.wait_for_function(
		"() => window.frappe && frappe.container && frappe.container.page"
		" && frappe.container.page.getClientRects().length && !(frappe.request.ajax_count > 0)",
		timeout=60_000,
	)
	page.wait_for_timeout(700)


class Walk:
	def __init__(self, page, role: str, data: set[str]):
		self.page, self.role, self.data = page, role, data
		self.words: dict[str, set[str]] = defaultdict(set)  # word -> where
		self.axe: list[dict] = []
		self.axe_pages = 0

	def look(self, where: str, run_axe: bool = True) -> None:
		page = self.page
		for kind, text in page.evaluate(COLLECT):
			for word in latin_words(text, self.data):
				self.words[word].add(f"{self.role} {where} ({kind}: {text[:80]!r})")
		name = re.sub(r"[^\w-]+", "_", f"{self.role}-{where}")[:90]
		page.screenshot(path=str(SHOTS / f"{name}.png"))
		if run_axe:
			# charts draw after the page's requests; the desk names their controls at most 150 ms after
			# the last change (desk_greek.js): axe runs once nothing has changed for 400 ms (at most 5 s)
			page.evaluate(QUIET_DOM)
			if not page.evaluate("() => !!window.axe"):
				page.add_script_tag(path=str(AXE))
			self.axe_pages += 1
			for violation in page.evaluate(RUN_AXE):
				self.axe.append({"role": self.role, "page": where, **violation})

	def route(self, route: str, where: str) -> None:
		self.page.evaluate("(route) => frappe.set_route(route)", route)
		settle(self.page)
		self.look(where)


@pytest.fixture(scope="module")
def desk_browser():
	"""Debian's Chromium, once for both checks (the same launch as tests/test_browser.py)."""
	from playwright.sync_api import sync_playwright

	with sync_playwright() as playwright:
		instance = playwright.chromium.launch(
			executable_path=CHROMIUM,
			headless=True,
			args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
		)
		yield instance
		instance.close()


@pytest.fixture(scope="module")
def desk_walk(desk_browser, web_server, two_centres):
	import frappe

	shutil.rmtree(SHOTS, ignore_errors=True)  # one run's screenshots
	SHOTS.mkdir(parents=True)
	assert AXE.exists(), "./kentro test installs axe-core into .kentro/axe"
	base = f"http://{SITE}:{urlparse(web_server).port}"
	world = two_centres
	records = {"person": world.person_a.name, "case": world.case_a.name}
	# the data on screen: people's and staff's names and the centres' names
	data = {world.tag, *world.users.values(), world.centre_a, world.branch_a, world.centre_b}
	for person in (world.person_a, world.person_branch, world.person_b):
		latin = frappe.db.get_value(
			"Beneficiary", person.name, ["latin_first_name", "latin_last_name"], as_dict=True
		)
		data |= {
			person.first_name,
			person.last_name,
			latin.latin_first_name or "",
			latin.latin_last_name or "",
		}
	# what other tests stored on the same records is data too: a comment's or an attachment note's text is
	# kept in the language of the request that wrote it (an in-process test writes English)
	for content in frappe.get_all(
		"Comment",
		filters={"reference_name": ("in", list(records.values())), "comment_type": ("!=", "Workflow")},
		pluck="content",
	):
		data |= set(LATIN_WORD.findall(frappe.utils.strip_html(content or "")))
	data.discard("")
	words: dict[str, set[str]] = defaultdict(set)
	violations: list[dict] = []
	failures: list[str] = []
	axe_pages = 0
	for role, routes in WALKS.items():
		page = desk_browser.new_page(viewport={"width": 1400, "height": 1000}, locale="el-GR")
		walk = Walk(page, role, data)
		try:
			walk_role(page, walk, base, world, routes, records)
		except Exception as error:
			page.screenshot(path=str(SHOTS / f"{role}-failure.png"), full_page=True)
			failures.append(f"{role}: {type(error).__name__}: {str(error)[:300]}")
		finally:
			page.close()
		for word, places in walk.words.items():
			words[word] |= places
		violations += walk.axe
		axe_pages += walk.axe_pages
	frappe.db.rollback()
	(ARTIFACTS / "greek-desk-latin-words.json").write_text(
		json.dumps({w: sorted(p)[:5] for w, p in sorted(words.items())}, ensure_ascii=False, indent=1)
	)
	(ARTIFACTS / "greek-desk-axe.json").write_text(json.dumps(violations, ensure_ascii=False, indent=1))
	return words, violations, failures, axe_pages


def walk_role(page, walk: Walk, base: str, world, routes: list[str], records: dict) -> None:
	log_in(page, base, world, walk.role)
	settle(page)
	# the desk's stylesheet loaded (assets rebuilt during a run leave a page without it)
	assert page.evaluate(STYLED), "the desk's CSS did not load: rebuild the assets (bench build)"
	walk.look("home")
	for route in routes:
		walk.route(route.format(**records), route.replace("{", "").replace("}", ""))
		if route in ("case/{case}", "beneficiary/{person}"):
			page.locator(".page-actions .menu-btn-group > button:visible").first.click()
			page.wait_for_timeout(300)
			walk.look(f"{route.replace('{', '').replace('}', '')}-menu", run_axe=False)
			page.keyboard.press("Escape")
	# the awesome bar with a search for a person of the centre
	bar = page.locator("#navbar-search")
	bar.click()
	bar.fill(world.person_a.last_name[:6])
	page.wait_for_timeout(1200)
	walk.look("awesome-bar", run_axe=False)
	page.keyboard.press("Escape")
	# the notifications panel
	page.locator(".dropdown-notifications > a, .notifications-icon").first.click()
	page.wait_for_timeout(800)
	walk.look("notifications", run_axe=False)


def test_every_role_walks_the_desk(desk_walk):
	_, _, failures, _ = desk_walk
	assert not failures, "\n".join(failures)


def test_every_role_reads_greek_only(desk_walk):
	words, _, _, _ = desk_walk
	found = {word: sorted(places)[:2] for word, places in sorted(words.items())}
	assert not found, f"{len(found)} Latin words on the desk: " + json.dumps(
		found, ensure_ascii=False, indent=1
	)


def apps_own(violation: dict) -> bool:
	if violation["id"] not in FRAPPE_DESK:
		return True
	return violation["id"] == "color-contrast" and any(
		marker in target for target in violation["targets"] for marker in APP_CONTENT
	)


def test_the_apps_pages_have_no_serious_accessibility_violation(desk_walk):
	_, violations, _, axe_pages = desk_walk
	assert axe_pages >= 20, f"axe-core ran on {axe_pages} pages only"
	remaining = sorted({(v["id"], FRAPPE_DESK[v["id"]]) for v in violations if not apps_own(v)})
	(ARTIFACTS / "greek-desk-axe-frappe.json").write_text(json.dumps(remaining, ensure_ascii=False, indent=1))
	own = [v for v in violations if apps_own(v)]
	assert not own, json.dumps(own, ensure_ascii=False, indent=1)[:6000]
