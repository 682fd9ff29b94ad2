#include "scanner.h"

#include <poll.h>
#include <sane/sane.h>
#include <sane/saneopts.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace quire::app {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

Status StartSane() {
  static std::once_flag once;
  static SANE_Status status = SANE_STATUS_GOOD;
  std::call_once(once, [] { status = sane_init(nullptr, nullptr); });
  if (status != SANE_STATUS_GOOD) {
    return Status::IoError(std::string("SANE cannot start: ") + sane_strstatus(status) +
                           "; check that libsane1 is installed");
  }
  return Status::Ok();
}

std::string UnitName(SANE_Unit unit) {
  switch (unit) {
    case SANE_UNIT_DPI: return " dpi";
    case SANE_UNIT_MM: return " mm";
    case SANE_UNIT_PERCENT: return " %";
    case SANE_UNIT_PIXEL: return " px";
    default: return "";
  }
}

std::string NumberText(const SANE_Option_Descriptor& d, SANE_Word w) {
  if (d.type == SANE_TYPE_FIXED) {
    char text[32];
    snprintf(text, sizeof text, "%g", SANE_UNFIX(w));
    return text;
  }
  return std::to_string(w);
}

std::string Allowed(const SANE_Option_Descriptor& d) {
  std::string allowed;
  if (d.constraint_type == SANE_CONSTRAINT_STRING_LIST) {
    for (const SANE_String_Const* s = d.constraint.string_list; *s != nullptr; ++s) {
      allowed += (allowed.empty() ? "" : "|") + std::string(*s);
    }
  } else if (d.constraint_type == SANE_CONSTRAINT_WORD_LIST) {
    for (int i = 1; i <= d.constraint.word_list[0]; ++i) {
      allowed += (allowed.empty() ? "" : "|") + NumberText(d, d.constraint.word_list[i]);
    }
  } else if (d.constraint_type == SANE_CONSTRAINT_RANGE) {
    allowed =
        NumberText(d, d.constraint.range->min) + ".." + NumberText(d, d.constraint.range->max);
  }
  return allowed.empty() ? allowed : allowed + UnitName(d.unit);
}

// The option's current value as text, for the kinds that have one to show.
std::string Value(SANE_Handle handle, int index, const SANE_Option_Descriptor& d) {
  if (!SANE_OPTION_IS_ACTIVE(d.cap) || !(d.cap & SANE_CAP_SOFT_DETECT) || d.size <= 0) return "";
  std::vector<SANE_Word> buffer(d.size / sizeof(SANE_Word) + 2);
  if (sane_control_option(handle, index, SANE_ACTION_GET_VALUE, buffer.data(), nullptr) !=
      SANE_STATUS_GOOD) {
    return "";
  }
  switch (d.type) {
    case SANE_TYPE_STRING: return reinterpret_cast<const char*>(buffer.data());
    case SANE_TYPE_BOOL: return buffer[0] ? "yes" : "no";
    case SANE_TYPE_INT:
    case SANE_TYPE_FIXED: return d.size == sizeof(SANE_Word) ? NumberText(d, buffer[0]) : "";
    default: return "";
  }
}

std::vector<ScannerOption> Options(SANE_Handle handle) {
  std::vector<ScannerOption> options;
  for (int i = 1;; ++i) {
    const SANE_Option_Descriptor* d = sane_get_option_descriptor(handle, i);
    if (d == nullptr) break;
    if (d->type == SANE_TYPE_GROUP || d->name == nullptr || *d->name == '\0') continue;
    if (!SANE_OPTION_IS_ACTIVE(d->cap) || !SANE_OPTION_IS_SETTABLE(d->cap)) continue;
    options.push_back({d->name, d->title ? d->title : "", Value(handle, i, *d), Allowed(*d)});
  }
  return options;
}

