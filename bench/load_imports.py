"""Imports through the API for the load test: three clients, each uploading a file, waiting
for its check, committing it and waiting for the commit, again and again until the time is
up; every round renames the file's logins and e-mails, so every commit creates customers.

Usage: python3 bench/load_imports.py URL TOKEN FILE SECONDS
Prints: imports finished, imports succeeded, customers created.
"""
import json
import sys
import threading
import time
import urllib.request

url, token, path, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
base = open(path, "rb").read()
deadline = time.time() + seconds
states, created = [], []


def call(method, route, body=None, kind="application/json"):
    headers = {"Authorization": "Bearer " + token, "Content-Type": kind}
    request = urllib.request.Request(url + route, body, headers, method=method)
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.load(response)


def finished(job):
    while job["state"] not in ("succeeded", "failed"):
        time.sleep(0.2)
        job = call("GET", f"/api/v1/jobs/{job['id']}")
    return job


def client(n):
    round = 0
    while time.time() < deadline:
        round += 1
        body = base.replace(b"load", f"c{n}r{round}load".encode())
        route = f"/api/v1/imports?dialect=idosell&filename=load{n}-{round}.csv"
        check = finished(call("POST", route, body, "application/octet-stream"))
        batch = check["result"]["batch"]
        commit = finished(call("POST", f"/api/v1/batches/{batch}/commit", b"{}"))
        states.append(commit["state"])
        created.append(((commit.get("result") or {}).get("counts") or {}).get("new", 0))


threads = [threading.Thread(target=client, args=(n,)) for n in (1, 2, 3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(states), states.count("succeeded"), sum(created))
