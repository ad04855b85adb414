// Wiring of the roles in one process, in the order that keeps the write side consistent at start.
#include "app/service.hpp"

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "adapters/delivery/file_drop_delivery.hpp"
#include "adapters/delivery/smtp_delivery.hpp"
#include "adapters/llm/llm_assistant.hpp"
#include "api/auth/password.hpp"
#include "api/browser_edge.hpp"
#include "api/live/live_access.hpp"
#include "api/live/live_endpoint.hpp"
#include "api/routes.hpp"
#include "app/draft_reviewer.hpp"
#include "app/live_feed.hpp"
#include "app/outbox_dispatcher.hpp"
#include "app/read_model_rebuilds.hpp"
#include "app/readiness_probe.hpp"
#include "app/service_metrics.hpp"
#include "app/write_model_snapshots.hpp"
#include "commands/command_handler.hpp"
#include "commands/session_commands.hpp"
#include "commands/write_model.hpp"
#include "common/json_log.hpp"
#include "common/thread_name.hpp"
#include "events/codec.hpp"
#include "events/dead_letter_publisher.hpp"
#include "events/event_consumer.hpp"
#include "events/kafka_audit_trail.hpp"
#include "events/kafka_event_log.hpp"
#include "events/kafka_watermarks.hpp"
#include "events/log_end.hpp"
#include "projections/postgres/as_of_models.hpp"
#include "projections/postgres/audit_projector.hpp"
#include "projections/postgres/connection_pool.hpp"
#include "projections/postgres/migrations.hpp"
#include "projections/postgres/postgres_projector.hpp"
#include "projections/postgres/projection_offsets.hpp"
#include "projections/search/transcript_store.hpp"

namespace debrief::app {
namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string new_uuid() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    std::uint64_t high = random(), low = random();
    high = (high & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
    low = (low & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;    // RFC 4122 variant
    char text[37];
    std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32), static_cast<unsigned>((high >> 16) & 0xffff),
                  static_cast<unsigned>(high & 0xffff), static_cast<unsigned>(low >> 48), static_cast<unsigned long long>(low & 0xffffffffffffULL));
    return text;
}

// A refusal that no retry changes: the brokers refused Debrief's credentials, or its principal may not do this.
bool final_refusal(const Error& error) { return error.code == "kafka_authentication_failed" || error.code == "kafka_authorization_failed"; }

// Retries a start-up step until it succeeds or the deadline passes: services may still be starting.
template <typename Step>
auto with_retries(std::string_view what, std::chrono::milliseconds budget, Step step) {
    const auto deadline = std::chrono::steady_clock::now() + budget;
    auto backoff = std::chrono::milliseconds(200);
    for (;;) {
        auto result = step();
        if (result || final_refusal(result.error()) || std::chrono::steady_clock::now() + backoff > deadline) return result;
        log_warn("startup_retry", {{"step", what}, {"code", result.error().code}, {"error", result.error().message}});
        std::this_thread::sleep_for(backoff);  // backoff between attempts, not synchronisation
        backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
    }
}

