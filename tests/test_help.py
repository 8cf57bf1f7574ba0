#!/usr/bin/env python3
"""Every command's --help lists every option the command takes, and long
options are taken only in full.
usage: test_help.py RIPPLE_BINARY DATA_DIR

The options are those any --help or the usage names (a command may take
one that only another command's help lists): each command is given each
of them (with a value when some help shows one), and one it does not
refuse as unknown or not its own must be in its --help (but --help
itself, which the usage gives for every command).  Each long option shortened by a letter is then refused
with exit status 2.
"""
import os
import re

from ripple_test import Suite

suite = Suite("help")
NOT_TAKEN = ("unknown option", "does not apply", "applies to 'run' only")
OPT = re.compile(r"(?<![\w-])(--[a-z][a-z-]+|-[a-z])\b(?:[ =]([A-Z][A-Z0-9.|]*|1(?:\|[0-9]+)+|[a-z]+(?:\|[a-z]+)+|MODE|F(?:\.\w+)?)\b)?")

usage = suite.rip("--help").stderr + suite.rip("--help").stdout
commands = sorted(set(re.findall(r"ripple ([a-z][a-z-]+) ", usage)))
suite.check(len(commands) >= 8, f"commands in the usage: {commands}")
helps = {c: suite.rip(c, "--help").stdout for c in commands}
takes_value = {}
for text in [usage] + list(helps.values()):
    for opt, metavar in OPT.findall(text):
        takes_value[opt] = takes_value.get(opt, False) or bool(metavar)
# every command takes --help: the usage says so ("COMMAND --help")
HELP = ("-h", "--help")
absent = os.path.join(suite.tmp, "absent.json")
for c in commands:
    suite.check(helps[c].startswith(f"ripple {c}"), f"{c} --help")
    listed = set(o for o, _ in OPT.findall(helps[c]))
    for opt, value in sorted(takes_value.items()):
        args = [c, absent, opt] + (["x"] if value else [])
        r = suite.rip(args, cwd=suite.tmp, stdin=open(os.devnull))
        taken = not any(w in r.stderr for w in NOT_TAKEN)
        if taken and opt not in HELP:
            suite.check(opt in listed,
                        f"{c} takes {opt} but its --help does not list it")
        if taken and opt.startswith("--") and len(opt) > 4 and \
                opt[:-1] not in takes_value:
            r = suite.rip([c, absent, opt[:-1]] + (["x"] if value else []),
                          cwd=suite.tmp)
            suite.check(r.returncode == 2 and "unknown option" in r.stderr,
                        f"{c} {opt[:-1]} (shortened): exit {r.returncode}, "
                        f"{r.stderr[:80]!r}")
suite.done()
