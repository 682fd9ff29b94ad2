// The `quire` program: parses the command line (the contract in README.md) and runs a command.
#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <type_traits>

#include "commands.h"
#include "quire/capture/capture.h"
#include "quire/store/archive.h"
#include "scan.h"
#include "serve.h"
#include "watch.h"
#include "worker.h"

using namespace quire::app;

namespace {

// A number that `fits`, or the message "must be WHAT" (CLI11's NonNegativeNumber and
// PositiveNumber print their bound as a 300-digit number).
CLI::Validator Number(bool (*fits)(double), const std::string& what) {
  return CLI::Validator(
      [fits, what](const std::string& value) -> std::string {
        double number = 0;
        const bool ok = CLI::detail::lexical_cast(value, number) && fits(number);
        return ok ? "" : "must be " + what + ", not " + value;
      },
      "NUMBER");
}
const CLI::Validator kNonNegative =
    Number([](double n) { return n >= 0; }, "a number of 0 or more");
const CLI::Validator kPositive = Number([](double n) { return n > 0; }, "a number above 0");

// Options every command that captures takes.
void AddCaptureOptions(CLI::App& cmd, PipelineOptions& options) {
  cmd.add_option("--jobs,-j", options.capture.jobs, "pages read at once (default: one per core)")
      ->check(kNonNegative);
  cmd.add_option("--lang", options.capture.language,
                 "Tesseract languages, e.g. eng or deu+eng; auto (default): read in English, "
                 "and read a German or French document again in its own language "
                 "(needs tesseract-ocr-deu / -fra)")
      ->capture_default_str();
}

// Reading on other machines, for the commands that capture into the archive.
void AddBrokerOption(CLI::App& cmd, PipelineOptions& options) {
  cmd.add_option("--broker", options.broker,
                 "redis://HOST:PORT: pages are read by `quire worker` processes through this "
                 "broker (--jobs is then documents at once, default 16)");
}

void AddDateOrderOption(CLI::App& cmd, PipelineOptions& options) {
  const std::map<std::string, quire::extract::DateOrder> orders = {
      {"DMY", quire::extract::DateOrder::kDMY},
      {"MDY", quire::extract::DateOrder::kMDY},
      {"YMD", quire::extract::DateOrder::kYMD}};
  cmd.add_option("--date-order", options.extract.date_order,
                 "day/month order of numeric dates: DMY (default), MDY or YMD")
      ->transform(CLI::CheckedTransformer(orders, CLI::ignore_case));
}

void AddExtractOptions(CLI::App& cmd, PipelineOptions& options) {
  AddDateOrderOption(cmd, options);
  cmd.add_option("--template-dir", options.extract.template_dir, "folder of vendor templates")
      ->check(CLI::ExistingDirectory);
}

// What a hot folder does with its files, for `watch` and for the folders `serve` watches.
void AddWatchOptions(CLI::App& cmd, WatchOptions& watching) {
  cmd.add_option("--poll", watching.poll_seconds, "seconds between walks of the folder")
      ->capture_default_str()
      ->check(kPositive);
  cmd.add_option("--settle", watching.settle_seconds,
                 "seconds a file must stay unchanged before it is taken")
      ->capture_default_str()
      ->check(kNonNegative);
  cmd.add_option("--retry", watching.retry_seconds,
                 "seconds before a file whose archive write failed (disk full) is tried again")
      ->capture_default_str()
      ->check(kPositive);
  cmd.add_option("--keep", watching.keep_dir, "move originals here once stored (default: delete)");
  cmd.add_flag("--tags", watching.tags, "tag documents with the subfolders they were dropped in");
  cmd.add_flag(
      "--no-inotify", [&watching](int64_t) { watching.inotify = false; },
      "poll only (network shares)");
  cmd.add_flag("--log-json", watching.log_json, "log one JSON object per line");
}

// --separate and its companions, as written; checked once the command line is read.
struct SeparateArgs {
  std::string spec;
  std::string code;
  bool duplex = false;
};

void AddSeparateOptions(CLI::App& cmd, SeparateArgs& args, bool duplex_flag = true) {
  cmd.add_option("--separate", args.spec,
                 "split each stack into documents: blank (a blank sheet ends a document), "
                 "barcode (a separator barcode sheet does) or pages:N");
  cmd.add_option("--separator-code", args.code,
                 "the separator barcode's text for --separate barcode (default: QUIRE-SEP)");
  if (duplex_flag) {
    cmd.add_flag("--duplex", args.duplex,
                 "pages are sheets scanned on both sides: a separator sheet is dropped whole");
  }
}

// The separation `args` ask for; throws CLI::ValidationError (exit 2) with what to write.
quire::capture::Separation ToSeparation(const SeparateArgs& args) {
  if (args.spec.empty()) {
    if (!args.code.empty() || args.duplex) {
      throw CLI::ValidationError("--separator-code and --duplex go with --separate");
    }
    return {};
  }
  if (!args.code.empty() && args.spec != "barcode") {
    throw CLI::ValidationError("--separator-code goes with --separate barcode");
  }
  quire::Result<quire::capture::Separation> separation =
      quire::capture::ParseSeparation(args.spec, args.code);
  if (!separation.ok()) throw CLI::ValidationError(separation.status().message());
  separation->duplex = args.duplex;
  return *separation;
}

// The command line: the options every command has, those several share (only one command runs),
// and the command chosen, run once the whole line is read. A command's own arguments live in a
// struct its callback owns, since CLI11 writes into them while parsing.
struct CommandLine {
  CLI::App app{"quire: capture, read, check and archive scanned documents"};
  GlobalOptions global;
  PipelineOptions pipeline;
  WatchOptions watching;  // watch's, and the folders serve watches
  std::function<int()> run;
};

// A document id as the first argument.
void AddIdArgument(CLI::App& cmd, uint64_t& id) {
  cmd.add_option("ID", id, "document id (from list or search)")->required();
}

// A command that takes the archive and one argument, which it requires.
template <typename Arg>
void AddCommandOf(CommandLine& cl, const char* name, const char* help, const char* argument,
                  const char* argument_help, int (*command)(const GlobalOptions&, Arg)) {
  auto value = std::make_shared<std::decay_t<Arg>>();
  CLI::App* cmd = cl.app.add_subcommand(name, help);
  cmd->add_option(argument, *value, argument_help)->required();
  cmd->callback([&cl, value, command] {
    cl.run = [&cl, value, command] { return command(cl.global, *value); };
  });
}

// A command that takes nothing but the archive.
void AddArchiveCommand(CommandLine& cl, const char* name, const char* help,
                       int (*command)(const GlobalOptions&)) {
  cl.app.add_subcommand(name, help)->callback([&cl, command] {
    cl.run = [&cl, command] { return command(cl.global); };
  });
}

void AddIngest(CommandLine& cl) {
  struct Args {
    std::vector<std::string> paths;
    SeparateArgs separate;
    quire::capture::Separation separation;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = cl.app.add_subcommand("ingest", "read files or folders into the archive");
  cmd->add_option("PATH", args->paths, "files or folders")->required();
  AddCaptureOptions(*cmd, cl.pipeline);
  AddExtractOptions(*cmd, cl.pipeline);
  AddBrokerOption(*cmd, cl.pipeline);
  AddSeparateOptions(*cmd, args->separate);
  cmd->callback([&cl, args] {
    args->separation = ToSeparation(args->separate);
    cl.run = [&cl, args] {
      return RunIngest(cl.global, cl.pipeline, args->paths, args->separation);
    };
  });
}

void AddOcr(CommandLine& cl) {
  struct Args {
    std::string file;
    std::string pdf;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = cl.app.add_subcommand("ocr", "read a file and print its text; stores nothing");
  cmd->add_option("FILE", args->file, "an image, TIFF or PDF")->required();
  cmd->add_flag(
      "--raw", [&cl](int64_t) { cl.pipeline.capture.cleanup = false; },
      "skip the cleanup, to compare with plain Tesseract");
  cmd->add_option("--debug-dir", cl.pipeline.capture.debug_dir,
                  "write the image after each cleanup step into this folder");
  cmd->add_option("--pdf", args->pdf, "also write the file's searchable PDF/A here");
  AddCaptureOptions(*cmd, cl.pipeline);
  cmd->callback([&cl, args] {
    cl.run = [&cl, args] { return RunOcr(cl.global, cl.pipeline, args->file, args->pdf); };
  });
}

void AddExtract(CommandLine& cl) {
  struct Args {
    std::string file;
    std::string pages_file;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd =
      cl.app.add_subcommand("extract", "read a file and print its fields; stores nothing");
  CLI::Option* file = cmd->add_option("FILE", args->file, "an image, TIFF or PDF");
  CLI::Option* pages =
      cmd->add_option("--pages", args->pages_file,
                      "extract from this output of `quire ocr --json` instead of a FILE");
  file->excludes(pages);
  pages->excludes(file);
  AddCaptureOptions(*cmd, cl.pipeline);
  AddExtractOptions(*cmd, cl.pipeline);
  cmd->callback([&cl, args] {
    if (args->file.empty() && args->pages_file.empty()) throw CLI::RequiredError("FILE or --pages");
    cl.run = [&cl, args] {
      return RunExtract(cl.global, cl.pipeline, args->file, args->pages_file);
    };
  });
}

void AddSearch(CommandLine& cl) {
  struct Args {
    std::string query;
    int limit = 10;
    int offset = 0;
    std::string sort = "relevance";
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = cl.app.add_subcommand("search", "find documents (query language: README.md)");
  cmd->add_option("QUERY", args->query, "words, \"phrases\", prefix*, fuzzy~, field:value")
      ->required();
  cmd->add_option("--limit,-n", args->limit, "results to print")
      ->capture_default_str()
      ->check(kNonNegative);
  cmd->add_option("--offset", args->offset, "matches to skip: --offset 10 is the second page of 10")
      ->capture_default_str()
      ->check(kNonNegative);
  cmd->add_option("--sort", args->sort, "relevance, newest or oldest")
      ->capture_default_str()
      ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
  cmd->callback([&cl, args] {
    cl.run = [&cl, args] {
      return RunSearch(cl.global, args->query, args->limit, args->offset, args->sort);
    };
  });
}

void AddList(CommandLine& cl) {
  auto page = std::make_shared<quire::store::ListQuery>();
  CLI::App* cmd = cl.app.add_subcommand("list", "every document, newest first");
  cmd->add_option("--offset", page->offset, "documents to skip from the newest")
      ->capture_default_str();
  cmd->add_option("--limit", page->limit, "documents to list at most (Default: all)");
  cmd->callback([&cl, page] { cl.run = [&cl, page] { return RunList(cl.global, *page); }; });
}

void AddShow(CommandLine& cl) {
  AddCommandOf(cl, "show", "a document's metadata, fields, text and history", "ID",
               "document id (from list or search)", RunShow);
}

void AddVerify(CommandLine& cl) {
  AddArchiveCommand(cl, "verify", "re-hash every original and check every cross-reference",
                    RunVerify);
}

void AddStats(CommandLine& cl) { AddArchiveCommand(cl, "stats", "counts and sizes", RunStats); }

void AddReview(CommandLine& cl) {
  AddArchiveCommand(cl, "review", "the documents waiting for a person, with the reasons",
                    RunReview);
}

void AddBackup(CommandLine& cl) {
  AddCommandOf(cl, "backup", "a consistent copy of the archive, safe while in use", "DEST",
               "a folder that does not exist yet", RunBackup);
}

void AddCorrect(CommandLine& cl) {
  struct Args {
    uint64_t id = 0;
    FieldCorrection correction;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = cl.app.add_subcommand("correct", "an operator's correction of a field");
  AddIdArgument(*cmd, args->id);
  cmd->add_option("FIELD", args->correction.field, "field name, e.g. total")->required();
  CLI::Option* value =
      cmd->add_option("VALUE", args->correction.value,
                      "the right value, as printed or normalised (2024-03-14, 1234.50)");
  cmd->add_flag("--accept", args->correction.accept, "the field is right as it is")
      ->excludes(value);
  cmd->add_option("--by", args->correction.by, "who corrects it, for the audit log")->required();
  AddDateOrderOption(*cmd, cl.pipeline);
  cmd->callback([&cl, args, value] {
    if (!args->correction.accept && value->count() == 0) {
      throw CLI::RequiredError("VALUE (or --accept)");
    }
    cl.run = [&cl, args] {
      return RunCorrect(cl.global, cl.pipeline.extract, args->id, args->correction);
    };
  });
}

void AddReextract(CommandLine& cl) {
  auto ids = std::make_shared<std::vector<uint64_t>>();
  CLI::App* cmd = cl.app.add_subcommand(
      "reextract", "extract archived documents again from their stored pages and originals");
  cmd->add_option("ID", *ids, "document ids (default: every document)");
  cmd->add_option("--jobs,-j", cl.pipeline.capture.jobs,
                  "documents extracted at once (default: one per core)")
      ->check(kNonNegative);
  AddExtractOptions(*cmd, cl.pipeline);
  cmd->callback([&cl, ids] {
    cl.run = [&cl, ids] {
      return RunReextract(cl.global, cl.pipeline.extract, *ids, cl.pipeline.capture.jobs);
    };
  });
}

void AddExport(CommandLine& cl) {
  struct Args {
    uint64_t id = 0;
    std::string format, out;
    std::string all, since;
    bool pdf = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = cl.app.add_subcommand(
      "export", "a document's original, text, JSON or searchable PDF/A; or the whole archive");
  CLI::Option* id = cmd->add_option("ID", args->id, "document id");
  CLI::Option* format = cmd->add_option("--format", args->format, "original, text, json or pdf")
                            ->check(CLI::IsMember({"original", "text", "json", "pdf"}));
  cmd->add_option("--out", args->out, "write to this file (default: stdout)")->needs(id);
  CLI::Option* all = cmd->add_option("--all", args->all,
                                     "every document and a manifest.json, into this new folder")
                         ->excludes(id)
                         ->excludes(format);
  cmd->add_option("--since", args->since, "documents ingested on or after this date (YYYY-MM-DD)")
      ->needs(all);
  cmd->add_flag("--pdf", args->pdf, "each document's searchable PDF/A as well")->needs(all);
  cmd->callback([&cl, args, id, format, all] {
    if (all->count() > 0) {
      cl.run = [&cl, args] {
        return RunExportAll(cl.global, cl.pipeline.capture, args->all, args->since, args->pdf);
      };
      return;
    }
    if (id->count() == 0) throw CLI::RequiredError("ID (or --all DIR)");
    if (format->count() == 0) throw CLI::RequiredError("--format");
    cl.run = [&cl, args] {
      return RunExport(cl.global, cl.pipeline.capture, args->id, args->format, args->out);
    };
  });
}

void AddImport(CommandLine& cl) {
  AddCommandOf(cl, "import", "read a folder written by export --all into the archive", "DIR",
               "the folder holding manifest.json", RunImport);
}

void AddEval(CommandLine& cl) {
  struct Args {
    std::string dir;
    bool fold = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* eval =
      cl.app.add_subcommand("eval", "score capture or extraction against ground truth");
  eval->require_subcommand(1);
  CLI::App* ocr = eval->add_subcommand("ocr", "CER, WER and word recall of every file in DIR");
  ocr->add_option("DIR", args->dir, "documents with NAME.truth.json beside them")->required();
  ocr->add_flag(
      "--raw", [&cl](int64_t) { cl.pipeline.capture.cleanup = false; },
      "plain Tesseract, without the cleanup");
  ocr->add_flag("--fold", args->fold, "compare case-insensitively (upper-case ground truth)");
  AddCaptureOptions(*ocr, cl.pipeline);
  ocr->callback([&cl, args] {
    cl.run = [&cl, args] { return RunEvalOcr(cl.global, cl.pipeline, args->dir, args->fold); };
  });
  CLI::App* fields = eval->add_subcommand("fields", "precision, recall and F1 per field");
  fields->add_option("DIR", args->dir, "documents with NAME.truth.json beside them")->required();
  AddCaptureOptions(*fields, cl.pipeline);
  AddExtractOptions(*fields, cl.pipeline);
  fields->callback([&cl, args] {
    cl.run = [&cl, args] { return RunEvalFields(cl.global, cl.pipeline, args->dir); };
  });
}

void AddScan(CommandLine& cl) {
  struct Args {
    ScanSettings settings;
    SeparateArgs separate;
    quire::capture::Separation separation;
    bool list = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd =
      cl.app.add_subcommand("scan", "scan a batch from a scanner (SANE) into the archive");
  cmd->add_flag("--list", args->list, "the scanners there are, and their options");
  cmd->add_option("--device", args->settings.device, "the scanner (default: the first one found)");
  cmd->add_option("--source", args->settings.source, "Flatbed, ADF or \"ADF Duplex\"");
  cmd->add_option("--resolution", args->settings.resolution, "dots per inch")
      ->capture_default_str()
      ->check(CLI::Range(50, 1200));
  cmd->add_option("--mode", args->settings.mode, "Gray or Color")->capture_default_str();
  AddSeparateOptions(*cmd, args->separate, /*duplex_flag=*/false);
  AddCaptureOptions(*cmd, cl.pipeline);
  AddExtractOptions(*cmd, cl.pipeline);
  cmd->callback([&cl, args] {
    args->separation = ToSeparation(args->separate);
    cl.run = [&cl, args] {
      return args->list ? RunScanList(cl.global)
                        : RunScan(cl.global, cl.pipeline, args->settings, args->separation);
    };
  });
}

void AddWatch(CommandLine& cl) {
  struct Args {
    SeparateArgs separate;
    bool status = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = cl.app.add_subcommand("watch", "take every file dropped into a hot folder");
  cmd->add_option("INBOX", cl.watching.inbox, "the hot folder")->required();
  AddWatchOptions(*cmd, cl.watching);
  cmd->add_option("--failed", cl.watching.failed_dir,
                  "where unreadable files go (default: INBOX/.failed)");
  cmd->add_flag("--status", args->status, "print the backlog, throughput and last failures");
  AddCaptureOptions(*cmd, cl.pipeline);
  AddExtractOptions(*cmd, cl.pipeline);
  AddBrokerOption(*cmd, cl.pipeline);
  AddSeparateOptions(*cmd, args->separate);
  cmd->callback([&cl, args] {
    cl.watching.separation = ToSeparation(args->separate);
    cl.run = [&cl, args] {
      return args->status ? RunWatchStatus(cl.global, cl.watching)
                          : RunWatch(cl.global, cl.pipeline, cl.watching);
    };
  });
}

void AddServe(CommandLine& cl) {
  struct Args {
    ServeOptions serving;
    SeparateArgs separate;
  };
  auto args = std::make_shared<Args>();
  ServeOptions& serving = args->serving;
  CLI::App* cmd = cl.app.add_subcommand("serve", "the archive's owner: API, station, hot folders");
  cmd->add_option("--listen", serving.listen, "HOST:PORT (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--watch", serving.inboxes, "a hot folder to take files from (repeatable)");
  cmd->add_option("--tls-cert", serving.tls_cert, "PEM certificate, for HTTPS")
      ->check(CLI::ExistingFile);
  cmd->add_option("--tls-key", serving.tls_key, "PEM private key, for HTTPS")
      ->check(CLI::ExistingFile);
  cmd->add_option("--threads", serving.threads, "threads answering requests")
      ->capture_default_str()
      ->check(kPositive);
  cmd->add_option(
         "--max-upload-mb",
         [&serving](const std::vector<std::string>& v) {
           serving.max_upload_bytes = std::stoll(v.front()) << 20;
           return true;
         },
         "largest file taken by upload, in MiB (default: 200)")
      ->check(kPositive);
  AddWatchOptions(*cmd, cl.watching);
  AddCaptureOptions(*cmd, cl.pipeline);
  AddExtractOptions(*cmd, cl.pipeline);
  AddBrokerOption(*cmd, cl.pipeline);
  AddSeparateOptions(*cmd, args->separate);
  cmd->callback([&cl, args] {
    cl.watching.separation = ToSeparation(args->separate);  // the --watch folders'
    cl.run = [&cl, args] { return RunServe(cl.global, cl.pipeline, args->serving, cl.watching); };
  });
}

void AddWorker(CommandLine& cl) {
  struct Args {
    WorkerOptions working;
    bool status = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = cl.app.add_subcommand("worker", "read pages for an archive on another machine");
  cmd->add_option("--broker", args->working.broker, "redis://HOST:PORT of the archive's broker")
      ->required();
  cmd->add_option("--jobs,-j", cl.pipeline.capture.jobs,
                  "pages read at once (default: one per core)")
      ->check(kNonNegative);
  cmd->add_option("--claim-after", args->working.claim_after_seconds,
                  "seconds before the job of a worker that stopped answering is taken over")
      ->capture_default_str()
      ->check(kPositive);
  cmd->add_flag("--status", args->status,
                "print the queue, pending and taken-over jobs, and each worker's pages/s");
  cmd->callback([&cl, args] {
    cl.run = [&cl, args] {
      return args->status ? RunWorkerStatus(cl.global, args->working)
                          : RunWorker(cl.global, cl.pipeline, args->working);
    };
  });
}

void AddTag(CommandLine& cl) {
  struct Args {
    uint64_t id = 0;
    LabelEdit labels;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = cl.app.add_subcommand("tag", "add or remove a document's tags");
  AddIdArgument(*cmd, args->id);
  cmd->add_option("--add", args->labels.tags_add, "tags to add (repeatable)");
  cmd->add_option("--remove", args->labels.tags_remove, "tags to remove (repeatable)");
  cmd->callback([&cl, args] {
    if (args->labels.tags_add.empty() && args->labels.tags_remove.empty()) {
      throw CLI::RequiredError("--add or --remove");
    }
    cl.run = [&cl, args] { return RunTag(cl.global, args->id, args->labels); };
  });
}

void AddEdit(CommandLine& cl) {
  struct Args {
    uint64_t id = 0;
    std::string title, notes;
    LabelEdit labels;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd =
      cl.app.add_subcommand("edit", "set a document's title or notes, add or remove its tags");
  AddIdArgument(*cmd, args->id);
  CLI::Option* title = cmd->add_option("--title", args->title, "the title (\"\" clears it)");
  CLI::Option* notes = cmd->add_option("--notes", args->notes, "the notes (\"\" clears them)");
  cmd->add_option("--add", args->labels.tags_add, "tags to add (repeatable)");
  cmd->add_option("--remove", args->labels.tags_remove, "tags to remove (repeatable)");
  cmd->callback([&cl, args, title, notes] {
    if (title->count() > 0) args->labels.title = args->title;
    if (notes->count() > 0) args->labels.notes = args->notes;
    if (!args->labels.title && !args->labels.notes && args->labels.tags_add.empty() &&
        args->labels.tags_remove.empty()) {
      throw CLI::RequiredError("--title, --notes, --add or --remove");
    }
    cl.run = [&cl, args] { return RunEdit(cl.global, args->id, args->labels); };
  });
}

void AddDelete(CommandLine& cl) {
  AddCommandOf(cl, "delete", "remove a document (kept in the audit log)", "ID",
               "document id (from list or search)", RunDelete);
}

void AddUser(CommandLine& cl) {
  struct Args {
    std::string name, role;
    bool password_stdin = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* user =
      cl.app.add_subcommand("user", "the people who may use the archive through serve");
  user->require_subcommand(1);
  CLI::App* add = user->add_subcommand("add", "add a user with a role and a password");
  add->add_option("NAME", args->name, "user name")->required();
  add->add_option("--role", args->role, "viewer, operator or admin")
      ->required()
      ->check(CLI::IsMember({"viewer", "operator", "admin"}));
  add->add_flag("--password-stdin", args->password_stdin,
                "read the password from standard input (default: ask on the terminal)");
  add->callback([&cl, args] {
    cl.run = [&cl, args] {
      return RunUserAdd(cl.global, args->name, args->role, args->password_stdin);
    };
  });
  user->add_subcommand("list", "every user and role")->callback([&cl] {
    cl.run = [&cl] { return RunUserList(cl.global); };
  });
  CLI::App* remove = user->add_subcommand("remove", "remove a user; their sessions end");
  remove->add_option("NAME", args->name, "user name")->required();
  remove->callback(
      [&cl, args] { cl.run = [&cl, args] { return RunUserRemove(cl.global, args->name); }; });
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine cl;
  cl.app.require_subcommand(1);
  cl.app.fallthrough();  // --archive and --json may come before or after the command
  cl.app.add_option("--archive", cl.global.archive,
                    "archive folder (default: $QUIRE_ARCHIVE, else ./quire-archive)");
  cl.app.add_flag("--json", cl.global.json, "print results as JSON");
  cl.app.set_version_flag("--version", [] {
    return "quire " QUIRE_VERSION " (archive schema " +
           std::to_string(quire::store::Archive::SchemaVersion()) + "; " +
           quire::capture::EngineVersions() + ")";
  });
  // In the order `quire --help` lists them.
  for (void (*add)(CommandLine&) :
       {AddIngest, AddOcr,    AddExtract, AddSearch,    AddList,   AddShow,   AddVerify, AddBackup,
        AddStats,  AddReview, AddCorrect, AddReextract, AddExport, AddImport, AddEval,   AddScan,
        AddWatch,  AddServe,  AddWorker,  AddTag,       AddEdit,   AddDelete, AddUser}) {
    add(cl);
  }
  try {
    cl.app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 calls a word that names no command a missing command; say which word it was.
    if (cl.app.get_subcommands().empty() && !cl.app.remaining().empty() &&
        e.get_exit_code() != static_cast<int>(CLI::ExitCodes::Success)) {
      std::cerr << "quire: unknown command '" << cl.app.remaining().front()
                << "'; quire --help lists the commands\n";
      return kExitUsage;
    }
    const int code = cl.app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return cl.run();
}
