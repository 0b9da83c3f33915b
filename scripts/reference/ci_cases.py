#!/usr/bin/env python3
"""Generate conformance/cases/ci-*.json: the `proportion_ci` operation.

Binomial methods are statsmodels' proportion_confint (method names: ours -> statsmodels:
clopper_pearson -> beta). The design-based methods on a plain count equal R survey's svyciprop on
an unweighted svydesign(ids = ~1) of n rows with `successes` ones (computed by calling Rscript).
Usage: python ci_cases.py OUTDIR
"""
import json
import os
import subprocess
import sys

from statsmodels.stats.proportion import proportion_confint

SM = {"wilson": "wilson", "clopper_pearson": "beta", "jeffreys": "jeffreys",
      "agresti_coull": "agresti_coull", "normal": "normal"}

BINOMIAL = [
    ("wilson", 50, 100, 0.95), ("wilson", 10, 100, 0.95), ("wilson", 0, 100, 0.95), ("wilson", 37, 40, 0.9),
    ("clopper_pearson", 96, 100, 0.95), ("clopper_pearson", 0, 10, 0.95), ("clopper_pearson", 10, 10, 0.95),
    ("clopper_pearson", 7, 23, 0.99), ("clopper_pearson", 5890, 6045, 0.95),
    ("jeffreys", 0, 20, 0.95), ("jeffreys", 37, 50, 0.95), ("jeffreys", 1, 1000, 0.99),
    ("agresti_coull", 3, 10, 0.95), ("agresti_coull", 99, 100, 0.95),
    ("normal", 5, 20, 0.95), ("normal", 0, 5, 0.95), ("normal", 1, 3, 0.8),
    ("wilson", 12.5, 30.25, 0.95), ("clopper_pearson", 12.5, 30.25, 0.95),
]
DESIGN = [("logit", 30, 40, 0.95), ("korn_graubard", 12, 15, 0.95), ("logit", 950, 1000, 0.99),
          ("korn_graubard", 333, 345, 0.9)]


def r_interval(method, x, n, level):
    m = "logit" if method == "logit" else "beta"
    code = (f'suppressMessages(library(survey)); d <- data.frame(y = c(rep(1, {x}), rep(0, {n - x})), w = 1);'
            f'des <- svydesign(ids = ~1, weights = ~w, data = d);'
            f'ci <- attr(svyciprop(~y, des, method = "{m}", level = {level}), "ci");'
            f'cat(sprintf("%.17g", ci))')
    out = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def write(outdir, name, case):
    with open(os.path.join(outdir, name + ".json"), "w") as f:
        json.dump({"name": name, **case}, f, indent=1)
        f.write("\n")


def tag(v):
    return str(v).replace(".", "_")


def main(outdir):
    k = 0
    for method, x, n, level in BINOMIAL:
        lo, hi = proportion_confint(x, n, alpha=1 - level, method=SM[method])
        write(outdir, f"ci-{method.replace('_', '-')}-{tag(x)}-of-{tag(n)}-{tag(level)}", {
            "description": f"{method} interval for {x} of {n} at {level}: statsmodels proportion_confint(method={SM[method]!r}).",
            "operation": "proportion_ci", "input": {"successes": x, "n": n, "method": method, "level": level},
            "expected": {"low": float(lo), "high": float(hi)}, "tolerance": 1e-12})
        k += 1
    for method, x, n, level in DESIGN:
        lo, hi = r_interval(method, x, n, level)
        write(outdir, f"ci-{method.replace('_', '-')}-{x}-of-{n}-{tag(level)}", {
            "description": f"{method} interval for {x} of {n} at {level}: R survey svyciprop on an unweighted svydesign(ids = ~1).",
            "operation": "proportion_ci", "input": {"successes": x, "n": n, "method": method, "level": level},
            "expected": {"low": lo, "high": hi}, "tolerance": 1e-9})
        k += 1
    errors = [
        ("ci-error-level", {"successes": 1, "n": 2, "method": "wilson", "level": 1.0}, "bad_option", "level"),
        ("ci-error-successes-above-n", {"successes": 3, "n": 2, "method": "wilson", "level": 0.95}, "bad_option", "successes"),
        ("ci-error-zero-n", {"successes": 0, "n": 0, "method": "wilson", "level": 0.95}, "bad_option", "n"),
        ("ci-error-unknown-method", {"successes": 1, "n": 2, "method": "exact", "level": 0.95}, "bad_option", "method"),
        ("ci-error-missing-n", {"successes": 1, "method": "wilson"}, "invalid_input", "n"),
    ]
    for name, inp, code, path in errors:
        write(outdir, name, {"description": f"Error {code} at {path}.", "operation": "proportion_ci", "input": inp,
                             "expected_error": {"code": code, "path": path}})
        k += 1
    print(f"wrote {k} ci cases")


if __name__ == "__main__":
    main(sys.argv[1])
