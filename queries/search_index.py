"""The search index of a store version: an SQLite file of every searchable name.

Each key of an entity (:mod:`chainkg.queries.search_keys`) has *pieces*: the suffixes
of its folded text that a query may match, cut to ``PIECE`` characters and kept in one
B-tree with what ranking needs (the key's length and weight, the entity's class and tie
order). A query is one range scan: a piece at position 0 that starts with the query is
an exact or a prefix match, a later one a substring match. Which suffixes are pieces is
the matching rule: every position of a label or alias, the syllable starts of pinyin
(``ersuan`` finds 己二酸, ``rsuan`` does not), only position 0 of initials. Fuzzy
matches (a misspelling, ``己二晴``) are looked for among the entities that share the
most two-character pieces with the query, leaving out pieces that more than ``COMMON``
keys start with (有限, 公司: they tell nothing).

``chainkg build`` and ``chainkg load`` write the file of a new version before it goes
live (:func:`write`), beside its kept reports: the whole store and each plan's view,
views that read the same graphs stored once. The service opens it read-only on its first
search. A version without it (written by a SPARQL Update, by an older chainkg, or a
store without a home) gets the same index built in memory on first use, once per store
version and plan.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import queue
import sqlite3
import tempfile
import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from pathlib import Path

from chainkg.graph.scope import PlanScope, districts, forget, whole
from chainkg.queries.search_keys import CLASSES, WEIGHTS, Entry, Key, entries, has_cjk

FORMAT = 1  # bump when the tables change shape or keys are made differently
PIECE = 12  # characters of a suffix kept; a longer query is checked against its key
MAX = "\U0010ffff"  # sorts after every character: [q, q + MAX) holds what starts with q
COMMON = 2000  # a two-character piece more keys start with is no fuzzy evidence
_CACHE_SIZE = 8
# what a kept file was written with (its PRAGMA user_version): a file written with other
# pieces, classes or weights is not read
SIGNATURE = int(
    hashlib.sha256(repr((FORMAT, PIECE, CLASSES, sorted(WEIGHTS.items()))).encode()).hexdigest()[
        :7
    ],
    16,
)

SCHEMA = """
CREATE TABLE view (plan TEXT PRIMARY KEY, view INTEGER NOT NULL);
CREATE TABLE entry (view INTEGER NOT NULL, ord INTEGER NOT NULL, iri TEXT NOT NULL,
  slug TEXT NOT NULL, cls TEXT NOT NULL, label TEXT NOT NULL, label_en TEXT,
  PRIMARY KEY (view, ord)) WITHOUT ROWID;
CREATE TABLE key (id INTEGER PRIMARY KEY, view INTEGER NOT NULL, ord INTEGER NOT NULL,
  field TEXT NOT NULL, text TEXT NOT NULL, norm TEXT NOT NULL);
CREATE TABLE piece (view INTEGER NOT NULL, text TEXT NOT NULL, key INTEGER NOT NULL,
  pos INTEGER NOT NULL, len INTEGER NOT NULL, weight REAL NOT NULL,
  initials INTEGER NOT NULL, ord INTEGER NOT NULL, class INTEGER NOT NULL,
  PRIMARY KEY (view, text, key, pos)) WITHOUT ROWID;
"""
INDEXES = """
CREATE INDEX entry_iri ON entry (view, iri);
CREATE INDEX entry_slug ON entry (view, slug);
CREATE INDEX key_entry ON key (view, ord);
"""
# the pieces :q (:n characters, cut to :lo) matches, scored, best first: (ord, key,
# score, kind); scores and bands as in chainkg.queries.search
HITS = """
SELECT ord, key, score, kind FROM (
  SELECT p.ord, p.key,
    CASE WHEN p.pos = 0 AND p.len = :n THEN 0.9 + 0.1 * p.weight
      WHEN p.pos = 0 THEN 0.7 + 0.2 * (0.6 * (CAST(:n AS REAL) / p.len) + 0.4 * p.weight) * 0.999
      ELSE 0.5 + 0.2 * (0.6 * (CAST(:n AS REAL) / p.len) + 0.4 * p.weight) * 0.999
    END AS score,
    CASE WHEN p.pos = 0 AND p.len = :n THEN 'exact' WHEN p.pos = 0 THEN 'prefix'
      ELSE 'substring' END AS kind
  FROM piece p {join}
  WHERE p.view = :view AND p.text >= :lo AND p.text < :hi {check}
    AND (p.pos > 0 OR p.len = :n OR NOT p.initials OR :n >= 2)
    AND (p.pos = 0 OR :long) {classes}
) ORDER BY score DESC, ord, key LIMIT :rows
"""
LONG = ("JOIN key k ON k.id = p.key", "AND substr(k.norm, p.pos + 1, :n) = :q")


def _fill(db: sqlite3.Connection, views: dict[str, tuple[int, list[Entry]]]) -> None:
    """Write the entries of each plan's view (plan → view id, entries) into ``db``."""
    db.executescript(SCHEMA)
    rank = {c: i for i, c in enumerate(CLASSES)}
    written: set[int] = set()
    key_id = 0
    for plan, (view, items) in views.items():
        db.execute("INSERT INTO view VALUES (?, ?)", (plan, view))
        if view in written:
            continue
        written.add(view)
        items = sorted(items, key=lambda e: (rank[e.cls], len(e.label), e.label, e.iri))
        rows: list[tuple] = []
        keys: list[tuple] = []
        pieces: list[tuple] = []
        for ord_, e in enumerate(items):
            slug = e.iri.rsplit("/", 1)[-1]
            rows.append((view, ord_, e.iri, slug, e.cls, e.label, e.label_en))
            for k in e.keys:
                key_id += 1
                keys.append((key_id, view, ord_, k.field, k.text, k.norm))
                facts = (len(k.norm), WEIGHTS[k.field], k.field == "initials", ord_, rank[e.cls])
                pieces += {(view, k.norm[p : p + PIECE], key_id, p, *facts) for p in k.pieces()}
        db.executemany("INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO key VALUES (?, ?, ?, ?, ?, ?)", keys)
        pieces.sort()
        db.executemany("INSERT INTO piece VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", pieces)
    db.executescript(INDEXES)
    db.execute(f"PRAGMA user_version = {SIGNATURE}")
    db.commit()


