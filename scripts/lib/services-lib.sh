# shellcheck shell=bash
# Functions behind scripts/services. Settings come from the environment with local defaults;
# the same variables are read by packages/config, docker/compose.yaml and the tests.
: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/aaf_sync}"
: "${REDIS_URL:=redis://127.0.0.1:6379}"
: "${LDAP_URL:=ldap://127.0.0.1:3389}"
: "${LDAP_BASE_DN:=o=gouv,c=fr}"
: "${LDAP_BIND_DN:=cn=admin,o=gouv,c=fr}"
: "${LDAP_BIND_PASSWORD:=aaf-sync-dev-only}"
: "${LDAPS_URL:=ldaps://127.0.0.1:1636}"
: "${AD_URL:=ldaps://127.0.0.1:636}"
: "${AD_REALM:=AAF.TEST}"
SERVICES_DIR="$AAF_ROOT/.cache/services"
STATE_DIR="$SERVICES_DIR/state"
mkdir -p "$STATE_DIR"
# The test CA and slapd's certificate (generated once; kept when the slapd data are rebuilt).
LDAP_TLS_DIR="$SERVICES_DIR/slapd-tls"
: "${LDAP_TLS_CA_FILE:=$LDAP_TLS_DIR/ca.pem}"
export DATABASE_URL REDIS_URL LDAP_URL LDAPS_URL LDAP_TLS_CA_FILE LDAP_BASE_DN LDAP_BIND_DN \
  LDAP_BIND_PASSWORD AD_URL AD_REALM

# --- URL parsing -------------------------------------------------------------------------------
url_host() { local u="${1#*://}"; u="${u#*@}"; u="${u%%/*}"; u="${u%%\?*}"; echo "${u%:*}"; }
url_port() {
  local u="${1#*://}" def="$2"; u="${u#*@}"; u="${u%%/*}"; u="${u%%\?*}"
  if [[ "$u" == *:* ]]; then echo "${u##*:}"; else echo "$def"; fi
}
url_user() {
  local u="${1#*://}"
  if [[ "$u" == *@* ]]; then u="${u%%@*}"; echo "${u%%:*}"; else echo postgres; fi
}
url_db() { local u="${1#*://}"; u="${u#*/}"; echo "${u%%\?*}"; }

is_local_host() { case "$1" in 127.* | localhost | ::1 | '[::1]') return 0 ;; *) return 1 ;; esac; }

started_by_us() { [ -f "$STATE_DIR/$1.started" ]; }
mark_started() { echo "$2" > "$STATE_DIR/$1.started"; }
unmark_started() { rm -f "$STATE_DIR/$1.started"; }

stop_owned_daemon() { # stop_owned_daemon <name> <label>: stops <dir>/<name>.pid if we started it
  local name="$1" label="$2" dir pid
  if ! started_by_us "$name"; then
    aaf_log "$label was not started by us: left alone"
    return 0
  fi
  dir="$(cat "$STATE_DIR/$name.started")"
  aaf_log "stopping the project-owned $label"
  pid="$(cat "$dir/$name.pid" 2>/dev/null || true)"
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait_for 10 sh -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
  fi
  unmark_started "$name"
}

# --- Debian packages ---------------------------------------------------------------------------
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "need root (or sudo) to install: $*" >&2; return 1; }
    sudo="sudo"
  fi
  aaf_log "installing Debian packages: $*"
  # Keep postinst scripts from starting the system daemons: we start our own instances.
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy"
    own_policy=1
  fi
  local rc=0
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get)
  [ -n "$sudo" ] && apt=(sudo -E apt-get)
  "${apt[@]}" install -y -q --no-install-recommends "$@" >&2 ||
    { "${apt[@]}" update -q >&2 && "${apt[@]}" install -y -q --no-install-recommends "$@" >&2; } ||
    rc=$?
  [ "$own_policy" -eq 1 ] && $sudo rm -f "$policy"
  return "$rc"
}

wait_for() { # wait_for <seconds> <command...>
  local n=$(($1 * 10)); shift
  while ! "$@" >/dev/null 2>&1; do
    n=$((n - 1)); [ "$n" -gt 0 ] || return 1
    sleep 0.1
  done
}

