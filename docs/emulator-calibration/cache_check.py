"""Measures llama-server's per-idle-slot launch check (the emulator's cacheCheckUs) on this machine.

Usage:  python3 cache_check.py LLAMA_SERVER MODEL.gguf [--cache-ram MIB] [--port N]

LLAMA_SERVER is the binary .ci/setup builds (~/.cache/llm-load-suite/llama-server-*/bin/llama-server);
MODEL any GGUF it loads, e.g. the tests' random-weight model under target/llama-models/ after
`mvn verify` (the check walks KV cells, so the model's size hardly matters; the figures in
docs/emulator.md came from a 256-wide one). The server runs with the fixture's -np 64 -c 65536.

It replays the fixture's run (a 16-token warm-up, then 1, 2, 4, 8, 16, 32 and 64 users for 20, 15,
14, 13, 11, 10 and 10 rounds of requests sent together, a 73-token prompt, 128 tokens out) and
reads the server's own log timestamps: within a round of c launches, the gap between launch k
("processing task") and the next selection ("selected slot") is launch k's pass over the idle
slots; the c - 1 - k idle slots still holding a state are each checked against the cache. The
check per idle slot is that gap over their number (only gaps with at least 4 of them). With
--cache-ram 0 the pass is skipped, which shows what the gap costs without it.
"""
import argparse
import http.client
import json
import random
import re
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request

ROUNDS = [(1, 20), (2, 15), (4, 14), (8, 13), (16, 11), (32, 10), (64, 10)]
LINE = re.compile(r"^(\d+)\.(\d+)\.(\d+)\.(\d+) I slot (get_availabl|launch_slot_|print_timing)")


def request(port, prompt, n_predict, barrier):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    body = json.dumps({"prompt": prompt, "n_predict": n_predict, "stream": True, "ignore_eos": True})
    if barrier:
        barrier.wait()
    conn.request("POST", "/completion", body, {"Content-Type": "application/json"})
    resp = conn.getresponse()
    while resp.readline():
        pass
    conn.close()


def round_of(port, prompt, users, n_predict=128):
    barrier = threading.Barrier(users)
    threads = [threading.Thread(target=request, args=(port, prompt, n_predict, barrier)) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def checks(log_path):
    rounds, cur = [], []
    for line in open(log_path, errors="replace"):
        m = LINE.match(line)
        if not m:
            continue
        t = int(m.group(1)) * 60 + int(m.group(2)) + int(m.group(3)) / 1e3 + int(m.group(4)) / 1e6
        if m.group(5) == "print_timing":
            if cur:
                rounds.append(cur)
                cur = []
        else:
            cur.append((t, m.group(5)))
    per_slot, spans = [], {}
    for r in rounds:
        selected = [t for t, k in r if k == "get_availabl"]
        launched = [t for t, k in r if k == "launch_slot_"]
        c = len(launched)
        if c == 0 or len(selected) != c:
            continue
        spans.setdefault(c, []).append((launched[-1] - selected[0]) * 1000)
        for k in range(1, c - 1):
            idle = c - 1 - k
            if idle >= 4:
                per_slot.append((selected[k + 1] - launched[k]) * 1e6 / idle)
    return per_slot, spans


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("model")
    ap.add_argument("--cache-ram", default="490", help="MiB; 490 holds about 320 states of the tests' model")
    ap.add_argument("--port", type=int, default=18181)
    a = ap.parse_args()
    log = tempfile.NamedTemporaryFile(prefix="llama-server-", suffix=".log", delete=False)
    server = subprocess.Popen([a.server, "-m", a.model, "--host", "127.0.0.1", "--port", str(a.port),
                               "-t", "1", "-tb", "1", "-np", "64", "-c", "65536", "--no-webui",
                               "--cache-ram", a.cache_ram], stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{a.port}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        rng = random.Random(5)
        prompt = [rng.randrange(300, 2000) for _ in range(73)]
        request(a.port, prompt, 16, None)
        for users, count in ROUNDS:
            for _ in range(count):
                round_of(a.port, prompt, users)
            print(f"{users} users done", flush=True)
    finally:
        server.terminate()
        server.wait()
    per_slot, spans = checks(log.name)
    for c in sorted(spans):
        print(f"c={c:2d}: launches of a round take {statistics.median(spans[c]):7.2f} ms (median of {len(spans[c])} rounds)")
    per_slot.sort()
    n = len(per_slot)
    if n:
        print(f"check per idle slot: median {per_slot[n // 2]:.0f} us, quartiles {per_slot[n // 4]:.0f}-"
              f"{per_slot[3 * n // 4]:.0f} us, {n} launches (server log: {log.name})")


if __name__ == "__main__":
    main()
