#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "commands/command.hpp"
#include "output.hpp"
#include "result_json.hpp"

namespace loyalty_demo {

namespace {

loyalty::Result<std::string> ReadText(const std::string& path, const char* option) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return loyalty::Status(loyalty::StatusCode::kIoError,
                                  std::string(option) + ": cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct SyncSettings {
  std::string server;
  std::string ca_file;
  std::string pin;
  std::string receipt_key;
  std::string program_key;
};

}  // namespace

// One sync round with the central server (examples/server): push every
// entry not yet acknowledged, pull what changed elsewhere, print where sync
// stands (with --json: a "sync_status" line, then a "sync_exceptions" line,
// then an "error" line if the round failed).
Command AddSyncCommand(CLI::App& parent, const TillSettings& till) {
  CLI::App* app = parent.add_subcommand(
      "sync", "Send this till's ledger to the central server and fetch what changed");
  auto s = std::make_shared<SyncSettings>();
  app->add_option("--server", s->server, "https://host:port of the central server")->required();
  app->add_option("--ca", s->ca_file, "CA certificates that sign the server's (PEM)")
      ->check(CLI::ExistingFile);
  app->add_option("--pin", s->pin, "sha256//<base64> pin of the server's public key");
  app->add_option("--receipt-key", s->receipt_key, "the server's receipt public key (PEM)")
      ->check(CLI::ExistingFile);
  app->add_option("--program-key", s->program_key, "the chain's program public key (PEM)")
      ->check(CLI::ExistingFile);
  return {app, [&till, s]() -> loyalty::Status {
            loyalty::SyncOptions o;
            o.server_url = s->server;
            o.ca_file = s->ca_file;
            o.pinned_public_key = s->pin;
            if (!s->receipt_key.empty()) {
              auto pem = ReadText(s->receipt_key, "--receipt-key");
              if (!pem.ok()) return pem.status();
              o.receipt_public_key_pem = *pem;
            }
            if (!s->program_key.empty()) {
              auto pem = ReadText(s->program_key, "--program-key");
              if (!pem.ok()) return pem.status();
              o.program_public_key_pem = *pem;
            }
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            auto sync = loyalty::Sync::Create(*opened->terminal, o);
            if (!sync.ok()) return sync.status();
            loyalty::Status round = (*sync)->SyncNow();
            const loyalty::SyncStatus st = (*sync)->status();
            auto flagged = (*sync)->Exceptions();
            if (!flagged.ok()) return flagged.status();
            Show(till, SyncStatusJson(st), [&](std::ostream& out) {
              out << "entries in the ledger:   " << st.head_seq << "\n"
                  << "held by the server up to: " << st.acked_seq << "\n"
                  << "still to send:            " << st.backlog << "\n"
                  << "flagged by the server:    " << st.exceptions << "\n";
              if (st.program_version > 0) {
                out << "program from the server:  version " << st.program_version << "\n";
              }
            });
            Show(till, SyncExceptionsJson(*flagged), [&](std::ostream& out) {
              for (const loyalty::SyncException& e : *flagged) {
                out << "  entry " << e.seq << ": " << e.status << " (" << e.reason << ")\n";
              }
            });
            return round;
          }};
}

}  // namespace loyalty_demo
