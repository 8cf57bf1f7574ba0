"""Docs that run: the commands and the Python of the documentation, run as
written.

usage: docs_test.py python|sh|sh-full RIPPLE SOURCE_DIR

python: makes results.h5 (`ripple run scenarios/auto_chips.json -r 200`)
    in a temporary directory, then runs every ```python block of
    docs/python.md and of README.md there, in order, as one script (one
    namespace, as a reader pasting them would); any exception fails.
sh: copies the repository (without build directories and HDF5 files) to a
    temporary directory and runs every command of the ```sh blocks (and the
    `$ ` lines of ```console blocks) of README.md, docs/tutorial.md,
    docs/python.md, docs/cluster.md, docs/sweep.md and data/README.md there,
    block by block, with the directory of RIPPLE first on PATH, so
    `ripple ...` is the ripple just built.  A command that installs, builds the whole suite,
    starts mpirun or takes long carries the comment
    `# (not run by the docs test: REASON)` in the doc (on its line, or on a
    comment line of its block before it, which covers the rest of the
    block); it is skipped, and the skip is printed.  Any other command that
    fails fails the test.  The ```python blocks of docs/tutorial.md and
    docs/sweep.md then run in the same directory, on the files their
    commands made.
    The studies (docs/auto_chips.md, docs/report.md, docs/risk_register.md)
    run too, but their runs are long: with RIPPLE_DOCS_REPLICATIONS=N in
    the environment (the test docs_sh sets 60) every `ripple run` of a
    study runs N replications (its -r replaced, or added), so every command
    runs for real at a small scale, and the numbers they print are not
    compared.
sh-full: the studies only, as written (minutes: test docs_full, made with
    -DRIPPLE_DOCS_FULL=ON), and each ```text block of a study (what a
    command prints) compared with what the commands before it printed:
    every line of the block, but blank lines and "...", must be a line of
    that output.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

MARK = "(not run by the docs test"
SH_DOCS = ["README.md", "docs/tutorial.md", "docs/python.md",
           "docs/cluster.md", "docs/sweep.md", "data/README.md"]
PY_DOCS = ["docs/python.md", "README.md"]
# docs whose python blocks run after their commands, in the same directory
SH_DOCS_PYTHON = ["docs/tutorial.md", "docs/sweep.md",
                  "docs/risk_register.md"]
# long studies: run at a small scale in `sh`, as written in `sh-full`
STUDY_DOCS = ["docs/auto_chips.md", "docs/report.md",
              "docs/risk_register.md"]


def scaled(cmd, reps):
    """cmd with `ripple run`'s replications set to reps (None: as is)."""
    if reps is None or not re.match(r"ripple run\b", cmd):
        return cmd
    if re.search(r"(^|\s)-r\s+\d+", cmd):
        return re.sub(r"(^|\s)-r\s+\d+", rf"\1-r {reps}", cmd, count=1)
    return re.sub(r"^ripple run", f"ripple run -r {reps}", cmd)


def unprinted(text, output):
    """Lines of a ```text block that the output does not hold."""
    have = set(line.rstrip() for line in output.splitlines())
    return [line for line in text
            if line.strip() not in ("", "...") and line.rstrip() not in have]


def blocks(path, langs):
    """(language, first line number, lines) of every fenced block in path
    whose info string is one of langs."""
    out, cur = [], None
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, start=1):
            m = re.match(r"^```\s*([\w+-]*)\s*$", line.rstrip("\n"))
            if cur is None and m and line.startswith("```"):
                cur = (m.group(1), no + 1, [])
            elif cur is not None and line.rstrip("\n") == "```":
                if cur[0] in langs:
                    out.append(cur)
                cur = None
            elif cur is not None:
                cur[2].append(line.rstrip("\n"))
    if cur is not None:
        sys.exit(f"{path}: a ``` block opened on line {cur[1] - 1} is never closed")
    return out


def commands(lang, first, lines):
    """(line number, command, skipped) of a sh or console block:
    continuation lines (ending in a backslash) joined; comments and blank
    lines left out; in a console block only the `$ ` lines (and their
    continuations).  A command is skipped when it carries the marker, or
    when a comment line with the marker comes before it in the block."""
    cmds, cur, cur_no, skip_rest = [], None, 0, False
    for i, line in enumerate(lines):
        no = first + i
        if cur is None:
            if lang == "console":
                if not line.startswith("$ "):
                    continue
                line = line[2:]
            if line.lstrip().startswith("#"):
                skip_rest = skip_rest or MARK in line
                continue
            if not line.strip():
                continue
            cur, cur_no = line, no
        else:
            cur = cur + "\n" + line
        if cur.endswith("\\"):
            continue
        cmds.append((cur_no, cur, skip_rest or MARK in cur))
        cur = None
    if cur is not None:
        cmds.append((cur_no, cur, skip_rest or MARK in cur))
    return cmds


