"""The log's tree math against a naive RFC 9162 implementation written from the RFC's text.

The naive side hashes lists of leaves recursively (MTH, PATH, PROOF/SUBPROOF exactly as
section 2.1 defines them); the module under test works from stored perfect nodes and appends
in chunks, as the tracker does. Hypothesis picks the sizes, the chunks and the tampering.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims import translog


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 2.1.1: the Merkle Tree Hash of a list of leaf *data*."""
    n = len(leaves)
    if n == 0:
        return sha(b"")
    if n == 1:
        return sha(b"\x00" + leaves[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return sha(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    """RFC 9162 2.1.3.1 PATH(m, D[n])."""
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*path(m, leaves[:k]), mth(leaves[k:])]
    return [*path(m - k, leaves[k:]), mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    """RFC 9162 2.1.4.1 SUBPROOF(m, D[n], b)."""
    n = len(leaves)
    if m == n:
        return [] if whole else [mth(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*subproof(m, leaves[:k], whole), mth(leaves[k:])]
    return [*subproof(m - k, leaves[k:], False), mth(leaves[:k])]


def proof_of(ranges: list[tuple[int, int]], nodes: dict) -> list[bytes]:
    return [translog.range_hash(a, b, nodes) for a, b in ranges]


def stored(leaves: list[bytes], chunks: list[int]) -> tuple[dict, translog.Appended]:
    """Append the leaves in chunks, as checkpoints do; return every node made, and the end."""
    nodes: dict = {}
    frontier: list = []
    size = 0
    done = translog.append([], 0, [])
    position = 0
    for chunk in [*chunks, len(leaves)]:
        part = leaves[position : position + chunk]
        position += len(part)
        done = translog.append(frontier, size, [translog.leaf_hash(x) for x in part])
        nodes.update({(level, index): h for level, index, h in done.nodes})
        frontier, size = done.frontier, done.size
        # The frontier is always the cover of the whole tree, read back from the stored nodes.
        assert [(lv, ix) for lv, ix, _ in frontier] == (translog.cover(0, size) if size else [])
    return nodes, done


leaf_lists = st.lists(st.binary(max_size=8), min_size=1, max_size=70)
chunk_lists = st.lists(st.integers(min_value=0, max_value=9), max_size=12)


@given(leaves=leaf_lists, chunks=chunk_lists)
def test_root_of_every_prefix_matches_the_naive_hash(leaves, chunks):
    nodes, done = stored(leaves, chunks)

    assert done.root == mth(leaves)
    for n in range(len(leaves) + 1):
        assert translog.range_hash(0, n, nodes) == mth(leaves[:n])


@given(leaves=leaf_lists, data=st.data())
def test_inclusion_proof_matches_the_naive_path_and_verifies(leaves, data):
    nodes, _ = stored(leaves, [])
    size = data.draw(st.integers(min_value=1, max_value=len(leaves)))
    index = data.draw(st.integers(min_value=0, max_value=size - 1))

    proof = proof_of(translog.inclusion_ranges(index, size), nodes)

    assert proof == path(index, leaves[:size])
    root = mth(leaves[:size])
    leaf = translog.leaf_hash(leaves[index])
    assert translog.verify_inclusion(leaf, index, size, proof, root)


@given(leaves=leaf_lists, data=st.data())
def test_consistency_proof_matches_the_naive_subproof_and_verifies(leaves, data):
    nodes, _ = stored(leaves, [3, 1])
    second = data.draw(st.integers(min_value=1, max_value=len(leaves)))
    first = data.draw(st.integers(min_value=1, max_value=second))

    proof = proof_of(translog.consistency_ranges(first, second), nodes)

    assert proof == subproof(first, leaves[:second], True)
    assert translog.verify_consistency(
        first, second, mth(leaves[:first]), mth(leaves[:second]), proof
    )


@given(leaves=leaf_lists, data=st.data())
def test_inclusion_proof_fails_for_any_other_leaf_index_size_or_hash(leaves, data):
    nodes, _ = stored(leaves, [])
    size = data.draw(st.integers(min_value=1, max_value=len(leaves)))
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = proof_of(translog.inclusion_ranges(index, size), nodes)
    root, leaf = mth(leaves[:size]), translog.leaf_hash(leaves[index])
    other = sha(b"something else")

    assert not translog.verify_inclusion(other, index, size, proof, root)
    assert not translog.verify_inclusion(leaf, index, size, proof, other)
    assert not translog.verify_inclusion(leaf, index, size, [*proof, other], root)
    assert not translog.verify_inclusion(leaf, size, size, proof, root)
    if proof:
        at = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
        bent = [*proof[:at], other, *proof[at + 1 :]]
        assert not translog.verify_inclusion(leaf, index, size, bent, root)
        assert not translog.verify_inclusion(leaf, index, size, proof[:-1], root)


@given(leaves=leaf_lists, data=st.data())
def test_consistency_proof_fails_for_a_rewritten_prefix_or_a_wrong_size(leaves, data):
    second = data.draw(st.integers(min_value=1, max_value=len(leaves)))
    first = data.draw(st.integers(min_value=1, max_value=second))
    at = data.draw(st.integers(min_value=0, max_value=first - 1))
    nodes, _ = stored(leaves, [])
    proof = proof_of(translog.consistency_ranges(first, second), nodes)
    rewritten = [*leaves[:at], leaves[at] + b"!", *leaves[at + 1 :]]
    old_root, new_root = mth(leaves[:first]), mth(leaves[:second])

    # The log rewrote an event inside the old prefix and recomputed everything it publishes:
    # no proof from the old root to the new one verifies.
    rewritten_nodes, _ = stored(rewritten, [])
    forged = [
        translog.range_hash(a, b, rewritten_nodes)
        for a, b in translog.consistency_ranges(first, second)
    ]
    assert not translog.verify_consistency(first, second, old_root, mth(rewritten[:second]), forged)
    assert not translog.verify_consistency(first, second, old_root, mth(rewritten[:second]), proof)
    if first < second:
        assert not translog.verify_consistency(first, second, new_root, new_root, proof)
        assert not translog.verify_consistency(first + 1, second, old_root, new_root, proof)
        assert not translog.verify_consistency(first, second, old_root, new_root, proof[:-1])


def test_empty_tree_hash_is_sha256_of_nothing():
    assert translog.EMPTY_ROOT.hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert translog.range_hash(0, 0, {}) == translog.EMPTY_ROOT


def test_known_answer_of_two_leaves():
    """SHA-256(0x01 || SHA-256(0x00 || a) || SHA-256(0x00 || b)), spelled out."""
    left, right = sha(b"\x00a"), sha(b"\x00b")

    _, done = stored([b"a", b"b"], [])

    assert done.root == sha(b"\x01" + left + right)


def test_builder_gives_the_root_of_every_prefix():
    leaves = [bytes([i]) for i in range(37)]
    builder = translog.Builder()
    for n, leaf in enumerate(leaves, start=1):
        builder.add(translog.leaf_hash(leaf))

        assert builder.root == mth(leaves[:n])


@pytest.mark.parametrize(("start", "end"), [(1, 3), (3, 7), (2, 8)])
def test_cover_refuses_a_range_that_is_no_subtree(start, end):
    with pytest.raises(ValueError, match="not a subtree"):
        translog.cover(start, end)


def test_proof_ranges_refuse_impossible_sizes():
    with pytest.raises(ValueError, match="not in a tree of 3"):
        translog.inclusion_ranges(3, 3)
    with pytest.raises(ValueError, match="from 4 to 3"):
        translog.consistency_ranges(4, 3)
