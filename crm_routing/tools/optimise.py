"""Tour optimisation for one vehicle (no ORM).

Nodes are indexes into square matrices of distances (m) and durations (s); times are
seconds since midnight of the route's day. The solver is VROOM (pyvroom); long tours with
time windows go to OR-Tools' routing solver instead (the matrices passed as data, guided
local search for a bounded time), which finds shorter tours there in far less CPU time
(bench/route_optimisation.py). A fixed order is evaluated the same way, so every path
reports the same figures."""

import datetime
import itertools
import os

INFINITY_S = 10**9
# tours with time windows above this many stops go to OR-Tools (see solver_settings)
ORTOOLS_FROM_STOPS = 100
# OR-Tools' time limit (seconds, wall clock) for those tours
ORTOOLS_SECONDS = 8


def solver_settings(n_stops, windows=False):
    """VROOM's search effort (exploration level 0-5), threads and time limit (seconds,
    None: none) for a tour of ``n_stops``, from bench/route_optimisation.py on 2 cores:
    the deepest search for small tours; at 100 stops level 1 is already within the
    anchor's length. Level None: the tour goes to OR-Tools (``ortools_tour``), with the
    time limit given: with time windows and more than 100 stops VROOM's local search is
    slow (200 stops: level 0 is 7.4 % longer than the best known tour after about 8 s of
    CPU, level 2 reaches it after about 22 s, and a time limit on it leaves stops
    unserved), while OR-Tools' guided local search has a tour that keeps every window
    after its first insertion pass and comes within 1 % of the best known in about 3 s
    of CPU.

    :return: (exploration_level, threads, timeout)
    """
    threads = min(2, os.cpu_count() or 1)
    if n_stops <= 30:
        return 5, 1, None
    if n_stops <= 60:
        return 3, threads, None
    if windows and n_stops > ORTOOLS_FROM_STOPS:
        return None, 1, ORTOOLS_SECONDS
    return 1, threads, None


class OptimisationError(Exception):
    """The problem cannot be solved (bad input)."""


def _check(duration, distance, stops, start, end):
    n = len(duration)
    if (
        len(distance) != n
        or any(len(r) != n for r in duration)
        or any(len(r) != n for r in distance)
    ):
        raise OptimisationError("distance and duration matrices must be square and alike")
    for node in [*stops, start] + ([end] if end is not None else []):
        if not 0 <= node < n:
            raise OptimisationError(f"node {node} is not in the matrix")
    if len(set(stops)) != len(stops):
        raise OptimisationError("a stop is listed twice")


def evaluate(
    order, duration, distance, *, start, end=None, service=None, windows=None, day_start=0
):
    """Drive the stops in ``order``: arrival, waiting and departure per stop, totals,
    and the stops reached after their time window closed (``late``).

    :param service: {node: seconds on site}
    :param windows: {node: (open, close)} in seconds since midnight
    """
    service = service or {}
    windows = windows or {}
    t = day_start
    pos = start
    total_dist = 0
    schedule = []
    late = []
    for node in order:
        total_dist += distance[pos][node]
        t += duration[pos][node]
        arrival = t
        opening, closing = windows.get(node, (0, INFINITY_S))
        begin = max(arrival, opening)
        if begin > closing:
            late.append(node)
        t = begin + service.get(node, 0)
        schedule.append(
            {
                "node": node,
                "arrival": arrival,
                "begin": begin,
                "departure": t,
                "waiting": begin - arrival,
            }
        )
        pos = node
    if end is not None:
        total_dist += distance[pos][end]
        t += duration[pos][end]
    return {
        "order": list(order),
        "schedule": schedule,
        "distance": total_dist,
        "end_time": t,
        "duration": t - day_start,
        "late": late,
        "unassigned": [],
    }


