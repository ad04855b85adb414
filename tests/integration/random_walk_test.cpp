// A seeded random walk over the whole API on the real services: commands that omit optional fields and use boundary
// values, from every role, each followed by a read of every list and detail route as every role with ?position= of
// the last accepted command. Nothing may answer 5xx; every answer is JSON, every error problem+json with a code.
// DEBRIEF_TEST_SEED replays a walk; DEBRIEF_TEST_STEPS makes it longer (default 500).
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "tests/integration/harness.hpp"

using namespace debrief;
using namespace debrief::it;
namespace json = boost::json;

namespace {

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
    const char* value = std::getenv(name);
    return value && *value ? std::strtoull(value, nullptr, 10) : fallback;
}

// A login the walk acts as.
struct Persona {
    std::string role;  // as invited; a later role change is the server's to apply
    std::string name;
    std::string id;
    std::string email;
    std::string token;
    std::string refresh_token;
    bool active = true;  // a deactivated user's every request is a 401, so the walk mostly acts as active ones
};

struct Known {
    std::vector<std::string> ids;
    void add(const std::string& id) {
        if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
};

class Walk {
public:
    Walk(const HttpClient& http, std::uint64_t seed) : http_(http), seed_(seed), random_(seed) {}

    std::vector<std::string> failures;
    std::map<std::string, int> answers;  // "METHOD /route status" -> how many, to show how far the walk got
    int reads = 0;
    int accepted = 0;  // commands that appended events

    std::size_t known(const std::string& kind) const {
        const std::map<std::string, const Known*> all{{"clients", &clients_},   {"sessions", &sessions_},     {"summaries", &summaries_},
                                                      {"approved", &approved_}, {"action items", &items_},    {"notes", &notes_},
                                                      {"templates", &templates_}, {"follow-ups", &follow_ups_}, {"imports", &imports_}};
        return all.at(kind)->ids.size();
    }
    std::size_t people() const { return people_.size(); }
    int steps_walked() const { return step_ - 1; }

    // Walks `steps` steps, and on past them (up to twice as many) until `accepted_wanted` commands were accepted:
    // how many a seed gets accepted varies, and a walk that changed little proves little.
    void run(int steps, int accepted_wanted) {
        set_up();
        for (step_ = 1; (step_ <= steps || (accepted < accepted_wanted && step_ <= 2 * steps)) && !stopped(); ++step_) {
            command();
            if (!stopped()) sweep();
        }
    }

private:
    const HttpClient& http_;
    std::uint64_t seed_;
    std::mt19937_64 random_;
    int step_ = 0;
    std::string action_;  // what the current step does, for the failure message
    std::set<std::string> failed_kinds_;
    bool stuck_ = false;  // a read model stopped advancing: every later wait would time out too

    std::vector<Persona> people_;  // people_[0] is the organization's first admin
    Persona stranger_;             // the admin of another organization
    std::string position_;         // of the last accepted command of the walk's organization
    std::map<std::string, std::string> client_names_;
    Known clients_, sessions_, summaries_, approved_, items_, notes_, templates_, follow_ups_, imports_;
    int counter_ = 0;
    std::string body_format_override_;  // set when a step replaces the generated transcript with a plain one

    bool stopped() const { return stuck_ || failures.size() >= 10; }

    // ---- randomness -------------------------------------------------------------------------------------------
    std::size_t below(std::size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(random_) < p; }
    template <typename T>
    const T& pick(const std::vector<T>& from) { return from[below(from.size())]; }
    std::string pick_id(const Known& known) {
        if (known.ids.empty() || chance(0.05)) return chance(0.5) ? "00000000-0000-4000-8000-000000000000" : "not-a-uuid";
        return chance(0.5) ? known.ids.back() : pick(known.ids);
    }

    static std::string repeat(const std::string& unit, std::size_t count) {
        std::string out;
        for (std::size_t i = 0; i < count; ++i) out += unit;
        return out;
    }

