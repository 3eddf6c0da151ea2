"""The ``chainkg`` command: build, load, query, stats, validate, export."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

import click
from rdflib import URIRef

from chainkg.api.options import output_option, plan_option
from chainkg.api.settings import Settings, home_for
from chainkg.graph.executor import Job, QueryError
from chainkg.graph.home import StoreMissing
from chainkg.graph.namespaces import PREFIXES, Ids
from chainkg.graph.sparqltext import masked
from chainkg.loaders.build import build, load_rdf, load_registry
from chainkg.loaders.dataset import Manifest, builtin_manifest
from chainkg.loaders.errors import LoadError
from chainkg.loaders.rdf_import import import_graph_iri
from chainkg.queries import get

START = time.perf_counter()


def progress(message: str) -> None:
    """One progress line on stderr, with the time since the command started."""
    click.echo(f"[{time.perf_counter() - START:6.1f}s] {message}", err=True)


class Context:
    """Settings and store home shared by the subcommands."""

    def __init__(self, store: str | None) -> None:
        self.settings = Settings(**({"store": store} if store else {}))
        self.home = home_for(self.settings)
        self.ids = Ids(self.settings.base_iri)


@click.group()
@click.option(
    "--store",
    default=None,
    help="Store folder, or sparql+http://host:port/sparql for a SPARQL server "
    "(default: CHAINKG_STORE or the user data folder).",
)
@click.version_option(package_name="chainkg")
@click.pass_context
def main(ctx: click.Context, store: str | None) -> None:
    """chainkg: a knowledge graph of the industry chains of a development plan."""
    ctx.obj = Context(store)


def fail(exc: Exception) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2)


@main.command("build")
@click.option(
    "--dataset",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Dataset manifest (default: the built-in Fuling plan).",
)
@click.option(
    "--strict", is_flag=True, help="Fail if the plan reader leaves lines unplaced (see parse)."
)
@click.pass_obj
def build_cmd(obj: Context, dataset: Path | None, strict: bool) -> None:
    """Build the store from a dataset; the previous store stays live until it is done."""
    try:
        manifest = Manifest.read(dataset or obj.settings.dataset or builtin_manifest())
        progress(f"building {obj.home.location} from {manifest.path}")
        report = build(obj.home, manifest, obj.ids, progress, strict, derive(obj))
    except (LoadError, StoreMissing) as exc:
        fail(exc)
    click.echo(
        f"built {report.triples} triples in {len(report.graphs)} graphs "
        f"({report.seconds:.1f}s) at {obj.home.current()}"
    )


@main.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(["enterprises", "rdf"]), required=True)
@click.option("--graph", default=None, help="Target named graph IRI (rdf only).")
@click.option("--replace", is_flag=True, help="Allow replacing a graph the build wrote (rdf).")
@click.option(
    "--plan",
    default=None,
    help="District plan the file belongs to (key, id, region or title). Default: a registry "
    "goes to the default plan, an RDF file is shared by every plan.",
)
@click.pass_obj
def load_cmd(
    obj: Context, file: Path, kind: str, graph: str | None, replace: bool, plan: str | None
) -> None:
    """Load an enterprise registry CSV or an RDF file into the built store."""
    from chainkg.queries import plans
    from chainkg.queries.errors import Unknown

    if kind == "enterprises" and (graph or replace):
        fail(click.UsageError("--graph and --replace go with --kind rdf"))
    try:
        owner = plans.find(_open(obj), obj.ids, plan)["iri"] if plan else None
    except Unknown as exc:
        names = ", ".join(c["key"] for c in exc.suggestions)
        fail(LookupError(f"{exc}; the store holds: {names}"))
    try:
        if kind == "enterprises":
            report = load_registry(obj.home, file, obj.ids, progress, owner, derive(obj))
        else:
            target = URIRef(graph) if graph else import_graph_iri(obj.ids, file)
            report = load_rdf(
                obj.home, file, target, obj.ids, replace, progress, owner, derive(obj)
            )
    except (LoadError, StoreMissing, ValueError) as exc:
        fail(exc)
    for g, n in report.graphs.items():
        click.echo(f"loaded {n} triples into <{g}>")


def derive(obj: Context):
    """What build and load keep with a new version: its chain graphs, gap reports and
    search index, computed before it goes live (so the service's first request does not
    wait)."""
    from chainkg.queries import derived, search_index

    def write(store) -> None:
        derived.write(store, obj.ids, progress)
        search_index.write(store, obj.ids.graph("meta"), progress)

    return write


def _open(obj: Context):
    try:
        return obj.home.open()
    except StoreMissing as exc:
        fail(exc)


def _view(obj: Context, plan: str | None):
    """The live store seen through ``plan`` (None: the default plan)."""
    from chainkg.queries import plans
    from chainkg.queries.errors import Unknown

    try:
        return plans.view(_open(obj), obj.ids, plan)
    except Unknown as exc:
        names = ", ".join(c["key"] for c in exc.suggestions)
        fail(LookupError(f"{exc}; the store holds: {names}"))


@main.command("plans")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def plans_cmd(obj: Context, fmt: str) -> None:
    """The district plans of the store, the default one first (what --plan takes)."""
    from chainkg.queries.plans import plans

    found = plans(_open(obj), obj.ids)
    rows = [
        {
            "key": p["key"],
            "region": (p["region"] or {}).get("label") or "",
            "title": p["label"] or "",
            "default": "yes" if p["default"] else "",
        }
        for p in found
    ]
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=1))
        return
    print_rows(rows, ["key", "region", "title", "default"], "table")


def print_rows(rows: list[dict], columns: list[str], fmt: str) -> None:
    """Rows as an aligned table, CSV or SPARQL-JSON-like JSON."""
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "head": {"vars": columns},
                    "results": {"bindings": [{k: str(v) for k, v in r.items()} for r in rows]},
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        writer.writerows([[str(r.get(c, "")) for c in columns] for r in rows])
        click.echo(buf.getvalue(), nl=False)
    else:
        cells = [[str(r.get(c, "")) for c in columns] for r in rows]
        widths = [max([width(c), *(width(x[i]) for x in cells)]) for i, c in enumerate(columns)]
        for line in [columns, *cells]:
            click.echo("  ".join(pad(v, w) for v, w in zip(line, widths, strict=True)).rstrip())
        click.echo(f"({len(rows)} rows)")


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cols: int) -> str:
    return text + " " * (cols - width(text))


UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


def update_operation(text: str) -> str | None:
    """The operation a SPARQL Update starts with (after PREFIX and BASE), else None."""
    words = re.findall(r"[^\s\0{]+", masked(text))  # masked: no comments, IRIs, strings
    i = 0
    while i < len(words) and words[i].upper() in ("PREFIX", "BASE", "VERSION"):
        i += 2 if words[i].upper() == "PREFIX" else 1
    first = words[i].upper() if i < len(words) else ""
    return first if first in UPDATES else None


@main.command("query")
@click.argument("sparql", required=False)
@click.option("-f", "--file", "path", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.pass_obj
def query_cmd(obj: Context, sparql: str | None, path: Path | None, fmt: str) -> None:
    """Run a SPARQL query (text or -f file.rq) over all graphs."""
    text = path.read_text(encoding="utf-8") if path else sparql
    if not text:
        fail(click.UsageError("give a query or -f FILE"))
    if op := update_operation(text):
        fail(
            click.UsageError(
                "chainkg query runs SPARQL queries only (SELECT, ASK, CONSTRUCT, DESCRIBE), "
                f"and this text is a SPARQL Update ({op} …). To change the store, load a file "
                "with `chainkg load FILE --kind rdf [--graph IRI]`, or run `chainkg serve` "
                "with CHAINKG_UPDATE_TOKEN set and POST it to /sparql (form field update=, or "
                "a body of type application/sparql-update) with the header "
                "'Authorization: Bearer <token>'"
            )
        )
    store = _open(obj)
    graph_media_type = {
        "json": "application/ld+json",
        "csv": "application/n-triples",
        "table": "text/turtle",
    }[fmt]
    select_format = "json" if fmt == "table" else fmt
    job = Job(text, select_format, graph_media_type, max_rows=10**12, prefixes=PREFIXES)
    try:
        answer = store.run(job)
    except (SyntaxError, QueryError) as exc:
        fail(exc)
    if fmt == "table" and answer.form == "ask":
        click.echo(str(json.loads(answer.body)["boolean"]).lower())
        return
    if fmt == "table" and answer.form == "select":
        data = json.loads(answer.body)
        columns = data["head"]["vars"]
        rows = [{c: t["value"] for c, t in b.items()} for b in data["results"]["bindings"]]
        print_rows(rows, columns, fmt)
        return
    sys.stdout.buffer.write(answer.body)
    sys.stdout.buffer.flush()


@main.command("stats")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@click.pass_obj
def stats_cmd(obj: Context, fmt: str) -> None:
    """Triples per named graph and entities per class."""
    store = _open(obj)
    graphs = store.select(get("graph-sizes").text)
    classes = store.select(get("class-counts").text)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "graphs": {str(r["graph"]): int(r["triples"]) for r in graphs},
                    "classes": {
                        str(r["class"]).split("#")[-1]: int(r["entities"]) for r in classes
                    },
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    click.echo("Triples per named graph")
    print_rows(
        [{"graph": r["graph"], "triples": r["triples"]} for r in graphs], ["graph", "triples"], fmt
    )
    click.echo("\nEntities per class")
    print_rows(
        [
            {
                "class": str(r["class"]).split("#")[-1],
                "label": r.get("label_zh", ""),
                "entities": r["entities"],
            }
            for r in classes
        ],
        ["class", "label", "entities"],
        fmt,
    )


@main.command("validate")
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL reasoner (HermiT, needs Java).")
@click.pass_obj
def validate_cmd(obj: Context, no_reasoner: bool) -> None:
    """Check the data against the SHACL shapes and the ontology with HermiT."""
    from chainkg.graph.validation import reason, shacl_report

    store = _open(obj)
    progress("SHACL validation")
    conforms, text = shacl_report(store)
    click.echo(text)
    ok = conforms
    if not no_reasoner:
        progress("OWL reasoning (HermiT)")
        consistent, message = reason(store)
        click.echo(message)
        ok = ok and consistent
    sys.exit(0 if ok else 1)


@main.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["ttl", "nq", "trig", "nt", "jsonld"]), default="nq"
)
@output_option()
@click.pass_obj
def export_cmd(obj: Context, fmt: str, output: Path | None) -> None:
    """Write the whole store (nq/trig keep the named graphs)."""
    store = _open(obj)
    if output:
        with open(output, "wb") as fh:
            store.dump(fh, fmt)
        progress(f"wrote {output}")
    else:
        store.dump(sys.stdout.buffer, fmt)


@main.command("path")
@click.argument("source")
@click.argument("target")
@click.option("--all", "all_", is_flag=True, help="All simple paths, not only the shortest.")
@click.option("--max-len", type=click.IntRange(1, 10), default=6, show_default=True)
@click.option("--max-paths", type=click.IntRange(1, 100), default=20, show_default=True)
@click.option(
    "--to-kind",
    type=click.Choice(["auto", "product", "industry", "park"]),
    default="auto",
    show_default=True,
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@plan_option()
@click.pass_obj
def path_cmd(
    obj: Context,
    source: str,
    target: str,
    all_: bool,
    max_len: int,
    max_paths: int,
    to_kind: str,
    fmt: str,
    plan: str | None,
) -> None:
    """How SOURCE reaches TARGET along the chains (names, aliases, pinyin or ids)."""
    from chainkg.queries.errors import Unknown
    from chainkg.queries.paths import all_paths, shortest

    store = _view(obj, plan)
    try:
        if all_:
            answer = all_paths(store, source, target, obj.ids, max_len, max_paths, to_kind)
        else:
            answer = shortest(store, source, target, obj.ids, to_kind)
    except Unknown as exc:
        hint = ", ".join(s["label"] for s in exc.suggestions[:5])
        fail(LookupError(f"{exc} (did you mean: {hint})" if hint else str(exc)))
    if fmt == "json":
        click.echo(json.dumps(answer, ensure_ascii=False, indent=1))
        return
    click.echo(answer["message"])
    for n, path in enumerate(answer["paths"], start=1):
        click.echo(f"\n{n}. " + " → ".join(path["labels"]))
        for step in path["steps"]:
            where = step["section_label"] or "domain knowledge"
            why = f"「{step['quote']}」" if step["quote"] else step["reason"]
            click.echo(f"   {step['from']} → {step['to']}: {why} ({where})")
    statuses = {node["label"]: node["status_text"]["zh"] for node in answer["nodes"]}
    if statuses:
        click.echo("\n" + "; ".join(f"{k}: {v}" for k, v in statuses.items()))


@main.command("serve")
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 8000).")
@click.pass_obj
def serve_cmd(obj: Context, host: str | None, port: int | None) -> None:
    """Serve the SPARQL endpoint and the API; builds the built-in dataset first if needed."""
    import uvicorn

    from chainkg.api.app import create_app

    settings = obj.settings.model_copy(
        update={k: v for k, v in (("host", host), ("port", port)) if v is not None}
    )
    if not obj.home.exists():
        try:
            manifest = Manifest.read(settings.dataset or builtin_manifest())
            progress(f"no store at {obj.home.location}: building it from {manifest.path}")
            build(obj.home, manifest, obj.ids, progress, derive=derive(obj))
        except (LoadError, StoreMissing) as exc:
            fail(exc)
    progress(f"serving {obj.home.current()} on http://{settings.host}:{settings.port}/sparql")
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=settings.access_log,
    )


from chainkg.api.brief_command import brief_cmd  # noqa: E402  (uses the helpers above)
from chainkg.api.gap_command import gaps_cmd  # noqa: E402
from chainkg.api.map_command import map_cmd  # noqa: E402
from chainkg.api.parse_command import parse_cmd  # noqa: E402

main.add_command(brief_cmd)
main.add_command(gaps_cmd)
main.add_command(map_cmd)
main.add_command(parse_cmd)

if __name__ == "__main__":
    main()
