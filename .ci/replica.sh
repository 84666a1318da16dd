#!/usr/bin/env bash
# Start a PostgreSQL streaming replica of the local cluster on port 5433 (for tests/production/test_replica.py).
# Idempotent: does nothing when a server already answers on 5433. Run as root (it switches to postgres).
set -euo pipefail
port=${REPLICA_PORT:-5433}
if pg_isready -q -h 127.0.0.1 -p "$port"; then exit 0; fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
bin=/usr/lib/postgresql/$version/bin
hba=/etc/postgresql/$version/main/pg_hba.conf
# The primary must accept replication connections from loopback (a fresh Debian cluster already does).
if ! grep -Eq '^\s*host\s+replication\s+all\s+127\.0\.0\.1/32' "$hba"; then
  echo "host replication all 127.0.0.1/32 scram-sha-256" >> "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || pg_ctlcluster "$version" main reload
fi
dir=/var/lib/postgresql/xinfang-replica-$port
rm -rf "$dir"
su postgres -c "PGPASSWORD=postgres $bin/pg_basebackup -h 127.0.0.1 -p 5432 -U postgres -D $dir -X stream -R -c fast"
cat > "$dir/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '/var/run/postgresql'
hot_standby = on
CONF
printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' > "$dir/pg_hba.conf"
echo "primary_conninfo = 'host=127.0.0.1 port=5432 user=postgres password=postgres'" >> "$dir/postgresql.auto.conf"
chown -R postgres:postgres "$dir"
su postgres -c "$bin/pg_ctl -D $dir -l $dir/server.log -w start" >/dev/null
echo "replica on 127.0.0.1:$port"
