"""A core-only install (no optional extras) still decides: screening falls back to exact."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import sys
for blocked in ("rapidfuzz", "anyascii", "tqdm", "dask", "defusedxml", "orjson"):
    sys.modules[blocked] = None  # import fails as if the extra were not installed
import json
import tradecontrol as tc
from tradecontrol.screening import scoring
rb = tc.Rulebook.default()
out = {"available": scoring.AVAILABLE}
t = tc.Transaction.from_dict({
    "id": "T", "date": "2019-06-10", "origin": "US", "destination": "CN",
    "parties": [{"role": "ultimate_consignee",
                 "entity": {"name": "Huawei Technologies Aktiengeselschaft"}},
                {"role": "end_user", "entity": {"name": "HUAWEI TECHNOLOGIES CO., LIMITED"}}],
    "items": [{"description": "USB cables", "eccn": "EAR99"}]})
decision = tc.evaluate(t, rb)
out["outcome"] = decision.outcome.value
out["caution"] = any("fuzzy name screening is off" in c for c in decision.cautions)
exact = tc.evaluate(t, rb.with_thresholds(tc.Thresholds(fuzzy=False)))
out["caution_exact_mode"] = any("fuzzy name screening is off" in c for c in exact.cautions)
from tradecontrol import evaluation
out["digest"] = [evaluation._fast_dumps is None, exact.digest]
from tradecontrol.cli import main
import contextlib, io
err = io.StringIO()
with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
    main(["screen", "Huawei Technologis Co Ltd"])
out["cli_note"] = "exact-normalised matching only" in err.getvalue()
out["screen"] = [m.score for m in tc.screen(tc.Entity(name="Huawei Technologies Co Ltd"), rb)][:1]
print(json.dumps(out))
"""


def test_evaluate_and_screen_work_without_the_optional_extras() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    digest = out.pop("digest")
    assert digest[0] is True  # the standard library encoded the digest's JSON
    assert digest[1] == _exact_digest()  # as this process does (with orjson when installed)
    assert out == {
        "available": False,
        "outcome": "license_required",
        "caution": True,  # the Decision says fuzzy matching was off
        "caution_exact_mode": False,  # exact mode was asked for: nothing to say
        "cli_note": True,
        "screen": [1.0],
    }


def _exact_digest() -> str:
    import tradecontrol as tc

    t = tc.Transaction.from_dict(
        {
            "id": "T",
            "date": "2019-06-10",
            "origin": "US",
            "destination": "CN",
            "parties": [
                {
                    "role": "ultimate_consignee",
                    "entity": {"name": "Huawei Technologies Aktiengeselschaft"},
                },
                {"role": "end_user", "entity": {"name": "HUAWEI TECHNOLOGIES CO., LIMITED"}},
            ],
            "items": [{"description": "USB cables", "eccn": "EAR99"}],
        }
    )
    rb = tc.Rulebook.default().with_thresholds(tc.Thresholds(fuzzy=False))
    return tc.evaluate(t, rb).digest
