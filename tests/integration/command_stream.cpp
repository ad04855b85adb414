// The writers of a CommandStream: per organization, a client first, then notes, action items, sessions and more
// clients in turn.
#include "tests/integration/command_stream.hpp"

#include <map>

namespace debrief::it {
namespace json = boost::json;

std::string transcript_for(int n) {
    return "Coach Sam: Session " + std::to_string(n) + ", what went well?\nAgent " + std::to_string(n % 7) +
           ": The new greeting worked.\nCoach Sam: Good, keep it.\n";
}

CommandStream::CommandStream(unsigned short port, std::vector<Account> organizations, Ledger& ledger, int threads)
    : port_(port), organizations_(std::move(organizations)), ledger_(ledger) {
    for (int w = 0; w < threads; ++w) writers_.emplace_back([this, w] { write(w); });
}

CommandStream::~CommandStream() { stop(); }

void CommandStream::stop() {
    stopping_ = true;
    for (auto& writer : writers_)
        if (writer.joinable()) writer.join();
}

std::vector<std::string> CommandStream::refusals() const {
    std::lock_guard lock(mutex_);
    return refusals_;
}

void CommandStream::write(int writer) {
    HttpClient client(port_);
    std::map<std::string, std::string> client_of;  // organization -> a client this writer registered there
    while (!stopping_) {
        const int n = next_++;
        const auto& account = organizations_[static_cast<std::size_t>(n) % organizations_.size()];
        const auto& known = client_of[account.organization_id];
        const int step = known.empty() ? 0 : (n / static_cast<int>(organizations_.size())) % 4;
        std::string target;
        json::object body;
        Kind kind = Kind::client;
        switch (step) {
            case 0:
                target = "/v1/clients";
                body = {{"name", "Client " + std::to_string(writer) + "-" + std::to_string(n)}};
                break;
            case 1:
                target = "/v1/notes";
                body = {{"client_id", known}, {"text", "Note " + std::to_string(n) + ": follow up on the greeting"}};
                kind = Kind::note;
                break;
            case 2:
                target = "/v1/action-items";
                body = {{"client_id", known}, {"title", "Practise the greeting " + std::to_string(n)}, {"due_date", "2026-12-01"}};
                kind = Kind::action_item;
                break;
            default:
                target = "/v1/sessions";
                body = session_body("plain", transcript_for(n));
                kind = Kind::session;
                break;
        }
        HttpResult response;
        try {
            response = client.post_json(target, body, account.access_token);
        } catch (const std::exception&) {
            connection_lost_ = true;  // the server died under us: what a crash test expects
            return;
        }
        if (response.status / 100 != 2) {
            ++refused_;
            std::lock_guard lock(mutex_);
            if (refusals_.size() < 5) refusals_.push_back(target + ": " + std::to_string(response.status) + " " + response.body);
            continue;
        }
        const auto id = std::string(response.json().at("id").as_string());
        ledger_.acknowledge(kind, id);
        if (kind == Kind::client) client_of[account.organization_id] = id;
        ++acknowledged_;
    }
}

}  // namespace debrief::it
