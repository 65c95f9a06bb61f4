"""The load run's fault schedule (`FAULTS`), its injection into the run's private services, and the figures
of each phase it makes.

`FAULTS=redis:10-30,postgres:35` stops Redis 10 s into the run and starts it again at 30 s, and restarts
PostgreSQL at 35 s (stopped with `pg_ctl stop -m fast`, started again at once); `postgres:35-40` keeps it
down five seconds. The phases are the stretches between these events, named after what is down during them
("redis down") or what came back last ("after redis"); the first is "before".
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

SERVICES = ("redis", "postgres")


class Service(Protocol):
    def stop(self) -> None: ...

    def start(self) -> None: ...


@dataclass(frozen=True)
class Fault:
    service: str
    down_at: float
    up_at: float  # equal to down_at for a restart: started again as soon as it has stopped


def faults_parse(text: str) -> list[Fault]:
    """`redis:10-30,postgres:35` → the faults, in the order they start; a malformed schedule stops the run."""
    faults = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        match = re.fullmatch(r"(\w+):(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?", item)
        if not match or match.group(1) not in SERVICES:
            raise SystemExit(f"FAULTS: {item!r} is not <{'|'.join(SERVICES)}>:<start>[-<end>] (seconds)")
        down_at = float(match.group(2))
        up_at = float(match.group(3) or down_at)
        if up_at < down_at:
            raise SystemExit(f"FAULTS: {item!r} ends before it starts")
        faults.append(Fault(match.group(1), down_at, up_at))
    return sorted(faults, key=lambda fault: fault.down_at)


@dataclass
class Event:
    service: str
    state: str  # "down" or "up"
    at: float  # seconds since the start of the run: when the service was told to stop, or answered again


class FaultInjector(threading.Thread):
    """Stops and starts the services on schedule, noting when each one actually went down and came back."""

    def __init__(self, faults: list[Fault], services: dict[str, Service], started: float) -> None:
        super().__init__(name="faults", daemon=True)
        self.actions = sorted(
            [(fault.down_at, 0, fault.service, "down") for fault in faults]
            + [(fault.up_at, 1, fault.service, "up") for fault in faults]
        )
        self.services, self.started = services, started
        self.events: list[Event] = []
        self.down: set[str] = set()
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            for at, _, service, state in self.actions:
                time.sleep(max(0.0, self.started + at - time.monotonic()))
                if state == "down":  # from the moment it is told to stop: it refuses connections at once
                    self.events.append(Event(service, state, round(time.monotonic() - self.started, 2)))
                    self.down.add(service)
                    self.services[service].stop()
                else:  # once it answers again
                    self.services[service].start()
                    self.down.discard(service)
                    self.events.append(Event(service, state, round(time.monotonic() - self.started, 2)))
        except BaseException as exc:  # reported by the run, which then fails
            self.failure = exc

    def restore(self) -> None:
        """Start again whatever the schedule left down (a run shorter than its schedule)."""
        for service in sorted(self.down):
            self.services[service].start()
        self.down.clear()


@dataclass
class Answer:
    at: float  # seconds since the start of the run, when the answer came (or the connection failed)
    status: int  # 0 for a failed connection
    cache: str


def _status(code: int) -> str:
    return "failed connection" if code == 0 else str(code)


@dataclass
class Phase:
    name: str
    start: float
    end: float
    statuses: Counter = field(default_factory=Counter)
    cache: Counter = field(default_factory=Counter)

    def report(self) -> dict:
        cached = self.cache["HIT"] + self.cache["MISS"]
        return {
            "name": self.name,
            "from_s": round(self.start, 1),
            "to_s": round(self.end, 1),
            "requests": sum(self.statuses.values()),
            "statuses": {_status(code): count for code, count in sorted(self.statuses.items())},
            "hit_ratio": round(self.cache["HIT"] / cached, 3) if cached else None,
        }


def phases(events: list[Event], answers: list[Answer], seconds: float) -> list[Phase]:
    """The run cut at each event, each answer in the phase in which it came."""
    cuts: list[Phase] = []
    down: list[str] = []
    name, start = "before", 0.0
    for event in sorted(events, key=lambda event: event.at):
        cuts.append(Phase(name, start, event.at))
        if event.state == "down":
            down.append(event.service)
        elif event.service in down:
            down.remove(event.service)
        name = " and ".join(f"{service} down" for service in down) if down else f"after {event.service}"
        start = event.at
    cuts.append(Phase(name, start, max(seconds, start)))
    for answer in answers:
        phase = next((cut for cut in cuts if answer.at < cut.end), cuts[-1])
        phase.statuses[answer.status] += 1
        phase.cache[answer.cache] += 1
    return [cut for cut in cuts if cut.end > cut.start or cut.statuses]


def during_restart(answer: Answer, events: list[Event], recovery: float) -> bool:
    """Whether an answer came while PostgreSQL was down, or within `recovery` seconds of its return."""
    down = None
    for event in sorted(events, key=lambda event: event.at):
        if event.service != "postgres":
            continue
        if event.state == "down":
            down = event.at
        elif down is not None and down <= answer.at <= event.at + recovery:
            return True
        else:
            down = None
    return down is not None and answer.at >= down


def recoveries(events: list[Event], answers: list[Answer]) -> list[dict]:
    """For each service's return: how long after it the last answer other than 200 came, and the first page
    served from the cache, before the next event."""
    figures = []
    ordered = sorted(events, key=lambda event: event.at)
    for number, event in enumerate(ordered):
        if event.state != "up":
            continue
        until = ordered[number + 1].at if number + 1 < len(ordered) else float("inf")
        later = [answer for answer in answers if event.at <= answer.at < until]
        failed = [answer.at for answer in later if answer.status != 200]
        hits = [answer.at for answer in later if answer.cache == "HIT"]
        figures.append(
            {
                "service": event.service,
                "back_at_s": event.at,
                "answers_other_than_200_after": len(failed),
                "recovered_after_s": round(max(failed) - event.at, 2) if failed else 0.0,
                "first_cache_hit_after_s": round(min(hits) - event.at, 2) if hits else None,
            }
        )
    return figures
