"""Whether a mesh file is one MuJoCo can read, judged from its bytes without MuJoCo.

``lint`` imports no MuJoCo, so this is a header check, not MuJoCo's own decoder: the format
by extension (binary STL, Wavefront OBJ, MuJoCo's MSH), a size that matches the header
(binary STL: 84 bytes + 50 per triangle; MSH: 16 bytes + its arrays), MuJoCo's triangle
limit, and at least four vertices that are not all in one plane (MuJoCo needs a volume for
the convex hull and the inertia). It catches empty, truncated, ASCII-STL and flat files;
a file that passes can still hold geometry MuJoCo refuses, which ``generate`` then reports
when it builds the scene.

A flat mesh (its vertices in one plane, not on one line) is one MuJoCo compiles when nothing
needs its volume: its inertia is a shell (``<mesh inertia="shell">``) and no geom of type mesh
that collides uses it (checked with MuJoCo 3.8.1; a robot model's meshes say so through
:attr:`actionbank.runtime.model_file.ModelFile.flat_ok`).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["FLAT", "MESH_SUFFIXES", "mesh_problem"]

#: The mesh formats MuJoCo reads, by file extension.
MESH_SUFFIXES = (".stl", ".obj", ".msh")
#: MuJoCo's limit on the triangles of an STL file.
_STL_MAX_TRIANGLES = 200_000
#: Vertices are read until four span a volume, from at most this many bytes.
_SCAN_BYTES = 64 * 1024 * 1024

Vertex = tuple[float, float, float]
#: The start of :func:`mesh_problem`'s reason for a flat mesh.
FLAT = "its vertices all lie in one plane"


def mesh_problem(path: Path, flat_ok: bool = False) -> str | None:
    """Why MuJoCo cannot read the mesh file at ``path`` (which exists), or ``None``; a flat mesh
    (the reason starts with :data:`FLAT`) is fine where ``flat_ok``."""
    suffix = path.suffix.lower()
    if suffix not in MESH_SUFFIXES:
        return f"MuJoCo reads {', '.join(MESH_SUFFIXES)} meshes, not {suffix or 'a file without an extension'!r}"
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(_SCAN_BYTES)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if size == 0:
        return "the file is empty"
    if suffix == ".stl":
        problem = _stl_problem(head, size)
    elif suffix == ".msh":
        problem = _msh_problem(head, size)
    else:
        problem = _volume_problem(_obj_vertices(head))
    return None if flat_ok and problem is not None and problem.startswith(FLAT) else problem


def _stl_problem(head: bytes, size: int) -> str | None:
    triangles = struct.unpack_from("<I", head, 80)[0] if len(head) >= 84 else None
    if triangles is None or size != 84 + 50 * triangles:
        if head[:5].lower() == b"solid":
            return "it is an ASCII STL file; MuJoCo reads binary STL only"
        if triangles is None:
            return f"{size} bytes is too short for a binary STL file (84-byte header)"
        return f"its header counts {triangles} triangles, which take {84 + 50 * triangles} bytes, not {size}"
    if not 1 <= triangles <= _STL_MAX_TRIANGLES:
        return f"it has {triangles} triangles; MuJoCo reads 1 to {_STL_MAX_TRIANGLES}"
    vertices = (
        struct.unpack_from("<3f", head, 84 + 50 * t + 12 + 12 * v)
        for t in range(min(triangles, (len(head) - 84) // 50))
        for v in range(3)
    )
    return _volume_problem(vertices)


def _msh_problem(head: bytes, size: int) -> str | None:
    if len(head) < 16:
        return f"{size} bytes is too short for an MSH file (16-byte header)"
    nvertex, nnormal, ntexcoord, nface = struct.unpack_from("<4i", head, 0)
    if min(nvertex, nnormal, ntexcoord, nface) < 0:
        return "its header holds a negative count"
    expected = 16 + 12 * nvertex + 12 * nnormal + 8 * ntexcoord + 12 * nface
    if size != expected:
        return f"its header needs {expected} bytes, not {size}"
    vertices = (struct.unpack_from("<3f", head, 16 + 12 * i) for i in range(min(nvertex, (len(head) - 16) // 12)))
    return _volume_problem(vertices)


def _obj_vertices(head: bytes) -> Iterator[Vertex]:
    for line in head.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[0] == b"v":
            try:
                yield float(fields[1]), float(fields[2]), float(fields[3])
            except ValueError:
                continue


def _sub(a: Vertex, b: Vertex) -> Vertex:
    return a[0] - b[0], a[1] - b[1], a[2] - b[2]


def _cross(a: Vertex, b: Vertex) -> Vertex:
    return a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]


def _dot(a: Vertex, b: Vertex) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _volume_problem(vertices: Iterable[Vertex]) -> str | None:
    """``None`` as soon as four of ``vertices`` span a volume; otherwise what is missing."""
    origin: Vertex | None = None
    edge: Vertex | None = None
    normal: Vertex | None = None
    count = 0
    for vertex in vertices:
        count += 1
        if origin is None:
            origin = vertex
            continue
        offset = _sub(vertex, origin)
        if edge is None:
            if _dot(offset, offset) > 0:
                edge = offset
            continue
        if normal is None:
            cross = _cross(edge, offset)
            if _dot(cross, cross) > 0:
                normal = cross
            continue
        if _dot(normal, offset) != 0:
            return None
    if count < 4:
        return f"it has {count} vertices; MuJoCo needs at least 4"
    if normal is None:
        return "its vertices all lie on one line; MuJoCo needs a mesh with an area"
    return f"{FLAT}; MuJoCo needs a mesh with a volume"
