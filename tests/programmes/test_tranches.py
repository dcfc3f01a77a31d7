"""A grant split into tranches: whole euros that always add up to the grant."""

from cityzero.programmes.tranches import amounts


def test_40_40_20_of_a_million():
    assert amounts(1_000_000, (40, 40, 20)) == [
        ("start", 40, 400_000), ("interim", 40, 400_000), ("final", 20, 200_000)
    ]  # fmt: skip


def test_the_last_tranche_takes_the_remainder_of_the_rounding():
    # 40% of 1,000,003 is 400,001.2: rounded down twice, the last gets 200,001.
    split = amounts(1_000_003, (40, 40, 20))
    assert [amount for _t, _s, amount in split] == [400_001, 400_001, 200_001]
    assert sum(amount for _t, _s, amount in split) == 1_000_003


def test_a_share_of_0_leaves_the_tranche_out():
    assert amounts(500_000, (0, 60, 40)) == [("interim", 60, 300_000), ("final", 40, 200_000)]


def test_one_tranche_pays_it_all():
    assert amounts(999, (0, 0, 100)) == [("final", 100, 999)]
