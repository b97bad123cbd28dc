"""Heavy libraries loaded on first use.

``ledger balance`` reads a few hundred rows of totals from the books; importing
pandas, numpy and pyarrow would be most of its run time (about half a second).
The modules on its path (:mod:`ledger.cli`, :mod:`ledger.books.store`, :mod:`ledger.core.money`)
therefore take those libraries from :func:`defer` instead of an ``import`` statement:
the module object loads itself when one of its attributes is first used (the
LazyLoader recipe of the ``importlib`` documentation).  An ``import pandas`` statement
anywhere else loads it at once, as usual.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def defer(name: str) -> ModuleType:
    """The module ``name``, loaded when first used (or the module itself if already loaded)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
