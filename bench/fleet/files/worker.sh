#!/bin/sh
# A stand-in for the application worker: wakes up once a minute.
while :; do
    date +%s > /var/lib/app/worker.heartbeat
    sleep 60
done