def file_of(store) -> Path | None:
    """Where the index of ``store``'s version is kept (beside its kept reports), if anywhere."""
    derived = getattr(whole(store), "derived", None)
    return None if derived is None else derived.with_name(derived.stem + ".search")


def write(store, meta, progress=lambda _: None) -> Path | None:
    """Build the index of ``store`` (a version being written; ``meta``: its meta graph)
    for the whole store and each of its plans, and keep it in the version's search file;
    the file, or None for a store that has none."""
    path = file_of(store)
    if path is None:
        return None
    forget()  # the plans as written now, not as read before the write
    found = districts(store, meta)
    views: dict[str, tuple[int, list[Entry]]] = {}
    by_graphs: dict[tuple[str, ...] | None, tuple[int, list[Entry]]] = {}
    memo: dict = {}
    for plan in ("", *found.plans):
        within = found.within(plan) if plan else None
        graphs = None if within is None else tuple(within)
        if graphs not in by_graphs:
            progress(f"indexing the names of {plan or 'the whole store'} for search")
            by_graphs[graphs] = (len(by_graphs) + 1, entries(store, within, memo))
        views[plan] = by_graphs[graphs]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        _write_file(tmp, views)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _write_file(path: Path, views: dict[str, tuple[int, list[Entry]]]) -> None:
    """Write ``views`` into a new file ``path``, on disk when this returns."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        _fill(db, views)
    finally:
        db.close()
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


class Index:
    """The index of one view of a store version, a read-only SQLite file; its connections
    are pooled and shared by the service's threads."""

    def __init__(self, view: int, path: Path, temporary: bool = False) -> None:
        self.view, self.path, self.temporary = view, path, temporary
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._idle.put(self.connect(path))  # open at once: a reader that has it outlives
        # the file's removal (a version swept, a process's own index evicted)

    @staticmethod
    def connect(path: Path) -> sqlite3.Connection:
        uri = Path(path).absolute().as_uri() + "?mode=ro&immutable=1"
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    def rows(self, sql: str, params: Sequence | dict = ()) -> list[tuple]:
        try:
            db = self._idle.get_nowait()
        except queue.Empty:
            db = self.connect(self.path)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            self._idle.put(db)

    def close(self) -> None:
        """Remove the file if it was built for this process; connections already open
        still read it, and close with this object."""
        if self.temporary:
            self.path.unlink(missing_ok=True)

    def hits(self, q: str, limit: int, classes: set[str] | None) -> list[tuple]:
        """The ``limit`` best exact, prefix and substring matches of the folded query
        ``q``, each entity once with its best key: ``(ord, iri, class, label, label_en,
        field, text, score, kind)``."""
        params: dict = {"view": self.view, "q": q, "n": len(q), "lo": q[:PIECE]}
        params |= {"hi": q[:PIECE] + MAX, "long": len(q) >= 2 or has_cjk(q)}
        join, check = LONG if len(q) > PIECE else ("", "")
        where = _among(classes, params)
        sql = HITS.format(join=join, check=check, classes=where)
        best: dict[int, tuple] = {}
        wanted = 4 * limit
        while True:  # an entity's best piece is its first; read until limit entities
            found = self.rows(sql, params | {"rows": wanted})
            best = {}
            for row in found:
                best.setdefault(row[0], row)
            if len(best) >= limit or len(found) < wanted:
                break
            wanted *= 4
        chosen = list(best.values())[:limit]
        info = {e[0]: e for e in self._entries([r[0] for r in chosen])}
        keys = self._keys([r[1] for r in chosen])
        return [(o, *info[o][1:], *keys[k], score, kind) for o, k, score, kind in chosen]

    def sharing(
        self, queries: Sequence[str], skip: set[int], most: int, classes: set[str] | None = None
    ) -> list[Entry]:
        """The ``most`` entities of ``classes`` (by tie order, not in ``skip``) whose keys
        other than initials share the most telling two-character pieces with ``queries``
        (one-character pieces too for a query of three characters or fewer)."""
        grams = {q[i : i + 2] for q in queries for i in range(len(q) - 1)}
        grams |= {ch for q in queries if len(q) <= 3 for ch in q}
        shared: Counter[int] = Counter()
        for g in sorted(grams):
            params: dict = {"view": self.view, "lo": g, "hi": g + MAX, "most": COMMON + 1}
            found = self.rows(
                "SELECT ord FROM piece p WHERE p.view = :view AND p.text >= :lo "
                f"AND p.text < :hi AND NOT p.initials {_among(classes, params)} LIMIT :most",
                params,
            )
            if len(found) <= COMMON:
                shared.update({r[0] for r in found})
        ords = sorted((o for o in shared if o not in skip), key=lambda o: (-shared[o], o))
        return self.load(ords[:most])

    def _entries(self, ords: Sequence[int]) -> list[tuple]:
        marks = ", ".join("?" * len(ords))
        return self.rows(
            f"SELECT ord, iri, cls, label, label_en FROM entry WHERE view = ? AND ord IN ({marks})",
            [self.view, *ords],
        )

    def _keys(self, ids: Sequence[int]) -> dict[int, tuple]:
        marks = ", ".join("?" * len(ids))
        sql = f"SELECT id, field, text FROM key WHERE id IN ({marks})"
        return {r[0]: r[1:] for r in self.rows(sql, list(ids))}

    def load(self, ords: Sequence[int]) -> list[Entry]:
        """The entities ``ords`` (in that order) with all their keys."""
        out = {
            o: Entry(iri, cls, label, label_en)
            for o, iri, cls, label, label_en in self._entries(ords)
        }
        marks = ", ".join("?" * len(ords))
        for o, fld, text, norm in self.rows(
            "SELECT ord, field, text, norm FROM key "
            f"WHERE view = ? AND ord IN ({marks}) ORDER BY id",
            [self.view, *ords],
        ):
            out[o].keys.append(Key(fld, text, norm))
        return [out[o] for o in ords if o in out]

    def named(self, iris: Sequence[str], slug: str) -> list[Entry]:
        """Entities whose IRI is one of ``iris``, then those whose IRI ends in ``/slug``."""
        marks = ", ".join("?" * len(iris))
        sql = "SELECT ord FROM entry WHERE view = ? AND {} ORDER BY iri"
        ords = [r[0] for r in self.rows(sql.format(f"iri IN ({marks})"), [self.view, *iris])]
        ords += [r[0] for r in self.rows(sql.format("slug = ?"), [self.view, slug])]
        return self.load(ords)

    def classes(self) -> set[str]:
        """The classes the view's entities have."""
        rows = self.rows("SELECT DISTINCT cls FROM entry WHERE view = ?", [self.view])
        return {r[0] for r in rows}


