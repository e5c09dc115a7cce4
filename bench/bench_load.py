"""Load test: concurrent searches against `marsad serve` on 127.0.0.1, from a bounded asyncio client.

    python bench/bench_load.py [--db FILE] [--concurrency 200] [--duration 60]

Starts `marsad serve` on a free local port (rate limit off: every request comes from 127.0.0.1), keeps
``concurrency`` searches in flight for ``duration`` seconds and prints requests/s, latency p50/p95/max and
the errors (any answer but 200 with a JSON list, or no answer within the timeout). Without --db it
ingests examples/articles into a temporary database. Exits 1 if there was any error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_search import QUERIES  # noqa: E402

HOST = "127.0.0.1"  # never anywhere else
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # seconds, of the successful requests
    errors: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.errors.values())

    def summary(self) -> str:
        ms = sorted(1000 * t for t in self.latencies) or [0.0]
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        return (f"{self.requests} requests in {self.elapsed:.1f} s: {self.requests / self.elapsed:.1f} requests/s;"
                f" latency p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms;"
                f" {sum(self.errors.values())} errors {self.errors or ''}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(db: str, *flags: str) -> Iterator[str]:
    """`marsad serve --db DB` on a free port of 127.0.0.1 until the block ends; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "marsad.cli", "serve", "--db", db, "--host", HOST, "--port", str(port),
                             *flags], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError("marsad serve exited: " + proc.stderr.read().decode()[-2000:])
            try:
                if httpx.get(url + "/api/facets", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("marsad serve did not answer within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()


async def load(url: str, concurrency: int, duration: float, timeout: float = 30.0, seed: int = 0,
               queries: Optional[list[str]] = None) -> Result:
    """``concurrency`` workers, each sending one search after another until ``duration`` seconds have passed."""
    if httpx.URL(url).host != HOST:
        raise ValueError(f"load tests only target {HOST}, not {url}")
    queries = queries or QUERIES
    result = Result()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout) as client:
        start = time.monotonic()
        stop = start + duration

        async def worker(rng: random.Random) -> None:
            while time.monotonic() < stop:
                t = time.monotonic()
                try:
                    response = await client.get("/api/search", params={"q": rng.choice(queries), "limit": 20})
                    ok = response.status_code == 200 and isinstance(response.json(), list)
                    error = None if ok else f"HTTP {response.status_code}"
                except (httpx.HTTPError, ValueError) as exc:
                    error = type(exc).__name__
                if error:
                    result.errors[error] = result.errors.get(error, 0) + 1
                else:
                    result.latencies.append(time.monotonic() - t)

        await asyncio.gather(*(worker(random.Random(seed * 100_003 + i)) for i in range(concurrency)))
        result.elapsed = time.monotonic() - start
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="knowledge base to serve (default: examples/articles ingested into a temporary file)")
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds one request may take before it counts as an error")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = os.path.join(tmp, "kb.db")
            subprocess.run([sys.executable, "-m", "marsad.cli", "ingest", str(EXAMPLES), "--db", db], check=True)
        with serve(db, "--rate-limit", "0") as url:
            result = asyncio.run(load(url, args.concurrency, args.duration, args.timeout))
    print(f"load: {args.concurrency} concurrent searches for {args.duration:g} s; {result.summary()}")
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
