import itertools

from assistant.retrieve.hybrid import combined, rrf, weighted


def test_rrf_rewards_agreement() -> None:
    a = [("x", 9.0), ("y", 5.0), ("z", 1.0)]
    b = [("y", 0.9), ("x", 0.8), ("w", 0.1)]
    fused = [cid for cid, _ in rrf([(a, 1.0), (b, 1.0)], k=60)]
    assert set(fused[:2]) == {"x", "y"} and fused[-1] in {"z", "w"}


def test_rrf_weights() -> None:
    a = [("x", 1.0)]
    b = [("y", 1.0)]
    assert rrf([(a, 1.0), (b, 2.0)], k=60)[0][0] == "y"


def test_weighted_minmax() -> None:
    a = [("x", 10.0), ("y", 0.0)]
    b = [("y", 0.9), ("x", 0.1)]
    scores = dict(weighted([(a, 1.0), (b, 1.0)]))
    assert scores["x"] == scores["y"] == 1.0
    assert weighted([([], 1.0)]) == []


def test_combined_keeps_every_candidate_and_orders() -> None:
    a = [("x", 10.0), ("y", 2.0), ("z", 1.0)]
    b = [("x", 0.9), ("w", 0.5)]
    fused = combined([(a, 1.0), (b, 1.0)])
    assert next(c for c, _ in fused) == "x"
    assert {c for c, _ in fused} == {"x", "y", "z", "w"}
    assert all(s1 >= s2 for (_, s1), (_, s2) in itertools.pairwise(fused))