// What a SANE status means to the person at the scanner, after `pages` pages.
ScanOutcome Interrupted(SANE_Status status, int pages) {
  const std::string after = pages == 0 ? "" : " after " + std::to_string(pages) + " pages";
  switch (status) {
    case SANE_STATUS_NO_DOCS:
      return {ScanEnd::kEmptyFeeder, pages,
              "the feeder is empty: put the pages in the feeder and scan again"};
    case SANE_STATUS_JAMMED:
      return {ScanEnd::kJammed, pages,
              "the paper jammed" + after +
                  ": clear the jam, put the pages not yet scanned back in the feeder and scan "
                  "them"};
    case SANE_STATUS_COVER_OPEN:
      return {ScanEnd::kCoverOpen, pages,
              "the scanner's cover is open" + after + ": close it and scan the rest"};
    case SANE_STATUS_DEVICE_BUSY:
      return {ScanEnd::kBusy, pages,
              "the scanner is busy" + after +
                  " (another program is using it): close that program or wait, then scan "
                  "again"};
    case SANE_STATUS_CANCELLED:
      return {ScanEnd::kCancelled, pages, "the scan was cancelled" + after};
    case SANE_STATUS_IO_ERROR:
    case SANE_STATUS_ACCESS_DENIED:
      return {ScanEnd::kGone, pages,
              "the scanner stopped answering" + after + " (" + sane_strstatus(status) +
                  "): check that it is on and connected, then scan the rest"};
    default:
      return {ScanEnd::kFailed, pages,
              std::string("the scan failed") + after + ": " + sane_strstatus(status) +
                  "; scan the rest again"};
  }
}

class SaneScanner : public Scanner {
 public:
  SaneScanner(std::string name, SANE_Handle handle) : name_(std::move(name)), handle_(handle) {}
  ~SaneScanner() override { sane_close(handle_); }

  const std::string& name() const override { return name_; }
  bool feeder() const override { return feeder_; }
  bool duplex() const override { return duplex_; }

  Status Apply(const ScanSettings& settings) {
    if (!settings.source.empty()) {
      QUIRE_RETURN_IF_ERROR(SetString(SANE_NAME_SCAN_SOURCE, settings.source, /*source=*/true));
    }
    if (!settings.mode.empty() && Find(SANE_NAME_SCAN_MODE) > 0) {  // else grey or colour only
      QUIRE_RETURN_IF_ERROR(SetString(SANE_NAME_SCAN_MODE, settings.mode, /*source=*/false));
    }
    if (int depth = Find(SANE_NAME_BIT_DEPTH); depth > 0) SetWord(depth, 8);
    if (settings.resolution > 0) {
      const int index = Find(SANE_NAME_SCAN_RESOLUTION);
      if (index <= 0) return Status::InvalidArgument(name_ + " has no resolution to set");
      SetWord(index, settings.resolution);
    }
    return Status::Ok();
  }

  ScanOutcome Scan(const std::function<bool(capture::RawPage page)>& on_page) override {
    int pages = 0;
    for (;;) {
      if (cancelled_) return Stop(Interrupted(SANE_STATUS_CANCELLED, pages));
      const SANE_Status started = sane_start(handle_);
      if (started == SANE_STATUS_NO_DOCS && pages > 0) return Stop({ScanEnd::kDone, pages, ""});
      if (started != SANE_STATUS_GOOD) return Stop(Interrupted(started, pages));
      capture::RawPage page;
      const SANE_Status read = ReadPage(page);
      if (read != SANE_STATUS_GOOD) return Stop(Interrupted(read, pages));
      ++pages;
      if (!on_page(std::move(page)) || !feeder_) return Stop({ScanEnd::kDone, pages, ""});
    }
  }

  void Cancel() override {
    cancelled_ = true;
    sane_cancel(handle_);  // SANE allows this from a signal handler or another thread
  }

 private:
  ScanOutcome Stop(ScanOutcome outcome) {
    sane_cancel(handle_);
    return outcome;
  }

  int Find(const char* option) const {
    for (int i = 1;; ++i) {
      const SANE_Option_Descriptor* d = sane_get_option_descriptor(handle_, i);
      if (d == nullptr) return -1;
      if (d->name != nullptr && std::string(d->name) == option && SANE_OPTION_IS_ACTIVE(d->cap)) {
        return i;
      }
    }
  }

  void SetWord(int index, double value) {
    const SANE_Option_Descriptor* d = sane_get_option_descriptor(handle_, index);
    SANE_Word word = d->type == SANE_TYPE_FIXED ? SANE_FIX(value) : static_cast<SANE_Word>(value);
    sane_control_option(handle_, index, SANE_ACTION_SET_VALUE, &word, nullptr);
  }

