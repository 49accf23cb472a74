// mmi.service_stats's document (skynet/bus/mmi.hpp).
#include <algorithm>
#include <cstdint>

#include "skynet/bus/bson_array.hpp"
#include "skynet/bus/bson_array_builder.hpp"
#include "skynet/bus/bson_iterator.hpp"
#include "skynet/bus/mmi.hpp"

namespace skynet::bus::mmi {

namespace {
// The figures and their keys, once for both directions.
template <class Figures, class Each>
void for_each_figure(Figures& f, Each&& each) {
    each("queued", f.queued);
    each("workers", f.workers);
    each("idle", f.idle);
    each("busy", f.busy);
    each("requests", f.requests);
    each("errors", f.errors);
}

std::int64_t as_int64(std::uint64_t n) noexcept {
    return n > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(n);
}
}  // namespace

bson_doc encode_service_figures(std::span<const service_figures> known) {
    bson_array_builder list;
    for (const auto& s : known) {
        list.add_document_with([&](bson_doc& d) {
            d.add_string("name", s.name);
            for_each_figure(s, [&](std::string_view key, std::uint64_t value) {
                d.add_int64(key, as_int64(value));
            });
        });
    }
    bson_doc doc;
    doc.add_array("services", list);
    return doc;
}

result<std::vector<service_figures>> decode_service_figures(const bson_view& doc) {
    auto list = doc.read_array("services");
    if (!list) {
        return list.err();
    }
    std::vector<service_figures> out;
    for (const auto& element : *list) {
        auto entry = element.get_document();
        auto name = entry ? entry->get_string("name") : std::nullopt;
        if (!name) {
            return error{errc::bad_request, "a service entry is not a document with a name"};
        }
        auto& f = out.emplace_back();
        f.name = std::string(*name);
        for_each_figure(f, [&](std::string_view key, std::uint64_t& value) {
            value = static_cast<std::uint64_t>(
                std::max<std::int64_t>(0, entry->get_int64(key).value_or(0)));
        });
    }
    return out;
}

}  // namespace skynet::bus::mmi
