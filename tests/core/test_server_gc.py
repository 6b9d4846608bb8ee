"""The production server's collector tuning (``core.server.tune_gc``): what is alive at start
is frozen, young objects are collected less often, and what requests create is still freed."""

import gc
import weakref

import pytest

from stadtlotse.core.server import GC_YOUNG_THRESHOLD, tune_gc


@pytest.fixture
def restored_gc():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_tune_gc_freezes_what_lives_and_raises_the_young_threshold(restored_gc):
    older = gc.get_threshold()[1:]
    tune_gc()
    assert gc.get_freeze_count() > 1000  # the modules and objects of the loaded application
    assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, *older)


def test_cycles_made_after_tuning_are_still_collected(restored_gc):
    tune_gc()

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the collector frees it
    alive = weakref.ref(a)
    del a, b
    gc.collect()
    assert alive() is None
