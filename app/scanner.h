// Scanners through SANE: the devices and their options, and a scan that hands over each page as
// soon as it is read from the device.
//
// SANE is initialised once per process (sane_init) and left initialised. A Scanner is used from
// one thread at a time; Cancel() may be called from any thread (a signal's watcher).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "quire/capture/capture.h"
#include "quire/common/status.h"

namespace quire::app {

struct ScannerOption {
  std::string name;     // "source", "resolution", "mode"...
  std::string title;    // as the backend words it
  std::string value;    // current value, as text ("" when it has none to show)
  std::string allowed;  // "Flatbed|ADF", "75..1200 dpi"; "" when anything goes
};

struct ScannerDevice {
  std::string name;  // what --device takes: "test:0", "epson2:libusb:001:004"
  std::string vendor;
  std::string model;
  std::string type;
  std::vector<ScannerOption> options;  // filled by ListScanners
};

// Every device SANE finds, with its options. Unavailable when SANE cannot start.
Result<std::vector<ScannerDevice>> ListScanners();

nlohmann::json ToJson(const ScannerDevice& device);

struct ScanSettings {
  // The device; empty: the first one SANE finds. Default: empty.
  std::string device;
  // "Flatbed", "ADF" or "ADF Duplex", matched to the device's own names (case aside, "ADF"
  // matches "Automatic Document Feeder"); empty: the device's default. Default: empty.
  std::string source;
  // Dots per inch; 0: the device's default. Default: 300.
  int resolution = 300;
  // "Gray" or "Color", matched to the device's names; empty: the device's default.
  // Default: "Gray".
  std::string mode = "Gray";
};

// Why a scan ended: kDone when the feeder ran out after at least one page (or a flatbed page was
// read), otherwise what stopped it.
enum class ScanEnd { kDone, kEmptyFeeder, kJammed, kCoverOpen, kBusy, kGone, kCancelled, kFailed };

struct ScanOutcome {
  ScanEnd end = ScanEnd::kDone;
  int pages = 0;
  std::string message;  // what happened and what to do; empty for kDone
};

class Scanner {
 public:
  // Opens the device and applies `settings`. NotFound (naming the devices there are) when the
  // device is not there; InvalidArgument when a setting is not one the device offers.
  static Result<std::unique_ptr<Scanner>> Open(const ScanSettings& settings);
  virtual ~Scanner() = default;

  // The device's name, for messages and document sources.
  virtual const std::string& name() const = 0;
  // Whether the pages come from a feeder (several pages) and both sides of each sheet.
  virtual bool feeder() const = 0;
  virtual bool duplex() const = 0;

  // Scans until the feeder is empty (one page on a flatbed), handing each page to `on_page` as
  // soon as it is read; `on_page` returns false to end the scan there (kDone: one page rescanned
  // from a feeder). Pages read before a jam, a vanished device or a cancel have been handed
  // over; the outcome says what stopped the scan.
  virtual ScanOutcome Scan(const std::function<bool(capture::RawPage page)>& on_page) = 0;

  // Stops a scan in progress at the next page boundary or read (from any thread).
  virtual void Cancel() = 0;
};

}  // namespace quire::app
