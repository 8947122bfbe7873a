# the websocket client (owned by the daemon author)
