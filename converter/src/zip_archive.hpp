// A zip archive read from memory, with the limits every zip-based reader
// (torch.save files, NumPy .npz) needs against hostile files: entries inflate
// to at most 16 times the file (at least 4 MB) in total, so a deflate bomb
// stops early, and each entry read has its own size limit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct zip;

namespace grurt::convert {

// Bytes all entries together may inflate to: kInflationFactor times the file,
// at least kMinInflationBudget.
constexpr std::uint64_t kInflationFactor = 16;
constexpr std::uint64_t kMinInflationBudget = 4u << 20;

class ZipArchive {
 public:
  // Throws ConversionError when the bytes are not a readable zip. `kind` names
  // what the archive should be ("torch.save file") in the zip-bomb message.
  // The bytes must outlive the archive.
  ZipArchive(const std::uint8_t* bytes, std::size_t size, std::string kind);

  // Entry names, in the archive's order.
  std::vector<std::string> names() const;

  // The entry's bytes; throws when it is missing, larger than `limit`, past
  // the archive's inflation budget or unreadable.
  std::vector<std::uint8_t> read(const std::string& name, std::uint64_t limit);

 private:
  struct Closer {
    void operator()(zip* archive) const;
  };
  std::unique_ptr<zip, Closer> archive_;
  std::string kind_;
  std::uint64_t total_budget_;  // bytes all entries may inflate to
  std::uint64_t budget_;        // of which still unread
};

bool ends_with(const std::string& text, const std::string& tail);

}  // namespace grurt::convert
