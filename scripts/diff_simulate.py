#!/usr/bin/env python3
"""Differential test of `autoplay triggers simulate` against the SDK oracle.

Generates random configs, recordings and options, runs both programs and compares exit
codes and records by parsed value (see compare_records.py). Every case that differs is kept
under --keep (default /tmp/simulate-diff/<seed>/) in the fixture layout of
tests/fixtures/simulate/, with the oracle's output as expected.jsonl or expected_exit.txt.

  scripts/diff_simulate.py --count 200 [--seed 1] [--keep DIR]

Needs the oracle environments (ORACLE073 / ORACLE013 interpreters, default
/tmp/oracle/oracle-0{73,13}/bin/python) and ORACLE (default /work/shared/oracle/sdk_oracle.py).
Not part of `cargo test`.
"""
import argparse, json, os, random, shlex, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare_records import norm  # noqa: E402

ORACLE = os.environ.get("ORACLE", "/work/shared/oracle/sdk_oracle.py")
PY = {"0.7": os.environ.get("ORACLE073", "/tmp/oracle/oracle-073/bin/python"),
      "0.13": os.environ.get("ORACLE013", "/tmp/oracle/oracle-013/bin/python")}
BIN = os.environ.get("AUTOPLAY", os.path.join(HERE, "..", "target", "debug", "autoplay"))

WEIRD_RATE = 0.0
IDS = ["canonical_url_ping_pong", "user_page_dwell", "section_playbook_match"]
URLS = ["/a", "/b", "/c", "/settings/billing", "/settings", "/reports/x", "", "  ", " /a ", None]
LABELS = ["Create a project", "Find my key", "Straße", "Yes", "no", "Docs"]


def maybe(r, p):
    return r.random() < p


def rand_builtin(r):
    row = {"id": r.choice(IDS), "name": "n", "description": "d"}
    if maybe(r, 0.6):
        row["triggering_type"] = r.choice(["instant_trigger", "llm_judge_validation", " instant_trigger"])
    if maybe(r, 0.2):
        row["cooldown_s"] = r.choice([45, "30", 2.5])
    if maybe(r, 0.05):
        row[r.choice(["name", "triggering_type", "cooldown_s", "id"])] = r.choice([5, "", "x", -1, None])
    if maybe(r, 0.1):
        row["min_cycles"] = 2
    return row


def rand_message(r, i):
    m = {"id": f"chip_{i}", "label": r.choice(LABELS + [" Create a project ", "STRASSE", ""])}
    if maybe(r, 0.4):
        m["user_tour_exists"] = r.choice([True, "false", 1, False])
        if maybe(r, 0.8):
            m["user_tour_id"] = r.choice(["flow_a", "flow_b", " flow_a ", ""])
    if maybe(r, 0.1):
        m = {"label": r.choice(LABELS), "offers_tour": True, "flow_id": "flow_b"}
    return m


def rand_criteria(r):
    cid = r.choice(IDS + ["other"])
    if maybe(r, 0.5):
        return {"id": cid, "name": "c", "type": r.choice(["url_contains", None, "x"])}
    op = r.choice(["AND", "OR", "AND", "and"])
    return {"id": cid, "name": "g", "operator": op,
            "conditions": [{"id": "l", "name": "l", "type": "url_change"}] if maybe(r, 0.9) else []}