    // Text for a field documented as at most `limit` characters: ordinary, at the limit, one past it, multi-byte at
    // the limit, empty, blank, quotes and braces (array literals), words that mean something to SQL.
    std::string text(std::size_t limit) {
        if (chance(0.4)) return "Plain words " + std::to_string(++counter_);
        switch (below(13)) {
            case 0: return "";
            case 1: return "   ";
            case 2: return repeat("a", limit);
            case 3: return repeat("a", limit + 1);
            case 4: return repeat("\xC3\xA9", limit);  // é: limit characters, twice as many bytes
            case 5: return "x";
            case 6: return "Zo\xC3\xAB \xC3\x85ngstr\xC3\xB6m \xE6\x9D\x8E \xF0\x9F\x99\x82";
            case 7: return "quote \" backslash \\ braces {a,b} NULL";
            case 8: return "NULL";
            case 9: return "'; drop table clients; --";
            // What the text rules refuse (422 invalid_characters): NUL, C0/C1 controls, look-alike names, CR alone.
            case 10: return pick(std::vector<std::string>{std::string("a\0b", 3), "bell\x07", "esc\x1b[31m", "nel\xC2\x85", "del\x7f",
                                                          "\xE2\x80\xAE" "ecarG", "Gr\xE2\x80\x8B" "ace", "tab\there", "line\nbreak", "cr\ronly"});
            default: return "Plain words " + std::to_string(++counter_);
        }
    }
    // A query parameter's value with bytes that JSON bodies cannot carry: invalid UTF-8, NUL, bidi overrides.
    std::string odd_query_value() {
        return pick(std::vector<std::string>{"%FF", "%00", "%C3", "abc%FFdef", "%E2%80%AE", "%0A", "%22%5C", "%20"});
    }
    std::string name() {
        if (chance(0.6)) return pick(std::vector<std::string>{"Grace", "Priya Shah", "Omar", "Lin", "Maria Lopez", "Jon"}) + " " +
                                std::to_string(++counter_);
        return text(200);
    }
    std::string date() {
        static const std::vector<std::string> dates{"2024-02-29", "1970-01-01", "9999-12-31", "2026-11-20", "2025-12-31", "2023-02-29",
                                                    "0001-01-01", "1969-12-31", "",           "2026-13-01", "20261120",   "2026-1-1"};
        return chance(0.5) ? "2026-11-20" : pick(dates);
    }
    std::string email() {
        switch (below(5)) {
            case 0: return "";
            case 1: return "not an address";
            case 2: return "UPPER" + std::to_string(++counter_) + "@Example.COM";
            default: return "person" + std::to_string(++counter_) + "@walk.example.com";
        }
    }
    // A field present with a value, present as null, or absent.
    void maybe(json::object& body, const char* field, json::value value, double present = 0.6) {
        if (chance(present)) body[field] = std::move(value);
        else if (chance(0.3)) body[field] = nullptr;
    }

    const Persona& actor() {
        // Mostly coaching roles, so that commands get far enough to matter; clients and strangers now and then.
        if (chance(0.04)) return stranger_;
        if (chance(0.5)) return people_[0];
        const auto& chosen = pick(people_);
        return chosen.active || chance(0.1) ? chosen : people_[0];
    }
    const Persona* with_role(const std::string& role) {
        std::vector<const Persona*> matching;
        for (const auto& p : people_)
            if (p.role == role && p.active) matching.push_back(&p);
        return matching.empty() ? nullptr : matching[below(matching.size())];
    }

    // ---- calls and checks -------------------------------------------------------------------------------------
    static std::string route_of(const std::string& method, const std::string& target) {
        static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        return method + " " + std::regex_replace(target.substr(0, target.find('?')), uuid, "{id}");
    }

    void fail(const std::string& kind, const std::string& message) {
        if (!failed_kinds_.insert(kind).second) return;  // reported once; the walk goes on to find others
        std::ostringstream out;
        out << "seed " << seed_ << " step " << step_ << " (" << action_ << "): " << message << " [replay: DEBRIEF_TEST_SEED=" << seed_ << "]";
        failures.push_back(out.str());
    }

    HttpResult call(const std::string& method, const std::string& target, const std::string& token, const std::optional<json::value>& body = {},
                    Headers headers = {}) {
        if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
        std::string payload;
        if (body) {
            payload = json::serialize(*body);
            headers.emplace_back("Content-Type", "application/json");
        }
        HttpResult result;
        try {
            result = http_.request(method, target, payload, headers);
        } catch (const std::exception& e) {
            fail(route_of(method, target) + " no answer", method + " " + target + ": " + e.what());
            return result;
        }
        check(method, target, payload, result);
        return result;
    }

    void check(const std::string& method, const std::string& target, const std::string& payload, const HttpResult& result) {
        const auto route = route_of(method, target);
        if (method == "GET") ++reads;
        auto describe = [&] {
            return method + " " + target + (payload.empty() ? "" : " " + payload.substr(0, 300)) + " -> " + std::to_string(result.status) + " " +
                   result.body.substr(0, 500);
        };
        json::value parsed;
        boost::system::error_code ec;
        parsed = json::parse(result.body, ec);
        const auto* code = !ec && parsed.is_object() ? parsed.as_object().if_contains("code") : nullptr;
        ++answers[route + " " + std::to_string(result.status) + (code && code->is_string() ? " " + std::string(code->as_string()) : "")];
        if (result.status >= 500) {
            if (result.status == 504) stuck_ = true;
            fail(route + " " + std::to_string(result.status) + (code ? json::serialize(*code) : ""), "a 5xx: " + describe());
            return;
        }
        if (ec) return fail(route + " not json", "the body is not JSON: " + describe());
        const auto type = result.header("content-type");
        if (result.status >= 400) {
            if (type.rfind("application/problem+json", 0) != 0) fail(route + " problem type", "an error without problem+json (" + type + "): " + describe());
            const auto* object = parsed.if_object();
            if (!object || !object->contains("code") || !object->at("code").is_string() || !object->contains("status") ||
                object->at("status") != json::value(result.status))
                fail(route + " problem shape", "an error without a code or status: " + describe());
        } else if (type.rfind("application/json", 0) != 0) {
            fail(route + " json type", "a success that is not application/json (" + type + "): " + describe());
        }
        if (result.status >= 200 && result.status < 300 && parsed.is_object()) {
            if (const auto* position = parsed.as_object().if_contains("position"); position && position->is_string())
                accepted_position(method, std::string(position->as_string()));
        }
    }

