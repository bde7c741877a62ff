from decimal import Decimal as D

from mutualis.surveys import stats


def test_mean_rate_and_satisfied_share_round_half_up_to_one_decimal():
    assert stats.mean([4, 5]) == D("4.5") and stats.mean([]) is None
    assert stats.rate(1, 3) == D("33.3") and stats.rate(2, 3) == D("66.7")
    assert stats.rate(1, 0) is None
    assert stats.satisfied_rate([5, 4, 3, 1], 4) == D("50.0")
    assert stats.member_satisfaction({"a": 4, "b": 2, "c": "x"}, ["a", "b", "c", "d"], 4) == 50


def test_ranking_lists_every_option_with_shared_ranks():
    ranking = stats.ranking([["b", "a"], ["b", "c"], ["b", "b"]], ["a", "b", "c", "d"])
    assert [(p.code, p.count, p.rank) for p in ranking] == [
        ("b", 3, 1),
        ("a", 1, 2),
        ("c", 1, 2),
        ("d", 0, 4),
    ]
    assert ranking[0].share == 100


def test_distribution_and_trend():
    assert stats.distribution([0, 2, 2], (0, 1, 2)) == [(0, 1), (1, 0), (2, 2)]
    assert stats.trend(D("75"), D("80.5")) == D("-5.5") and stats.trend(None, D(1)) is None
