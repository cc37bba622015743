"""dtr.dask on a LocalCluster of worker processes: the shards run on the
workers and merge into exactly the single-machine sweep, byte for byte."""

import pytest
from distributed import Client, LocalCluster

import dtr
import dtr.dask
from conftest import KOREA


@pytest.fixture(scope="module")
def client():
    # Two worker processes of one thread each: the shards really leave this
    # process, as they would on a cluster.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            yield client


def test_shards_on_a_local_cluster_merge_into_the_single_run(client, dtr_cli):
    single = dtr.sweep(KOREA)
    assert single.json == dtr_cli("sweep", KOREA, "--format", "json")
    for shards in (1, 4, 7):
        merged = dtr.dask.sweep(KOREA, shards=shards, client=client)
        assert merged.json == single.json, f"{shards} shards"
    # The shards ran on both workers, each of which loaded the native module.
    loaded = client.run(lambda: "dtr._native" in __import__("sys").modules)
    assert list(loaded.values()) == [True, True]


def test_options_reach_every_shard(client, dtr_cli):
    merged = dtr.dask.sweep(KOREA, shards=3, client=client, targets=["ROK", "JPN"], samples=20)
    cli = dtr_cli("sweep", KOREA, "--format", "json", "--targets", "ROK,JPN", "--samples", "20")
    assert merged.json == cli
    assert set(merged.to_pandas().victim) == {"ROK", "JPN"}


def test_a_refusal_on_a_worker_raises_here(client):
    with pytest.raises(dtr.DtrError) as raised:
        dtr.dask.sweep(KOREA, shards=2, client=client, attackers=["RUZ"])
    assert [d.code for d in raised.value.diagnostics] == ["E0090"]
    with pytest.raises(ValueError, match="at least 1"):
        dtr.dask.sweep(KOREA, shards=0, client=client)
