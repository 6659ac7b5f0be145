"""The transparency log's tree math (RFC 9162, Certificate Transparency v2, section 2.1): pure.

The log is one append-only Merkle tree over every history event in ``seq`` order. The hash of
a leaf is ``SHA-256(0x00 || leaf bytes)``, of an inner node ``SHA-256(0x01 || left || right)``,
and of the empty tree ``SHA-256()``. The tree of ``n`` leaves splits at ``k``, the largest power
of two below ``n``: its left part is the perfect tree of the first ``k`` leaves.

What is stored (``claims.storage.merkle``) are the hashes of the *perfect* subtrees: node
``(level, index)`` covers leaves ``[index * 2**level, (index + 1) * 2**level)``. Every subtree
the RFC's algorithms name (the root of the first ``n`` leaves, each element of an inclusion or
consistency proof) is a right fold of a few of them (``cover``), so a checkpoint or a proof
reads O(log² n) stored hashes and never rehashes the events. Appending leaves (``append``)
produces the perfect nodes they complete.

Nothing here reads the database or the clock; ``claims.transparency`` does, with this.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Node = tuple[int, int]
"""A perfect subtree: ``(level, index)``, covering ``2**level`` leaves from ``index * 2**level``."""

Range = tuple[int, int]
"""Leaves ``[start, end)`` of the tree whose RFC 9162 hash (MTH) a proof holds."""

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""The root of the tree of no leaves: ``SHA-256()`` of nothing."""


def leaf_hash(data: bytes) -> bytes:
    """Return the hash of one leaf: ``SHA-256(0x00 || data)``."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the hash of an inner node: ``SHA-256(0x01 || left || right)``."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly below ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


# ---------------------------------------------------------------------------------------------
# Subtrees as folds of perfect nodes


def cover(start: int, end: int) -> list[Node]:
    """Return the perfect nodes, left to right, whose right fold is the hash of ``[start, end)``.

    Holds for every range the RFC's algorithms produce: ``start`` is a multiple of a power of
    two at least ``end - start`` (``[0, n)``, and the parts of such a range split at ``k``).
    Raises ValueError for an empty or unaligned range.
    """
    if end <= start:
        raise ValueError(f"empty range [{start}, {end})")
    nodes: list[Node] = []
    position = start
    for level in range((end - start).bit_length() - 1, -1, -1):
        width = 1 << level
        if (end - start) & width:
            if position % width:
                raise ValueError(f"[{start}, {end}) is not a subtree of the log's tree")
            nodes.append((level, position >> level))
            position += width
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """Combine the hashes of ``cover``'s nodes into the subtree's hash (right to left)."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def range_hash(start: int, end: int, nodes: Mapping[Node, bytes]) -> bytes:
    """Return the hash of leaves ``[start, end)`` from stored perfect nodes (``EMPTY_ROOT``
    when the range is empty). Raises KeyError when a node it needs is missing."""
    if end == start:
        return EMPTY_ROOT
    return fold([nodes[node] for node in cover(start, end)])


def nodes_for(ranges: Iterable[Range]) -> set[Node]:
    """Every perfect node needed to hash each of ``ranges`` (to fetch them in one query)."""
    return {node for start, end in ranges if end > start for node in cover(start, end)}


# ---------------------------------------------------------------------------------------------
# Appending


@dataclass(frozen=True)
class Appended:
    """What appending leaves produced: the new perfect nodes (leaves are level 0), the new
    frontier (``cover(0, size)`` with hashes) and the new size."""

    nodes: list[tuple[int, int, bytes]]
    frontier: list[tuple[int, int, bytes]]
    size: int

    @property
    def root(self) -> bytes:
        """The root hash of the tree of ``size`` leaves."""
        return fold([h for _level, _index, h in self.frontier])


def append(
    frontier: Sequence[tuple[int, int, bytes]], size: int, leaves: Iterable[bytes]
) -> Appended:
    """Append leaf hashes to a tree of ``size`` leaves whose frontier (the nodes of
    ``cover(0, size)`` with their hashes, left to right) is given."""
    stack = list(frontier)
    made: list[tuple[int, int, bytes]] = []
    for leaf in leaves:
        stack.append((0, size, leaf))
        made.append(stack[-1])
        size += 1
        # Two perfect trees of one height side by side make the next one up.
        while len(stack) >= 2 and stack[-1][0] == stack[-2][0]:
            level, index, right = stack.pop()
            _level, _index, left = stack.pop()
            stack.append((level + 1, index >> 1, node_hash(left, right)))
            made.append(stack[-1])
    return Appended(made, stack, size)


# ---------------------------------------------------------------------------------------------
# Proofs as ranges (RFC 9162 2.1.3.1 PATH and 2.1.4.1 PROOF / SUBPROOF, with offsets)


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The subtrees whose hashes make the inclusion proof of leaf ``index`` in the tree of
    ``size`` leaves, in proof order (the leaf's sibling first). Raises ValueError when
    ``index`` is not below ``size``."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    path: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            path.append((start + k, end))
            end = start + k
        else:
            path.append((start, start + k))
            start += k
    path.reverse()
    return path


def consistency_ranges(first: int, second: int) -> list[Range]:
    """The subtrees whose hashes make the consistency proof from the tree of ``first`` leaves
    to the tree of ``second`` leaves, in proof order. Empty when ``first`` is 0 or equals
    ``second``. Raises ValueError unless ``0 <= first <= second``."""
    if not 0 <= first <= second:
        raise ValueError(f"no consistency proof from {first} to {second} leaves")
    if first in (0, second):
        return []
    proof: list[Range] = []
    start, end, whole = 0, second, True
    # SUBPROOF(m, D[start:end], whole), unrolled; the nodes it appends come out in reverse.
    m = first
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            proof.append((start + k, end))
            end = start + k
        else:
            proof.append((start, start + k))
            m -= k
            start += k
            whole = False
    if not whole:
        proof.append((start, end))
    proof.reverse()
    return proof


# ---------------------------------------------------------------------------------------------
# Verification (RFC 9162 2.1.3.2 and 2.1.4.2), for clients: needs only the proof's hashes


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Tell whether ``proof`` shows the leaf hash ``leaf`` at ``index`` in the tree of ``size``
    leaves whose root is ``root``."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Tell whether ``proof`` shows that the tree of ``first`` leaves with root ``first_root``
    is a prefix of the tree of ``second`` leaves with root ``second_root``."""
    if not 0 <= first <= second:
        return False
    if first == 0:
        return first_root == EMPTY_ROOT and not proof
    if first == second:
        return first_root == second_root and not proof
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the old root is a node of the new tree
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


class Builder:
    """Hashes a stream of leaves in order, keeping only the frontier (O(log n) hashes), and
    gives the root of the leaves so far at any point (``claims verify --checkpoint``)."""

    def __init__(self) -> None:
        self._frontier: list[tuple[int, int, bytes]] = []
        self.size = 0

    def add(self, leaf: bytes) -> None:
        """Append one leaf hash."""
        appended = append(self._frontier, self.size, [leaf])
        self._frontier, self.size = appended.frontier, appended.size

    @property
    def root(self) -> bytes:
        """The root of the leaves added so far."""
        return fold([h for _level, _index, h in self._frontier])