  // Sets a string option to the device's value that `wanted` names. For the source, "ADF"
  // matches "ADF Front", "Automatic Document Feeder"..., "ADF Duplex" any name with "Duplex".
  Status SetString(const char* option, const std::string& wanted, bool source) {
    const int index = Find(option);
    const SANE_Option_Descriptor* d =
        index > 0 ? sane_get_option_descriptor(handle_, index) : nullptr;
    if (d == nullptr || d->constraint_type != SANE_CONSTRAINT_STRING_LIST) {
      return Status::InvalidArgument(name_ + " has no " + option + " to choose");
    }
    const std::string want = Lower(wanted);
    std::string chosen;
    for (const SANE_String_Const* s = d->constraint.string_list; *s != nullptr; ++s) {
      const std::string name = Lower(*s);
      const bool feeder =
          name.find("adf") != std::string::npos || name.find("feeder") != std::string::npos;
      const bool duplex = name.find("duplex") != std::string::npos;
      const bool matches = name == want || (!source && name.starts_with(want)) ||
                           (source && want == "adf" && feeder && !duplex) ||
                           (source && want == "adf duplex" && duplex);
      if (matches && (chosen.empty() || name == want)) chosen = *s;
    }
    if (chosen.empty()) {
      return Status::InvalidArgument("--" + std::string(source ? "source" : "mode") + " " + wanted +
                                     ": " + name_ + " offers " + Allowed(*d));
    }
    std::vector<char> value(chosen.begin(), chosen.end());
    value.resize(std::max<size_t>(d->size, chosen.size() + 1), '\0');
    const SANE_Status status =
        sane_control_option(handle_, index, SANE_ACTION_SET_VALUE, value.data(), nullptr);
    if (status != SANE_STATUS_GOOD) {
      return Status::InvalidArgument(name_ + " refused " + option + " " + chosen + ": " +
                                     sane_strstatus(status));
    }
    if (source) {
      const std::string name = Lower(chosen);
      feeder_ = name.find("adf") != std::string::npos || name.find("feeder") != std::string::npos;
      duplex_ = name.find("duplex") != std::string::npos;
    }
    return Status::Ok();
  }

  // Reads one frame of 8 or 16 bits per sample, grey or RGB, into `page`.
  SANE_Status ReadPage(capture::RawPage& page) {
    SANE_Parameters p;
    if (SANE_Status s = sane_get_parameters(handle_, &p); s != SANE_STATUS_GOOD) return s;
    if ((p.format != SANE_FRAME_GRAY && p.format != SANE_FRAME_RGB) ||
        (p.depth != 8 && p.depth != 16)) {
      return SANE_STATUS_UNSUPPORTED;  // three-pass colour, line art: asked for 8 bits above
    }
    std::string data;
    if (p.lines > 0) data.reserve(static_cast<size_t>(p.bytes_per_line) * p.lines);
    std::vector<SANE_Byte> buffer(1 << 16);
    for (;;) {
      WaitForData();
      if (cancelled_) return SANE_STATUS_CANCELLED;
      SANE_Int length = 0;
      const SANE_Status s = sane_read(handle_, buffer.data(), buffer.size(), &length);
      if (cancelled_) return SANE_STATUS_CANCELLED;  // a read cut short gives no length to trust
      if (s == SANE_STATUS_EOF) break;
      if (s != SANE_STATUS_GOOD) return s;
      if (length < 0 || length > static_cast<SANE_Int>(buffer.size())) return SANE_STATUS_IO_ERROR;
      data.append(reinterpret_cast<const char*>(buffer.data()), length);
    }
    const int channels = p.format == SANE_FRAME_RGB ? 3 : 1;
    const int bytes_per_sample = p.depth / 8;
    const int lines = static_cast<int>(data.size() / p.bytes_per_line);  // hand scanners: -1
    page.width = p.pixels_per_line;
    page.height = lines;
    page.channels = channels;
    page.dpi = Resolution();
    page.pixels.resize(static_cast<size_t>(page.width) * lines * channels);
    for (int y = 0; y < lines; ++y) {
      const char* row = data.data() + static_cast<size_t>(y) * p.bytes_per_line;
      char* out = page.pixels.data() + static_cast<size_t>(y) * page.width * channels;
      for (int x = 0; x < page.width * channels; ++x) {
        // 16 bits in the machine's order: the high byte is enough for reading.
        out[x] = bytes_per_sample == 1
                     ? row[x]
                     : static_cast<char>(reinterpret_cast<const uint16_t*>(row)[x] >> 8);
      }
    }
    return lines > 0 ? SANE_STATUS_GOOD : SANE_STATUS_IO_ERROR;
  }

