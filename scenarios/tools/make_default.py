#!/usr/bin/env python3
"""Generate scenarios/default.json: a consumer-electronics supply network.

Deterministic (fixed seed); re-run after editing and commit the output.
Tiers: raw materials -> components -> modules -> assembly plants -> ports
-> distribution centres -> retail markets.  Regions follow where such
industries actually cluster (wafers and chips in TW/KR/JP, assembly in CN/MX,
markets in US/EU/JP).
"""
import json
import random
import sys

rng = random.Random(20261130)
nodes, edges = [], []


def node(id, kind, region, **kw):
    n = {"id": id, "kind": kind, "region": region}
    n.update(kw)
    nodes.append(n)
    return id


def edge(f, t, **kw):
    e = {"from": f, "to": t}
    e.update(kw)
    edges.append(e)


def split(k):
    """Baseline shares for k substitute suppliers: a main one, then less."""
    table = {1: [1.0], 2: [0.6, 0.4], 3: [0.5, 0.3, 0.2], 4: [0.4, 0.3, 0.2, 0.1]}
    return table[k]


# Tier 4: raw materials (no inputs)
raw = {
    "wafer": [("RAW-WAFER-JP1", "JP"), ("RAW-WAFER-TW1", "TW"), ("RAW-WAFER-KR1", "KR")],
    "resin": [("RAW-RESIN-CN1", "CN"), ("RAW-RESIN-MY1", "MY")],
    "copper": [("RAW-CU-CL1", "CL"), ("RAW-CU-CN1", "CN")],
    "lithium": [("RAW-LI-AU1", "AU"), ("RAW-LI-CL1", "CL")],
    "glass": [("RAW-GLASS-JP1", "JP"), ("RAW-GLASS-CN1", "CN")],
    "steel": [("RAW-STEEL-CN1", "CN"), ("RAW-STEEL-KR1", "KR")],
}
for mat, lst in raw.items():
    for id, reg in lst:
        node(id, "supplier", reg, unit_value=round(rng.uniform(2, 6), 2),
             tags=["tier4", mat])

# Tier 3: components, each from one or two raw materials
components = {
    "chip": ([("CMP-CHIP-TW1", "TW"), ("CMP-CHIP-TW2", "TW"), ("CMP-CHIP-KR1", "KR")], ["wafer"]),
    "memory": ([("CMP-MEM-KR1", "KR"), ("CMP-MEM-KR2", "KR"), ("CMP-MEM-JP1", "JP")], ["wafer"]),
    "pcb": ([("CMP-PCB-CN1", "CN"), ("CMP-PCB-TW1", "TW"), ("CMP-PCB-MY1", "MY")], ["copper", "resin"]),
    "cell": ([("CMP-CELL-CN1", "CN"), ("CMP-CELL-KR1", "KR")], ["lithium"]),
    "panel": ([("CMP-PANEL-KR1", "KR"), ("CMP-PANEL-CN1", "CN"), ("CMP-PANEL-JP1", "JP")], ["glass"]),
    "housing": ([("CMP-HSG-CN1", "CN"), ("CMP-HSG-CN2", "CN"), ("CMP-HSG-MX1", "MX")], ["resin", "steel"]),
    "connector": ([("CMP-CON-CN1", "CN"), ("CMP-CON-MY1", "MY")], ["copper"]),
    "camera": ([("CMP-CAM-JP1", "JP"), ("CMP-CAM-CN1", "CN")], ["glass", "wafer"]),
}
raw_lead = {"TW": 10, "KR": 12, "JP": 12, "CN": 14, "MY": 14, "CL": 35, "AU": 28, "MX": 30}
for comp, (lst, mats) in components.items():
    for id, reg in lst:
        node(id, "supplier", reg, inventory_days=rng.choice([10, 14, 21]),
             unit_value=round(rng.uniform(8, 40), 2), tags=["tier3", comp])
        for mat in mats:
            srcs = raw[mat]
            k = 2 if len(srcs) >= 2 else 1
            chosen = rng.sample(srcs, k)
            for (sid, sreg), sh in zip(chosen, split(k)):
                edge(sid, id, input=mat, share=sh,
                     lead_time=max(3, raw_lead[sreg] + rng.randint(-2, 4)))

# Tier 2: modules
modules = {
    "mainboard": ([("MOD-MB-TW1", "TW"), ("MOD-MB-CN1", "CN"), ("MOD-MB-MX1", "MX")],
                  {"chip": 2, "memory": 2, "pcb": 1, "connector": 4}),
    "display": ([("MOD-DSP-CN1", "CN"), ("MOD-DSP-KR1", "KR")], {"panel": 1, "connector": 1}),
    "power": ([("MOD-PWR-CN1", "CN"), ("MOD-PWR-MY1", "MY")], {"cell": 3, "pcb": 1, "connector": 1}),
    "camera_mod": ([("MOD-CAM-CN1", "CN"), ("MOD-CAM-JP1", "JP")], {"camera": 2, "pcb": 1}),
    "enclosure": ([("MOD-ENC-CN1", "CN"), ("MOD-ENC-MX1", "MX")], {"housing": 1, "connector": 2}),
}
comp_ids = {c: [i for i, _ in lst] for c, (lst, _) in components.items()}
comp_reg = {i: r for c, (lst, _) in components.items() for i, r in lst}