    std::string accepted_token_;  // the token of the current command, to tell whose organization its position is in
    void accepted_position(const std::string& method, const std::string& position) {
        if (method == "GET") return;
        ++accepted;
        if (accepted_token_ != stranger_.token) position_ = position;
    }

    HttpResult command_call(const Persona& who, const std::string& method, const std::string& target, const std::optional<json::value>& body = {},
                            Headers headers = {}) {
        accepted_token_ = who.token;
        if (chance(0.05)) headers.emplace_back("If-Match", pick(std::vector<std::string>{"\"0\"", "\"1\"", "\"-1\"", "abc", "\"99999999999999999999\""}));
        if (chance(0.05)) headers.emplace_back("Idempotency-Key", chance(0.5) ? "walk-key" : repeat("k", 201));
        if (chance(0.05)) headers.emplace_back("X-Correlation-Id", pick(std::vector<std::string>{"\xFF\xFE", repeat("c", 4000), "walk", ""}));
        return call(method, target, who.token, body, headers);
    }

    static std::string id_of(const HttpResult& result) {
        if (result.status < 200 || result.status >= 300) return {};
        boost::system::error_code ec;
        auto parsed = json::parse(result.body, ec);
        if (ec || !parsed.is_object()) return {};
        const auto* id = parsed.as_object().if_contains("id");
        return id && id->is_string() ? std::string(id->as_string()) : std::string{};
    }

    std::string wait_query() const { return position_.empty() ? "" : "?position=" + position_ + "&wait_ms=20000"; }
    std::string with_query(const std::string& path, const std::string& extra = {}) const {
        auto query = wait_query();
        if (!extra.empty()) query += (query.empty() ? "?" : "&") + extra;
        return path + query;
    }

    // ---- setting up -------------------------------------------------------------------------------------------
    void set_up() {
        action_ = "sign up";
        auto admin = sign_up(http_, "Walk Coaching");
        people_.push_back({"admin", "Ada Admin", admin.user_id, admin.email, admin.access_token, admin.refresh_token});
        auto other = sign_up(http_, "Elsewhere");
        stranger_ = {"admin", "Ada Admin", other.user_id, other.email, other.access_token, other.refresh_token};
        // One of each role to start from; the walk invites more.
        invite(people_[0], "coach_lead");
        invite(people_[0], "coach");
        register_client(people_[0]);
        for (const auto& id : clients_.ids) invite(people_[0], "client", id);
    }

    void invite(const Persona& inviter, const std::string& role, const std::string& client_id = {}) {
        action_ = "invite a " + role;
        auto mail = "user" + std::to_string(++counter_) + "@walk.example.com";
        const std::string password = chance(0.2) ? repeat("p", 1024) : "a long enough password";
        json::object body{{"name", role == "client" && client_names_.count(client_id) ? client_names_[client_id] : name()},
                          {"email", mail},
                          {"role", role},
                          {"password", password}};
        if (!client_id.empty()) body["client_id"] = client_id;
        if (role == "coach") {
            if (const auto* lead = with_role("coach_lead"); lead && chance(0.5)) body["lead_id"] = lead->id;
        }
        auto invited = command_call(inviter, "POST", "/v1/users", body);
        auto id = id_of(invited);
        if (id.empty()) return;
        auto login = call("POST", "/v1/auth/login", "", json::value(json::object{{"email", mail}, {"password", password}}));
        if (login.status != 200) return fail("login after invite", "an invited user cannot log in: " + login.body);
        auto tokens = login.json().as_object();
        people_.push_back({role, std::string(body.at("name").as_string()), id, mail, std::string(tokens.at("access_token").as_string()),
                           std::string(tokens.at("refresh_token").as_string())});
    }

    void register_client(const Persona& who) {
        action_ = "register a client as " + who.role;
        json::object body{{"name", name()}};
        maybe(body, "email", json::value(email()));
        maybe(body, "team", json::value(text(200)));
        if (chance(0.5)) {
            json::array tags;
            const std::size_t count = pick(std::vector<std::size_t>{0, 1, 3, 20, 21});
            for (std::size_t i = 0; i < count; ++i) tags.push_back(json::string(chance(0.8) ? "tag " + std::to_string(i) : text(50)));
            if (chance(0.1) && !tags.empty()) tags.push_back(tags.front());  // a duplicate is dropped
            body["tags"] = std::move(tags);
        }
        if (chance(0.3)) {
            const auto& coach = pick(people_);
            body["coach_id"] = coach.id;
        }
        auto registered = command_call(who, "POST", "/v1/clients", body);
        if (auto id = id_of(registered); !id.empty()) {
            clients_.add(id);
            client_names_[id] = std::string(body.at("name").as_string());
        }
    }

    // ---- the commands -----------------------------------------------------------------------------------------
    void command() {
        const auto& who = actor();
        switch (below(24)) {
            case 0:
            case 1: return register_client(who);
            case 2: {
                static const std::vector<std::string> roles{"admin", "coach_lead", "coach", "client", "owner"};
                const auto& role = people_.size() < 14 ? pick(roles) : std::string("owner");
                return invite(who, role, role == "client" ? pick_id(clients_) : std::string{});
            }
            case 3:
            case 4:
            case 5: return create_session(who);
            case 6:
            case 7: return refine(who);
            case 8: return approve_or_reopen(who);
            case 9:
            case 10: return create_action_item(who);
            case 11:
            case 12: return change_action_item(who);
            case 13: return note(who);
            case 14: return template_command(who);
            case 15:
            case 16: return follow_up(who);
            case 17: return metrics_import(who);
            case 18: return settle_import(who);
            case 19: return manage_user(who);
            case 20: return profile(who);
            case 21: return auth(who);
            default: return approve_or_reopen(who);
        }
    }

