"""Offline fit of the h100-llamacpp-8b emulator profile (see H100Calibration.java).

Usage (numpy and scipy):  SINGLE=5.65 WINDOW=2 LEVELS=1,4,16,64 python3 fit.py 16
  SINGLE  step time with one sequence (ms), read off the measured c=1 ITL
  WINDOW  gathering window of an idle server (ms)
  LEVELS  concurrency levels fitted; the argument(s) are maxAdmitPerStep values to try
Prints the fitted (stepBaseMs, stepPerSeqMs, stepExponent, prefill per request ms) and the emulated
vs measured aggregate tokens/s and TTFT p50 at every level of llamacpp-cuda-levels.json.
"""
from sim import sim
import os
import numpy as np
from scipy.optimize import minimize
real={1:(169.5,25.0),2:(249.4,40.9),4:(469.5,82.0),8:(832.3,168.6),16:(1394.2,293.4),32:(2530.5,251.7),64:(3231.0,615.8)}
def err(params, M, levels, dur=6.0, verbose=False):
    base,per,exp,pf=params
    if base<0 or per<0 or exp<=0.5 or pf<0: return 1e9
    e=0
    for c in levels:
        a,t,i=sim(c,base,per,exp,pf,M=M,dur=dur,single=SINGLE,window=WINDOW,spread=SPREAD)
        ra,rt=real[c]
        ea=(a-ra)/ra; et=(t-rt)/rt
        e+=ea*ea+et*et
        if verbose: print(c, round(a,1), ra, f"{ea:+.1%}", round(t,1), rt, f"{et:+.1%}", "itl", round(i,2))
    return e
import sys
WINDOW=float(os.environ.get('WINDOW','0'))
SPREAD=float(os.environ.get('SPREAD','0.0001'))
SINGLE=float(os.environ['SINGLE']) if os.environ.get('SINGLE') else None
import os
levels=[int(x) for x in os.environ.get("LEVELS","1,4,16,64").split(",")]
for M in [int(x) for x in sys.argv[1:]]:
    best=None
    for x0 in ([5.5,0.15,1.0,18],[7,0.05,1.3,15],[6,0.5,0.7,10]):
        r=minimize(err,x0,args=(M,levels),method='Nelder-Mead',options={'maxiter':400,'xatol':1e-3,'fatol':1e-5})
        if best is None or r.fun<best.fun: best=r
    print("M",M,"params",np.round(best.x,4),"err",round(best.fun,4))
    err(best.x,M,[1,2,4,8,16,32,64],verbose=True)
