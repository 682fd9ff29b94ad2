// `quire scan`: see scan.cc and README.md.
#pragma once

#include <string>

#include "commands.h"
#include "quire/capture/separation.h"
#include "scanner.h"

namespace quire::app {

// The source of the documents of a scan on `device` started now: "scan DEVICE DATE TIME".
std::string ScanSource(const std::string& device);

// The scanners SANE finds and their options.
int RunScanList(const GlobalOptions& global);

// Scans a batch with `settings`, splitting it by `separation` (duplex when the source is), then
// ends the process with the exit code (scan.cc says why it does not return).
int RunScan(const GlobalOptions& global, const PipelineOptions& pipeline,
            const ScanSettings& settings, capture::Separation separation);

}  // namespace quire::app
