"""Properties of the history's change description (pure functions, no database)."""

from hypothesis import given
from hypothesis import strategies as st

from cityzero.cities.sections import EMPTY_SNAPSHOT, SPECS, describe_changes, snapshot

SPEC = SPECS["stakeholders"]
names = st.text(min_size=1, max_size=20)
rows = st.lists(
    st.fixed_dictionaries(
        {"name": names, "type": st.sampled_from(["utility", "business"]), "level": st.just("local"),
         "role": st.text(max_size=5), "influence": st.sampled_from(["low", "high"]), "interest": st.just("low")}
    ),
    max_size=6,
    unique_by=lambda row: row["name"],
)  # fmt: skip
snapshots = st.builds(
    lambda visibility, text, rows: snapshot(
        {"visibility": visibility, "narrative_md": text}, rows, SPEC
    ),
    st.sampled_from(["public", "members", "team"]),
    st.text(max_size=30),
    rows,
)


@given(snapshots)
def test_a_snapshot_compared_with_itself_has_no_changes(version):
    assert describe_changes(version, version, SPEC) == []


@given(snapshots)
def test_every_row_of_a_first_version_is_reported_added(version):
    added = [
        c["label"]
        for c in describe_changes(EMPTY_SNAPSHOT, version, SPEC)
        if c["change"] == "added"
    ]
    assert added == [row["name"] for row in version["rows"]]


@given(snapshots, snapshots)
def test_added_and_removed_rows_balance_the_row_counts(old, new):
    changes = describe_changes(old, new, SPEC)
    added = sum(c["change"] == "added" for c in changes)
    removed = sum(c["change"] == "removed" for c in changes)
    assert len(old["rows"]) + added - removed == len(new["rows"])