def lead(a, b):
    if a == b:
        return rng.randint(2, 4)
    near = {frozenset(p) for p in [("TW", "CN"), ("KR", "CN"), ("JP", "KR"), ("JP", "TW"),
                                    ("MY", "CN"), ("MY", "TW"), ("US", "MX")]}
    if frozenset((a, b)) in near:
        return rng.randint(4, 8)
    return rng.randint(18, 28)


for mod, (lst, bom) in modules.items():
    for id, reg in lst:
        node(id, "plant", reg, inventory_days=rng.choice([7, 10, 14]),
             unit_value=round(rng.uniform(60, 160), 2), tags=["tier2", mod])
        for comp, ratio in bom.items():
            srcs = comp_ids[comp]
            k = min(len(srcs), rng.choice([1, 2, 2, 3]))
            chosen = rng.sample(srcs, k)
            for sid, sh in zip(chosen, split(k)):
                edge(sid, id, input=comp, ratio=ratio, share=sh,
                     lead_time=lead(comp_reg[sid], reg))

# Standby: a US foundry can be switched on for mainboard chips in MX
node("CMP-CHIP-US-BKP", "supplier", "US", capacity=900, unit_value=45,
     inventory_days=14, tags=["tier3", "chip", "backup"])
edge("RAW-WAFER-JP1", "CMP-CHIP-US-BKP", input="wafer", lead_time=20)
edge("CMP-CHIP-US-BKP", "MOD-MB-MX1", input="chip", ratio=2, standby=True,
     standby_share=0.6, activation_delay=10, lead_time=4)

# Tier 1: final assembly plants
plants = [("ASM-CN1", "CN"), ("ASM-CN2", "CN"), ("ASM-MX1", "MX"), ("ASM-CZ1", "CZ")]
mod_ids = {m: [i for i, _ in lst] for m, (lst, _) in modules.items()}
mod_reg = {i: r for m, (lst, _) in modules.items() for i, r in lst}
for id, reg in plants:
    node(id, "plant", reg, inventory_days=rng.choice([5, 7]), unit_value=420,
         tags=["tier1", "assembly"])
    for mod in modules:
        srcs = mod_ids[mod]
        k = min(len(srcs), 2)
        chosen = rng.sample(srcs, k)
        for sid, sh in zip(chosen, split(k)):
            edge(sid, id, input=mod, share=sh, lead_time=lead(mod_reg[sid], reg))

# Ports (outbound hubs) and distribution centres
ports = [("PORT-SHANGHAI", "CN"), ("PORT-SHENZHEN", "CN"), ("PORT-VERACRUZ", "MX"),
         ("PORT-HAMBURG", "DE")]
for id, reg in ports:
    node(id, "port", reg, inventory_days=2, unit_value=430, tags=["logistics"])
edge("ASM-CN1", "PORT-SHANGHAI", input="product", share=0.7, lead_time=2)
edge("ASM-CN2", "PORT-SHANGHAI", input="product", share=0.3, lead_time=3)
edge("ASM-CN2", "PORT-SHENZHEN", input="product", share=0.6, lead_time=2)
edge("ASM-CN1", "PORT-SHENZHEN", input="product", share=0.4, lead_time=3)
edge("ASM-MX1", "PORT-VERACRUZ", input="product", lead_time=2)
edge("ASM-CZ1", "PORT-HAMBURG", input="product", lead_time=3)

dcs = [("DC-US-WEST", "US"), ("DC-US-EAST", "US"), ("DC-DE", "DE"), ("DC-FR", "FR"),
       ("DC-UK", "UK"), ("DC-JP", "JP"), ("DC-BR", "BR"), ("DC-MX", "MX")]
dc_sources = {
    "DC-US-WEST": [("PORT-SHANGHAI", 0.5, 18), ("PORT-SHENZHEN", 0.3, 19), ("ASM-MX1", 0.2, 5)],
    "DC-US-EAST": [("PORT-VERACRUZ", 0.6, 8), ("PORT-SHANGHAI", 0.4, 32)],
    "DC-DE": [("PORT-HAMBURG", 0.5, 2), ("PORT-SHANGHAI", 0.5, 35)],
    "DC-FR": [("PORT-HAMBURG", 0.6, 3), ("PORT-SHENZHEN", 0.4, 34)],
    "DC-UK": [("PORT-HAMBURG", 0.4, 4), ("PORT-SHANGHAI", 0.6, 33)],
    "DC-JP": [("PORT-SHANGHAI", 0.7, 4), ("PORT-SHENZHEN", 0.3, 5)],
    "DC-BR": [("PORT-VERACRUZ", 0.5, 16), ("PORT-SHENZHEN", 0.5, 38)],
    "DC-MX": [("ASM-MX1", 1.0, 2)],
}
for id, reg in dcs:
    node(id, "warehouse", reg, inventory_days=rng.choice([7, 10]), unit_value=450,
         tags=["distribution"])
    for sid, sh, lt in dc_sources[id]:
        edge(sid, id, input="product", share=sh, lead_time=lt)

