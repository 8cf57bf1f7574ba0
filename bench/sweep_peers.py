#!/usr/bin/python3
"""The structural sweep (`ripple sweep`, docs/sweep.md) against the same
curves computed with python-igraph and with NetworkX, on the same network
and the same removal orders, one curve each.

The peers are written the way an analyst would write them with each
library: at every point of the grid (K fractions removed) the present
nodes' subgraph is taken and its largest connected component measured
(igraph: induced_subgraph + connected_components; NetworkX: subgraph view
+ connected_components), and the served demand and supply availability
are recomputed from scratch by the AND/OR fixed point (igraph version:
vectorised with NumPy over the edge arrays; NetworkX version: plain Python
over the graph's predecessors).  `ripple sweep` adds the nodes back once
in reverse order (O(N + E) per curve).  The orders are the graph-only ones (random,
degree, degree_adaptive, betweenness); flow and demand need the model's
baseline and cost ripple the same as degree.

usage: sweep_peers.py RIPPLE NETWORK.json [--orders a,b] [--fractions K]
           [--reps R] [--peers igraph,networkx] [--nx-network SMALL.json]

NETWORK.json is a network file (as `ripple generate` writes) or a scenario
naming one.  --nx-network: run NetworkX on this (smaller) network instead
and scale its time by (N + E) to NETWORK's size (said in the output).
Prints one line per (order, tool): CPU seconds per curve (CPU time, not
the wall clock: on a shared machine the wall clock counts the other
programs too; ripple reports its own), and the largest
difference from ripple's mean curve (random orders differ by their draws:
that difference is sampling, not error)."""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np


def load(path):
    """(ids, src, dst, grp, ngroups, F): edges as node indices, each
    edge's input group (buyer, input) as a dense index."""
    with open(path) as f:
        doc = json.load(f)
    if isinstance(doc.get("network"), str):
        base = os.path.dirname(os.path.abspath(path))
        with open(os.path.join(base, doc["network"])) as f:
            doc = json.load(f)
    elif isinstance(doc.get("network"), dict):
        doc = doc["network"]
    ids = [n["id"] for n in doc["nodes"]]
    index = {k: i for i, k in enumerate(ids)}
    F = np.array([float(n.get("demand", 0)) for n in doc["nodes"]])
    src = np.array([index[e["from"]] for e in doc["edges"]], dtype=np.int64)
    dst = np.array([index[e["to"]] for e in doc["edges"]], dtype=np.int64)
    keys = {}
    grp = np.empty(len(src), dtype=np.int64)
    for k, e in enumerate(doc["edges"]):
        key = (e["to"], e.get("input", e["from"]))
        grp[k] = keys.setdefault(key, len(keys))
    gbuyer = np.empty(len(keys), dtype=np.int64)
    gbuyer[grp] = dst
    ngroups = np.bincount(gbuyer, minlength=len(ids))
    return ids, src, dst, grp, gbuyer, ngroups, F


# ---- served demand and availability by the fixed point -------------------

def served_numpy(present, src, dst, grp, gbuyer, ngroups, F, dem):
    N = len(present)
    func = present & (ngroups == 0)
    while True:
        ok_edge = func[src]
        has = np.zeros(len(gbuyer), dtype=bool)
        has[grp[ok_edge]] = True
        full = np.bincount(gbuyer[has], minlength=N) == ngroups
        new = present & full
        if np.array_equal(new, func):
            break
        func = new
    fed = np.bincount(dst[func[src]], minlength=N) > 0
    avail = present & dem & ((ngroups == 0) | fed)
    return F[func].sum() / F.sum(), avail.sum() / dem.sum()


def served_python(present, preds, ngroups, F, dem_nodes, topo_hint):
    """Plain Python: repeat passes until nothing changes.  preds[v]: list
    of (group, supplier)."""
    N = len(present)
    func = [False] * N
    changed = True
    while changed:
        changed = False
        for v in topo_hint:
            if func[v] or not present[v]:
                continue
            got = set()
            for g, u in preds[v]:
                if func[u]:
                    got.add(g)
            if len(got) == ngroups[v]:
                func[v] = True
                changed = True
    tot = sum(F[v] for v in dem_nodes)
    served = sum(F[v] for v in dem_nodes if func[v])
    avail = 0
    for v in dem_nodes:
        if present[v] and (ngroups[v] == 0 or
                           any(func[u] for _, u in preds[v])):
            avail += 1
    return served / tot, avail / len(dem_nodes)


