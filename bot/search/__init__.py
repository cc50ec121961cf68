"""Search: a Whoosh index over the knowledge base and every passage of the seeds."""

import os

# The semantic model's matrix products (semantic.py) are small: on two cores, a
# second BLAS thread saves a few milliseconds a question and costs tens when the
# other core is busy (another worker, an index build). Set before numpy loads; an
# explicit setting in the environment wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
