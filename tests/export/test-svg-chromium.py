#!/usr/bin/env python3
# The SVG export in a real browser: headless Chromium loads it with no console message, draws
# the expected frames at the expected widths, drops and counts frames narrower than 0.1 px,
# and its search and click-to-zoom work when driven from a script run in the page. A crafted
# name (markup, quotes, control bytes, invalid UTF-8) stays text.
# Usage: test-svg-chromium.py FLAMETUI
import os
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import readers  # noqa: E402

EVIL = b'evil<script>document.title="pwned"</script>&"\x01\x1b[31m\xff\xfe'
EVIL_SHOWN = 'evil<script>document.title="pwned"</script>&"\\x01\\x1b[31m\\xff\\xfe'
TINY = 2000
STACKS = [(b"main;foo;bar", 60000), (b"main;foo", 20000), (b"main;baz_[k]", 10000),
          (b"main;qux", 5000), (b"main;" + EVIL, 5000)]
STACKS += [(b"tiny;t%04d" % i, 1) for i in range(TINY)]
ALL = sum(c for _, c in STACKS)
SCALE = (1200 - 20) / ALL

# Runs after the SVG's own load handler (registered first); leaves its findings as JSON.
PROBE = r'''<script type="text/ecmascript"><![CDATA[
window.addEventListener('load', function () {
  function frames() { return [].slice.call(document.querySelectorAll('g.f')); }
  function byName(n) { return frames().filter(function (g) { return g.getAttribute('data-n') === n; })[0]; }
  function geo(n) {
    var g = byName(n); if (!g) return null;
    var r = g.querySelector('rect');
    return { x: +r.getAttribute('x'), w: +r.getAttribute('width'), shown: g.style.display !== 'none',
             dim: g.classList.contains('dim'), text: g.querySelector('text').textContent,
             title: g.querySelector('title').textContent };
  }
  var out = { count: frames().length, scripts: document.getElementsByTagName('script').length,
              title: document.title, before: {}, zoomed: {}, reset: {} };
  ['all', 'main', 'foo', 'bar', 'baz', 'qux', 'tiny', 't0001'].forEach(function (n) { out.before[n] = geo(n); });
  out.evil = geo(%(evil)s);
  out.dropped = (document.getElementById('dropped') || {}).textContent || null;
  out.search = search('ba[rz]');
  out.matched = document.getElementById('matched').textContent;
  out.searchFill = byName('bar').querySelector('rect').getAttribute('fill');
  search(null);
  out.clearedFill = byName('bar').querySelector('rect').getAttribute('fill');
  byName('bar').dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
  out.details = document.getElementById('details').textContent;
  byName('foo').dispatchEvent(new MouseEvent('click', { bubbles: true }));
  ['main', 'foo', 'bar', 'baz'].forEach(function (n) { out.zoomed[n] = geo(n); });
  document.getElementById('reset').dispatchEvent(new MouseEvent('click', { bubbles: true }));
  ['foo', 'bar', 'baz'].forEach(function (n) { out.reset[n] = geo(n); });
  var r = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  r.setAttribute('id', 'test-result'); r.textContent = JSON.stringify(out);
  document.documentElement.appendChild(r);
});
]]></script>
'''

FOUND_PROBE = r'''<script type="text/ecmascript"><![CDATA[
window.addEventListener('load', function () {
  var r = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  r.setAttribute('id', 'test-result');
  r.textContent = JSON.stringify(document.getElementById('matched').textContent);
  document.documentElement.appendChild(r);
});
]]></script>
'''


