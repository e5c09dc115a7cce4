"""JSON API over the corpus-level records: stories, consolidated events, claims across outlets, outlets.

The same data as ``marsad stories``, ``events``, ``claims``, ``outlets`` and
``copies``, read through ``marsad.store.corpus`` on the backend's store (one
per server thread); the records are rebuilt first when documents changed.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from fastapi import APIRouter, HTTPException, Query, Request

from marsad.store import corpus

router = APIRouter(prefix="/api", tags=["corpus"])


def _store(request: Request):
    store = getattr(request.app.state.backend, "store", None)
    if store is None:
        raise HTTPException(501, "this backend has no corpus-level records")
    return store()


@router.get("/stories", summary="Stories across outlets, most reported first, with their reports and copies")
def stories(request: Request, min_outlets: int = Query(1, ge=1), limit: int = Query(100, ge=0, le=10000)) -> list[dict[str, Any]]:
    return corpus.stories(_store(request), min_outlets=min_outlets, limit=limit)


@router.get("/stories/{story_id:path}", summary="A story with its consolidated events and claims")
def story(request: Request, story_id: str) -> dict[str, Any]:
    found = corpus.story(_store(request), story_id)
    if found is None:
        raise HTTPException(404, "no such story")
    return found


@router.get("/corpus-events", summary="Consolidated events: one real-world event with every report of it")
def events(
    request: Request, type: Optional[str] = None, min_reports: int = Query(1, ge=1), limit: int = Query(100, ge=0, le=10000)
) -> list[dict[str, Any]]:
    return corpus.events(_store(request), event_type=type, min_reports=min_reports, limit=limit)


@router.get("/corpus-events/counts", summary="Per PLOVER type: consolidated events and the reports behind them")
def event_counts(request: Request) -> dict[str, dict[str, int]]:
    return corpus.event_counts(_store(request))


@router.get("/claims", summary="Claims across outlets: reports and chains, earliest report, single-sourced, contested")
def claims(
    request: Request,
    flag: Optional[Literal["single_sourced", "contested"]] = None,
    min_outlets: int = Query(1, ge=1),
    limit: int = Query(100, ge=0, le=10000),
) -> list[dict[str, Any]]:
    return corpus.claims(_store(request), flag=flag, min_outlets=min_outlets, limit=limit)


@router.get("/outlets", summary="Outlet profiles: source kinds, framing, actors, event types, per month")
def outlets(request: Request) -> list[dict[str, Any]]:
    return corpus.outlets(_store(request))


@router.get("/copies", summary="Near-duplicate copies, each linked to its earliest version")
def copies(request: Request) -> list[dict[str, Any]]:
    return corpus.copies(_store(request))
