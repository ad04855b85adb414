// The coach dashboard's queries: one repeatable-read snapshot, each query on an index of its table (docs/dashboards.md
// shows the plans). Times are taken from a parameter, never from now(), so a dashboard can be asked for any moment.
#include "projections/postgres/dashboard_queries.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <tuple>

#include "projections/dashboard/pending_reviews.hpp"
#include "projections/postgres/as_of_models.hpp"
#include "projections/postgres/postgres_projector.hpp"
#include "projections/postgres/prepared_sql.hpp"
#include "projections/postgres/sql_time.hpp"

namespace debrief::projections {
namespace {

// The dashboard's moment is $3 (milliseconds since the epoch) in every query that needs it.
const std::string at_now = "to_timestamp($3::double precision / 1000)";
const std::string today = "(" + at_now + " at time zone 'utc')::date";
const std::string week_start = "date_trunc('week', " + today + ")::date";

// The sessions a client's cadence is read from: their latest ones.
constexpr int cadence_sessions = 11;

// A SQL array literal of ids ($2::text[]): the ids are UUIDs, nothing to quote.
std::string id_array(const std::vector<std::string>& ids) {
    std::string out = "{";
    for (const auto& id : ids) out += (out.size() > 1 ? "," : "") + id;
    return out + "}";
}

std::map<int, std::int64_t> projected_offsets(pqxx::transaction_base& tx, const std::string& topic) {
    std::map<int, std::int64_t> out;
    for (const auto& r : exec_prepared_sql(tx, "select partition, next_offset from projection_offsets where projector = $1 and topic = $2",
                                           PostgresProjector::name, topic))
        out[r[0].as<int>()] = r[1].as<std::int64_t>();
    return out;
}

// Every client of the coaches, by coach then name, with what the priority rule reads ($1 organization, $2 the
// coaches, $3 the moment).
std::vector<ClientOfCoach> clients_of_coaches(pqxx::transaction_base& tx, const std::string& organization, const std::vector<std::string>& coaches,
                                              double now) {
    std::vector<ClientOfCoach> clients;
    if (coaches.empty()) return clients;
    const auto coach_ids = id_array(coaches);
    std::map<std::string, std::size_t> index;  // client id -> position in clients
    for (const auto& r : exec_prepared_sql(tx,
             "select c.id, c.name, c.coach_id, "
             "(select count(*) from action_items a where a.organization_id = $1 and a.client_id = c.id and a.status = 'open' and a.due_date < " +
                 today + "), "
             "(select count(*) from notes n where n.organization_id = $1 and n.client_id = c.id and n.addressed_by_session is null), "
             "(select count(*) from summaries s where s.organization_id = $1 and s.client_id = c.id and s.status = 'draft') "
             "from clients c where c.organization_id = $1 and c.coach_id = any($2::text[]) order by c.coach_id, c.name, c.id",
             organization, coach_ids, now)) {
        ClientOfCoach client;
        client.signals.client_id = r[0].as<std::string>();
        client.signals.client_name = r[1].as<std::string>();
        client.coach_id = r[2].as<std::string>();
        client.signals.overdue_action_items = r[3].as<int>();
        client.signals.unaddressed_notes = r[4].as<int>();
        client.signals.pending_reviews = r[5].as<int>();
        index.emplace(client.signals.client_id, clients.size());
        clients.push_back(std::move(client));
    }
    auto client_of = [&](const std::string& id) -> ClientOfCoach* {
        auto it = index.find(id);
        return it == index.end() ? nullptr : &clients[it->second];
    };

    // Their two latest summaries, by session date: the priority of the latest, and how engagement moved.
    for (const auto& r : exec_prepared_sql(tx,
             "select c.id, l.priority_score, l.engagement from clients c cross join lateral ("
             "  select s.priority_score, s.engagement from summaries s"
             "  where s.organization_id = $1 and s.client_id = c.id order by s.session_date desc nulls last, s.created_at desc, s.id desc limit 2) l "
             "where c.organization_id = $1 and c.coach_id = any($2::text[])",
             organization, coach_ids))
        if (auto* client = client_of(r[0].as<std::string>())) {
            auto& signals = client->signals;
            if (!signals.latest_priority) {
                signals.latest_priority = r[1].as<double>();
                signals.latest_engagement = r[2].as<std::string>();
            } else {
                signals.previous_engagement = r[2].as<std::string>();
            }
        }

    // Their latest sessions: days since the last one, the usual gap (both from their participant rows alone), and
    // their talk share in the last one (its other speakers read for that row only).
    std::map<std::string, std::vector<int>> session_days;
    for (const auto& r : exec_prepared_sql(tx,
             "select c.id, l.session_id, to_char(l.session_date, 'YYYY-MM-DD'), l.session_date - date '1970-01-01', " + today + " - l.session_date, "
             "  case when l.n = 1 then (select case when se.timed and sum(q.speaking_seconds) > 0 then l.speaking_seconds / sum(q.speaking_seconds)"
             "       when sum(q.word_count) > 0 then l.word_count::double precision / sum(q.word_count) else 0 end"
             "    from session_participants q join sessions se on se.id = q.session_id where q.session_id = l.session_id group by se.timed) end "
             "from clients c cross join lateral ("
             "  select p.session_id, p.session_date, p.speaking_seconds, p.word_count,"
             "    row_number() over (order by p.session_date desc, p.session_id desc) as n from session_participants p"
             "  where p.organization_id = $1 and p.client_id = c.id and p.session_date is not null"
             "  order by p.session_date desc, p.session_id desc limit " + std::to_string(cadence_sessions) + ") l "
             "where c.organization_id = $1 and c.coach_id = any($2::text[]) order by c.id, l.session_date desc, l.session_id desc",
             organization, coach_ids, now)) {
        auto* client = client_of(r[0].as<std::string>());
        if (!client) continue;
        auto& days = session_days[client->signals.client_id];
        if (days.empty()) {
            client->signals.days_since_last_session = std::max(0, r[4].as<int>());
            client->talk_share = TalkShare{client->signals.client_id, client->signals.client_name, r[1].as<std::string>(), r[2].as<std::string>(),
                                           r[5].is_null() ? 0.0 : r[5].as<double>()};
        }
        days.push_back(r[3].as<int>());
    }
    for (auto& [id, days] : session_days) client_of(id)->signals.usual_gap_days = dashboard::usual_gap_days(days);

    // Each metric's two latest values.
    std::string series_client, series_metric;
    std::vector<commands::metrics::MetricPoint> points;
    auto close_series = [&] {
        if (points.empty()) return;
        commands::metrics::MetricHistory history{points[0], std::nullopt};
        if (points.size() > 1) history.previous = points[1];
        if (auto* client = client_of(series_client)) client->signals.metric_trends.push_back(commands::metrics::trend_of(series_metric, history));
        points.clear();
    };
    for (const auto& r : exec_prepared_sql(tx,
             "select m.client_id, m.metric, to_char(m.metric_date, 'YYYY-MM-DD'), m.value from clients c cross join lateral ("
             "  select x.client_id, x.metric, x.metric_date, x.value, row_number() over (partition by x.metric order by x.metric_date desc) as n"
             "  from client_metrics x where x.organization_id = $1 and x.client_id = c.id) m "
             "where c.organization_id = $1 and c.coach_id = any($2::text[]) and m.n <= 2 order by m.client_id, m.metric, m.metric_date desc",
             organization, coach_ids)) {
        auto client = r[0].as<std::string>(), metric = r[1].as<std::string>();
        if (client != series_client || metric != series_metric) {
            close_series();
            series_client = client;
            series_metric = metric;
        }
        points.push_back({r[2].as<std::string>(), r[3].as<double>()});
    }
    close_series();
    return clients;
}

// The Monday (YYYY-MM-DD, UTC) of the ISO week `back` weeks before the one of now_ms.
std::string monday_before(std::int64_t now_ms, int back) {
    using namespace std::chrono;
    const auto day = floor<days>(sys_time<milliseconds>{milliseconds{now_ms}});
    const year_month_day monday{day - days{weekday{day}.iso_encoding() - 1} - weeks{back}};
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(monday.year()), static_cast<unsigned>(monday.month()),
                  static_cast<unsigned>(monday.day()));
    return buffer;
}

// Milliseconds since the epoch of 00:00 UTC on a day given as YYYY-MM-DD.
std::int64_t day_start_ms(const std::string& day) {
    using namespace std::chrono;
    const year_month_day date{year{std::stoi(day.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(day.substr(5, 2)))},
                              std::chrono::day{static_cast<unsigned>(std::stoi(day.substr(8, 2)))}};
    return duration_cast<milliseconds>(sys_days{date}.time_since_epoch()).count();
}

}  // namespace

