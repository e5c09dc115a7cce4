"""``marsad serve``: the web application over a knowledge base."""

from __future__ import annotations

import os
import sys


def register(sub) -> None:
    p = sub.add_parser("serve", help="serve the web application and JSON API over a knowledge base")
    p.add_argument("--db", help="database file or postgresql:// URL (default: the user's data folder)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--token", help="token that allows writes (POST /api/ingest); default: $MARSAD_TOKEN; none: read-only")
    p.add_argument("--max-upload", type=int, default=5 * 1024 * 1024, help="largest upload accepted, in bytes")
    p.add_argument("--rate-limit", type=float, default=20.0, metavar="N",
                   help="requests per second allowed per client address, static files excepted (default: 20; 0: no limit)")
    p.add_argument("--burst", type=int, default=60, metavar="N",
                   help="requests a client may make at once above the rate limit (default: 60)")
    p.add_argument("--threads", type=int, default=8, metavar="N",
                   help="requests handled at once, each in a thread with its own database connection (default: 8)")
    p.set_defaults(func=run)


def run(args) -> int:
    import uvicorn

    from marsad.web.app import create_app
    from marsad.web.backend import open_backend

    token = args.token or os.environ.get("MARSAD_TOKEN") or None
    app = create_app(open_backend(args.db), token=token, max_upload=args.max_upload,
                     rate_limit=args.rate_limit, burst=max(1, args.burst), threads=max(1, args.threads))
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"marsad: serving on {args.host}: reachable from other machines", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
