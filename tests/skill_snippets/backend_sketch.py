"""Runs the backend sketch of the autoplay-core skill against a local `autoplay serve --synthetic`.

Usage: python backend_sketch.py BLOCK_FILE   (env: AUTOPLAY_STREAM_URL, AUTOPLAY_APP_UNKEY_TOKEN)

Checks, in this order:
1. a wrong key and an unknown product stop `stream_payloads()` with `Fatal` (no retry loop);
2. a session linked after a few actions gets every action exactly once: the pre-link buffer as
   one note grouped into 3 s bins (the same text as the SDK's `BaseChatbotWriter`), actions that
   arrive while that slow post is in flight in later debounced notes, and a debounced post that
   fails once is delivered by a later one;
3. linking the same conversation again posts nothing; another conversation takes over.
Prints `ok: …` lines and exits 0, or prints what went wrong and exits 1.
"""

import asyncio
import os
import sys
import time
import types

POST_S = 0.4  # a slow chat API, so that actions arrive while a post is in flight


def fail(message):
    print(f"backend sketch: {message}", file=sys.stderr)
    sys.exit(1)


def load(path):
    ns = {"__name__": "backend_sketch"}
    exec(compile(open(path).read(), path, "exec"), ns)
    return ns


async def expect_fatal(ns, what):
    try:
        async with asyncio.timeout(5):
            async for _ in ns["stream_payloads"]():
                fail(f"{what}: a payload arrived")
    except ns["Fatal"]:
        print(f"ok: {what} stops with Fatal")
    except TimeoutError:
        fail(f"{what}: still retrying after 5 s instead of stopping")


def sdk_note(session_id, actions, bin_s):
    """The SDK's own note text, when the SDK is importable."""
    try:
        from autoplay_sdk import BaseChatbotWriter
    except ImportError:
        return None
    return BaseChatbotWriter._format_note(types.SimpleNamespace(_bin_seconds=bin_s), session_id, actions)


def check(task):
    if task.done():
        fail(f"the stream task ended: {task.exception()!r}")


async def delivery(ns):
    notes = []          # (conversation, text, [action ids]) of successful posts
    formatted = {}      # text -> action ids, recorded by the wrapped format_note
    seen = {}           # key -> [action ids] handed to on_payload
    objects = {}
    state = {"in_flight": 0, "during_flight": 0, "fail_next_debounced": True, "first": True}
    original_format = ns["format_note"]

    def recording_format(session_id, actions, bin_s=0):
        text = original_format(session_id, actions, bin_s)
        formatted[text] = [id(a) for a in actions]
        if state["first"]:
            state["first"] = False
            expected = sdk_note(session_id, actions, bin_s)
            if bin_s != 3:
                fail(f"the link note is not binned (bin_s={bin_s})")
            if expected is not None and expected.rstrip("\n") != text:
                fail(f"the link note differs from the SDK's:\n{text}\n---\n{expected}")
            print("ok: the link note is the SDK's binned note" if expected else "ok: the link note is binned")
        return text

    ns["format_note"] = recording_format

    async def post_note(conversation, text):
        state["in_flight"] += 1
        try:
            await asyncio.sleep(POST_S)
        finally:
            state["in_flight"] -= 1
        if conversation == "conv_a" and len(notes) >= 1 and state["fail_next_debounced"]:
            state["fail_next_debounced"] = False
            return None                      # one failed post: its actions must come back
        notes.append((conversation, text, formatted[text]))
        return f"note_{len(notes)}"

    sessions = ns["Sessions"](post_note)
    target = {}

    async def consume():
        async for p in ns["stream_payloads"]():
            key = (p.get("product_id") or "", p.get("session_id") or "unknown")
            if p.get("type") == "actions" and key[1] != "unknown":
                target.setdefault("key", key)
                if key == target["key"]:
                    for a in p.get("actions") or []:
                        seen.setdefault(key, []).append(id(a))
                        objects[id(a)] = a
                        if state["in_flight"]:
                            state["during_flight"] += 1
            await sessions.on_payload(p)

    consumer = asyncio.create_task(consume())
    deadline = time.monotonic() + 20
    while len(seen.get(target.get("key"), [])) < 3:
        check(consumer)
        if time.monotonic() > deadline:
            fail("fewer than 3 actions of one session arrived in 20 s")
        await asyncio.sleep(0.02)
    key = target["key"]
    await sessions.link(key, "conv_a")        # the chat webhook, while the stream keeps going
    while state["during_flight"] < 2 or len(notes) < 3:
        check(consumer)
        if time.monotonic() > deadline:
            fail(f"not enough traffic: {state['during_flight']} actions during a post, {len(notes)} notes")
        await asyncio.sleep(0.05)
    posted_before = len(notes)
    await sessions.link(key, "conv_a")        # a repeat: no post of its own
    if len(notes) != posted_before:
        fail("linking the same conversation again posted a note")
    await sessions.link(key, "conv_b")        # the last link wins
    await asyncio.sleep(1.0)
    consumer.cancel()
    try:
        await consumer
    except asyncio.CancelledError:
        pass
    # Let every timer and post that is already under way finish.
    for _ in range(100):
        if not sessions.timers and not sessions.pending.get(key) and not state["in_flight"]:
            break
        await asyncio.sleep(0.1)
    delivered = [i for _, _, ids in notes for i in ids]
    missing = [i for i in seen[key] if i not in delivered]
    if missing:
        fail(f"{len(missing)} of {len(seen[key])} actions never delivered, e.g. {objects[missing[0]]}")
    if len(delivered) != len(set(delivered)):
        fail("an action was delivered twice")
    if set(delivered) != set(seen[key]):
        fail("a note carried an action of another session")
    if state["fail_next_debounced"]:
        fail("the failing post never happened")
    if not any(c == "conv_b" for c, _, _ in notes):
        fail("after the second link no note went to the new conversation")
    if any(c == "conv_a" for c, _, _ in notes[posted_before + 1:]):
        pass  # a post already under way when the link changed may still land in conv_a
    print(f"ok: {len(seen[key])} actions delivered exactly once in {len(notes)} notes "
          f"({state['during_flight']} arrived during a post, one failed post retried, last link wins)")


async def main(path):
    ns = load(path)
    url, key = ns["STREAM_URL"], ns["API_KEY"]
    ns["API_KEY"] = "wrong_key"
    await expect_fatal(ns, "a wrong key (401)")
    ns["API_KEY"], ns["STREAM_URL"] = key, url.rsplit("/", 1)[0] + "/no_such_product"
    await expect_fatal(ns, "an unknown product (404)")
    ns["STREAM_URL"] = url
    await delivery(ns)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        fail("usage: backend_sketch.py BLOCK_FILE [USER_ID]")
    asyncio.run(main(sys.argv[1]))