std::optional<CoachDashboard> coach_dashboard(pqxx::connection_base& connection, const commands::Actor& actor, const std::string& coach_id,
                                              std::int64_t now_ms, const std::string& topic, const std::string& schema) {
    // One snapshot: the lists, the counts and the offsets agree with each other.
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx{connection};
    read_schema(tx, schema);
    const auto& organization = actor.organization_id.value;
    const auto now = static_cast<double>(now_ms);
    auto coach = exec_prepared_sql(tx,
        "select u.id, u.name from users u where u.organization_id = $1 and u.id = $3 and u.role in ('coach', 'coach_lead') and ("
        "(select role from users where id = $2 and organization_id = $1) = 'admin' or u.id = $2 or u.lead_id = $2)",
        organization, actor.user_id.value, coach_id);
    if (coach.empty()) return std::nullopt;
    CoachDashboard d;
    d.coach_id = coach[0][0].as<std::string>();
    d.coach_name = coach[0][1].as<std::string>();
    for (auto& client : clients_of_coaches(tx, organization, {d.coach_id}, now)) {
        if (client.talk_share) d.stats.talk_share.push_back(std::move(*client.talk_share));
        d.clients.push_back(std::move(client.signals));
    }

    // The coach's drafts, oldest first.
    for (const auto& r : exec_prepared_sql(tx,
             "select s.id, s.session_id, s.client_id, coalesce(c.name, ''), s.priority_score, " + rfc3339_millis_sql("s.created_at") + ", "
             "greatest(0, extract(epoch from (" + at_now + " - s.created_at)) / 3600) from summaries s left join clients c on c.organization_id = $1 and c.id = s.client_id "
             "where s.organization_id = $1 and s.coach_id = $2 and s.status = 'draft' order by s.created_at, s.id",
             organization, d.coach_id, now))
        d.pending_reviews.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
                                     r[4].as<double>(), r[5].as<std::string>(), r[6].as<double>()});

    // Open items of the coach's clients: overdue, and due from today to the week's end.
    for (const auto& r : exec_prepared_sql(tx,
             "select " + action_item_columns_sql(today) + " from clients c join action_items a on a.organization_id = $1 and a.client_id = c.id "
             "where c.organization_id = $1 and c.coach_id = $2 and a.status = 'open' and a.due_date < " + week_start + " + 7 "
             "order by a.due_date, a.created_at, a.id",
             organization, d.coach_id, now)) {
        auto item = action_item_row(r);
        (item.overdue ? d.overdue_action_items : d.due_this_week).push_back(std::move(item));
    }

    // Quick stats.
    auto weeks = exec_prepared_sql(tx,
        "select coalesce(sum(sessions) filter (where week = " + week_start + "), 0), coalesce(sum(sessions) filter (where week = " + week_start +
            " - 7), 0) from coach_weekly_stats where organization_id = $1 and coach_id = $2 and week >= " + week_start + " - 7",
        organization, d.coach_id, now);
    d.stats.sessions_this_week = weeks[0][0].as<int>();
    d.stats.sessions_last_week = weeks[0][1].as<int>();
    auto approval = exec_prepared_sql(tx,
        "select percentile_cont(0.5) within group (order by extract(epoch from (s.approved_at - se.created_at)) / 3600) from summaries s "
        "join sessions se on se.id = s.session_id where s.organization_id = $1 and s.coach_id = $2 and s.status = 'approved' "
        "and s.approved_at > " + at_now + " - interval '30 days' and s.approved_at <= " + at_now,
        organization, d.coach_id, now);
    if (!approval[0][0].is_null()) d.stats.median_hours_to_approval = std::max(0.0, approval[0][0].as<double>());
    auto completion = exec_prepared_sql(tx,
        "select count(*) filter (where a.status = 'done'), count(*) from clients c join action_items a on a.organization_id = $1 and a.client_id = c.id "
        "where c.organization_id = $1 and c.coach_id = $2 and a.status <> 'cancelled' and a.created_at > " + at_now + " - interval '30 days' "
        "and a.created_at <= " + at_now,
        organization, d.coach_id, now);
    if (const auto all = completion[0][1].as<int>(); all > 0) d.stats.action_completion_rate_30d = completion[0][0].as<double>() / all;
    d.next_offsets = projected_offsets(tx, topic);
    return d;
}