  // Waits until the device has data, when its backend offers a descriptor to wait on. Backends
  // built on sanei_thread cancel their reader thread asynchronously: a read that fails at once
  // (a jam) and the cancel after it would otherwise catch that thread starting up, inside
  // malloc, which hangs the process (seen with SANE's test backend).
  void WaitForData() const {
    SANE_Int fd = -1;
    if (sane_get_select_fd(handle_, &fd) != SANE_STATUS_GOOD || fd < 0) return;
    pollfd ready{fd, POLLIN, 0};
    while (!cancelled_ && poll(&ready, 1, /*timeout_ms=*/100) == 0) {
    }
  }

  int Resolution() const {
    const int index = Find(SANE_NAME_SCAN_RESOLUTION);
    if (index <= 0) return 0;
    const SANE_Option_Descriptor* d = sane_get_option_descriptor(handle_, index);
    SANE_Word word = 0;
    if (d->size != sizeof(SANE_Word) || sane_control_option(handle_, index, SANE_ACTION_GET_VALUE,
                                                            &word, nullptr) != SANE_STATUS_GOOD) {
      return 0;
    }
    return d->type == SANE_TYPE_FIXED ? static_cast<int>(SANE_UNFIX(word)) : word;
  }

  const std::string name_;
  const SANE_Handle handle_;
  bool feeder_ = false;
  bool duplex_ = false;
  std::atomic<bool> cancelled_ = false;
};

}  // namespace

Result<std::vector<ScannerDevice>> ListScanners() {
  QUIRE_RETURN_IF_ERROR(StartSane());
  const SANE_Device** list = nullptr;
  if (SANE_Status s = sane_get_devices(&list, SANE_FALSE); s != SANE_STATUS_GOOD) {
    return Status::IoError(std::string("SANE cannot list the scanners: ") + sane_strstatus(s));
  }
  std::vector<ScannerDevice> devices;
  for (const SANE_Device** d = list; *d != nullptr; ++d) {
    ScannerDevice device{(*d)->name, (*d)->vendor, (*d)->model, (*d)->type, {}};
    SANE_Handle handle = nullptr;
    if (sane_open((*d)->name, &handle) == SANE_STATUS_GOOD) {
      device.options = Options(handle);
      sane_close(handle);
    }
    devices.push_back(std::move(device));
  }
  return devices;
}

nlohmann::json ToJson(const ScannerDevice& device) {
  nlohmann::json options = nlohmann::json::array();
  for (const ScannerOption& o : device.options) {
    options.push_back(
        {{"name", o.name}, {"title", o.title}, {"value", o.value}, {"allowed", o.allowed}});
  }
  return {{"name", device.name},
          {"vendor", device.vendor},
          {"model", device.model},
          {"type", device.type},
          {"options", std::move(options)}};
}

Result<std::unique_ptr<Scanner>> Scanner::Open(const ScanSettings& settings) {
  QUIRE_RETURN_IF_ERROR(StartSane());
  std::string name = settings.device;
  if (name.empty()) {
    const SANE_Device** list = nullptr;
    if (sane_get_devices(&list, SANE_FALSE) != SANE_STATUS_GOOD || list[0] == nullptr) {
      return Status::NotFound(
          "no scanner found: check that it is on and connected (quire scan --list shows what "
          "SANE sees; scanimage -L too)");
    }
    name = list[0]->name;
  }
  SANE_Handle handle = nullptr;
  if (SANE_Status s = sane_open(name.c_str(), &handle); s != SANE_STATUS_GOOD) {
    if (s == SANE_STATUS_DEVICE_BUSY) {
      return Status::IoError("scanner " + name +
                             " is busy (another program is using it): close that program "
                             "or wait, then scan again");
    }
    return Status::NotFound("scanner " + name + " cannot be opened (" + sane_strstatus(s) +
                            "): quire scan --list shows the scanners there are");
  }
  auto scanner = std::make_unique<SaneScanner>(name, handle);
  QUIRE_RETURN_IF_ERROR(scanner->Apply(settings));
  return std::unique_ptr<Scanner>(std::move(scanner));
}

}  // namespace quire::app
