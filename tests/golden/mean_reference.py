#!/usr/bin/env python3
"""Random groups of doubles and their exactly rounded means, for the
golden test exact_means.sh: `mean_reference.py data OUT.csv` writes the
data (group, value), `mean_reference.py want` prints what
`ecoreport aggregate OUT.csv --group-by g --agg 'm=mean(v)' --agg 'n=count()'
--to csv` must print. The mean is computed with fractions: the exact sum
divided by the count, rounded once (float() of a Fraction rounds to
nearest, ties to even). A fixed seed: the same data every run."""
import random
import struct
import sys
from fractions import Fraction


def value(rng, kind):
    if kind == 0:  # everyday magnitudes
        return rng.uniform(-1, 1) * 10 ** rng.randint(-6, 6)
    if kind == 1:  # any exponent, any significand
        bits = rng.getrandbits(52) | rng.randint(1, 2046) << 52 | rng.getrandbits(1) << 63
        return struct.unpack('<d', struct.pack('<Q', bits))[0]
    if kind == 2:  # subnormals and the smallest normals
        return rng.choice([-1, 1]) * rng.randint(1, 1 << 53) * 2.0 ** -1074
    if kind == 3:  # near the largest double: totals overflow, means do not
        return rng.choice([-1, 1]) * rng.uniform(0.5, 1) * 1.7976931348623157e308
    return rng.choice([0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1e16, -1e16, 1.0])  # classic cases


def fmt(x):
    """As ecoreport prints numbers: Python's shortest repr, no '.0'."""
    r = repr(x + 0.0)
    return r[:-2] if r.endswith('.0') else r


def groups():
    rng = random.Random(20261129)
    out = []
    for g in range(4000):
        kind = g % 5
        n = rng.choice([1, 2, 3, 3, 5, 7, 10, 49]) if g % 97 else 1000
        xs = [value(rng, kind) for _ in range(n)]
        if kind == 3 and g % 2:  # all of one sign: the total overflows
            xs = [abs(x) for x in xs]
        out.append(('g%d' % g, xs))
    return out


def main():
    data = groups()
    if sys.argv[1] == 'data':
        with open(sys.argv[2], 'w') as f:
            f.write('g,v\n')
            for name, xs in data:
                for x in xs:
                    f.write('%s,%r\n' % (name, x))
    else:
        print('g,m,n')
        for name, xs in data:
            m = float(sum(map(Fraction, xs)) / len(xs))
            print('%s,%s,%d' % (name, fmt(m), len(xs)))


main()