std::optional<LeadDashboard> lead_dashboard(pqxx::connection_base& connection, const commands::Actor& actor, const std::string& lead_id, int weeks,
                                            std::int64_t now_ms, const std::string& topic, const std::string& schema) {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx{connection};
    read_schema(tx, schema);
    const auto& organization = actor.organization_id.value;
    const auto now = static_cast<double>(now_ms);
    LeadDashboard d;
    d.lead_id = lead_id;
    const bool admin = exec_prepared_sql(tx, "select 1 from users where id = $2 and organization_id = $1 and role = 'admin'", organization,
                                         actor.user_id.value)
                           .size() == 1;
    if (!lead_id.empty()) {
        // A lead sees their own; an admin any lead's.
        if (!admin && lead_id != actor.user_id.value) return std::nullopt;
        if (exec_prepared_sql(tx, "select 1 from users where id = $2 and organization_id = $1 and role = 'coach_lead'", organization, lead_id).empty())
            return std::nullopt;
    } else if (!admin) {
        return std::nullopt;
    }
    // The coaches: everyone with the coaching roles (the organization), or the lead's coaches and the lead when they coach.
    for (const auto& r : exec_prepared_sql(tx,
             "select u.id, u.name from users u where u.organization_id = $1 and u.role in ('coach', 'coach_lead') and ($2 = '' or u.lead_id = $2 "
             "or (u.id = $2 and exists (select 1 from clients c where c.organization_id = $1 and c.coach_id = $2))) order by u.name, u.id",
             organization, lead_id))
        d.coaches.push_back({r[0].as<std::string>(), r[1].as<std::string>(), {}, 0, 0});
    std::vector<std::string> coach_ids;
    for (const auto& c : d.coaches) coach_ids.push_back(c.coach_id);
    const auto coach_array = id_array(coach_ids);

    // The weeks, oldest first: Mondays from weeks-1 weeks before this one.
    std::vector<std::string> mondays;
    for (int back = weeks - 1; back >= 0; --back) mondays.push_back(monday_before(now_ms, back));
    const auto first_week = mondays.front();
    const std::string first_monday = "($4::date::timestamp at time zone 'utc')";
    std::map<std::pair<std::string, std::string>, CoachWeek> cells;  // (coach, week); coach "" is the totals
    auto cell = [&](const std::string& coach, const std::string& week) -> CoachWeek& {
        auto& c = cells[{coach, week}];
        c.week = week;
        return c;
    };
    // Every figure below is grouped by coach and week, with the set's total (grouping sets) under coach "".
    for (const auto& r : exec_prepared_sql(tx,
             "select coalesce(coach_id, ''), to_char(week, 'YYYY-MM-DD'), sum(sessions) from coach_weekly_stats where organization_id = $1 "
             "and coach_id = any($2::text[]) and week >= $4::date and week <= " + week_start + " group by grouping sets ((coach_id, week), (week))",
             organization, coach_array, now, first_week))
        cell(r[0].as<std::string>(), r[1].as<std::string>()).sessions = r[2].as<int>();
    for (const auto& r : exec_prepared_sql(tx,
             "select coalesce(s.coach_id, ''), to_char(date_trunc('week', s.approved_at at time zone 'utc'), 'YYYY-MM-DD') as w, "
             "percentile_cont(0.5) within group (order by extract(epoch from (s.approved_at - se.created_at)) / 3600) from summaries s "
             "join sessions se on se.id = s.session_id where s.organization_id = $1 and s.coach_id = any($2::text[]) and s.status = 'approved' "
             "and s.approved_at >= " + first_monday + " and s.approved_at <= " + at_now + " group by grouping sets ((s.coach_id, w), (w))",
             organization, coach_array, now, first_week))
        cell(r[0].as<std::string>(), r[1].as<std::string>()).median_hours_to_approval = std::max(0.0, r[2].as<double>());
    for (const auto& r : exec_prepared_sql(tx,
             "select coalesce(a.coach_id, ''), to_char(date_trunc('week', a.created_at at time zone 'utc'), 'YYYY-MM-DD') as w, "
             "count(*) filter (where a.status = 'done'), count(*) from action_items a where a.organization_id = $1 and a.coach_id = any($2::text[]) "
             "and a.status <> 'cancelled' and a.created_at >= " + first_monday + " and a.created_at <= " + at_now + " group by grouping sets ((a.coach_id, w), (w))",
             organization, coach_array, now, first_week))
        if (const auto all = r[3].as<int>(); all > 0)
            cell(r[0].as<std::string>(), r[1].as<std::string>()).action_completion_rate = r[2].as<double>() / all;
    // Drafts waiting at each week's end (or now, for this week): those that could be, counted per week in code.
    std::vector<dashboard::ReviewSpan> spans;
    for (const auto& r : exec_prepared_sql(tx,
             "select s.coach_id, (extract(epoch from s.created_at) * 1000)::bigint, (extract(epoch from s.approved_at) * 1000)::bigint, "
             "s.status = 'draft' from summaries s where s.organization_id = $1 and s.coach_id = any($2::text[]) and s.created_at < " + at_now +
                 " and (s.status = 'draft' or s.approved_at >= " + first_monday + ")",
             organization, coach_array, now, first_week))
        spans.push_back({r[0].as<std::string>(), r[1].as<std::int64_t>(),
                         r[2].is_null() ? std::nullopt : std::optional<std::int64_t>(r[2].as<std::int64_t>()), r[3].as<bool>()});
    std::vector<std::int64_t> week_starts;
    for (const auto& monday : mondays) week_starts.push_back(day_start_ms(monday));
    for (const auto& [key, count] : dashboard::pending_at_week_ends(spans, week_starts, now_ms)) cell(key.first, mondays[key.second]).pending_reviews = count;

    auto weeks_of = [&](const std::string& coach) {
        std::vector<CoachWeek> out;
        for (const auto& monday : mondays) out.push_back(cell(coach, monday));
        return out;
    };
    std::map<std::string, LeadCoachRow*> by_id;
    for (auto& coach : d.coaches) {
        coach.weeks = weeks_of(coach.coach_id);
        by_id[coach.coach_id] = &coach;
    }
    d.totals = weeks_of("");
    for (const auto& client : clients_of_coaches(tx, organization, coach_ids, now)) {
        auto* coach = by_id[client.coach_id];
        ++coach->clients;
        if (dashboard::prioritize(client.signals).score >= dashboard::attention_score) ++coach->clients_needing_attention;
    }
    d.next_offsets = projected_offsets(tx, topic);
    return d;
}

