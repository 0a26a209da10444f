"""Offline fit of the h100-llamacpp-8b emulator profile (see H100Calibration.java).

Usage (numpy and scipy):  python3 fit.py            scan maxAdmitPerStep 8..32, fit the rest
                          python3 fit.py 17         one value of maxAdmitPerStep

The model is the emulator's batched mode with joinDuringPrefill (every request of a round that
arrives while the step's prefills run joins the step, up to maxAdmitPerStep), driven the way the
fixture's users moved: in rounds of c requests sent together (every level's request count is a
multiple of c, and llama.cpp's n_decode_total equals Σ 128·requests/c plus the warm-up's 16, so
each decode carried all c streams). A round is deterministic, so it is computed, not simulated:
groups of at most M are admitted at successive step boundaries; a step lasts
step(b) + (requests admitted in it) × prefill; a group's first token comes at the end of its step.

Fitted on levels 1, 4, 16 and 64 (aggregate tokens/s and TTFT p50, relative errors, least
squares); 2, 8 and 32 are held out and only printed. stepSingleMs is read off the c=1 ITL (5.74 ms
measured, 5.65 ms of it the step), stepExponent is held at 0.5.
"""
import sys
from scipy.optimize import minimize

REAL = {1: (169.5, 25.0), 2: (249.4, 40.9), 4: (469.5, 82.0), 8: (832.3, 168.6),
        16: (1394.2, 293.4), 32: (2530.5, 251.7), 64: (3231.0, 615.8)}
SINGLE, EXPONENT, OUT, SLOTS = 5.65, 0.5, 128, 64
DELIVER, REACT = 0.3, 0.2  # ms: token to client, client to next round (measured in the emulator)


def round_of(c, base, per, prefill, M):
    """(aggregate tokens/s, TTFT p50 ms) of one round of c requests sent together."""
    step = lambda b: SINGLE if b == 1 else base + per * b ** EXPONENT
    t, waiting, running, ttfts = 0.0, c, [], []
    while waiting or running:
        g = min(M, waiting, SLOTS - len(running))
        waiting -= g
        running += [0] * g
        t += step(len(running)) + g * prefill
        ttfts += [t + DELIVER] * g
        running = [x + 1 for x in running if x + 1 < OUT]
    ttfts.sort()
    n = len(ttfts)
    p50 = ttfts[n // 2] if n % 2 else (ttfts[n // 2 - 1] + ttfts[n // 2]) / 2
    return c * OUT / ((t + DELIVER + REACT) / 1000), p50


def sq_error(x, M, levels):
    base, per, prefill = x
    if min(base, per, prefill) < 0:
        return 1e9
    e = 0.0
    for c in levels:
        a, t = round_of(c, base, per, prefill, M)
        e += ((a - REAL[c][0]) / REAL[c][0]) ** 2 + ((t - REAL[c][1]) / REAL[c][1]) ** 2
    return e


def main():
    ms = [int(a) for a in sys.argv[1:]] or range(8, 33)
    for M in ms:
        r = minimize(sq_error, [7.0, 0.49, 17.9], args=(M, [1, 4, 16, 64]), method="Nelder-Mead",
                     options={"maxiter": 4000, "xatol": 1e-6, "fatol": 1e-10})
        base, per, prefill = r.x
        rows = []
        for c in sorted(REAL):
            a, t = round_of(c, base, per, prefill, M)
            rows.append(f"c={c} {a:.0f} ({(a - REAL[c][0]) / REAL[c][0]:+.1%}) {t:.1f} ms ({(t - REAL[c][1]) / REAL[c][1]:+.1%})")
        print(f"maxAdmitPerStep {M}: stepBaseMs {base:.3f} stepPerSeqMs {per:.4f} prefill {prefill:.3f} ms, "
              f"sum of squares {r.fun:.4f}\n  " + "\n  ".join(rows))


if __name__ == "__main__":
    main()
