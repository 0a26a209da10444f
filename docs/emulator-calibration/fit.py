"""Offline fit of the h100-llamacpp-8b emulator profile (see H100Calibration.java).

Usage (numpy and scipy):  python3 fit.py

The model is the emulator's batched mode with its prompt-cache launch cost (PromptCache.java, a
model of llama.cpp's host-memory prompt cache), driven the way the fixture's client drove the real
server: a 16-token warm-up, then levels 1, 2, 4, 8, 16, 32, 64 in that order, each in rounds of c
requests sent together (every level's request count is a multiple of c, and llama.cpp's
n_decode_total equals Σ 128·requests/c plus the warm-up's 16, so each decode carried all c streams).
The cache's state carries from level to level, as the server's did, so the levels are run in order
even though only 1, 4, 16 and 64 are fitted. A round is deterministic, so it is computed, not
simulated: the c launches run one after another (each pays its prefill and its cache work), then
one step of c sequences yields every first token, then 127 more steps.

Fitted (relative errors of aggregate tokens/s and TTFT p50 at levels 1, 4, 16, 64, least squares):
stepBaseMs, stepPerSeqMs, cacheSaveMs, cacheFreshMs. Not fitted:
- stepSingleMs 5.65: the c=1 inter-token latency (5.74 ms) less the client's share;
- cacheEntries 327: llama.cpp's default --cache-ram 8192 MiB over one slot's state, 200 cells of
  128 KiB (32 layers x 8 KV heads x 128 x 2 (K and V) x 2 bytes);
- cacheCheckUs 94: measured on the real llama-server of the same llama.cpp commit with the same
  -np 64 -c 65536 (docs/emulator.md, "The prompt cache"): what each idle slot costs every launch,
  llama.cpp sizing its state by walking all 65,536 KV cells before finding it already cached;
- prefillBaseMs 0 and prefillPerTokenMs 0.04: the fixture's prompts were cached (llama.cpp's
  counters: one new token per request), so the launch cost is the cache's; 0.04 ms per token is an
  assumed f16 prefill rate for uncached prompts (about 25,000 tokens/s on an H100).
2, 8 and 32 are held out and only printed.
"""
from scipy.optimize import minimize

REAL = {1: (169.5, 25.0), 2: (249.4, 40.9), 4: (469.5, 82.0), 8: (832.3, 168.6),
        16: (1394.2, 293.4), 32: (2530.5, 251.7), 64: (3231.0, 615.8)}
ROUNDS = {1: 20, 2: 15, 4: 14, 8: 13, 16: 11, 32: 10, 64: 6}
FIT = [1, 4, 16, 64]
SINGLE, OUT, SLOTS, PROMPT = 5.65, 128, 64, 73
PREFILL = 0.04 * PROMPT
ENTRIES, CHECK_US = 327, 94
DELIVER, REACT = 0.3, 0.2  # ms: token to client, client to next round (measured in the emulator)


class Cache:
    """PromptCache.java, step for step (costs in ms)."""

    def __init__(self, save, fresh, check_us):
        self.save, self.fresh, self.check = save, fresh, check_us / 1000
        self.busy = [False] * SLOTS
        self.version = [-1] * SLOTS   # -1: the slot never ran a request
        self.cached = [-1] * SLOTS    # version of the slot's state held in the cache
        self.fifo, self.free = [], 0

    def _save(self, s):
        """llama.cpp's prompt_save: size the state (a walk over every KV cell), copy it unless cached."""
        if self.cached[s] == self.version[s]:
            return self.check
        cost = self.check + self.save
        if len(self.fifo) >= ENTRIES:
            es, ev = self.fifo.pop(0)
            if self.cached[es] == ev:
                self.cached[es] = -1
            self.free += 1
        if self.free > 0:
            self.free -= 1
        else:
            cost += self.fresh
        self.fifo.append((s, self.version[s]))
        self.cached[s] = self.version[s]
        return cost

    def launch(self):
        idle = [s for s in range(SLOTS) if not self.busy[s]]
        held = [s for s in idle if self.version[s] >= 0]
        s = held[0] if held else idle[-1]
        cost = self._save(s) if self.version[s] >= 0 else 0.0
        self.busy[s] = True
        for i in range(SLOTS):
            if not self.busy[i] and self.version[i] >= 0:
                cost += self._save(i)
        return s, cost

    def finish(self, s):
        self.busy[s] = False
        self.version[s] += 1


def step(b, base, per):
    return SINGLE if b == 1 else base + per * b


def run(base, per, save, fresh, check_us=CHECK_US):
    """{level: (aggregate tokens/s, TTFT p50 ms)} over the fixture's whole sequence."""
    cache = Cache(save, fresh, check_us)
    s, _ = cache.launch()          # the client's 16-token warm-up
    cache.finish(s)
    out = {}
    for c in sorted(REAL):
        total, ttfts = 0.0, []
        for _ in range(ROUNDS[c]):
            launches = [cache.launch() for _ in range(c)]
            admit = sum(cost + PREFILL for _, cost in launches)
            first = admit + step(c, base, per)
            ttfts += [first + DELIVER] * c
            total += first + (OUT - 1) * step(c, base, per) + DELIVER + REACT
            for slot, _ in launches:
                cache.finish(slot)
        ttfts.sort()
        n = len(ttfts)
        p50 = ttfts[n // 2] if n % 2 else (ttfts[n // 2 - 1] + ttfts[n // 2]) / 2
        out[c] = (c * OUT * ROUNDS[c] / (total / 1000), p50)
    return out


def sq_error(x, check_us=CHECK_US):
    if min(x) < 0:
        return 1e9
    got = run(*x, check_us)
    return sum(((got[c][0] - REAL[c][0]) / REAL[c][0]) ** 2 + ((got[c][1] - REAL[c][1]) / REAL[c][1]) ** 2
               for c in FIT)


def fit(check_us):
    return minimize(sq_error, [7.4, 0.12, 5.0, 12.0], args=(check_us,), method="Nelder-Mead",
                    options={"maxiter": 4000, "xatol": 1e-6, "fatol": 1e-10})


def main():
    r = fit(CHECK_US)
    base, per, save, fresh = r.x
    print(f"stepBaseMs {base:.3f} stepPerSeqMs {per:.4f} cacheSaveMs {save:.3f} cacheFreshMs {fresh:.3f} "
          f"(cacheCheckUs {CHECK_US}, cacheEntries {ENTRIES}), sum of squares {r.fun:.4f}")
    got = run(*r.x)
    for c in sorted(REAL):
        a, t = got[c]
        held = "" if c in FIT else "   held out"
        print(f"  c={c:2d} {a:7.1f} tok/s ({(a - REAL[c][0]) / REAL[c][0]:+6.1%})  "
              f"TTFT {t:6.1f} ms ({(t - REAL[c][1]) / REAL[c][1]:+6.1%}){held}")
    print("how much the held-out c=32 TTFT depends on cacheCheckUs (refitted for each):")
    for check in (30, 40, 50, 70, 94, 120, 150, 180, 190):
        rs = fit(check)
        got = run(*rs.x, check)
        print(f"  cacheCheckUs {check}: c=32 {got[32][1]:.1f} ms ({(got[32][1] - REAL[32][1]) / REAL[32][1]:+.1%}), "
              f"c=8 {(got[8][1] - REAL[8][1]) / REAL[8][1]:+.1%}, c=2 {(got[2][1] - REAL[2][1]) / REAL[2][1]:+.1%}, "
              f"fit sum of squares {rs.fun:.4f}")


if __name__ == "__main__":
    main()
