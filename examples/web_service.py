r"""A small HTTP service around tradecontrol (the docs' how-to; tested in tests/).

Flask is not a dependency of tradecontrol: ``pip install flask`` first. Run it with
``flask --app examples/web_service.py run`` and POST a transaction::

    curl -s localhost:5000/evaluate -H 'content-type: application/json' \
         -d '{"id": "T-1", "date": "2019-05-17", "origin": "US", "parties": [
              {"role": "ultimate_consignee", "entity": {"name": "Huawei"}}],
              "items": [{"eccn": "EAR99"}]}'

The rulebook is built once when the app starts: the bundled rulebook plus, when the
environment variable ``TRADECONTROL_LISTS`` names official list files (separated by
``os.pathsep``, ``:`` on Linux), their listings. Each request only validates the JSON and
calls the pure ``evaluate``. Bad input — malformed JSON included — answers 400 with a JSON
body ``{"error": ..., "path": ...}`` naming the bad field (``""`` for the whole body).
"""

from __future__ import annotations

import json
import os
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

import tradecontrol as tc
from tradecontrol import lists

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 1 << 20  # one transaction per request: 1 MiB is plenty


def build_rulebook(paths: list[str]) -> tc.Rulebook:
    """The bundled rulebook plus the listings of the official list files at ``paths``."""
    rulebook = tc.Rulebook.default()
    if paths:
        snapshots = [lists.load(path) for path in paths]
        for snap in snapshots:
            if snap.problems:  # never drop a record silently: say so in the server log
                app.logger.warning("%s: %d record(s) not loaded", snap.source, len(snap.problems))
        published = [s.published for s in snapshots if s.published is not None]
        rulebook = rulebook.with_listings(
            [listing for snap in snapshots for listing in snap.listings],
            snapshot=max(published, default=None),
        )
    # Build the screening candidate index now, not on the first request: for the full CSL
    # it takes seconds of CPU and a few hundred MB, once per worker process.
    _ = rulebook.candidate_index
    return rulebook


RULEBOOK = build_rulebook(
    [p for p in os.environ.get("TRADECONTROL_LISTS", "").split(os.pathsep) if p]
)


def _error(message: str, path: str = "", status: int = 400) -> Any:
    return jsonify({"error": message, "path": path}), status


@app.errorhandler(HTTPException)
def http_error(exc: HTTPException) -> Any:
    """Answer every HTTP error (404, 405, 413, ...) as JSON too, never as an HTML page."""
    return _error(exc.description or exc.name, status=exc.code or 500)


@app.post("/evaluate")
def evaluate() -> Any:
    """Decide the posted transaction; ``?as_of=2020-08-14`` decides as of another moment."""
    try:
        body = json.loads(request.get_data())
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and bad UTF-8 are ValueErrors
        return _error(f"not valid JSON: {str(exc)[:200]}")
    try:
        transaction = tc.Transaction.from_dict(body)
        as_of = request.args.get("as_of")
        decision = tc.evaluate(
            transaction,
            RULEBOOK,
            as_of=tc.parse_moment(as_of) if as_of else None,
        )
    except tc.TradeControlError as exc:
        return _error(exc.message, exc.path)
    return jsonify(decision.to_dict())


@app.get("/rulebook")
def rulebook() -> Any:
    """Which rulebook answers: id, version and snapshot date."""
    return jsonify(
        {"id": RULEBOOK.id, "version": RULEBOOK.version, "snapshot": RULEBOOK.snapshot.isoformat()}
    )
