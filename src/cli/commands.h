// The command line beside `cairn serve`: `object`, `bulk`, `bucket`, `key`, `presign` and `bench`,
// in the manner of `wrangler r2`. main() creates a Commands on its CLI::App, parses, and calls
// Run(). Each command group lives in its own file and registers its leaf commands through
// Commands::Leaf, which gives every leaf the same server options (session.h), --json, a --help
// footer with examples, and the same failure handling: one line on stderr (and a JSON error with
// --json) and the exit code of errors.h.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/output.h"
#include "cli/session.h"

namespace cairn::cli {

struct CommonOptions {
  ConnectionOptions connection;
  bool json = false;
};

// What a command's action works with.
class CommandContext {
 public:
  explicit CommandContext(const CommonOptions& options) : options_(options) {}
  bool json() const { return options_.json; }
  const ConnectionOptions& connection() const { return options_.connection; }
  // Connects (or starts the --local server) on first use, so that bad arguments are reported
  // before any of that happens.
  Session& session();
  // The endpoint for messages ("cannot reach ..."), known once the session is open.
  std::string endpoint() const;

 private:
  const CommonOptions& options_;
  std::unique_ptr<Session> session_;
};

using Action = std::function<int(CommandContext&)>;

class Commands {
 public:
  // Adds the command groups to `app`.
  explicit Commands(CLI::App& app);

  // Makes `cmd` a command: adds the server options and --json, sets the --help footer to
  // `examples`, and runs `action` if `cmd` is the command parsed.
  void Leaf(CLI::App* cmd, Action action, const std::string& examples);

  // Runs the command that was parsed and returns the process's exit status.
  int Run();

 private:
  std::vector<std::unique_ptr<CommonOptions>> options_;
  std::function<int()> selected_;
};

// The command groups (one file each).
void AddObjectCommands(CLI::App& app, Commands& commands);
void AddObjectFindCommand(CLI::App& object, Commands& commands);  // key search
void AddBulkCommands(CLI::App& app, Commands& commands);
void AddBucketCommands(CLI::App& app, Commands& commands);
void AddBucketConfigCommands(CLI::App& bucket, Commands& commands);  // cors, lifecycle
void AddBucketPublicCommands(CLI::App& bucket, Commands& commands);  // public enable|disable|status
void AddKeyCommands(CLI::App& app, Commands& commands);              // access keys
void AddPresignCommand(CLI::App& app, Commands& commands);
void AddBenchCommands(CLI::App& app, Commands& commands);  // load generator

// For main(): prints a parse error (or the help asked for) and returns the exit status: 0 for
// --help, kExitUsage for anything else.
int ExitForParseError(CLI::App& app, const CLI::ParseError& error);

}  // namespace cairn::cli
