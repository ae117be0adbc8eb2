"""Every fitted constant's cross-validated curve, in one run (held out set by set, worst set decides).

    python bench/fit.py        # the sentence classifier's C, then the pair scorer's cut-off and solvers

Both write what they choose (data/classifier.npz, data/pair_scorer.json), as shipped.
"""

from __future__ import annotations

import sys

from app.core import pair_training, training

if __name__ == "__main__":
    sys.exit(training.main() or pair_training.main())
