#!/bin/sh
# Removes releases older than the five newest.
set -eu
cd /srv/app/releases
ls -1t | tail -n +6 | xargs -r rm -rf --
