// Validation rules for text shared by the deciders and the HTTP boundary: trimming, bounded names, and what
// characters a field may hold at all.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace debrief::commands {

// What a text field is for decides which characters it may hold. Every kind must be valid UTF-8 and holds no NUL,
// no DEL and no other C0 or C1 control character.
enum class TextKind {
    multiline,  // free text (a note, a transcript, a refinement request): tab and line feed are allowed
    line,       // one line (a title, an e-mail address, a date): no tab, no line break, no U+2028/U+2029
    name,       // what people read as an identity (a client, a user, a speaker, a tag): one line, and no bidi
                // controls or invisible characters, so that "\u202EecarG" cannot pass for another name
};

std::string_view trim(std::string_view text);
// The byte offset of the first sequence that is not well-formed UTF-8 (truncated, overlong, a surrogate, beyond
// U+10FFFF), or nullopt.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);
inline bool is_valid_utf8(std::string_view text) { return !first_invalid_utf8(text); }
// The text with every byte that is not part of well-formed UTF-8 replaced by U+FFFD: for echoing outside input
// (a CSV column name in an error) into JSON, which must be UTF-8.
std::string with_invalid_utf8_replaced(std::string_view text);
// The first problem of `value` as a `kind` field, as a 422 `invalid_characters` naming `field`; nullopt if it is clean.
std::optional<Error> check_text(std::string_view field, std::string_view value, TextKind kind);
// A required, trimmed, 1..200 character name (TextKind::name); returns the error if it is not.
std::optional<Error> check_name(std::string_view field, std::string_view value);
// CRLF and lone CR become LF and a leading byte order mark is dropped: how line breaks are stored.
std::string normalise_line_breaks(std::string_view text);

}  // namespace debrief::commands
