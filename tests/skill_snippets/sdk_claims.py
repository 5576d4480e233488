"""The SDK behaviours the skills state in prose, checked against the installed autoplay-sdk.

Usage: python sdk_claims.py 0.7|0.13    Each check prints `ok: …`; the first failure exits 1.
skills/README.md lists every statement with the check that covers it here.
"""

import asyncio
import importlib
import inspect
import pathlib
import sys
import threading
import time
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import autoplay_sdk

RELEASE = sys.argv[1]
if RELEASE == "0.7":
    import autoplay_sdk.proactive_triggers  # noqa: F401 - 0.7.3 imports integrations cleanly only after this

RELEASE = sys.argv[1]


def ok(message):
    print(f"ok ({RELEASE}): {message}")


def fail(message):
    print(f"sdk_claims {RELEASE}: {message}", file=sys.stderr)
    sys.exit(1)


def status_server(status):
    """A local stream that always answers `status` with a JSON body, as the connector does."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            body = b'{"detail":"no"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def client_loops_on(status):
    """`AsyncConnectorClient(max_retries=2)` keeps reconnecting on `status`, firing on_connect."""
    server = status_server(status)
    connects = []

    async def main():
        client = autoplay_sdk.AsyncConnectorClient(
            url=f"http://127.0.0.1:{server.server_port}/stream/demo", token="k", max_retries=2,
            initial_backoff_s=0.01, max_backoff_s=0.02, on_connect=lambda: connects.append(1))
        task = asyncio.create_task(client.run())
        await asyncio.sleep(1.5)
        finished = task.done()
        client.stop()
        task.cancel()
        return finished

    import logging
    logging.getLogger("autoplay_sdk").setLevel(logging.CRITICAL)
    finished = asyncio.run(main())
    server.shutdown()
    if finished or len(connects) < 5:
        fail(f"on {status} the client stopped or stopped reconnecting ({len(connects)} on_connect)")
    ok(f"AsyncConnectorClient(max_retries=2) on {status}: still reconnecting, on_connect fired {len(connects)} times")


def no_intercom_signature_check():
    root = pathlib.Path(autoplay_sdk.__file__).parent
    for path in root.rglob("*.py"):
        text = path.read_text(errors="replace")
        if "X-Hub-Signature" in text or "x-hub-signature" in text.lower():
            fail(f"{path.name} mentions X-Hub-Signature")
    ok("no module checks Intercom's X-Hub-Signature")


def chip_ids_and_headers():
    from autoplay_sdk.integrations import intercom
    sig = inspect.signature(intercom.build_intercom_quick_reply_reply_payload)
    kwargs = {"admin_id": "a"}
    for name in sig.parameters:
        if "body" in name:
            kwargs[name] = "Need help?"
    labels_param = next(n for n in sig.parameters if "label" in n or "prompt" in n)
    kwargs[labels_param] = ["Create a new project!", "__Hi__", "?!"]
    payload = intercom.build_intercom_quick_reply_reply_payload(**kwargs)
    ids = [o["uuid"] for o in payload["reply_options"]]
    if ids != ["create_a_new_project", "hi", "option"]:
        fail(f"chip ids {ids}")
    ok("chip id: lower-case, runs of other characters to _, _ stripped at both ends, else option")
    headers = intercom.intercom_quick_reply_http_headers("tok")
    if headers != {"Authorization": "Bearer tok", "Content-Type": "application/json", "Intercom-Version": "Unstable"}:
        fail(f"quick-reply headers {headers}")
    ok("quick-reply headers: Authorization, Content-Type, Intercom-Version: Unstable")


def writer():
    class Writer(autoplay_sdk.BaseChatbotWriter):
        def __init__(self):
            super().__init__(product_id="acme")
            self.posts = []

        async def _post_note(self, conversation_id, body):
            self.posts.append((conversation_id, body))
            return f"n{len(self.posts)}"

        async def _redact_part(self, conversation_id, part_id):
            return None

    for name in list(getattr(autoplay_sdk.BaseChatbotWriter, "__abstractmethods__", ())):
        if not hasattr(Writer, name) or name in Writer.__abstractmethods__:
            setattr(Writer, name, lambda self, *a, **k: None)
    Writer.__abstractmethods__ = frozenset()
    return Writer()


def last_link_wins_and_binned_note():
    w = writer()
    base = 1_700_000_001.0  # a multiple of 3 plus 1: 0 s and 1 s share a bin, 3.5 s does not
    w._pending["s1"] = [{"description": "a", "timestamp_start": base},
                        {"description": "b", "timestamp_start": base + 1},
                        {"description": "c", "timestamp_start": base + 3.5}]

    async def main():
        await w.on_session_linked("s1", "conv_a")
        await w.on_session_linked("s1", "conv_a")
        await w.on_session_linked("s1", "conv_b")

    asyncio.run(main())
    if w._conv_map.get("s1") != "conv_b":
        fail(f"after linking conv_a then conv_b the link is {w._conv_map.get('s1')}")
    ok("on_session_linked: the same conversation again is a no-op, another replaces the link (last link wins)")
    if len(w.posts) != 1:
        fail(f"{len(w.posts)} link notes")
    body = w.posts[0][1]
    if "[1] a\n[2] b\n\n[3] c" not in body:
        fail(f"the pre-link note is not grouped into 3 s bins: {body!r}")
    ok("the pre-link note is one note, with a blank line between 3 s bins")


def writer_defaults():
    params = inspect.signature(autoplay_sdk.BaseChatbotWriter.__init__).parameters
    got = (params["pre_link_window_s"].default, params["post_link_debounce_s"].default, params["bin_seconds"].default)
    if got != (120.0, 0.15, 3):
        fail(f"BaseChatbotWriter defaults {got}")
    ok("BaseChatbotWriter keeps 120 s before the link, debounces 150 ms, bins 3 s")


def copilot_import_path():
    module = {"0.7": "autoplay_sdk.serve", "0.13": "autoplay_sdk.api"}[RELEASE]
    other = {"0.7": "autoplay_sdk.api", "0.13": "autoplay_sdk.serve"}[RELEASE]
    build = importlib.import_module(module).build_copilot_app
    if hasattr(autoplay_sdk, "build_copilot_app"):
        fail("build_copilot_app is exported at the package root")
    try:
        importlib.import_module(other)
        fail(f"{other} exists too")
    except ImportError:
        pass
    if list(inspect.signature(build).parameters)[:3] != ["stream_url", "token", "llm"]:
        fail(f"build_copilot_app{inspect.signature(build)}")
    ok(f"build_copilot_app lives in {module} only (keywords stream_url, token, llm)")


def ping_pong():
    if RELEASE == "0.7":
        from autoplay_sdk.proactive_triggers.triggers.canonical_ping_pong import CanonicalPingPongTrigger as T
    else:
        from autoplay_sdk.proactive.triggers.triggers.canonical_ping_pong import CanonicalPingPongTrigger as T
    trigger = T()
    method = next(getattr(trigger, n) for n in ("evaluate", "check", "__call__") if hasattr(trigger, n))

    def fires(urls):
        ctx = types.SimpleNamespace(canonical_urls=urls, session_id="s", product_id="p", conversation_id=None,
                                    actions=[], recent_actions=[], now=time.time(), user_id=None, email=None)
        try:
            return method(ctx) is not None
        except AttributeError as e:
            fail(f"the ping-pong trigger needs more context: {e}")

    a, b, c = "/a", "/b", "/c"
    expect = {"0.7": (True, False, False, False), "0.13": (True, False, True, True)}[RELEASE]
    got = (fires([a, b, a]), fires([a, b, b, a]), fires([a, b, c, a]), fires([a, b, b, c]))
    if got != expect:
        fail(f"ping-pong A,B,A / A,B,B,A / A,B,C,A / A,B,B,C fired {got}, expected {expect}")
    ok(f"ping-pong A,B,A / A,B,B,A / A,B,C,A / A,B,B,C fires {got}")


if __name__ == "__main__":
    expected = {"0.7": "0.7.", "0.13": "0.13."}[RELEASE]
    version = importlib.metadata.version("autoplay-sdk")
    if not version.startswith(expected):
        fail(f"autoplay-sdk {version} installed")
    client_loops_on(401)
    client_loops_on(404)
    no_intercom_signature_check()
    chip_ids_and_headers()
    last_link_wins_and_binned_note()
    writer_defaults()
    copilot_import_path()
    ping_pong()
