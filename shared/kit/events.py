"""Resumable streamable HTTP: every SSE event gets an id and is kept a while, so a client whose stream broke
reconnects with ``Last-Event-ID`` and gets what it missed (the SDK's ``EventStore`` interface).

Kept in memory, per server process, bounded: the most recent events of each stream and a cap on streams.
A client that reconnects to another process (or after a restart) cannot resume and starts again, as it
would without an event store.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict, deque

from mcp.server.streamable_http import EventCallback, EventId, EventMessage, EventStore, StreamId
from mcp.types import JSONRPCMessage

RETRY_MS = 1000
"""What the server suggests as the SSE ``retry`` delay for reconnecting."""


class MemoryEventStore(EventStore):
    def __init__(self, *, per_stream: int = 256, streams: int = 4096) -> None:
        self.per_stream = per_stream
        self.streams = streams
        self._counter = itertools.count(1)
        self._events: OrderedDict[StreamId, deque[tuple[int, JSONRPCMessage | None]]] = OrderedDict()
        self._stream_of: dict[int, StreamId] = {}

    async def store_event(self, stream_id: StreamId, message: JSONRPCMessage | None) -> EventId:
        number = next(self._counter)
        events = self._events.get(stream_id)
        if events is None:
            if len(self._events) >= self.streams:  # forget the oldest stream
                _, dropped = self._events.popitem(last=False)
                for n, _ in dropped:
                    self._stream_of.pop(n, None)
            events = self._events[stream_id] = deque()
        if len(events) >= self.per_stream:
            old, _ = events.popleft()
            self._stream_of.pop(old, None)
        events.append((number, message))
        self._stream_of[number] = stream_id
        return str(number)

    async def replay_events_after(self, last_event_id: EventId, send_callback: EventCallback) -> StreamId | None:
        try:
            after = int(last_event_id)
        except ValueError:
            return None
        stream_id = self._stream_of.get(after)
        if stream_id is None:
            return None
        for number, message in self._events.get(stream_id, ()):
            if number > after and message is not None:
                await send_callback(EventMessage(message, str(number)))
        return stream_id
