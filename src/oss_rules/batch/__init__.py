"""Package batch evaluates many inventories: streaming, in order, in bounded memory.

- :func:`read_records` reads input documents lazily from ``.json``, ``.jsonl``, ``.csv``
  files or standard input;
- :meth:`oss_rules.Engine.evaluate_many` (here :func:`evaluate_many`) yields one
  :class:`Evaluated` or :class:`Failed` per inventory, in input order, optionally in
  worker processes;
- :func:`split` and :func:`split_inventory` cut one large fact list into independent
  inventories along fact references;
- :mod:`oss_rules.batch.dask` does the same over a Dask bag or dataframe (the
  ``oss_rules[dask]`` extra).

See docs/batch.md.
"""

from ._csv import CsvHeaderError, CsvLayout
from ._many import evaluate_many
from ._one import Item
from ._outcomes import Evaluated, Failed, Outcome, Record
from ._records import STDIN, read_records
from ._split import SplitError, check_splittable, split, split_inventory

__all__ = [
    "STDIN",
    "CsvHeaderError",
    "CsvLayout",
    "Evaluated",
    "Failed",
    "Item",
    "Outcome",
    "Record",
    "SplitError",
    "check_splittable",
    "evaluate_many",
    "read_records",
    "split",
    "split_inventory",
]
