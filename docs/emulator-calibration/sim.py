"""Discrete-event replica of io.llmload.emulator.Scheduler (batched mode) under c closed-loop clients."""
import heapq, math, statistics
def sim(c, base, per, exp, pf, M=10**9, single=None, window=0.0, rjit=0.0, seed=1, maxb=64, out=128, dur=15.0, react=0.0003, spread=0.0001, deliver=0.0001):
    # returns agg tok/s (tokens completed / wall incl tail as in fixture), ttft p50 ms, itl mean ms
    import random
    rng=random.Random(seed)
    step=lambda b: (single if (single is not None and b==1) else base+per*b**exp)/1000
    arrivals=[(i*spread, i) for i in range(c)]  # (time, client)
    heapq.heapify(arrivals)
    waiting=[]; running=[]
    t=0; prevEnd=None; wasIdle=True
    stop_issue=dur
    ttfts=[]; itls=[]; tokens=0; last_end=0; nreq=0
    while True:
        # drain arrivals <= t
        while arrivals and arrivals[0][0] <= t+1e-12:
            a=heapq.heappop(arrivals); waiting.append({'recv':a[0],'cl':a[1],'gen':0})
        if not running and not waiting:
            if not arrivals: break
            t=arrivals[0][0]; wasIdle=True; continue
        if not running and wasIdle:
            t0=t
            if window>0:
                first=waiting[0]['recv']; cap=first+4*window/1000
                until=min(cap, waiting[-1]['recv']+window/1000)
                while arrivals and arrivals[0][0]<=until and len(waiting)<maxb:
                    a=heapq.heappop(arrivals); waiting.append({'recv':a[0],'cl':a[1],'gen':0})
                    until=min(cap, a[0]+window/1000)
                t0=max(t,until)
        else:
            t0=prevEnd if prevEnd is not None else t
        wasIdle=False
        pre=0; 
        adm=0
        while adm<M and len(running)<maxb and waiting and waiting[0]['recv']<=t0+1e-12:
            adm+=1; x=waiting.pop(0); x['adm']=t0; pre+=pf/1000; running.append(x)
        if not running:
            wasIdle=True; continue
        d=step(len(running))+pre
        dl=t0+d; t=dl
        keep=[]
        for x in running:
            if x['gen']==0: x['first']=dl
            x['gen']+=1; x['last']=dl
            if x['gen']>=out:
                tokens+=out; nreq+=1
                ttfts.append((x['first']+deliver-x['recv'])*1000)
                itls.append((x['last']-x['first'])/(out-1)*1000)
                end=dl+deliver; last_end=max(last_end,end)
                if end+react < stop_issue:
                    heapq.heappush(arrivals,(end+react+rng.random()*rjit,x['cl']))
            else: keep.append(x)
        running=keep; prevEnd=dl
    return tokens/last_end, statistics.median(ttfts), statistics.mean(itls)