std::optional<ClientDashboard> client_dashboard(pqxx::connection_base& connection, const commands::Actor& actor, std::int64_t now_ms,
                                                const std::string& topic, const std::string& schema) {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx{connection};
    read_schema(tx, schema);
    const auto& organization = actor.organization_id.value;
    auto login = exec_prepared_sql(tx, "select coalesce(client_id, '') from users where id = $2 and organization_id = $1 and role = 'client'",
                                   organization, actor.user_id.value);
    if (login.empty() || login[0][0].as<std::string>().empty()) return std::nullopt;
    const auto client = login[0][0].as<std::string>();
    ClientDashboard d;
    d.client_id = client;
    for (const auto& r : exec_prepared_sql(tx,
             "select " + action_item_columns_sql(today) + " from action_items a join clients c on c.id = a.client_id "
             "where a.organization_id = $1 and a.client_id = $2 and a.status = 'open' order by a.due_date nulls last, a.created_at, a.id",
             organization, client, static_cast<double>(now_ms)))
        d.open_action_items.push_back(action_item_row(r));
    for (const auto& r : exec_prepared_sql(tx,
             "select s.id, s.session_id, s.client_id, coalesce(c.name, ''), s.status, s.version, s.content::text, s.engagement, s.breakthrough, "
             "s.priority_score, to_char(se.session_date, 'YYYY-MM-DD'), " + rfc3339_millis_sql("s.approved_at") + " from summaries s "
             "join sessions se on se.id = s.session_id left join clients c on c.organization_id = $1 and c.id = s.client_id "
             "where s.organization_id = $1 and s.client_id = $2 and s.status = 'approved' order by se.session_date desc, s.approved_at desc, s.id",
             organization, client))
        d.approved_summaries.push_back({{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
                                         r[4].as<std::string>(), r[5].as<std::uint64_t>(), r[6].as<std::string>(), r[7].as<std::string>(),
                                         r[8].as<bool>(), r[9].as<double>()},
                                        r[10].as<std::string>(), r[11].as<std::string>()});
    d.next_offsets = projected_offsets(tx, topic);
    return d;
}

}  // namespace debrief::projections
