#!/usr/bin/env bash
# Make sure a Docker Engine answers on the socket kfrun will use.
# Installs Debian's docker.io when dockerd is missing; starts dockerd when /_ping does not answer.
# Idempotent: when the daemon already answers, it does nothing.
set -euo pipefail
sock=${DOCKER_HOST:-unix:///var/run/docker.sock}
sock=${sock#unix://}

ping() { curl -fsS --max-time 2 --unix-socket "$sock" http://docker/_ping >/dev/null 2>&1; }

if ping; then exit 0; fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "ensure-docker: installing docker.io" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq docker.io >/dev/null
fi
if ! command -v curl >/dev/null 2>&1; then
  apt-get install -y -qq curl >/dev/null
fi

if ping; then exit 0; fi
if [ "$sock" != /var/run/docker.sock ]; then
  echo "ensure-docker: DOCKER_HOST=$DOCKER_HOST does not answer, and kfrun only starts the default daemon" >&2
  exit 1
fi

echo "ensure-docker: starting dockerd (log: /var/log/kfrun-dockerd.log)" >&2
# Detached from this shell so the daemon outlives the script; its pid is kept for whoever wants to stop it.
setsid nohup dockerd >/var/log/kfrun-dockerd.log 2>&1 </dev/null &
pid=$!
echo $pid >/var/run/kfrun-dockerd.pid
for _ in $(seq 1 120); do
  if ping; then exit 0; fi
  # A daemon that died (iptables, cgroups, storage driver...) will not answer: say so now, not after a minute.
  kill -0 $pid 2>/dev/null || break
  sleep 0.5
done
if kill -0 $pid 2>/dev/null; then
  echo "ensure-docker: dockerd did not answer on $sock within 60 s; last log lines:" >&2
else
  echo "ensure-docker: dockerd exited; last log lines:" >&2
fi
tail -n 20 /var/log/kfrun-dockerd.log >&2 || true
exit 1
