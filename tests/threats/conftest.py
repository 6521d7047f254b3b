"""The threat tests live in one folder per capability (cyber/, lookalike/, defacement/); the index
and pipeline fixtures two of them share stay here and are imported by name."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
