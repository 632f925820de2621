// How a program document is signed (docs/sync-protocol.md §4.2): the
// message its Ed25519 signature signs, the same bytes whether the document
// came from the server's changes or sits in a file, and where that file's
// signature sits.
#pragma once

#include <string>

namespace loyalty::trust {

// The document behind its own label, so that a program signature can
// never pass for the signature of anything else the chain's keys sign.
std::string ProgramMessage(const std::string& document);

// Where the signature of a program file sits: "<path>.sig", holding the
// base64 Ed25519 signature of ProgramMessage(document).
std::string SignatureFileFor(const std::string& path);

}  // namespace loyalty::trust
