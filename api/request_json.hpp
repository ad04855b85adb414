// Reading JSON request bodies with precise errors: malformed JSON, a missing field and a wrong type each say so.
#pragma once

#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "api/http/http_message.hpp"
#include "commands/text_rules.hpp"
#include "common/result.hpp"

namespace debrief::api {

using commands::TextKind;

// The body must be a JSON object sent as application/json: a body without a Content-Type is 415 like a wrong one.
// Every string in it, keys included and at any depth, is checked as TextKind::multiline (422 invalid_characters
// naming its path, e.g. "transcript.text"), with its line breaks normalised to LF: no route can take a NUL or a
// control character in.
Result<boost::json::object> parse_json_object(const HttpRequest& request);
// True when the request's Content-Type names this media type (any case, any parameters).
bool has_media_type(const HttpRequest& request, std::string_view media_type);
// String fields are one line unless the route says otherwise; names are checked further by the deciders.
Result<std::string> required_string(const boost::json::object& object, std::string_view field, TextKind kind = TextKind::line);
Result<std::optional<std::string>> optional_string(const boost::json::object& object, std::string_view field,
                                                   TextKind kind = TextKind::line);
// Absent or null: an empty list; otherwise every element must be a string (one line each unless told otherwise).
Result<std::vector<std::string>> optional_string_array(const boost::json::object& object, std::string_view field,
                                                       TextKind kind = TextKind::line);
// Several optional string fields, each into its own slot; the first that is not a string (or not clean text) is the error.
struct OptionalField {
    const char* name;
    std::optional<std::string>* out;
    TextKind kind = TextKind::line;
};
std::optional<Error> read_optional_strings(const boost::json::object& object, std::initializer_list<OptionalField> fields);
Result<boost::json::object> required_object(const boost::json::object& object, std::string_view field);

HttpResponse json_response(int status, const boost::json::value& body);
// 204: done, nothing to say.
HttpResponse no_content();

}  // namespace debrief::api