    std::string transcript_text(const std::string& format, const std::string& coach, const std::vector<std::string>& speakers) {
        static const std::vector<std::string> client_lines{
            "I closed the supplier deal.", "I struggle with angry customers and freeze when they shout.", "I will call the supplier by Friday.",
            "Yes, I will.", "My handle time came down to six minutes.", "I am not sure, honestly.", "I will send the report next week."};
        static const std::vector<std::string> coach_lines{
            "How did the week go?", "Can you try the acknowledgement script on five calls by Friday?",
            "I would suggest you acknowledge the frustration first.", "I will send you the checklist tomorrow.", "Great work."};
        std::vector<std::pair<std::string, std::string>> turns;
        const std::size_t count = 2 + below(6);
        for (std::size_t i = 0; i < count; ++i) {
            const bool coach_turn = speakers.empty() || i % 2 == 0;
            turns.emplace_back(coach_turn ? coach : pick(speakers), coach_turn ? pick(coach_lines) : pick(client_lines));
        }
        std::ostringstream out;
        auto clock = [](std::size_t second, char separator) {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "00:%02zu:%02zu%c000", second / 60, second % 60, separator);
            return std::string(buffer);
        };
        if (format == "webvtt") out << "WEBVTT\n\n";
        for (std::size_t i = 0; i < turns.size(); ++i) {
            const auto& [speaker, line] = turns[i];
            if (format == "plain") out << (chance(0.5) ? "[00:00:" + std::to_string(10 + i * 5) + "] " : "") << speaker << ": " << line << "\n";
            if (format == "webvtt") out << clock(i * 5, '.') << " --> " << clock(i * 5 + 4, '.') << "\n<v " << speaker << ">" << line << "\n\n";
            if (format == "srt") out << i + 1 << "\n" << clock(i * 5, ',') << " --> " << clock(i * 5 + 4, ',') << "\n" << speaker << ": " << line << "\n\n";
        }
        if (format == "json") {
            json::array segments;
            for (std::size_t i = 0; i < turns.size(); ++i) {
                json::object segment{{"speaker", turns[i].first}, {"text", turns[i].second}};
                if (chance(0.5)) {
                    segment["start"] = static_cast<double>(i * 5);
                    segment["end"] = static_cast<double>(i * 5 + 4);
                } else if (chance(0.5)) {
                    segment["start"] = nullptr;
                }
                segments.push_back(std::move(segment));
            }
            return json::serialize(chance(0.5) ? json::value(segments) : json::value(json::object{{"segments", segments}}));
        }
        return out.str();
    }

    void create_session(const Persona& who) {
        action_ = "create a session as " + who.role;
        static const std::vector<std::string> formats{"plain", "webvtt", "vtt", "srt", "json"};
        const auto format = chance(0.03) ? std::string("docx") : pick(formats);
        // Speakers: the coach, clients known by name, new names; a mapping for some of them.
        std::vector<std::string> speakers;
        json::object mapping;
        const std::size_t count = below(4);
        for (std::size_t i = 0; i < count; ++i) {
            if (!client_names_.empty() && chance(0.5)) {
                auto it = client_names_.begin();
                std::advance(it, static_cast<long>(below(client_names_.size())));
                auto speaker = chance(0.5) ? it->second : "Speaker " + std::to_string(++counter_);
                if (std::find(speakers.begin(), speakers.end(), speaker) != speakers.end()) continue;
                speakers.push_back(speaker);
                if (chance(0.5)) mapping[speaker] = it->first;
            } else {
                speakers.push_back(chance(0.9) ? "Guest " + std::to_string(++counter_) : text(60));
            }
        }
        const auto coach = chance(0.7) ? who.name : "Coach Dana";
        auto transcript = chance(0.03) ? std::string{} : transcript_text(format == "vtt" ? "webvtt" : format, coach, speakers);
        if (chance(0.02)) {  // the documented maximum of 512 KiB, or one byte past it
            const std::string turn = coach + ": How did the week go?\nGuest: I closed the deal.\n";
            const std::size_t limit = 512 * 1024 + (chance(0.5) ? 1 : 0);
            transcript = repeat(turn, limit / turn.size());
            transcript += repeat("x", limit - transcript.size());
            body_format_override_ = "plain";
        }
        json::object body{{"session_date", date()},
                          {"transcript", json::object{{"format", body_format_override_.empty() ? format : body_format_override_}, {"text", transcript}}}};
        body_format_override_.clear();
        maybe(body, "session_type", json::value(pick(std::vector<std::string>{"individual", "group_workshop", "call_review", "lecture"})), 0.5);
        if (!mapping.empty() || chance(0.1)) body["clients"] = mapping;
        if (chance(0.2)) body["coach_speaker"] = chance(0.8) ? coach : std::string("Nobody");
        if (chance(0.05)) body["id"] = chance(0.5) ? std::string("00000000-0000-4000-8000-00000000abcd") : std::string("mine");
        auto created = command_call(who, "POST", "/v1/sessions", json::value(body));
        auto id = id_of(created);
        if (id.empty()) return;
        sessions_.add(id);
        // The summaries the parse drafted, read as the organization's admin, so later steps can refine them.
        auto listed = call("GET", with_query("/v1/sessions/" + id + "/summaries"), people_[0].token);
        if (listed.status != 200) return;
        auto drafted = listed.json();  // kept: a range-for over a temporary's member would dangle
        for (const auto& summary : drafted.as_array()) summaries_.add(std::string(summary.at("id").as_string()));
    }

