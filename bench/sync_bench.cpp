// Sync throughput and memory (issue 5): a till with a backlog of N entries
// (a month offline is about 200,000) uploads it to the reference server over
// TLS on 127.0.0.1. The server runs in a child process, so the memory
// figures are the till's own: RSS before the upload, and its peak during it,
// sampled after every acknowledged batch.
#include <benchmark/benchmark.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "bench_support.hpp"
#include "central_server.hpp"
#include "loyalty/sync.hpp"
#include "support/test_pki.hpp"

namespace loyalty::bench {
namespace {

// Resident memory of this process, in KiB (/proc/self/status VmRSS).
long RssKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

struct Pki {
  testing::TestCa ca;
  testing::KeyAndCert server = ca.Server();
  std::pair<std::string, std::string> receipt =
      Must(server::NewEd25519KeyPair(), "receipt key");
};

Pki& Keys() {
  static Pki pki;
  return pki;
}

// Starts the reference server in a child process; returns its port.
int StartServerProcess(const std::string& db, pid_t& child) {
  Keys();  // made before the fork: parent and child must share the CA
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) Die("pipe", Status(StatusCode::kIoError, "pipe"));
  child = fork();
  if (child == 0) {
    close(pipe_fds[0]);
    server::ServerOptions o;
    o.db_path = db;
    o.cert_pem = Keys().server.cert_pem;
    o.key_pem = Keys().server.key_pem;
    o.receipt_key_pem = Keys().receipt.first;
    auto started = server::CentralServer::Start(o);
    if (!started.ok()) _exit(2);
    if (!(*started)->store().AddTerminal("bench-till-1", std::string(kBenchKey)).ok()) _exit(3);
    const int port = (*started)->port();
    if (write(pipe_fds[1], &port, sizeof port) != sizeof port) _exit(4);
    pause();  // until the parent kills it
    _exit(0);
  }
  close(pipe_fds[1]);
  int port = 0;
  if (read(pipe_fds[0], &port, sizeof port) != sizeof port) {
    Die("server", Status(StatusCode::kInternal, "the server process did not start"));
  }
  close(pipe_fds[0]);
  return port;
}

void BM_UploadBacklog(benchmark::State& state) {
  const std::int64_t accounts = 1000;
  const std::int64_t backlog = state.range(0);
  for (auto _ : state) {
    state.PauseTiming();
    ScratchDir dir;
    const std::string ledger = dir.File("till.db");
    PopulateLedger(ledger, BenchProgramPath(), accounts, backlog / accounts - 1);
    pid_t child = 0;
    const int port = StartServerProcess(dir.File("central.db"), child);
    BenchClock clock;
    auto terminal = Must(Terminal::Open(BenchOptions(ledger, BenchProgramPath(), &clock, nullptr,
                                                     /*durable=*/true)),
                         "open till");
    SystemClock wall;
    SyncOptions o;
    o.server_url = "https://127.0.0.1:" + std::to_string(port);
    o.ca_pem = Keys().ca.cert_pem();
    o.receipt_public_key_pem = Keys().receipt.second;
    o.clock = &wall;
    auto sync = Must(Sync::Create(*terminal, o), "sync");
    const long rss_before = RssKiB();
    long rss_peak = rss_before;
    std::int64_t batches = 0;
    sync->SetProgress([&](std::int64_t, std::int64_t) {
      rss_peak = std::max(rss_peak, RssKiB());
      ++batches;
    });
    state.ResumeTiming();
    const auto started = std::chrono::steady_clock::now();
    if (Status s = sync->SyncNow(); !s.ok()) Die("upload", s);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    state.PauseTiming();
    const SyncStatus st = sync->status();
    if (st.backlog != 0) Die("upload", Status(StatusCode::kInternal, "backlog left"));
    state.counters["entries"] = static_cast<double>(st.acked_seq);
    state.counters["entries_per_s"] = static_cast<double>(st.acked_seq) / seconds;
    state.counters["batches"] = static_cast<double>(batches);
    state.counters["rss_before_MiB"] = static_cast<double>(rss_before) / 1024.0;
    state.counters["rss_growth_MiB"] = static_cast<double>(rss_peak - rss_before) / 1024.0;
    sync.reset();
    terminal.reset();
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
    state.ResumeTiming();
  }
}

BENCHMARK(BM_UploadBacklog)
    ->Arg(20'000)
    ->Arg(200'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace loyalty::bench

BENCHMARK_MAIN();
