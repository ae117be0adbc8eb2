"""Every fitted constant's cross-validated curve, in one run (held out set by set, worst set decides).

    python bench/fit.py        # the kind encoder's epochs, the classifier's C and mix, the pair encoder's
                               # epochs, the pair scorer's cut-off, solvers and margin, the query-intent model's
                               # C, the query encoder's epochs, search's weights and its "nothing close" floor,
                               # the call-offer classifier, the conversation-note classifier, the same-person
                               # scorer, where dictation without punctuation is cut

All but search's weights, the pair scorer and the dictation cut write what they choose (data/kind_encoder.safetensors,
data/classifier.npz, data/pair_encoder.safetensors, data/query_intent.npz, data/query_encoder.safetensors,
data/nothing_close.json, data/offer_words.json, data/conversation_words.json, data/same_person.json); those three are
written only with `--write` (`python -m app.core.search_training --write`, `python -m app.core.pair_training --write`,
`python -m app.core.dictation_training --write`: it changes how the labelled notes every other fit reads are split;
the query encoder's share, `python -m app.core.search_training --paired`). Where a run-on sentence is cut into clauses
has its own script, not run here (a classifier fit per style and cut, ~25 minutes in all): `python -m
app.core.passage_training`, also written only with `--write`.
"""

from __future__ import annotations

import sys

from app.core import (
    closeness_training,
    conversation_training,
    dictation_training,
    encoder_training,
    intent_training,
    kind_encoder_training,
    offer_training,
    pair_training,
    query_training,
    same_person_training,
    search_training,
    training,
)

if __name__ == "__main__":
    sys.exit(kind_encoder_training.main() or training.main() or encoder_training.main() or pair_training.main()
             or intent_training.main() or query_training.main() or search_training.main()
             or closeness_training.main() or offer_training.main() or conversation_training.main()
             or same_person_training.main() or dictation_training.main())