    std::string refinement_message() {
        static const std::vector<std::string> messages{
            "shorten the wins", "shorten everything", "remove action item 1", "remove the last win", "remove challenge 9",
            "add action item: call the supplier by Friday", "add action item: coach: send the checklist next week",
            "add action item: read the guide", "add win: kept calm", "add challenge: long calls", "add recommendation: breathe",
            "edit action item 1: call the client on 3 March", "rewrite challenges: first; second", "rewrite action items: one; two by Friday",
            "move action item 1 to next Monday", "move action item 1 to someday", "assign action item 1 to the coach",
            "assign action item 1 to them", "more encouraging", "make it sound like a pirate", "please remove the first recommendation"};
        if (chance(0.15)) return text(2000);
        if (chance(0.1)) return "add win: " + text(300);
        return pick(messages);
    }

    void refine(const Persona& who) {
        action_ = "refine a summary as " + who.role;
        json::object body;
        maybe(body, "message", json::value(refinement_message()), 0.95);
        command_call(who, "POST", "/v1/summaries/" + pick_id(summaries_) + "/refine", json::value(body));
    }

    void approve_or_reopen(const Persona& who) {
        const auto summary = chance(0.6) || approved_.ids.empty() ? pick_id(summaries_) : pick_id(approved_);
        if (chance(0.65)) {
            action_ = "approve a summary as " + who.role;
            auto approved = command_call(who, "POST", "/v1/summaries/" + summary + "/approve", chance(0.2) ? std::optional<json::value>(json::object{}) : std::nullopt);
            if (approved.status == 200) approved_.add(summary);
        } else {
            action_ = "reopen a summary as " + who.role;
            std::optional<json::value> body;
            if (chance(0.5)) {
                json::object reason;
                maybe(reason, "reason", json::value(text(2000)));
                body = reason;
            }
            command_call(who, "POST", "/v1/summaries/" + summary + "/reopen", body);
        }
    }

    void create_action_item(const Persona& who) {
        action_ = "create an action item as " + who.role;
        json::object body{{"client_id", pick_id(clients_)}, {"title", chance(0.7) ? "Send the QA form" : text(300)}};
        maybe(body, "due_date", json::value(date()), 0.5);  // absent half of the time: issue 6's 503
        if (chance(0.3)) body["owner_id"] = chance(0.5) ? json::value(pick(people_).id) : body.at("client_id");
        auto created = command_call(who, "POST", "/v1/action-items", json::value(body));
        items_.add(id_of(created));
    }

    void change_action_item(const Persona& who) {
        static const std::vector<std::string> verbs{"complete", "reopen", "cancel", "assign", "reschedule", "archive"};
        const auto& verb = pick(verbs);
        action_ = verb + " an action item as " + who.role;
        std::optional<json::value> body;
        if (verb == "cancel" && chance(0.5)) {
            json::object reason;
            maybe(reason, "reason", json::value(text(2000)));
            body = reason;
        } else if (verb == "assign") {
            json::object owner;
            maybe(owner, "owner_id", json::value(chance(0.5) ? pick(people_).id : pick_id(clients_)), 0.9);
            body = owner;
        } else if (verb == "reschedule") {
            json::object due;
            maybe(due, "due_date", json::value(date()), 0.9);
            body = due;
        }
        command_call(who, "POST", "/v1/action-items/" + pick_id(items_) + "/" + verb, body);
    }

    void note(const Persona& who) {
        if (chance(0.7) || notes_.ids.empty()) {
            action_ = "add a note as " + who.role;
            json::object body{{"client_id", pick_id(clients_)}};
            maybe(body, "text", json::value(chance(0.5) ? "Mentioned a team move in January.\n\tTabs and new lines are fine." : text(4000)), 0.95);
            notes_.add(id_of(command_call(who, "POST", "/v1/notes", json::value(body))));
        } else {
            action_ = "address a note as " + who.role;
            json::object body;
            maybe(body, "session_id", json::value(pick_id(sessions_)), 0.95);
            command_call(who, "POST", "/v1/notes/" + pick_id(notes_) + "/address", json::value(body));
        }
    }

    std::string template_body() {
        static const std::vector<std::string> bodies{"Hi {{client_first_name}},\n\n{{action_items}}\n\n{{sign_off}}\n",
                                                     "{{wins}} {{challenges}} {{coach_recommendations}}", "Unknown {{no_such_variable}}",
                                                     "{{transcript}} {{message}}", "no variables at all", "{{", "{{}}"};
        return chance(0.85) ? pick(bodies) : text(20000);
    }

