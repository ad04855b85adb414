#include "app/export_command.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>

#include "app/admin_client.hpp"

namespace debrief::app {
namespace {

constexpr const char* usage_text =
        "usage: debrief export --organization <id> [--from <time>] [--to <time>] [--type <pattern>] [--format jsonl|csv]\n"
        "                      [--output <file>] [--url http://127.0.0.1:8080] --token <an admin's access token>\n"
        "Streams the organization's events, one per line: CloudEvents JSON (jsonl, the default) or CSV of one event type\n"
        "with a header row. --from and --to are RFC 3339 times or dates (from inclusive, to exclusive); --type matches\n"
        "event types, '*' matching anything (debrief.session.*). Sealed personal fields are opened; the export is audited.\n";

int refuse(const std::string& message, int status) {
    std::cerr << message;
    return status;
}

}  // namespace

int export_command(const std::vector<std::string>& arguments) {
    // Each option and the query parameter it becomes.
    const std::map<std::string, std::string> options{{"--organization", "organization_id"}, {"--from", "from"}, {"--to", "to"},
                                                     {"--type", "type"}, {"--format", "format"}};
    std::map<std::string, std::string> query;
    std::string url = "http://127.0.0.1:8080", token, output;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        auto a = arguments[i];
        std::string value;
        if (auto eq = a.find('='); a.starts_with("--") && eq != std::string::npos) {
            value = a.substr(eq + 1);
            a = a.substr(0, eq);
        } else if (a == "--help" || a == "-h") {
            std::cout << usage_text;
            return 0;
        } else if (i + 1 < arguments.size()) {
            value = arguments[++i];
        } else {
            return refuse("debrief export: " + a + " needs a value\n" + usage_text, 2);
        }
        if (auto option = options.find(a); option != options.end()) query[option->second] = value;
        else if (a == "--url") url = value;
        else if (a == "--token") token = value;
        else if (a == "--output") output = value;
        else return refuse("debrief export: unknown argument '" + a + "'\n" + usage_text, 2);
    }
    if (token.empty() || !query.contains("organization_id")) return refuse(usage_text, 2);
    const auto server = parse_admin_url(url);
    if (!server) return refuse("debrief export: --url must be http://host:port, e.g. http://127.0.0.1:8080\n", 2);
    std::string target = "/v1/admin/export";
    for (const auto& [name, value] : query)
        target += (target.find('?') == std::string::npos ? "?" : "&") + name + "=" + boost::urls::encode(value, boost::urls::unreserved_chars);
    std::ofstream file;
    if (!output.empty()) {
        file.open(output, std::ios::binary | std::ios::trunc);
        if (!file) return refuse("debrief export: cannot write " + output + "\n", 1);
    }
    std::ostream& out = output.empty() ? std::cout : file;
    try {
        auto reply = stream_get(*server, target, token, [&out](std::string_view piece) { out.write(piece.data(), static_cast<std::streamsize>(piece.size())); });
        if (reply.status != 200) return refuse("debrief export: " + detail_of(reply) + "\n", 1);
        out.flush();
        if (!out) return refuse("debrief export: writing the export failed\n", 1);
        return 0;
    } catch (const std::exception& e) {
        return refuse("debrief export: " + url + ": " + e.what() + " (the export is incomplete)\n", 1);
    }
}

}  // namespace debrief::app
