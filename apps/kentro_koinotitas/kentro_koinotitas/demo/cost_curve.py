"""The cost curve: each benchmark probe per scale, with the growth factor from one scale to the next.

`benchmark.run` writes one JSON per run under `results/` and calls `draw`, which takes the latest run of
each scale, prints the table, writes `results/cost-curve.json` and draws `results/cost-curve.png`
(matplotlib; README shows a copy in `docs/`). To measure the curve on one site, run the scales in
growing order: each run tops the data set up to its scale.

	bench --site SITE execute kentro_koinotitas.demo.benchmark.run --kwargs "{'scale': '10k'}"
	bench --site SITE execute kentro_koinotitas.demo.benchmark.run --kwargs "{'scale': '100k'}"
	bench --site SITE execute kentro_koinotitas.demo.benchmark.run --kwargs "{'scale': '1m'}"
	bench --site SITE execute kentro_koinotitas.demo.cost_curve.draw
"""

import json
from pathlib import Path

from frappe.utils import get_bench_path

TARGET_GROWTH = 2  # from 100,000 to 1,000,000 beneficiaries, for search and the list views

# (label, unit, value of a run's results)
PROBES = (
	("search surname first-name p95", "ms", lambda r: r["search"]["name"]["p95_ms"]),
	("search ΑΜΚΑ p95", "ms", lambda r: r["search"]["amka"]["p95_ms"]),
	("search ΑΦΜ p95", "ms", lambda r: r["search"].get("afm", {}).get("p95_ms")),
	("search phone p95", "ms", lambda r: r["search"]["phone"]["p95_ms"]),
	("search while typing p95", "ms", lambda r: r.get("typing", {}).get("p95_ms")),
	("list Beneficiary p95", "ms", lambda r: r["lists"]["Beneficiary"]["p95_ms"]),
	("list Case p95", "ms", lambda r: r["lists"]["Case"]["p95_ms"]),
	("Centre Indicators yearly", "ms", lambda r: _ms(r["report"]["seconds"])),
	("Centre Indicators monthly", "ms", lambda r: _ms(r["report"].get("monthly_seconds"))),
	("ESF+ Participants", "ms", lambda r: _ms(r["report"].get("esf_plus_seconds"))),
	("HTTP load 20 users p95", "ms", lambda r: r["http_load"]["p95_ms"]),
	("HTTP load 20 users search p95", "ms", lambda r: _search_p95(r["http_load"])),
	("HTTP load 50 users p95", "ms", lambda r: r["http_load_50"]["p95_ms"]),
	("HTTP load 50 users errors", "errors", lambda r: r["http_load_50"]["errors"]),
	("Registry Import", "rows/s", lambda r: r["import"]["registry_import"]["rows_per_s"]),
)


def _search_p95(load: dict) -> float | None:
	"""The slowest p95 of the load's search requests (typed whole, and key by key)."""
	values = [s["p95_ms"] for kind, s in load["by_request"].items() if "search" in kind.lower()]
	return max(values) if values else None


def _ms(seconds: float | None) -> float | None:
	return round(seconds * 1000) if seconds is not None else None


def latest_runs(folder: Path) -> dict[int, dict]:
	"""The latest run at each number of beneficiaries (the small CI scale left out)."""
	runs: dict[int, tuple[str, dict]] = {}
	for path in sorted(folder.glob("benchmark-*.json")):
		try:
			result = json.loads(path.read_text(encoding="utf-8"))
			people = int(result["data"]["Beneficiary"])
		except (ValueError, KeyError, TypeError):
			continue
		if result.get("scale") == "small":
			continue
		if people not in runs or runs[people][0] <= result["started"]:
			runs[people] = (result["started"], result)
	return {people: result for people, (_started, result) in sorted(runs.items())}


def curve(runs: dict[int, dict]) -> list[dict]:
	"""Per probe: its value at each scale and the growth factor from the previous scale."""
	rows = []
	for label, unit, value_of in PROBES:
		points = []
		for people, result in runs.items():
			try:
				value = value_of(result)
			except (KeyError, TypeError):
				value = None
			previous = points[-1]["value"] if points else None
			growth = round(value / previous, 2) if value and previous else None
			points.append({"beneficiaries": people, "value": value, "growth": growth})
		rows.append({"probe": label, "unit": unit, "points": points})
	return rows


def table(rows: list[dict]) -> str:
	if not rows or not rows[0]["points"]:
		return "No benchmark runs yet."
	scales = [p["beneficiaries"] for p in rows[0]["points"]]
	lines = ["probe".ljust(32) + "".join(f"{people:>22,}" for people in scales)]
	for row in rows:
		cells = [
			f"{point['value']} {row['unit']}" + (f" (×{point['growth']})" if point["growth"] else "")
			for point in row["points"]
		]
		lines.append(row["probe"].ljust(32) + "".join(f"{cell:>22}" for cell in cells))
	return "\n".join(lines)


def draw(folder: str | Path | None = None) -> dict:
	"""Print the curve of the latest runs, write it as JSON and draw it as a PNG; returns the paths."""
	folder = Path(folder or Path(get_bench_path()) / "results")
	rows = curve(latest_runs(folder))
	print(table(rows))
	data_path = folder / "cost-curve.json"
	data_path.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
	png = folder / "cost-curve.png"
	_plot(rows, png)
	return {"json": str(data_path), "png": str(png)}


def _plot(rows: list[dict], path: Path) -> None:
	import matplotlib

	matplotlib.use("Agg")  # no display
	from matplotlib import pyplot

	figure, axes = pyplot.subplots(figsize=(9, 5.5), dpi=110)
	for row in rows:
		points = [p for p in row["points"] if p["value"] and row["unit"] == "ms"]
		if len(points) >= 1:
			axes.plot(
				[p["beneficiaries"] for p in points],
				[p["value"] for p in points],
				marker="o",
				label=row["probe"],
			)
	axes.set_xscale("log")
	axes.set_yscale("log")
	axes.set_xlabel("Ωφελούμενοι (beneficiaries), λογαριθμική κλίμακα")
	axes.set_ylabel("ms (p95, αναφορές: διάμεσος)")
	axes.set_title("Κόστος ανά μέγεθος μητρώου (cost per registry size)")
	axes.grid(True, which="both", alpha=0.3)
	axes.legend(fontsize=7, loc="upper left", ncol=2)
	figure.tight_layout()
	figure.savefig(path)
	pyplot.close(figure)