# ---- orders --------------------------------------------------------------

def order_of(name, N, src, dst, rng, ig=None, nxg=None):
    """A removal order (first removed first), ties at random."""
    tie = rng.permutation(N)
    if name == "random":
        return tie
    deg = np.bincount(src, minlength=N) + np.bincount(dst, minlength=N)
    if name == "degree":
        return np.lexsort((tie, -deg))
    if name == "betweenness":
        if ig is not None:
            b = np.array(ig.betweenness(directed=True))
        else:
            import networkx as nx
            bc = nx.betweenness_centrality(nxg, normalized=False)
            b = np.array([bc[v] for v in range(N)])
        return np.lexsort((tie, -b))
    if name == "degree_adaptive":
        # recomputed after every removal, the library's way
        out = []
        if ig is not None:
            g = ig.copy()
            g.vs["orig"] = list(range(N))
            while g.vcount() > 0:
                d = np.array(g.degree())
                v = int(np.argmax(d))
                out.append(g.vs[v]["orig"])
                g.delete_vertices(v)
        else:
            g = nxg.to_undirected(as_view=False) if nxg.is_directed() \
                else nxg.copy()
            while g.number_of_nodes() > 0:
                v = max(g.degree, key=lambda t: t[1])[0]
                out.append(v)
                g.remove_node(v)
        return np.array(out)
    raise SystemExit(f"order {name}: not in the peers (graph-only orders)")


def curve_igraph(order, K, g_und, src, dst, grp, gbuyer, ngroups, F):
    N = len(F)
    dem = F > 0
    out = np.zeros((3, K))
    for k in range(K):
        removed = int(round(k / (K - 1) * N))
        present = np.ones(N, dtype=bool)
        present[order[:removed]] = False
        keep = np.flatnonzero(present)
        if len(keep):
            sub = g_und.induced_subgraph(keep.tolist())
            sizes = sub.connected_components().sizes()
            out[0, k] = max(sizes) / N
        out[1, k], out[2, k] = served_numpy(present, src, dst, grp, gbuyer,
                                            ngroups, F, dem)
    return out


def curve_networkx(order, K, G, preds, ngroups, F, dem_nodes, topo):
    import networkx as nx
    N = len(F)
    out = np.zeros((3, K))
    for k in range(K):
        removed = int(round(k / (K - 1) * N))
        present = [True] * N
        for v in order[:removed]:
            present[int(v)] = False
        sub = G.subgraph([v for v in range(N) if present[v]])
        if sub.number_of_nodes():
            out[0, k] = max(len(c) for c in nx.connected_components(sub)) / N
        out[1, k], out[2, k] = served_python(present, preds, ngroups, F,
                                             dem_nodes, topo)
    return out


