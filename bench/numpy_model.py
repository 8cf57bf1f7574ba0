#!/usr/bin/env python3
"""The Ripple model (version 2: with health) written the way an analyst would
write it in Python: NumPy, vectorised over edges, one replication at a
time.  Scripted events only: a scenario with random threats (hazards,
attacks, cyber) is refused (exit status 3), since sampling them the way
Ripple does is not part of this model.  Used by bench/run.sh as the
comparison and as an independent check of the C engine's numbers.

usage: numpy_model.py SCENARIO.json [--reps N]
prints: lost_units lost_value seconds_per_replication
"""
import json
import os
import sys
import time

import numpy as np


def load(path):
    with open(path) as f:
        sc = json.load(f)
    net = sc["network"]
    if isinstance(net, str):
        with open(os.path.join(os.path.dirname(path), net)) as f:
            net = json.load(f)
    return sc, net


def build(sc, net):
    mp = sc.get("model", {})
    tau = mp.get("replenishment_days", 6.0)
    sigma = mp.get("spare_capacity", 0.1)
    inv_default = mp.get("inventory_days", 7.0)
    nodes = net["nodes"]
    idx = {n["id"]: i for i, n in enumerate(nodes)}
    N = len(nodes)
    F = np.array([n.get("demand", 0.0) for n in nodes], float)
    v = np.array([n.get("unit_value", 1.0) for n in nodes], float)
    ninv = np.array([n.get("inventory_days", inv_default) for n in nodes], float)
    capg = np.array([n.get("capacity", np.nan) for n in nodes], float)
    E = net.get("edges", [])
    src = np.array([idx[e["from"]] for e in E], int)
    dst = np.array([idx[e["to"]] for e in E], int)
    inp = [e.get("input", e["from"]) for e in E]
    ratio = np.array([e.get("ratio", 1.0) for e in E], float)
    L = np.array([e.get("lead_time", 1) for e in E], int)
    sb = np.array([bool(e.get("standby", False)) for e in E])
    b = np.array([e.get("standby_share", 1.0) for e in E], float)
    d = np.array([e.get("activation_delay", 0) for e in E], int)
    gkey = {}
    grp = np.array([gkey.setdefault((dst[k], inp[k]), len(gkey)) for k in range(len(E))], int)
    G = len(gkey)
    nprim = np.bincount(grp[~sb], minlength=G)
    share = np.array([0.0 if sb[k] else E[k].get("share", 1.0 / nprim[grp[k]])
                      for k in range(len(E))], float)
    gnode = np.zeros(G, int)
    gnode[grp] = dst
    gratio = np.zeros(G)
    gratio[grp] = ratio
    # baseline: x <- F + M x
    x = F.copy()
    coef = share * ratio
    for _ in range(100000):
        xn = F + np.bincount(src, weights=coef * x[dst], minlength=N)
        ch = np.max(np.abs(xn - x))
        x = xn
        if ch <= 1e-12 * max(1.0, x.max()):
            break
    cap = np.where(np.isnan(capg), (1 + sigma) * x, capg)
    f0 = share * ratio * x[dst]
    return dict(N=N, F=F, v=v, ninv=ninv, x0=x, cap=cap, src=src, dst=dst, grp=grp,
                G=G, gnode=gnode, gratio=gratio, share=share, L=L, sb=sb, b=b, d=d,
                f0=f0, tau=tau, target=mp.get("service_target", 0.99), idx=idx)


