// The `quire` program: parses the command line (the contract in README.md) and runs a command.
#include <CLI/CLI.hpp>
#include <functional>

#include "commands.h"
#include "scan.h"
#include "serve.h"
#include "watch.h"
#include "worker.h"

using namespace quire::app;

namespace {

// Options every command that captures takes.
void AddCaptureOptions(CLI::App& cmd, PipelineOptions& options) {
  cmd.add_option("--jobs,-j", options.capture.jobs, "pages read at once (default: one per core)")
      ->check(CLI::NonNegativeNumber);
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
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd.add_option("--settle", watching.settle_seconds,
                 "seconds a file must stay unchanged before it is taken")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd.add_option("--retry", watching.retry_seconds,
                 "seconds before a file whose archive write failed (disk full) is tried again")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd.add_option("--keep", watching.keep_dir, "move originals here once stored (default: delete)");
  cmd.add_flag("--tags", watching.tags, "tag documents with the subfolders they were dropped in");
  cmd.add_flag("--no-inotify", [&watching](int64_t) { watching.inotify = false; },
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"quire: capture, read, check and archive scanned documents"};
  app.require_subcommand(1);
  app.fallthrough();  // --archive and --json may come before or after the command
  GlobalOptions global;
  app.add_option("--archive", global.archive,
                 "archive folder (default: $QUIRE_ARCHIVE, else ./quire-archive)");
  app.add_flag("--json", global.json, "print results as JSON");

  PipelineOptions pipeline;
  std::function<int()> run;

  std::vector<std::string> paths;
  CLI::App* ingest = app.add_subcommand("ingest", "read files or folders into the archive");
  ingest->add_option("PATH", paths, "files or folders")->required();
  AddCaptureOptions(*ingest, pipeline);
  AddExtractOptions(*ingest, pipeline);
  AddBrokerOption(*ingest, pipeline);
  SeparateArgs separate_args;
  quire::capture::Separation separation;
  AddSeparateOptions(*ingest, separate_args);
  ingest->callback([&] {
    separation = ToSeparation(separate_args);
    run = [&] { return RunIngest(global, pipeline, paths, separation); };
  });

  std::string file;
  CLI::App* ocr = app.add_subcommand("ocr", "read a file and print its text; stores nothing");
  ocr->add_option("FILE", file, "an image, TIFF or PDF")->required();
  ocr->add_flag("--raw", [&](int64_t) { pipeline.capture.cleanup = false; },
                "skip the cleanup, to compare with plain Tesseract");
  ocr->add_option("--debug-dir", pipeline.capture.debug_dir,
                  "write the image after each cleanup step into this folder");
  std::string ocr_pdf;
  ocr->add_option("--pdf", ocr_pdf, "also write the file's searchable PDF/A here");
  AddCaptureOptions(*ocr, pipeline);
  ocr->callback([&] { run = [&] { return RunOcr(global, pipeline, file, ocr_pdf); }; });

  CLI::App* extract = app.add_subcommand("extract", "read a file and print its fields; stores nothing");
  std::string pages_file;
  CLI::Option* extract_file = extract->add_option("FILE", file, "an image, TIFF or PDF");
  CLI::Option* extract_pages = extract->add_option(
      "--pages", pages_file, "extract from this output of `quire ocr --json` instead of a FILE");
  extract_file->excludes(extract_pages);
  extract_pages->excludes(extract_file);
  AddCaptureOptions(*extract, pipeline);
  AddExtractOptions(*extract, pipeline);
  extract->callback([&] {
    if (file.empty() && pages_file.empty()) throw CLI::RequiredError("FILE or --pages");
    run = [&] { return RunExtract(global, pipeline, file, pages_file); };
  });

  std::string query;
  int limit = 10;
  int offset = 0;
  std::string sort = "relevance";
  CLI::App* search = app.add_subcommand("search", "find documents (query language: README.md)");
  search->add_option("QUERY", query, "words, \"phrases\", prefix*, fuzzy~, field:value")->required();
  search->add_option("--limit,-n", limit, "results to print")->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  search->add_option("--offset", offset, "matches to skip: --offset 10 is the second page of 10")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  search->add_option("--sort", sort, "relevance, newest or oldest")->capture_default_str()
      ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
  search->callback([&] { run = [&] { return RunSearch(global, query, limit, offset, sort); }; });

  quire::store::ListQuery page;
  CLI::App* list = app.add_subcommand("list", "every document, newest first");
  list->add_option("--offset", page.offset, "documents to skip from the newest")
      ->capture_default_str();
  list->add_option("--limit", page.limit, "documents to list at most (Default: all)");
  list->callback([&] { run = [&] { return RunList(global, page); }; });

  uint64_t id = 0;
  CLI::App* show = app.add_subcommand("show", "a document's metadata, fields, text and history");
  show->add_option("ID", id, "document id (from list or search)")->required();
  show->callback([&] { run = [&] { return RunShow(global, id); }; });

  app.add_subcommand("verify", "re-hash every original and check every cross-reference")
      ->callback([&] { run = [&] { return RunVerify(global); }; });

  std::string dest;
  CLI::App* backup = app.add_subcommand("backup", "a consistent copy of the archive, safe while in use");
  backup->add_option("DEST", dest, "a folder that does not exist yet")->required();
  backup->callback([&] { run = [&] { return RunBackup(global, dest); }; });

  app.add_subcommand("stats", "counts and sizes")->callback([&] {
    run = [&] { return RunStats(global); };
  });

  app.add_subcommand("review", "the documents waiting for a person, with the reasons")
      ->callback([&] { run = [&] { return RunReview(global); }; });

  FieldCorrection correction;
  CLI::App* correct = app.add_subcommand("correct", "an operator's correction of a field");
  correct->add_option("ID", id, "document id")->required();
  correct->add_option("FIELD", correction.field, "field name, e.g. total")->required();
  CLI::Option* corrected_value = correct->add_option(
      "VALUE", correction.value, "the right value, as printed or normalised (2024-03-14, 1234.50)");
  correct->add_flag("--accept", correction.accept, "the field is right as it is")
      ->excludes(corrected_value);
  correct->add_option("--by", correction.by, "who corrects it, for the audit log")->required();
  AddDateOrderOption(*correct, pipeline);
  correct->callback([&] {
    if (!correction.accept && corrected_value->count() == 0) {
      throw CLI::RequiredError("VALUE (or --accept)");
    }
    run = [&] { return RunCorrect(global, pipeline.extract, id, correction); };
  });

  std::vector<uint64_t> reextract_ids;
  CLI::App* reextract = app.add_subcommand(
      "reextract", "extract archived documents again from their stored pages");
  reextract->add_option("ID", reextract_ids, "document ids (default: every document)");
  AddExtractOptions(*reextract, pipeline);
  reextract->callback([&] {
    run = [&] { return RunReextract(global, pipeline.extract, reextract_ids); };
  });

  std::string format, out;
  std::string export_all, since;
  bool export_pdf = false;
  CLI::App* export_cmd = app.add_subcommand(
      "export", "a document's original, text, JSON or searchable PDF/A; or the whole archive");
  CLI::Option* export_id = export_cmd->add_option("ID", id, "document id");
  CLI::Option* export_format = export_cmd->add_option("--format", format, "original, text, json or pdf")
      ->check(CLI::IsMember({"original", "text", "json", "pdf"}));
  export_cmd->add_option("--out", out, "write to this file (default: stdout)")->needs(export_id);
  CLI::Option* all = export_cmd->add_option(
      "--all", export_all, "every document and a manifest.json, into this new folder")
      ->excludes(export_id)->excludes(export_format);
  export_cmd->add_option("--since", since, "documents ingested on or after this date (YYYY-MM-DD)")
      ->needs(all);
  export_cmd->add_flag("--pdf", export_pdf, "each document's searchable PDF/A as well")->needs(all);
  export_cmd->callback([&] {
    if (all->count() > 0) {
      run = [&] { return RunExportAll(global, pipeline.capture, export_all, since, export_pdf); };
      return;
    }
    if (export_id->count() == 0) throw CLI::RequiredError("ID (or --all DIR)");
    if (export_format->count() == 0) throw CLI::RequiredError("--format");
    run = [&] { return RunExport(global, pipeline.capture, id, format, out); };
  });

  std::string import_dir;
  CLI::App* import_cmd =
      app.add_subcommand("import", "read a folder written by export --all into the archive");
  import_cmd->add_option("DIR", import_dir, "the folder holding manifest.json")->required();
  import_cmd->callback([&] { run = [&] { return RunImport(global, import_dir); }; });

  std::string eval_dir;
  bool fold = false;
  CLI::App* eval = app.add_subcommand("eval", "score capture or extraction against ground truth");
  eval->require_subcommand(1);
  CLI::App* eval_ocr = eval->add_subcommand("ocr", "CER, WER and word recall of every file in DIR");
  eval_ocr->add_option("DIR", eval_dir, "documents with NAME.truth.json beside them")->required();
  eval_ocr->add_flag("--raw", [&](int64_t) { pipeline.capture.cleanup = false; },
                     "plain Tesseract, without the cleanup");
  eval_ocr->add_flag("--fold", fold, "compare case-insensitively (upper-case ground truth)");
  AddCaptureOptions(*eval_ocr, pipeline);
  eval_ocr->callback([&] { run = [&] { return RunEvalOcr(global, pipeline, eval_dir, fold); }; });
  CLI::App* eval_fields = eval->add_subcommand("fields", "precision, recall and F1 per field");
  eval_fields->add_option("DIR", eval_dir, "documents with NAME.truth.json beside them")->required();
  AddCaptureOptions(*eval_fields, pipeline);
  AddExtractOptions(*eval_fields, pipeline);
  eval_fields->callback([&] { run = [&] { return RunEvalFields(global, pipeline, eval_dir); }; });

  ScanSettings scanning;
  SeparateArgs scan_separate_args;
  bool scan_list = false;
  CLI::App* scan = app.add_subcommand("scan", "scan a batch from a scanner (SANE) into the archive");
  scan->add_flag("--list", scan_list, "the scanners there are, and their options");
  scan->add_option("--device", scanning.device, "the scanner (default: the first one found)");
  scan->add_option("--source", scanning.source, "Flatbed, ADF or \"ADF Duplex\"");
  scan->add_option("--resolution", scanning.resolution, "dots per inch")->capture_default_str()
      ->check(CLI::Range(50, 1200));
  scan->add_option("--mode", scanning.mode, "Gray or Color")->capture_default_str();
  AddSeparateOptions(*scan, scan_separate_args, /*duplex_flag=*/false);
  AddCaptureOptions(*scan, pipeline);
  AddExtractOptions(*scan, pipeline);
  scan->callback([&] {
    separation = ToSeparation(scan_separate_args);
    run = [&] {
      return scan_list ? RunScanList(global) : RunScan(global, pipeline, scanning, separation);
    };
  });

  WatchOptions watching;
  bool watch_status = false;
  CLI::App* watch = app.add_subcommand("watch", "take every file dropped into a hot folder");
  watch->add_option("INBOX", watching.inbox, "the hot folder")->required();
  AddWatchOptions(*watch, watching);
  watch->add_option("--failed", watching.failed_dir, "where unreadable files go (default: INBOX/.failed)");
  watch->add_flag("--status", watch_status, "print the backlog, throughput and last failures");
  AddCaptureOptions(*watch, pipeline);
  AddExtractOptions(*watch, pipeline);
  AddBrokerOption(*watch, pipeline);
  AddSeparateOptions(*watch, separate_args);
  watch->callback([&] {
    watching.separation = ToSeparation(separate_args);
    run = [&] {
      return watch_status ? RunWatchStatus(global, watching) : RunWatch(global, pipeline, watching);
    };
  });

  ServeOptions serving;
  CLI::App* serve = app.add_subcommand("serve", "the archive's owner: API, station, hot folders");
  serve->add_option("--listen", serving.listen, "HOST:PORT (port 0: any free port)")
      ->capture_default_str();
  serve->add_option("--watch", serving.inboxes, "a hot folder to take files from (repeatable)");
  serve->add_option("--tls-cert", serving.tls_cert, "PEM certificate, for HTTPS")
      ->check(CLI::ExistingFile);
  serve->add_option("--tls-key", serving.tls_key, "PEM private key, for HTTPS")
      ->check(CLI::ExistingFile);
  serve->add_option("--threads", serving.threads, "threads answering requests")
      ->capture_default_str()->check(CLI::PositiveNumber);
  serve->add_option("--max-upload-mb", [&](const std::vector<std::string>& v) {
    serving.max_upload_bytes = std::stoll(v.front()) << 20;
    return true;
  }, "largest file taken by upload, in MiB (default: 200)")->check(CLI::PositiveNumber);
  AddWatchOptions(*serve, watching);
  AddCaptureOptions(*serve, pipeline);
  AddExtractOptions(*serve, pipeline);
  AddBrokerOption(*serve, pipeline);
  AddSeparateOptions(*serve, separate_args);
  serve->callback([&] {
    watching.separation = ToSeparation(separate_args);  // the --watch folders'
    run = [&] { return RunServe(global, pipeline, serving, watching); };
  });

  WorkerOptions working;
  bool worker_status = false;
  CLI::App* worker = app.add_subcommand("worker", "read pages for an archive on another machine");
  worker->add_option("--broker", working.broker, "redis://HOST:PORT of the archive's broker")
      ->required();
  worker->add_option("--jobs,-j", pipeline.capture.jobs, "pages read at once (default: one per core)")
      ->check(CLI::NonNegativeNumber);
  worker->add_option("--claim-after", working.claim_after_seconds,
                     "seconds before the job of a worker that stopped answering is taken over")
      ->capture_default_str()->check(CLI::PositiveNumber);
  worker->add_flag("--status", worker_status,
                   "print the queue, pending and taken-over jobs, and each worker's pages/s");
  worker->callback([&] {
    run = [&] {
      return worker_status ? RunWorkerStatus(global, working)
                           : RunWorker(global, pipeline, working);
    };
  });

  LabelEdit labels;
  CLI::App* tag = app.add_subcommand("tag", "add or remove a document's tags");
  tag->add_option("ID", id, "document id")->required();
  tag->add_option("--add", labels.tags_add, "tags to add (repeatable)");
  tag->add_option("--remove", labels.tags_remove, "tags to remove (repeatable)");
  tag->callback([&] {
    if (labels.tags_add.empty() && labels.tags_remove.empty()) {
      throw CLI::RequiredError("--add or --remove");
    }
    run = [&] { return RunTag(global, id, labels); };
  });

  CLI::App* delete_cmd = app.add_subcommand("delete", "remove a document (kept in the audit log)");
  delete_cmd->add_option("ID", id, "document id")->required();
  delete_cmd->callback([&] { run = [&] { return RunDelete(global, id); }; });

  std::string user_name, role;
  bool password_stdin = false;
  CLI::App* user = app.add_subcommand("user", "the people who may use the archive through serve");
  user->require_subcommand(1);
  CLI::App* user_add = user->add_subcommand("add", "add a user with a role and a password");
  user_add->add_option("NAME", user_name, "user name")->required();
  user_add->add_option("--role", role, "viewer, operator or admin")->required()
      ->check(CLI::IsMember({"viewer", "operator", "admin"}));
  user_add->add_flag("--password-stdin", password_stdin,
                     "read the password from standard input (default: ask on the terminal)");
  user_add->callback([&] {
    run = [&] { return RunUserAdd(global, user_name, role, password_stdin); };
  });
  user->add_subcommand("list", "every user and role")->callback([&] {
    run = [&] { return RunUserList(global); };
  });
  CLI::App* user_remove = user->add_subcommand("remove", "remove a user; their sessions end");
  user_remove->add_option("NAME", user_name, "user name")->required();
  user_remove->callback([&] { run = [&] { return RunUserRemove(global, user_name); }; });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return run();
}