def run_sh(ripple, src, docs=None, full=False):
    failures = 0
    docs = docs if docs is not None else SH_DOCS + STUDY_DOCS
    env_reps = os.environ.get("RIPPLE_DOCS_REPLICATIONS")
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        try:
            shutil.copytree(src, repo, symlinks=True,
                            ignore=shutil.ignore_patterns(
                                "build", "build-*", ".git", "*.h5", "*.h5.tmp*",
                                "*.ckpt", "__pycache__"))
        except shutil.Error as e:  # a file that vanished while copied
            print(f"note: not copied: {e.args[0][:3]}")
        env = dict(os.environ)
        env["PATH"] = os.path.dirname(os.path.abspath(ripple)) + os.pathsep + \
            env.get("PATH", "")
        env["MPLBACKEND"] = "Agg"
        for doc in docs:
            path = os.path.join(src, doc)
            if not os.path.exists(path):
                continue
            study = doc in STUDY_DOCS
            reps = int(env_reps) if study and env_reps and not full else None
            printed = ""  # what the doc's commands printed so far
            for lang, first, lines in blocks(path, ("sh", "console", "text")):
                if lang == "text":
                    missing = unprinted(lines, printed) if full else []
                    if missing:
                        failures += 1
                        print(f"FAIL {doc}:{first - 1}: {len(missing)} "
                              "line(s) of the block not printed by the "
                              "commands before it, first:")
                        print("\n".join(missing[:5]))
                    elif full:
                        print(f"ok   {doc}:{first - 1}: printed as shown")
                    continue
                script, shown = ["set -e"], []
                for no, cmd, skipped in commands(lang, first, lines):
                    where = f"{doc}:{no}"
                    if skipped:
                        print(f"SKIP {where}: {cmd.splitlines()[0]}")
                        continue
                    cmd = scaled(cmd, reps)
                    script.append(f"echo {shlex_quote('$ ' + cmd)} >&2")
                    script.append(cmd)
                    shown.append(where)
                if not shown:
                    continue
                t0 = time.time()
                p = subprocess.run(["bash", "-c", "\n".join(script)], cwd=repo,
                                   env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=600)
                dt = time.time() - t0
                printed += p.stdout.decode(errors="replace")
                if p.returncode != 0:
                    failures += 1
                    print(f"FAIL {doc}:{first - 1}: the block exits with "
                          f"status {p.returncode}; its output:")
                    print(p.stdout.decode(errors="replace")[-6000:])
                else:
                    print(f"ok   {doc}:{first - 1}: {len(shown)} command(s) "
                          f"in {dt:.1f} s ({', '.join(shown)})"
                          + (f"; ripple run at -r {reps}" if reps else ""))
            # the tutorial's Python reads the files its commands made
            for lang, first, lines in blocks(path, ("python",)) \
                    if doc in SH_DOCS_PYTHON else []:
                code = "\n" * (first - 1) + "\n".join(lines)
                p = subprocess.run([sys.executable, "-c", code], cwd=repo,
                                   env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=600)
                if p.returncode != 0:
                    failures += 1
                    print(f"FAIL {doc}:{first - 1} (python):")
                    print(p.stdout.decode(errors="replace")[-6000:])
                else:
                    print(f"ok   {doc}:{first - 1} (python)")
    return failures


def shlex_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def run_python(ripple, src):
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([ripple, "run",
                        os.path.join(src, "scenarios", "auto_chips.json"),
                        "-r", "200", "-o", os.path.join(tmp, "results.h5"),
                        "--quiet"], check=True)
        os.environ["MPLBACKEND"] = "Agg"
        cwd = os.getcwd()
        os.chdir(tmp)
        ns = {"__name__": "__main__"}
        try:
            for doc in PY_DOCS:
                for lang, first, lines in blocks(os.path.join(src, doc),
                                                 ("python",)):
                    where = f"{doc}:{first - 1}"
                    t0 = time.time()
                    try:
                        code = compile("\n" * (first - 1) + "\n".join(lines),
                                       doc, "exec")
                        exec(code, ns)
                        print(f"ok   {where} ({time.time() - t0:.1f} s)")
                    except Exception:
                        failures += 1
                        print(f"FAIL {where}:")
                        traceback.print_exc(file=sys.stdout)
            made = sorted(n for n in os.listdir(tmp) if n.endswith(".png"))
            print("plots written:", ", ".join(made) or "none")
        finally:
            os.chdir(cwd)
    return failures


def main():
    mode, ripple, src = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    if mode == "sh":
        failures = run_sh(ripple, src)
    elif mode == "sh-full":
        failures = run_sh(ripple, src, STUDY_DOCS, full=True)
    elif mode == "python":
        failures = run_python(ripple, src)
    else:
        sys.exit(__doc__)
    sys.stdout.flush()
    if failures:
        print(f"{failures} block(s) failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
