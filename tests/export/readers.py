# Shared by the export tests: run the real readers (headless Chromium) on files flametui wrote.
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def chromium():
    """The Chromium binary, or exit 77 (skip) when it is not installed."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    print("SKIP: chromium is not installed (scripts/deps --test installs it)")
    sys.exit(SKIP)


def speedscope_app():
    """The speedscope npm package's app (dist/release: index.html, file-format-schema.json),
    or exit 77 (skip) when it is not installed."""
    try:
        root = subprocess.run(["npm", "root", "-g"], stdout=subprocess.PIPE, text=True,
                              timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        root = ""
    d = os.path.join(root, "speedscope", "dist", "release")
    if not root or not os.path.isfile(os.path.join(d, "index.html")):
        print("SKIP: the speedscope npm package is not installed (scripts/deps --test)")
        sys.exit(SKIP)
    return d


def speedscope_load(app, tmp, raw, probe, budget_ms):
    """Opens the speedscope file raw in a copy (in tmp) of the app as its own CLI does (a
    script calling loadFileFromBase64), with the script probe put before </body>; returns
    (dom, console lines that report errors)."""
    appcopy = os.path.join(tmp, "app")
    shutil.copytree(app, appcopy)
    index = os.path.join(appcopy, "index.html")
    html = open(index).read()
    open(index, "w").write(html.replace("</body>", probe))
    js = os.path.join(tmp, "profile.js")
    with open(js, "w") as f:
        f.write("speedscope.loadFileFromBase64(%s, %s)" % (
            json.dumps("out.json"), json.dumps(base64.b64encode(raw).decode())))
    dom, console = dump_dom("file://%s#localProfilePath=%s" % (index, js), budget_ms=budget_ms,
                            extra=["--allow-file-access-from-files"])
    bad = [l for l in console if re.search(r"Uncaught|rror|Failed|Cannot", l)
           and "GL Driver Message" not in l]
    return dom, console, bad


def dump_dom(url, budget_ms=5000, extra=()):
    """Loads url in headless Chromium, lets its scripts run for budget_ms of virtual time and
    returns (dom, console lines). Console lines are every message a page logged, errors and
    uncaught exceptions included."""
    profile = tempfile.mkdtemp(prefix="ft-chromium-")
    try:
        cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu",
               "--no-first-run", "--user-data-dir=" + profile,
               "--window-size=1280,900",  # a viewport for virtualized lists to fill
               "--enable-logging=stderr", "--v=0",
               "--virtual-time-budget=%d" % budget_ms, *extra, "--dump-dom", url]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    err = p.stderr.decode("utf-8", "replace")
    console = [l for l in err.splitlines() if ":CONSOLE" in l]
    if p.returncode != 0:
        raise RuntimeError("chromium exited %d: %s" % (p.returncode, err[-2000:]))
    return p.stdout.decode("utf-8", "replace"), console


def result(dom, elem_id="test-result"):
    """The JSON a test script left in the text of element elem_id."""
    m = re.search(r'id="%s"[^>]*>(.*?)</' % elem_id, dom, re.S)
    if not m:
        raise AssertionError("the page left no #%s: its script did not run to the end"
                             % elem_id)
    text = m.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
    return json.loads(text.replace("&amp;", "&"))


class Checks:
    def __init__(self):
        self.failed = 0

    def eq(self, what, got, want):
        if got == want:
            print("ok: %s" % what)
        else:
            print("FAIL: %s: got %r, want %r" % (what, got, want))
            self.failed += 1

    def near(self, what, got, want, tol):
        if got is not None and abs(got - want) <= tol:
            print("ok: %s (%s)" % (what, got))
        else:
            print("FAIL: %s: got %r, want %r +- %r" % (what, got, want, tol))
            self.failed += 1

    def true(self, what, cond, detail=""):
        if cond:
            print("ok: %s" % what)
        else:
            print("FAIL: %s %s" % (what, detail))
            self.failed += 1

    def done(self):
        print("%s" % ("FAILED" if self.failed else "PASS"))
        sys.exit(1 if self.failed else 0)


def flametui(exe, *args, stdin=None):
    p = subprocess.run([exe, *args], input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    if p.returncode != 0:
        raise RuntimeError("flametui %s: exit %d: %s" % (" ".join(args), p.returncode,
                                                        p.stderr.decode(errors="replace")))
    return p