def optimise(
    duration,
    distance,
    stops,
    *,
    start,
    end=None,
    service=None,
    windows=None,
    day_start=0,
    day_end=None,
    cost="distance",
    exploration_level=None,
    threads=None,
    timeout=None,
):
    """Best visiting order of ``stops`` from ``start`` to ``end`` (None: the route ends
    at the last stop), with visit durations and time windows.

    Stops that no order can serve inside their time windows (or the day) are returned
    in ``unassigned`` - never dropped silently; the caller shows them.

    :param cost: "distance" (shortest route) or "duration" (quickest route)
    :param exploration_level: VROOM's search effort 1-5 (default by size, with
        ``threads``: :func:`solver_settings`)
    :param threads: solver threads (default 1 when the level is given)
    :param timeout: seconds after which VROOM returns its best tour so far
    :return: dict as :func:`evaluate` plus ``unassigned``
    """
    _check(duration, distance, stops, start, end)
    service = service or {}
    windows = windows or {}
    if not stops:
        return evaluate([], duration, distance, start=start, end=end, day_start=day_start)
    import numpy as np  # noqa: PLC0415 - heavy, only when optimising
    import vroom  # noqa: PLC0415

    if exploration_level is None:
        exploration_level, threads, default_timeout = solver_settings(len(stops), bool(windows))
        timeout = default_timeout if timeout is None else timeout
        if exploration_level is None:
            kwargs = {
                "start": start,
                "end": end,
                "service": service,
                "windows": windows,
                "day_start": day_start,
                "day_end": day_end,
                "cost": cost,
            }
            result = ortools_tour(duration, distance, stops, seconds=timeout, **kwargs)
            if not result["unassigned"]:
                return result
            # stops left out: the time limit ran out before every stop found its place (a
            # very loaded machine) or no order serves them; VROOM without a time limit
            # decides, the tour serving more stops wins (then the shorter one)
            other = optimise(
                duration,
                distance,
                stops,
                exploration_level=0,
                threads=min(2, os.cpu_count() or 1),
                **kwargs,
            )
            key = "distance" if cost == "distance" else "duration"
            return min(result, other, key=lambda r: (len(r["unassigned"]), r[key]))
    dur = np.asarray(duration, dtype=np.uint32)
    dist = np.asarray(distance, dtype=np.uint32)
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=dur)
    problem.set_distances_matrix(profile="car", matrix_input=dist)
    if cost == "distance":
        problem.set_costs_matrix(profile="car", matrix_input=dist)
    elif cost != "duration":
        raise OptimisationError(f"unknown cost {cost!r}")
    vehicle_kw = {"id": 1, "start": start, "profile": "car"}
    if end is not None:
        vehicle_kw["end"] = end
    if day_end is not None or day_start:
        vehicle_kw["time_window"] = vroom.TimeWindow(
            day_start, day_end if day_end is not None else INFINITY_S
        )
    problem.add_vehicle(vroom.Vehicle(**vehicle_kw))
    jobs = []
    for node in stops:
        kw = {"id": node + 1, "location": node, "default_service": service.get(node, 0)}
        if node in windows:
            kw["time_windows"] = [vroom.TimeWindow(*windows[node])]
        jobs.append(vroom.Job(**kw))
    problem.add_job(jobs)
    solve_kw = {"exploration_level": exploration_level, "nb_threads": threads or 1}
    if timeout is not None:
        solve_kw["timeout"] = datetime.timedelta(seconds=timeout)
    solution = problem.solve(**solve_kw)
    routes = solution.routes
    order = [int(row) - 1 for row in routes.loc[routes["type"] == "job", "id"]]
    served = set(order)
    # VROOM leaves the start later instead of waiting at the first stop when the
    # windows allow: keep its departure so that waiting times are what the driver sees
    departure = int(routes["arrival"].iloc[0]) if len(routes) else day_start
    result = evaluate(
        order,
        duration,
        distance,
        start=start,
        end=end,
        service=service,
        windows=windows,
        day_start=max(day_start, departure),
    )
    result["unassigned"] = [n for n in stops if n not in served]
    return result


