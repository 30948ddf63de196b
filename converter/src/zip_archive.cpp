#include "zip_archive.hpp"

#include <algorithm>
#include <zip.h>

#include "grurt_convert/conversion_error.hpp"

namespace grurt::convert {

void ZipArchive::Closer::operator()(zip* archive) const { zip_discard(archive); }

ZipArchive::ZipArchive(const std::uint8_t* bytes, std::size_t size, std::string kind)
    : kind_(std::move(kind)),
      total_budget_(std::max<std::uint64_t>(kInflationFactor * size, kMinInflationBudget)),
      budget_(total_budget_) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes, size, 0, &error);
  if (source != nullptr) {
    archive_.reset(zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error));
    if (!archive_) zip_source_free(source);
  }
  if (!archive_) {
    const std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw ConversionError("not a readable zip archive (" + reason + "): the file is truncated or corrupted");
  }
  zip_error_fini(&error);
}

std::vector<std::string> ZipArchive::names() const {
  std::vector<std::string> all;
  const zip_int64_t count = zip_get_num_entries(archive_.get(), 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(archive_.get(), static_cast<zip_uint64_t>(i), 0);
    if (name != nullptr) all.emplace_back(name);
  }
  return all;
}

std::vector<std::uint8_t> ZipArchive::read(const std::string& name, std::uint64_t limit) {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat(archive_.get(), name.c_str(), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE)) {
    throw ConversionError("archive entry '" + name + "' is missing");
  }
  if (stat.size > limit) {
    throw ConversionError("archive entry '" + name + "' has " + std::to_string(stat.size) + " bytes, more than " +
                          std::to_string(limit));
  }
  if (stat.size > budget_) {
    throw ConversionError("archive entries inflate to more than " + std::to_string(total_budget_) + " bytes (" +
                          std::to_string(kInflationFactor) + " times the file, at least " +
                          std::to_string(kMinInflationBudget) + ") by entry '" + name + "': not a " + kind_ +
                          " (a zip bomb?)");
  }
  budget_ -= stat.size;
  std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen(archive_.get(), name.c_str(), 0), zip_fclose);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(stat.size));
  if (!file || zip_fread(file.get(), bytes.data(), stat.size) != static_cast<zip_int64_t>(stat.size)) {
    throw ConversionError("archive entry '" + name + "' cannot be read (corrupted archive?)");
  }
  return bytes;
}

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace grurt::convert