    void template_command(const Persona& who) {
        if (chance(0.65) || templates_.ids.empty()) {
            action_ = "create a template as " + who.role;
            const bool valid = chance(0.6);  // most templates are saved, so follow-ups and documents use them
            const auto kind = valid ? pick(std::vector<std::string>{"summary", "email", "prompt"})
                                    : pick(std::vector<std::string>{"summary", "email", "prompt", "sms"});
            json::object body{{"kind", kind}, {"name", valid ? "Template " + std::to_string(++counter_) : name()},
                              {"body", valid ? std::string("Hi {{client_first_name}},\n{{wins}}\n{{action_items}}\n{{sign_off}}") : template_body()}};
            if (valid && kind == "email") body["subject"] = "Our session on {{session_date}}";
            else maybe(body, "subject", json::value(chance(0.7) ? "Our session on {{session_date}}" : text(300)), 0.7);
            if (chance(0.3)) body["scope"] = pick(std::vector<std::string>{"organization", "coach", "team"});
            if (chance(0.2)) body["coach_id"] = pick(people_).id;
            templates_.add(id_of(command_call(who, "POST", "/v1/templates", json::value(body))));
        } else {
            action_ = "revise a template as " + who.role;
            json::object body;
            maybe(body, "name", json::value(name()), 0.4);
            maybe(body, "subject", json::value(text(300)), 0.3);
            maybe(body, "body", json::value(template_body()), 0.4);
            command_call(who, "PUT", "/v1/templates/" + (chance(0.1) ? std::string("system:email") : pick_id(templates_)), json::value(body));
        }
    }

