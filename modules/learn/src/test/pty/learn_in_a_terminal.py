#!/usr/bin/env python3
"""Drives ./learn in a real pseudo-terminal, as a learner would: list, check, hint, bench and stress (refused, and
catching the race of a find-the-bug stub), watch picking up an edit and moving on, reset, solution. Runs in a throw-away clone of the repository (with the build's target directories
copied, so Maven has little to redo), so the learner's own work and hint progress are never touched.

    python3 modules/learn/src/test/pty/learn_in_a_terminal.py        # from the repository root; exit 0 = all held

Each step prints what it expected and how long it took; the first failing step stops the run with the terminal's
output so far. CI runs it (.ci/run).
"""
import os, pty, re, select, shutil, signal, subprocess, sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", ".."))
EX = "exercises/src/main/java/dev/gopatterns/exercises"
SOL = "solutions/src/main/java/dev/gopatterns/exercises"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal:
    """One command in a pseudo-terminal: its output so far (colours stripped), and keys to type."""

    def __init__(self, repo, *args):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(repo)
            os.environ["TERM"] = "xterm"
            os.environ.pop("NO_COLOR", None)
            os.execv("./learn", ["./learn", *args])
        self.text = ""
        self.code = None

    def read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return None  # the child closed the terminal
        if not chunk:
            return None
        self.text += ANSI.sub("", chunk.decode("utf-8", "replace")).replace("\r\n", "\n")
        return True

    def expect(self, pattern, timeout, what):
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.text):
            left = deadline - time.monotonic()
            if left <= 0 or self.read(left) is None and not re.search(pattern, self.text):
                fail(f"{what}: expected /{pattern}/ within {timeout} s", self.text)
        return re.search(pattern, self.text)

    def type(self, keys):
        os.write(self.fd, keys.encode())

    def wait(self, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                while self.read(0.1):
                    pass
                self.code = os.waitstatus_to_exitcode(status)
                return self.code
            self.read(0.2)
        os.kill(self.pid, signal.SIGKILL)
        fail(f"{what}: did not exit within {timeout} s", self.text)


def fail(message, output):
    print(f"FAIL {message}\n--- terminal output ---\n{output}\n---", flush=True)
    sys.exit(1)


def step(name, fn):
    start = time.monotonic()
    fn()
    print(f"  ok  {name}  ({time.monotonic() - start:.1f} s)", flush=True)


def run(repo, *args, timeout=240, code=None, expect=()):
    t = Terminal(repo, *args)
    rc = t.wait(timeout, "./learn " + " ".join(args))
    for pattern in expect:
        if not re.search(pattern, t.text):
            fail(f"./learn {' '.join(args)}: expected /{pattern}/", t.text)
    if code is not None and rc != code:
        fail(f"./learn {' '.join(args)}: exit code {rc}, expected {code}", t.text)
    return t


def main():
    tmp = tempfile.mkdtemp(prefix="learn-pty-")
    repo = os.path.join(tmp, "repo")
    try:
        subprocess.run(["git", "clone", "-q", ROOT, repo], check=True)
        for module in ["modules/core", "modules/testkit", "modules/pool", "modules/pipeline", "modules/learn",
                       "exercises", "solutions"]:
            target = os.path.join(ROOT, module, "target")
            if os.path.isdir(target):
                shutil.copytree(target, os.path.join(repo, module, "target"), symlinks=True,
                                ignore=shutil.ignore_patterns("surefire-reports", "*.jar"))
        first, second = [l.split()[0] for l in open(os.path.join(repo, "exercises", "track.txt"))
                         if l.strip() and not l.lstrip().startswith(("#", "["))][:2]
        print(f"in {repo}: the first two exercises are {first} and {second}", flush=True)

        step("list shows the tiers, a progress line and what to do next",
             lambda: run(repo, "list", code=0, expect=[r"Basics", r"\d+/\d+ done", r"next\s+\./learn show 1"]))
        step(f"check {first}: not started, with what to edit",
             lambda: run(repo, "check", first, code=1, expect=[r"is not started", r"edit\s+" + EX]))
        step(f"hint {first}: the first hint, and the way to the next",
             lambda: run(repo, "hint", first, code=0, expect=[r"hint 1 of \d+", r"next\s+\./learn hint"]))
        step(f"solution {first} before it passes: refused",
             lambda: run(repo, "solution", first, code=1, expect=[r"shown once yours passes", r"--force"]))

        step("bench merge before it passes: refused, saying why",
             lambda: run(repo, "bench", "merge", code=1,
                         expect=[r"your code against the reference", r"bench measures code that passes its tests"]))
        step("stress find_the_bug_race on the buggy stub: its tests fail, then jcstress sees the lost update",
             lambda: run(repo, "stress", "find_the_bug_race", code=1,
                         expect=[r"round 1 of 10", r"a lost update", r"jcstress saw forbidden outcomes"]))

        def watch():
            t = Terminal(repo, "watch")
            t.expect(r"watching\s+" + re.escape(f"{EX}/{first}/"), 240, "watch starts on the first exercise")
            for name in os.listdir(os.path.join(repo, SOL, first)):
                if name.endswith(".java"):
                    shutil.copyfile(os.path.join(repo, SOL, first, name), os.path.join(repo, EX, first, name))
            t.expect(r"saved: checking " + first, 10, "watch sees the save")
            t.expect(first + r" is done: on to the next exercise", 240, "watch re-checks and passes")
            t.expect(r"watching\s+" + re.escape(f"{EX}/{second}/"), 240, "watch moves on to the next exercise")
            t.type("q")
            t.expect(r"stopped", 10, "q quits")
            if t.wait(10, "watch after q") != 0:
                fail("watch: exit code after q was not 0", t.text)
            left = subprocess.run(["pgrep", "-f", repo], capture_output=True, text=True).stdout.split()
            if left:
                fail(f"watch left processes behind: {left}", t.text)
        step("watch: picks up an edit, passes, moves on, quits on q leaving no process", watch)

        step(f"solution {first} once it passes: shown",
             lambda: run(repo, "solution", first, code=0, expect=[r"the reference solution", r"class "]))
        step(f"reset {first} without --yes: says what it would restore, changes nothing",
             lambda: run(repo, "reset", first, code=0, expect=[r"reset would put these back", r"--yes"]))

        def reset_yes():
            run(repo, "reset", first, "--yes", code=0, expect=[r"back as shipped"])
            diff = subprocess.run(["git", "-C", repo, "status", "--porcelain", "--", f"{EX}/{first}"],
                                  capture_output=True, text=True).stdout
            if diff.strip():
                fail(f"reset --yes left changes: {diff}", "")
        step(f"reset {first} --yes: the stub is as shipped again", reset_yes)
        print("learn in a terminal: all held", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
