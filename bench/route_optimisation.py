"""Route optimisation benchmark: crm_routing's optimiser (VROOM via pyvroom; OR-Tools for
long tours with time windows) against the anchor, OR-Tools guided local search with a long
time limit and its cost matrix passed as data (no Python callback per arc), on the same
instances.

Run from the repository root (the .venv of `make test` has both solvers):

    .venv/bin/python bench/route_optimisation.py                 # 10 instances, anchor 30 s
    .venv/bin/python bench/route_optimisation.py --instances 3 --anchor-seconds 10

No database is needed: the optimiser is pure code (crm_routing/tools). Each instance is
generated from its seed: a depot in Dresden and customers in the towns of the Dresden
region (Saxony; points spread around 16 real town centres, weighted by size), distances
as the straight line x 1.3 at 50 km/h (the addon's offline default).

    .venv/bin/python bench/route_optimisation.py --instances 0     # time windows only

Prints per instance: our time and length, the anchor's length, the gap; then the mean and
worst gap and time. Then 200 stops with time windows (a third of the stops with a 2-4 hour
window placed around a reference tour so that the instance is feasible, 3 minutes per
visit, day 6:00-24:00, in the city of Dresden): wall and CPU time, length and unserved
stops for several VROOM settings (exploration level, threads), the addon's default, the
anchor OR-Tools (time dimension, guided local search with its default operators, 10 s and
30 s) and a 60 s run of the addon's OR-Tools search on the same instance; then the best
known tour (the shortest of them all that serves every stop) and the default's gap to it.
"""

import argparse
import importlib.util
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bootstrap():
    """Set up what the optimiser's modules import, in a clone with only .venv: run inside
    .venv (Odoo's requirements, pyvroom, OR-Tools), Odoo's source linked into it, and
    this checkout's addons under odoo.addons (crm_routing's tools import crm_core's)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import suite  # noqa: PLC0415

    if not suite.in_venv():
        suite.ensure_venv()
        os.execv(str(suite.VENV_PY), [str(suite.VENV_PY), *sys.argv])
    src = suite.find_odoo()
    suite.link_odoo_into_venv(src)
    if str(src) not in sys.path:
        sys.path.insert(0, str(src))
    import odoo.addons  # noqa: PLC0415

    if str(ROOT) not in odoo.addons.__path__:
        odoo.addons.__path__.append(str(ROOT))


_bootstrap()


def _load(name):
    spec = importlib.util.spec_from_file_location(
        name, ROOT / "crm_routing" / "tools" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


geo = _load("geo")
optimise = _load("optimise")

DEPOT = (51.0504, 13.7373)  # Dresden, Altmarkt
TOWNS = [  # (lat, lon, weight)
    (51.0504, 13.7373, 30),
    (51.1069, 13.6431, 5),
    (50.9609, 13.9401, 4),
    (51.1636, 13.4737, 4),
    (51.0017, 13.6486, 4),
    (51.2690, 14.0940, 2),
    (51.1811, 14.4237, 4),
    (51.1230, 14.1570, 2),
    (50.9239, 13.3425, 3),
    (51.2600, 13.7500, 2),
    (50.8800, 13.6600, 2),
    (51.0300, 13.9700, 1),
    (51.3100, 13.5000, 1),
    (50.9900, 14.2300, 1),
    (51.1300, 13.8000, 2),
    (51.2300, 13.9400, 1),
]


def instance(n, seed, towns=TOWNS):
    rnd = random.Random(seed)
    weights = [t[2] for t in towns]
    points = [DEPOT]
    for _ in range(n):
        lat, lon, w = rnd.choices(towns, weights)[0]
        spread = 0.012 + 0.004 * w**0.5
        points.append((rnd.gauss(lat, spread), rnd.gauss(lon, spread * 1.6)))
    return geo.straight_line_matrix(points, road_factor=1.3, speed_kmh=50.0)


def ortools_gls(dist, seconds):
    """Anchor without time windows: OR-Tools guided local search, the cost matrix passed
    as data (RegisterTransitMatrix: no Python callback per arc)."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2  # noqa: PLC0415

    n = len(dist)
    manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    routing.SetArcCostEvaluatorOfAllVehicles(
        routing.RegisterTransitMatrix([[int(v) for v in row] for row in dist])
    )
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.seconds = seconds
    solution = routing.SolveWithParameters(params)
    return solution.ObjectiveValue()


