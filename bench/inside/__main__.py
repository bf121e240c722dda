"""`python -m labmark_worker WORKDIR REQ_FD RESP_FD MEMORY_BYTES FILE_BYTES`: see loop.py."""

import sys

from .loop import main

sys.exit(main(sys.argv[1:]))
