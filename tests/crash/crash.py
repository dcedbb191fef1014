"""The crash harness: a mixed workload from several threads, kill -9 at a random moment, restart on
the same data dir, verify (verify.py), again. Prints one line per iteration and a summary; the
exit status is non-zero when any iteration found a loss.

  python3 crash.py --binary BUILD/cairn [--iterations N] [--seed S] [--workers W]
                   [--meta sqlite|postgres]

--meta postgres runs the gateway as it runs in a cluster (storage.py): metadata on a PostgreSQL
the harness starts (pg_service.py), blobs at CAIRN_TEST_BLOB_URL or a file:// directory; the kill
hits the gateway, never PostgreSQL, and the checks are the same.

An iteration's state carries over to the next (crash after crash on the same data) for
--fresh-every iterations, then a new data dir begins; after a failure too, keeping the failed one.
The seed fixes the workload, its bodies and the kill delays (not the thread interleaving):
`--seed S` runs the same iterations again.
"""
import argparse
import os
import random
import signal
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration", "py"))

import cairn_server  # noqa: E402  (after the path)
import model  # noqa: E402
import storage  # noqa: E402
import verify  # noqa: E402
import workload  # noqa: E402

BUCKET = "crash"
JOIN_TIMEOUT = 30  # a worker's op in flight fails at once when the server dies


class Round:
    """One data dir and the model of what it holds."""

    def __init__(self, binary, seed, workers, engine):
        self.storage = storage.ENGINES[engine](binary)
        self.server = self.storage.server
        self.server.start()
        cairn_server.client(self.server.target()).create_bucket(Bucket=BUCKET)
        self.hot = model.HotKeys(["hot/%d" % i for i in range(3)])
        self.workers = [workload.Worker(i, seed, self.hot) for i in range(workers)]

    def iteration(self, index, kill_after):
        """Runs the workload, kills the server `kill_after` seconds in, restarts it, verifies."""
        for w in self.workers:
            w.acked = 0
        clients = [cairn_server.client(self.server.target(), read_timeout=20)
                   for _ in self.workers]
        stop, killed = threading.Event(), threading.Event()
        threads = [threading.Thread(target=w.run, args=(c, BUCKET, index, stop, killed),
                                    daemon=True) for w, c in zip(self.workers, clients)]
        for t in threads:
            t.start()
        time.sleep(kill_after)
        died = not self.server.alive()
        killed.set()  # first: from now on a broken connection is the kill's doing
        stop.set()
        self.server.kill()
        for t in threads:
            t.join(JOIN_TIMEOUT)
        hung = sum(t.is_alive() for t in threads)
        self.server.start(port=cairn_server.free_port())
        v = verify.Verification(self.server, self.storage,
                                cairn_server.client(self.server.target()), BUCKET,
                                self.workers, self.hot, self.workers[0].seed)
        if died:
            v.fail("cairn died on its own before the kill:\n" + self.server.log_tail(3000))
        if hung:
            v.fail("%d worker(s) still busy %ds after the kill" % (hung, JOIN_TIMEOUT))
        for w in self.workers:
            for op, message in w.rejected:
                v.fail("%s answered before the kill: %s" % (op, message))
            w.rejected = []
        return v.run()

    def close(self, keep):
        return self.storage.close(keep)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--binary", required=True)
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--fresh-every", type=int, default=10)
    p.add_argument("--max-kill-delay", type=float, default=2.5)
    p.add_argument("--meta", choices=sorted(storage.ENGINES), default="sqlite")
    args = p.parse_args()
    # run.sh's timeout sends SIGTERM: exit through cairn_server's clean-up, which kills the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("crash harness: terminated"))
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    print("crash harness: %d iterations, seed %d, %d workers, metadata on %s, binary %s"
          % (args.iterations, seed, args.workers, args.meta, args.binary), flush=True)
    rng = random.Random(seed)
    totals = verify.Report()
    failed = []
    started = time.monotonic()
    rnd = None
    for i in range(1, args.iterations + 1):
        if rnd is None or (i - 1) % args.fresh_every == 0:
            if rnd is not None:
                rnd.close(keep=False)
            rnd = Round(args.binary, seed, args.workers, args.meta)
        kill_after = rng.uniform(0.2, args.max_kill_delay)
        t0 = time.monotonic()
        try:
            r = rnd.iteration(i, kill_after)
        except Exception as e:  # the harness itself broke (e.g. the restart failed): a failure
            r = verify.Report(failures=["iteration aborted: %r" % e])
        for f in ("acked", "keys", "uploads", "old", "new", "undetermined", "blobs", "swept",
                  "orphans"):
            setattr(totals, f, getattr(totals, f) + getattr(r, f))
        print("iter %d/%d: kill at %.2fs, %d acked ops, %d keys and %d uploads checked, "
              "in flight old/new/undetermined %d/%d/%d, %d blob files, %d swept at start, "
              "%d orphans, %s (%.1fs)"
              % (i, args.iterations, kill_after, r.acked, r.keys, r.uploads, r.old, r.new,
                 r.undetermined, r.blobs, r.swept, r.orphans,
                 "FAILED" if r.failures else "ok", time.monotonic() - t0), flush=True)
        if r.failures:
            for f in r.failures:
                print("  LOSS iter %d (seed %d): %s" % (i, seed, f), flush=True)
            kept = rnd.close(keep=True)
            print("  data dir and logs kept in %s" % kept, flush=True)
            failed.append(i)
            rnd = None
    if rnd is not None:
        rnd.close(keep=False)
    print("summary: %d iterations in %.0fs, seed %d: %d acked ops, %d keys and %d uploads "
          "checked, in flight old/new/undetermined %d/%d/%d, %d blobs swept at start, "
          "%d orphans, %d iterations with losses%s"
          % (args.iterations, time.monotonic() - started, seed, totals.acked, totals.keys,
             totals.uploads, totals.old, totals.new, totals.undetermined, totals.swept,
             totals.orphans, len(failed), (" (%s)" % ", ".join(map(str, failed))) if failed
             else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
