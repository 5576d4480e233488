# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_autoplay_global_optspecs
    string join \n format= color= q/quiet v/verbose no-input no-progress h/help V/version
end

function __fish_autoplay_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_autoplay_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_autoplay_using_subcommand
    set -l cmd (__fish_autoplay_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c autoplay -n "__fish_autoplay_needs_command" -l format -d 'Output format: `pretty` for people, `json` (NDJSON or one document) for scripts, `text` where a command supports it. Default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'
text\t'Plain text (the SDK\'s `to_text()` for `tail`)'"
complete -c autoplay -n "__fish_autoplay_needs_command" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_needs_command" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_needs_command" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_needs_command" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_needs_command" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_needs_command" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_needs_command" -f -a "onboard" -d 'Register a product on the connector and save its credentials'
complete -c autoplay -n "__fish_autoplay_needs_command" -f -a "auth" -d 'Show or remove saved credentials'
complete -c autoplay -n "__fish_autoplay_needs_command" -f -a "tail" -d 'Follow a product\'s live event stream'
complete -c autoplay -n "__fish_autoplay_needs_command" -f -a "sessions" -d 'Inspect sessions and users from a recording, a live stream or a Redis buffer'
complete -c autoplay -n "__fish_autoplay_needs_command" -f -a "triggers" -d 'Lint trigger configs and replay recordings through them'
complete -c autoplay -n "__fish_autoplay_needs_command" -f -a "install-skills" -d 'Install the Autoplay agent skills for Cursor and Claude into a project'
complete -c autoplay -n "__fish_autoplay_needs_command" -f -a "serve" -d 'Run a local connector (SSE stream and registration API) for development and tests'
complete -c autoplay -n "__fish_autoplay_needs_command" -f -a "send" -d 'Send a test event (a page view or a click) to a product\'s webhook'
complete -c autoplay -n "__fish_autoplay_needs_command" -f -a "demo" -d 'Run the main job on built-in data: a local connector, a live tail and what it shows'
complete -c autoplay -n "__fish_autoplay_needs_command" -f -a "generate" -d 'Write synthetic traffic as a recording (JSON Lines) to stdout'
complete -c autoplay -n "__fish_autoplay_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c autoplay -n "__fish_autoplay_needs_command" -f -a "doctor" -d 'Check the setup: config, credentials, connector, token, skills, completions'
complete -c autoplay -n "__fish_autoplay_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l product -d 'Product id to register (legacy API; the provider API issues one)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l email -d 'Contact email of the product\'s owner' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l connector -d 'Connector base URL [default: https://event-connector-luda.onrender.com, or https://connector.autoplay.ai with --provider]' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l webhook-secret-file -d 'File holding the webhook secret (default: 32 random bytes, URL-safe base64)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l forward-url -d 'Push mode: the connector POSTs events to this URL instead of serving the stream' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l forward-secret-file -d 'File holding the push-mode forward secret' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l admin-key-file -d 'File holding the admin key sent as `X-Admin-Key` (or set AUTOPLAY_ADMIN_KEY)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l timeout -d 'Request timeout, 1–120 s (`30s`, `1m` or bare seconds) [env: ONBOARD_CONNECTOR_TIMEOUT_SECONDS] [default: 15]' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l save -d 'Save the credentials under this profile (`autoplay tail` then needs no flags); on a terminal without this flag or --env-file, you are offered to save them as `default`' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l env-file -d 'Also write the credentials to this .env file (0600; other lines are kept)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l provider -d 'Activity provider: selects the newer connector API' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l provider-project-id -d 'Project id at the activity provider' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l owner-token-file -d 'File holding the owner token of the first registration (needed to re-register)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l ingest-secret-file -d 'File holding the ingest secret to use (default: the connector issues one)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l name -d 'Display name of the product' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l force-reregister -d 'Re-register an existing product (rotates its webhook secret)'
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -s y -l yes -d 'Answer yes to confirmations (including re-registering after HTTP 409)'
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l gitignore -d 'Add the env file\'s folder to ./.gitignore without asking'
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l no-gitignore -d 'Leave .gitignore alone'
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand onboard" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and not __fish_seen_subcommand_from status logout help" -l format -d 'Output format: `pretty` for people, `json` (NDJSON or one document) for scripts, `text` where a command supports it. Default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'
text\t'Plain text (the SDK\'s `to_text()` for `tail`)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and not __fish_seen_subcommand_from status logout help" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and not __fish_seen_subcommand_from status logout help" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and not __fish_seen_subcommand_from status logout help" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and not __fish_seen_subcommand_from status logout help" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and not __fish_seen_subcommand_from status logout help" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and not __fish_seen_subcommand_from status logout help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and not __fish_seen_subcommand_from status logout help" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and not __fish_seen_subcommand_from status logout help" -f -a "status" -d 'Show the active connector, product and where the token comes from'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and not __fish_seen_subcommand_from status logout help" -f -a "logout" -d 'Remove a saved profile'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and not __fish_seen_subcommand_from status logout help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l url -d 'Full stream URL, e.g. https://connector.example.com/stream/acme (wins over --connector/--product)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l connector -d 'Connector base URL; the stream is `{connector}/stream/{product}`' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l product -d 'Product id (with --connector)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l token-file -d 'Read the bearer token from this file' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l token -d 'The bearer token; `-` reads it from stdin. A literal value is visible to other processes: prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l profile -d 'Saved credentials profile to use' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l wait -d 'With --check: how long to wait for the first heartbeat or event' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l max-retries -d 'Give up after this many failed connection attempts in a row (default: retry forever)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l idle-timeout -d 'Reconnect when no bytes (heartbeats included) arrive for this long' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l connect-timeout -d 'Connection timeout for each attempt' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l check -d 'Connect to the stream once and report whether the token is accepted'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from logout" -l format -d 'Output format (only `pretty` here)' -r -f -a "pretty\t'Human-readable, coloured on a terminal'"
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from logout" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from logout" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from logout" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from logout" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from logout" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from logout" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show the active connector, product and where the token comes from'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "logout" -d 'Remove a saved profile'
complete -c autoplay -n "__fish_autoplay_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l url -d 'Full stream URL, e.g. https://connector.example.com/stream/acme (wins over --connector/--product)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l connector -d 'Connector base URL; the stream is `{connector}/stream/{product}`' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l product -d 'Product id (with --connector)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l token-file -d 'Read the bearer token from this file' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l token -d 'The bearer token; `-` reads it from stdin. A literal value is visible to other processes: prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l profile -d 'Saved credentials profile to use' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l max-retries -d 'Give up after this many failed connection attempts in a row (default: retry forever)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l idle-timeout -d 'Reconnect when no bytes (heartbeats included) arrive for this long' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l connect-timeout -d 'Connection timeout for each attempt' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l session -d 'Only these session ids (comma list)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l user -d 'Only these user ids (comma list)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l email -d 'Only these emails (comma list)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l type -d 'Only these event types: actions, summary, usertour_trigger, … (comma list)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l url-contains -d 'Only events with an action URL containing this text (comma list)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l record -d 'Append every received frame\'s data as one JSON line to FILE (a recording)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l forward-to -d 'POST each event\'s JSON to this URL, signed like the connector\'s push mode' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l forward-secret-file -d 'File holding the HMAC secret for `X-Connector-Signature` (else AUTOPLAY_FORWARD_SECRET)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l sink -d 'Also write every actions/summary payload to a Redis event buffer (SDK layout)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l prefix -d 'Key prefix of the Redis buffer' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l window -d 'Sliding window of the Redis buffer (`2m`, `120s` or bare seconds)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l duration -d 'Stop after this long' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l max-events -d 'Stop after N events have been shown' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l exit-when-idle -d 'Stop when no event has arrived for SECS seconds' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l expect-events -d 'Exit 3 when fewer than N events arrived by the end; stops as soon as N have arrived' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'
text\t'Plain text (the SDK\'s `to_text()` for `tail`)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l all -d 'In pretty mode, also show the raw JSON of summaries and other frames'
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand tail" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -l format -d 'Output format: `pretty` for people, `json` (NDJSON or one document) for scripts, `text` where a command supports it. Default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'
text\t'Plain text (the SDK\'s `to_text()` for `tail`)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -f -a "list" -d 'One row per session'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -f -a "show" -d 'A session\'s timeline'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -f -a "context" -d 'The exact context text the SDK would give an LLM for a session'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -f -a "user" -d 'A user\'s recent sessions and activity text (SDK `UserSessionIndex`)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -f -a "stats" -d 'Totals: sessions, users, actions per session, event types, top URLs'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -f -a "drain" -d 'Consume a Redis buffer like the SDK\'s `drain()` and print NDJSON in score order'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and not __fish_seen_subcommand_from list show context user stats drain help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l from -d 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l prefix -d 'Key prefix of the Redis buffer' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l duration -d 'With --live: how long to listen' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l at -d 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l url -d 'Full stream URL, e.g. https://connector.example.com/stream/acme' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l connector -d 'Connector base URL; the stream is `{connector}/stream/{product}`' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l token-file -d 'Read the bearer token from this file' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l token -d 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l profile -d 'Saved credentials profile to use' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l max-retries -d 'Give up after this many failed connection attempts in a row' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l idle-timeout -d 'Reconnect when no bytes arrive for this long' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l connect-timeout -d 'Connection timeout for each attempt' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l sort -d 'Sort order' -r -f -a "last-seen\t''
actions\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l limit -d 'At most N rows' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l user -d 'Only sessions of this user' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l product -d 'Only sessions of this product' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l since -d 'Only sessions seen since: a duration before --at (`10m`), unix seconds or RFC 3339' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l live -d 'Listen to the live stream instead (connection flags as for `tail`)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l from -d 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l prefix -d 'Key prefix of the Redis buffer' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l duration -d 'With --live: how long to listen' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l at -d 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l url -d 'Full stream URL, e.g. https://connector.example.com/stream/acme' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l connector -d 'Connector base URL; the stream is `{connector}/stream/{product}`' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l token-file -d 'Read the bearer token from this file' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l token -d 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l profile -d 'Saved credentials profile to use' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l max-retries -d 'Give up after this many failed connection attempts in a row' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l idle-timeout -d 'Reconnect when no bytes arrive for this long' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l connect-timeout -d 'Connection timeout for each attempt' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l product -d 'Product id, when the session id exists under several products' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l live -d 'Listen to the live stream instead (connection flags as for `tail`)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l from -d 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l prefix -d 'Key prefix of the Redis buffer' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l duration -d 'With --live: how long to listen' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l at -d 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l url -d 'Full stream URL, e.g. https://connector.example.com/stream/acme' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l connector -d 'Connector base URL; the stream is `{connector}/stream/{product}`' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l token-file -d 'Read the bearer token from this file' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l token -d 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l profile -d 'Saved credentials profile to use' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l max-retries -d 'Give up after this many failed connection attempts in a row' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l idle-timeout -d 'Reconnect when no bytes arrive for this long' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l connect-timeout -d 'Connection timeout for each attempt' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l product -d 'Product id: read its product-scoped bucket (without it the SDK falls back to the only product-scoped bucket of the session, and to none when there are several)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l query -d 'Print the SDK `enrich` text for this user query' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l lookback -d 'Only actions newer than this long before --at' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l max-actions -d 'At most N most recent actions' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "text\t'Plain text (the SDK\'s `to_text()` for `tail`)'
pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l live -d 'Listen to the live stream instead (connection flags as for `tail`)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l no-summary -d 'Leave out the summary'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l no-actions -d 'Leave out the actions'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from context" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l from -d 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l prefix -d 'Key prefix of the Redis buffer' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l duration -d 'With --live: how long to listen' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l at -d 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l url -d 'Full stream URL, e.g. https://connector.example.com/stream/acme' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l connector -d 'Connector base URL; the stream is `{connector}/stream/{product}`' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l token-file -d 'Read the bearer token from this file' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l token -d 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l profile -d 'Saved credentials profile to use' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l max-retries -d 'Give up after this many failed connection attempts in a row' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l idle-timeout -d 'Reconnect when no bytes arrive for this long' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l connect-timeout -d 'Connection timeout for each attempt' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l lookback -d 'Only sessions active within this many seconds before --at' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l max-sessions -d 'Per-user cap on remembered sessions' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "text\t'Plain text (the SDK\'s `to_text()` for `tail`)'
pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l live -d 'Listen to the live stream instead (connection flags as for `tail`)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from user" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l from -d 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l prefix -d 'Key prefix of the Redis buffer' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l duration -d 'With --live: how long to listen' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l at -d 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l url -d 'Full stream URL, e.g. https://connector.example.com/stream/acme' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l connector -d 'Connector base URL; the stream is `{connector}/stream/{product}`' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l token-file -d 'Read the bearer token from this file' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l token -d 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l profile -d 'Saved credentials profile to use' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l max-retries -d 'Give up after this many failed connection attempts in a row' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l idle-timeout -d 'Reconnect when no bytes arrive for this long' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l connect-timeout -d 'Connection timeout for each attempt' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l top -d 'Number of top URLs to show' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l live -d 'Listen to the live stream instead (connection flags as for `tail`)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from stats" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from drain" -l from -d 'The Redis buffer `redis://host:port[/db]`' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from drain" -l prefix -d 'Key prefix of the Redis buffer' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from drain" -l format -d 'Output format (only `json` here)' -r -f -a "json\t'Machine-readable JSON (NDJSON for streams and lists)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from drain" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from drain" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from drain" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from drain" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from drain" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from drain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from drain" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "list" -d 'One row per session'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "show" -d 'A session\'s timeline'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "context" -d 'The exact context text the SDK would give an LLM for a session'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "user" -d 'A user\'s recent sessions and activity text (SDK `UserSessionIndex`)'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Totals: sessions, users, actions per session, event types, top URLs'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "drain" -d 'Consume a Redis buffer like the SDK\'s `drain()` and print NDJSON in score order'
complete -c autoplay -n "__fish_autoplay_using_subcommand sessions; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -l format -d 'Output format: `pretty` for people, `json` (NDJSON or one document) for scripts, `text` where a command supports it. Default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'
text\t'Plain text (the SDK\'s `to_text()` for `tail`)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -f -a "validate" -d 'Lint a products.json trigger config: every problem with its JSON path, line and column'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -f -a "simulate" -d 'Replay a recording through a trigger config and print the SDK\'s decisions'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -f -a "init" -d 'Write a commented starting config'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -f -a "explain" -d 'Tell one session\'s story: pages, phases, fires with reasons, closest misses'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -f -a "tune" -d 'Sweep config values and compare the outcome of every combination'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -f -a "test" -d 'Check a file of expectations about which triggers fire (for CI)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -f -a "watch" -d 'Run the trigger engine on the live stream and print each decision as it happens'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and not __fish_seen_subcommand_from validate simulate init explain tune test watch help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from validate" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from validate" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from validate" -l strict -d 'Treat warnings as errors (exit 2 on any problem)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from validate" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from validate" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from validate" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l config -d 'products.json: an array of product rows, or one row object' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l events -d 'The recording (JSON Lines, as `autoplay tail --record` and `autoplay generate` write it; `-` for stdin)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l product -d 'Use this product row for every event (default: the row whose product_id equals the event\'s; a single-row config serves every event)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l tick -d 'Background pulse interval (pulses at every multiple); 0 = no pulses' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l horizon -d 'Keep pulsing this long after a session\'s last event' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l judge -d 'How the LLM judge answers for gated (llm_judge_validation) winners' -r -f -a "approve\t''
reject\t''
instant-only\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l rules -d '`sdk`: state machine + registry; `connector`: also a 300 s minimum between fires (formerly `--profile`, still accepted)' -r -f -a "sdk\t''
connector\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l lookback -d 'Context lookback' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l max-actions -d 'At most N actions in the trigger context' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l sdk -d 'autoplay-sdk release whose detector semantics to follow' -r -f -a "0.7\t''
0.13\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l report -d 'Also write a self-contained HTML report (sessions on a timeline, charts) to FILE' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l session -d 'Print only these sessions (every session is still simulated from its first event)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l trigger -d 'Print only fires of these triggers and evaluations where one matched' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l kind -d 'Print only these record kinds (fire, timeout, evaluation, session_end, …)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l from -d 'Print only records at or after T: seconds from the session\'s start, unix seconds or RFC 3339' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l to -d 'Print only records at or before T (as --from)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l set -d 'Override one config value: a JSON path ([0].integration_config.cooldown_period_s) or a member name that is unique in the file (dwell_threshold_seconds); repeatable' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l explain -d 'Also emit an `evaluation` record for every evaluation that did not fire'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l why -d 'Add a `why` object (window, each detector\'s verdict and evidence, the gate) to every fire and evaluation record; implies --explain'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l skip-bad-lines -d 'Warn about unreadable lines and skip them instead of failing'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from simulate" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from init" -l format -d 'Output format (only `pretty` here)' -r -f -a "pretty\t'Human-readable, coloured on a terminal'"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from init" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from init" -l force -d 'Overwrite an existing file'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from init" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from init" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from init" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l config -d 'products.json: an array of product rows, or one row object' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l events -d 'The recording (JSON Lines; `-` for stdin)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l at -d 'Also show every reason of the decision at (or just before) T: seconds from the session\'s start, unix seconds or RFC 3339' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l trigger -d 'Tell only about this trigger\'s fires and misses' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l product -d 'Use this product row for every event' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l tick -d 'Background pulse interval in seconds; 0 = no pulses' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l horizon -d 'Keep pulsing this many seconds after a session\'s last event' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l judge -d 'How the LLM judge answers for gated (llm_judge_validation) winners' -r -f -a "approve\t''
reject\t''
instant-only\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l rules -d '`sdk`: state machine + registry; `connector`: also a 300 s minimum between fires (`--profile` is still accepted)' -r -f -a "sdk\t''
connector\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l sdk -d 'autoplay-sdk release whose detector semantics to follow' -r -f -a "0.7\t''
0.13\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'
text\t'Plain text (the SDK\'s `to_text()` for `tail`)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l skip-bad-lines -d 'Warn about unreadable lines and skip them instead of failing'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from explain" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -l config -d 'products.json: an array of product rows, or one row object' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -l events -d 'The recording (JSON Lines; `-` for stdin)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -l vary -d 'KEY=V1,V2,… or KEY=FROM..TO:STEP; repeat to sweep several keys (every combination)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -l product -d 'Use this product row for every event' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -l tick -d 'Background pulse interval in seconds; 0 = no pulses' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -l horizon -d 'Keep pulsing this many seconds after a session\'s last event' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -l judge -d 'How the LLM judge answers for gated (llm_judge_validation) winners' -r -f -a "approve\t''
reject\t''
instant-only\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -l rules -d '`sdk`: state machine + registry; `connector`: also a 300 s minimum between fires (`--profile` is still accepted)' -r -f -a "sdk\t''
connector\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -l sdk -d 'autoplay-sdk release whose detector semantics to follow' -r -f -a "0.7\t''
0.13\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'
text\t'Plain text (the SDK\'s `to_text()` for `tail`)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -l skip-bad-lines -d 'Warn about unreadable lines and skip them instead of failing'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from tune" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l config -d 'products.json: an array of product rows, or one row object' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l events -d 'The recording (JSON Lines; `-` for stdin)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l expect -d 'The expectations (JSON Lines)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l product -d 'Use this product row for every event' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l tick -d 'Background pulse interval in seconds; 0 = no pulses' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l horizon -d 'Keep pulsing this many seconds after a session\'s last event' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l judge -d 'How the LLM judge answers for gated (llm_judge_validation) winners' -r -f -a "approve\t''
reject\t''
instant-only\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l rules -d '`sdk`: state machine + registry; `connector`: also a 300 s minimum between fires (`--profile` is still accepted)' -r -f -a "sdk\t''
connector\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l sdk -d 'autoplay-sdk release whose detector semantics to follow' -r -f -a "0.7\t''
0.13\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'
text\t'Plain text (the SDK\'s `to_text()` for `tail`)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l update -d 'Write the expectations the current config meets to --expect instead, for review'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l skip-bad-lines -d 'Warn about unreadable lines and skip them instead of failing'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l config -d 'products.json: a JSON array of product rows (or one row)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l url -d 'Full stream URL, e.g. https://connector.example.com/stream/acme (wins over --connector/--product)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l connector -d 'Connector base URL; the stream is `{connector}/stream/{product}`' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l token-file -d 'Read the bearer token from this file' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l token -d 'The bearer token; `-` reads it from stdin. A literal value is visible to other processes: prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l profile -d 'Saved credentials profile to use' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l max-retries -d 'Give up after this many failed connection attempts in a row (default: retry forever)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l idle-timeout -d 'Reconnect when no bytes (heartbeats included) arrive for this long' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l connect-timeout -d 'Connection timeout for each attempt' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l product -d 'The stream\'s product (with --connector) and the product row every event uses' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l events -d 'Read events from a recording that may still grow (followed like `tail -f`), or `-` for stdin, instead of the stream' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l clock -d 'What time is: `wall` (default on a stream) or `event` (default with --events)' -r -f -a "wall\t'The wall clock: events happen when they arrive'
event\t'The stream\'s timestamps, as `triggers simulate` reads them'"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l tick -d 'Background pulse interval; 0 = no pulses' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l horizon -d 'Pulses continue this long after a session\'s last event' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l judge -d 'How the LLM judge answers' -r -f -a "approve\t''
reject\t''
instant-only\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l rules -d 'Delivery rules: `sdk` alone, or also the connector\'s 300 s between fires' -r -f -a "sdk\t''
connector\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l sdk -d 'autoplay-sdk release whose detector semantics to follow' -r -f -a "0.7\t''
0.13\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l lookback -d 'Context lookback' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l max-actions -d 'Context size cap' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l max-sessions -d 'At most this many live sessions; past it the least recently active one ends' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l linger -d 'Keep a session this long after its horizon in case it comes back' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l record -d 'Append every received event as one JSON line to FILE (a recording)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l forward-to -d 'POST each decision record as JSON to this URL, signed like `tail --forward-to`' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l forward-secret-file -d 'File holding the HMAC secret for `X-Connector-Signature` (else AUTOPLAY_FORWARD_SECRET)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l duration -d 'Stop after this long' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l max-events -d 'Stop after N events have been received' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l exit-when-idle -d 'Stop when no event has arrived for this long' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'
text\t'Plain text (the SDK\'s `to_text()` for `tail`)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l explain -d 'Also print every evaluation that did not fire'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l why -d 'Also print the reasons of every decision (implies --explain)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from watch" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Lint a products.json trigger config: every problem with its JSON path, line and column'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from help" -f -a "simulate" -d 'Replay a recording through a trigger config and print the SDK\'s decisions'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a commented starting config'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from help" -f -a "explain" -d 'Tell one session\'s story: pages, phases, fires with reasons, closest misses'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from help" -f -a "tune" -d 'Sweep config values and compare the outcome of every combination'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from help" -f -a "test" -d 'Check a file of expectations about which triggers fire (for CI)'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from help" -f -a "watch" -d 'Run the trigger engine on the live stream and print each decision as it happens'
complete -c autoplay -n "__fish_autoplay_using_subcommand triggers; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -l chatbot -d 'Chatbot skill to install: ada, intercom, botpress, dify, crisp, landbot or tidio' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -l user-activity -d 'User-activity source skill to install: fullstory or posthog' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -l agent -d 'Agent(s) to install for (default: those whose .cursor/ or .claude/ folder exists, else cursor)' -r -f -a "cursor\t''
claude\t''
all\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -l dest -d 'Project folder (default: the current folder); an agent\'s skills folder such as `.claude/skills` also works and picks that agent' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -l global -d 'Install into the skill folders in your home folder instead of a project'
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -l list -d 'List the embedded skills (name, family, description) and exit'
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -l dry-run -d 'Show what would be written; write nothing'
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -l diff -d 'Show a diff of every file that would change against what is on disk; write nothing'
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -l force -d 'Replace skill files you edited (they are kept otherwise)'
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand install-skills" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l bind -d 'Address to bind' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l port -d 'Port to listen on; 0 picks a free port and prints the address on stdout' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l product -d 'Product ids served (repeatable)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l key -d 'API keys accepted on the stream (repeatable); without one, the key kept in `serve.key` under the config folder is used (made on first use)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l heartbeat -d 'Time between heartbeat frames (30s, 500ms or bare seconds)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l replay -d 'Replay this recording to each connection' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l speed -d 'Replay speed: 1 (real time), 10, … or `max`' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l sessions -d 'Number of concurrent synthetic sessions' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l rate -d 'Synthetic events per second' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l seed -d 'Seed of the synthetic generator' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l fail-status -d 'Answer every stream request with this HTTP status (fault injection)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l drop-after -d 'Close each connection after N events (fault injection)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l stall-after -d 'Stop sending anything, heartbeats included, after N events (fault injection)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l retry-ms -d 'Send `retry: MS` at the start of each stream (the client\'s reconnect delay)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l format -d 'Output format (only `pretty` here)' -r -f -a "pretty\t'Human-readable, coloured on a terminal'"
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l new-key -d 'Replace the kept key with a new one'
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l loop -d 'Start the recording again when it ends'
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l synthetic -d 'Generate realistic live traffic instead of replaying a file'
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l any-product -d 'Send every replayed event to every product\'s stream'
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand serve" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l url -d 'The page: a path (on https://app.example.com) or a full URL' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l session -d 'Session id (`$session_id`); default: a new one for this run' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l user -d 'User id (`distinct_id`)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l email -d 'The user\'s email (person property)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l label -d 'The clicked element\'s text (click only)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l count -d 'Events to send, one session' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l interval -d 'Time between events (30s, 500ms, 2m or bare seconds)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l webhook-url -d 'Full webhook URL (wins over --connector/--product)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l connector -d 'Connector base URL; the webhook is `{connector}/webhook/{product}`' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l product -d 'Product id' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l secret-file -d 'File holding the webhook secret [env: AUTOPLAY_WEBHOOK_SECRET] (default: the profile\'s)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l profile -d 'Saved credentials profile to use' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l timeout -d 'Request timeout' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand send" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand demo" -l duration -d 'The longest the demo tails its stream (it stops earlier once the recording is done)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand demo" -l report -d 'Where to write the HTML report of the demo recording (default: autoplay-demo-report.html in the temporary folder)' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand demo" -l format -d 'Output format (only `pretty` here)' -r -f -a "pretty\t'Human-readable, coloured on a terminal'"
complete -c autoplay -n "__fish_autoplay_using_subcommand demo" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand demo" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand demo" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand demo" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand demo" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand demo" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand generate" -l sessions -d 'Number of sessions' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand generate" -l seed -d 'Seed; the same seed gives the same recording' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand generate" -l product -d 'Product id written into the events' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand generate" -l actions -d 'Total actions to generate (default: about 25 per session)' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand generate" -s o -l output -d 'Write the recording to this file instead of stdout' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand generate" -l format -d 'Output format (only `json` here)' -r -f -a "json\t'Machine-readable JSON (NDJSON for streams and lists)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand generate" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand generate" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand generate" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand generate" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand generate" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand generate" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand completions" -l format -d 'Output format (only `pretty` here)' -r -f -a "pretty\t'Human-readable, coloured on a terminal'"
complete -c autoplay -n "__fish_autoplay_using_subcommand completions" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand completions" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand completions" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand completions" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand completions" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand completions" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand doctor" -l profile -d 'Saved credentials profile to check' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand doctor" -l wait -d 'How long the token check waits for the first heartbeat or event' -r
complete -c autoplay -n "__fish_autoplay_using_subcommand doctor" -l dir -d 'Project folder holding .autoplay/skills.lock and products.json' -r -F
complete -c autoplay -n "__fish_autoplay_using_subcommand doctor" -l format -d 'Output format; default: pretty on a terminal, json otherwise' -r -f -a "pretty\t'Human-readable, coloured on a terminal'
json\t'Machine-readable JSON (NDJSON for streams and lists)'"
complete -c autoplay -n "__fish_autoplay_using_subcommand doctor" -l color -d 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c autoplay -n "__fish_autoplay_using_subcommand doctor" -s q -l quiet -d 'Print less: `-q` hides progress and notices, `-qq` also warnings'
complete -c autoplay -n "__fish_autoplay_using_subcommand doctor" -s v -l verbose -d 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)'
complete -c autoplay -n "__fish_autoplay_using_subcommand doctor" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c autoplay -n "__fish_autoplay_using_subcommand doctor" -l no-progress -d 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)'
complete -c autoplay -n "__fish_autoplay_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c autoplay -n "__fish_autoplay_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and not __fish_seen_subcommand_from onboard auth tail sessions triggers install-skills serve send demo generate completions doctor help" -f -a "onboard" -d 'Register a product on the connector and save its credentials'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and not __fish_seen_subcommand_from onboard auth tail sessions triggers install-skills serve send demo generate completions doctor help" -f -a "auth" -d 'Show or remove saved credentials'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and not __fish_seen_subcommand_from onboard auth tail sessions triggers install-skills serve send demo generate completions doctor help" -f -a "tail" -d 'Follow a product\'s live event stream'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and not __fish_seen_subcommand_from onboard auth tail sessions triggers install-skills serve send demo generate completions doctor help" -f -a "sessions" -d 'Inspect sessions and users from a recording, a live stream or a Redis buffer'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and not __fish_seen_subcommand_from onboard auth tail sessions triggers install-skills serve send demo generate completions doctor help" -f -a "triggers" -d 'Lint trigger configs and replay recordings through them'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and not __fish_seen_subcommand_from onboard auth tail sessions triggers install-skills serve send demo generate completions doctor help" -f -a "install-skills" -d 'Install the Autoplay agent skills for Cursor and Claude into a project'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and not __fish_seen_subcommand_from onboard auth tail sessions triggers install-skills serve send demo generate completions doctor help" -f -a "serve" -d 'Run a local connector (SSE stream and registration API) for development and tests'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and not __fish_seen_subcommand_from onboard auth tail sessions triggers install-skills serve send demo generate completions doctor help" -f -a "send" -d 'Send a test event (a page view or a click) to a product\'s webhook'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and not __fish_seen_subcommand_from onboard auth tail sessions triggers install-skills serve send demo generate completions doctor help" -f -a "demo" -d 'Run the main job on built-in data: a local connector, a live tail and what it shows'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and not __fish_seen_subcommand_from onboard auth tail sessions triggers install-skills serve send demo generate completions doctor help" -f -a "generate" -d 'Write synthetic traffic as a recording (JSON Lines) to stdout'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and not __fish_seen_subcommand_from onboard auth tail sessions triggers install-skills serve send demo generate completions doctor help" -f -a "completions" -d 'Print a shell completion script'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and not __fish_seen_subcommand_from onboard auth tail sessions triggers install-skills serve send demo generate completions doctor help" -f -a "doctor" -d 'Check the setup: config, credentials, connector, token, skills, completions'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and not __fish_seen_subcommand_from onboard auth tail sessions triggers install-skills serve send demo generate completions doctor help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "status" -d 'Show the active connector, product and where the token comes from'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "logout" -d 'Remove a saved profile'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "list" -d 'One row per session'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "show" -d 'A session\'s timeline'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "context" -d 'The exact context text the SDK would give an LLM for a session'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "user" -d 'A user\'s recent sessions and activity text (SDK `UserSessionIndex`)'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "stats" -d 'Totals: sessions, users, actions per session, event types, top URLs'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from sessions" -f -a "drain" -d 'Consume a Redis buffer like the SDK\'s `drain()` and print NDJSON in score order'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from triggers" -f -a "validate" -d 'Lint a products.json trigger config: every problem with its JSON path, line and column'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from triggers" -f -a "simulate" -d 'Replay a recording through a trigger config and print the SDK\'s decisions'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from triggers" -f -a "init" -d 'Write a commented starting config'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from triggers" -f -a "explain" -d 'Tell one session\'s story: pages, phases, fires with reasons, closest misses'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from triggers" -f -a "tune" -d 'Sweep config values and compare the outcome of every combination'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from triggers" -f -a "test" -d 'Check a file of expectations about which triggers fire (for CI)'
complete -c autoplay -n "__fish_autoplay_using_subcommand help; and __fish_seen_subcommand_from triggers" -f -a "watch" -d 'Run the trigger engine on the live stream and print each decision as it happens'