# --- PostgreSQL ---------------------------------------------------------------------------------
pg_bin() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$d" ] && echo "$d"
}
pg_admin_url() { # the server URL with the maintenance database
  local u="${DATABASE_URL%%\?*}"; echo "${u%/*}/postgres"
}
pg_reachable() { psql "$(pg_admin_url)" -tAqc 'select 1' >/dev/null 2>&1; }
pg_run_as() { # initdb/pg_ctl refuse to run as root
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_up() {
  command -v psql >/dev/null 2>&1 || apt_install postgresql-client
  if pg_reachable; then
    started_by_us postgres || aaf_log "PostgreSQL answers at $(pg_admin_url): using it"
  else
    local host port user bin data
    host="$(url_host "$DATABASE_URL")"; port="$(url_port "$DATABASE_URL" 5432)"
    user="$(url_user "$DATABASE_URL")"
    is_local_host "$host" || { echo "PostgreSQL at $DATABASE_URL does not answer" >&2; return 1; }
    bin="$(pg_bin)" || true
    [ -n "$bin" ] || { apt_install postgresql; bin="$(pg_bin)"; }
    data="$SERVICES_DIR/postgres"
    if [ ! -f "$data/PG_VERSION" ]; then
      aaf_log "initialising a project-owned PostgreSQL cluster in $data"
      mkdir -p "$data"
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
      chmod 700 "$data"
      pg_run_as "$bin/initdb" -D "$data" -U "$user" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    aaf_log "starting PostgreSQL on $host:$port"
    pg_run_as "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null
    mark_started postgres "$data"
    wait_for 20 pg_reachable || { echo "PostgreSQL did not start; see $data/server.log" >&2; return 1; }
  fi
  local db; db="$(url_db "$DATABASE_URL")"
  if [ "$(psql "$(pg_admin_url)" -tAqc "select 1 from pg_database where datname = '$db'")" != 1 ]; then
    psql "$(pg_admin_url)" -qc "create database \"$db\"" >/dev/null
    aaf_log "created database $db"
  fi
}

pg_down() {
  if started_by_us postgres; then
    local data bin; data="$(cat "$STATE_DIR/postgres.started")"; bin="$(pg_bin)"
    aaf_log "stopping the project-owned PostgreSQL"
    pg_run_as "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
    unmark_started postgres
  else
    aaf_log "PostgreSQL was not started by us: left alone"
  fi
}

pg_clean_test_databases() {
  local db n=0
  for db in $(psql "$(pg_admin_url)" -tAqc "select datname from pg_database where datname like 'aaf\_t\_%' or datname like 'aaf\_tpl\_%'"); do
    psql "$(pg_admin_url)" -qc "drop database if exists \"$db\" with (force)" >/dev/null && n=$((n + 1))
  done
  aaf_log "dropped $n test database(s) and template(s)"
}

pg_status() {
  local who="machine"; started_by_us postgres && who="project"
  if pg_reachable; then echo "postgres  up    $DATABASE_URL ($who)"; else echo "postgres  down  $DATABASE_URL"; fi
}

# --- Redis --------------------------------------------------------------------------------------
redis_cli() {
  redis-cli -h "$(url_host "$REDIS_URL")" -p "$(url_port "$REDIS_URL" 6379)" "$@"
}
redis_reachable() { [ "$(redis_cli ping 2>/dev/null)" = PONG ]; }

redis_up() {
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  if redis_reachable; then
    started_by_us redis || aaf_log "Redis answers at $REDIS_URL: using it"
    return 0
  fi
  local host port dir
  host="$(url_host "$REDIS_URL")"; port="$(url_port "$REDIS_URL" 6379)"
  is_local_host "$host" || { echo "Redis at $REDIS_URL does not answer" >&2; return 1; }
  dir="$SERVICES_DIR/redis"; mkdir -p "$dir"
  aaf_log "starting Redis on $host:$port"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --dir "$dir" \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" --appendonly no >/dev/null
  mark_started redis "$dir"
  wait_for 10 redis_reachable || { echo "Redis did not start; see $dir/redis.log" >&2; return 1; }
}

redis_down() { stop_owned_daemon redis Redis; }

redis_status() {
  local who="machine"; started_by_us redis && who="project"
  if redis_reachable; then echo "redis     up    $REDIS_URL ($who)"; else echo "redis     down  $REDIS_URL"; fi
}

# --- OpenLDAP slapd -----------------------------------------------------------------------------
ldap_reachable() {
  ldapsearch -x -LLL -o nettimeout=2 -H "$LDAP_URL" -D "$LDAP_BIND_DN" -w "$LDAP_BIND_PASSWORD" \
    -b "$LDAP_BASE_DN" -s base dn >/dev/null 2>&1
}

# The test schema (docker/ldap: the SDET subset + the Scribe names the Scribe driver writes).
LDAP_SCHEMA_DIR="$AAF_ROOT/docker/ldap"

# What the built cn=config depends on: this file's config writer, the schema files, the DNs.
# Stored in <dir>/config.stamp; a project-owned slapd whose stamp differs is rebuilt.
ldap_config_stamp() {
  { declare -f ldap_write_config; cat "$LDAP_SCHEMA_DIR"/*.ldif; echo "$LDAP_BASE_DN $LDAP_BIND_DN"
    echo "$LDAP_BIND_PASSWORD"; } | sha256sum | cut -d' ' -f1
}

ldap_write_config() { # ldap_write_config <dir>: cn=config LDIF for slapadd -n0
  local dir="$1" hash
  hash="$(slappasswd -s "$LDAP_BIND_PASSWORD")"
  cat > "$dir/config.ldif" <<LDIF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $dir/slapd.pid
olcArgsFile: $dir/slapd.args
olcLogLevel: none

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/nis.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif
include: file://$LDAP_SCHEMA_DIR/sdet-min.ldif
include: file://$LDAP_SCHEMA_DIR/scribe-test.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: unlimited

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $LDAP_BASE_DN
olcRootDN: $LDAP_BIND_DN
olcRootPW: $hash
olcDbDirectory: $dir/data
olcDbMaxSize: 1073741824
# A test server: no fsync per write (data are rebuilt anyway).
olcDbNoSync: TRUE
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcDbIndex: cn eq
olcDbIndex: memberUid eq
olcDbIndex: employeeNumber eq
olcDbIndex: ENTPersonJointure eq
olcDbIndex: type eq
olcAccess: to * by * read
LDIF
  # The suffix entry itself, loaded offline.
  local rdn="${LDAP_BASE_DN%%,*}" attr val
  attr="${rdn%%=*}"; val="${rdn#*=}"
  local oc=organization
  case "$attr" in dc) oc="dcObject
objectClass: organization
o: $val" ;; ou) oc=organizationalUnit ;; esac
  printf 'dn: %s\nobjectClass: %s\n%s: %s\n' "$LDAP_BASE_DN" "$oc" "$attr" "$val" > "$dir/base.ldif"
}

# --- TLS: LDAPS on LDAPS_URL and StartTLS on LDAP_URL, with a test CA of our own ----------------
# Kept out of ldap_write_config (and so out of the stamp): adding TLS to a running project-owned
# slapd restarts it with its data, it does not rebuild them.
ldaps_reachable() {
  LDAPTLS_CACERT="$LDAP_TLS_CA_FILE" ldapsearch -x -LLL -o nettimeout=2 -H "$LDAPS_URL" \
    -D "$LDAP_BIND_DN" -w "$LDAP_BIND_PASSWORD" -b "$LDAP_BASE_DN" -s base dn >/dev/null 2>&1
}

ldap_tls_files() { # ldap_tls_files <dir>: a CA and a server certificate for 127.0.0.1, once
  local dir="$1"
  [ -s "$dir/server.pem" ] && [ -s "$dir/server.key" ] && [ -s "$dir/ca.pem" ] && return 0
  command -v openssl >/dev/null 2>&1 || apt_install openssl
  mkdir -p "$dir"
  (
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=aaf-sync test CA" \
      -keyout "$dir/ca.key" -out "$dir/ca.pem" >/dev/null 2>&1
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
      -keyout "$dir/server.key" -out "$dir/server.csr" >/dev/null 2>&1
    printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'basicConstraints=CA:FALSE' \
      'extendedKeyUsage=serverAuth' > "$dir/server.ext"
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
      -CAcreateserial -days 3650 -extfile "$dir/server.ext" -out "$dir/server.pem" >/dev/null 2>&1
  )
  chmod 644 "$dir/ca.pem" "$dir/server.pem"
}

ldap_has_tls() { grep -q '^olcTLSCertificateFile:' "$1/slapd.d/cn=config.ldif" 2>/dev/null; }

ldap_apply_tls() { # ldap_apply_tls <slapd dir> <tls dir>: TLS settings into its cn=config (offline)
  local dir="$1" tls="$2"
  ldap_tls_files "$tls"
  cat > "$dir/tls.ldif" <<LDIF
dn: cn=config
changetype: modify
replace: olcTLSCACertificateFile
olcTLSCACertificateFile: $tls/ca.pem
-
replace: olcTLSCertificateFile
olcTLSCertificateFile: $tls/server.pem
-
replace: olcTLSCertificateKeyFile
olcTLSCertificateKeyFile: $tls/server.key
LDIF
  slapmodify -n0 -F "$dir/slapd.d" -l "$dir/tls.ldif" >/dev/null 2>&1
}

ldap_up() {
  PATH="$PATH:/usr/sbin"
  if ! command -v slapd >/dev/null 2>&1 || ! command -v ldapsearch >/dev/null 2>&1; then
    apt_install slapd ldap-utils
  fi
  local host port dir shost sport
  if ldap_reachable; then
    if ! started_by_us slapd; then
      aaf_log "LDAP answers at $LDAP_URL: using it"
      return 0
    fi
    dir="$(cat "$STATE_DIR/slapd.started")"
    if [ "$(cat "$dir/config.stamp" 2>/dev/null)" = "$(ldap_config_stamp)" ]; then
      ldaps_reachable && return 0
      # Same schema, no LDAPS yet (a slapd started before TLS was added): restarted with its data.
      aaf_log "adding LDAPS ($LDAPS_URL) and StartTLS: restarting the project-owned slapd (data kept)"
    else
      aaf_log "the slapd schema or configuration changed: rebuilding the project-owned slapd"
    fi
    ldap_down
  fi
  host="$(url_host "$LDAP_URL")"; port="$(url_port "$LDAP_URL" 389)"
  is_local_host "$host" || { echo "LDAP at $LDAP_URL does not answer" >&2; return 1; }
  dir="$SERVICES_DIR/slapd"
  if [ ! -d "$dir/slapd.d" ] || [ "$(cat "$dir/config.stamp" 2>/dev/null)" != "$(ldap_config_stamp)" ]; then
    # First start, or the schema / config changed: rebuilt from scratch (the data is test data).
    aaf_log "building a project-owned slapd configuration in $dir"
    rm -rf "$dir"; mkdir -p "$dir/slapd.d" "$dir/data"
    ldap_write_config "$dir"
    slapadd -n0 -F "$dir/slapd.d" -l "$dir/config.ldif" >/dev/null
    slapadd -n1 -F "$dir/slapd.d" -l "$dir/base.ldif" >/dev/null
    ldap_config_stamp > "$dir/config.stamp"
  fi
  ldap_has_tls "$dir" && [ -s "$LDAP_TLS_CA_FILE" ] || ldap_apply_tls "$dir" "$LDAP_TLS_DIR"
  shost="$(url_host "$LDAPS_URL")"; sport="$(url_port "$LDAPS_URL" 636)"
  aaf_log "starting slapd on $host:$port (StartTLS) and ldaps://$shost:$sport"
  slapd -F "$dir/slapd.d" -h "ldap://$host:$port/ ldaps://$shost:$sport/"
  mark_started slapd "$dir"
  wait_for 10 ldap_reachable || { echo "slapd did not start (config in $dir)" >&2; return 1; }
  wait_for 10 ldaps_reachable || { echo "slapd does not answer on $LDAPS_URL" >&2; return 1; }
}

ldap_down() { stop_owned_daemon slapd slapd; }

ldap_status() {
  PATH="$PATH:/usr/sbin"
  local who="machine"; started_by_us slapd && who="project"
  if command -v ldapsearch >/dev/null 2>&1 && ldap_reachable; then
    echo "slapd     up    $LDAP_URL base=$LDAP_BASE_DN ($who)"
    if ldaps_reachable; then
      echo "slapd     up    $LDAPS_URL (CA $LDAP_TLS_CA_FILE)"
    else
      echo "slapd     no    $LDAPS_URL (an \`up\` adds it to a project-owned slapd)"
    fi
  else
    echo "slapd     down  $LDAP_URL"
  fi
}

# --- Samba AD DC --------------------------------------------------------------------------------
# A domain controller provisioned offline once into .cache/services/samba (realm $AD_REALM, no DNS,
# loopback only, RFC 2307 attributes) and run as one process (`samba -M single`). LDAPS on 636
# with the certificate Samba generates on its first start (clients skip verification). The
# Administrator password is generated at provisioning and kept in <dir>/admin-password (mode 600).
ad_realm_dn() { # AAF.TEST -> DC=aaf,DC=test
  local r; r="$(echo "$AD_REALM" | tr '[:upper:]' '[:lower:]')"
  echo "DC=${r//./,DC=}"
}
ad_defaults() {
  : "${AD_BASE_DN:=$(ad_realm_dn)}"
  : "${AD_BIND_DN:=CN=Administrator,CN=Users,$AD_BASE_DN}"
  export AD_BASE_DN AD_BIND_DN
}
ad_ldapsearch() { LDAPTLS_REQCERT=never ldapsearch -x -LLL -o nettimeout=3 -H "$AD_URL" "$@"; }
ad_answers() { # the rootDSE of whatever answers at AD_URL names our realm
  ad_ldapsearch -b "" -s base defaultNamingContext 2>/dev/null |
    grep -qi "^defaultNamingContext: $AD_BASE_DN\$"
}
ad_binds() {
  [ -n "${AD_BIND_PASSWORD:-}" ] &&
    ad_ldapsearch -D "$AD_BIND_DN" -w "$AD_BIND_PASSWORD" -b "$AD_BASE_DN" -s base dn >/dev/null 2>&1
}
ad_samba_dir_of() { # ad_samba_dir_of <pid>: its provisioning folder, from its open sam.ldb
  # (samba rewrites its command line, so the -s argument cannot be read back)
  local f
  f="$(ls -l "/proc/$1/fd" 2>/dev/null | grep -o '/[^ ]*/private/sam\.ldb$' | head -n 1)"
  [ -n "$f" ] && dirname "$(dirname "$f")"
}
ad_running_dir() { # the provisioning folder of a running samba (ours or another checkout's)
  local pid dir
  for pid in $(pgrep -x samba 2>/dev/null); do
    dir="$(ad_samba_dir_of "$pid")" && { echo "$dir"; return 0; }
  done
  return 1
}
ad_pid_of_dir() { # the samba process serving <dir>
  local pid
  for pid in $(pgrep -x samba 2>/dev/null); do
    [ "$(ad_samba_dir_of "$pid")" = "$1" ] && { echo "$pid"; return 0; }
  done
  return 1
}
ad_load_password() { # from our folder, else from the running samba's folder
  [ -n "${AD_BIND_PASSWORD:-}" ] && return 0
  local dir="$SERVICES_DIR/samba" other
  if [ -f "$dir/admin-password" ]; then AD_BIND_PASSWORD="$(cat "$dir/admin-password")"
  elif other="$(ad_running_dir)" && [ -f "$other/admin-password" ]; then
    AD_BIND_PASSWORD="$(cat "$other/admin-password")"
  fi
  export AD_BIND_PASSWORD
}
ad_generate_password() { # complex enough for the default AD policy (4 classes, >= 7 chars)
  printf 'Aa1-%s' "$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20)"
}

ad_up() {
  PATH="$PATH:/usr/sbin"
  ad_defaults
  if ! command -v samba >/dev/null 2>&1 || ! command -v samba-tool >/dev/null 2>&1 ||
    [ ! -d /usr/share/samba/setup ]; then
    apt_install samba-ad-dc samba-ad-provision ldap-utils
  fi
  ad_load_password
  if ad_answers; then
    if ! ad_binds; then
      # Another checkout's samba: its password sits next to its smb.conf.
      local other; other="$(ad_running_dir || true)"
      [ -n "$other" ] && [ -f "$other/admin-password" ] && AD_BIND_PASSWORD="$(cat "$other/admin-password")"
      ad_binds || { echo "a Samba AD for $AD_BASE_DN answers at $AD_URL but refuses our password" >&2; return 1; }
    fi
    started_by_us samba || aaf_log "Samba AD ($AD_REALM) answers at $AD_URL: using it"
    export AD_BIND_PASSWORD
    return 0
  fi
  local host dir domain
  host="$(url_host "$AD_URL")"
  is_local_host "$host" || { echo "Active Directory at $AD_URL does not answer" >&2; return 1; }
  dir="$SERVICES_DIR/samba"; domain="${AD_REALM%%.*}"
  if [ ! -f "$dir/etc/smb.conf" ]; then
    aaf_log "provisioning a project-owned Samba AD DC ($AD_REALM) in $dir"
    rm -rf "$dir"; mkdir -p "$dir"; chmod 700 "$dir"
    local pw; pw="${AD_BIND_PASSWORD:-$(ad_generate_password)}"
    samba-tool domain provision --realm="$AD_REALM" --domain="$domain" --server-role=dc \
      --dns-backend=NONE --use-rfc2307 --adminpass="$pw" --targetdir="$dir" --host-name=dc1 \
      --option="interfaces=lo" --option="bind interfaces only=yes" >"$dir/provision.log" 2>&1 ||
      { echo "Samba provisioning failed; see $dir/provision.log" >&2; return 1; }
    (umask 077; printf '%s' "$pw" > "$dir/admin-password")
    AD_BIND_PASSWORD="$pw"; export AD_BIND_PASSWORD
  fi
  aaf_log "starting Samba AD DC on $host (LDAPS $AD_URL)"
  mkdir -p "$dir/log"
  setsid samba -s "$dir/etc/smb.conf" -i -M single -l "$dir/log" </dev/null >"$dir/log/samba.out" 2>&1 &
  echo $! > "$dir/samba.pid"
  mark_started samba "$dir"
  # The first start generates the TLS key pair: allow for it.
  wait_for 120 ad_binds || { echo "Samba did not answer on $AD_URL; see $dir/log/samba.out" >&2; return 1; }
  # setsid may have forked: record the samba process itself.
  ad_pid_of_dir "$dir" > "$dir/samba.pid" || true
}

ad_down() { stop_owned_daemon samba "Samba AD DC"; }

ad_status() {
  PATH="$PATH:/usr/sbin"
  ad_defaults; ad_load_password
  local who="machine"; started_by_us samba && who="project"
  if command -v ldapsearch >/dev/null 2>&1 && ad_answers; then
    echo "samba-ad  up    $AD_URL base=$AD_BASE_DN ($who)"
  else
    echo "samba-ad  down  $AD_URL"
  fi
}

# --- settings -----------------------------------------------------------------------------------
print_exports() {
  local v
  for v in DATABASE_URL REDIS_URL LDAP_URL LDAPS_URL LDAP_TLS_CA_FILE LDAP_BASE_DN LDAP_BIND_DN \
    LDAP_BIND_PASSWORD; do
    printf 'export %s=%q\n' "$v" "${!v}"
  done
  ad_defaults; ad_load_password
  for v in AD_URL AD_BASE_DN AD_BIND_DN AD_BIND_PASSWORD; do
    [ -n "${!v:-}" ] && printf 'export %s=%q\n' "$v" "${!v}"
  done
  return 0
}

write_env_file() { print_exports > "$SERVICES_DIR/env"; }

print_settings() {
  echo "Local services are up. Settings (also in .cache/services/env):"
  echo "  DATABASE_URL=$DATABASE_URL"
  echo "  REDIS_URL=$REDIS_URL"
  echo "  LDAP_URL=$LDAP_URL (StartTLS)"
  echo "  LDAPS_URL=$LDAPS_URL"
  echo "  LDAP_TLS_CA_FILE=$LDAP_TLS_CA_FILE"
  echo "  LDAP_BASE_DN=$LDAP_BASE_DN"
  echo "  LDAP_BIND_DN=$LDAP_BIND_DN"
  echo "  LDAP_BIND_PASSWORD=(dev default; set LDAP_BIND_PASSWORD to change)"
  echo "  AD_URL=$AD_URL"
  echo "  AD_BASE_DN=$AD_BASE_DN"
  echo "  AD_BIND_DN=$AD_BIND_DN"
  echo "  AD_BIND_PASSWORD=(generated at provisioning; in .cache/services/env)"
}
