// Secret keys live in files, never on the command line (where `ps` and
// shell history would show them): the terminal key beside the ledger, and
// the chain's card key that every till of the chain shares.
#pragma once

#include <string>

#include "loyalty/status.hpp"

namespace loyalty_demo {

// The bytes of the key file at `path`, read with ReadSecretFile (a file
// group or others can read is refused). kIoError names the path when it
// cannot be read; kInvalidArgument names `what` when it holds fewer than
// 32 bytes.
loyalty::Result<std::string> ReadKey(const std::string& path, const std::string& what);

// A key drawn now (32 random bytes) and written to a private temporary
// file beside `path`, put in place only by Keep(): a till that fails to
// open leaves no key file behind. Destroying it without Keep() removes the
// temporary file.
class NewKeyFile {
 public:
  // kIoError naming the path when there is no randomness or the folder is
  // not writable.
  static loyalty::Result<NewKeyFile> Draw(const std::string& path);
  NewKeyFile(NewKeyFile&& other) noexcept;
  NewKeyFile& operator=(NewKeyFile&&) = delete;
  NewKeyFile(const NewKeyFile&) = delete;
  ~NewKeyFile();

  const std::string& key() const { return key_; }
  // Links the file into place. Another process that put a key there first
  // wins: kInvalidArgument says the file appeared meanwhile.
  loyalty::Status Keep();

 private:
  NewKeyFile(std::string path, std::string temp, std::string key);
  std::string path_;
  std::string temp_;  // empty once kept or moved from
  std::string key_;
};

}  // namespace loyalty_demo
