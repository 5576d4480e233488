"""The SDK's counterpart of `autoplay sessions context` and `sessions user`, for the benchmark.

Usage: python bench_sdk_sessions.py context RECORDING.jsonl SESSION PRODUCT
       python bench_sdk_sessions.py user RECORDING.jsonl USER
Run by `cargo run --release --example bench -- sessions --python PY`.

Every line of the recording goes, in file order, where a host built on autoplay-sdk 0.7.3
sends it: an `actions` batch to `ContextStore.add(ActionsPayload.from_dict(line))` (and to
`UserSessionIndex.add` for `user`), a `summary` to `ContextStore.on_summary`. Then it prints
`ContextStore.get(SESSION, product_id=PRODUCT)` or `UserSessionIndex.get_user_activity(USER)`.
The index reads the wall clock; here that clock reads the recording's latest `forwarded_at`,
the time `autoplay sessions user` reads at by default.
"""
import json
import sys
import types

import autoplay_sdk.user_index as user_index_module
from autoplay_sdk.context_store import ContextStore
from autoplay_sdk.models import ActionsPayload, SummaryPayload
from autoplay_sdk.user_index import UserSessionIndex

mode, recording_path = sys.argv[1], sys.argv[2]
store = ContextStore()
index = UserSessionIndex(store) if mode == "user" else None
latest = 0.0
with open(recording_path, encoding="utf-8") as recording:
    for line in recording:
        data = json.loads(line)
        kind = data.get("type")
        if kind == "actions":
            payload = ActionsPayload.from_dict(data)
            store.add(payload)
            if index is not None:
                index.add(payload)
            latest = max(latest, payload.forwarded_at or 0.0)
        elif kind == "summary":
            summary = SummaryPayload.from_dict(data)
            store.on_summary(summary.session_id or "unknown", summary.summary)
            latest = max(latest, summary.forwarded_at or 0.0)

if mode == "context":
    print(store.get(sys.argv[3], product_id=sys.argv[4] or None))
else:
    user_index_module.time = types.SimpleNamespace(time=lambda: latest)
    print(index.get_user_activity(sys.argv[3]))
