"""PNG plots of the benchmark results with gnuplot (Debian: gnuplot-nox, installed by
scripts/install-bench-deps.sh). Used by bench/report.py and bench/compile/run.py. Without gnuplot
the plots are skipped with a message and the tables are still written."""
import os
import shutil
import subprocess
import tempfile


def have_gnuplot():
    return shutil.which("gnuplot") is not None


def _run(script, data):
    """Runs a gnuplot script; `data` maps file names used in the script to their text."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in data.items():
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text)
        subprocess.run(["gnuplot"], input=script, text=True, cwd=tmp, check=True)


def _q(s):
    return '"' + str(s).replace('"', "'") + '"'


def _terminal(out, width=900, height=500):
    return (f"set terminal pngcairo size {width},{height} font 'sans,10' noenhanced\n"
            f"set output {_q(os.path.abspath(out))}\n")


def bars(out, title, ylabel, groups, series, values, logscale=True):
    """Clustered bar chart: one cluster per group, one bar per series; values[(group, series)]
    (missing entries are left out). Draws a line at y = 1."""
    if not have_gnuplot():
        print(f"plots: gnuplot not found, {out} not written")
        return False
    rows = []
    for g in groups:
        cells = [values.get((g, s)) for s in series]
        rows.append(g.replace(" ", "_") + " " + " ".join("NaN" if c is None else f"{c:.6g}" for c in cells))
    script = _terminal(out, max(900, 110 * len(groups)), 600)
    script += f"set title {_q(title)}\nset ylabel {_q(ylabel)}\n"
    script += "set style data histograms\nset style histogram clustered gap 1\n"
    script += "set style fill solid 0.85 border -1\nset boxwidth 0.9\nset grid ytics\n"
    script += "set xtics rotate by -25 scale 0\nset datafile missing 'NaN'\n"
    script += "set key outside below center horizontal maxcols 3 spacing 1.2\n"
    if logscale:
        script += "set logscale y\n"
    script += "set yrange [*:*]\n"
    plots = [f"'d.dat' using {i + 2}:xtic(1) title {_q(s)}" for i, s in enumerate(series)]
    plots.append("1 with lines lw 1 dt 2 lc rgb 'black' notitle")
    script += "plot " + ", ".join(plots) + "\n"
    _run(script, {"d.dat": "\n".join(rows) + "\n"})
    return True


def lines(out, title, xlabel, ylabel, curves, logscale="xy"):
    """Line plot: curves is a list of (title, [(x, y), ...]); points with y None are skipped."""
    if not have_gnuplot():
        print(f"plots: gnuplot not found, {out} not written")
        return False
    data = {}
    plots = []
    for i, (name, pts) in enumerate(curves):
        pts = [(x, y) for x, y in pts if y is not None and (y > 0 or "y" not in logscale)]
        if not pts:
            continue
        data[f"c{i}.dat"] = "\n".join(f"{x} {y:.6g}" for x, y in pts) + "\n"
        plots.append(f"'c{i}.dat' using 1:2 with linespoints title {_q(name)}")
    if not plots:
        return False
    script = _terminal(out)
    script += f"set title {_q(title)}\nset xlabel {_q(xlabel)}\nset ylabel {_q(ylabel)}\n"
    script += "set grid\nset key top left\n"
    if logscale:
        script += f"set logscale {logscale}\n"
    script += "plot " + ", ".join(plots) + "\n"
    _run(script, data)
    return True