def run_ripple(ripple, net, order, K, reps, tmp):
    with open(net) as f:
        is_net = '"network"' not in f.read(4096)
    scen = net  # a scenario, or a network file wrapped in one
    if is_net:
        scen = os.path.join(tmp, "scen.json")
        with open(scen, "w") as f:
            json.dump({"name": "bench", "network": os.path.abspath(net),
                       "horizon_days": 10, "replications": 1, "seed": 1}, f)
    out = os.path.join(tmp, "s.h5")
    p = subprocess.run([ripple, "sweep", scen, "-o", out, "-r", str(reps),
                        "-j", "1", "--orders", order, "--fractions", str(K)],
                       capture_output=True, text=True, check=True)
    m = re.search(r"loading ([\d.]+) s, sweep [\d.]+ s \(CPU ([\d.]+) s\)",
                  p.stdout)
    with h5py.File(out, "r") as f:
        mean = np.stack([f["sweep/" + m_ + "_mean"][0] for m_ in
                         ("giant_component", "served_demand",
                          "supply_availability")])
    return float(m.group(2)) / reps, float(m.group(1)), mean


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ripple")
    ap.add_argument("network")
    ap.add_argument("--orders", default="random,degree")
    ap.add_argument("--fractions", type=int, default=101)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--peers", default="igraph,networkx")
    ap.add_argument("--nx-network", default=None)
    a = ap.parse_args()
    peers = a.peers.split(",") if a.peers else []
    t0 = time.process_time()
    ids, src, dst, grp, gbuyer, ngroups, F = load(a.network)
    N, E = len(ids), len(src)
    print(f"network {a.network}: {N} nodes, {E} links "
          f"(read in {time.process_time() - t0:.1f} s); K = {a.fractions}")
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        ig_und = ig_dir = None
        if "igraph" in peers:
            import igraph
            edges = np.stack([src, dst], axis=1).tolist()
            ig_dir = igraph.Graph(n=N, edges=edges, directed=True)
            ig_und = ig_dir.as_undirected(mode="each")
        nx_data = None
        if "networkx" in peers:
            import networkx as nx
            nnet = a.nx_network or a.network
            nids, nsrc, ndst, ngrp, ngb, nng, nF = (
                load(nnet) if a.nx_network else
                (ids, src, dst, grp, gbuyer, ngroups, F))
            NN, NE = len(nids), len(nsrc)
            G = nx.MultiGraph()
            G.add_nodes_from(range(NN))
            G.add_edges_from(zip(nsrc.tolist(), ndst.tolist()))
            D = nx.DiGraph()
            D.add_nodes_from(range(NN))
            D.add_edges_from(zip(nsrc.tolist(), ndst.tolist()))
            preds = [[] for _ in range(NN)]
            for g_, u, v in zip(ngrp.tolist(), nsrc.tolist(), ndst.tolist()):
                preds[v].append((g_, u))
            try:
                topo = list(nx.topological_sort(D))
            except nx.NetworkXUnfeasible:
                topo = list(range(NN))
            scale = (N + E) / (NN + NE)
            nx_data = (G, D, preds, nng.tolist(), nF.tolist(),
                       [v for v in range(NN) if nF[v] > 0], topo, scale,
                       NN, nsrc, ndst)
            if a.nx_network:
                print(f"NetworkX on {nnet}: {NN} nodes, {NE} links; its "
                      f"times are scaled by (N + E) ratio {scale:.2f}")
        for order in a.orders.split(","):
            per, load_s, mean = run_ripple(a.ripple, a.network, order,
                                           a.fractions, a.reps, tmp)
            print(f"{order:16s} ripple    {per:10.4f} s a curve "
                  f"(mean of {a.reps}, one core; loading {load_s:.1f} s)")
            if ig_und is not None:
                t = time.process_time()
                o = order_of(order, N, src, dst, rng, ig=ig_dir)
                t_o = time.process_time() - t
                c = curve_igraph(o, a.fractions, ig_und, src, dst, grp,
                                 gbuyer, ngroups, F)
                dt = time.process_time() - t
                print(f"{order:16s} igraph    {dt:10.4f} s a curve "
                      f"(order {t_o:.3f} s) = {dt / per:8.1f} x ripple; "
                      f"max |diff| {np.abs(c - mean).max():.4f}")
            if nx_data is not None:
                (G, D, preds, nng, nF, dnodes, topo, scale, NN, nsrc,
                 ndst) = nx_data
                t = time.process_time()
                o = order_of(order, NN, nsrc, ndst, rng, nxg=D)
                t_o = time.process_time() - t
                c = curve_networkx(o, a.fractions, G, preds, nng, nF, dnodes,
                                   topo)
                dt = (time.process_time() - t) * scale
                diff = "" if a.nx_network else \
                    f"; max |diff| {np.abs(c - mean).max():.4f}"
                print(f"{order:16s} networkx  {dt:10.4f} s a curve "
                      f"(order {t_o * scale:.3f} s"
                      f"{', scaled' if a.nx_network else ''}) = "
                      f"{dt / per:8.1f} x ripple{diff}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
