"""Fit the grading calibration on the public ASAG data and write it to the package.

    .venv/bin/python benchmarks/fit_calibration.py --data DIR   # holds mohler2011/ and ads_zh/

One ridge model per answer language: English from Mohler 2011 (standard 2,273 answers),
Chinese from ADS (1,107 answers). The shipped weights are fitted on *all* rows; the figures
the README reports come from `gointerview benchmark grading`, which refits inside grouped
cross-validation so that no question's own rows are used to score it.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from gointerview.grading.text.benchmark import (
    ALPHA,
    LOADERS,
    asag_data_dir,
    compute_features,
    cross_validate,
    fit_all,
    metrics,
)
from gointerview.grading.text.calibration import CALIBRATION_FILE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=asag_data_dir())
    args = parser.parse_args()
    if args.data is None:
        parser.error("pass --data DIR (or set GOINTERVIEW_ASAG_DIR): the ASAG sets are not shipped")
    models, cv = {}, {}
    for lang, name in (("en", "mohler"), ("zh", "ads")):
        data = LOADERS[name](args.data)
        compute_features(data)
        models[lang] = fit_all(data).as_dict()
        cv[lang] = {
            "dataset": name,
            "answers": len(data.rows),
            **metrics(data, cross_validate(data)),
        }
        print(f"{lang}: fitted on {name} ({len(data.rows)} answers); grouped-CV {cv[lang]}")
    payload = {
        "version": 1,
        "fitted": date.today().isoformat(),
        "model": f"ridge regression, alpha={ALPHA}, standardised features, target = score/max",
        "cross_validation": cv,
        "models": models,
    }
    CALIBRATION_FILE.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {CALIBRATION_FILE}")


if __name__ == "__main__":
    main()
