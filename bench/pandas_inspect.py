"""pandas' counterpart of `ecoreport inspect FILE`: parse every column, then
describe every column (numbers: count, mean, std, min, quartiles, max; text:
count, unique, top, freq). Prints nothing, like the one-liner
    python3 -c 'import pandas as pd, sys; df = pd.read_csv(sys.argv[1]);
                df.describe(include="all")' FILE
"""
import sys

import pandas as pd

df = pd.read_csv(sys.argv[1])
df.describe(include="all")
