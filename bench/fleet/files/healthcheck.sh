#!/bin/sh
# Exits 0 when the app answers on its local port.
set -eu
exec curl --silent --fail --max-time 2 http://127.0.0.1:8080/health >/dev/null
