"""The knowledge-base schema as ordered, versioned migrations.

``MIGRATIONS[i]`` brings a database from version ``i`` to ``i + 1``: statements
shared by both backends, then those of the backend's dialect. The version a
database is at lives in ``schema_version``; each migration runs in the same
transaction as the version bump, so a migration is applied whole or not at all.
Add a migration at the end; never edit one that has shipped.
"""

from __future__ import annotations

_V1_COMMON = [
    """CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        seq BIGINT NOT NULL,
        path TEXT NOT NULL,
        title TEXT,
        published TEXT,
        outlet TEXT,
        genre TEXT,
        language TEXT,
        text TEXT,
        removed TEXT,
        contract TEXT NOT NULL,
        raw TEXT NOT NULL,
        text_sha1 TEXT,
        duplicate_of TEXT,
        error TEXT,
        pipeline_version TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    )""",
    "CREATE INDEX documents_seq ON documents (seq)",
    "CREATE INDEX documents_text_sha1 ON documents (text_sha1)",
    "CREATE INDEX documents_published ON documents (published)",
    "CREATE INDEX documents_outlet ON documents (outlet)",
    "CREATE INDEX documents_version ON documents (pipeline_version)",
    # Corpus-level entities: key is 'kb:<kb_id>' or 'name:<TYPE>:<folded name>'.
    """CREATE TABLE entities (
        key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        norm TEXT NOT NULL,
        type TEXT NOT NULL,
        name_en TEXT,
        kb_id TEXT
    )""",
    "CREATE INDEX entities_norm ON entities (norm)",
    # Which corpus entity each document-level entity id ("e1") stands for.
    """CREATE TABLE doc_entities (
        doc_id TEXT NOT NULL,
        local_id TEXT NOT NULL,
        entity TEXT NOT NULL,
        PRIMARY KEY (doc_id, local_id)
    )""",
    "CREATE INDEX doc_entities_entity ON doc_entities (entity)",
    """CREATE TABLE mentions (
        doc_id TEXT NOT NULL,
        entity TEXT NOT NULL,
        local_id TEXT NOT NULL,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        text TEXT NOT NULL,
        norm TEXT NOT NULL
    )""",
    "CREATE INDEX mentions_doc ON mentions (doc_id)",
    "CREATE INDEX mentions_entity ON mentions (entity)",
    "CREATE INDEX mentions_norm ON mentions (norm)",
    """CREATE TABLE events (
        doc_id TEXT NOT NULL,
        local_id TEXT NOT NULL,
        type TEXT NOT NULL,
        mode TEXT,
        actor TEXT,
        target TEXT,
        location TEXT,
        trigger_start INTEGER,
        trigger_end INTEGER,
        trigger_text TEXT,
        sentence_start INTEGER,
        sentence_end INTEGER,
        date_text TEXT,
        date_value TEXT,
        claim TEXT,
        PRIMARY KEY (doc_id, local_id)
    )""",
    "CREATE INDEX events_type ON events (type)",
    """CREATE TABLE claims (
        doc_id TEXT NOT NULL,
        local_id TEXT NOT NULL,
        sentence_start INTEGER,
        sentence_end INTEGER,
        cue_text TEXT,
        quote_kind TEXT,
        PRIMARY KEY (doc_id, local_id)
    )""",
    """CREATE TABLE sources (
        doc_id TEXT NOT NULL,
        claim TEXT NOT NULL,
        position INTEGER NOT NULL,
        text TEXT,
        kind TEXT NOT NULL,
        entity TEXT,
        PRIMARY KEY (doc_id, claim, position)
    )""",
    "CREATE INDEX sources_kind ON sources (kind)",
    """CREATE TABLE quotes (
        doc_id TEXT NOT NULL,
        claim TEXT,
        kind TEXT NOT NULL,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        speaker TEXT
    )""",
    "CREATE INDEX quotes_doc ON quotes (doc_id)",
    """CREATE TABLE dates (
        doc_id TEXT NOT NULL,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        text TEXT,
        value TEXT,
        relative INTEGER
    )""",
    "CREATE INDEX dates_doc ON dates (doc_id)",
    # Indexed search terms with their document frequency, for fuzzy expansion of unknown query words.
    "CREATE TABLE vocabulary (term TEXT PRIMARY KEY, df INTEGER NOT NULL)",
]

MIGRATIONS: list[dict[str, list[str]]] = [
    {
        "common": _V1_COMMON,
        "sqlite": [
            "CREATE VIRTUAL TABLE doc_terms USING fts5(doc_id UNINDEXED, title, body, tokenize = 'unicode61')",
        ],
        "postgres": [
            "CREATE TABLE doc_terms (doc_id TEXT PRIMARY KEY, tsv tsvector NOT NULL)",
            "CREATE INDEX doc_terms_tsv ON doc_terms USING GIN (tsv)",
        ],
    },
    # 2: corpus-level records (marsad.store.corpus), rebuilt whole from the documents; ``data`` holds each as JSON.
    {
        "common": [
            "CREATE TABLE corpus_state (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE corpus_copies (doc_id TEXT PRIMARY KEY, original TEXT NOT NULL, similarity REAL NOT NULL)",
            "CREATE INDEX corpus_copies_original ON corpus_copies (original)",
            """CREATE TABLE corpus_stories (
                id TEXT PRIMARY KEY, first_date TEXT, last_date TEXT, reports INTEGER NOT NULL,
                outlets INTEGER NOT NULL, data TEXT NOT NULL
            )""",
            "CREATE INDEX corpus_stories_first ON corpus_stories (first_date)",
            "CREATE TABLE corpus_story_docs (doc_id TEXT PRIMARY KEY, story_id TEXT NOT NULL)",
            "CREATE INDEX corpus_story_docs_story ON corpus_story_docs (story_id)",
            """CREATE TABLE corpus_events (
                id TEXT PRIMARY KEY, story_id TEXT NOT NULL, type TEXT NOT NULL, first_date TEXT,
                reports INTEGER NOT NULL, outlets INTEGER NOT NULL, data TEXT NOT NULL
            )""",
            "CREATE INDEX corpus_events_type ON corpus_events (type)",
            """CREATE TABLE corpus_claims (
                id TEXT PRIMARY KEY, story_id TEXT NOT NULL, first_date TEXT, reports INTEGER NOT NULL,
                outlets INTEGER NOT NULL, single_sourced INTEGER NOT NULL, contested INTEGER NOT NULL, data TEXT NOT NULL
            )""",
            "CREATE TABLE corpus_outlets (outlet TEXT PRIMARY KEY, documents INTEGER NOT NULL, data TEXT NOT NULL)",
        ],
    },
]

SCHEMA_VERSION = len(MIGRATIONS)


def statements(version: int, dialect: str) -> list[str]:
    """Statements of the migration from ``version`` to ``version + 1``."""
    step = MIGRATIONS[version]
    return step["common"] + step.get(dialect, [])
