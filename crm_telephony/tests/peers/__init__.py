"""Protocol-faithful stand-ins for a Fritz!Box, started by the tests on 127.0.0.1 and reached
through fritzconnection itself (no mocks of our code)."""

from .callmonitor_peer import CallMonitorPeer
from .tr64_peer import Tr64Peer
