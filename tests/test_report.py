#!/usr/bin/python3
"""ripple report: the HTML page of a run file and of a stress file.

    test_report.py RIPPLE DATA_DIR SCENARIOS_DIR

Makes results files, their reports, and checks each page: the charts and
their labels (SVG count, axis titles with units, the threat names, the
recommended strategy), no address but data:, no scripts; then opens it in
headless Chromium (a console message from the page fails the test) and
keeps a screenshot beside the test (report_run.png, report_stress.png in
the build directory).  Parts absent from a file are noted, not errors; a
damaged file gives exit 2, `FILE: OBJECT: expected ..., found ...` and no
page.  Without Chromium the test fails: scripts/dev.sh installs it."""
import glob
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

RIPPLE, DATA, SCEN = sys.argv[1], sys.argv[2], sys.argv[3]
OUT = os.path.join(os.getcwd(), "report_test")
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, file=sys.stderr)


def run(*args, ok=True):
    p = subprocess.run([RIPPLE, *args], capture_output=True, text=True,
                       timeout=600)
    if ok and p.returncode != 0:
        fail("ripple %s: exit %d: %s" % (" ".join(args), p.returncode,
                                         p.stderr))
    return p


class Page(html.parser.HTMLParser):
    """The parts of a page the checks look at."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.svgs = 0
        self.tags = []
        self.stack = []  # (tag, class) of open elements
        self.texts = {}  # class -> [text]
        self.svg_text = []  # all <text> in SVGs
        self.attrs = []  # (tag, name, value)
        self.notes = []
        self.recommended = []
        self.style = ""
        self.in_text = None  # (class, parts) of the <text> being read

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "text":
            self.in_text = (a.get("class", ""), [])
        for k, v in attrs:
            self.attrs.append((tag, k, v or ""))
        if tag == "svg":
            self.svgs += 1
        self.stack.append((tag, a.get("class", "")))

    def handle_endtag(self, tag):
        if tag == "text" and self.in_text is not None:
            # a <text> and its <tspan> lines, joined by spaces
            cls, parts = self.in_text
            whole = " ".join(parts)
            self.svg_text.append(whole)
            self.texts.setdefault(cls, []).append(whole)
            self.in_text = None
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if not self.stack:
            return
        tag, cls = self.stack[-1]
        if tag == "style":
            self.style += data
        if self.in_text is not None and tag in ("text", "tspan"):
            self.in_text[1].append(data)
        if "note" in cls.split():
            self.notes.append(data)
        if "recommended" in cls.split():
            self.recommended.append(data)


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        text = f.read()
    p.feed(text)
    p.close()
    return p, text


UNIT = re.compile(r"\((?:[^()]*(?:%|\b(?:days?|share|unit_value's currency|"
                  r"a year|log|events a year|share of [^()]*|[A-Z]{3}[^()]*))"
                  r"[^()]*)\)")


def check_page(path, want_svgs, what):
    p, text = parse(path)
    if p.svgs != want_svgs:
        fail("%s: %d <svg> elements, expected %d" % (what, p.svgs, want_svgs))
    titles = p.texts.get("axis-title", [])
    if len(titles) < 2 * min(want_svgs, 1):
        fail("%s: axis titles: %r" % (what, titles))
    for t in titles:
        if not UNIT.search(t):
            fail("%s: axis title without a unit: %r" % (what, t))
    for tag in ("script", "iframe", "object", "embed", "link"):
        if tag in p.tags and tag != "link":
            fail("%s: has a <%s> element" % (what, tag))
    for tag, k, v in p.attrs:
        if k in ("src", "href", "xlink:href", "action", "poster", "data"):
            if not v.startswith("data:"):
                fail("%s: <%s %s=%r>: not a data: address" % (what, tag, k, v))
        if k.startswith("on"):
            fail("%s: <%s %s>: an event handler" % (what, tag, k))
    low = text.lower()
    for bad in ("http:", "https:", "ftp:", "file:/", "//www", "@import",
                "@font-face"):
        if bad in low:
            fail("%s: refers to %r" % (what, bad))
    for m in re.finditer(r"url\(([^)]*)\)", low):
        if not m.group(1).strip("'\" ").startswith("data:"):
            fail("%s: CSS url(%s)" % (what, m.group(1)))
    if "@page" not in p.style or "break-inside:avoid" not in p.style:
        fail("%s: no print layout (@page, break-inside) in the CSS" % what)
    return p


def chromium(path, png, height):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        fail("chromium is not installed (scripts/dev.sh installs the "
             "Debian package 'chromium'): the page cannot be checked in a "
             "browser")
        return
    with tempfile.TemporaryDirectory() as prof:
        base = [exe, "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + prof,
                "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]
        url = "file://" + os.path.abspath(path)
        shot = subprocess.run(base + ["--screenshot=" + png,
                                      "--window-size=900,%d" % height, url],
                              capture_output=True, text=True, timeout=180)
        dom = subprocess.run(base + ["--dump-dom", url], capture_output=True,
                             text=True, timeout=180)
        pdf = png[:-4] + ".pdf"
        prn = subprocess.run(base + ["--no-pdf-header-footer",
                                     "--print-to-pdf=" + pdf, url],
                             capture_output=True, text=True, timeout=180)
    # printed on A4 portrait (595 x 842 points) by the page's @page rule
    try:
        with open(pdf, "rb") as f:
            boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+"
                               rb"([\d.]+)\s*\]", f.read())
    except OSError:
        boxes = []
    if not boxes or any(abs(float(w) - 595.3) > 2 or abs(float(h) - 841.9) > 2
                        for w, h in boxes):
        fail("%s: not printed on A4 portrait: %r" % (path, boxes[:3]))
    for p in (shot, dom, prn):
        for line in p.stderr.splitlines():
            if ":CONSOLE" in line or "Refused to" in line or \
                    ("ERR_" in line and "net::" in line):
                fail("%s: browser console: %s" % (path, line))
    if not os.path.exists(png) or os.path.getsize(png) < 10000:
        fail("%s: no screenshot written (%s)" % (path, shot.stderr[-2000:]))
    if dom.stdout.count("<svg") != parse(path)[0].svgs:
        fail("%s: the browser's DOM has %d <svg>, the file %d" %
             (path, dom.stdout.count("<svg"), parse(path)[0].svgs))


def attr(f, group, name):
    """A string attribute as str."""
    v = f[group].attrs[name]
    return v.decode() if isinstance(v, bytes) else v


def check_run(runh5):
    """A run file: default name OUT.html beside OUT.h5; every chart, the
    threats, the strategies, the recommendation and the axis titles.
    Returns (strategies, threats, the number of charts), None on a
    failure."""
    p = run("report", runh5)
    html_run = os.path.join(OUT, "run.html")
    if not os.path.exists(html_run):
        fail("report run.h5 wrote no run.html: %s" % p.stdout)
        return None
    with h5py.File(runh5, "r") as f:
        strategies = [s.decode() for s in f["strategy"][:]]
        threats = [s.decode() for s in f["threat"][:]]
        rec = attr(f, "comparison", "recommended")
    S = len(strategies)
    # loss exceedance, a service panel a strategy, net benefit, the
    # register (twice when the recommendation is not the baseline), sites
    want = 1 + S + 1 + (1 if rec == strategies[0] else 2) + 1
    page = check_page(html_run, want, "run report")
    shown = " ".join(page.svg_text)
    for t in threats:
        if t not in page.texts.get("threat-name", []):
            fail("run report: threat %r not in the risk matrix" % t)
    for s in strategies:
        if s not in shown:
            fail("run report: strategy %r in no chart" % s)
    if page.recommended != [rec]:
        fail("run report: recommended %r, the file says %r" %
             (page.recommended, rec))
    titles = " | ".join(page.texts.get("axis-title", []))
    for want_t in ("Lost value over the horizon (unit_value's currency)",
                   "Day of the horizon (days)",
                   "P(below target) (% of replications, axis from 0)",
                   "Net benefit a year (unit_value's currency a year)",
                   "Likelihood (events a year)"):
        if want_t not in titles:
            fail("run report: no axis titled %r (%s)" % (want_t, titles))
    # no currency named: money is worded one way in the page, inspect's
    # text and the file's units attributes (docs/formats.md)
    money = "unit_value's currency"
    raw = html.unescape(open(html_run, encoding="utf-8").read())
    if "<tr><th>Unit of value</th><td>%s</td></tr>" % money not in raw:
        fail("run report: the unit of value is not %r" % money)
    text = run("inspect", runh5).stdout
    if "in %s" % money not in text or "value units" in text:
        fail("run report: inspect does not word money as %r" % money)
    with h5py.File(runh5, "r") as f:
        units = {n: attr(f, n, "units") for n in
                 ("replication/lost_value", "strategies/cost_per_year",
                  "network/node_unit_value")}
        cur = attr(f, "/", "currency") if "currency" in f.attrs else None
    if units != {"replication/lost_value": money,
                 "strategies/cost_per_year": money + " year-1",
                 "network/node_unit_value": money + " unit-1"} or cur != "":
        fail("run report: units attributes %r, currency %r" % (units, cur))
    if page.notes:
        fail("run report: unexpected notes %r" % page.notes)
    chromium(html_run, os.path.join(os.getcwd(), "report_run.png"), 5200)
    return strategies, threats, want


def check_odd_names(want):
    """Names that are markup are shown as text; the currency (markup too)
    is the unit.  Returns the scenario, for check_no_threats."""
    with open(os.path.join(DATA, "all_threats.json")) as f:
        scen = json.load(f)
    scen["name"] = 'a <b>"bold"</b> & <script>x</script>'
    scen["currency"] = "<u>EUR</u>&"  # markup too: shown as text
    scen["threats"][0]["name"] = "<i>fire</i> & co"
    odd = os.path.join(OUT, "odd.json")
    with open(odd, "w") as f:
        json.dump(scen, f)
    oddh5 = os.path.join(OUT, "odd.h5")
    run("run", odd, "-r", "30", "-o", oddh5, "-q")
    run("report", oddh5, "-q")
    page = check_page(os.path.join(OUT, "odd.html"), want, "odd names")
    name = "<i>fire</i> & co"
    if not any(t == name or (t.endswith("...") and name.startswith(t[:-3]))
               for t in page.texts.get("threat-name", [])):
        fail("odd names: the threat's name not shown as text: %r" %
             page.texts.get("threat-name"))
    raw = open(os.path.join(OUT, "odd.html")).read()
    if "<script" in raw or "<u>" in raw:
        fail("odd names: markup from the scenario reached the page")
    if "Lost value over the horizon (<u>EUR</u>&)" not in \
            page.texts.get("axis-title", []):
        fail("odd names: the currency is not the unit: %r" %
             page.texts.get("axis-title"))
    if "<th>Mean loss (&lt;u&gt;EUR&lt;/u&gt;&amp;)</th>" not in raw:
        fail("odd names: the currency in a table's head is not text")
    return scen


def check_no_threats(scen, S):
    """A scenario without threats: no register (noted), nothing hit."""
    scen["threats"] = []
    odd = os.path.join(OUT, "odd.json")
    with open(odd, "w") as f:
        json.dump(scen, f)
    oddh5 = os.path.join(OUT, "odd.h5")
    run("run", odd, "-r", "10", "-o", oddh5, "-q")
    run("report", oddh5, "-q")
    page = check_page(os.path.join(OUT, "odd.html"), 1 + S + 1,
                      "no threats")
    if not any("no threats" in n for n in page.notes):
        fail("no threats: no note: %r" % page.notes)


def check_recommended():
    """A recommendation other than the baseline: its register too."""
    chipsh5 = os.path.join(OUT, "chips.h5")
    run("run", os.path.join(SCEN, "auto_chips.json"), "-r", "200", "-o",
        chipsh5, "-q")
    run("report", chipsh5, "-q")
    with h5py.File(chipsh5, "r") as f:
        n = len(f["strategy"])
        rec2 = attr(f, "comparison", "recommended")
        base2 = f["strategy"][0].decode()
    if rec2 == base2:
        fail("auto_chips: the baseline is recommended; the test wants "
             "another strategy")
    page = check_page(os.path.join(OUT, "chips.html"), 1 + n + 1 + 2 + 1,
                      "auto_chips report")
    if page.recommended != [rec2]:
        fail("auto_chips report: recommended %r, the file says %r" %
             (page.recommended, rec2))


def check_alone():
    """The baseline alone: nothing compared, so nothing recommended."""
    aloneh5 = os.path.join(OUT, "alone.h5")
    run("run", os.path.join(DATA, "golden", "chain.json"), "-r", "10", "-o",
        aloneh5, "-q")
    run("report", aloneh5, "-q")
    with open(os.path.join(OUT, "alone.html")) as f:
        page = f.read()
    if "Recommended:" in page or "No comparison of strategies" not in page:
        fail("baseline alone: the headline recommends (%r)" %
             page[page.find('class="headline"'):][:200])
    # and no net-benefit chart of the baseline's single zero bar
    sec = page[page.find('<section id="strategies">'):]
    sec = sec[:sec.find("</section>")]
    if "Only the baseline was run" not in sec or "<svg" in sec:
        fail("baseline alone: the strategies section draws a chart or lacks "
             "its note (%r)" % sec[:300])


def check_stress(stressh5):
    """A stress file, -o: the exposed sites named and in the table, the
    axis titles, the diagonal."""
    html_st = os.path.join(OUT, "stress report.html")
    run("report", stressh5, "-o", html_st, "-q")
    page = check_page(html_st, 1, "stress report")
    with h5py.File(stressh5, "r") as f:
        ex = f["stress/exposed"][:].astype(bool)
        nodes = [s.decode() for s in f["stress/node"][:]]
        pi = f["stress/performance_impact"][:]
    exposed = [nodes[i] for i in np.argsort(-pi, kind="stable") if ex[i]]
    labels = page.texts.get("point-label", [])
    if not exposed or not labels or labels[0] not in exposed:
        fail("stress report: exposed sites not named: %r" % labels[:3])
    titles = page.texts.get("axis-title", [])
    if sorted(titles) != ["Time to recover, TTR (days)",
                          "Time to survive, TTS (days)"]:
        fail("stress report: axis titles %r" % titles)
    with open(html_st, encoding="utf-8") as f:
        text = f.read()
    for n in exposed:
        if "<td>%s</td>" % n not in text:
            fail("stress report: exposed site %s not in the table" % n)
    if "diagonal" not in text:
        fail("stress report: no TTS = TTR diagonal")
    chromium(html_st, os.path.join(os.getcwd(), "report_stress.png"), 1400)


def check_no_register(noneh5, S):
    """A run without the risk register: noted, not an error."""
    html_n = os.path.join(OUT, "noreg.html")
    run("report", noneh5, "-o", html_n)
    page = check_page(html_n, 1 + S + 1 + 1, "report without register")
    if not any("risk register" in n for n in page.notes):
        fail("report without register: no note: %r" % page.notes)


def check_damaged(runh5, S, threats):
    """Damaged files: exit 2, FILE: OBJECT: expected ..., found ..., no
    page and no temporary left."""
    damages = {
        "lost_value_shape": lambda f: (
            f.__delitem__("replication/lost_value"),
            f.create_dataset("replication/lost_value",
                             data=np.zeros((S, 7)))),
        "class_type": lambda f: (
            f.__delitem__("risk_register/likelihood_class"),
            f.create_dataset("risk_register/likelihood_class",
                             data=np.array([["x"] * len(threats)] * S,
                                           dtype=h5py.string_dtype()))),
        "class_range": lambda f: f["risk_register/consequence_class"]
        .__setitem__((0, 0), 9),
        "no_strategy": lambda f: f.__delitem__("strategy"),
    }
    for name, damage in damages.items():
        bad = os.path.join(OUT, "bad_%s.h5" % name)
        shutil.copy(runh5, bad)
        with h5py.File(bad, "r+") as f:
            damage(f)
        out = os.path.join(OUT, "bad_%s.html" % name)
        p = run("report", bad, "-o", out, ok=False)
        if p.returncode != 2:
            fail("%s: exit %d, expected 2 (%s)" % (name, p.returncode,
                                                   p.stderr))
        if not re.search(r"ripple: error: .*bad_%s\.h5: /\S+.*: expected "
                         r".*, found " % name, p.stderr):
            fail("%s: message %r" % (name, p.stderr))
        if os.path.exists(out) or glob.glob(out + ".tmp*"):
            fail("%s: a page or a temporary was left" % name)


def check_amounts(runh5):
    """An amount from 1,000 to 9,999 has its thousands grouped, as inspect
    prints it ("7,494", not "7494" beside "24.5k" in the same column)."""
    amt = os.path.join(OUT, "amounts.h5")
    shutil.copy(runh5, amt)
    with h5py.File(amt, "r+") as f:
        f["risk_register/standalone_mean"][0, 0] = 7494.0
    run("report", amt, "-q")
    with open(os.path.join(OUT, "amounts.html"), encoding="utf-8") as f:
        page = f.read()
    # not the header's seed, an identifier (the replications are counted
    # there, and grouped from 1,000 on like every other count)
    page = re.sub(r"<tr><th>Seed</th><td>[0-9]*</td></tr>", "", page)
    if ">7,494<" not in page or re.search(r">-?[0-9]{4,}<", page):
        fail("amounts: 7494 not shown as 7,494, or a number of 4 digits or "
             "more without grouping: %r" %
             re.findall(r">-?[0-9,]{4,}<", page)[:10])
    # counts too: a horizon of 1,500 days, in the header and the captions
    long_h5 = os.path.join(OUT, "long.h5")
    run("run", os.path.join(DATA, "all_threats.json"), "-r", "20",
        "--horizon", "1500", "-o", long_h5, "-q")
    run("report", long_h5, "-q")
    with open(os.path.join(OUT, "long.html"), encoding="utf-8") as f:
        page = f.read()
    words = re.findall(r"(?<![0-9,.])[0-9]{4,} (?:days?|replications?)",
                       html.unescape(re.sub(r"<[^>]*>", " ", page)))
    if "<tr><th>Horizon</th><td>1,500 days</td></tr>" not in page or words:
        fail("counts: the horizon not shown as 1,500 days, or counts of 4 "
             "digits or more without grouping: %r" % words[:10])


def service_axes(page_html):
    """[(title, [tick labels])] of each service plot of a page: the
    section's axis titles that name the service level and the ticks
    (y then x) drawn after each."""
    sec = page_html[page_html.index('<section id="service">'):]
    sec = sec[:sec.index("</section>")]
    out = []
    for part in re.split(r'(?=<text[^>]*class="axis-title"[^>]*>Service '
                         r'level)', sec)[1:]:
        title = re.search(r">([^<]*)<", part).group(1)
        part = part[:part.find("P(below target)")]
        ticks = re.findall(r'class="tick">([^<]*)<', part)
        out.append((html.unescape(title), ticks))
    return out


def check_service_axis(runh5):
    """A run whose service stays above 99% (the bikes example): the
    service is drawn on an axis zoomed to it, whose title says it does not
    start at 0, and the share below target on its own axis from 0; a run
    whose service falls far (all_threats) keeps the axis from 0."""
    study = os.path.join(SCEN, "..", "docs", "examples", "bikes",
                         "study.json")
    bikes = os.path.join(OUT, "bikes.h5")
    run("run", study, "-r", "200", "-o", bikes, "-q")
    run("report", bikes, "-o", os.path.join(OUT, "bikes.html"), "-q")
    with h5py.File(bikes, "r") as f:
        low = float(f["timeseries/service_level_mean"][:].min())
    if not low > 0.99:
        fail("bikes: the service falls to %g, not a test of the zoom" % low)
    page = open(os.path.join(OUT, "bikes.html"), encoding="utf-8").read()
    axes = service_axes(page)
    if not axes:
        fail("bikes report: no service axis")
    for title, ticks in axes:
        m = re.fullmatch(r"Service level \(%; this axis starts at "
                         r"([0-9.]+)%, not at 0\)", title)
        pct = [float(t[:-1]) for t in ticks if t.endswith("%")]
        if m is None or not 95 <= float(m.group(1)) < 100:
            fail("bikes report: service axis titled %r" % title)
        elif not pct or min(pct) != float(m.group(1)) or max(pct) != 100:
            fail("bikes report: service ticks %r under %r" % (ticks, title))
    if page.count("P(below target) (% of replications, axis from 0)") != \
            len(axes) or "not at 0, so that small changes show" not in page:
        fail("bikes report: no P(below target) axis from 0 a panel, or no "
             "caption saying the service axis does not start at 0")
    page = open(os.path.join(OUT, "run.html"), encoding="utf-8").read()
    first = service_axes(page)[:1]
    if not first or first[0][0] != "Service level (%)" or \
            "0%" not in first[0][1]:
        fail("run report: the baseline's service (it falls below 25%%) not "
             "on an axis from 0: %r" % first)


def check_usage():
    """No file, a missing file, --help."""
    if run("report", ok=False).returncode != 2:
        fail("report without a file: not exit 2")
    if run("report", os.path.join(OUT, "missing.h5"), "-o",
           os.path.join(OUT, "m.html"), ok=False).returncode == 0:
        fail("report of a missing file succeeded")
    if "ripple report" not in run("report", "--help").stdout:
        fail("report --help")


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    runh5 = os.path.join(OUT, "run.h5")
    stressh5 = os.path.join(OUT, "stress.h5")
    noneh5 = os.path.join(OUT, "noreg.h5")
    run("run", os.path.join(DATA, "all_threats.json"), "-r", "200", "-o",
        runh5, "-q")
    run("stress", os.path.join(SCEN, "default.json"), "-o", stressh5, "-q")
    run("run", os.path.join(DATA, "all_threats.json"), "-r", "40",
        "--register", "none", "-o", noneh5, "-q")
    if failures:
        return
    got = check_run(runh5)
    if got is None:
        return
    strategies, threats, want = got
    S = len(strategies)
    scen = check_odd_names(want)
    check_no_threats(scen, S)
    check_recommended()
    check_alone()
    check_stress(stressh5)
    check_no_register(noneh5, S)
    check_damaged(runh5, S, threats)
    check_amounts(runh5)
    check_service_axis(runh5)
    check_usage()

main()
if failures:
    print("%d failures" % len(failures), file=sys.stderr)
    sys.exit(1)
print("report: run, stress, no register, damaged files: ok")
