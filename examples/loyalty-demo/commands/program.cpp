#include <iostream>
#include <memory>

#include "commands/command.hpp"
#include "output.hpp"
#include "result_json.hpp"

namespace loyalty_demo {

// The program in force: the file given, or a newer version the server sent.
Command AddProgramCommand(CLI::App& parent, const TillSettings& till) {
  CLI::App* app = parent.add_subcommand("program", "The program in force at this till");
  return {app, [&till]() -> loyalty::Status {
            auto opened = OpenTill(till);
            if (!opened.ok()) return opened.status();
            const loyalty::ProgramInfo program = opened->terminal->program();
            Show(till, ProgramJson(program), [&](std::ostream& out) {
              out << "  " << program.name << " (" << program.id << ", version "
                  << program.version << "): " << program.currency << ", "
                  << program.time_zone << '\n';
            });
            return loyalty::Status::Ok();
          }};
}

}  // namespace loyalty_demo
