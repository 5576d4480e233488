"""Runs the SDK preflight block of the autoplay-core skill against a local `autoplay serve`.

Usage: python preflight.py BLOCK_FILE   (env: AUTOPLAY_STREAM_URL, AUTOPLAY_APP_UNKEY_TOKEN)

A wrong key and an unknown product must stop `check_stream()` (SystemExit) at once; with the
right key `main()` must deliver actions to `on_actions` through the SDK client.
"""

import asyncio
import sys


def fail(message):
    print(f"preflight: {message}", file=sys.stderr)
    sys.exit(1)


async def run(path):
    ns = {"__name__": "preflight_block"}
    exec(compile(open(path).read(), path, "exec"), ns)
    url, token = ns["STREAM_URL"], ns["TOKEN"]
    for what, patch in [("a wrong key", {"TOKEN": "wrong_key"}),
                        ("an unknown product", {"STREAM_URL": url.rsplit("/", 1)[0] + "/no_such_product"})]:
        ns.update(patch)
        try:
            async with asyncio.timeout(5):
                await ns["check_stream"]()
            fail(f"{what}: check_stream() did not stop")
        except SystemExit as e:
            print(f"ok: {what} stops before the client starts ({e})")
        ns.update({"TOKEN": token, "STREAM_URL": url})
    got = asyncio.Event()

    async def on_actions(payload):
        got.set()

    ns["on_actions"] = on_actions
    task = asyncio.create_task(ns["main"]())
    try:
        async with asyncio.timeout(10):
            await got.wait()
    except TimeoutError:
        fail("no actions reached on_actions in 10 s")
    task.cancel()
    print("ok: the SDK client delivers actions after the check")


if __name__ == "__main__":
    asyncio.run(run(sys.argv[1]))
