#!/bin/sh
# Prints what a converged host looks like, for comparing a host converged by provision with one converged by
# Ansible: every path under the given roots (type, owner, group, mode, link target, SHA-256 of regular
# files), enabled unit files, active services and timers, every group with its members, users, packages.
# Run inside the container (docker exec NAME sh -s ROOT... < host-state.sh). Left out: what Docker or the
# boot writes per container (hostname, hosts, resolv.conf, machine-id), caches, logs and run-time state.
set -eu
echo "## paths"
find "$@" -xdev \( -path /etc/hostname -o -path /etc/hosts -o -path /etc/resolv.conf -o -path /etc/machine-id \
    -o -path /etc/ld.so.cache -o -path /var/lib/app/worker.heartbeat -o -path '/etc/ssl/certs/*' \) -prune \
    -o -printf '%p %y %u %g %m %l\n' 2>/dev/null | sort | while read -r path type user group mode link; do
  sum=-
  [ "$type" = f ] && sum=$(sha256sum "$path" | cut -c1-16)
  echo "$path $type $user:$group $mode ${link:--} $sum"
done
echo "## enabled unit files"
systemctl list-unit-files --state=enabled --no-legend --plain | awk '{print $1}' | sort
echo "## active services and timers"
systemctl list-units --type=service,timer --state=active --no-legend --plain | awk '{print $1, $3, $4}' \
  | grep -v -e '^user@' -e '^systemd-' | sort
echo "## groups"
getent group | awk -F: '{print $1, $3, $4}' | sort
echo "## users"
getent passwd | awk -F: '{print $1, $3, $4, $6, $7}' | sort
echo "## packages"
dpkg-query -W -f '${Package} ${Version} ${db:Status-Abbrev}\n' | sort