def main():
    exe = sys.argv[1]
    readers.chromium()
    c = readers.Checks()
    with tempfile.TemporaryDirectory(prefix="ft-svg-") as tmp:
        src = os.path.join(tmp, "in.folded")
        with open(src, "wb") as f:
            for stack, n in STACKS:
                f.write(b"%s %d\n" % (stack, n))
        svg = os.path.join(tmp, "out.svg")
        readers.flametui(exe, "file", src, "--output", svg)
        data = open(svg, "rb").read()
        try:
            ET.fromstring(data)
            c.true("the SVG is well-formed XML", True)
        except ET.ParseError as e:
            c.true("the SVG is well-formed XML", False, str(e))
        c.true("no external reference (self-contained)",
               b"href=" not in data and b"src=" not in data)
        c.true("the crafted name's markup is escaped in the file",
               b"<script>document" not in data and b"&lt;script&gt;document" in data)
        c.true("no control byte in the file", not any(b < 0x20 and b not in (9, 10, 13)
                                                      for b in data))
        probe = PROBE % {"evil": '"%s"' % EVIL_SHOWN.replace("\\", "\\\\").replace('"', '\\"')}
        test_svg = os.path.join(tmp, "probe.svg")
        with open(test_svg, "wb") as f:
            f.write(data.replace(b"</svg>\n", probe.encode() + b"</svg>\n"))
        dom, console = readers.dump_dom("file://" + test_svg)
        c.eq("console messages while loading and driving the SVG", console, [])
        r = readers.result(dom)
        # 1 root, main, foo, bar, baz, qux, evil, tiny: the 2000 t* frames are each 0.012 px.
        c.eq("frames drawn", r["count"], 8)
        c.eq("script elements (the SVG's own + the probe)", r["scripts"], 2)
        c.true("the crafted name ran no script", r["title"] != "pwned", r["title"])
        c.true("the crafted name is shown as text", r["evil"] is not None and
               r["evil"]["title"].startswith(EVIL_SHOWN), repr(r["evil"]))
        for name, want in [("all", ALL), ("main", 100000), ("foo", 80000), ("bar", 60000),
                           ("baz", 10000), ("qux", 5000), ("tiny", TINY)]:
            g = r["before"][name]
            c.near("width of %s" % name, g and g["w"], want * SCALE, 0.01)
        c.near("bar starts where its parent foo does", r["before"]["bar"]["x"],
               r["before"]["foo"]["x"], 0.01)
        c.eq("a frame narrower than 0.1 px is not drawn", r["before"]["t0001"], None)
        c.true("dropped frames are counted", r["dropped"] is not None and
               r["dropped"].startswith("%d frames narrower than 0.1 px" % TINY), r["dropped"])
        c.true("tooltip names samples and share", r["before"]["bar"]["title"] ==
               "bar (60000 samples, %.2f%%)" % (100.0 * 60000 / ALL), r["before"]["bar"]["title"])
        c.near("search ba[rz] matches bar + baz", r["search"], 100.0 * 70000 / ALL, 0.01)
        c.eq("the match percentage is shown", r["matched"], "Matched: %.2f%%" % (100.0 * 70000 / ALL))
        c.eq("matches are highlighted", r["searchFill"], "rgb(230,0,230)")
        c.true("clearing the search restores the colour", r["clearedFill"] != "rgb(230,0,230)")
        c.true("the details line shows the frame under the mouse",
               r["details"].startswith("bar (60000 samples"), r["details"])
        z = r["zoomed"]
        c.near("zoomed: foo spans the width", z["foo"]["w"], 1180, 0.01)
        c.near("zoomed: bar scaled to its share of foo", z["bar"]["w"], 1180 * 60000 / 80000, 0.01)
        c.eq("zoomed: baz (not under foo) hidden", z["baz"]["shown"], False)
        c.true("zoomed: main (an ancestor) full width and dimmed",
               abs(z["main"]["w"] - 1180) < 0.01 and z["main"]["dim"], repr(z["main"]))
        c.near("reset: bar back to its width", r["reset"]["bar"]["w"], 60000 * SCALE, 0.01)
        c.eq("reset: baz shown again", r["reset"]["baz"]["shown"], True)
        # written from the TUI with a search active: the page opens with it applied
        found = os.path.join(tmp, "found.svg")
        with open(found, "wb") as f:
            f.write(data.replace(b'data-w="1200"', b'data-w="1200" data-search="ba[rz]"', 1)
                    .replace(b"</svg>\n", FOUND_PROBE.encode() + b"</svg>\n"))
        dom, console = readers.dump_dom("file://" + found)
        c.eq("console messages (opened with a search)", console, [])
        c.eq("opened with the search applied", readers.result(dom),
             "Matched: %.2f%%" % (100.0 * 70000 / ALL))
    c.done()


main()
