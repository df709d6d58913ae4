import sys
K=int(sys.argv[1]); shape=sys.argv[2]; variant=sys.argv[3]
def chain(K, var, sin):
    e=var(0)
    for k in range(K):
        v=var(k%4)
        m=k%5
        if m==0: e=f"({e} + {v})"
        elif m==1: e=f"({v} / {e})"
        elif m==2: e=f"({e} * {v})"
        elif m==3: e=f"({e} / {v})"
        else: e=f"{sin}({e})"
    return e
def sumshape(K, var, sin):
    return " + ".join(f"{var(k % 4)} * {var((k + 1) % 4)} + {sin}({var((k + 2) % 4)})" for k in range(max(1,K//4)))
gen = chain if shape=="chain" else sumshape
if variant=="a":
    print("#include <cmath>\n#include <ctgrad/ctgrad.hpp>\ndouble f(const double* x) { return %s; }" % gen(K, lambda i: f"x[{i}]", "std::sin"))
elif variant=="inc":
    print("#include <ctgrad/ctgrad.hpp>\ndouble f(const double* in) { return in[0]; }")
else:
    leaves="\n".join(f"    ctgrad::leaf x{i}{{in[{i}], ctgrad::requires_grad}};" for i in range(4))
    print("#include <ctgrad/ctgrad.hpp>\ndouble f(const double* in, double* g) {\n%s\n    auto e = %s;\n    const double v = e.backward();\n    %s\n    return v;\n}" % (leaves, gen(K, lambda i: f"x{i}", "sin"), " ".join(f"g[{i}] = x{i}.grad();" for i in range(4))))
