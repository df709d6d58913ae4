#!/usr/bin/env python3
"""Derives the polynomial coefficients of include/ctgrad/math/detail/pack_kernels.hpp.

Each kernel's polynomial is a Chebyshev fit (mpmath.chebyfit, 60 digits) of a smooth function on
the interval its range reduction leaves; the fit's maximum relative error is printed beside it.
Run: python3 scripts/gen_pack_coefficients.py
"""
import mpmath as mp

mp.mp.dps = 60


def fit(name, f, a, b, deg, rel_to=None):
    poly, err = mp.chebyfit(f, [a, b], deg + 1, error=True)
    poly = poly[::-1]  # lowest degree first
    xs = [a + (b - a) * mp.mpf(i) / 2000 for i in range(2001)]
    worst = 0
    for x in xs:
        p = sum(c * x**i for i, c in enumerate(poly))
        ref = f(x)
        scale = rel_to(x) if rel_to else ref
        if scale != 0:
            worst = max(worst, abs(p - ref) / abs(scale))
    print(f"// {name}: degree {deg} on [{mp.nstr(a, 6)}, {mp.nstr(b, 6)}], max error {mp.nstr(worst, 3)}")
    for c in poly:
        print(f"    {float(c).hex()},  // {mp.nstr(c, 20)}")
    return poly


def split(name, v, bits):
    """v = hi + lo with hi having at most `bits` significant bits (k * hi exact for small k)."""
    e = mp.floor(mp.log(abs(v), 2))
    hi = mp.floor(v / mp.mpf(2) ** (e - bits + 1)) * mp.mpf(2) ** (e - bits + 1)
    lo = v - hi
    print(f"// {name} = hi + lo, hi with {bits} bits")
    print(f"    hi {float(hi).hex()}, lo {float(lo).hex()}, rest {mp.nstr(lo - mp.mpf(float(lo)), 3)}")
    return hi, lo


r_exp = mp.log(2) / 2 + mp.mpf(2) ** -20
# e^r = 1 + r + r^2 q(r): q(r) = (e^r - 1 - r) / r^2; error relative to e^r
q = lambda r: (mp.exp(r) - 1 - r) / r**2 if r != 0 else mp.mpf(1) / 2
fit("exp q(r)", q, -r_exp, r_exp, 10, rel_to=lambda r: mp.exp(r) / r**2 if r != 0 else 1)
split("ln2", mp.log(2), 32)
print("// 1/ln2", float(1 / mp.log(2)).hex())

# log(1 + f) = 2 atanh(s), s = f / (2 + f), |s| <= s_max; 2 atanh(s) = 2 s + s R(s^2),
# R(z) = z g(z), g(z) = (2 atanh(sqrt z) / sqrt z - 2) / z
s_max = (mp.sqrt(2) - 1) / (mp.sqrt(2) + 1) + mp.mpf(2) ** -20
g = lambda z: (2 * mp.atanh(mp.sqrt(z)) / mp.sqrt(z) - 2) / z if z != 0 else mp.mpf(2) / 3
fit("log g(z)", g, mp.mpf(0), s_max**2, 7)

# sin(r) = r + r^3 S(r^2), cos(r) = 1 - r^2/2 + r^4 C(r^2), |r| <= pi/4
z_max = (mp.pi / 4 + mp.mpf(2) ** -20) ** 2
S = lambda z: (mp.sin(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3 if z != 0 else -mp.mpf(1) / 6
C = lambda z: (mp.cos(mp.sqrt(z)) - 1 + z / 2) / z**2 if z != 0 else mp.mpf(1) / 24
fit("sin S(z)", S, mp.mpf(0), z_max, 7)
fit("cos C(z)", C, mp.mpf(0), z_max, 7)
split("pi/2 part 1", mp.pi / 2, 32)
hi1, lo1 = (mp.floor(mp.pi / 2 * 2**31) / 2**31), None
rest = mp.pi / 2 - hi1
split("pi/2 part 2 (of the rest)", rest, 32)
hi2 = mp.floor(rest * 2**63) / 2**63
print("// pi/2 part 1", float(hi1).hex(), "part 2", float(hi2).hex(), "part 3", float(mp.pi / 2 - hi1 - hi2).hex())
print("// 2/pi", float(2 / mp.pi).hex())

# erf(x) = x + x y(z), z = x^2, |x| < 0.84375... : y(z) = erf(sqrt z)/sqrt z - 1
E = lambda z: mp.erf(mp.sqrt(z)) / mp.sqrt(z) - 1 if z != 0 else 2 / mp.sqrt(mp.pi) - 1
fit("erf y(z)", E, mp.mpf(0), mp.mpf(0.84375) ** 2, 10, rel_to=lambda z: 1)

# tanh(x) = x + x^3 T(x^2) for |x| < 0.55
T = lambda z: (mp.tanh(mp.sqrt(z)) / mp.sqrt(z) - 1) / z if z != 0 else -mp.mpf(1) / 3
fit("tanh T(z)", T, mp.mpf(0), mp.mpf(0.55) ** 2 + mp.mpf(2) ** -20, 11,
    rel_to=lambda z: mp.tanh(mp.sqrt(z)) / mp.sqrt(z) ** 3 if z != 0 else 1)

# erfc(x) = e^(-x^2) h(x), h(x) = e^(x^2) erfc(x), for 0.84375 <= x < 6 in two pieces, each a
# polynomial in t = (x - mid) / half in [-1, 1]; error relative to h
h = lambda x: mp.exp(x * x) * mp.erfc(x)
for a, b, deg in [(mp.mpf(0.84375), mp.mpf(2.25), 19), (mp.mpf(2.25), mp.mpf(6), 19)]:
    mid, half = (a + b) / 2, (b - a) / 2
    print(f"// erfc piece mid {float(mid).hex()} 1/half {float(1 / half).hex()}")
    fit("erfc h(mid + half t)", lambda t: h(mid + half * t), mp.mpf(-1), mp.mpf(1), deg)
