// The export formats without a broker: type patterns, a payload as JSON (nested parts, lists, absent optionals),
// the CloudEvents structured form, CSV's header and quoting, and the checks of a filter.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "events/cloudevents.hpp"
#include "events/codec.hpp"
#include "events/event_export.hpp"

using namespace debrief;
using namespace debrief::events;
namespace json = boost::json;

namespace {

Event event_of(Payload payload) {
    Event event{{}, std::move(payload)};
    event.metadata.event_id = "e-1";
    event.metadata.organization_id = OrganizationId{"org-1"};
    event.metadata.aggregate_id = aggregate_id(event.payload);
    event.metadata.aggregate_version = 3;
    event.metadata.occurred_at_ms = 1'764'000'000'250;
    event.metadata.cause.actor_id = UserId{"user-1"};
    event.metadata.cause.correlation_id = "corr-1";
    return event;
}

}  // namespace

TEST_CASE("type patterns match with '*' anywhere; an empty pattern matches every type") {
    CHECK(type_matches("debrief.session.*", "debrief.session.created"));
    CHECK_FALSE(type_matches("debrief.session.*", "debrief.summary.drafted"));
    CHECK(type_matches("*.created", "debrief.session.created"));
    CHECK(type_matches("debrief.*.created", "debrief.action_item.created"));
    CHECK(type_matches("debrief.note.added", "debrief.note.added"));
    CHECK_FALSE(type_matches("debrief.note.add", "debrief.note.added"));
    CHECK(type_matches("", "debrief.note.added"));
    CHECK(type_matches("*", "debrief.note.added"));
    CHECK(type_matches("d*e*d", "debrief.note.added"));
    CHECK(matching_types("debrief.note.*") == std::vector<std::string>{"debrief.note.added", "debrief.note.addressed"});
    CHECK(matching_types("").size() == event_type_names().size());
}

TEST_CASE("a payload as JSON: fields named as in the schema, parts as objects, an absent optional as null") {
    TranscriptParsed parsed;
    parsed.session_id = SessionId{"s-1"};
    parsed.timed = true;
    parsed.participants = {{"Priya Shah", 30.5, 12, 2, ClientId{"c-1"}, false}};
    parsed.segments = {{"Priya Shah", 1.0, std::nullopt, "Hello."}};
    const auto data = json::parse(payload_json(parsed)).as_object();
    CHECK(data.at("session_id") == "s-1");
    CHECK(data.at("timed") == true);
    CHECK(data.at("participants").as_array()[0].at("speaking_seconds").as_double() == 30.5);
    CHECK(data.at("participants").as_array()[0].at("client_id") == "c-1");
    CHECK(data.at("segments").as_array()[0].at("start_seconds").as_double() == 1.0);
    CHECK(data.at("segments").as_array()[0].at("end_seconds").is_null());
    // Every type has its JSON, with its fields at their defaults.
    for (auto type : event_type_names()) CHECK_MESSAGE(default_payload_json(type).has_value(), type);
    CHECK_FALSE(default_payload_json("debrief.nothing").has_value());
}

TEST_CASE("a CloudEvent in structured mode carries the envelope as attributes and the payload as data") {
    auto event = event_of(NoteAdded{NoteId{"n-1"}, ClientId{"c-1"}, UserId{"u-1"}, "Ask about the move"});
    event.metadata.unopened_seals = {"client:c-1"};
    const auto e = json::parse(cloud_event_json(event, Position{2, 41})).as_object();
    CHECK(e.at("specversion") == "1.0");
    CHECK(e.at("id") == "e-1");
    CHECK(e.at("type") == "debrief.note.added");
    CHECK(e.at("source") == "/debrief/organizations/org-1");
    CHECK(e.at("subject") == "note/n-1");
    CHECK(e.at("time") == "2025-11-24T16:00:00.250Z");
    CHECK(e.at("aggregateversion").to_number<int>() == 3);
    CHECK(e.at("logposition") == "2:41");
    CHECK(e.at("unopenedseals") == "client:c-1");
    CHECK(e.at("data").at("text") == "Ask about the move");
}

TEST_CASE("CSV: the envelope's columns then the payload's, quoted where RFC 4180 needs it") {
    CHECK(csv_header("debrief.note.added") ==
          "id,time,type,subject,organizationid,aggregateversion,actorid,correlationid,logposition,note_id,client_id,coach_id,text\r\n");
    auto row = csv_row(event_of(NoteAdded{NoteId{"n-1"}, ClientId{"c-1"}, UserId{"u-1"}, "Said \"soon\", twice\nthen left"}), Position{0, 7});
    CHECK(row == "e-1,2025-11-24T16:00:00.250Z,debrief.note.added,note/n-1,org-1,3,user-1,corr-1,0:7,n-1,c-1,u-1,\"Said \"\"soon\"\", twice\nthen left\"\r\n");
    auto session = csv_row(event_of(SessionAnalysed{SessionId{"s-1"}, {SummaryId{"a"}, SummaryId{"b"}}}), Position{1, 2});
    CHECK(session.ends_with(",s-1,\"[\"\"a\"\",\"\"b\"\"]\"\r\n"));  // a list is its JSON
}

TEST_CASE("an export's filter is checked: CSV needs exactly one type, the window must be forward") {
    ExportFilter filter{OrganizationId{"org-1"}, std::nullopt, std::nullopt, "", ExportFormat::jsonl};
    CHECK_FALSE(check_export(filter).has_value());
    filter.format = ExportFormat::csv;
    CHECK(check_export(filter)->code == "csv_needs_one_type");
    filter.type_pattern = "debrief.note.added";
    CHECK_FALSE(check_export(filter).has_value());
    filter.type_pattern = "nope";
    CHECK(check_export(filter)->code == "invalid_type");
    filter.type_pattern = "";
    filter.format = ExportFormat::jsonl;
    filter.from_ms = 10;
    filter.to_ms = 10;
    CHECK(check_export(filter)->code == "invalid_date_range");
}
