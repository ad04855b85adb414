// The search index's keys. The organization is the second part of every key, so a query, which builds its keys from
// the caller's organization, cannot name another organization's postings:
//   x/<org>/m                         the organization's counters (next document number, each field's statistics)
//   x/<org>/t/<field>/<term>          the term dictionary: document frequency, each block's id, bounds and size
//   x/<org>/p/<field>/<term>\0<id>    a block of postings (id: 4 bytes big-endian, the block's first document when made)
//   x/<org>/d/<doc>                   a stored document (doc: 4 bytes big-endian)
//   x/<org>/e/<thing>                 the documents of a session's transcript, a summary, an action item or a note
//   x/<org>/c/<client>/<doc>          a document that concerns a client (what erasure removes), one key each, so
//                                     that adding one never rewrites the others (doc: 4 bytes big-endian)
//   x/<org>/c/<client>                the same as one list, as builds before 2026-12-08 wrote it (still read)
//   x/<org>/r/<kind>/<id>             what the indexer remembers of sessions, clients, users and summaries
//   x/<org>/w/<coach>/<word>          how many documents of the coach hold the word (folded, not stemmed), for
//                                     suggestions; coach "*": of the whole organization
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "projections/search/search_document.hpp"

namespace debrief::projections::index_keys {

inline void append_big_endian(std::string& key, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) key += static_cast<char>((value >> shift) & 0xff);
}
inline std::uint32_t read_big_endian(std::string_view bytes) {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
    return value;
}
inline std::string organization(std::string_view org) { return "x/" + std::string(org) + "/"; }
inline std::string meta(std::string_view org) { return organization(org) + "m"; }
inline std::string field_part(SearchField field) { return std::string(1, static_cast<char>('0' + static_cast<int>(field))) + "/"; }
inline std::string terms(std::string_view org, SearchField field) { return organization(org) + "t/" + field_part(field); }
inline std::string term(std::string_view org, SearchField field, std::string_view term) { return terms(org, field) + std::string(term); }
inline std::string block(std::string_view org, SearchField field, std::string_view term, std::uint32_t id) {
    auto key = organization(org) + "p/" + field_part(field) + std::string(term);
    key += '\0';
    append_big_endian(key, id);
    return key;
}
inline std::string documents(std::string_view org) { return organization(org) + "d/"; }
inline std::string document(std::string_view org, std::uint32_t doc) {
    auto key = documents(org);
    append_big_endian(key, doc);
    return key;
}
inline std::string thing(std::string_view org, std::string_view id) { return organization(org) + "e/" + std::string(id); }
inline std::string client(std::string_view org, std::string_view id) { return organization(org) + "c/" + std::string(id); }
inline std::string client_documents(std::string_view org, std::string_view id) { return client(org, id) + "/"; }
inline std::string client_document(std::string_view org, std::string_view id, std::uint32_t doc) {
    auto key = client_documents(org, id);
    append_big_endian(key, doc);
    return key;
}
inline constexpr std::string_view whole_organization = "*";
inline std::string words(std::string_view org, std::string_view coach) { return organization(org) + "w/" + std::string(coach) + "/"; }
inline std::string word(std::string_view org, std::string_view coach, std::string_view word) { return words(org, coach) + std::string(word); }
inline std::string records(std::string_view org, std::string_view kind) { return organization(org) + "r/" + std::string(kind) + "/"; }
inline std::string record(std::string_view org, std::string_view kind, std::string_view id) { return records(org, kind) + std::string(id); }

// The organization of a user's or a client's record key, or nullopt for any other key: a batch that changes one
// changes the names the query side knows.
inline std::optional<std::string> organization_of_person(std::string_view key) {
    if (!key.starts_with("x/")) return std::nullopt;
    const auto end = key.find('/', 2);
    if (end == std::string_view::npos) return std::nullopt;
    const auto rest = key.substr(end + 1);
    if (!rest.starts_with("r/user/") && !rest.starts_with("r/client/")) return std::nullopt;
    return std::string(key.substr(2, end - 2));
}

}  // namespace debrief::projections::index_keys
