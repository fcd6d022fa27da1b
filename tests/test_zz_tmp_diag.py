import json
import os

import frappe

from tests import leakcheck


def test_diag(two_centres, web_server):
	world = leakcheck.CanaryWorld(two_centres)
	try:
		world.build()
		cat = leakcheck.discover_endpoints()
		jobs = leakcheck.Planner(world, ["Beneficiary", "Service Delivery", "Case"]).plan(cat)
		keep = os.environ.get("KK_TARGETS", "B:Beneficiary,L2:Service Delivery").split(",")
		jobs = [j for j in jobs if j.target in keep and j.variant in ("record", "doc-claims-centre-A", "new-doc-naming-B")]
		print("jobs", len(jobs))
		runner = leakcheck.Runner(web_server, "test.localhost", world, threads=6)
		findings, stats = runner.run(jobs)
		json.dump({"refusals": stats["refusals"], "statuses": stats["statuses"], "findings": [f.as_dict() for f in findings]}, open("/tmp/kkexp/diag.json", "w"), indent=1, ensure_ascii=False)
	finally:
		world.cleanup([two_centres.users[k] for k in leakcheck.ATTACKERS])
