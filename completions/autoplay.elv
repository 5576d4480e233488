
use builtin;
use str;

set edit:completion:arg-completer[autoplay] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'autoplay'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'autoplay'= {
            cand --format 'Output format: `pretty` for people, `json` (NDJSON or one document) for scripts, `text` where a command supports it. Default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand onboard 'Register a product on the connector and save its credentials'
            cand auth 'Show or remove saved credentials'
            cand tail 'Follow a product''s live event stream'
            cand sessions 'Inspect sessions and users from a recording, a live stream or a Redis buffer'
            cand triggers 'Lint trigger configs and replay recordings through them'
            cand install-skills 'Install the Autoplay agent skills for Cursor and Claude into a project'
            cand serve 'Run a local connector (SSE stream and registration API) for development and tests'
            cand send 'Send a test event (a page view or a click) to a product''s webhook'
            cand demo 'Run the main job on built-in data: a local connector, a live tail and what it shows'
            cand generate 'Write synthetic traffic as a recording (JSON Lines) to stdout'
            cand completions 'Print a shell completion script'
            cand doctor 'Check the setup: config, credentials, connector, token, skills, completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'autoplay;onboard'= {
            cand --product 'Product id to register (legacy API; the provider API issues one)'
            cand --email 'Contact email of the product''s owner'
            cand --connector 'Connector base URL [default: https://event-connector-luda.onrender.com, or https://connector.autoplay.ai with --provider]'
            cand --webhook-secret-file 'File holding the webhook secret (default: 32 random bytes, URL-safe base64)'
            cand --forward-url 'Push mode: the connector POSTs events to this URL instead of serving the stream'
            cand --forward-secret-file 'File holding the push-mode forward secret'
            cand --admin-key-file 'File holding the admin key sent as `X-Admin-Key` (or set AUTOPLAY_ADMIN_KEY)'
            cand --timeout 'Request timeout, 1–120 s (`30s`, `1m` or bare seconds) [env: ONBOARD_CONNECTOR_TIMEOUT_SECONDS] [default: 15]'
            cand --save 'Save the credentials under this profile (`autoplay tail` then needs no flags); on a terminal without this flag or --env-file, you are offered to save them as `default`'
            cand --env-file 'Also write the credentials to this .env file (0600; other lines are kept)'
            cand --provider 'Activity provider: selects the newer connector API'
            cand --provider-project-id 'Project id at the activity provider'
            cand --owner-token-file 'File holding the owner token of the first registration (needed to re-register)'
            cand --ingest-secret-file 'File holding the ingest secret to use (default: the connector issues one)'
            cand --name 'Display name of the product'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --force-reregister 'Re-register an existing product (rotates its webhook secret)'
            cand -y 'Answer yes to confirmations (including re-registering after HTTP 409)'
            cand --yes 'Answer yes to confirmations (including re-registering after HTTP 409)'
            cand --gitignore 'Add the env file''s folder to ./.gitignore without asking'
            cand --no-gitignore 'Leave .gitignore alone'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;auth'= {
            cand --format 'Output format: `pretty` for people, `json` (NDJSON or one document) for scripts, `text` where a command supports it. Default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'Show the active connector, product and where the token comes from'
            cand logout 'Remove a saved profile'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'autoplay;auth;status'= {
            cand --url 'Full stream URL, e.g. https://connector.example.com/stream/acme (wins over --connector/--product)'
            cand --connector 'Connector base URL; the stream is `{connector}/stream/{product}`'
            cand --product 'Product id (with --connector)'
            cand --token-file 'Read the bearer token from this file'
            cand --token 'The bearer token; `-` reads it from stdin. A literal value is visible to other processes: prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN'
            cand --profile 'Saved credentials profile to use'
            cand --wait 'With --check: how long to wait for the first heartbeat or event'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --max-retries 'Give up after this many failed connection attempts in a row (default: retry forever)'
            cand --idle-timeout 'Reconnect when no bytes (heartbeats included) arrive for this long'
            cand --connect-timeout 'Connection timeout for each attempt'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --check 'Connect to the stream once and report whether the token is accepted'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;auth;logout'= {
            cand --format 'Output format (only `pretty` here)'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;auth;help'= {
            cand status 'Show the active connector, product and where the token comes from'
            cand logout 'Remove a saved profile'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'autoplay;auth;help;status'= {
        }
        &'autoplay;auth;help;logout'= {
        }
        &'autoplay;auth;help;help'= {
        }
        &'autoplay;tail'= {
            cand --url 'Full stream URL, e.g. https://connector.example.com/stream/acme (wins over --connector/--product)'
            cand --connector 'Connector base URL; the stream is `{connector}/stream/{product}`'
            cand --product 'Product id (with --connector)'
            cand --token-file 'Read the bearer token from this file'
            cand --token 'The bearer token; `-` reads it from stdin. A literal value is visible to other processes: prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN'
            cand --profile 'Saved credentials profile to use'
            cand --max-retries 'Give up after this many failed connection attempts in a row (default: retry forever)'
            cand --idle-timeout 'Reconnect when no bytes (heartbeats included) arrive for this long'
            cand --connect-timeout 'Connection timeout for each attempt'
            cand --session 'Only these session ids (comma list)'
            cand --user 'Only these user ids (comma list)'
            cand --email 'Only these emails (comma list)'
            cand --type 'Only these event types: actions, summary, usertour_trigger, … (comma list)'
            cand --url-contains 'Only events with an action URL containing this text (comma list)'
            cand --record 'Append every received frame''s data as one JSON line to FILE (a recording)'
            cand --forward-to 'POST each event''s JSON to this URL, signed like the connector''s push mode'
            cand --forward-secret-file 'File holding the HMAC secret for `X-Connector-Signature` (else AUTOPLAY_FORWARD_SECRET)'
            cand --sink 'Also write every actions/summary payload to a Redis event buffer (SDK layout)'
            cand --prefix 'Key prefix of the Redis buffer'
            cand --window 'Sliding window of the Redis buffer (`2m`, `120s` or bare seconds)'
            cand --duration 'Stop after this long'
            cand --max-events 'Stop after N events have been shown'
            cand --exit-when-idle 'Stop when no event has arrived for SECS seconds'
            cand --expect-events 'Exit 3 when fewer than N events arrived by the end; stops as soon as N have arrived'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --all 'In pretty mode, also show the raw JSON of summaries and other frames'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;sessions'= {
            cand --format 'Output format: `pretty` for people, `json` (NDJSON or one document) for scripts, `text` where a command supports it. Default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'One row per session'
            cand show 'A session''s timeline'
            cand context 'The exact context text the SDK would give an LLM for a session'
            cand user 'A user''s recent sessions and activity text (SDK `UserSessionIndex`)'
            cand stats 'Totals: sessions, users, actions per session, event types, top URLs'
            cand drain 'Consume a Redis buffer like the SDK''s `drain()` and print NDJSON in score order'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'autoplay;sessions;list'= {
            cand --from 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)'
            cand --prefix 'Key prefix of the Redis buffer'
            cand --duration 'With --live: how long to listen'
            cand --at 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)'
            cand --url 'Full stream URL, e.g. https://connector.example.com/stream/acme'
            cand --connector 'Connector base URL; the stream is `{connector}/stream/{product}`'
            cand --token-file 'Read the bearer token from this file'
            cand --token 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)'
            cand --profile 'Saved credentials profile to use'
            cand --max-retries 'Give up after this many failed connection attempts in a row'
            cand --idle-timeout 'Reconnect when no bytes arrive for this long'
            cand --connect-timeout 'Connection timeout for each attempt'
            cand --sort 'Sort order'
            cand --limit 'At most N rows'
            cand --user 'Only sessions of this user'
            cand --product 'Only sessions of this product'
            cand --since 'Only sessions seen since: a duration before --at (`10m`), unix seconds or RFC 3339'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --live 'Listen to the live stream instead (connection flags as for `tail`)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;sessions;show'= {
            cand --from 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)'
            cand --prefix 'Key prefix of the Redis buffer'
            cand --duration 'With --live: how long to listen'
            cand --at 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)'
            cand --url 'Full stream URL, e.g. https://connector.example.com/stream/acme'
            cand --connector 'Connector base URL; the stream is `{connector}/stream/{product}`'
            cand --token-file 'Read the bearer token from this file'
            cand --token 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)'
            cand --profile 'Saved credentials profile to use'
            cand --max-retries 'Give up after this many failed connection attempts in a row'
            cand --idle-timeout 'Reconnect when no bytes arrive for this long'
            cand --connect-timeout 'Connection timeout for each attempt'
            cand --product 'Product id, when the session id exists under several products'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --live 'Listen to the live stream instead (connection flags as for `tail`)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;sessions;context'= {
            cand --from 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)'
            cand --prefix 'Key prefix of the Redis buffer'
            cand --duration 'With --live: how long to listen'
            cand --at 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)'
            cand --url 'Full stream URL, e.g. https://connector.example.com/stream/acme'
            cand --connector 'Connector base URL; the stream is `{connector}/stream/{product}`'
            cand --token-file 'Read the bearer token from this file'
            cand --token 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)'
            cand --profile 'Saved credentials profile to use'
            cand --max-retries 'Give up after this many failed connection attempts in a row'
            cand --idle-timeout 'Reconnect when no bytes arrive for this long'
            cand --connect-timeout 'Connection timeout for each attempt'
            cand --product 'Product id: read its product-scoped bucket (without it the SDK falls back to the only product-scoped bucket of the session, and to none when there are several)'
            cand --query 'Print the SDK `enrich` text for this user query'
            cand --lookback 'Only actions newer than this long before --at'
            cand --max-actions 'At most N most recent actions'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --live 'Listen to the live stream instead (connection flags as for `tail`)'
            cand --no-summary 'Leave out the summary'
            cand --no-actions 'Leave out the actions'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;sessions;user'= {
            cand --from 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)'
            cand --prefix 'Key prefix of the Redis buffer'
            cand --duration 'With --live: how long to listen'
            cand --at 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)'
            cand --url 'Full stream URL, e.g. https://connector.example.com/stream/acme'
            cand --connector 'Connector base URL; the stream is `{connector}/stream/{product}`'
            cand --token-file 'Read the bearer token from this file'
            cand --token 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)'
            cand --profile 'Saved credentials profile to use'
            cand --max-retries 'Give up after this many failed connection attempts in a row'
            cand --idle-timeout 'Reconnect when no bytes arrive for this long'
            cand --connect-timeout 'Connection timeout for each attempt'
            cand --lookback 'Only sessions active within this many seconds before --at'
            cand --max-sessions 'Per-user cap on remembered sessions'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --live 'Listen to the live stream instead (connection flags as for `tail`)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;sessions;stats'= {
            cand --from 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)'
            cand --prefix 'Key prefix of the Redis buffer'
            cand --duration 'With --live: how long to listen'
            cand --at 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)'
            cand --url 'Full stream URL, e.g. https://connector.example.com/stream/acme'
            cand --connector 'Connector base URL; the stream is `{connector}/stream/{product}`'
            cand --token-file 'Read the bearer token from this file'
            cand --token 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)'
            cand --profile 'Saved credentials profile to use'
            cand --max-retries 'Give up after this many failed connection attempts in a row'
            cand --idle-timeout 'Reconnect when no bytes arrive for this long'
            cand --connect-timeout 'Connection timeout for each attempt'
            cand --top 'Number of top URLs to show'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --live 'Listen to the live stream instead (connection flags as for `tail`)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;sessions;drain'= {
            cand --from 'The Redis buffer `redis://host:port[/db]`'
            cand --prefix 'Key prefix of the Redis buffer'
            cand --format 'Output format (only `json` here)'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;sessions;help'= {
            cand list 'One row per session'
            cand show 'A session''s timeline'
            cand context 'The exact context text the SDK would give an LLM for a session'
            cand user 'A user''s recent sessions and activity text (SDK `UserSessionIndex`)'
            cand stats 'Totals: sessions, users, actions per session, event types, top URLs'
            cand drain 'Consume a Redis buffer like the SDK''s `drain()` and print NDJSON in score order'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'autoplay;sessions;help;list'= {
        }
        &'autoplay;sessions;help;show'= {
        }
        &'autoplay;sessions;help;context'= {
        }
        &'autoplay;sessions;help;user'= {
        }
        &'autoplay;sessions;help;stats'= {
        }
        &'autoplay;sessions;help;drain'= {
        }
        &'autoplay;sessions;help;help'= {
        }
        &'autoplay;triggers'= {
            cand --format 'Output format: `pretty` for people, `json` (NDJSON or one document) for scripts, `text` where a command supports it. Default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand validate 'Lint a products.json trigger config: every problem with its JSON path, line and column'
            cand simulate 'Replay a recording through a trigger config and print the SDK''s decisions'
            cand init 'Write a commented starting config'
            cand explain 'Tell one session''s story: pages, phases, fires with reasons, closest misses'
            cand tune 'Sweep config values and compare the outcome of every combination'
            cand test 'Check a file of expectations about which triggers fire (for CI)'
            cand watch 'Run the trigger engine on the live stream and print each decision as it happens'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'autoplay;triggers;validate'= {
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --strict 'Treat warnings as errors (exit 2 on any problem)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;triggers;simulate'= {
            cand --config 'products.json: an array of product rows, or one row object'
            cand --events 'The recording (JSON Lines, as `autoplay tail --record` and `autoplay generate` write it; `-` for stdin)'
            cand --product 'Use this product row for every event (default: the row whose product_id equals the event''s; a single-row config serves every event)'
            cand --tick 'Background pulse interval (pulses at every multiple); 0 = no pulses'
            cand --horizon 'Keep pulsing this long after a session''s last event'
            cand --judge 'How the LLM judge answers for gated (llm_judge_validation) winners'
            cand --rules '`sdk`: state machine + registry; `connector`: also a 300 s minimum between fires (formerly `--profile`, still accepted)'
            cand --lookback 'Context lookback'
            cand --max-actions 'At most N actions in the trigger context'
            cand --sdk 'autoplay-sdk release whose detector semantics to follow'
            cand --report 'Also write a self-contained HTML report (sessions on a timeline, charts) to FILE'
            cand --session 'Print only these sessions (every session is still simulated from its first event)'
            cand --trigger 'Print only fires of these triggers and evaluations where one matched'
            cand --kind 'Print only these record kinds (fire, timeout, evaluation, session_end, …)'
            cand --from 'Print only records at or after T: seconds from the session''s start, unix seconds or RFC 3339'
            cand --to 'Print only records at or before T (as --from)'
            cand --set 'Override one config value: a JSON path ([0].integration_config.cooldown_period_s) or a member name that is unique in the file (dwell_threshold_seconds); repeatable'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --explain 'Also emit an `evaluation` record for every evaluation that did not fire'
            cand --why 'Add a `why` object (window, each detector''s verdict and evidence, the gate) to every fire and evaluation record; implies --explain'
            cand --skip-bad-lines 'Warn about unreadable lines and skip them instead of failing'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;triggers;init'= {
            cand --format 'Output format (only `pretty` here)'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --force 'Overwrite an existing file'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;triggers;explain'= {
            cand --config 'products.json: an array of product rows, or one row object'
            cand --events 'The recording (JSON Lines; `-` for stdin)'
            cand --at 'Also show every reason of the decision at (or just before) T: seconds from the session''s start, unix seconds or RFC 3339'
            cand --trigger 'Tell only about this trigger''s fires and misses'
            cand --product 'Use this product row for every event'
            cand --tick 'Background pulse interval in seconds; 0 = no pulses'
            cand --horizon 'Keep pulsing this many seconds after a session''s last event'
            cand --judge 'How the LLM judge answers for gated (llm_judge_validation) winners'
            cand --rules '`sdk`: state machine + registry; `connector`: also a 300 s minimum between fires (`--profile` is still accepted)'
            cand --sdk 'autoplay-sdk release whose detector semantics to follow'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --skip-bad-lines 'Warn about unreadable lines and skip them instead of failing'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;triggers;tune'= {
            cand --config 'products.json: an array of product rows, or one row object'
            cand --events 'The recording (JSON Lines; `-` for stdin)'
            cand --vary 'KEY=V1,V2,… or KEY=FROM..TO:STEP; repeat to sweep several keys (every combination)'
            cand --product 'Use this product row for every event'
            cand --tick 'Background pulse interval in seconds; 0 = no pulses'
            cand --horizon 'Keep pulsing this many seconds after a session''s last event'
            cand --judge 'How the LLM judge answers for gated (llm_judge_validation) winners'
            cand --rules '`sdk`: state machine + registry; `connector`: also a 300 s minimum between fires (`--profile` is still accepted)'
            cand --sdk 'autoplay-sdk release whose detector semantics to follow'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --skip-bad-lines 'Warn about unreadable lines and skip them instead of failing'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;triggers;test'= {
            cand --config 'products.json: an array of product rows, or one row object'
            cand --events 'The recording (JSON Lines; `-` for stdin)'
            cand --expect 'The expectations (JSON Lines)'
            cand --product 'Use this product row for every event'
            cand --tick 'Background pulse interval in seconds; 0 = no pulses'
            cand --horizon 'Keep pulsing this many seconds after a session''s last event'
            cand --judge 'How the LLM judge answers for gated (llm_judge_validation) winners'
            cand --rules '`sdk`: state machine + registry; `connector`: also a 300 s minimum between fires (`--profile` is still accepted)'
            cand --sdk 'autoplay-sdk release whose detector semantics to follow'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --update 'Write the expectations the current config meets to --expect instead, for review'
            cand --skip-bad-lines 'Warn about unreadable lines and skip them instead of failing'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;triggers;watch'= {
            cand --config 'products.json: a JSON array of product rows (or one row)'
            cand --url 'Full stream URL, e.g. https://connector.example.com/stream/acme (wins over --connector/--product)'
            cand --connector 'Connector base URL; the stream is `{connector}/stream/{product}`'
            cand --token-file 'Read the bearer token from this file'
            cand --token 'The bearer token; `-` reads it from stdin. A literal value is visible to other processes: prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN'
            cand --profile 'Saved credentials profile to use'
            cand --max-retries 'Give up after this many failed connection attempts in a row (default: retry forever)'
            cand --idle-timeout 'Reconnect when no bytes (heartbeats included) arrive for this long'
            cand --connect-timeout 'Connection timeout for each attempt'
            cand --product 'The stream''s product (with --connector) and the product row every event uses'
            cand --events 'Read events from a recording that may still grow (followed like `tail -f`), or `-` for stdin, instead of the stream'
            cand --clock 'What time is: `wall` (default on a stream) or `event` (default with --events)'
            cand --tick 'Background pulse interval; 0 = no pulses'
            cand --horizon 'Pulses continue this long after a session''s last event'
            cand --judge 'How the LLM judge answers'
            cand --rules 'Delivery rules: `sdk` alone, or also the connector''s 300 s between fires'
            cand --sdk 'autoplay-sdk release whose detector semantics to follow'
            cand --lookback 'Context lookback'
            cand --max-actions 'Context size cap'
            cand --max-sessions 'At most this many live sessions; past it the least recently active one ends'
            cand --linger 'Keep a session this long after its horizon in case it comes back'
            cand --record 'Append every received event as one JSON line to FILE (a recording)'
            cand --forward-to 'POST each decision record as JSON to this URL, signed like `tail --forward-to`'
            cand --forward-secret-file 'File holding the HMAC secret for `X-Connector-Signature` (else AUTOPLAY_FORWARD_SECRET)'
            cand --duration 'Stop after this long'
            cand --max-events 'Stop after N events have been received'
            cand --exit-when-idle 'Stop when no event has arrived for this long'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --explain 'Also print every evaluation that did not fire'
            cand --why 'Also print the reasons of every decision (implies --explain)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;triggers;help'= {
            cand validate 'Lint a products.json trigger config: every problem with its JSON path, line and column'
            cand simulate 'Replay a recording through a trigger config and print the SDK''s decisions'
            cand init 'Write a commented starting config'
            cand explain 'Tell one session''s story: pages, phases, fires with reasons, closest misses'
            cand tune 'Sweep config values and compare the outcome of every combination'
            cand test 'Check a file of expectations about which triggers fire (for CI)'
            cand watch 'Run the trigger engine on the live stream and print each decision as it happens'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'autoplay;triggers;help;validate'= {
        }
        &'autoplay;triggers;help;simulate'= {
        }
        &'autoplay;triggers;help;init'= {
        }
        &'autoplay;triggers;help;explain'= {
        }
        &'autoplay;triggers;help;tune'= {
        }
        &'autoplay;triggers;help;test'= {
        }
        &'autoplay;triggers;help;watch'= {
        }
        &'autoplay;triggers;help;help'= {
        }
        &'autoplay;install-skills'= {
            cand --chatbot 'Chatbot skill to install: ada, intercom, botpress, dify, crisp, landbot or tidio'
            cand --user-activity 'User-activity source skill to install: fullstory or posthog'
            cand --agent 'Agent(s) to install for (default: those whose .cursor/ or .claude/ folder exists, else cursor)'
            cand --dest 'Project folder (default: the current folder); an agent''s skills folder such as `.claude/skills` also works and picks that agent'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --global 'Install into the skill folders in your home folder instead of a project'
            cand --list 'List the embedded skills (name, family, description) and exit'
            cand --dry-run 'Show what would be written; write nothing'
            cand --diff 'Show a diff of every file that would change against what is on disk; write nothing'
            cand --force 'Replace skill files you edited (they are kept otherwise)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;serve'= {
            cand --bind 'Address to bind'
            cand --port 'Port to listen on; 0 picks a free port and prints the address on stdout'
            cand --product 'Product ids served (repeatable)'
            cand --key 'API keys accepted on the stream (repeatable); without one, the key kept in `serve.key` under the config folder is used (made on first use)'
            cand --heartbeat 'Time between heartbeat frames (30s, 500ms or bare seconds)'
            cand --replay 'Replay this recording to each connection'
            cand --speed 'Replay speed: 1 (real time), 10, … or `max`'
            cand --sessions 'Number of concurrent synthetic sessions'
            cand --rate 'Synthetic events per second'
            cand --seed 'Seed of the synthetic generator'
            cand --fail-status 'Answer every stream request with this HTTP status (fault injection)'
            cand --drop-after 'Close each connection after N events (fault injection)'
            cand --stall-after 'Stop sending anything, heartbeats included, after N events (fault injection)'
            cand --retry-ms 'Send `retry: MS` at the start of each stream (the client''s reconnect delay)'
            cand --format 'Output format (only `pretty` here)'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand --new-key 'Replace the kept key with a new one'
            cand --loop 'Start the recording again when it ends'
            cand --synthetic 'Generate realistic live traffic instead of replaying a file'
            cand --any-product 'Send every replayed event to every product''s stream'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;send'= {
            cand --url 'The page: a path (on https://app.example.com) or a full URL'
            cand --session 'Session id (`$session_id`); default: a new one for this run'
            cand --user 'User id (`distinct_id`)'
            cand --email 'The user''s email (person property)'
            cand --label 'The clicked element''s text (click only)'
            cand --count 'Events to send, one session'
            cand --interval 'Time between events (30s, 500ms, 2m or bare seconds)'
            cand --webhook-url 'Full webhook URL (wins over --connector/--product)'
            cand --connector 'Connector base URL; the webhook is `{connector}/webhook/{product}`'
            cand --product 'Product id'
            cand --secret-file 'File holding the webhook secret [env: AUTOPLAY_WEBHOOK_SECRET] (default: the profile''s)'
            cand --profile 'Saved credentials profile to use'
            cand --timeout 'Request timeout'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;demo'= {
            cand --duration 'The longest the demo tails its stream (it stops earlier once the recording is done)'
            cand --report 'Where to write the HTML report of the demo recording (default: autoplay-demo-report.html in the temporary folder)'
            cand --format 'Output format (only `pretty` here)'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;generate'= {
            cand --sessions 'Number of sessions'
            cand --seed 'Seed; the same seed gives the same recording'
            cand --product 'Product id written into the events'
            cand --actions 'Total actions to generate (default: about 25 per session)'
            cand -o 'Write the recording to this file instead of stdout'
            cand --output 'Write the recording to this file instead of stdout'
            cand --format 'Output format (only `json` here)'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;completions'= {
            cand --format 'Output format (only `pretty` here)'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;doctor'= {
            cand --profile 'Saved credentials profile to check'
            cand --wait 'How long the token check waits for the first heartbeat or event'
            cand --dir 'Project folder holding .autoplay/skills.lock and products.json'
            cand --format 'Output format; default: pretty on a terminal, json otherwise'
            cand --color 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)'
            cand -q 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand --quiet 'Print less: `-q` hides progress and notices, `-qq` also warnings'
            cand -v 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --verbose 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand --no-progress 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'autoplay;help'= {
            cand onboard 'Register a product on the connector and save its credentials'
            cand auth 'Show or remove saved credentials'
            cand tail 'Follow a product''s live event stream'
            cand sessions 'Inspect sessions and users from a recording, a live stream or a Redis buffer'
            cand triggers 'Lint trigger configs and replay recordings through them'
            cand install-skills 'Install the Autoplay agent skills for Cursor and Claude into a project'
            cand serve 'Run a local connector (SSE stream and registration API) for development and tests'
            cand send 'Send a test event (a page view or a click) to a product''s webhook'
            cand demo 'Run the main job on built-in data: a local connector, a live tail and what it shows'
            cand generate 'Write synthetic traffic as a recording (JSON Lines) to stdout'
            cand completions 'Print a shell completion script'
            cand doctor 'Check the setup: config, credentials, connector, token, skills, completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'autoplay;help;onboard'= {
        }
        &'autoplay;help;auth'= {
            cand status 'Show the active connector, product and where the token comes from'
            cand logout 'Remove a saved profile'
        }
        &'autoplay;help;auth;status'= {
        }
        &'autoplay;help;auth;logout'= {
        }
        &'autoplay;help;tail'= {
        }
        &'autoplay;help;sessions'= {
            cand list 'One row per session'
            cand show 'A session''s timeline'
            cand context 'The exact context text the SDK would give an LLM for a session'
            cand user 'A user''s recent sessions and activity text (SDK `UserSessionIndex`)'
            cand stats 'Totals: sessions, users, actions per session, event types, top URLs'
            cand drain 'Consume a Redis buffer like the SDK''s `drain()` and print NDJSON in score order'
        }
        &'autoplay;help;sessions;list'= {
        }
        &'autoplay;help;sessions;show'= {
        }
        &'autoplay;help;sessions;context'= {
        }
        &'autoplay;help;sessions;user'= {
        }
        &'autoplay;help;sessions;stats'= {
        }
        &'autoplay;help;sessions;drain'= {
        }
        &'autoplay;help;triggers'= {
            cand validate 'Lint a products.json trigger config: every problem with its JSON path, line and column'
            cand simulate 'Replay a recording through a trigger config and print the SDK''s decisions'
            cand init 'Write a commented starting config'
            cand explain 'Tell one session''s story: pages, phases, fires with reasons, closest misses'
            cand tune 'Sweep config values and compare the outcome of every combination'
            cand test 'Check a file of expectations about which triggers fire (for CI)'
            cand watch 'Run the trigger engine on the live stream and print each decision as it happens'
        }
        &'autoplay;help;triggers;validate'= {
        }
        &'autoplay;help;triggers;simulate'= {
        }
        &'autoplay;help;triggers;init'= {
        }
        &'autoplay;help;triggers;explain'= {
        }
        &'autoplay;help;triggers;tune'= {
        }
        &'autoplay;help;triggers;test'= {
        }
        &'autoplay;help;triggers;watch'= {
        }
        &'autoplay;help;install-skills'= {
        }
        &'autoplay;help;serve'= {
        }
        &'autoplay;help;send'= {
        }
        &'autoplay;help;demo'= {
        }
        &'autoplay;help;generate'= {
        }
        &'autoplay;help;completions'= {
        }
        &'autoplay;help;doctor'= {
        }
        &'autoplay;help;help'= {
        }
    ]
    $completions[$command]
}