def _setting(text):
    parts = text.split(":")
    return int(parts[0]), int(parts[1]), float(parts[2]) if len(parts) > 2 else None


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=int, default=10)
    parser.add_argument("--stops", type=int, default=100)
    parser.add_argument("--anchor-seconds", type=int, default=30)
    parser.add_argument("--tw-stops", type=int, default=200)
    parser.add_argument(
        "--tw-settings",
        type=lambda v: [_setting(x) for x in v.split(",")],
        default=[(0, 1, None), (0, 2, None), (1, 2, None), (2, 2, None), (2, 2, 8.0)],
        help="VROOM settings level:threads[:timeout s] to time, e.g. 1:1,2:2:8",
    )
    parser.add_argument(
        "--tw-anchor-seconds",
        type=lambda v: [int(x) for x in v.split(",")],
        default=[10, 30],
        help="time limits of the OR-Tools anchor on the time-window instance",
    )
    parser.add_argument(
        "--tw-best-seconds",
        type=int,
        default=60,
        help="a long run of the addon's OR-Tools search, for the best known tour (0: none)",
    )
    args = parser.parse_args(argv)

    print(
        f"{args.stops} stops, round trip from Dresden, {args.instances} seeded instances;"
        f" anchor: OR-Tools GLS {args.anchor_seconds} s"
    )
    print(
        f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
        "(wall times grow with the load; CPU time is what the solve costs on one core)"
    )
    print(f"{'seed':>4} {'wall s':>7} {'cpu s':>6} {'ours km':>8} {'anchor km':>9} {'gap %':>6}")
    gaps, times, cpus = [], [], []
    for seed in range(args.instances):
        dist, dur = instance(args.stops, seed)
        stops = list(range(1, args.stops + 1))
        t0, c0 = time.perf_counter(), time.process_time()
        ours = optimise.optimise(dur, dist, stops, start=0, end=0)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert sorted(ours["order"]) == stops and not ours["unassigned"]
        anchor = ortools_gls(dist, args.anchor_seconds)
        gap = (ours["distance"] - anchor) / anchor * 100
        gaps.append(gap)
        times.append(elapsed)
        cpus.append(cpu)
        print(
            f"{seed:>4} {elapsed:>7.2f} {cpu:>6.2f} {ours['distance'] / 1000:>8.1f} "
            f"{anchor / 1000:>9.1f} {gap:>+6.2f}",
            flush=True,
        )
    if not gaps:
        print("(no 100-stop instances asked for)")
    else:
        _summary(args, gaps, times, cpus)
    _time_windows(args)


def _summary(args, gaps, times, cpus):
    print(
        f"ours: wall mean {statistics.mean(times):.2f} s, max {max(times):.2f} s; "
        f"CPU mean {statistics.mean(cpus):.2f} s, max {max(cpus):.2f} s (target < 2 s)"
    )
    print(
        f"gap to anchor: mean {statistics.mean(gaps):+.2f} %, worst {max(gaps):+.2f} % "
        f"(target <= +2 %); anchor {args.anchor_seconds} s wall per instance, ratio "
        f"anchor/ours (wall) {args.anchor_seconds / statistics.mean(times):.0f}x"
    )


