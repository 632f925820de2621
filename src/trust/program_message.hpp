// The message a program document's Ed25519 signature signs
// (docs/sync-protocol.md §4.2): the same bytes whether the document came
// from the server's changes or sits in a file beside its .sig.
#pragma once

#include <string>

namespace loyalty::trust {

// The document behind its own label, so that a program signature can
// never pass for the signature of anything else the chain's keys sign.
std::string ProgramMessage(const std::string& document);

}  // namespace loyalty::trust
