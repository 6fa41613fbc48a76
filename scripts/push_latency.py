"""Save → pushed event, timed from one process on loopback.

Usage: python3 scripts/push_latency.py WATCHER USCC LOW HIGH [PORT]
Logs in as WATCHER (the event stream) and as admin (the saves), then saves
USCC's tax and value added alternately as LOW and HIGH, six times, printing
when the event naming USCC arrived, its size, and the save's own time.
Demo accounts (password muyi2020) on a server at 127.0.0.1:PORT (3222).
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

watcher, uscc, low, high = sys.argv[1:5]
HOST, PORT = "127.0.0.1", int(sys.argv[5]) if len(sys.argv) > 5 else 3222
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}


def login(user):
    c = http.client.HTTPConnection(HOST, PORT)
    c.request("POST", "/api/login", urllib.parse.urlencode({"username": user, "password": "muyi2020"}), FORM)
    r = c.getresponse()
    r.read()
    for k, v in r.getheaders():
        if k.lower() == "set-cookie" and v.startswith("muyi_session="):
            return v.split(";")[0]
    sys.exit(f"login {user} failed")


seen = {"event": threading.Event()}


def watch(cookie):
    c = http.client.HTTPConnection(HOST, PORT)
    c.request("GET", "/api/events", headers={"Cookie": cookie})
    r = c.getresponse()
    while line := r.fp.readline():
        if line.startswith(b"data:") and uscc.encode() in line:
            seen.setdefault("at", time.perf_counter())
            seen.setdefault("bytes", len(line))
            seen["event"].set()


threading.Thread(target=watch, args=(login(watcher),), daemon=True).start()
admin = login("admin")
time.sleep(0.5)
for value in [low, high] * 3:
    seen.clear()
    seen["event"] = threading.Event()
    body = urllib.parse.urlencode(
        {"uscc": uscc, "year": "2020", "fields[tax_wan]": value, "fields[value_added_wan]": value}
    )
    c = http.client.HTTPConnection(HOST, PORT)
    t0 = time.perf_counter()
    c.request("POST", "/api/save_record", body, {**FORM, "Cookie": admin, "Origin": f"http://{HOST}:{PORT}"})
    out = json.loads(c.getresponse().read())
    t1 = time.perf_counter()
    if not seen["event"].wait(10):
        print(f"{value:>8}: no event naming {uscc} (its grade did not move?)")
        continue
    print(
        f"{value:>8}: event after {1000 * (seen['at'] - t0):6.1f} ms ({seen['bytes']} B), "
        f"save request {1000 * (t1 - t0):6.1f} ms, classes moved {out.get('classes_moved')}"
    )
