"""A raw HTTP/2 client (Debian's python3-h2) that misbehaves on purpose, for the abuse tests.

Usage: h2-abuse.py ATTACK PORT. Prints one JSON line: what the server did (goaway and its error code,
connection closed, streams reset/refused, responses received, each stream's status and reset code). Besides
the attacks, `slow-body` and `idle` check the timeouts per stream and per connection. Every loop is
bounded in count and time.
"""
import json
import socket
import sys
import time

import h2.config
import h2.connection
import h2.events
import h2.settings
from h2.frame_buffer import FrameBuffer
from hyperframe.frame import ContinuationFrame, GoAwayFrame, HeadersFrame, PingFrame, RstStreamFrame

ATTACK, PORT = sys.argv[1], int(sys.argv[2])
DEADLINE = time.monotonic() + 30
result = {"goaway": False, "error_code": None, "closed": False, "reset": 0, "refused": 0, "responses": 0,
          "statuses": {}, "resets": {}, "ended": []}

sock = socket.create_connection(("127.0.0.1", PORT))
sock.settimeout(5)
conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
conn.initiate_connection()
sock.sendall(conn.data_to_send())


# The server's frames are read here, apart from h2's state machine: after our abuse h2 may refuse to parse
# them (and lose the GOAWAY among them); h2 only answers SETTINGS and PING.
frames = FrameBuffer(server=False)
frames.max_frame_size = 1 << 24


def handle(data):
    frames.add_data(data)
    for frame in frames:
        if isinstance(frame, GoAwayFrame) and not result["goaway"]:  # the first one tells why
            result["goaway"] = True
            result["error_code"] = int(frame.error_code)
        elif isinstance(frame, RstStreamFrame):
            result["reset"] += 1
            result["resets"][str(frame.stream_id)] = int(frame.error_code)
            if int(frame.error_code) == 7:  # REFUSED_STREAM
                result["refused"] += 1
        elif isinstance(frame, HeadersFrame) and frame.stream_id not in answered:
            answered.add(frame.stream_id)
            result["responses"] += 1


answered = set()


def pump(seconds):
    """Reads what the server sends for up to `seconds` (or until it closes)."""
    end = min(time.monotonic() + seconds, DEADLINE)
    while time.monotonic() < end and not result["closed"]:
        sock.settimeout(max(0.05, end - time.monotonic()))
        try:
            data = sock.recv(65536)
        except socket.timeout:
            return
        except OSError:
            result["closed"] = True
            return
        if not data:
            result["closed"] = True
            return
        handle(data)
        try:
            for ev in conn.receive_data(data):
                if isinstance(ev, h2.events.ResponseReceived):
                    result["statuses"][str(ev.stream_id)] = int(dict(ev.headers)[":status"])
                elif isinstance(ev, h2.events.DataReceived):
                    conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
                elif isinstance(ev, h2.events.StreamEnded):
                    result["ended"].append(ev.stream_id)
        except Exception:  # the server's frames after our abuse may not parse for h2's state machine
            pass
        try:
            sock.sendall(conn.data_to_send())
        except OSError:
            result["closed"] = True


def send_raw(data):
    try:
        sock.sendall(data)
        return True
    except OSError:
        result["closed"] = True
        return False


pump(0.3)
result["max_concurrent_streams"] = conn.remote_settings.max_concurrent_streams
HEAD = [(":method", "GET"), (":scheme", "http"), (":authority", "abuse.test"), (":path", "/hang")]

if ATTACK == "rapid-reset":
    for i in range(20000):
        if time.monotonic() > DEADLINE or result["closed"] or result["goaway"]:
            break
        sid = conn.get_next_available_stream_id()
        conn.send_headers(sid, HEAD)
        conn.reset_stream(sid, error_code=8)  # CANCEL
        if not send_raw(conn.data_to_send()):
            break
        if i % 200 == 0:
            pump(0.001)
    pump(10)
elif ATTACK == "continuation":
    sid = conn.get_next_available_stream_id()
    block = conn.encoder.encode(HEAD)
    send_raw(HeadersFrame(sid, data=block, flags=["END_STREAM"]).serialize())
    one = conn.encoder.encode([("x-pad", "a")])
    for i in range(100000):
        if time.monotonic() > DEADLINE or not send_raw(ContinuationFrame(sid, data=one).serialize()):
            break
        if i % 500 == 0:
            pump(0.001)
            if result["closed"]:
                break
    pump(10)
elif ATTACK == "hpack-bomb":
    sid = conn.get_next_available_stream_id()
    conn.send_headers(sid, HEAD + [("x-bomb", "b" * 4000)] * 4000, end_stream=True)
    send_raw(conn.data_to_send())
    for _ in range(100):  # until the server closes the connection (10 s at most)
        pump(0.1)
        if result["responses"] or result["closed"] or result["goaway"]:
            break
elif ATTACK == "ping-flood":
    for i in range(100000):
        if time.monotonic() > DEADLINE or not send_raw(PingFrame(0, opaque_data=i.to_bytes(8, "big")).serialize()):
            break
    pump(10)
elif ATTACK == "settings-flood":
    for i in range(100000):
        conn.update_settings({h2.settings.SettingCodes.MAX_FRAME_SIZE: 16384})
        if time.monotonic() > DEADLINE or not send_raw(conn.data_to_send()):
            break
    pump(10)
elif ATTACK == "too-many-streams":
    conn.remote_settings[h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS] = 100000
    conn.remote_settings.acknowledge()
    for i in range(2000):
        if time.monotonic() > DEADLINE or result["closed"] or result["goaway"]:
            break
        conn.send_headers(conn.get_next_available_stream_id(), HEAD, end_stream=True)
        if not send_raw(conn.data_to_send()):
            break
        if i % 50 == 0:
            pump(0.01)
    pump(10)
elif ATTACK == "slow-body":
    # Stream A sends a little of its body and stalls; B and then C (after A's timeout) must be served.
    a = conn.get_next_available_stream_id()
    conn.send_headers(a, [(":method", "POST"), (":scheme", "http"), (":authority", "slow.test"), (":path", "/upload")])
    conn.send_data(a, b"x" * 10)
    b = conn.get_next_available_stream_id()
    conn.send_headers(b, HEAD[:3] + [(":path", "/ok")], end_stream=True)
    send_raw(conn.data_to_send())
    for _ in range(150):  # until A is answered or reset (15 s at most)
        pump(0.1)
        if str(a) in result["resets"] or result["closed"]:
            break
    c = conn.get_next_available_stream_id()
    conn.send_headers(c, [(":method", "POST"), (":scheme", "http"), (":authority", "slow.test"), (":path", "/upload")])
    conn.send_data(c, b"y" * 100, end_stream=True)
    send_raw(conn.data_to_send())
    for _ in range(50):
        pump(0.1)
        if c in result["ended"] or result["closed"]:
            break
    result["streams"] = [a, b, c]
elif ATTACK == "idle":
    s1 = conn.get_next_available_stream_id()
    conn.send_headers(s1, HEAD[:3] + [(":path", "/ok")], end_stream=True)
    send_raw(conn.data_to_send())
    for _ in range(300):  # answered, then silent until the server closes the connection (30 s at most)
        pump(0.1)
        if result["closed"]:
            break
    result["streams"] = [s1]
else:
    raise SystemExit("unknown attack " + ATTACK)

print(json.dumps(result))