bool database_answers(const std::string& url) {
    try {
        pqxx::connection connection{url};
        pqxx::nontransaction tx{connection};
        tx.exec("select 1");
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

struct Service::Impl {
    Config config;
    std::shared_ptr<events::KeyRing> keys;  // the data subjects' keys: seal on write, open on read
    std::unique_ptr<events::KafkaEventLog> log;
    std::unique_ptr<events::DeadLetterPublisher> dead_letters;
    std::unique_ptr<events::KafkaAuditTrail> audit;  // reads of private material, written in batches
    projections::ProjectorHealth postgres_health;
    projections::ProjectorHealth search_health;
    projections::ProjectorHealth audit_health;
    commands::WriteModel write_model;
    std::unique_ptr<WriteModelSnapshots> snapshots;  // none with --snapshot-every-events 0
    std::unique_ptr<commands::CommandHandler> commands;
    std::unique_ptr<adapters::LlmAssistant> assistant;  // only with DEBRIEF_LLM_URL
    std::unique_ptr<DraftReviewer> reviewer;            // declared after `commands`: stopped and destroyed before it
    std::unique_ptr<projections::TranscriptStore> transcripts;
    std::unique_ptr<projections::ConnectionPool> database;
    projections::ProjectionProgress postgres_progress;
    projections::ProjectionProgress search_progress;
    projections::ProjectionProgress audit_progress;
    std::unique_ptr<projections::PostgresProjector> postgres_projector;
    std::unique_ptr<projections::SearchProjector> search_projector;
    std::unique_ptr<projections::AuditProjector> audit_projector;
    std::unique_ptr<ReadModelRebuilds> rebuilds;
    std::unique_ptr<projections::AsOfModels> as_of;  // the read models of past moments, for ?as_of=
    std::thread postgres_thread;
    std::thread search_thread;
    std::thread audit_thread;
    std::unique_ptr<api::TokenService> tokens;
    std::unique_ptr<api::Api> api;
    std::unique_ptr<api::HttpServer> server;
    std::unique_ptr<delivery::Delivery> delivery;
    std::unique_ptr<OutboxDispatcher> outbox;
    std::unique_ptr<events::KafkaWatermarks> watermarks;
    std::unique_ptr<events::LogEnd> log_end;  // asks `watermarks` only for a position beyond what it last saw
    api::live::LiveHub live_hub;               // the WebSockets' channels, fed by live_feed
    api::live::LiveTickets live_tickets;
    std::unique_ptr<LiveFeed> live_feed;
    std::thread live_thread;
    std::atomic<bool> live_feed_running{true};

    // The keys topic from the beginning (compacted: a subject's newest record is its key, a tombstone its erasure);
    // a key this master key cannot open stops the start: the wrong master key would leave every sealed field empty.
    Result<bool> load_keys() {
        std::optional<Error> unopenable;
        auto keys_read = events::read_to_end(config.kafka, config.kafka.keys_topic, [&](const events::Record& record) {
            if (record.value.empty()) return keys->forget(record.key);
            if (auto loaded = keys->load(record.value); !loaded && !unopenable) unopenable = loaded.error();
        }, config.rebuild_credentials_timeout_ms);
        if (!keys_read) return keys_read.error();
        if (unopenable) return *unopenable;
        log_info("subject_keys_loaded", {{"records", keys_read.value()}, {"keys", keys->size()}});
        return true;
    }

    // Credentials from the beginning (a compacted topic, one record per user); events from the snapshot's offsets, or
    // from the beginning without one. A long enough tail is folded into a new snapshot before any command is taken.
    Result<bool> rebuild_write_model() {
        const auto started = std::chrono::steady_clock::now();
        if (auto loaded = load_keys(); !loaded) return loaded.error();
        auto credentials = events::read_to_end(config.kafka, config.kafka.credentials_topic, [&](const events::Record& record) {
            if (auto stored = events::decode_private(record.value, keys.get())) write_model.apply(stored.value());
        }, config.rebuild_credentials_timeout_ms);
        if (!credentials) return credentials.error();
        std::map<int, std::int64_t> from;
        if (snapshots) from = snapshots->restore([this] { return log_ends(); });
        std::size_t skipped = 0;
        auto events_read = events::read_to_end(config.kafka, config.kafka.events_topic, [&](const events::Record& record) {
            auto event = events::decode(record.value, keys.get());
            if (event) {
                write_model.apply(event.value(), record.position);
            } else {
                ++skipped;
            }
        }, config.rebuild_events_timeout_ms, from);
        if (!events_read) return events_read.error();
        log_info("write_model_rebuilt", {{"events", events_read.value()}, {"credentials", credentials.value()}, {"skipped", skipped},
                                         {"from_snapshot", from.empty() ? "false" : "true"}, {"events_in_model", write_model.event_count()},
                                         {"ms", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()}});
        if (snapshots && static_cast<std::int64_t>(events_read.value()) >= config.snapshot_every_events) snapshots->take("start");
        return true;
    }

    // What of erased clients lives outside the read models: the outbox's message files, and the write model's
    // snapshot (written again now, so the one on disk no longer holds them). At start, and after each erasure.
    void forget_erased() {
        for (const auto& follow_up : write_model.follow_ups_of_erased_clients()) delivery->forget(follow_up.value);
        if (snapshots) snapshots->take("erasure");
    }

    Result<std::map<int, std::int64_t>> log_ends() const {
        return watermarks->ends(config.kafka.events_topic, config.kafka_probe_timeout_ms);
    }

    std::atomic<bool> stop_requested{false};  // by stop(): the HTTP server drains, run() then shuts down
    std::atomic<bool> stopping{false};        // by shutdown(): projector threads end instead of restarting
    std::once_flag shutdown_once;
    bool listening = false;                   // start() got as far as the HTTP listener
    std::atomic<bool> postgres_projector_running{true};
    std::atomic<bool> search_projector_running{true};
    std::atomic<bool> audit_projector_running{true};
    std::unique_ptr<ReadinessProbe> readiness;  // last: its thread reads the members above and stops first

    // After the HTTP server's handlers are done (run() returned, or it never ran): every background thread is
    // stopped and joined, once, on the owner's thread. What it stops may still be running when stop() is called:
    // the projectors keep applying while requests in flight wait for their ?position=.
    void shutdown() {
        std::call_once(shutdown_once, [this] {
            stopping = true;
            if (rebuilds) rebuilds->stop();  // before the projectors: a rebuild's switch pauses and resumes one
            as_of.reset();                   // stops and joins its builder
            if (reviewer) reviewer->stop();  // before the commands it calls go away; drops what is queued
            if (postgres_projector) postgres_projector->stop();
            if (search_projector) search_projector->stop();
            if (audit_projector) audit_projector->stop();
            if (live_feed) live_feed->stop();
            if (outbox) outbox->stop();
            if (snapshots) snapshots->stop();  // no command is left to fold: the shutdown's snapshot is complete
            if (readiness) readiness->stop();
            if (postgres_thread.joinable()) postgres_thread.join();
            if (search_thread.joinable()) search_thread.join();
            if (audit_thread.joinable()) audit_thread.join();
            if (live_thread.joinable()) live_thread.join();
        });
    }

    api::Readiness check_readiness() const {
        api::Readiness readiness;
        readiness.kafka = log->reachable(config.kafka_probe_timeout_ms);
        readiness.event_writer = !log->fenced();
        readiness.postgres = database_answers(config.postgres_url);
        readiness.projectors = postgres_projector_running && search_projector_running && audit_projector_running;
        readiness.read_models = read_model_statuses();
        return readiness;
    }

    // Each read model against the log end: what it stored (PostgreSQL's offsets are shared by every instance) and,
    // for the partitions this instance consumes, where its consumer stands.
    std::vector<projections::ReadModelStatus> read_model_statuses() const {
        const auto& topic = config.kafka.events_topic;
        auto ends = log_ends();
        auto log_end = ends ? std::move(ends).value() : std::map<int, std::int64_t>{};  // unknown: Kafka's check says so
        auto applied = [](std::map<int, std::int64_t> stored, const projections::ProjectorHealth::Snapshot& health) {
            for (auto [partition, next] : health.positions) stored[partition] = std::max(stored[partition], next);
            return stored;
        };
        std::map<int, std::int64_t> postgres_stored = postgres_progress.snapshot();
        try {
            for (auto [partition, next] : projections::PostgresProjector::stored_offsets(config.postgres_url, topic))
                postgres_stored[partition] = std::max(postgres_stored[partition], next);
        } catch (const std::exception&) {
            // PostgreSQL does not answer: the postgres check says so; the lag is what this instance knows
        }
        const auto now = projections::ProjectorHealth::now_ms();
        auto postgres = postgres_health.snapshot();
        auto search = search_health.snapshot();
        return {projections::read_model_status("postgres", postgres, applied(postgres_stored, postgres), log_end, now, config.readiness),
                projections::read_model_status("rocksdb", search, applied(search_progress.snapshot(), search), log_end, now, config.readiness)};
    }

    api::live::LiveLimits live_limits() const {
        api::live::LiveLimits limits;
        if (config.rate_limits == "off") limits.messages_per_second = 0;
        return limits;
    }

    // The WebSockets: the feed from the log into the hub, and the upgrade of /v1/ws to a session on it.
    void start_live() {
        api::live::OwnerLookup owners{
                [this](const SummaryId& id) {
                    auto summary = write_model.committed_state(id);
                    return api::live::Owners{summary.session_id.value, summary.client_id.value, summary.coach_id.value};
                },
                [this](const SessionId& id) { return api::live::Owners{id.value, {}, write_model.committed_state(id).coach_id.value}; },
                [this](const ActionItemId& id) {
                    auto item = write_model.committed_state(id);
                    return api::live::Owners{{}, item.client_id.value, item.coach_id.value};
                }};
        live_feed = std::make_unique<LiveFeed>(LiveFeedSettings{config.kafka, config.kafka.events_topic, 1'000, [this] { return log_ends(); }}, *keys,
                                               live_hub, std::move(owners));
        if (auto from = live_feed->start_offsets(); !from) log_warn("live_feed_failed", {{"code", from.error().code}, {"error", from.error().message}});
        start_projector(live_thread, "live", live_feed_running, [this] { return live_feed->run(); });
        api::live::LiveServices services{
                live_hub,
                [this](const std::string& token) -> Result<api::live::LiveAuth> {
                    auto claims = api->authenticate(token);
                    if (!claims) return claims.error();
                    return api::live::LiveAuth{claims->actor, claims->expires_at};
                },
                [this](const commands::Actor& actor, const api::live::Channel& channel) {
                    return api::live::refusal_to_follow(write_model, actor, channel);
                },
                now_ms};
        api::WebSocketSettings websocket_settings;
        websocket_settings.deflate = config.ws_deflate == "on";
        server->serve_websockets(websocket_settings, api::live::live_endpoint(std::move(services), live_tickets,
                                                                                     api::live::LiveEndpointSettings{config.allowed_origins, live_limits()}));
    }

    void start_postgres_projector() {
        projections::PostgresProjectorSettings settings{config.postgres_url, config.postgres_projector_group, config.projector_batch_size};
        settings.crash_after_commits = config.fault_crash_after_projector_commit;
        postgres_projector =
                std::make_unique<projections::PostgresProjector>(settings, config.kafka, *keys, postgres_progress, postgres_health, *dead_letters);
        start_projector(postgres_thread, "postgres", postgres_projector_running, [this] { return postgres_projector->run(); });
    }

    // A projector that fails (database down, broker gone) is restarted with backoff, never left dead; while it
    // is down the instance reports not ready.
    void start_projector(std::thread& thread, std::string_view name, std::atomic<bool>& running, std::function<Result<bool>()> run) {
        thread = std::thread([this, name = std::string(name), &running, run = std::move(run)] {
            name_this_thread("proj:" + name);
            auto backoff = std::chrono::milliseconds(500);
            while (!stopping) {
                running = true;
                auto result = run();
                if (result) break;  // stopped on request
                running = false;
                log_error("projector_failed", {{"projector", name}, {"code", result.error().code}, {"error", result.error().message},
                                               {"retry_in_ms", backoff.count()}});
                const auto until = std::chrono::steady_clock::now() + backoff;
                while (!stopping && std::chrono::steady_clock::now() < until)
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // backoff, interruptible by the shutdown
                backoff = std::min(backoff * 2, std::chrono::milliseconds(30'000));
            }
        });
    }
};

Service::Service(Config config, std::vector<int> stop_signals) : impl_(std::make_unique<Impl>()) {
    auto& s = *impl_;
    s.config = std::move(config);
    // Made now, not at the end of start(), so that the stop signals are caught during the whole start. It listens
    // only at the end of start(); the handlers are called only once run() serves, when s.api is there.
    auto http = s.config.http;
    http.upload_paths = {"/v1/metrics/imports"};  // CSV uploads: the route checks the file's own 5 MiB limit
    api::BrowserEdgeSettings edge{s.config.allowed_origins, s.config.http.tls()};
    s.server = std::make_unique<api::HttpServer>(
        http, [&s](const api::HttpRequest& request) { return s.api->handle(request); },
        [&s, edge](const api::HttpRequest& request) {
            if (auto preflight = api::preflight_answer(request, edge)) return preflight;  // answered at once, as probes are
            return s.api->probe(request);
        },
        [&s](const api::HttpRequest& request) { return s.api->is_slow(request); });
    s.server->decorate_answers([edge](const api::HttpRequest* request, api::HttpResponse& response) { api::add_browser_headers(request, response, edge); });
    if (!stop_signals.empty())
        s.server->on_signals(stop_signals, [this](int signal) {
            log_info("shutting_down", {{"signal", signal}});
            stop();
        });
}

Service::~Service() {
    stop();
    impl_->shutdown();
    unregister_service_metrics();
}

Result<unsigned short> Service::start() {
    auto& s = *impl_;
    log_info("starting", {{"config", describe(s.config)}});
    const auto startup_budget = std::chrono::milliseconds(s.config.startup_retry_ms);

    auto master_key = events::MasterKey::from_file(s.config.master_key_file);
    if (!master_key) return master_key.error();
    s.keys = std::make_shared<events::KeyRing>(std::move(master_key).value());
    auto log = events::KafkaEventLog::open(s.config.kafka, s.keys);
    if (!log) return log.error();
    s.log = std::move(log).value();
    auto topics = with_retries("kafka_topics", startup_budget, [&] { return s.log->ensure_topics(10'000); });
    if (!topics) return topics.error();
    // Before reading the log: fences a previous writer with our id and settles its open transaction, so the
    // rebuild below reads everything that will ever be committed before this point.
    auto writer = with_retries("kafka_writer", startup_budget, [&] { return s.log->init_writer(10'000); });
    if (!writer) return writer.error();
    auto dead_letters = events::DeadLetterPublisher::open(s.config.kafka);
    if (!dead_letters) return dead_letters.error();
    s.dead_letters = std::move(dead_letters).value();
    auto audit = events::KafkaAuditTrail::open(s.config.kafka);
    if (!audit) return audit.error();
    s.audit = std::move(audit).value();
    auto migrated = with_retries("postgres_migrations", startup_budget, [&] { return projections::migrate(s.config.postgres_url); });
    if (!migrated) return migrated.error();
    log_info("migrations_applied", {{"count", migrated.value()}});

    auto watermarks = events::KafkaWatermarks::open(s.config.kafka);
    if (!watermarks) return watermarks.error();
    s.watermarks = std::move(watermarks).value();
    std::filesystem::create_directories(s.config.data_dir);
    if (s.config.snapshot_every_events > 0) {
        auto snapshots = WriteModelSnapshots::open((std::filesystem::path(s.config.data_dir) / "write-model").string(), s.write_model,
                                                   s.config.kafka.events_topic, s.config.snapshot_every_events);
        if (!snapshots) return snapshots.error();
        s.snapshots = std::move(snapshots).value();
    }
    // The write side answers commands only once it has folded the whole log: expected versions must be current.
    auto rebuilt = s.rebuild_write_model();
    if (!rebuilt) return rebuilt.error();
    if (s.snapshots) s.snapshots->start();
    s.commands = std::make_unique<commands::CommandHandler>(s.write_model, *s.log, now_ms, new_uuid, api::hash_password);
    if (s.config.llm.enabled()) {
        auto assistant = adapters::LlmAssistant::create(s.config.llm);
        if (!assistant) return assistant.error();
        s.assistant = std::move(assistant).value();
        // Refinements read the transcript from the RocksDB read model (opened below, before the first request).
        s.commands->set_assistant(s.assistant.get(), [&s](const OrganizationId& organization, const SessionId& session) -> std::optional<std::string> {
            auto document = s.transcripts ? s.transcripts->transcript_json(organization, session) : std::nullopt;
            if (!document) return std::nullopt;
            boost::system::error_code ec;
            auto json = boost::json::parse(*document, ec);
            if (ec || !json.is_object() || !json.as_object().contains("text") || !json.at("text").is_string()) return std::nullopt;
            return std::string(json.at("text").as_string());
        });
        s.reviewer = std::make_unique<DraftReviewer>(*s.commands, s.config.review_queue_capacity);
        s.commands->set_draft_listener([&s](const OrganizationId& organization, const SummaryId& summary, const events::Cause& cause,
                                            const std::string& excerpt) { s.reviewer->enqueue(organization, summary, cause.correlation_id, excerpt); });
        log_info("llm_provider_configured", {{"model", s.config.llm.model}, {"refiner", s.assistant->refiner()}});
    }
    for (const auto& [organization, session] : s.write_model.sessions_awaiting_parse()) {
        commands::CommandContext context;
        context.cause.correlation_id = "startup-resume";
        auto parsed = commands::parse_transcript(*s.commands, organization, session, context);
        log_info("transcript_parse_resumed", {{"session_id", session.value}, {"ok", parsed.ok() ? "true" : "false"}});
    }

    auto store = projections::TranscriptStore::open(ReadModelRebuilds::search_directory(s.config.data_dir).string(), *s.keys);
    if (!store) return store.error();
    s.transcripts = std::move(store).value();
    s.database = std::make_unique<projections::ConnectionPool>(s.config.postgres_url, static_cast<std::size_t>(s.config.http.worker_threads + s.config.http.slow_worker_threads));
    projections::PostgresRebuild::drop_leftovers(s.config.postgres_url);  // copies a crash left half built or not yet dropped
    s.search_projector =
        std::make_unique<projections::SearchProjector>(*s.transcripts, s.config.kafka, s.search_progress, s.search_health, *s.dead_letters);
    s.start_postgres_projector();
    s.start_projector(s.search_thread, "rocksdb", s.search_projector_running, [&s] { return s.search_projector->run(); });
    s.rebuilds = std::make_unique<ReadModelRebuilds>(
            ReadModelRebuilds::Settings{s.config.kafka, s.config.postgres_url, s.keys.get(), s.config.data_dir, [&s] { return s.commands->new_id(); },
                                        s.config.replay_workers},
            projections::SearchRebuild::Live{*s.transcripts,
                                             [&s] {
                                                 s.search_projector->stop();
                                                 if (s.search_thread.joinable()) s.search_thread.join();
                                                 s.search_health.switching();
                                             },
                                             [&s] {
                                                 s.search_projector = std::make_unique<projections::SearchProjector>(
                                                         *s.transcripts, s.config.kafka, s.search_progress, s.search_health, *s.dead_letters);
                                                 s.start_projector(s.search_thread, "rocksdb", s.search_projector_running,
                                                                   [&s] { return s.search_projector->run(); });
                                             },
                                             [&s](const std::string& directory) { ReadModelRebuilds::record_search_directory(s.config.data_dir, directory); }},
            projections::PostgresRebuild::Live{[&s] {
                                                   s.postgres_projector->stop();
                                                   if (s.postgres_thread.joinable()) s.postgres_thread.join();
                                                   s.postgres_health.switching();
                                               },
                                               [&s] { s.start_postgres_projector(); }});
    projections::AuditProjectorSettings audit_settings;
    audit_settings.connection_string = s.config.postgres_url;
    audit_settings.consumer_group = s.config.postgres_projector_group + "-audit";  // per deployment, like the projector's
    s.audit_projector = std::make_unique<projections::AuditProjector>(audit_settings, s.config.kafka, s.audit_progress, s.audit_health);
    s.start_projector(s.audit_thread, "audit", s.audit_projector_running, [&s] { return s.audit_projector->run(); });

    if (!s.config.smtp.host.empty()) {
        s.delivery = std::make_unique<delivery::SmtpDelivery>(s.config.smtp);
    } else {
        auto folder = s.config.outbox_dir.empty() ? std::filesystem::path(s.config.data_dir) / "outbox" : std::filesystem::path(s.config.outbox_dir);
        s.delivery = std::make_unique<delivery::FileDropDelivery>(folder);
    }
    s.outbox = std::make_unique<OutboxDispatcher>(s.write_model, *s.commands, *s.delivery,
                                                  OutboxSettings{s.config.delivery_retry, s.config.mail_from, s.config.outbox_idle_check}, now_ms);
    s.forget_erased();  // an erasure that a crash interrupted before its files went
    s.outbox->start();
    log_info("outbox_started", {{"channel", std::string(s.delivery->channel())}});

    s.tokens = std::make_unique<api::TokenService>(s.config.tokens);
    // After the watermarks: the probe measures every read model's lag against them.
    s.readiness = std::make_unique<ReadinessProbe>([&s] { return s.check_readiness(); }, s.config.readiness_probe);
    s.readiness->start();
    auto topic = s.config.kafka.events_topic;
    s.log_end = std::make_unique<events::LogEnd>(events::LogEnd::Source{
        [&s, topic] { return s.watermarks->partition_count(topic, s.config.kafka_probe_timeout_ms); },
        [&s, topic](int partition) { return s.watermarks->high_watermark(topic, partition, s.config.kafka_probe_timeout_ms); },
    });
    auto url = s.config.postgres_url;
    s.as_of = std::make_unique<projections::AsOfModels>(projections::AsOfSettings{url, topic, 3, 2000, s.config.replay_workers}, s.config.kafka, *s.keys);
    api::ApiDependencies dependencies{
        *s.commands,
        s.write_model,
        *s.tokens,
        *s.database,
        *s.transcripts,
        *s.keys,
        s.postgres_progress,
        s.search_progress,
        [url, topic] { return projections::PostgresProjector::stored_offsets(url, topic); },
        [&s] { return s.readiness->current(); },
        [&s](const events::Position& position) { return s.log_end->locate(position) == events::LogEnd::Where::beyond; },
        now_ms,
        [&s] { s.outbox->wake(); },
        [&s] { s.forget_erased(); },
        s.config.kafka.events_topic,
        s.audit.get(),
        &s.audit_progress,
        [url, audit_topic = s.config.kafka.audit_topic] { return projections::stored_projection_offsets(url, projections::AuditProjector::name, audit_topic); },
        [&s](const std::string& read_model) { return s.rebuilds->start(read_model); },
        [&s](const std::string& id) {
            auto status = s.rebuilds->status(id);
            return status ? status : s.as_of->status(id);
        },
        [&s](events::ExportFilter filter) { return events::EventExport::open(s.config.kafka, s.config.kafka.events_topic, s.keys.get(), std::move(filter)); },
        [&s](std::int64_t as_of_ms) { return s.as_of->at(as_of_ms); },
    };
    dependencies.live_tickets = &s.live_tickets;
    auto api_settings = s.config.api;
    if (s.config.rate_limits == "off") {
        api_settings.rate_limit_per_minute = api_settings.auth_rate_limit_per_minute = api_settings.api_key_rate_limit_per_minute = 0;
        log_warn("rate_limits_off", {{"detail", "DEBRIEF_RATE_LIMITS=off: no per-user, per-API-key, per-address or WebSocket message limit; for benchmarks and "
                                                "load tests only"}});
    }
    s.api = std::make_unique<api::Api>(std::move(dependencies), api_settings);
    s.start_live();
    register_service_metrics(
            [&s] {
                // The readiness probe's last answer (it asks the brokers and PostgreSQL in the background), with how long
                // each read model has not applied anything while behind.
                std::vector<ReadModelLag> lags;
                const auto now = projections::ProjectorHealth::now_ms();
                for (auto& status : s.readiness->current().read_models) {
                    const auto& health = status.name == "postgres" ? s.postgres_health : s.search_health;
                    const double behind = status.lag_events > 0 ? static_cast<double>(now - health.snapshot().last_progress_ms) / 1000.0 : 0.0;
                    lags.push_back({std::move(status), behind});
                }
                return lags;
            },
            s.live_hub);
    try {
        auto port = s.server->listen();
        s.listening = true;
        log_info("listening", {{"host", s.config.http.host}, {"port", port}, {"scheme", s.config.http.tls() ? "https" : "http"}});
        return port;
    } catch (const api::TlsSetupError& e) {
        return Error{ErrorKind::invalid, "tls_setup_failed", e.what()};
    } catch (const std::exception& e) {
        return Error{ErrorKind::unavailable, "http_bind_failed", e.what()};
    }
}

void Service::run() {
    auto& s = *impl_;
    if (s.listening) s.server->run();  // started: serves until stop(), drains, and returns once no handler runs
    s.shutdown();
}

void Service::stop() {
    auto& s = *impl_;
    if (s.stop_requested.exchange(true)) return;
    s.server->stop();  // made in the constructor and kept to the end: no other member is touched here
}

}  // namespace debrief::app
