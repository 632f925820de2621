// What a Sync may do with the Terminal it serves (terminal/chain.hpp).
#include "terminal/chain.hpp"

#include "terminal/program_file.hpp"
#include "terminal/terminal_impl.hpp"

namespace loyalty::terminal {

ChainLink::ChainLink(Terminal& terminal) : impl_(*terminal.impl_) {}

std::mutex& ChainLink::mutex() const { return impl_.mutex; }
ledger::Ledger& ChainLink::ledger() const { return *impl_.ledger; }
const std::string& ChainLink::terminal_id() const { return impl_.options.terminal_id; }
const std::string& ChainLink::terminal_key() const { return impl_.options.terminal_key; }
const std::string& ChainLink::database_path() const { return impl_.options.database_path; }
const Clock& ChainLink::clock() const { return *impl_.clock; }
const LogFn& ChainLink::log() const { return impl_.options.log; }

Chain* ChainLink::chain() const { return impl_.chain.get(); }
void ChainLink::InstallChain(std::unique_ptr<Chain> chain) {
  impl_.InstallChain(std::move(chain));
}

bool ChainLink::sync_attached() const { return impl_.sync_attached; }
void ChainLink::set_sync_attached(bool attached) { impl_.sync_attached = attached; }

std::string ChainLink::SealProgram(std::int64_t version, std::string_view document) const {
  return terminal::SealProgram(impl_.options.terminal_key, version, document);
}

Status ChainLink::LoadAcceptedProgram(const AcceptedProgram& accepted) {
  auto program = impl_.ReadAcceptedProgram(accepted);
  return program.ok() ? impl_.InstallProgram(std::move(*program), "accepted from the server")
                      : program.status();
}

}  // namespace loyalty::terminal
