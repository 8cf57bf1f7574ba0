#!/usr/bin/env python3
"""Generate the bundled scenarios other than default.json:

  scenarios/pharma.json        + networks/pharma.json   (network by path)
  scenarios/auto_chips.json    + networks/auto_chips.json

Deterministic; re-run after editing and commit the output.
"""
import json
import os
import random

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)


def write(path, obj):
    with open(os.path.join(root, path), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


# --------------------------------------------------------------------------
# Generic pharmaceuticals: APIs from India and China, excipients from Europe,
# formulation in Ireland, Germany and India, packaging in Poland, then
# distribution to hospitals and wholesalers in the EU, US and India.
rng = random.Random(2868)
nodes, edges = [], []


def node(id, kind, region, **kw):
    d = {"id": id, "kind": kind, "region": region}
    d.update(kw)
    nodes.append(d)


def edge(f, t, **kw):
    d = {"from": f, "to": t}
    d.update(kw)
    edges.append(d)


for id, reg in [("API-IN-HYD", "IN"), ("API-IN-VIZ", "IN"), ("API-IN-AHD", "IN"),
                ("API-CN-ZJ", "CN"), ("API-CN-SD", "CN"), ("API-IT-MI", "IT")]:
    node(id, "supplier", reg, unit_value=40, inventory_days=20, ttr_days=90,
         tags=["api"])
for id, reg in [("KSM-CN-HB", "CN"), ("KSM-CN-JS", "CN")]:
    node(id, "supplier", reg, unit_value=8, tags=["ksm"], ttr_days=60)
for api in ["API-IN-HYD", "API-IN-VIZ", "API-IN-AHD", "API-CN-ZJ", "API-CN-SD"]:
    edge("KSM-CN-HB", api, input="ksm", share=0.7, lead_time=21)
    edge("KSM-CN-JS", api, input="ksm", share=0.3, lead_time=21)
node("EXC-DE", "supplier", "DE", unit_value=3, tags=["excipient"])
node("EXC-FR", "supplier", "FR", unit_value=3, tags=["excipient"])
node("PKG-PL", "supplier", "PL", unit_value=1, inventory_days=10, tags=["packaging"])
plants = {"FORM-IE": ("IE", {"API-IN-HYD": 0.5, "API-CN-ZJ": 0.3, "API-IT-MI": 0.2}),
          "FORM-DE": ("DE", {"API-IN-VIZ": 0.6, "API-CN-SD": 0.4}),
          "FORM-IN": ("IN", {"API-IN-AHD": 0.7, "API-IN-HYD": 0.3})}
for pid, (reg, apis) in plants.items():
    node(pid, "plant", reg, unit_value=60, inventory_days=30, ttr_days=120,
         tags=["formulation"])
    for api, sh in apis.items():
        far = nodes[[n["id"] for n in nodes].index(api)]["region"] != reg
        edge(api, pid, input="api", share=sh, lead_time=35 if far else 5)
    edge("EXC-DE", pid, input="excipient", share=0.5, ratio=4,
         lead_time=4 if reg != "IN" else 30)
    edge("EXC-FR", pid, input="excipient", share=0.5, ratio=4,
         lead_time=5 if reg != "IN" else 30)
    edge("PKG-PL", pid, input="packaging", lead_time=4 if reg != "IN" else 28)
for dc, reg, srcs in [("DC-EU", "NL", {"FORM-IE": 0.5, "FORM-DE": 0.5}),
                      ("DC-US", "US", {"FORM-IE": 0.6, "FORM-IN": 0.4}),
                      ("DC-IN", "IN", {"FORM-IN": 1.0})]:
    node(dc, "warehouse", reg, unit_value=65, inventory_days=21, tags=["distribution"])
    for src, sh in srcs.items():
        lt = {("FORM-IE", "US"): 12, ("FORM-IN", "US"): 30}.get((src, reg), 3)
        edge(src, dc, input="product", share=sh, lead_time=lt)
for dc, reg, n in [("DC-EU", "EU", 8), ("DC-US", "US", 8), ("DC-IN", "IN", 4)]:
    for k in range(n):
        cid = f"HOSP-{reg}-{k + 1:02d}"
        node(cid, "customer", reg, demand=rng.choice([200, 400, 600, 800]),
             unit_value=rng.choice([90, 120, 150]), inventory_days=rng.choice([7, 10, 14]),
             tags=["hospital" if k % 2 == 0 else "wholesale"])
        edge(dc, cid, input="product", lead_time=rng.randint(1, 3))

write("networks/pharma.json", {"name": "generic-pharma", "nodes": nodes, "edges": edges})
write("pharma.json", {
    "name": "generic-pharma",
    "description": "Generic medicines: key starting materials from China, APIs "
                   "from India, China and Italy, formulation in Ireland, Germany "
                   "and India. Threats: monsoon floods in India, lockdowns in "
                   "China, regulatory import alerts on API plants, Red Sea / Suez "
                   "shipping disruptions, and ransomware among the distributors.",
    "network": "networks/pharma.json",
    "horizon_days": 365, "replications": 2000, "seed": 7,
    "model": {"replenishment_days": 10, "spare_capacity": 0.15,
              "inventory_days": 14, "service_target": 0.98},
    "threats": [
        {"type": "regional", "name": "monsoon flood", "regions": ["IN"],
         "rate_per_year": 0.4,
         "duration": {"dist": "lognormal", "mean": 14, "sd": 8},
         "severity": {"dist": "uniform", "min": 0.3, "max": 0.8},
         "profile": "linear"},
        {"type": "regional", "name": "lockdown", "regions": ["CN"],
         "rate_per_year": 0.15,
         "duration": {"dist": "triangular", "min": 14, "mode": 30, "max": 90},
         "severity": 0.7},
        {"type": "node_hazard", "name": "import alert", "nodes": {"tags": ["api"]},
         "rate_per_year": 0.08,
         "duration": {"dist": "lognormal", "mean": 120, "sd": 60}, "severity": 1.0},
        {"type": "edge_hazard", "name": "Suez / Red Sea disruption",
         "edges": {"from": {"regions": ["IN", "CN"]}, "to": {"regions": ["IE", "DE", "IT"]}},
         "rate_per_year": 0.2,
         "duration": {"dist": "uniform", "min": 20, "max": 60}, "severity": 0.6},
        {"type": "cyber", "name": "ransomware",
         "entry": {"kinds": ["warehouse", "plant"]}, "rate_per_year": 0.3,
         "beta": 0.08, "max_days": 14,
         "duration": {"dist": "pert", "min": 5, "mode": 12, "max": 30},
         "severity": 0.9},
    ],
    "strategies": [
        {"name": "API safety stock", "cost_per_year": 3000000,
         "actions": [{"set": "inventory_days", "nodes": {"tags": ["formulation"]},
                      "value": 60}]},
        {"name": "EU API second source", "cost_per_year": 4500000,
         "actions": [{"add_edge": {"from": "API-IT-MI", "to": "FORM-DE", "input": "api",
                                   "share": 0.3, "lead_time": 4}}]},
    ],
    "stress": {"ttr_days": 60, "nodes": "all"},
})

# --------------------------------------------------------------------------
# Automotive electronics: the planner's choice between stock at the ECU
# plant, a second chip source, a standby fab, and hardening the port.
nodes, edges = [], []
rng = random.Random(911)
node("WAFER-JP", "supplier", "JP", unit_value=5, tags=["raw"])
node("FAB-TW1", "supplier", "TW", unit_value=12, inventory_days=10, tags=["fab"], ttr_days=90)
node("FAB-TW2", "supplier", "TW", unit_value=12, inventory_days=10, tags=["fab"], ttr_days=90)
node("FAB-US", "supplier", "US", unit_value=15, inventory_days=10, tags=["fab"], ttr_days=60)
node("FAB-KR", "supplier", "KR", unit_value=13, inventory_days=10, capacity=800,
     tags=["fab", "backup"], ttr_days=60)
# FAB-KR has its own wafer supply (no inputs in the model): a standby
# supplier must be able to produce from a standing start, because its
# availability is what it can produce today (docs/model.md).
for f in ["FAB-TW1", "FAB-TW2", "FAB-US"]:
    edge("WAFER-JP", f, input="wafer", lead_time=14)
node("SENSOR-DE", "supplier", "DE", unit_value=20, inventory_days=14, tags=["sensor"])
edge("FAB-US", "SENSOR-DE", input="chip", ratio=1, lead_time=12)
node("HARNESS-MX", "supplier", "MX", unit_value=30, inventory_days=7, tags=["harness"])
node("ECU-MX", "plant", "MX", unit_value=150, inventory_days=10, tags=["tier1"], ttr_days=45)
edge("FAB-TW1", "ECU-MX", input="chip", ratio=4, share=0.7, lead_time=30)
edge("FAB-TW2", "ECU-MX", input="chip", ratio=4, share=0.3, lead_time=30)
edge("SENSOR-DE", "ECU-MX", input="sensor", ratio=2, lead_time=21)
node("PORT-LB", "port", "US", unit_value=160, inventory_days=2, tags=["port"], ttr_days=21)
node("RAIL-ELP", "port", "US", unit_value=160, inventory_days=2, tags=["rail"])
edge("ECU-MX", "RAIL-ELP", input="ecu", lead_time=2)
for car, reg in [("CAR-US-TN", "US"), ("CAR-US-KY", "US")]:
    node(car, "plant", reg, unit_value=2500, inventory_days=5, tags=["oem"], ttr_days=30)
    edge("RAIL-ELP", car, input="ecu", ratio=3, share=0.6, lead_time=4)
    edge("PORT-LB", car, input="ecu", ratio=3, share=0.4, lead_time=6)
    edge("HARNESS-MX", car, input="harness", lead_time=5)
# the port also lands ECUs from an Asian tier 1
node("ECU-CN", "plant", "CN", unit_value=140, inventory_days=10, tags=["tier1"])
edge("FAB-TW1", "ECU-CN", input="chip", ratio=4, lead_time=6)
edge("ECU-CN", "PORT-LB", input="ecu", lead_time=24)
for k, (car, n) in enumerate([("CAR-US-TN", 7), ("CAR-US-KY", 6)]):
    for d in range(n):
        did = f"DEALER-{car[-2:]}-{d + 1:02d}"
        node(did, "customer", "US", demand=rng.choice([4, 6, 8, 10]), unit_value=32000,
             inventory_days=rng.choice([10, 20, 30]), tags=["dealer"])
        edge(car, did, input="car", lead_time=rng.randint(3, 7))

write("networks/auto_chips.json", {"name": "auto-chips", "nodes": nodes, "edges": edges})
write("auto_chips.json", {
    "name": "auto-chips",
    "description": "Car assembly in Tennessee and Kentucky depends on engine "
                   "control units from Mexico (70/30 chips from two Taiwanese "
                   "fabs) and from China via the port of Long Beach. Which "
                   "treatment pays: more chip stock at the ECU plant, a second "
                   "chip source in the US, a standby Korean fab, or hardening "
                   "the port?",
    "network": "networks/auto_chips.json",
    "horizon_days": 365, "replications": 4000, "seed": 2024,
    "model": {"replenishment_days": 7, "spare_capacity": 0.1,
              "inventory_days": 7, "service_target": 0.99},
    "threats": [
        {"type": "regional", "name": "Taiwan earthquake or typhoon", "regions": ["TW"],
         "rate_per_year": 0.3,
         "duration": {"dist": "lognormal", "mean": 30, "sd": 25},
         "severity": {"dist": "pert", "min": 0.4, "mode": 0.8, "max": 1.0}},
        {"type": "node_hazard", "name": "fab fire", "nodes": {"tags": ["fab"]},
         "rate_per_year": 0.05,
         "duration": {"dist": "gamma", "shape": 2, "scale": 30}, "severity": 1.0},
        {"type": "attack", "name": "port strike or sabotage",
         "candidates": {"kinds": ["port"]}, "attempts_per_year": 1.5,
         "targeting": "flow", "choice": "weighted", "p_success": 0.5,
         "duration": {"dist": "triangular", "min": 3, "mode": 10, "max": 30},
         "severity": 1.0},
        {"type": "cyber", "name": "ransomware at tier 1",
         "entry": {"tags": ["tier1", "sensor", "harness"]}, "rate_per_year": 0.4,
         "beta": 0.1, "max_days": 14,
         "duration": {"dist": "pert", "min": 3, "mode": 7, "max": 21},
         "severity": 0.8},
    ],
    "strategies": [
        {"name": "chip stock at ECU", "cost_per_year": 1500000,
         "actions": [{"set": "inventory_days", "nodes": {"ids": ["ECU-MX"]},
                      "value": 45}]},
        {"name": "second chip source", "cost_per_year": 2500000,
         "actions": [{"add_edge": {"from": "FAB-US", "to": "ECU-MX", "input": "chip",
                                   "share": 0.3, "lead_time": 8}}]},
        {"name": "standby Korean fab", "cost_per_year": 700000,
         "actions": [{"add_edge": {"from": "FAB-KR", "to": "ECU-MX", "input": "chip",
                                   "standby": True, "standby_share": 1,
                                   "activation_delay": 10, "lead_time": 20}}]},
        {"name": "harden the port", "cost_per_year": 900000,
         "actions": [{"set": "protection", "nodes": {"kinds": ["port"]}, "value": 0.8},
                     {"set": "recovery_factor", "nodes": {"kinds": ["port"]},
                      "value": 0.5}]},
    ],
    "stress": {"ttr_days": 30, "nodes": "all"},
})
