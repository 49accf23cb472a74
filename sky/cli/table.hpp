#pragma once
// Aligned text tables for people: a header row, then rows, each column as
// wide as its widest cell, two spaces between columns.

#include <iosfwd>
#include <string>
#include <vector>

namespace skynet::sky {

class table {
public:
    explicit table(std::vector<std::string> header) : rows_{std::move(header)} {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void print(std::ostream& out) const;

private:
    std::vector<std::vector<std::string>> rows_;
};

// "a, b, c"; "-" for none.
std::string joined(const std::vector<std::string>& items);

}  // namespace skynet::sky
