#!/usr/bin/env python3
"""Compare two NDJSON record streams by parsed value (1 == 1.0, bool != number, key order
ignored, list order kept). Usage: compare_records.py expected.jsonl actual.jsonl"""
import json, sys

def norm(v):
    if isinstance(v, bool):
        return ("b", v)
    if isinstance(v, (int, float)):
        return ("n", float(v))
    if isinstance(v, list):
        return ("l", [norm(x) for x in v])
    if isinstance(v, dict):
        return ("d", sorted((k, norm(x)) for k, x in v.items()))
    return ("s", v)

def load(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(l) for l in fh if l.strip()]

def main():
    a, b = load(sys.argv[1]), load(sys.argv[2])
    for i, (x, y) in enumerate(zip(a, b)):
        if norm(x) != norm(y):
            print(f"record {i} differs:\n  expected {json.dumps(x)}\n  actual   {json.dumps(y)}")
            return 1
    if len(a) != len(b):
        print(f"record count differs: expected {len(a)}, actual {len(b)}")
        extra = a[len(b):] or b[len(a):]
        print("  first extra:", json.dumps(extra[0]))
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main())