def _among(classes: set[str] | None, params: dict) -> str:
    """The SQL condition that a piece's entity is of ``classes`` (None: any), its
    parameters added to ``params``."""
    if classes is None:
        return ""
    ranks = sorted(CLASSES.index(c) for c in classes)
    params |= {f"c{i}": r for i, r in enumerate(ranks)}
    return "AND p.class IN (" + ", ".join(f":c{i}" for i in range(len(ranks))) + ")"


def _kept(path: Path, plan: str) -> int | None:
    """The view of ``plan`` in the kept file ``path``; None when the file is not usable."""
    try:
        db = Index.connect(path)
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] != SIGNATURE:
                return None
            row = db.execute("SELECT view FROM view WHERE plan = ?", (plan,)).fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return None if row is None else row[0]


_OPEN: OrderedDict[str, Index] = OrderedDict()
_LOCK = threading.Lock()


def index(store) -> Index:
    """The index of ``store`` (a store or a plan's view): its version's file, or built in
    memory on first use per store version and plan."""
    key = store.cache_key
    with _LOCK:
        if key in _OPEN:
            _OPEN.move_to_end(key)
            return _OPEN[key]
    plan = store.plan if isinstance(store, PlanScope) else ""
    path = file_of(store)
    view = _kept(path, plan) if path is not None and path.exists() else None
    if path is not None and view is not None:
        found = Index(view, path)
    else:  # built for this process, in a file of its own
        fd, name = tempfile.mkstemp(prefix="chainkg-search-", suffix=".sqlite")
        os.close(fd)
        _write_file(Path(name), {plan: (1, entries(store))})
        found = Index(1, Path(name), temporary=True)
    with _LOCK:
        old = _OPEN.pop(key, None)
        _OPEN[key] = found
        while len(_OPEN) > _CACHE_SIZE:
            _, evicted = _OPEN.popitem(last=False)
            evicted.close()
    if old is not None:
        old.close()
    return found


@atexit.register
def clear_cache() -> None:
    """Forget every open index (for a store written in place)."""
    with _LOCK:
        gone = list(_OPEN.values())
        _OPEN.clear()
    for found in gone:
        found.close()
