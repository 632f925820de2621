// "sim:", "sim:cards=A,B", "sim:file=PATH".
#include <fstream>
#include <sstream>

#include "factories.hpp"
#include "sim/sim_reader.hpp"

namespace loyalty::readers {

ReaderResult OpenSimReader(const Connection& connection, ReaderOptions options) {
  if (Status s = CheckOptions(connection, {}); !s.ok()) return s;
  std::vector<SimEvent> script;
  std::string_view target = connection.target;
  if (target.starts_with("file=")) {
    std::string path(target.substr(5));
    std::ifstream in(path);
    if (!in) {
      return Status(StatusCode::kIoError, "connection '" + connection.text + "': cannot read " + path);
    }
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = ParseSimScript(text.str());
    if (!parsed.ok()) {
      return Status(StatusCode::kInvalidArgument, path + ": " + parsed.status().message());
    }
    script = std::move(parsed).value();
  } else if (target.starts_with("cards=")) {
    std::string lines(target.substr(6));
    for (char& c : lines) {
      if (c == ',') c = '\n';
    }
    auto parsed = ParseSimScript(lines);
    if (!parsed.ok()) return parsed.status();
    script = std::move(parsed).value();
  } else if (!target.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "connection '" + connection.text + "': sim takes 'file=PATH' or 'cards=A,B'");
  }
  return std::unique_ptr<CardReader>(
      std::make_unique<SimReader>(connection.text, std::move(script), std::move(options)));
}

}  // namespace loyalty::readers
