#include <iostream>
#include <memory>

#include "commands/command.hpp"
#include "key_file.hpp"
#include "output.hpp"
#include "result_json.hpp"

namespace loyalty_demo {

// A new secret key file: the chain's card key, made once and copied to
// every till (--card-key-file), or a terminal key made ahead of time.
Command AddKeygenCommand(CLI::App& parent, const TillSettings& till) {
  auto path = std::make_shared<std::string>();
  CLI::App* app = parent.add_subcommand(
      "keygen", "Write a new key file (32 random bytes, mode 0600), e.g. the chain's card key");
  app->add_option("file", *path, "Where; an existing file is never overwritten")->required();
  return {app, [path, &till]() -> loyalty::Status {
            auto key = NewKeyFile::Draw(*path);
            if (!key.ok()) return key.status();
            if (loyalty::Status s = key->Keep(); !s.ok()) return s;
            Show(till, KeyFileJson(*path, key->key().size()), [&](std::ostream& out) {
              out << "Wrote a new " << key->key().size() << "-byte key to " << *path << '\n';
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
