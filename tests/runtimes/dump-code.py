"""Every code object of a few stdlib modules, as test-pycode reads them: first line, location
table (hex), instructions, then the line of each instruction as CPython itself reports it
(co_positions; -1 where it says None). Run by /usr/bin/python3.11."""
import argparse, collections, dis, json.decoder, json.encoder, types

def walk(co):
    yield co
    for c in co.co_consts:
        if isinstance(c, types.CodeType):
            yield from walk(c)

seen = 0
for mod in (argparse, collections, dis, json.decoder, json.encoder):
    for obj in vars(mod).values():
        for f in ([obj] if isinstance(obj, types.FunctionType) else
                  [v for v in vars(obj).values() if isinstance(v, types.FunctionType)]
                  if isinstance(obj, type) else []):
            for co in walk(f.__code__):
                lines = [-1 if p[0] is None else p[0] for p in co.co_positions()]
                print(co.co_firstlineno, co.co_linetable.hex() or "-", len(lines),
                      " ".join(map(str, lines)))
