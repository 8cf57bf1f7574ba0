"""What the Python tests of the command line share: the arguments they are
started with, counted checks and the closing summary, running ripple, a
temporary directory removed at exit.

    from ripple_test import Suite
    suite = Suite("trace")            # sys.argv: RIPPLE_BINARY DATA_DIR
    suite.check(r.returncode == 0, "what was expected")
    suite.done()                      # "trace: 12 passed, 0 failed", exit 1 on a failure
"""
import atexit
import shutil
import subprocess
import sys
import tempfile


class Suite:
    def __init__(self, name, argv=None):
        argv = sys.argv if argv is None else argv
        if len(argv) < 3:
            sys.exit(f"usage: {argv[0]} RIPPLE_BINARY DATA_DIR")
        self.name = name
        self.ripple, self.data = argv[1], argv[2]
        self.passed = self.failed = 0
        self.tmp = tempfile.mkdtemp(prefix=f"ripple-{name}-")
        atexit.register(shutil.rmtree, self.tmp, True)

    def check(self, ok, what):
        """Count a check; print what was expected when it fails."""
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL:", what, file=sys.stderr)

    def rip(self, *args, **kw):
        """ripple with args (a list or several strings); output captured
        as text."""
        if len(args) == 1 and isinstance(args[0], list):
            args = args[0]
        return subprocess.run([self.ripple, *args], capture_output=True,
                              text=True, **kw)

    def run(self, scen, out, *extra):
        """`ripple run SCEN -o OUT -q -j 2 EXTRA...`; its exit status (its
        stderr printed when it fails)."""
        r = self.rip("run", scen, "-q", "-j", "2", "-o", out, *extra)
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
        return r.returncode

    def done(self):
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)