    static std::string rfc3339_in(std::chrono::seconds from_now) {
        const auto at = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + from_now);
        std::tm tm{};
        gmtime_r(&at, &tm);
        char buffer[32];
        std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return buffer;
    }

    void follow_up(const Persona& who) {
        if (chance(0.6) || follow_ups_.ids.empty()) {
            action_ = "draft a follow-up as " + who.role;
            json::object body{{"summary_id", approved_.ids.empty() || chance(0.2) ? pick_id(summaries_) : pick_id(approved_)}};
            if (chance(0.3))
                body["template_id"] = chance(0.5) ? pick_id(templates_) : pick(std::vector<std::string>{"system:email", "system:summary", "system:nope"});
            maybe(body, "to", json::value(email()), 0.4);
            maybe(body, "subject", json::value(text(300)), 0.2);
            maybe(body, "body", json::value(text(50000)), 0.2);
            follow_ups_.add(id_of(command_call(who, "POST", "/v1/follow-ups", json::value(body))));
        } else {
            action_ = "send a follow-up as " + who.role;
            std::optional<json::value> body;
            if (chance(0.5)) {
                json::object at;
                maybe(at, "send_at",
                      json::value(pick(std::vector<std::string>{rfc3339_in(std::chrono::hours(1)), rfc3339_in(std::chrono::hours(24 * 365)),
                                                                rfc3339_in(std::chrono::hours(24 * 367)), rfc3339_in(-std::chrono::hours(24)),
                                                                "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2024-02-29T12:00:00+01:00",
                                                                "tomorrow"})));
                body = at;
            }
            command_call(who, "POST", "/v1/follow-ups/" + pick_id(follow_ups_) + "/send", body);
        }
    }

    void metrics_import(const Persona& who) {
        action_ = "stage a metrics import as " + who.role;
        static const std::vector<std::string> values{"4.6", "0", "-1", "82%", "300", "1e5", "", ".5", "99999999999999999999", "high", "+3"};
        std::ostringstream csv;
        const bool clean = chance(0.6);  // a file without errors, so that commits happen
        const bool by_name = chance(0.3);
        const std::string eol = chance(0.2) ? "\r\n" : "\n";
        if (chance(0.1)) csv << "\xEF\xBB\xBF";  // a byte order mark, as spreadsheets write
        csv << (by_name ? "Agent" : "client_id") << ",Date,CSAT,AHT (seconds)" << (!clean && chance(0.1) ? ",CSAT" : "") << eol;
        const std::size_t rows = clean ? 1 + below(4) : below(4);
        for (std::size_t i = 0; i < rows; ++i) {
            const auto client = clean && !clients_.ids.empty() ? pick(clients_.ids) : pick_id(clients_);
            std::string agent = by_name && client_names_.count(client) ? client_names_[client] : client;
            if (!clean && chance(0.2)) agent = pick(std::vector<std::string>{"\xFF\xFE", "Gr\xC3", "\xEF\xBB\xBFPriya", "Zo\xC3\xAB", ""});
            if (agent.find_first_of(",\"\n") != std::string::npos) {
                std::string quoted = "\"";
                for (char c : agent) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
                agent = quoted + "\"";
            }
            const std::string day = clean ? pick(std::vector<std::string>{"2024-02-29", "2026-11-13", "2026-11-20", "9999-12-31", "1970-01-01"}) : date();
            csv << agent << "," << day << "," << (clean || chance(0.7) ? pick(std::vector<std::string>{"4.5", "3.1", "0", "100%"}) : pick(values)) << ","
                << (clean || chance(0.7) ? pick(std::vector<std::string>{"310", "600", "-5", ".5"}) : pick(values)) << eol;
        }
        Headers headers{{"Content-Type", chance(0.95) ? "text/csv" : "application/json"}, {"Authorization", "Bearer " + who.token}};
        const auto file_name = chance(0.15) ? repeat("f", 256)
                               : chance(0.3)  ? odd_query_value()
                               : chance(0.3)  ? std::string{}
                                              : "week" + std::to_string(++counter_) + ".csv";
        accepted_token_ = who.token;
        HttpResult staged;
        const std::string target = "/v1/metrics/imports" + (file_name.empty() ? std::string{} : "?file_name=" + file_name);
        try {
            staged = http_.request("POST", target, csv.str(), headers);
        } catch (const std::exception& e) {
            return fail("metrics import no answer", e.what());
        }
        check("POST", target, csv.str(), staged);
        imports_.add(id_of(staged));
    }

    void settle_import(const Persona& who) {
        const auto verb = pick(std::vector<std::string>{"commit", "discard", "undo"});
        action_ = verb + " a metrics import as " + who.role;
        command_call(who, "POST", "/v1/metrics/imports/" + pick_id(imports_) + "/" + verb, chance(0.3) ? std::optional<json::value>(json::object{}) : std::nullopt);
    }

    std::string user_target() { return people_.size() < 2 || chance(0.1) ? std::string("me") : people_[1 + below(people_.size() - 1)].id; }

    void manage_user(const Persona& who) {
        const auto verb = pick(std::vector<std::string>{"role", "role", "deactivate", "reactivate", "reactivate", "promote"});
        action_ = verb + " a user as " + who.role;
        std::optional<json::value> body;
        if (verb == "role") {
            json::object role;
            maybe(role, "role", json::value(pick(std::vector<std::string>{"admin", "coach_lead", "coach", "client", "root"})), 0.9);
            if (chance(0.3)) role["lead_id"] = pick(people_).id;
            body = role;
        } else if (verb == "deactivate" && chance(0.5)) {
            json::object reason;
            maybe(reason, "reason", json::value(text(2000)));
            body = reason;
        }
        const auto target = user_target();
        auto changed = command_call(who, "POST", "/v1/users/" + target + "/" + verb, body);
        if (changed.status == 200 && verb != "role")
            for (auto& p : people_)
                if (p.id == (target == "me" ? who.id : target)) p.active = verb == "reactivate";
    }

    void profile(const Persona& who) {
        const auto target = chance(0.5) ? std::string("me") : pick(people_).id;
        if (chance(0.5)) {
            action_ = "set a voice profile as " + who.role;
            json::object body;
            maybe(body, "tone", json::value(pick(std::vector<std::string>{"warm", "direct", "formal", "encouraging", "neutral", "sarcastic"})), 0.9);
            maybe(body, "sign_off", json::value(chance(0.5) ? "Cheers,\nAda" : text(200)));
            if (chance(0.5)) {
                json::array avoid;
                const std::size_t count = pick(std::vector<std::size_t>{0, 1, 30, 31});
                for (std::size_t i = 0; i < count; ++i) avoid.push_back(json::string(chance(0.8) ? "phrase " + std::to_string(i) : text(200)));
                body["phrases_to_avoid"] = std::move(avoid);
            }
            command_call(who, "PUT", "/v1/users/" + target + "/voice-profile", json::value(body));
        } else {
            action_ = "set notification preferences as " + who.role;
            json::object body;
            maybe(body, "email_digest", json::value(pick(std::vector<std::string>{"off", "daily", "weekly", "hourly"})), 0.9);
            if (chance(0.5)) {
                json::array notify_on;
                if (chance(0.5)) notify_on = {"follow_up_failed", "summary_drafted", "anything"};
                body["notify_on"] = std::move(notify_on);
            }
            maybe(body, "quiet_hours_start", json::value(pick(std::vector<std::string>{"20:00", "00:00", "23:59", "24:00", "7pm"})));
            maybe(body, "quiet_hours_end", json::value(pick(std::vector<std::string>{"07:00", "00:00", "99:99", ""})));
            maybe(body, "time_zone", json::value(pick(std::vector<std::string>{"Europe/Berlin", "UTC", "Mars/Olympus", "", "America/Argentina/Buenos_Aires"})));
            command_call(who, "PUT", "/v1/users/" + target + "/notification-preferences", json::value(body));
        }
    }

    void auth(const Persona& who) {
        action_ = "log in or refresh as " + who.role;
        if (chance(0.5)) {
            call("POST", "/v1/auth/login", "", json::value(json::object{{"email", who.email}, {"password", chance(0.8) ? "a long enough password" : ""}}));
        } else {
            auto refreshed = call("POST", "/v1/auth/refresh", "", json::value(json::object{{"refresh_token", chance(0.9) ? who.refresh_token : "x.y.z"}}));
            if (refreshed.status != 200) return;
            // The new tokens replace the old ones: a rotated refresh token may be single-use.
            for (auto& p : people_)
                if (p.id == who.id) {
                    auto tokens = refreshed.json().as_object();
                    p.token = std::string(tokens.at("access_token").as_string());
                    p.refresh_token = std::string(tokens.at("refresh_token").as_string());
                }
        }
    }

    // ---- the reads ----------------------------------------------------------------------------------------------
    // Every list and detail route, as one persona of each role (and now and then the other organization's admin).
    void sweep() {
        std::vector<const Persona*> readers{&people_[0]};
        for (const auto* role : {"coach_lead", "coach", "client"})
            if (const auto* p = with_role(role)) readers.push_back(p);
        if (chance(0.2)) readers.push_back(&stranger_);
        for (const auto* reader : readers) {
            action_ = "read back as " + reader->role + (reader == &stranger_ ? " of another organization" : "");
            read_all(*reader, reader == &people_[0]);
        }
    }

    void read_all(const Persona& reader, bool harvest) {
        const auto& token = reader.token;
        auto listed = [&](const std::string& path, Known& into, const std::string& extra = {}) {
            auto result = call("GET", with_query(path, extra), token);
            if (!harvest || result.status != 200) return;
            auto body = result.json();
            if (!body.is_array()) return;
            for (const auto& row : body.as_array()) {
                const auto& id = row.at("id").as_string();
                if (id.starts_with("system:")) continue;
                into.add(std::string(id));
                const auto* status = row.as_object().if_contains("status");
                if (&into == &summaries_ && status && status->is_string() && status->as_string() == "approved") approved_.add(std::string(id));
            }
        };
        Known ignored;
        listed("/v1/clients", clients_);
        listed("/v1/action-items", items_);
        static const std::vector<std::string> item_filters{"status=open", "status=done", "status=cancelled", "status=overdue", "status=late", "owner_id=me"};
        listed("/v1/action-items", ignored,
               chance(0.6) ? pick(item_filters) : chance(0.7) ? "client_id=" + pick_id(clients_) : "owner_id=" + odd_query_value());
        listed("/v1/templates", ignored,
               chance(0.5) ? "kind=" + (chance(0.9) ? pick(std::vector<std::string>{"summary", "email", "prompt", "sms", ""}) : odd_query_value()) : "");
        listed("/v1/follow-ups", follow_ups_,
               chance(0.3) ? "status=" + (chance(0.9) ? pick(std::vector<std::string>{"draft", "scheduled", "sent", "failed", "lost"}) : odd_query_value())
                           : "");
        listed("/v1/users", ignored);
        call("GET", with_query("/v1/users/me"), token);
        call("GET", with_query("/v1/users/" + pick(people_).id), token);

        const auto client = pick_id(clients_);
        call("GET", with_query("/v1/clients/" + client), token);
        call("GET", with_query("/v1/clients/" + client + "/prep"), token);
        call("GET", with_query("/v1/clients/" + client + "/metrics",
                               chance(0.2) ? "limit=" + pick(std::vector<std::string>{"1", "2", "366", "367", "x", "-1", "99999999999", "%00"}) : ""),
             token);
        if (!sessions_.ids.empty()) {
            const auto session = pick_id(sessions_);
            call("GET", with_query("/v1/sessions/" + session), token);
            listed("/v1/sessions/" + session + "/summaries", summaries_);
            call("GET", with_query("/v1/sessions/" + session + "/transcript"), token);
        }
        if (!summaries_.ids.empty()) {
            auto document = "/v1/summaries/" + pick_id(summaries_) + "/document";
            if (chance(0.3))
                document += "?template_id=" + (chance(0.4)   ? pick_id(templates_)
                                               : chance(0.7) ? pick(std::vector<std::string>{"system:summary", "system:email", "system:prompt"})
                                                             : odd_query_value());
            call("GET", document, token);
        }
        if (!follow_ups_.ids.empty()) call("GET", with_query("/v1/follow-ups/" + pick_id(follow_ups_)), token);
        if (!imports_.ids.empty()) call("GET", with_query("/v1/metrics/imports/" + pick_id(imports_)), token);
    }
};

}  // namespace

