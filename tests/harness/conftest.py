from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.exchanges.harness import venues
from desktop.exchanges.harness.server import LocalVenueServer
from tests.harness.common import serve_private_handshakes


@pytest.fixture
def server() -> Iterator[LocalVenueServer]:
    """The four-venue harness on 127.0.0.1, with the private-stream handshakes served."""
    with venues.harness() as harness:
        serve_private_handshakes(harness)
        yield harness
