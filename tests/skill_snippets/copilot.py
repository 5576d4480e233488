"""Runs the `build_copilot_app` block of the autoplay-core skill against a local `autoplay serve`.

Usage: python copilot.py BLOCK_FILE USER_ID   (env: AUTOPLAY_STREAM_URL, AUTOPLAY_APP_UNKEY_TOKEN)

Starts the app in-process (FastAPI's TestClient runs its lifespan, so the SDK client reads the
stream) and checks the routes the skill lists: /healthz, /context/{user_id}?query=… answers 200
once the user's activity arrived, 422 without `query`, 404 for an unknown user.
"""

import sys
import time


def fail(message):
    print(f"copilot: {message}", file=sys.stderr)
    sys.exit(1)


def main(path, user_id):
    from fastapi.testclient import TestClient

    ns = {"__name__": "copilot_block"}
    exec(compile(open(path).read(), path, "exec"), ns)
    with TestClient(ns["app"]) as client:
        if client.get("/healthz").status_code != 200:
            fail("/healthz is not 200")
        if client.get(f"/context/{user_id}").status_code != 422:
            fail("/context without query is not 422")
        if client.get("/context/no_such_user", params={"query": "x"}).status_code != 404:
            fail("/context of an unknown user is not 404")
        deadline = time.monotonic() + 15
        while True:
            response = client.get(f"/context/{user_id}", params={"query": "How do I export?"})
            if response.status_code == 200:
                break
            if time.monotonic() > deadline:
                fail(f"/context/{user_id} still {response.status_code} after 15 s")
            time.sleep(0.2)
        if response.json().get("query") != "How do I export?":
            fail(f"unexpected body {response.text}")
    print("ok: build_copilot_app serves /healthz and /context/{user_id}?query=…")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