def ortools_tour(
    duration,
    distance,
    stops,
    *,
    start,
    end=None,
    service=None,
    windows=None,
    day_start=0,
    day_end=None,
    cost="distance",
    seconds=ORTOOLS_SECONDS,
):
    """The tour of :func:`optimise` found by OR-Tools' routing solver: the matrices of
    the route's nodes passed as data (no Python callback per arc), a time dimension with
    the visits, the windows and the day, a first tour by local cheapest insertion, then
    guided local search with the neighbourhoods that move chains and exchange segments,
    for ``seconds`` (wall clock). A stop no order can serve is left out at a penalty
    higher than any tour and returned in ``unassigned``.

    :return: dict as :func:`evaluate` plus ``unassigned``
    """
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2  # noqa: PLC0415
    from ortools.util.optional_boolean_pb2 import BOOL_TRUE  # noqa: PLC0415

    _check(duration, distance, stops, start, end)
    service = service or {}
    windows = windows or {}
    if cost not in ("distance", "duration"):
        raise OptimisationError(f"unknown cost {cost!r}")
    if not stops:
        return evaluate([], duration, distance, start=start, end=end, day_start=day_start)
    # the route's nodes: 0 = start, the stops, then the end (a free dummy when the route
    # ends at its last stop)
    nodes = [start, *stops]
    if end is not None:
        nodes.append(end)
    size = len(nodes) if end is not None else len(nodes) + 1
    last = size - 1

    def matrix(values, extra=None):
        rows = []
        for a in range(size):
            if a == last and end is None:
                rows.append([0] * size)
                continue
            row = []
            for b in range(size):
                if b == last and end is None:
                    row.append(0)
                else:
                    row.append(int(values[nodes[a]][nodes[b]]) + (extra(a) if extra else 0))
            rows.append(row)
        return rows

    horizon = day_end if day_end is not None else INFINITY_S
    manager = pywrapcp.RoutingIndexManager(size, 1, [0], [last])
    routing = pywrapcp.RoutingModel(manager)
    costs = matrix(distance if cost == "distance" else duration)
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(costs))
    on_site = [0] + [service.get(node, 0) for node in stops] + [0] * (size - 1 - len(stops))
    transit = routing.RegisterTransitMatrix(matrix(duration, extra=lambda a: on_site[a]))
    routing.AddDimension(transit, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    time_dim.CumulVar(routing.Start(0)).SetRange(day_start, horizon)
    time_dim.CumulVar(routing.End(0)).SetRange(day_start, horizon)
    penalty = sum(max(row) for row in costs) + 1
    unservable = []
    for local, node in enumerate(stops, start=1):
        index = manager.NodeToIndex(local)
        opening, closing = windows.get(node, (0, horizon))
        opening, closing = max(opening, day_start), min(closing, horizon)
        if opening > closing:
            unservable.append(node)
            routing.solver().Add(routing.ActiveVar(index) == 0)
        else:
            time_dim.CumulVar(index).SetRange(opening, closing)
        routing.AddDisjunction([index], penalty)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    operators = params.local_search_operators
    for name in ("use_relocate_neighbors", "use_cross_exchange", "use_extended_swap_active"):
        setattr(operators, name, BOOL_TRUE)
    params.time_limit.FromMilliseconds(int((seconds or ORTOOLS_SECONDS) * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        raise OptimisationError("no tour keeps the day and the windows")
    order, index = [], solution.Value(routing.NextVar(routing.Start(0)))
    while not routing.IsEnd(index):
        order.append(stops[manager.IndexToNode(index) - 1])
        index = solution.Value(routing.NextVar(index))
    # leave the start as late as the windows allow (as VROOM does), so that waiting
    # times are what the driver sees
    departure = max(day_start, solution.Max(time_dim.CumulVar(routing.Start(0))))
    kwargs = {"start": start, "end": end, "service": service, "windows": windows}
    result = evaluate(order, duration, distance, day_start=departure, **kwargs)
    if result["late"] or (day_end is not None and result["end_time"] > day_end):
        result = evaluate(order, duration, distance, day_start=day_start, **kwargs)
    served = set(order)
    result["unassigned"] = [node for node in stops if node not in served]
    return result


def brute_force(
    duration,
    distance,
    stops,
    *,
    start,
    end=None,
    service=None,
    windows=None,
    day_start=0,
    cost="distance",
):
    """The exact optimum by trying every order (small instances only, for tests)."""
    if len(stops) > 9:
        raise OptimisationError("brute force is for at most 9 stops")
    best = None
    for perm in itertools.permutations(stops):
        res = evaluate(
            perm,
            duration,
            distance,
            start=start,
            end=end,
            service=service,
            windows=windows,
            day_start=day_start,
        )
        if res["late"]:
            continue
        value = res["distance"] if cost == "distance" else res["duration"]
        if best is None or value < best[0]:
            best = (value, res)
    return best[1] if best else None
