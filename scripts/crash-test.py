#!/usr/bin/env python3
"""Crash test: acknowledged writes survive SIGKILL of the server.

Starts the release server on a fresh database (SQLite in a temporary data folder, or a new
PostgreSQL database), puts it under a load of draft saves (each with its own client id, retried
with the same id when the answer is lost) and of whole approval chains (submit, three parafs,
the signature with the demo TTE passphrase), and kills it with SIGKILL at random moments. After
every restart it checks, in the database, that every write the server acknowledged is there,
that no save was stored twice, and that the letter numbers of each OPD and year run 1..n without
a gap or a repeat; at the end `eoffice audit verify` must find the audit chain intact.

    python3 scripts/crash-test.py --db sqlite|postgres [--kills 20] [--port 3250] [--seed N]

Needs $EOFFICE_BIN (scripts/env.sh), and for PostgreSQL the server scripts/ensure-postgres.sh
starts ($EOFFICE_TEST_PG, default postgres://postgres@127.0.0.1:5432/postgres) with psql.
Prints the figures and exits 1 when anything acknowledged was lost.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

DEMO_PASSWORD = "eoffice2026"
DEMO_TTE = "tte-demo-2026"
USERS = {
    "staf": "putri.ayu@bojonegorokab.go.id",
    "kasi": "eko.saputro@bojonegorokab.go.id",
    "kabid": "teguh.wibowo@bojonegorokab.go.id",
    "sekdin": "ratna.kusumawati@bojonegorokab.go.id",
    "kadis": "bambang.sutrisno@bojonegorokab.go.id",
}


class Down(Exception):
    """The server did not answer (killed, restarting): the outcome of the request is unknown."""


class Refused(Exception):
    def __init__(self, status, body):
        super().__init__(f"{status}: {body[:300]}")
        self.status = status


class Server:
    def __init__(self, args, data, url, port=None):
        self.args, self.data, self.url = args, data, url
        self.port = port or args.port
        self.proc = None
        self.log = open(os.path.join(data, f"server-{self.port}.log"), "ab")
        self.up = threading.Event()

    def start(self):
        # The demo is created by the first start only; a restart is a plain `serve`, as in production.
        cmd = [os.environ["EOFFICE_BIN"], "serve", "--addr", f"127.0.0.1:{self.port}", "--data", self.data]
        if not os.path.exists(os.path.join(self.data, "pki-master.key")):
            cmd.append("--demo")
        if self.url:
            cmd += ["--database-url", self.url]
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=self.log)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"the server exited at start ({self.proc.returncode}); see {self.log.name}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    self.up.set()
                    return
            except OSError:
                pass
            time.sleep(0.1)
        sys.exit("the server did not become ready within 120 s")

    def kill(self):
        self.up.clear()
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.up.clear()
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Cluster:
    """Several copies on one PostgreSQL database behind nginx (on --port); a kill takes down one
    copy at a time while the others go on serving through the proxy."""

    def __init__(self, args, data, url, rnd):
        self.args, self.data, self.rnd = args, data, rnd
        self.copies = [Server(args, data, url, args.port + 1 + i) for i in range(args.copies)]
        self.up = threading.Event()
        self.victim = None
        self.nginx = None
        self.restarts = 0

    def start(self):
        if self.victim is None:
            # The first start seeds the demo: one copy first, then the others.
            for c in self.copies:
                c.start()
            self.start_nginx()
        else:
            self.victim.start()
            self.restarts += 1
        self.up.set()

    def start_nginx(self):
        d = os.path.join(self.data, "nginx")
        os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
        servers = "".join(f"server 127.0.0.1:{c.port} max_fails=0;" for c in self.copies)
        conf = f"""worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {d}/tmp/body; proxy_temp_path {d}/tmp/proxy;
  fastcgi_temp_path {d}/tmp/fcgi; uwsgi_temp_path {d}/tmp/uwsgi; scgi_temp_path {d}/tmp/scgi;
  upstream eoffice {{ {servers} }}
  server {{
    listen 127.0.0.1:{self.args.port};
    client_max_body_size 30m;
    location / {{
      proxy_pass http://eoffice;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_connect_timeout 2s;
      proxy_next_upstream error timeout;
    }}
  }}
}}
"""
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write(conf)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = subprocess.Popen([nginx, "-p", d, "-c", os.path.join(d, "nginx.conf"), "-g", "daemon off;"])
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.args.port, timeout=2)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        sys.exit("nginx did not answer")

    def kill(self):
        # The service stays up: the other copies answer through the proxy.
        self.victim = self.rnd.choice(self.copies)
        self.victim.kill()

    def stop(self):
        for c in self.copies:
            if c.proc and c.proc.poll() is None:
                c.stop()
        if self.nginx:
            self.nginx.terminate()
            self.nginx.wait()

    @property
    def proc(self):
        return self.copies[0].proc

    def kill_all(self):
        for c in self.copies:
            if c.proc and c.proc.poll() is None:
                c.proc.kill()
        if self.nginx and self.nginx.poll() is None:
            self.nginx.kill()


class Client:
    """One signed-in user; calls server functions like the browser does."""

    def __init__(self, port, email):
        self.port, self.cookie = port, ""
        body = urllib.parse.urlencode({"identifier": email, "password": DEMO_PASSWORD})
        self.call("login", body, form=True, login=True)

    def call(self, fn, body, form=True, login=False):
        headers = {"Content-Type": "application/x-www-form-urlencoded" if form else "application/json",
                   "Accept": "application/json"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            c.request("POST", f"/api/{fn}", body=body, headers=headers)
            r = c.getresponse()
            data = r.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as e:
            raise Down(str(e))
        if r.status in (502, 503, 504):
            # The proxy lost the copy that had the request: the outcome is unknown.
            raise Down(f"{r.status} from the proxy")
        if r.status != 200:
            raise Refused(r.status, data)
        if login:
            for k, v in r.getheaders():
                if k.lower() == "set-cookie" and v.startswith("eoffice_sesi="):
                    self.cookie = v.split(";")[0]
        return json.loads(data) if data else None


class Db:
    """Read-only questions to the database the server uses."""

    def __init__(self, data, url):
        self.path, self.url = os.path.join(data, "eoffice.db"), url

    def rows(self, sql):
        if self.url:
            out = subprocess.run(["psql", self.url, "-AtqX", "-F", "\t", "-c", sql],
                                 check=True, capture_output=True, text=True).stdout
            return [tuple(line.split("\t")) for line in out.splitlines() if line]
        con = sqlite3.connect(self.path, timeout=30)
        try:
            return [tuple("" if v is None else str(v) for v in r) for r in con.execute(sql)]
        finally:
            con.close()


class Load:
    def __init__(self, server, db, port, rnd):
        self.server, self.db, self.port, self.rnd = server, db, port, rnd
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acked_saves = []     # client ids the server acknowledged
        self.acked_actions = []   # (letter id, action, actor position)
        self.acked_signs = []     # letter ids
        self.lost_answers = 0     # requests whose answer the kill took (then retried or re-read)
        self.errors = []
        self.clients = {}
        self.bappeda = None

    def retry(self, f):
        """Runs f until the server answers; a refusal is returned to the caller as an exception."""
        while True:
            try:
                return f()
            except Down:
                with self.lock:
                    self.lost_answers += 1
                self.server.up.wait()
                time.sleep(0.05)

    def draft(self, subject):
        return {"kind": "surat_dinas", "klasifikasi": "000.1.3", "sifat": "biasa", "urgency": "biasa",
                "subject": subject, "attachment_count": 0, "signer_position_id": None,
                "co_signer_position_id": None,
                "recipients": [{"role": "to", "target_type": "opd", "target_id": self.bappeda,
                                "name": "Kepala Bappeda", "address": ""}],
                "body": {"blocks": [{"t": "Paragraph", "c": [{"text": f"Isi {subject} {uuid.uuid4()}"}]}]},
                "reply_to_incoming_id": None}

    def save(self, client, letter_id, base, subject):
        cid = f"crash-{uuid.uuid4()}"
        body = json.dumps({"id": letter_id, "client_id": cid, "base_version": base,
                           "draft": self.draft(subject)})
        res = self.retry(lambda: client.call("save_letter", body, form=False))
        with self.lock:
            self.acked_saves.append(cid)
        return res["id"], res["version"]

    def saver(self, w):
        staf = self.clients["staf"]
        n = 0
        while not self.stop.is_set():
            subject = f"Uji crash penyimpan {w}-{n}"
            lid, version = self.save(staf, "", 0, subject)
            for _ in range(3):
                if self.stop.is_set():
                    break
                lid, version = self.save(staf, lid, version, subject)
            n += 1

    def state(self, lid):
        rows = self.db.rows(f"SELECT state, COALESCE(waiting_position_id, ''), version FROM letter WHERE id = '{lid}'")
        return rows[0]

    def chain(self, w):
        staf = self.clients["staf"]
        n = 0
        while not self.stop.is_set():
            lid, _ = self.save(staf, "", 0, f"Uji crash berantai {w}-{n}")
            n += 1
            while True:
                self.server.up.wait()
                try:
                    state, waiting, version = self.state(lid)
                except subprocess.CalledProcessError:
                    time.sleep(0.1)
                    continue
                if state == "signed":
                    break
                if state == "draft":
                    who, fn, form = "staf", "letter_action", {"id": lid, "version": version, "action": "submit", "note": ""}
                elif state == "signing":
                    who, fn, form = "kadis", "sign_letter", {"id": lid, "version": version, "passphrase": DEMO_TTE, "tampilan": "visible"}
                elif state == "review":
                    who = next((k for k, c in self.clients.items() if waiting in c.positions), None)
                    if who is None:
                        self.errors.append(f"{lid}: nobody of the test holds position {waiting}")
                        return
                    fn, form = "letter_action", {"id": lid, "version": version, "action": "paraf", "note": ""}
                else:
                    self.errors.append(f"{lid}: unexpected state {state}")
                    return
                try:
                    self.clients[who].call(fn, urllib.parse.urlencode(form))
                except Down:
                    with self.lock:
                        self.lost_answers += 1
                    continue  # the state, re-read after the restart, says whether it happened
                except Refused as e:
                    self.errors.append(f"{lid} {form['action'] if 'action' in form else 'sign'} refused: {e}")
                    return
                with self.lock:
                    if fn == "sign_letter":
                        self.acked_signs.append(lid)
                    else:
                        self.acked_actions.append((lid, form["action"], who))

    def check(self):
        """Every acknowledged write is in the database; nothing twice; numbers without gaps."""
        with self.lock:
            saves, actions, signs = list(self.acked_saves), list(self.acked_actions), list(self.acked_signs)
        lost = []
        found = {r[0] for r in self.db.rows("SELECT client_id FROM letter_version WHERE client_id LIKE 'crash-%'")}
        lost += [f"save {c}" for c in saves if c not in found]
        dup = self.db.rows("SELECT subject, COUNT(*) FROM letter WHERE subject LIKE 'Uji crash%' GROUP BY subject HAVING COUNT(*) > 1")
        lost += [f"letter created twice: {s} ({n})" for s, n in dup]
        # Submits and parafs: one row per acknowledged action (by letter, action and actor).
        done = {(l, a, who) for l, a, who in self.db.rows(
            "SELECT letter_id, action, actor_id FROM letter_action WHERE action IN ('submit', 'paraf')")}
        by_id = {c.employee_id: role for role, c in self.clients.items()}
        done = {(l, a, by_id.get(who)) for l, a, who in done}
        lost += [f"{a} of {l} by {who}" for l, a, who in actions if (l, a, who) not in done]
        # Signatures: signed, numbered, one final document, delivered once to the addressed OPD.
        signed = {}
        for lid, state, number, docs, delivered in self.db.rows(
                "SELECT l.id, l.state, COALESCE(l.number, ''), "
                "(SELECT COUNT(*) FROM letter_document d WHERE d.letter_id = l.id), "
                "(SELECT COUNT(*) FROM incoming_letter i WHERE i.outgoing_letter_id = l.id) "
                "FROM letter l WHERE l.subject LIKE 'Uji crash berantai%'"):
            signed[lid] = (state, number, docs, delivered)
        for lid in signs:
            st = signed.get(lid)
            if not st or st[0] != "signed" or not st[1] or st[2] != "1" or st[3] != "1":
                lost.append(f"signature of {lid}: {st}")
        seqs = {}
        for opd, year, seq in self.db.rows(
                "SELECT opd_id, number_year, number_seq FROM letter WHERE number_seq IS NOT NULL "
                "UNION ALL SELECT opd_id, number_year, number_seq FROM number_reservation"):
            seqs.setdefault((opd, year), []).append(int(seq))
        for key, s in seqs.items():
            s.sort()
            if s != list(range(1, len(s) + 1)):
                lost.append(f"numbers of {key} not 1..{len(s)} without gaps or repeats: {s[-10:]}")
        return lost, len(saves), len(actions), len(signs), sum(len(s) for s in seqs.values())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--kills", type=int, default=20)
    p.add_argument("--port", type=int, default=3250)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--savers", type=int, default=3)
    p.add_argument("--chains", type=int, default=2)
    p.add_argument("--bench", type=int, default=0,
                   help="measure this many seconds of load before the kills (use with --kills 0)")
    p.add_argument("--copies", type=int, default=1,
                   help="copies of the server behind nginx on --port (PostgreSQL only)")
    args = p.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rnd = random.Random(seed)
    data = tempfile.mkdtemp(prefix="eoffice-crash-")
    url, pg_name = None, None
    admin = os.environ.get("EOFFICE_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
    if args.db == "postgres":
        pg_name = f"eoffice_crash_{uuid.uuid4().hex[:12]}"
        subprocess.run(["psql", admin, "-qX", "-c", f"CREATE DATABASE {pg_name}"], check=True)
        url = admin.rsplit("/", 1)[0] + "/" + pg_name
    if args.copies > 1 and not url:
        sys.exit("several copies need PostgreSQL (--db postgres)")
    server = Cluster(args, data, url, rnd) if args.copies > 1 else Server(args, data, url)
    db = Db(data, url)
    ok = False
    try:
        server.start()
        load = Load(server, db, args.port, rnd)
        for role, email in USERS.items():
            c = Client(args.port, email)
            me = c.call("current_user", "")
            c.positions = {p["position_id"] for p in me["positions"]}
            c.employee_id = me["employee_id"]
            load.clients[role] = c
        load.bappeda = next(o["id"] for o in load.clients["staf"].call("list_opds", "") if o["short_name"] == "Bappeda")
        workers = [threading.Thread(target=load.saver, args=(i,), daemon=True) for i in range(args.savers)]
        workers += [threading.Thread(target=load.chain, args=(i,), daemon=True) for i in range(args.chains)]
        for t in workers:
            t.start()
        problems = []
        if args.bench:
            # Throughput without kills (e.g. to compare EOFFICE_SQLITE_SYNCHRONOUS=NORMAL and FULL).
            time.sleep(args.bench)
            _, saves, actions, signs, _ = load.check()
            print(f"bench ({args.db}, {args.bench} s): {saves / args.bench:.0f} saves/s, "
                  f"{actions / args.bench:.1f} submits and parafs/s, {signs / args.bench:.1f} signatures/s")
        for k in range(1, args.kills + 1):
            time.sleep(rnd.uniform(0.4, 1.6))
            server.kill()
            server.start()
            lost = load.check()[0]
            if lost:
                problems.append(f"after kill {k}: " + "; ".join(lost[:5]))
                break
        load.stop.set()
        for t in workers:
            t.join(timeout=60)
        lost, saves, actions, signs, numbers = load.check()
        problems += lost
        problems += load.errors
        server.stop()
        audit = subprocess.run([os.environ["EOFFICE_BIN"], "audit", "verify", "--data", data]
                               + (["--database-url", url] if url else []), capture_output=True, text=True)
        if audit.returncode != 0:
            problems.append("audit: " + audit.stdout + audit.stderr)
        acked = saves + actions + signs
        where = f"{args.db}, {args.copies} copies behind nginx" if args.copies > 1 else args.db
        print(f"crash test ({where}, seed {seed}): {args.kills} SIGKILLs; {acked} acknowledged writes "
              f"({saves} saves, {actions} submits and parafs, {signs} signatures), "
              f"{load.lost_answers} answers lost to a kill and retried; {numbers} letter numbers; "
              f"lost {len(problems)}; {audit.stdout.strip()}")
        for pr in problems[:20]:
            print("  PROBLEM:", pr)
        ok = not problems and signs > 0 and saves > 0
    finally:
        if isinstance(server, Cluster):
            server.kill_all()
        elif server.proc and server.proc.poll() is None:
            server.proc.kill()
        if pg_name and os.environ.get("EOFFICE_CRASH_KEEP") != "1":
            subprocess.run(["psql", admin, "-qX", "-c", f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)"])
        if ok:
            shutil.rmtree(data, ignore_errors=True)
        else:
            print(f"  data and server log kept in {data}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
