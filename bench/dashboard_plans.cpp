// The plans of the dashboards' queries, as PostgreSQL runs them (for docs/dashboards.md): each dashboard and the
// session list is asked through Debrief's own query code on a connection where auto_explain hands every plan, with
// its actual rows, times and buffers, back as a notice. Every dashboard is asked twice and the second (warm) plans
// are printed. bench/replay runs it on its history.
// Usage: dashboard_plans <postgres url> <events topic> <organization> <admin> <lead> <coach> <client user>
#include <pqxx/pqxx>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "projections/postgres/dashboard_queries.hpp"
#include "projections/postgres/session_tables.hpp"

using namespace debrief;

namespace {

class Plans final : public pqxx::errorhandler {
public:
    explicit Plans(pqxx::connection_base& connection) : pqxx::errorhandler(connection) {}
    bool operator()(const char message[]) noexcept override {
        if (keeping) kept.emplace_back(message);
        return false;  // not printed by libpqxx as well
    }
    bool keeping = false;
    std::vector<std::string> kept;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 8) {
        std::fprintf(stderr, "usage: dashboard_plans <postgres url> <events topic> <organization> <admin> <lead> <coach> <client user>\n");
        return 2;
    }
    const std::string topic = argv[2];
    const OrganizationId organization{argv[3]};
    const commands::Actor admin{UserId{argv[4]}, organization, "admin"}, lead{UserId{argv[5]}, organization, "coach_lead"},
            coach{UserId{argv[6]}, organization, "coach"}, client{UserId{argv[7]}, organization, "client"};
    pqxx::connection connection{argv[1]};
    Plans plans{connection};
    {
        pqxx::nontransaction setup{connection};
        for (const char* sql : {"load 'auto_explain'", "set auto_explain.log_min_duration = 0", "set auto_explain.log_analyze = on",
                                "set auto_explain.log_buffers = on", "set auto_explain.log_level = 'notice'", "set client_min_messages = 'notice'"})
            setup.exec(sql);
    }
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    struct Ask {
        const char* name;
        std::function<void()> run;
    };
    const std::vector<Ask> asks{
        {"coach dashboard (the coach's own)", [&] { projections::coach_dashboard(connection, coach, coach.user_id.value, now_ms, topic); }},
        {"lead dashboard (the lead's own, 12 weeks)", [&] { projections::lead_dashboard(connection, lead, lead.user_id.value, 12, now_ms, topic); }},
        {"lead dashboard (an admin: the whole organization)", [&] { projections::lead_dashboard(connection, admin, "", 12, now_ms, topic); }},
        {"client view", [&] { projections::client_dashboard(connection, client, now_ms, topic); }},
        {"session list (a coach's, first page)", [&] {
             projections::SessionListFilter filter;
             filter.coach_id = coach.user_id.value;
             projections::list_sessions(connection, coach, filter);
         }},
    };
    for (const auto& ask : asks) {
        ask.run();  // cold: prepares the statements and reads the pages in
        plans.kept.clear();
        plans.keeping = true;
        ask.run();
        plans.keeping = false;
        std::printf("==== %s: %zu statements\n", ask.name, plans.kept.size());
        for (const auto& plan : plans.kept) std::printf("%s\n", plan.c_str());
    }
    return 0;
}