# Retail markets (final demand)
market_region = {"DC-US-WEST": "US", "DC-US-EAST": "US", "DC-DE": "DE", "DC-FR": "FR",
                 "DC-UK": "UK", "DC-JP": "JP", "DC-BR": "BR", "DC-MX": "MX"}
count = {"DC-US-WEST": 7, "DC-US-EAST": 7, "DC-DE": 5, "DC-FR": 4, "DC-UK": 4,
         "DC-JP": 5, "DC-BR": 3, "DC-MX": 3}
for dc, n in count.items():
    for k in range(n):
        id = f"MKT-{market_region[dc]}-{dc.split('-')[-1]}{k + 1}"
        node(id, "customer", market_region[dc], demand=rng.choice([10, 15, 20, 25, 30, 40]),
             unit_value=rng.choice([499, 549, 599]), inventory_days=rng.choice([3, 5, 7]),
             tags=["market"])
        edge(dc, id, input="product", lead_time=rng.randint(1, 3))

scenario = {
    "name": "electronics-default",
    "description": "Consumer-electronics supply network: raw materials in Asia, "
                   "Chile and Australia; components and modules in East Asia; "
                   "assembly in China, Mexico and Czechia; ocean freight through "
                   "four ports to eight distribution centres serving 38 markets. "
                   "Scripted disruptions: a chip-fab fire, a Shanghai port closure "
                   "and a strike at the Czech plant that eases off. Random threats: "
                   "typhoons (TW, CN) and earthquakes (JP), shipping disruptions "
                   "out of the Chinese ports, site fires and breakdowns, an "
                   "adversary targeting high-flow sites, and ransomware spreading "
                   "between suppliers.",
    "horizon_days": 365,
    "replications": 1000,
    "seed": 1,
    "model": {"replenishment_days": 6, "spare_capacity": 0.1,
              "inventory_days": 7, "service_target": 0.99},
    "network": {"name": "electronics", "nodes": nodes, "edges": edges},
    "threats": [
        {"type": "scripted", "name": "fab fire", "node": "CMP-CHIP-TW1",
         "onset": 60, "duration": 90, "severity": 1.0},
        {"type": "scripted", "name": "Shanghai port closure", "node": "PORT-SHANGHAI",
         "onset": 170, "duration": 30, "severity": 1.0},
        {"type": "scripted", "name": "Czech strike", "node": "ASM-CZ1",
         "onset": 270, "duration": 40, "severity": 0.9, "profile": "linear"},
        {"type": "regional", "name": "typhoon", "regions": ["TW", "CN"],
         "rate_per_year": 0.5,
         "duration": {"dist": "lognormal", "mean": 5, "sd": 3},
         "severity": {"dist": "uniform", "min": 0.2, "max": 0.6},
         "profile": "linear"},
        {"type": "regional", "name": "earthquake", "regions": ["JP", "TW"],
         "rate_per_year": 0.08,
         "duration": {"dist": "lognormal", "mean": 45, "sd": 30},
         "severity": {"dist": "pert", "min": 0.3, "mode": 0.7, "max": 1.0}},
        {"type": "edge_hazard", "name": "shipping disruption",
         "edges": {"from": {"kinds": ["port"], "regions": ["CN"]}},
         "rate_per_year": 0.25,
         "duration": {"dist": "triangular", "min": 3, "mode": 10, "max": 40},
         "severity": 1.0},
        {"type": "node_hazard", "name": "fire or breakdown",
         "nodes": {"kinds": ["supplier", "plant"]}, "rate_per_year": 0.04,
         "duration": {"dist": "exponential", "mean": 25},
         "severity": {"dist": "uniform", "min": 0.5, "max": 1.0}},
        {"type": "attack", "name": "sabotage and cargo theft",
         "candidates": {"kinds": ["port", "plant", "warehouse"]},
         "attempts_per_year": 2, "targeting": "flow", "choice": "weighted",
         "p_success": 0.25,
         "duration": {"dist": "gamma", "shape": 2, "scale": 4},
         "severity": 0.8},
        {"type": "cyber", "name": "ransomware",
         "entry": {"tags": ["tier3", "tier2"]}, "rate_per_year": 0.5,
         "beta": 0.06, "max_days": 21,
         "duration": {"dist": "pert", "min": 3, "mode": 8, "max": 25},
         "severity": 0.9},
    ],
    "strategies": [],
    "stress": {"ttr_days": 30, "nodes": "all"},
}
json.dump(scenario, sys.stdout, indent=1)
sys.stdout.write("\n")
