// What happens when SQLite's shared memory fails under the process.
//
// In WAL mode every connection maps DB-shm (the WAL index) into memory and reads it through plain
// pointers. Measured with SQLite 3.40 (Debian 12), two connections on one WAL file:
//   - -shm truncated to 0 bytes while mapped: the next statement dies of SIGBUS inside SQLite. No
//     SQLite call returns an error for it; cairn used to die without a word.
//   - -shm overwritten with random bytes (same size): SQLite sees the bad header checksum, rebuilds
//     the index from the WAL, and goes on; nothing is lost.
//   - -shm lock bytes held by another process: each statement fails after about 10 s with
//     SQLITE_PROTOCOL ("locking protocol"), a clean error (the request gets a 500).
// Alternatives for the SIGBUS case:
//   - PRAGMA locking_mode=EXCLUSIVE before WAL is first used keeps the WAL index in heap memory
//     (no -shm file at all), but a second connection then fails with "database is locked" after
//     its busy timeout: the store's reader pool (one writer and `read_connections` readers)
//     could not exist, and every GET would queue behind the writer's fsyncs.
//   - PRAGMA mmap_size=0 is SQLite's default already; it concerns the database file, not -shm.
//   - Recovering in a handler (siglongjmp out of SQLite) would leave SQLite's locks and caches in
//     an unknown state: not safe.
// So the fault stays fatal, but it is explained: a SIGBUS handler writes one line to stderr (the
// server log) naming the fault address and the file mapped there, then lets the signal end the
// process as before (killed by SIGBUS; a core dump per the system's settings). A restart
// recovers: the first connection rebuilds the WAL index from the WAL. With the data dir at 0700,
// only its owner (or root) can damage the file.
#pragma once

namespace cairn::meta::sqlite {

// Installs the SIGBUS reporter once per process (later calls do nothing), unless a handler for
// SIGBUS is installed already (a sanitizer's, an embedding program's): that one stays.
void ReportMappingFaults();

}  // namespace cairn::meta::sqlite