def rand_product(r, pid):
    ic = {}
    if maybe(r, 0.5):
        ic["interaction_timeout_s"] = r.choice([5, 10, 20.0, 15.5])
    if maybe(r, 0.5):
        ic["cooldown_period_s"] = r.choice([10, 30, 60.0, 45])
    pt = {}
    if maybe(r, 0.85):
        pt["builtins"] = [rand_builtin(r) for _ in range(r.randint(1, 3))]
    if maybe(r, 0.6):
        pt["dwell_threshold_seconds"] = r.choice([10, 30, 45.5, "20", 0, -1])
    if maybe(r, 0.4):
        pt["user_page_dwell_max_actions"] = r.choice([1, 2, 3, 3.9, "2", 0, "x"])
    if maybe(r, 0.3):
        pt["dwell_proactive_body"] = r.choice(["  Still here?  ", "", "x" * 160])
    if maybe(r, 0.3):
        pt["mode"] = r.choice(["ping_pong_only", "default_registry", "PING_PONG_ONLY"])
    if maybe(r, 0.4):
        pt["section_url_rules"] = [{"prefix": "/settings/billing", "section_id": "billing"},
                                   {"prefix": "/settings", "section_id": "settings"},
                                   {"prefix": " ", "section_id": "blank"}][: r.randint(0, 3)]
        if maybe(r, 0.5):
            pt["section_url_fallback_id"] = r.choice(["elsewhere", "", "  "])
    if maybe(r, 0.4):
        pt["section_playbook"] = {
            "billing": {"body": "Invoice?", "reply_option_labels": ["Download", " ", "Plan"]},
            "settings": {"proactive_body": "  Settings?  ", "quick_reply_labels": ["Invite"]},
            "elsewhere": "Lost?",
            "other": "Other?",
        }
    if maybe(r, 0.2):
        pt["current_section_id"] = r.choice(["billing", "nope", " settings "])
    if pt:
        ic["proactive_triggers"] = pt
    if maybe(r, 0.7):
        if maybe(r, 0.85):
            ic["proactive_intercom"] = [
                {"id": f"t{i}", "name": "n", "proactive_criteria": rand_criteria(r),
                 "messages": [rand_message(r, j) for j in range(r.choice([1, 2, 3, 4, 0]))]}
                for i in range(r.randint(1, 3))]
        else:
            ic["proactive_intercom"] = {"messages": [rand_message(r, j) for j in range(r.randint(0, 3))]}
    if maybe(r, 0.5):
        tours = []
        for flow in ["flow_a", "flow_b"]:
            if maybe(r, 0.7):
                t = {"id": "chip_" + flow, "user_tour_id": flow}
                if maybe(r, 0.6):
                    t["interaction_timeout_s"] = r.choice([5, 15, 30.0])
                if maybe(r, 0.6):
                    t["cooldown_period_s"] = r.choice([20, 90.0, 5])
                tours.append(t)
        ic["tour_registry"] = tours
    if maybe(r, 0.3):
        ic["tour_offer_body"] = r.choice(["  Show you?  ", "", "Want a tour?"])
    return {"product_id": pid, "integration_config": ic}


def rand_action(r, t):
    a = {"type": "pageview", "title": "T"}
    u = r.choice(URLS)
    if u is not None:
        a["canonical_url"] = u
    start = t - r.choice([0, 1, 5, 12.5, 40])
    a["timestamp_start"] = start
    a["timestamp_end"] = start + r.choice([0, 0, 3, 10, 70])
    return a


def rand_events(r, products):
    base = 1700000000 + r.randint(0, 50) * 7
    lines = []
    sessions = [(r.choice(products), f"s{i}") for i in range(r.randint(1, 4))]
    if maybe(r, 0.15):
        sessions.append((r.choice(products), ""))
    for pid, sid in sessions:
        t = base + r.choice([0, 3, 10])
        for _ in range(r.randint(1, 9)):
            t += r.choice([0, 1, 5, 10, 19, 20, 21, 30, 60, 61, 90])
            kind = r.choices(
                ["actions", "chat_opened", "chat_message", "chip_click", "reaction", "tour_started",
                 "tour_step", "tour_ended", "usertour_trigger", "summary", "heartbeat"],
                [10, 2, 3, 3, 1, 2, 2, 1, 1, 1, 1])[0]
            ev = {"type": kind, "product_id": pid}
            if sid or maybe(r, 0.5):
                ev["session_id"] = sid
            if kind in ("actions", "summary"):
                ev["forwarded_at"] = t
                if kind == "actions":
                    ev["actions"] = [rand_action(r, t) for _ in range(r.randint(0, 4))]
                else:
                    ev["summary"] = "s"
            elif kind == "usertour_trigger":
                ev["forwarded_at" if maybe(r, 0.5) else "ts"] = t
                ev["flow_id"] = r.choice(["flow_a", "flow_b"])
            else:
                ev["ts"] = t
            if kind == "chat_message":
                ev["text"] = r.choice(LABELS + ["YES", " yes ", "No", "hello", "strasse", ""])
            if kind == "chip_click":
                ev["label"] = r.choice(LABELS + ["create a project"])
            if kind == "tour_started":
                ev["flow_id"] = r.choice(["flow_a", "flow_b", "flow_x"])
            lines.append(ev)
    r.shuffle(lines) if maybe(r, 0.2) else None
    return lines