def run(m, events, T):
    N, G, E = m["N"], m["G"], len(m["src"])
    src, dst, grp, L = m["src"], m["dst"], m["grp"], m["L"]
    S = m["ninv"][m["gnode"]] * m["gratio"] * m["x0"][m["gnode"]]
    Lmax = int(L.max()) if E else 1
    pipe = np.zeros((Lmax + 1, E))     # pipe[t mod (Lmax+1), e]
    for s in range(Lmax):
        pipe[s % (Lmax + 1), L > s] = m["f0"][L > s]
    O = m["f0"].copy()
    cnt = np.zeros(G)
    h = np.ones(N)                     # health, yesterday's
    prim = ~m["sb"]
    lost_units = lost_value = 0.0
    sumF = m["F"].sum()
    sl = np.empty(T)
    for t in range(T):
        surv_n = np.ones(N)
        surv_e = np.ones(E)
        for ev in events:
            mday = t - ev["onset"]
            if 0 <= mday < ev["duration"]:
                s = ev["severity"] * (1 - mday / ev["duration"] if ev["profile"] == "linear" else 1)
                if ev["edge"]:
                    surv_e[ev["target"]] *= 1 - s
                else:
                    surv_n[ev["target"]] *= 1 - s
        delta, eps = 1 - surv_n, 1 - surv_e
        row = t % (Lmax + 1)
        S += np.bincount(grp, weights=pipe[row], minlength=G)
        pipe[row] = 0
        D = m["F"] + np.bincount(src, weights=O * (1 - eps), minlength=N)
        lim = np.full(N, np.inf)
        np.minimum.at(lim, m["gnode"], S / m["gratio"])
        P = np.minimum(m["cap"] * (1 - delta), lim)
        xo = np.minimum(P, D)
        r = np.where(D > 0, xo / np.where(D > 0, D, 1), 0)
        ship = r[src] * O * (1 - eps)
        y = r * m["F"]
        lost = m["F"] - y
        S = np.maximum(0, S - m["gratio"] * xo[m["gnode"]])
        pipe[(t + L) % (Lmax + 1), np.arange(E)] = ship
        x0 = m["x0"]
        # health: own capacity share, and each input's healthy share of
        # primary suppliers (their health of yesterday), one tier a day
        xs = np.where(x0 > 0, x0, 1)
        hn = np.where(x0 > 0, np.minimum(1, m["cap"] * (1 - delta) / xs),
                      (delta < 1) * 1.0)
        gh = np.bincount(grp[prim], weights=(m["share"] * (1 - eps) * h[src])[prim],
                         minlength=G)
        np.minimum.at(hn, m["gnode"], np.minimum(1, gh))
        h = hn
        alpha = np.where(x0 > 0, np.minimum(1, P / xs), (P > 0) * 1.0)
        alpha = np.maximum(alpha, h)
        ae = alpha[src] * (1 - eps)
        A = np.bincount(grp[prim], weights=(m["share"] * ae)[prim], minlength=G)
        cnt = np.where(A < 1 - 1e-9, cnt + 1, 0)
        raw = np.where(prim, m["share"] * ae,
                       np.where(cnt[grp] > m["d"], m["b"] * ae * (1 - A[grp]), 0))
        tot = np.bincount(grp, weights=raw, minlength=G)
        w = np.where(tot[grp] > 0, raw / np.where(tot[grp] > 0, tot[grp], 1),
                     np.where(prim, m["share"], 0))
        k = m["gnode"]
        u = m["gratio"] * np.minimum(D[k], m["cap"][k] * (1 - delta[k]))
        Wstar = u * np.bincount(grp, weights=w * L, minlength=G)
        transit = pipe.sum(axis=0)
        Pi = np.bincount(grp, weights=transit, minlength=G)
        Q = np.maximum(0, u + (m["ninv"][k] * u - S) / m["tau"] + (Wstar - Pi) / m["tau"])
        O = w * Q[grp]
        lost_units += lost.sum()
        lost_value += (m["v"] * lost).sum()
        sl[t] = y.sum() / sumF
    return lost_units, lost_value, sl


def main():
    path = sys.argv[1]
    reps = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 1
    sc, net = load(path)
    m = build(sc, net)
    edges_by_pair = {}
    for k, e in enumerate(net.get("edges", [])):
        edges_by_pair.setdefault((e["from"], e["to"]), []).append(k)
    events = []
    random_types = sorted({th["type"] for th in sc.get("threats", [])
                           if th["type"] != "scripted"})
    if random_types:
        sys.stderr.write(f"numpy_model.py: {path}: random threats "
                         f"({', '.join(random_types)}) are not supported; "
                         "scripted events only\n")
        sys.exit(3)
    for th in sc.get("threats", []):
        base = dict(onset=th["onset"], duration=th["duration"],
                    severity=th.get("severity", 1.0), profile=th.get("profile", "step"))
        if "node" in th:
            events.append(dict(base, edge=False, target=m["idx"][th["node"]]))
        else:
            for k in edges_by_pair[(th["edge"]["from"], th["edge"]["to"])]:
                events.append(dict(base, edge=True, target=k))
    T = sc.get("horizon_days", 365)
    t0 = time.perf_counter()
    for _ in range(reps):
        lu, lv, sl = run(m, events, T)
    dt = (time.perf_counter() - t0) / reps
    print(f"{lu:.12g} {lv:.12g} {dt:.6f}")


if __name__ == "__main__":
    main()
