"""Route optimisation benchmark: crm_routing's optimiser (VROOM via pyvroom) against the
anchor, OR-Tools guided local search with a long time limit, on the same instances.

Run from the repository root (the .venv of `make test` has both solvers):

    .venv/bin/python bench/route_optimisation.py                 # 10 instances, anchor 30 s
    .venv/bin/python bench/route_optimisation.py --instances 3 --anchor-seconds 10

No database is needed: the optimiser is pure code (crm_routing/tools). Each instance is
generated from its seed: a depot in Dresden and customers in the towns of the Dresden
region (Saxony; points spread around 16 real town centres, weighted by size), distances
as the straight line x 1.3 at 50 km/h (the addon's offline default).

Prints per instance: our time and length, the anchor's length, the gap; then the mean and
worst gap and time. Then 200 stops with time windows (a third of the stops with a 2-4 hour
window, 3 minutes per visit, day 6:00-24:00, in the city of Dresden): our time and the
number of stops no order can serve.
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
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2  # noqa: PLC0415

    n = len(dist)
    manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    routing = pywrapcp.RoutingModel(manager)

    def cost(i, j):
        return dist[manager.IndexToNode(i)][manager.IndexToNode(j)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(cost))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.seconds = seconds
    solution = routing.SolveWithParameters(params)
    return solution.ObjectiveValue()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=int, default=10)
    parser.add_argument("--stops", type=int, default=100)
    parser.add_argument("--anchor-seconds", type=int, default=30)
    parser.add_argument("--tw-stops", type=int, default=200)
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


def _time_windows(args):
    rnd = random.Random(42)
    # a day's work in the city of Dresden (feasible: about 10 h of visits and 4 h driving)
    dist, dur = instance(args.tw_stops, 4242, towns=[(51.0504, 13.7373, 30)])
    stops = list(range(1, args.tw_stops + 1))
    windows = {}
    for s in rnd.sample(stops, args.tw_stops // 3):
        opening = rnd.randrange(7, 16) * 3600
        windows[s] = (opening, opening + rnd.choice([2, 3, 4]) * 3600)
    service = {s: 180 for s in stops}
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
    )
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"{args.tw_stops} stops, {len(windows)} with time windows, 3 min per visit: "
        f"wall {elapsed:.2f} s, CPU {cpu:.2f} s (target < 10 s), "
        f"{res['distance'] / 1000:.1f} km, back at {res['end_time'] / 3600:.2f} h, "
        f"late {len(res['late'])}, unassigned {len(res['unassigned'])}"
    )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