def rand_args(r):
    args = []
    if maybe(r, 0.6):
        args += ["--tick", str(r.choice([0, 5, 7.5, 10, 20]))]
    args += ["--horizon", str(r.choice([0, 20, 60, 100]))]
    if maybe(r, 0.3):
        args += ["--judge", r.choice(["approve", "reject", "instant-only"])]
    if maybe(r, 0.2):
        args += ["--profile", "connector"]
    if maybe(r, 0.3):
        args += ["--lookback", str(r.choice([30, 60, 120]))]
    if maybe(r, 0.3):
        args += ["--max-actions", str(r.choice([2, 3, 50]))]
    if maybe(r, 0.5):
        args += ["--explain"]
    return args


def run(cmd, timeout=60):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", "", ""
    return p.returncode, p.stdout, p.stderr


def records(text):
    return [json.loads(l) for l in text.splitlines() if l.strip()]


WEIRD = [None, 5, "abc", "7", [1], {"a": 1}, True, 0, "", -3]


def weird_config(r, product):
    """Puts one value of a surprising type where the SDK reads a tuning value."""
    ic = product["integration_config"]
    pt = ic.setdefault("proactive_triggers", {})
    where = r.choice(["dwell_threshold_seconds", "user_page_dwell_max_actions", "dwell_proactive_body",
                      "current_section_id", "section_url_fallback_id", "section_rule", "section_playbook",
                      "tour_timeout", "tour_cooldown", "tour_offer_body", "messages", "session_timing",
                      "builtins", "proactive_triggers", "integration_config", "mode"])
    v = r.choice(WEIRD)
    if where in ("dwell_threshold_seconds", "user_page_dwell_max_actions", "dwell_proactive_body",
                 "current_section_id", "section_url_fallback_id", "section_playbook", "mode"):
        pt[where] = v
        pt.setdefault("builtins", []).append({"id": r.choice(IDS), "name": "n", "description": "d",
                                              "triggering_type": "instant_trigger"})
        if where in ("section_url_fallback_id", "current_section_id"):
            pt["section_url_rules"] = [{"prefix": "/settings", "section_id": "settings"}]
            pt["section_playbook"] = {"settings": "S", "other": "O"}
    elif where == "section_rule":
        pt["section_url_rules"] = [r.choice([v, {"prefix": v, "section_id": "x"}, {"prefix": "/a", "section_id": v}])]
    elif where in ("tour_timeout", "tour_cooldown"):
        key = "interaction_timeout_s" if where == "tour_timeout" else "cooldown_period_s"
        ic["tour_registry"] = [{"id": "c", "user_tour_id": r.choice(["flow_a", v]), key: v}]
    elif where == "tour_offer_body":
        ic["tour_offer_body"] = v
    elif where == "messages":
        ic["proactive_intercom"] = [{"id": "t", "name": "n", "messages": v}]
    elif where == "session_timing":
        ic[r.choice(["interaction_timeout_s", "cooldown_period_s"])] = v
    elif where == "builtins":
        pt["builtins"] = r.choice([v, [v], [{"id": "user_page_dwell", "name": "n", "description": "d", "cooldown_s": v}]])
    elif where == "proactive_triggers":
        ic["proactive_triggers"] = v
    elif where == "integration_config":
        product["integration_config"] = v


