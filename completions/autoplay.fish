complete --keep-order --exclusive --command autoplay --arguments "(COMPLETE=fish autoplay -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
