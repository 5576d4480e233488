
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'autoplay' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'autoplay'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'autoplay' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: `pretty` for people, `json` (NDJSON or one document) for scripts, `text` where a command supports it. Default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('onboard', 'onboard', [CompletionResultType]::ParameterValue, 'Register a product on the connector and save its credentials')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Show or remove saved credentials')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Follow a product''s live event stream')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'Inspect sessions and users from a recording, a live stream or a Redis buffer')
            [CompletionResult]::new('triggers', 'triggers', [CompletionResultType]::ParameterValue, 'Lint trigger configs and replay recordings through them')
            [CompletionResult]::new('install-skills', 'install-skills', [CompletionResultType]::ParameterValue, 'Install the Autoplay agent skills for Cursor and Claude into a project')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run a local connector (SSE stream and registration API) for development and tests')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send a test event (a page view or a click) to a product''s webhook')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the main job on built-in data: a local connector, a live tail and what it shows')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write synthetic traffic as a recording (JSON Lines) to stdout')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the setup: config, credentials, connector, token, skills, completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'autoplay;onboard' {
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Product id to register (legacy API; the provider API issues one)')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Contact email of the product''s owner')
            [CompletionResult]::new('--connector', '--connector', [CompletionResultType]::ParameterName, 'Connector base URL [default: https://event-connector-luda.onrender.com, or https://connector.autoplay.ai with --provider]')
            [CompletionResult]::new('--webhook-secret-file', '--webhook-secret-file', [CompletionResultType]::ParameterName, 'File holding the webhook secret (default: 32 random bytes, URL-safe base64)')
            [CompletionResult]::new('--forward-url', '--forward-url', [CompletionResultType]::ParameterName, 'Push mode: the connector POSTs events to this URL instead of serving the stream')
            [CompletionResult]::new('--forward-secret-file', '--forward-secret-file', [CompletionResultType]::ParameterName, 'File holding the push-mode forward secret')
            [CompletionResult]::new('--admin-key-file', '--admin-key-file', [CompletionResultType]::ParameterName, 'File holding the admin key sent as `X-Admin-Key` (or set AUTOPLAY_ADMIN_KEY)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Request timeout, 1–120 s (`30s`, `1m` or bare seconds) [env: ONBOARD_CONNECTOR_TIMEOUT_SECONDS] [default: 15]')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Save the credentials under this profile (`autoplay tail` then needs no flags); on a terminal without this flag or --env-file, you are offered to save them as `default`')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Also write the credentials to this .env file (0600; other lines are kept)')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Activity provider: selects the newer connector API')
            [CompletionResult]::new('--provider-project-id', '--provider-project-id', [CompletionResultType]::ParameterName, 'Project id at the activity provider')
            [CompletionResult]::new('--owner-token-file', '--owner-token-file', [CompletionResultType]::ParameterName, 'File holding the owner token of the first registration (needed to re-register)')
            [CompletionResult]::new('--ingest-secret-file', '--ingest-secret-file', [CompletionResultType]::ParameterName, 'File holding the ingest secret to use (default: the connector issues one)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Display name of the product')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--force-reregister', '--force-reregister', [CompletionResultType]::ParameterName, 'Re-register an existing product (rotates its webhook secret)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (including re-registering after HTTP 409)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations (including re-registering after HTTP 409)')
            [CompletionResult]::new('--gitignore', '--gitignore', [CompletionResultType]::ParameterName, 'Add the env file''s folder to ./.gitignore without asking')
            [CompletionResult]::new('--no-gitignore', '--no-gitignore', [CompletionResultType]::ParameterName, 'Leave .gitignore alone')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;auth' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: `pretty` for people, `json` (NDJSON or one document) for scripts, `text` where a command supports it. Default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the active connector, product and where the token comes from')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove a saved profile')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'autoplay;auth;status' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Full stream URL, e.g. https://connector.example.com/stream/acme (wins over --connector/--product)')
            [CompletionResult]::new('--connector', '--connector', [CompletionResultType]::ParameterName, 'Connector base URL; the stream is `{connector}/stream/{product}`')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Product id (with --connector)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the bearer token from this file')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The bearer token; `-` reads it from stdin. A literal value is visible to other processes: prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Saved credentials profile to use')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'With --check: how long to wait for the first heartbeat or event')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--max-retries', '--max-retries', [CompletionResultType]::ParameterName, 'Give up after this many failed connection attempts in a row (default: retry forever)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Reconnect when no bytes (heartbeats included) arrive for this long')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connection timeout for each attempt')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Connect to the stream once and report whether the token is accepted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;auth;logout' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (only `pretty` here)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;auth;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the active connector, product and where the token comes from')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove a saved profile')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'autoplay;auth;help;status' {
            break
        }
        'autoplay;auth;help;logout' {
            break
        }
        'autoplay;auth;help;help' {
            break
        }
        'autoplay;tail' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Full stream URL, e.g. https://connector.example.com/stream/acme (wins over --connector/--product)')
            [CompletionResult]::new('--connector', '--connector', [CompletionResultType]::ParameterName, 'Connector base URL; the stream is `{connector}/stream/{product}`')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Product id (with --connector)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the bearer token from this file')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The bearer token; `-` reads it from stdin. A literal value is visible to other processes: prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Saved credentials profile to use')
            [CompletionResult]::new('--max-retries', '--max-retries', [CompletionResultType]::ParameterName, 'Give up after this many failed connection attempts in a row (default: retry forever)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Reconnect when no bytes (heartbeats included) arrive for this long')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connection timeout for each attempt')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Only these session ids (comma list)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only these user ids (comma list)')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Only these emails (comma list)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only these event types: actions, summary, usertour_trigger, … (comma list)')
            [CompletionResult]::new('--url-contains', '--url-contains', [CompletionResultType]::ParameterName, 'Only events with an action URL containing this text (comma list)')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Append every received frame''s data as one JSON line to FILE (a recording)')
            [CompletionResult]::new('--forward-to', '--forward-to', [CompletionResultType]::ParameterName, 'POST each event''s JSON to this URL, signed like the connector''s push mode')
            [CompletionResult]::new('--forward-secret-file', '--forward-secret-file', [CompletionResultType]::ParameterName, 'File holding the HMAC secret for `X-Connector-Signature` (else AUTOPLAY_FORWARD_SECRET)')
            [CompletionResult]::new('--sink', '--sink', [CompletionResultType]::ParameterName, 'Also write every actions/summary payload to a Redis event buffer (SDK layout)')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix of the Redis buffer')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Sliding window of the Redis buffer (`2m`, `120s` or bare seconds)')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Stop after this long')
            [CompletionResult]::new('--max-events', '--max-events', [CompletionResultType]::ParameterName, 'Stop after N events have been shown')
            [CompletionResult]::new('--exit-when-idle', '--exit-when-idle', [CompletionResultType]::ParameterName, 'Stop when no event has arrived for SECS seconds')
            [CompletionResult]::new('--expect-events', '--expect-events', [CompletionResultType]::ParameterName, 'Exit 3 when fewer than N events arrived by the end; stops as soon as N have arrived')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'In pretty mode, also show the raw JSON of summaries and other frames')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;sessions' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: `pretty` for people, `json` (NDJSON or one document) for scripts, `text` where a command supports it. Default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'One row per session')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A session''s timeline')
            [CompletionResult]::new('context', 'context', [CompletionResultType]::ParameterValue, 'The exact context text the SDK would give an LLM for a session')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'A user''s recent sessions and activity text (SDK `UserSessionIndex`)')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Totals: sessions, users, actions per session, event types, top URLs')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Consume a Redis buffer like the SDK''s `drain()` and print NDJSON in score order')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'autoplay;sessions;list' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix of the Redis buffer')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'With --live: how long to listen')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Full stream URL, e.g. https://connector.example.com/stream/acme')
            [CompletionResult]::new('--connector', '--connector', [CompletionResultType]::ParameterName, 'Connector base URL; the stream is `{connector}/stream/{product}`')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the bearer token from this file')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Saved credentials profile to use')
            [CompletionResult]::new('--max-retries', '--max-retries', [CompletionResultType]::ParameterName, 'Give up after this many failed connection attempts in a row')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Reconnect when no bytes arrive for this long')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connection timeout for each attempt')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort order')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N rows')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only sessions of this user')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Only sessions of this product')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only sessions seen since: a duration before --at (`10m`), unix seconds or RFC 3339')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--live', '--live', [CompletionResultType]::ParameterName, 'Listen to the live stream instead (connection flags as for `tail`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;sessions;show' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix of the Redis buffer')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'With --live: how long to listen')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Full stream URL, e.g. https://connector.example.com/stream/acme')
            [CompletionResult]::new('--connector', '--connector', [CompletionResultType]::ParameterName, 'Connector base URL; the stream is `{connector}/stream/{product}`')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the bearer token from this file')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Saved credentials profile to use')
            [CompletionResult]::new('--max-retries', '--max-retries', [CompletionResultType]::ParameterName, 'Give up after this many failed connection attempts in a row')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Reconnect when no bytes arrive for this long')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connection timeout for each attempt')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Product id, when the session id exists under several products')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--live', '--live', [CompletionResultType]::ParameterName, 'Listen to the live stream instead (connection flags as for `tail`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;sessions;context' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix of the Redis buffer')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'With --live: how long to listen')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Full stream URL, e.g. https://connector.example.com/stream/acme')
            [CompletionResult]::new('--connector', '--connector', [CompletionResultType]::ParameterName, 'Connector base URL; the stream is `{connector}/stream/{product}`')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the bearer token from this file')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Saved credentials profile to use')
            [CompletionResult]::new('--max-retries', '--max-retries', [CompletionResultType]::ParameterName, 'Give up after this many failed connection attempts in a row')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Reconnect when no bytes arrive for this long')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connection timeout for each attempt')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Product id: read its product-scoped bucket (without it the SDK falls back to the only product-scoped bucket of the session, and to none when there are several)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Print the SDK `enrich` text for this user query')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'Only actions newer than this long before --at')
            [CompletionResult]::new('--max-actions', '--max-actions', [CompletionResultType]::ParameterName, 'At most N most recent actions')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--live', '--live', [CompletionResultType]::ParameterName, 'Listen to the live stream instead (connection flags as for `tail`)')
            [CompletionResult]::new('--no-summary', '--no-summary', [CompletionResultType]::ParameterName, 'Leave out the summary')
            [CompletionResult]::new('--no-actions', '--no-actions', [CompletionResultType]::ParameterName, 'Leave out the actions')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;sessions;user' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix of the Redis buffer')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'With --live: how long to listen')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Full stream URL, e.g. https://connector.example.com/stream/acme')
            [CompletionResult]::new('--connector', '--connector', [CompletionResultType]::ParameterName, 'Connector base URL; the stream is `{connector}/stream/{product}`')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the bearer token from this file')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Saved credentials profile to use')
            [CompletionResult]::new('--max-retries', '--max-retries', [CompletionResultType]::ParameterName, 'Give up after this many failed connection attempts in a row')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Reconnect when no bytes arrive for this long')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connection timeout for each attempt')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'Only sessions active within this many seconds before --at')
            [CompletionResult]::new('--max-sessions', '--max-sessions', [CompletionResultType]::ParameterName, 'Per-user cap on remembered sessions')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--live', '--live', [CompletionResultType]::ParameterName, 'Listen to the live stream instead (connection flags as for `tail`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;sessions;stats' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix of the Redis buffer')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'With --live: how long to listen')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Reference time for lookbacks (unix seconds or RFC 3339); default: the latest `forwarded_at` in the data (the wall clock with --live)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Full stream URL, e.g. https://connector.example.com/stream/acme')
            [CompletionResult]::new('--connector', '--connector', [CompletionResultType]::ParameterName, 'Connector base URL; the stream is `{connector}/stream/{product}`')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the bearer token from this file')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Saved credentials profile to use')
            [CompletionResult]::new('--max-retries', '--max-retries', [CompletionResultType]::ParameterName, 'Give up after this many failed connection attempts in a row')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Reconnect when no bytes arrive for this long')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connection timeout for each attempt')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Number of top URLs to show')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--live', '--live', [CompletionResultType]::ParameterName, 'Listen to the live stream instead (connection flags as for `tail`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;sessions;drain' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The Redis buffer `redis://host:port[/db]`')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 'Key prefix of the Redis buffer')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (only `json` here)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;sessions;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'One row per session')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A session''s timeline')
            [CompletionResult]::new('context', 'context', [CompletionResultType]::ParameterValue, 'The exact context text the SDK would give an LLM for a session')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'A user''s recent sessions and activity text (SDK `UserSessionIndex`)')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Totals: sessions, users, actions per session, event types, top URLs')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Consume a Redis buffer like the SDK''s `drain()` and print NDJSON in score order')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'autoplay;sessions;help;list' {
            break
        }
        'autoplay;sessions;help;show' {
            break
        }
        'autoplay;sessions;help;context' {
            break
        }
        'autoplay;sessions;help;user' {
            break
        }
        'autoplay;sessions;help;stats' {
            break
        }
        'autoplay;sessions;help;drain' {
            break
        }
        'autoplay;sessions;help;help' {
            break
        }
        'autoplay;triggers' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: `pretty` for people, `json` (NDJSON or one document) for scripts, `text` where a command supports it. Default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Lint a products.json trigger config: every problem with its JSON path, line and column')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Replay a recording through a trigger config and print the SDK''s decisions')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented starting config')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Tell one session''s story: pages, phases, fires with reasons, closest misses')
            [CompletionResult]::new('tune', 'tune', [CompletionResultType]::ParameterValue, 'Sweep config values and compare the outcome of every combination')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Check a file of expectations about which triggers fire (for CI)')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Run the trigger engine on the live stream and print each decision as it happens')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'autoplay;triggers;validate' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as errors (exit 2 on any problem)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;triggers;simulate' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'products.json: an array of product rows, or one row object')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, 'The recording (JSON Lines, as `autoplay tail --record` and `autoplay generate` write it; `-` for stdin)')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Use this product row for every event (default: the row whose product_id equals the event''s; a single-row config serves every event)')
            [CompletionResult]::new('--tick', '--tick', [CompletionResultType]::ParameterName, 'Background pulse interval (pulses at every multiple); 0 = no pulses')
            [CompletionResult]::new('--horizon', '--horizon', [CompletionResultType]::ParameterName, 'Keep pulsing this long after a session''s last event')
            [CompletionResult]::new('--judge', '--judge', [CompletionResultType]::ParameterName, 'How the LLM judge answers for gated (llm_judge_validation) winners')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, '`sdk`: state machine + registry; `connector`: also a 300 s minimum between fires (formerly `--profile`, still accepted)')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'Context lookback')
            [CompletionResult]::new('--max-actions', '--max-actions', [CompletionResultType]::ParameterName, 'At most N actions in the trigger context')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'autoplay-sdk release whose detector semantics to follow')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Also write a self-contained HTML report (sessions on a timeline, charts) to FILE')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Print only these sessions (every session is still simulated from its first event)')
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'Print only fires of these triggers and evaluations where one matched')
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Print only these record kinds (fire, timeout, evaluation, session_end, …)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Print only records at or after T: seconds from the session''s start, unix seconds or RFC 3339')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Print only records at or before T (as --from)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override one config value: a JSON path ([0].integration_config.cooldown_period_s) or a member name that is unique in the file (dwell_threshold_seconds); repeatable')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Also emit an `evaluation` record for every evaluation that did not fire')
            [CompletionResult]::new('--why', '--why', [CompletionResultType]::ParameterName, 'Add a `why` object (window, each detector''s verdict and evidence, the gate) to every fire and evaluation record; implies --explain')
            [CompletionResult]::new('--skip-bad-lines', '--skip-bad-lines', [CompletionResultType]::ParameterName, 'Warn about unreadable lines and skip them instead of failing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;triggers;init' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (only `pretty` here)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite an existing file')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;triggers;explain' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'products.json: an array of product rows, or one row object')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, 'The recording (JSON Lines; `-` for stdin)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Also show every reason of the decision at (or just before) T: seconds from the session''s start, unix seconds or RFC 3339')
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'Tell only about this trigger''s fires and misses')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Use this product row for every event')
            [CompletionResult]::new('--tick', '--tick', [CompletionResultType]::ParameterName, 'Background pulse interval in seconds; 0 = no pulses')
            [CompletionResult]::new('--horizon', '--horizon', [CompletionResultType]::ParameterName, 'Keep pulsing this many seconds after a session''s last event')
            [CompletionResult]::new('--judge', '--judge', [CompletionResultType]::ParameterName, 'How the LLM judge answers for gated (llm_judge_validation) winners')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, '`sdk`: state machine + registry; `connector`: also a 300 s minimum between fires (`--profile` is still accepted)')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'autoplay-sdk release whose detector semantics to follow')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--skip-bad-lines', '--skip-bad-lines', [CompletionResultType]::ParameterName, 'Warn about unreadable lines and skip them instead of failing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;triggers;tune' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'products.json: an array of product rows, or one row object')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, 'The recording (JSON Lines; `-` for stdin)')
            [CompletionResult]::new('--vary', '--vary', [CompletionResultType]::ParameterName, 'KEY=V1,V2,… or KEY=FROM..TO:STEP; repeat to sweep several keys (every combination)')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Use this product row for every event')
            [CompletionResult]::new('--tick', '--tick', [CompletionResultType]::ParameterName, 'Background pulse interval in seconds; 0 = no pulses')
            [CompletionResult]::new('--horizon', '--horizon', [CompletionResultType]::ParameterName, 'Keep pulsing this many seconds after a session''s last event')
            [CompletionResult]::new('--judge', '--judge', [CompletionResultType]::ParameterName, 'How the LLM judge answers for gated (llm_judge_validation) winners')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, '`sdk`: state machine + registry; `connector`: also a 300 s minimum between fires (`--profile` is still accepted)')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'autoplay-sdk release whose detector semantics to follow')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--skip-bad-lines', '--skip-bad-lines', [CompletionResultType]::ParameterName, 'Warn about unreadable lines and skip them instead of failing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;triggers;test' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'products.json: an array of product rows, or one row object')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, 'The recording (JSON Lines; `-` for stdin)')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'The expectations (JSON Lines)')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Use this product row for every event')
            [CompletionResult]::new('--tick', '--tick', [CompletionResultType]::ParameterName, 'Background pulse interval in seconds; 0 = no pulses')
            [CompletionResult]::new('--horizon', '--horizon', [CompletionResultType]::ParameterName, 'Keep pulsing this many seconds after a session''s last event')
            [CompletionResult]::new('--judge', '--judge', [CompletionResultType]::ParameterName, 'How the LLM judge answers for gated (llm_judge_validation) winners')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, '`sdk`: state machine + registry; `connector`: also a 300 s minimum between fires (`--profile` is still accepted)')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'autoplay-sdk release whose detector semantics to follow')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--update', '--update', [CompletionResultType]::ParameterName, 'Write the expectations the current config meets to --expect instead, for review')
            [CompletionResult]::new('--skip-bad-lines', '--skip-bad-lines', [CompletionResultType]::ParameterName, 'Warn about unreadable lines and skip them instead of failing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;triggers;watch' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'products.json: a JSON array of product rows (or one row)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Full stream URL, e.g. https://connector.example.com/stream/acme (wins over --connector/--product)')
            [CompletionResult]::new('--connector', '--connector', [CompletionResultType]::ParameterName, 'Connector base URL; the stream is `{connector}/stream/{product}`')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the bearer token from this file')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The bearer token; `-` reads it from stdin. A literal value is visible to other processes: prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Saved credentials profile to use')
            [CompletionResult]::new('--max-retries', '--max-retries', [CompletionResultType]::ParameterName, 'Give up after this many failed connection attempts in a row (default: retry forever)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Reconnect when no bytes (heartbeats included) arrive for this long')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Connection timeout for each attempt')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'The stream''s product (with --connector) and the product row every event uses')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, 'Read events from a recording that may still grow (followed like `tail -f`), or `-` for stdin, instead of the stream')
            [CompletionResult]::new('--clock', '--clock', [CompletionResultType]::ParameterName, 'What time is: `wall` (default on a stream) or `event` (default with --events)')
            [CompletionResult]::new('--tick', '--tick', [CompletionResultType]::ParameterName, 'Background pulse interval; 0 = no pulses')
            [CompletionResult]::new('--horizon', '--horizon', [CompletionResultType]::ParameterName, 'Pulses continue this long after a session''s last event')
            [CompletionResult]::new('--judge', '--judge', [CompletionResultType]::ParameterName, 'How the LLM judge answers')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'Delivery rules: `sdk` alone, or also the connector''s 300 s between fires')
            [CompletionResult]::new('--sdk', '--sdk', [CompletionResultType]::ParameterName, 'autoplay-sdk release whose detector semantics to follow')
            [CompletionResult]::new('--lookback', '--lookback', [CompletionResultType]::ParameterName, 'Context lookback')
            [CompletionResult]::new('--max-actions', '--max-actions', [CompletionResultType]::ParameterName, 'Context size cap')
            [CompletionResult]::new('--max-sessions', '--max-sessions', [CompletionResultType]::ParameterName, 'At most this many live sessions; past it the least recently active one ends')
            [CompletionResult]::new('--linger', '--linger', [CompletionResultType]::ParameterName, 'Keep a session this long after its horizon in case it comes back')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Append every received event as one JSON line to FILE (a recording)')
            [CompletionResult]::new('--forward-to', '--forward-to', [CompletionResultType]::ParameterName, 'POST each decision record as JSON to this URL, signed like `tail --forward-to`')
            [CompletionResult]::new('--forward-secret-file', '--forward-secret-file', [CompletionResultType]::ParameterName, 'File holding the HMAC secret for `X-Connector-Signature` (else AUTOPLAY_FORWARD_SECRET)')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Stop after this long')
            [CompletionResult]::new('--max-events', '--max-events', [CompletionResultType]::ParameterName, 'Stop after N events have been received')
            [CompletionResult]::new('--exit-when-idle', '--exit-when-idle', [CompletionResultType]::ParameterName, 'Stop when no event has arrived for this long')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Also print every evaluation that did not fire')
            [CompletionResult]::new('--why', '--why', [CompletionResultType]::ParameterName, 'Also print the reasons of every decision (implies --explain)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;triggers;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Lint a products.json trigger config: every problem with its JSON path, line and column')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Replay a recording through a trigger config and print the SDK''s decisions')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented starting config')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Tell one session''s story: pages, phases, fires with reasons, closest misses')
            [CompletionResult]::new('tune', 'tune', [CompletionResultType]::ParameterValue, 'Sweep config values and compare the outcome of every combination')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Check a file of expectations about which triggers fire (for CI)')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Run the trigger engine on the live stream and print each decision as it happens')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'autoplay;triggers;help;validate' {
            break
        }
        'autoplay;triggers;help;simulate' {
            break
        }
        'autoplay;triggers;help;init' {
            break
        }
        'autoplay;triggers;help;explain' {
            break
        }
        'autoplay;triggers;help;tune' {
            break
        }
        'autoplay;triggers;help;test' {
            break
        }
        'autoplay;triggers;help;watch' {
            break
        }
        'autoplay;triggers;help;help' {
            break
        }
        'autoplay;install-skills' {
            [CompletionResult]::new('--chatbot', '--chatbot', [CompletionResultType]::ParameterName, 'Chatbot skill to install: ada, intercom, botpress, dify, crisp, landbot or tidio')
            [CompletionResult]::new('--user-activity', '--user-activity', [CompletionResultType]::ParameterName, 'User-activity source skill to install: fullstory or posthog')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent(s) to install for (default: those whose .cursor/ or .claude/ folder exists, else cursor)')
            [CompletionResult]::new('--dest', '--dest', [CompletionResultType]::ParameterName, 'Project folder (default: the current folder); an agent''s skills folder such as `.claude/skills` also works and picks that agent')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--global', '--global', [CompletionResultType]::ParameterName, 'Install into the skill folders in your home folder instead of a project')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the embedded skills (name, family, description) and exit')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be written; write nothing')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Show a diff of every file that would change against what is on disk; write nothing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace skill files you edited (they are kept otherwise)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;serve' {
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Address to bind')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on; 0 picks a free port and prints the address on stdout')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Product ids served (repeatable)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'API keys accepted on the stream (repeatable); without one, the key kept in `serve.key` under the config folder is used (made on first use)')
            [CompletionResult]::new('--heartbeat', '--heartbeat', [CompletionResultType]::ParameterName, 'Time between heartbeat frames (30s, 500ms or bare seconds)')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'Replay this recording to each connection')
            [CompletionResult]::new('--speed', '--speed', [CompletionResultType]::ParameterName, 'Replay speed: 1 (real time), 10, … or `max`')
            [CompletionResult]::new('--sessions', '--sessions', [CompletionResultType]::ParameterName, 'Number of concurrent synthetic sessions')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Synthetic events per second')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of the synthetic generator')
            [CompletionResult]::new('--fail-status', '--fail-status', [CompletionResultType]::ParameterName, 'Answer every stream request with this HTTP status (fault injection)')
            [CompletionResult]::new('--drop-after', '--drop-after', [CompletionResultType]::ParameterName, 'Close each connection after N events (fault injection)')
            [CompletionResult]::new('--stall-after', '--stall-after', [CompletionResultType]::ParameterName, 'Stop sending anything, heartbeats included, after N events (fault injection)')
            [CompletionResult]::new('--retry-ms', '--retry-ms', [CompletionResultType]::ParameterName, 'Send `retry: MS` at the start of each stream (the client''s reconnect delay)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (only `pretty` here)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('--new-key', '--new-key', [CompletionResultType]::ParameterName, 'Replace the kept key with a new one')
            [CompletionResult]::new('--loop', '--loop', [CompletionResultType]::ParameterName, 'Start the recording again when it ends')
            [CompletionResult]::new('--synthetic', '--synthetic', [CompletionResultType]::ParameterName, 'Generate realistic live traffic instead of replaying a file')
            [CompletionResult]::new('--any-product', '--any-product', [CompletionResultType]::ParameterName, 'Send every replayed event to every product''s stream')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;send' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The page: a path (on https://app.example.com) or a full URL')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Session id (`$session_id`); default: a new one for this run')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User id (`distinct_id`)')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'The user''s email (person property)')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'The clicked element''s text (click only)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Events to send, one session')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between events (30s, 500ms, 2m or bare seconds)')
            [CompletionResult]::new('--webhook-url', '--webhook-url', [CompletionResultType]::ParameterName, 'Full webhook URL (wins over --connector/--product)')
            [CompletionResult]::new('--connector', '--connector', [CompletionResultType]::ParameterName, 'Connector base URL; the webhook is `{connector}/webhook/{product}`')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Product id')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'File holding the webhook secret [env: AUTOPLAY_WEBHOOK_SECRET] (default: the profile''s)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Saved credentials profile to use')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Request timeout')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;demo' {
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'The longest the demo tails its stream (it stops earlier once the recording is done)')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Where to write the HTML report of the demo recording (default: autoplay-demo-report.html in the temporary folder)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (only `pretty` here)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;generate' {
            [CompletionResult]::new('--sessions', '--sessions', [CompletionResultType]::ParameterName, 'Number of sessions')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed; the same seed gives the same recording')
            [CompletionResult]::new('--product', '--product', [CompletionResultType]::ParameterName, 'Product id written into the events')
            [CompletionResult]::new('--actions', '--actions', [CompletionResultType]::ParameterName, 'Total actions to generate (default: about 25 per session)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the recording to this file instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the recording to this file instead of stdout')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (only `json` here)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;completions' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (only `pretty` here)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;doctor' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Saved credentials profile to check')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'How long the token check waits for the first heartbeat or event')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Project folder holding .autoplay/skills.lock and products.json')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; default: pretty on a terminal, json otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less: `-q` hides progress and notices, `-qq` also warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars or spinners (they are drawn only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'autoplay;help' {
            [CompletionResult]::new('onboard', 'onboard', [CompletionResultType]::ParameterValue, 'Register a product on the connector and save its credentials')
            [CompletionResult]::new('auth', 'auth', [CompletionResultType]::ParameterValue, 'Show or remove saved credentials')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Follow a product''s live event stream')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'Inspect sessions and users from a recording, a live stream or a Redis buffer')
            [CompletionResult]::new('triggers', 'triggers', [CompletionResultType]::ParameterValue, 'Lint trigger configs and replay recordings through them')
            [CompletionResult]::new('install-skills', 'install-skills', [CompletionResultType]::ParameterValue, 'Install the Autoplay agent skills for Cursor and Claude into a project')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run a local connector (SSE stream and registration API) for development and tests')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send a test event (a page view or a click) to a product''s webhook')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the main job on built-in data: a local connector, a live tail and what it shows')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write synthetic traffic as a recording (JSON Lines) to stdout')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the setup: config, credentials, connector, token, skills, completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'autoplay;help;onboard' {
            break
        }
        'autoplay;help;auth' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the active connector, product and where the token comes from')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove a saved profile')
            break
        }
        'autoplay;help;auth;status' {
            break
        }
        'autoplay;help;auth;logout' {
            break
        }
        'autoplay;help;tail' {
            break
        }
        'autoplay;help;sessions' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'One row per session')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A session''s timeline')
            [CompletionResult]::new('context', 'context', [CompletionResultType]::ParameterValue, 'The exact context text the SDK would give an LLM for a session')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'A user''s recent sessions and activity text (SDK `UserSessionIndex`)')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Totals: sessions, users, actions per session, event types, top URLs')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Consume a Redis buffer like the SDK''s `drain()` and print NDJSON in score order')
            break
        }
        'autoplay;help;sessions;list' {
            break
        }
        'autoplay;help;sessions;show' {
            break
        }
        'autoplay;help;sessions;context' {
            break
        }
        'autoplay;help;sessions;user' {
            break
        }
        'autoplay;help;sessions;stats' {
            break
        }
        'autoplay;help;sessions;drain' {
            break
        }
        'autoplay;help;triggers' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Lint a products.json trigger config: every problem with its JSON path, line and column')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Replay a recording through a trigger config and print the SDK''s decisions')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented starting config')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Tell one session''s story: pages, phases, fires with reasons, closest misses')
            [CompletionResult]::new('tune', 'tune', [CompletionResultType]::ParameterValue, 'Sweep config values and compare the outcome of every combination')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Check a file of expectations about which triggers fire (for CI)')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Run the trigger engine on the live stream and print each decision as it happens')
            break
        }
        'autoplay;help;triggers;validate' {
            break
        }
        'autoplay;help;triggers;simulate' {
            break
        }
        'autoplay;help;triggers;init' {
            break
        }
        'autoplay;help;triggers;explain' {
            break
        }
        'autoplay;help;triggers;tune' {
            break
        }
        'autoplay;help;triggers;test' {
            break
        }
        'autoplay;help;triggers;watch' {
            break
        }
        'autoplay;help;install-skills' {
            break
        }
        'autoplay;help;serve' {
            break
        }
        'autoplay;help;send' {
            break
        }
        'autoplay;help;demo' {
            break
        }
        'autoplay;help;generate' {
            break
        }
        'autoplay;help;completions' {
            break
        }
        'autoplay;help;doctor' {
            break
        }
        'autoplay;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