def weird_events(r, events):
    """Puts one surprising value into one event."""
    if not events:
        return
    ev = r.choice(events)
    v = r.choice(WEIRD)
    key = r.choice(["canonical_url", "timestamp_start", "timestamp_end", "text", "label", "flow_id",
                    "session_id", "product_id", "ts", "forwarded_at", "actions", "type"])
    if key in ("canonical_url", "timestamp_start", "timestamp_end"):
        ev.setdefault("actions", [{}])
        if isinstance(ev["actions"], list) and ev["actions"]:
            ev["actions"][0][key] = v
    elif key in ("ts", "forwarded_at") and isinstance(v, (int, float)) and not isinstance(v, bool):
        # A time near 0 next to real unix times asks both programs for ~170M pulses.
        ev[key] = "abc"
    else:
        ev[key] = v


def one_case(r, workdir):
    n_products = r.choice([1, 1, 2])
    pids = ["acme", "globex"][:n_products]
    products = [rand_product(r, p) for p in pids]
    if maybe(r, WEIRD_RATE):
        weird_config(r, r.choice(products))
    config = products[0] if n_products == 1 and maybe(r, 0.3) else products
    events = rand_events(r, pids + (["initech"] if maybe(r, 0.1) else []))
    if maybe(r, WEIRD_RATE):
        weird_events(r, events)
    args = rand_args(r)
    sdk = "0.13" if maybe(r, 0.25) else "0.7"
    if sdk == "0.13":
        args += ["--sdk", "0.13"]
    cfg = os.path.join(workdir, "config.json")
    evp = os.path.join(workdir, "events.jsonl")
    with open(cfg, "w") as fh:
        json.dump(config, fh, indent=1)
    with open(evp, "w") as fh:
        for e in events:
            fh.write(json.dumps(e) + "\n")
    o_rc, o_out, o_err = run([PY[sdk], ORACLE, "simulate", "--config", cfg, "--events", evp] + args)
    a_rc, a_out, a_err = run([BIN, "triggers", "simulate", "--format", "json", "--config", cfg, "--events", evp] + args)
    if o_rc == "timeout":
        return True, (config, events, args, o_rc, o_out, o_err, a_rc, a_out, a_err)
    same = o_rc == a_rc and (o_rc != 0 or [norm(x) for x in records(o_out)] == [norm(x) for x in records(a_out)])
    return same, (config, events, args, o_rc, o_out, o_err, a_rc, a_out, a_err)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", default="/tmp/simulate-diff")
    ap.add_argument("--weird", type=float, default=0.0,
                    help="probability of a surprising value in the config and in the recording")
    a = ap.parse_args()
    global WEIRD_RATE
    WEIRD_RATE = a.weird
    os.makedirs(a.keep, exist_ok=True)
    diffs = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(a.count):
            seed = a.seed * 100000 + i
            r = random.Random(seed)
            same, (config, events, args, o_rc, o_out, o_err, a_rc, a_out, a_err) = one_case(r, tmp)
            if same:
                continue
            diffs += 1
            d = os.path.join(a.keep, f"diff-{seed}")
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "config.json"), "w") as fh:
                json.dump(config, fh, indent=1)
            with open(os.path.join(d, "events.jsonl"), "w") as fh:
                fh.writelines(json.dumps(e) + "\n" for e in events)
            with open(os.path.join(d, "args.txt"), "w") as fh:
                fh.write(shlex.join(args) + "\n")
            if o_rc == 0:
                with open(os.path.join(d, "expected.jsonl"), "w") as fh:
                    fh.write(o_out)
            else:
                with open(os.path.join(d, "expected_exit.txt"), "w") as fh:
                    fh.write(f"{o_rc}\n")
            with open(os.path.join(d, "actual.jsonl"), "w") as fh:
                fh.write(a_out)
            with open(os.path.join(d, "stderr.txt"), "w") as fh:
                fh.write(f"oracle exit {o_rc}\n{o_err}\nautoplay exit {a_rc}\n{a_err}")
            print(f"DIFF seed={seed} oracle={o_rc} autoplay={a_rc} -> {d}", flush=True)
    print(f"{a.count} cases, {diffs} differ")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