def tw_instance(n, seed):
    """A day's work of ``n`` stops in the city of Dresden with time windows that some
    order can keep (feasible by construction): a reference tour (nearest neighbour
    from the depot, 3 minutes per visit from 6:00) is driven, and a third of the stops
    get a window of 2-4 hours around the reference arrival, on quarter hours. Returns
    (dist, dur, service, windows, reference result)."""
    rnd = random.Random(seed)
    dist, dur = instance(n, seed, towns=[(51.0504, 13.7373, 30)])
    stops = list(range(1, n + 1))
    service = {s: 180 for s in stops}
    todo, order, pos = set(stops), [], 0
    while todo:
        pos = min(todo, key=lambda j, i=pos: dur[i][j])
        order.append(pos)
        todo.discard(pos)
    ref = optimise.evaluate(order, dur, dist, start=0, end=0, service=service, day_start=6 * 3600)
    arrival = {row["node"]: row["begin"] for row in ref["schedule"]}
    quarter = 900
    windows = {}
    for s in rnd.sample(stops, n // 3):
        length = rnd.choice([2, 3, 4]) * 3600
        opening = arrival[s] - rnd.uniform(0, length)
        opening = max(6 * 3600, int(opening // quarter) * quarter)
        closing = -(-(opening + length) // quarter) * quarter
        closing = max(closing, -(-arrival[s] // quarter) * quarter)
        windows[s] = (opening, closing)
    check = optimise.evaluate(
        order, dur, dist, start=0, end=0, service=service, windows=windows, day_start=6 * 3600
    )
    assert not check["late"] and check["end_time"] <= 24 * 3600, "generator bug"
    return dist, dur, service, windows, check


def ortools_tw(dist, dur, service, windows, seconds, day=(6 * 3600, 24 * 3600)):
    """Anchor: OR-Tools routing with a time dimension (first tour by parallel cheapest
    insertion, then guided local search for ``seconds``). Stops it cannot fit are
    dropped at a high penalty (counted). Returns (metres, dropped)."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2  # noqa: PLC0415

    n = len(dist)
    manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    routing = pywrapcp.RoutingModel(manager)

    # the matrices passed as data (no Python callback per arc): distance as the cost,
    # driving time plus the visit at the stop left as the time transit
    cost = [[int(v) for v in row] for row in dist]
    transit = [[int(dur[a][b]) + service.get(a, 0) for b in range(n)] for a in range(n)]
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(cost))
    time_cb = routing.RegisterTransitMatrix(transit)
    routing.AddDimension(time_cb, day[1] - day[0], day[1], False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for node, (opening, closing) in windows.items():
        time_dim.CumulVar(manager.NodeToIndex(node)).SetRange(opening, closing)
    time_dim.CumulVar(routing.Start(0)).SetRange(day[0], day[1])
    time_dim.CumulVar(routing.End(0)).SetRange(day[0], day[1])
    for node in range(1, n):
        routing.AddDisjunction([manager.NodeToIndex(node)], 10**7)
    params = pywrapcp.DefaultRoutingSearchParameters()
    # insertion builds a first tour that keeps the windows (PATH_CHEAPEST_ARC drops stops)
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.seconds = seconds
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return None, n - 1
    index, metres, served = routing.Start(0), 0, 0
    while not routing.IsEnd(index):
        nxt = solution.Value(routing.NextVar(index))
        metres += cost[manager.IndexToNode(index)][manager.IndexToNode(nxt)]
        index = nxt
        served += 1
    return metres, n - served


def _time_windows(args):
    n = args.tw_stops
    dist, dur, service, windows, ref = tw_instance(n, 4242)
    stops = list(range(1, n + 1))
    print(
        f"\n{n} stops in Dresden, {len(windows)} with a 2-4 h time window, 3 min per visit, "
        f"day 6:00-24:00 (feasible: the generator's reference tour keeps every window, "
        f"{ref['distance'] / 1000:.1f} km, back at {ref['end_time'] / 3600:.2f} h)"
    )
    print(f"load average: {os.getloadavg()[0]:.1f}")
    print(
        f"{'VROOM level':>11} {'threads':>7} {'wall s':>7} {'cpu s':>6} {'km':>7} "
        f"{'late':>4} {'unserved':>8}"
    )
    results = {}

    def solve(level, threads, timeout):
        t0, c0 = time.perf_counter(), time.process_time()
        res = optimise.optimise(
            dur,
            dist,
            stops,
            start=0,
            end=0,
            service=service,
            windows=windows,
            day_start=6 * 3600,
            day_end=24 * 3600,
            exploration_level=level,
            threads=threads,
            timeout=timeout,
        )
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        results[(level, threads, timeout)] = (
            elapsed,
            cpu,
            res["distance"],
            len(res["unassigned"]),
        )
        return res, elapsed, cpu

    for level, threads, timeout in args.tw_settings:
        res, elapsed, cpu = solve(level, threads, timeout)
        print(
            f"{level:>11} {threads:>7} {timeout or '-':>5} {elapsed:>7.2f} {cpu:>6.2f} "
            f"{res['distance'] / 1000:>7.1f} {len(res['late']):>4} {len(res['unassigned']):>8}",
            flush=True,
        )
    # the addon's default (optimise() without settings): OR-Tools for this size
    chosen = optimise.solver_settings(n, windows=True)
    t0, c0 = time.perf_counter(), time.process_time()
    default = optimise.optimise(
        dur,
        dist,
        stops,
        start=0,
        end=0,
        service=service,
        windows=windows,
        day_start=6 * 3600,
        day_end=24 * 3600,
    )
    default_wall, default_cpu = time.perf_counter() - t0, time.process_time() - c0
    engine = f"VROOM level {chosen[0]}" if chosen[0] is not None else "OR-Tools"
    print(
        f"the addon's default for {n} stops with windows ({engine}, time limit "
        f"{chosen[2]} s): wall {default_wall:.2f} s, CPU {default_cpu:.2f} s, "
        f"{default['distance'] / 1000:.1f} km, late {len(default['late'])}, "
        f"unserved {len(default['unassigned'])} (load {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    known = [
        (metres, f"VROOM level {level}, {threads} threads")
        for (level, threads, _timeout), (_w, _c, metres, unserved) in results.items()
        if not unserved
    ]
    for seconds in args.tw_anchor_seconds:
        t0, c0 = time.perf_counter(), time.process_time()
        metres, dropped = ortools_tw(dist, dur, service, windows, seconds)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"anchor OR-Tools GLS {seconds} s (default operators): wall {elapsed:.2f} s, "
            f"CPU {cpu:.2f} s, {(metres or 0) / 1000:.1f} km, unserved {dropped}",
            flush=True,
        )
        if metres and not dropped:
            known.append((metres, f"OR-Tools GLS {seconds} s"))
    if args.tw_best_seconds:
        t0, c0 = time.perf_counter(), time.process_time()
        long_run = optimise.ortools_tour(
            dur,
            dist,
            stops,
            start=0,
            end=0,
            service=service,
            windows=windows,
            day_start=6 * 3600,
            day_end=24 * 3600,
            seconds=args.tw_best_seconds,
        )
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"the addon's OR-Tools search for {args.tw_best_seconds} s: wall {elapsed:.2f} s, "
            f"CPU {cpu:.2f} s, {long_run['distance'] / 1000:.1f} km, unserved "
            f"{len(long_run['unassigned'])}",
            flush=True,
        )
        if not long_run["unassigned"]:
            known.append((long_run["distance"], f"OR-Tools {args.tw_best_seconds} s"))
    if known and not default["unassigned"]:
        best, source = min(known)
        gap = (default["distance"] - best) / best * 100
        print(
            f"best known tour: {best / 1000:.1f} km ({source}); the addon's default "
            f"{default['distance'] / 1000:.1f} km, gap {gap:+.2f} % in {default_wall:.2f} s "
            f"wall / {default_cpu:.2f} s CPU (target: within +2 % in under 10 s)"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
