// A bad-input corpus on disk: a folder of tests/controller_live/ with one
// case per .yaml file, whose first line states the outcome the case must
// show, "# expect: TEXT" (the object is created and the controller says
// TEXT) or "# refused: TEXT" (the API server's schema refuses it with TEXT).
// A "# defect: TEXT" line marks a case that shows a known controller defect.
// Header-only.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace certmill::test {

struct CorpusCase {
  std::string file;  // the file's name, for the person reading a failure
  std::string name;  // the stem less its number: the object's name
  std::string yaml;
  bool refused = false;  // by the schema, rather than by the controller
  std::string expect;    // a part of the refusal, or the controller's words
  std::string defect;    // empty unless the case shows a known defect

  // For an expectation of the form "REASON: TEXT": REASON, and TEXT.
  std::string reason() const { return expect.substr(0, expect.find(": ")); }
  std::string words() const { return expect.substr(expect.find(": ") + 2); }
};

// The rest of the line that starts with `tag`, empty when there is none.
inline std::string line_after(const std::string& text, const std::string& tag) {
  const auto at = text.find("\n" + tag);
  if (at == std::string::npos)
    return {};
  const auto from = at + 1 + tag.size();
  return text.substr(from, text.find('\n', from) - from);
}

// The cases of `folder`, sorted by name.
inline std::vector<CorpusCase> read_corpus(const std::string& folder) {
  std::vector<CorpusCase> out;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".yaml")
      continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    CorpusCase c;
    c.file = entry.path().filename().string();
    c.yaml = text.str();
    const std::string stem = entry.path().stem().string();
    c.name = stem.substr(stem.find('-') + 1);
    const std::string first = c.yaml.substr(0, c.yaml.find('\n'));
    for (const char* tag : {"# expect: ", "# refused: "}) {
      if (first.starts_with(tag)) {
        c.refused = std::string_view(tag) == "# refused: ";
        c.expect = first.substr(std::string_view(tag).size());
      }
    }
    c.defect = line_after(c.yaml, "# defect: ");
    INFO(c.file);
    REQUIRE_FALSE(c.expect.empty());
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(),
            [](const CorpusCase& a, const CorpusCase& b) { return a.name < b.name; });
  return out;
}

}  // namespace certmill::test

// A check of a case's outcome. For a case marked "# defect:" it is reported
// without failing the test: the corpus keeps the case, and the mark comes
// off once the controller is fixed.
#define CORPUS_CHECK(c, ...)     \
  do {                           \
    if ((c).defect.empty()) {    \
      CHECK(__VA_ARGS__);        \
    } else {                     \
      CHECK_NOFAIL(__VA_ARGS__); \
    }                            \
  } while (false)
