"""The SDK's share of `autoplay triggers simulate`, for the benchmark's ratio.

Usage: python bench_sdk_simulate.py PRODUCTS.json RECORDING.jsonl
Run by `cargo run --release --example bench -- simulate --python PY`.

For every `actions` line of the recording, in file order, this does what a host built on
autoplay-sdk 0.7.3 does when a batch arrives: `ActionsPayload.from_dict`, the session's
`ProactiveTriggerContext.from_actions_payloads` (default lookback and action cap, lenient
scope, the product row's trigger settings in `context_extra`, the section playbook when the
row has section rules) and `evaluate` of every trigger of the row's registry. It leaves out
the session state machine, timeouts, pulses between batches and writing records, so it does
less than `simulate` does: the ratio it gives is a lower bound. It prints one line per hit.
The first row of the config serves every product, as a one-row config does in autoplay.
"""
import json
import sys

from autoplay_sdk.models import ActionsPayload
from autoplay_sdk.proactive_triggers import (
    ProactiveTriggerContext,
    ScopePolicy,
    default_proactive_trigger_registry,
    registry_from_builtin_specs,
)
from autoplay_sdk.proactive_triggers.section_activity import build_product_section_playbook

SETTINGS = (
    "dwell_threshold_seconds",
    "user_page_dwell_max_actions",
    "dwell_proactive_body",
    "section_playbook",
    "section_url_rules",
    "section_url_fallback_id",
    "current_section_id",
)

config_path, recording_path = sys.argv[1], sys.argv[2]
with open(config_path, encoding="utf-8") as f:
    row = json.load(f)[0]
triggers_config = row.get("integration_config", {}).get("proactive_triggers", {})
builtins = triggers_config.get("builtins")
registry = registry_from_builtin_specs(builtins) if builtins else default_proactive_trigger_registry()
settings = {key: triggers_config[key] for key in SETTINGS if key in triggers_config}
rules = triggers_config.get("section_url_rules") or None
fallback = triggers_config.get("section_url_fallback_id")

buffers = {}
out = sys.stdout
with open(recording_path, encoding="utf-8") as recording:
    for line in recording:
        data = json.loads(line)
        if data.get("type") != "actions":
            continue
        payload = ActionsPayload.from_dict(data)
        key = (payload.product_id, payload.session_id)
        buffer = buffers.setdefault(key, [])
        buffer.append(payload)
        now = payload.forwarded_at
        ctx = ProactiveTriggerContext.from_actions_payloads(
            buffer,
            now=now,
            product_id=payload.product_id or "",
            session_id=payload.session_id or "",
            context_extra=dict(settings),
            scope_policy=ScopePolicy.LENIENT,
        )
        if rules is not None:
            ctx.context_extra["product_section_playbook"] = build_product_section_playbook(
                ctx.recent_actions, rules=rules, fallback_id=fallback
            )
        for trigger in registry.triggers:
            result = trigger.evaluate(ctx)
            if result is not None:
                out.write(f"{now} {payload.session_id} {result.trigger_id}\n")
