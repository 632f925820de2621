// loyalty-server: the reference central server and its admin commands
// (docs/sync-protocol.md §8). Admin commands write to the same store a
// running server uses (a SQLite file or a PostgreSQL database, --db); tills
// see the change at their next pull.
#include <CLI/CLI.hpp>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "central_server.hpp"
#include "ledger/mac.hpp"
#include "loyalty/card.hpp"
#include "loyalty/env.hpp"
#include "open_store.hpp"
#include "sync/wire.hpp"
#include "trust/codec.hpp"
#include "trust/program_message.hpp"

namespace {

using loyalty::Status;
using loyalty::server::CentralStore;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Private keys: refused unless only the owner can read them (0600/0400).
std::string ReadSecret(const std::string& path) {
  auto secret = loyalty::ReadSecretFile(path);
  if (!secret.ok()) throw std::runtime_error(secret.status().message());
  return std::move(*secret);
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

constexpr const char* kDbHelp =
    "the store: sqlite:PATH (or a plain path) or postgresql://... (a libpq URI; "
    "&pool_size=N sets the connections this process keeps, default 8)";

int Fail(const Status& s) {
  std::cerr << "loyalty-server: " << s.ToString() << "\n";
  return 1;
}

std::unique_ptr<CentralStore> OpenStore(const std::string& db) {
  auto store = loyalty::server::OpenStore(db);
  if (!store.ok()) throw std::runtime_error(store.status().ToString());
  return std::move(*store);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The reference central server of libloyalty (docs/sync-protocol.md)"};
  app.require_subcommand(1);
  std::string db;

  auto* serve = app.add_subcommand("serve", "serve tills over HTTPS until SIGINT/SIGTERM");
  std::string cert, key, client_ca, receipt_key, listen = "127.0.0.1", port_file;
  int port = 8443;
  serve->add_option("--db", db, kDbHelp)->required();
  serve->add_option("--cert", cert, "TLS certificate chain (PEM)")->required()->check(CLI::ExistingFile);
  serve->add_option("--key", key, "TLS private key (PEM)")->required()->check(CLI::ExistingFile);
  serve->add_option("--client-ca", client_ca, "require client certificates from this CA")
      ->check(CLI::ExistingFile);
  serve->add_option("--receipt-key", receipt_key, "Ed25519 private key for receipts (PEM)")
      ->required()->check(CLI::ExistingFile);
  serve->add_option("--listen", listen, "address to listen on");
  serve->add_option("--port", port, "port; 0 picks a free one")->check(CLI::Range(0, 65535));
  serve->add_option("--port-file", port_file, "write the port here once listening");

  auto* add_terminal = app.add_subcommand("add-terminal", "register a till and its key");
  std::string terminal_id, key_file;
  add_terminal->add_option("--db", db, kDbHelp)->required();
  add_terminal->add_option("--id", terminal_id, "terminal id")->required();
  add_terminal->add_option("--key-file", key_file, "the terminal key (>= 32 bytes)")
      ->required()->check(CLI::ExistingFile);

  auto* add_program = app.add_subcommand("add-program", "publish a program version, signed");
  std::string program_file, signing_key;
  add_program->add_option("--db", db, kDbHelp)->required();
  add_program->add_option("--file", program_file, "program document (JSON)")
      ->required()->check(CLI::ExistingFile);
  add_program->add_option("--signing-key", signing_key, "the chain's Ed25519 program key (PEM)")
      ->required()->check(CLI::ExistingFile);

  auto* sign_program = app.add_subcommand(
      "sign-program", "write <file>.sig, for tills that pin the program key");
  sign_program->add_option("--file", program_file, "program document (JSON)")
      ->required()->check(CLI::ExistingFile);
  sign_program->add_option("--signing-key", signing_key, "the chain's Ed25519 program key (PEM)")
      ->required()->check(CLI::ExistingFile);

  auto* block = app.add_subcommand("block-card", "put a card on the hotlist (or clear it)");
  std::string card, card_key_file, card_hash, state = "blocked";
  block->add_option("--db", db, kDbHelp)->required();
  auto* card_opt = block->add_option("--card", card, "the card number");
  block->add_option("--card-key-file", card_key_file, "the chain's card key")
      ->check(CLI::ExistingFile);
  auto* hash_opt = block->add_option("--card-hash", card_hash, "or the card's hash (hex)");
  card_opt->excludes(hash_opt);
  block->add_option("--state", state, "blocked, lost or cleared")
      ->check(CLI::IsMember({"blocked", "lost", "cleared"}));

  auto* policy = app.add_subcommand("set-policy", "offline limits the tills enforce");
  std::optional<std::int64_t> offline_after, redeem_cap;
  policy->add_option("--db", db, kDbHelp)->required();
  policy->add_option("--offline-after-ms", offline_after, "offline after this long unsynced");
  policy->add_option("--redeem-cap", redeem_cap, "points per card per day while offline");

  auto* balance = app.add_subcommand("balance", "an account's authoritative balance");
  std::string account;
  balance->add_option("--db", db, kDbHelp)->required();
  balance->add_option("--account", account)->required();

  auto* keygen = app.add_subcommand("keygen", "make an Ed25519 key pair (receipt or program key)");
  std::string private_file, public_file;
  keygen->add_option("--private", private_file)->required();
  keygen->add_option("--public", public_file)->required();

  CLI11_PARSE(app, argc, argv);
  try {
    if (*serve) {
      loyalty::server::ServerOptions o;
      o.db_path = db;
      o.cert_pem = ReadFile(cert);
      o.key_pem = ReadSecret(key);
      if (!client_ca.empty()) o.client_ca_pem = ReadFile(client_ca);
      o.receipt_key_pem = ReadSecret(receipt_key);
      o.listen = listen;
      o.port = port;
      // Signals are taken by sigwait below, not by a handler.
      sigset_t stop_signals;
      sigemptyset(&stop_signals);
      sigaddset(&stop_signals, SIGINT);
      sigaddset(&stop_signals, SIGTERM);
      pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
      signal(SIGPIPE, SIG_IGN);
      auto server = loyalty::server::CentralServer::Start(o);
      if (!server.ok()) return Fail(server.status());
      std::cout << "loyalty-server: listening on https://" << listen << ":" << (*server)->port()
                << std::endl;
      if (!port_file.empty()) WriteFile(port_file, std::to_string((*server)->port()) + "\n");
      int sig = 0;
      sigwait(&stop_signals, &sig);
      (*server)->Stop();
      return 0;
    }
    if (*add_terminal) {
      const std::string k = ReadSecret(key_file);
      if (k.size() < 32) {
        return Fail(Status(loyalty::StatusCode::kInvalidArgument,
                           "--key-file: the key has " + std::to_string(k.size()) +
                               " bytes, at least 32 are needed"));
      }
      if (Status s = OpenStore(db)->AddTerminal(terminal_id, k); !s.ok()) return Fail(s);
      std::cout << "terminal " << terminal_id << " added\n";
      return 0;
    }
    if (*add_program) {
      const std::string document = ReadFile(program_file);
      auto parsed = nlohmann::json::parse(document, nullptr, false);
      if (parsed.is_discarded() || !parsed.contains("version") ||
          !parsed["version"].is_number_integer()) {
        return Fail(Status(loyalty::StatusCode::kProgramInvalid,
                           program_file + ": not a program document with an integer version"));
      }
      const std::int64_t version = parsed["version"].get<std::int64_t>();
      auto signature =
          loyalty::server::SignEd25519(ReadSecret(signing_key), loyalty::trust::ProgramMessage(document));
      if (!signature.ok()) return Fail(signature.status());
      if (Status s = OpenStore(db)->AddProgram(version, document, *signature); !s.ok()) {
        return Fail(s);
      }
      std::cout << "program version " << version << " published\n";
      return 0;
    }
    if (*sign_program) {
      const std::string document = ReadFile(program_file);
      auto signature = loyalty::server::SignEd25519(ReadSecret(signing_key),
                                                    loyalty::trust::ProgramMessage(document));
      if (!signature.ok()) return Fail(signature.status());
      const std::string sig_file = program_file + ".sig";
      std::ofstream out(sig_file, std::ios::binary | std::ios::trunc);
      out << loyalty::trust::ToBase64(*signature) << "\n";
      if (!out.flush()) {
        return Fail(loyalty::Status(loyalty::StatusCode::kIoError, "cannot write " + sig_file));
      }
      std::cout << sig_file << " written\n";
      return 0;
    }
    if (*block) {
      std::string hash;
      if (!card.empty()) {
        if (card_key_file.empty()) {
          return Fail(Status(loyalty::StatusCode::kInvalidArgument,
                             "--card needs --card-key-file (the chain's card key)"));
        }
        auto id = loyalty::CardId::Parse(card);
        if (!id.ok()) return Fail(id.status());
        hash = loyalty::ledger::Mac(ReadSecret(card_key_file)).Compute("loyalty-card-v1:" + id->value());
      } else {
        auto raw = loyalty::trust::FromHex(card_hash);
        if (!raw || raw->size() != 32) {
          return Fail(Status(loyalty::StatusCode::kInvalidArgument,
                             "--card-hash: not 64 hex characters"));
        }
        hash = *raw;
      }
      if (Status s = OpenStore(db)->SetHotlist(hash, state); !s.ok()) return Fail(s);
      std::cout << "card " << loyalty::trust::ToHex(hash).substr(0, 12) << "… is " << state << "\n";
      return 0;
    }
    if (*policy) {
      if (Status s = OpenStore(db)->SetPolicy(offline_after, redeem_cap); !s.ok()) return Fail(s);
      std::cout << "policy set\n";
      return 0;
    }
    if (*balance) {
      auto b = OpenStore(db)->Balance(account);
      if (!b.ok()) return Fail(b.status());
      if (!*b) {
        return Fail(Status(loyalty::StatusCode::kNotFound, "account " + account + ": not known"));
      }
      std::cout << (*b)->account_id << " " << (*b)->name << ": " << (*b)->points << " points\n";
      return 0;
    }
    if (*keygen) {
      auto pair = loyalty::server::NewEd25519KeyPair();
      if (!pair.ok()) return Fail(pair.status());
      WriteFile(private_file, pair->first);
      std::filesystem::permissions(private_file, std::filesystem::perms::owner_read |
                                                     std::filesystem::perms::owner_write,
                                   std::filesystem::perm_options::replace);
      WriteFile(public_file, pair->second);
      std::cout << "wrote " << private_file << " and " << public_file << "\n";
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "loyalty-server: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
