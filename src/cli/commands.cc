// Commands: registration of the leaf commands and the one place where a command's failure is
// turned into a message, a --json error document and an exit code.
#include "cli/commands.h"

#include <cstdio>

#include "cli/errors.h"

namespace cairn::cli {

Session& CommandContext::session() {
  if (!session_) session_ = Session::Open(options_.connection);
  return *session_;
}

std::string CommandContext::endpoint() const {
  if (session_) return session_->endpoint();
  return options_.connection.endpoint.empty() ? "the configured endpoint"
                                              : options_.connection.endpoint;
}

Commands::Commands(CLI::App& app) {
  AddObjectCommands(app, *this);
  AddBulkCommands(app, *this);
  AddBucketCommands(app, *this);
  AddKeyCommands(app, *this);
  AddPresignCommand(app, *this);
  AddBenchCommands(app, *this);
}

void Commands::Leaf(CLI::App* cmd, Action action, const std::string& examples) {
  options_.push_back(std::make_unique<CommonOptions>());
  CommonOptions* options = options_.back().get();
  AddConnectionOptions(cmd, options->connection);
  cmd->add_flag("--json", options->json, "Print the result as one JSON document (for scripts)")
      ->group("Output");
  cmd->footer("\nExamples:\n" + examples);
  cmd->callback([this, options, action = std::move(action)] {
    selected_ = [options, action] {
      CommandContext context(*options);
      try {
        return action(context);
      } catch (...) {
        const Failure failure = DescribeFailure(std::current_exception(), context.endpoint());
        std::fprintf(stderr, "cairn: %s\n", failure.message.c_str());
        if (options->json) {
          PrintJson({{"ok", false},
                     {"error",
                      {{"code", failure.code},
                       {"message", failure.message},
                       {"exitCode", failure.exit_code}}}});
        }
        return failure.exit_code;
      }
    };
  });
}

int Commands::Run() { return selected_ ? selected_() : kExitOk; }

int ExitForParseError(CLI::App& app, const CLI::ParseError& error) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    return app.exit(error);  // --help: CLI11 prints it
  }
  // One line, like every other failure; CLI11's own form spreads it over two.
  std::fprintf(stderr, "cairn: %s (see --help)\n", error.what());
  return kExitUsage;
}

}  // namespace cairn::cli
