r"""A small HTTP service around tradecontrol (the docs' how-to; tested in tests/).

Run it with ``flask --app examples/web_service.py run`` and POST a transaction::

    curl -s localhost:5000/evaluate -H 'content-type: application/json' \
         -d '{"id": "T-1", "date": "2019-05-17", "origin": "US", "parties": [
              {"role": "ultimate_consignee", "entity": {"name": "Huawei"}}],
              "items": [{"eccn": "EAR99"}]}'

The rulebook is built once when the app starts; each request only validates the JSON and
calls the pure ``evaluate``. Bad input answers 400 with the JSON path of the bad field.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, request

import tradecontrol as tc

app = Flask(__name__)
RULEBOOK = tc.Rulebook.default()


@app.post("/evaluate")
def evaluate() -> Any:
    """Decide the posted transaction; ``?as_of=2020-08-14`` decides as of another moment."""
    try:
        transaction = tc.Transaction.from_dict(request.get_json(force=True, silent=False))
        as_of = request.args.get("as_of")
        decision = tc.evaluate(
            transaction,
            RULEBOOK,
            as_of=tc.parse_moment(as_of) if as_of else None,
        )
    except tc.TradeControlError as exc:
        return jsonify({"error": exc.message, "path": exc.path}), 400
    return jsonify(decision.to_dict())


@app.get("/rulebook")
def rulebook() -> Any:
    """Which rulebook answers: id, version and snapshot date."""
    return jsonify(
        {"id": RULEBOOK.id, "version": RULEBOOK.version, "snapshot": RULEBOOK.snapshot.isoformat()}
    )
