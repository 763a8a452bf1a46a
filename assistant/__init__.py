"""民政政策问答助手: cited answers from civil-affairs policy documents."""

import os

# Chroma phones home unless told not to; set before chromadb is imported anywhere.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

__version__ = "0.1.0"
