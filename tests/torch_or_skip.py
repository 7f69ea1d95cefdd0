"""PyTorch for the tests that check against it, or a skip that says why.

PyTorch (2.13.0, CPU) is installed for the Python that `make test` runs first; the other Pythons
the package claims (`make test-pythons`: 3.10, 3.13) have no torch wheel on these machines (PyPI's
is a CUDA build of several GB). There every test that touches `torch` skips, and only those:

    from tests.torch_or_skip import torch
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

try:
    import torch
except ImportError:  # pragma: no cover - depends on the Python running the tests

    class _NoTorch:
        def __getattr__(self, name: str) -> Any:
            version = f"{sys.version_info.major}.{sys.version_info.minor}"
            pytest.skip(f"PyTorch is not installed for Python {version}: this test compares "
                        "against it (make test runs it on the Python that has it)")

    torch = _NoTorch()  # type: ignore[assignment]

__all__ = ["torch"]
