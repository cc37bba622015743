"""A sweep fanned out over a Dask cluster, shard by shard.

Each task runs ``dtr.sweep(path, shard=(I, N))`` on a worker and returns the
shard's JSON; :func:`dtr.merge_sweeps` combines them into exactly the
output of one run (docs/scale.md, "Dask"). The workers read ``path``
themselves: on a cluster of several machines it must name the same model
on each (a shared file system). Needs ``dask[distributed]``.
"""

from __future__ import annotations

import os
from typing import Any, Optional

from ._api import PathLike, merge_sweeps
from ._api import sweep as _sweep
from ._results import Sweep


def _shard(path: str, index: int, count: int, options: dict) -> str:
    return _sweep(path, shard=(index, count), **options).json


def sweep(path: PathLike, shards: int, client: Optional[Any] = None, **options: Any) -> Sweep:
    """Sweeps ``path`` as ``shards`` tasks on ``client`` (a
    ``distributed.Client``; default: the current one, or a ``LocalCluster``
    started for this call and closed after it) and merges them.

    ``options`` are :func:`dtr.sweep`'s (``attackers``, ``targets``,
    ``samples``, ``probabilities``). The result equals ``dtr.sweep(path,
    **options)`` byte for byte: each attack's seed depends on the model and
    the pair alone, never on the shard or the worker.
    """
    if not isinstance(shards, int) or shards < 1:
        raise ValueError(f"shards must be a whole number of at least 1, not {shards!r}")
    from distributed import Client, LocalCluster

    if client is None:
        try:
            client = Client.current()
        except ValueError:
            with LocalCluster(processes=True) as cluster, Client(cluster) as own:
                return sweep(path, shards, own, **options)
    path = os.fspath(path)
    # pure=False: a shard is cheap to describe but not to run twice; Dask
    # must neither dedupe nor cache it under a key of its arguments.
    futures = [client.submit(_shard, path, i, shards, options, pure=False) for i in range(1, shards + 1)]
    return merge_sweeps(client.gather(futures))
