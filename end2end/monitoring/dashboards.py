#!/usr/bin/env python3
"""Runs every panel query of the Grafana dashboards against a Prometheus and fails unless each
returns data: a dashboard that names a metric the shop does not expose, or a label it does not
carry, is caught here rather than as an empty panel during an incident.

    end2end/monitoring/dashboards.py http://127.0.0.1:9090

Grafana's own variables get the values Grafana would give them over the last few minutes.
Prints one line per query; exits 1 on any empty or failing query, or a malformed dashboard.
"""
import json
import pathlib
import sys
import urllib.parse
import urllib.request

DASHBOARDS = pathlib.Path(__file__).resolve().parents[2] / "terraform" / "monitoring" / "grafana"
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__range": "5m", "$__interval": "15s"}


def query(prometheus, expr):
    url = f"{prometheus}/api/v1/query?{urllib.parse.urlencode({'query': expr})}"
    with urllib.request.urlopen(url, timeout=10) as answer:
        body = json.load(answer)
    if body.get("status") != "success":
        raise RuntimeError(body.get("error", body))
    return body["data"]["result"]


def main():
    prometheus = sys.argv[1].rstrip("/")
    problems, checked = [], 0
    uids = set()
    for path in sorted(DASHBOARDS.glob("*.json")):
        board = json.loads(path.read_text())
        if board["uid"] in uids:
            problems.append(f"{path.name}: uid {board['uid']} is used twice")
        uids.add(board["uid"])
        ids = [panel["id"] for panel in board["panels"]]
        if len(ids) != len(set(ids)):
            problems.append(f"{path.name}: panel ids repeat: {ids}")
        for panel in board["panels"]:
            if not panel.get("targets"):
                problems.append(f"{path.name}: panel {panel['title']!r} has no query")
            for target in panel.get("targets", []):
                expr = target["expr"]
                for name, value in GRAFANA_VARIABLES.items():
                    expr = expr.replace(name, value)
                where = f"{path.name}: {panel['title']} [{target['refId']}]"
                checked += 1
                try:
                    result = query(prometheus, expr)
                except Exception as err:  # noqa: BLE001 - every failure is reported the same way
                    problems.append(f"{where}: the query failed: {err}")
                    continue
                if not result:
                    problems.append(f"{where}: no data for {expr}")
                else:
                    print(f"ok   {where}: {len(result)} series")
    for line in problems:
        print(f"FAIL {line}")
    print(f"{checked} panel queries on {len(uids)} dashboards, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
