"""Events per second that autoplay-sdk's ConnectorClient delivers to a callback.

Usage: python bench_sdk_client.py STREAM_URL TOKEN EVENTS
Run by `cargo run --release --example bench -- tail --python PY`.
"""
import sys
import threading
import time

from autoplay_sdk import ConnectorClient

url, token, wanted = sys.argv[1], sys.argv[2], int(sys.argv[3])
count = 0
done = threading.Event()
client = ConnectorClient(url=url, token=token, max_queue_size=100_000)


def on_actions(payload):
    global count
    count += 1
    if count >= wanted:
        client.stop()
        done.set()


client.on_actions(on_actions)
started = time.perf_counter()
thread = client.run_in_background()
done.wait()
elapsed = time.perf_counter() - started
print(f"  {count} events in {elapsed:.2f} s: {count / elapsed:.0f} events/s (dropped {client.dropped_count})")
