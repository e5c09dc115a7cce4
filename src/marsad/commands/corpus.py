"""Corpus-level commands: ``stories``, ``events``, ``claims``, ``outlets``, ``copies``.

Each reads the store's corpus records (``marsad.store.corpus``), rebuilding
them first when documents were added or re-analysed since the last build.
"""

from __future__ import annotations

from marsad.commands.store import _db, _open, _print_json


def _common(p) -> None:
    _db(p)
    p.add_argument("--format", choices=["json"], default="json")
    p.add_argument("--limit", type=int, default=0, help="at most this many records (0: all)")


def register(sub) -> None:
    p = sub.add_parser("stories", help="stories: reports of the same happening across outlets, with their copies")
    _common(p)
    p.add_argument("--min-outlets", type=int, default=1, help="only stories told by at least this many outlets")
    p.add_argument("--full", action="store_true", help="each story with its consolidated events and claims in full")
    p.set_defaults(func=run_stories)

    p = sub.add_parser("events", help="consolidated events: one real-world event with all its reports")
    _common(p)
    p.add_argument("--type", dest="event_type", metavar="T", help="only events of this PLOVER type")
    p.add_argument("--min-reports", type=int, default=1)
    p.add_argument("--counts", action="store_true", help="per type, consolidated events and their reports")
    p.set_defaults(func=run_events)

    p = sub.add_parser("claims", help="claims across outlets: reports, chains, earliest report, single-sourced, contested")
    _common(p)
    p.add_argument("--flag", choices=["single_sourced", "contested"], help="only claims with this flag")
    p.add_argument("--min-outlets", type=int, default=1, help="only claims carried by at least this many outlets")
    p.set_defaults(func=run_claims)

    p = sub.add_parser("outlets", help="outlet profiles: sources, framing, actors and event types, per month")
    _db(p)
    p.add_argument("--format", choices=["json"], default="json")
    p.set_defaults(func=run_outlets)

    p = sub.add_parser("copies", help="near-duplicate copies, each linked to its earliest version")
    _db(p)
    p.add_argument("--format", choices=["json"], default="json")
    p.set_defaults(func=run_copies)


def _query(args, fn, **kwargs):
    from marsad.store import corpus

    store = _open(args)
    try:
        _print_json(getattr(corpus, fn)(store, **kwargs))
    finally:
        store.close()
    return 0


def run_stories(args) -> int:
    if not args.full:
        return _query(args, "stories", min_outlets=args.min_outlets, limit=args.limit)
    from marsad.store import corpus

    store = _open(args)
    try:
        listed = corpus.stories(store, min_outlets=args.min_outlets, limit=args.limit)
        _print_json([corpus.story(store, s["id"], fresh=False) for s in listed])
    finally:
        store.close()
    return 0


def run_events(args) -> int:
    if args.counts:
        return _query(args, "event_counts")
    return _query(args, "events", event_type=args.event_type, min_reports=args.min_reports, limit=args.limit)


def run_claims(args) -> int:
    return _query(args, "claims", flag=args.flag, min_outlets=args.min_outlets, limit=args.limit)


def run_outlets(args) -> int:
    return _query(args, "outlets")


def run_copies(args) -> int:
    return _query(args, "copies")