TEST_CASE("a random walk over the API with missing fields and boundary values never answers 5xx") {
    const auto seed = env_number("DEBRIEF_TEST_SEED", std::random_device{}());
    const auto steps = static_cast<int>(env_number("DEBRIEF_TEST_STEPS", 500));
    MESSAGE("random walk: seed " << seed << ", " << steps << " steps (replay with DEBRIEF_TEST_SEED=" << seed << ")");
    Deployment deployment("random_walk");
    DebriefProcess debrief(deployment);
    auto http = debrief.client();
    Walk walk(http, seed);
    walk.run(steps, steps / 5);
    std::ostringstream coverage;
    coverage << walk.steps_walked() << " steps, " << walk.accepted << " commands accepted, " << walk.reads << " reads, " << walk.people() << " users;";
    for (const auto* kind : {"clients", "sessions", "summaries", "approved", "action items", "notes", "templates", "follow-ups", "imports"})
        coverage << " " << kind << " " << walk.known(kind);
    coverage << "\n";
    for (const auto& [answer, count] : walk.answers) coverage << "  " << answer << ": " << count << "\n";
    MESSAGE(coverage.str());
    for (const auto& failure : walk.failures) FAIL_CHECK(failure);
    CHECK(walk.failures.empty());
    // A walk that never got past the first refusals proves nothing: it must have changed and read things.
    CHECK(walk.accepted >= steps / 5);
    CHECK(walk.reads >= steps * 10);
    CHECK(walk.known("sessions") > 0);
    if (!walk.failures.empty()) MESSAGE("debrief's log:\n" << debrief.log_tail(6000));
}
