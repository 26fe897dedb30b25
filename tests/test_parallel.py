"""Batches run in-process, on a local process pool and on a Dask LocalCluster give the same results."""

import pytest

from dossier import markup
from dossier.build import compile_project
from dossier.examples import example_project
from dossier.parallel import batches, run_batches
from dossier.report import DossierError, Report
from dossier.search_keys import keys_batch


@pytest.fixture(scope="module")
def items():
    compiled = compile_project(example_project(), Report())
    return [(markup.plain_text(d.body), d.language) for d in compiled.documents]


def test_pool_and_in_process_agree_and_keep_order(items):
    serial = run_batches(keys_batch, items, workers=1, batch_size=4)
    pooled = run_batches(keys_batch, items, workers=2, batch_size=4)
    assert serial == pooled and len(serial) == len(items)
    assert all(serial) and "xruxev" in " ".join(serial)
    assert [len(b) for b in batches(list(range(7)), 3)] == [3, 3, 1]


def test_dask_local_cluster_gives_the_same_results(items):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                                  processes=True) as cluster:
        on_dask = run_batches(keys_batch, items, scheduler=cluster.scheduler_address, batch_size=5)
    assert on_dask == run_batches(keys_batch, items, workers=1)


def test_an_unreachable_scheduler_is_a_one_line_error(items):
    with pytest.raises(DossierError) as err:
        run_batches(keys_batch, items, scheduler="tcp://127.0.0.1:9")
    assert "cannot reach the Dask scheduler" in str(err.value) and "\n" not in str(err.value)
