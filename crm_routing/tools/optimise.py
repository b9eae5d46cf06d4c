"""Tour optimisation for one vehicle (no ORM).

Nodes are indexes into square matrices of distances (m) and durations (s); times are
seconds since midnight of the route's day. The solver is VROOM (pyvroom); a fixed order
is evaluated the same way, so both report the same figures."""

import datetime
import itertools
import os

INFINITY_S = 10**9


def solver_settings(n_stops, windows=False):
    """VROOM's search effort (exploration level 0-5), threads and time limit (seconds,
    None: none) for a tour of ``n_stops``, from bench/route_optimisation.py on 2 cores:
    the deepest search for small tours; at 100 stops level 1 is already within the
    anchor's length. With time windows at 200 stops level 0 finds the same tour as
    level 1 in 60 % of the CPU time (about 5 s); level 2 is 7 % shorter but takes about
    15 s of CPU. No time limit: on a loaded machine a wall-clock limit cuts the search
    short and leaves stops unserved.

    :return: (exploration_level, threads, timeout)
    """
    threads = min(2, os.cpu_count() or 1)
    if n_stops <= 30:
        return 5, 1, None
    if n_stops <= 60:
        return 3, threads, None
    if windows and n_stops > 100:
        return 0, threads, None
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
