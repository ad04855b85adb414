// A Beast response as the tests' HttpResult (header names lower-cased). Only for .cpp files that use Beast already.
#pragma once

#include <boost/beast/http.hpp>
#include <cctype>
#include <string>

#include "tests/integration/harness.hpp"

namespace debrief::it {

inline HttpResult to_http_result(const boost::beast::http::response<boost::beast::http::string_body>& response) {
    HttpResult result;
    result.status = response.result_int();
    for (const auto& field : response) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        result.headers[name] = std::string(field.value());
    }
    result.body = response.body();
    return result;
}

}  // namespace debrief::it
