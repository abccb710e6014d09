"""polydigest: a static, multilingual news-digest site generator (offline)."""

import os

# sumy's LSA and LexRank do many small matrix operations: threaded BLAS makes them ~10x
# slower. Set before numpy is first imported; a value set by the user wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
