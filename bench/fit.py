"""Every fitted constant's cross-validated curve, in one run (held out set by set, worst set decides).

    python bench/fit.py        # the classifier's C, the pair scorer's cut-off and solvers, search's weights

The first two write what they choose (data/classifier.npz, data/pair_scorer.json); search's weights
are written only with `python -m app.core.search_training --write`.
"""

from __future__ import annotations

import sys

from app.core import pair_training, search_training, training

if __name__ == "__main__":
    sys.exit(training.main() or pair_training.main() or search_training.main())
