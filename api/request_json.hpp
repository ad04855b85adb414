// Reading JSON request bodies with precise errors: malformed JSON, a missing field and a wrong type each say so.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/http/http_message.hpp"
#include "commands/result.hpp"
#include "commands/text_rules.hpp"

namespace debrief::api {

using commands::TextKind;

// The body must be a JSON object sent as application/json (or without a content type). Every string in it, keys
// included and at any depth, is checked as TextKind::multiline (422 invalid_characters naming its path, e.g.
// "transcript.text"), with its line breaks normalised to LF: no route can take a NUL or a control character in.
Result<boost::json::object> parse_json_object(const HttpRequest& request);
// String fields are one line unless the route says otherwise; names are checked further by the deciders.
Result<std::string> required_string(const boost::json::object& object, std::string_view field, TextKind kind = TextKind::line);
Result<std::optional<std::string>> optional_string(const boost::json::object& object, std::string_view field,
                                                   TextKind kind = TextKind::line);
// Absent or null: an empty list; otherwise every element must be a string (one line each unless told otherwise).
Result<std::vector<std::string>> optional_string_array(const boost::json::object& object, std::string_view field,
                                                       TextKind kind = TextKind::line);
Result<boost::json::object> required_object(const boost::json::object& object, std::string_view field);

HttpResponse json_response(int status, const boost::json::value& body);

}  // namespace debrief::api
