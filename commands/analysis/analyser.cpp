// The analyser: reads each turn once, routes what it finds to the client it concerns, then ranks and trims the lists.
#include "commands/analysis/analyser.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <set>
#include <unordered_map>

#include "commands/analysis/addressing.hpp"
#include "commands/analysis/advice.hpp"
#include "commands/analysis/commitments.hpp"
#include "commands/analysis/due_dates.hpp"
#include "commands/analysis/engagement.hpp"
#include "commands/analysis/phrasing.hpp"
#include "commands/analysis/polarity.hpp"
#include "commands/analysis/priority.hpp"
#include "commands/analysis/ranking.hpp"
#include "commands/analysis/sentences.hpp"
#include "commands/analysis/speech_acts.hpp"
#include "commands/analysis/text.hpp"

namespace debrief::analysis {

std::string_view to_string(EngagementLevel level) {
    switch (level) {
        case EngagementLevel::high: return "high";
        case EngagementLevel::medium: return "medium";
        case EngagementLevel::low: return "low";
        case EngagementLevel::silent: break;
    }
    return "silent";
}

namespace {

using namespace detail;

// Base scores of action items; a due date adds 1. An agreed request outranks a plain commitment, which outranks a
// promise of the coach's (those have their own cap anyway).
constexpr double agreed_request_score = 2.5;
constexpr double commitment_score = 2;
constexpr double coach_promise_score = 1;

bool one_of(std::string_view word, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), word) != set.end();
}

std::string fold(std::string_view name) { return to_lower(commands::trim(name)); }

// The name to write into a title: "Dana Whitfield" -> "Dana", "Coach Sam" -> "Sam"; "Coach" alone gives nothing.
std::string call_name(std::string_view speaker) {
    auto words = words_of(speaker);
    if (words.empty()) return {};
    bool generic = one_of(words[0].lower, {"coach", "agent", "client", "participant", "speaker", "team", "facilitator", "trainer"});
    if (generic && words.size() == 1) return {};
    const auto& w = generic ? words.back() : words.front();
    return std::string(speaker.substr(w.begin, w.end - w.begin));
}

int whitespace_words(std::string_view text) {
    int count = 0;
    bool in_word = false;
    for (char c : text) {
        bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
        if (!space && !in_word) ++count;
        in_word = !space;
    }
    return count;
}

std::vector<Word> without_span(const std::vector<Word>& words, std::size_t from, const std::optional<DueDateMatch>& due) {
    std::vector<Word> out;
    for (std::size_t i = from; i < words.size(); ++i)
        if (!due || words[i].end <= due->begin || words[i].begin >= due->end) out.push_back(words[i]);
    return out;
}

// An action title from the task starting at byte `begin` of text, without the due-date phrase when it follows.
std::string title_from(std::string_view text, std::size_t begin, const std::optional<DueDateMatch>& due, const TitleNames& names) {
    std::size_t due_begin = 0, due_end = 0;
    if (due && due->begin >= begin) due_begin = due->begin - begin, due_end = due->end - begin;
    return action_title(text.substr(begin), due_begin, due_end, names);
}

enum class Role { other, coach, client };

struct Clause {
    std::string text;
    std::vector<Word> words;
};

struct SentenceInfo {
    std::string text;
    bool question = false;
    std::vector<Word> words;
    std::vector<Clause> clauses;
};

struct Turn {
    Role role = Role::other;
    std::size_t client = 0;  // when role is client
    std::vector<SentenceInfo> sentences;
};

struct ClientState {
    std::string call_name;
    std::vector<Candidate> wins, challenges, recommendations;
    std::vector<ActionCandidate> actions;
    bool breakthrough = false;
    std::set<std::string> risks;
    int positive = 0, negative = 0;  // clauses scored as wins / challenges, before ranking
};

// What the analyser knows about one sentence of a coach's turn.
struct CoachSentence {
    std::vector<std::size_t> targets;  // the clients it is addressed to; empty with group: the whole room
    bool group = false;
    double advice = 0;
    std::optional<DueDateMatch> due;
    std::optional<std::size_t> request;        // word where a requested task starts ("can you <block chat>")
    bool anaphoric = false;                    // "can you do that by Friday?"
    std::optional<std::size_t> source;         // the earlier sentence of the turn an anaphoric request points to
    bool due_belongs_elsewhere = false;        // "you're doing X by Friday, and you'll do Y": Friday is X's
    std::optional<DueDateMatch> followup_due;  // "...? Just a list, by 3 December."
    bool consumed = false;                     // already turned into an action item
};

// How the client answered a coach's turn, read from the first sentence or two of their next turn.
struct Answer {
    std::size_t client = 0;
    Reply reply = Reply::none;
    std::optional<DueDateMatch> due;
    bool own_task = false;  // "I'll put a sticky note on my screen": their own plan, not the coach's advice
};

class Analyser {
public:
    explicit Analyser(const AnalysisInput& input) : input_(input) {
        for (const auto& name : input.client_speakers) {
            if (client_index_.contains(fold(name))) continue;
            client_index_[fold(name)] = clients_.size();
            clients_.push_back(ClientState{call_name(name), {}, {}, {}, {}, false, {}, 0, 0});
            names_.push_back(name_forms(name));
            all_names_.insert(all_names_.end(), names_.back().begin(), names_.back().end());
        }
        for (const auto& name : input.coach_speakers) coach_names_.insert(fold(name));
        if (!input.coach_speakers.empty()) coach_call_name_ = call_name(input.coach_speakers.front());
        turns_.reserve(input.utterances.size());
        for (const auto& u : input.utterances) turns_.push_back(read_turn(u));
        spoke_.assign(clients_.size(), false);
        for (const auto& turn : turns_)
            if (turn.role == Role::client && !turn.sentences.empty()) spoke_[turn.client] = true;
    }

    std::vector<SummaryDraft> run() {
        for (std::size_t t = 0; t < turns_.size(); ++t) {
            if (turns_[t].role == Role::client) client_turn(t);
            else if (turns_[t].role == Role::coach) coach_turn(t);
        }
        auto stats = statistics();
        std::vector<SummaryDraft> drafts;
        for (const auto& name : input_.client_speakers) {
            const auto& state = clients_[client_index_.at(fold(name))];
            SummaryDraft draft;
            draft.speaker = name;
            draft.wins = rank(state.wins);
            draft.challenges = rank(state.challenges);
            draft.action_items = rank(state.actions);
            draft.coach_recommendations = rank(without_taken_on(state.recommendations, draft.action_items));
            draft.breakthrough = state.breakthrough;
            ParticipantInfo info{name, 0, 0, 0};
            if (auto it = stats.people.find(fold(name)); it != stats.people.end()) info = it->second;
            draft.engagement = engagement_level(info, stats.totals);
            PrioritySignals signals;
            signals.challenges = static_cast<int>(draft.challenges.size());
            signals.wins = static_cast<int>(draft.wins.size());
            signals.action_items = static_cast<int>(draft.action_items.size());
            signals.risk_words = static_cast<int>(state.risks.size());
            signals.negative_clauses = state.negative;
            signals.positive_clauses = state.positive;
            signals.engagement = draft.engagement;
            signals.breakthrough = draft.breakthrough;
            draft.priority_score = priority_score(signals);
            drafts.push_back(std::move(draft));
        }
        return drafts;
    }

private:
    Turn read_turn(const Utterance& u) {
        Turn turn;
        auto key = fold(u.speaker);
        if (auto it = client_index_.find(key); it != client_index_.end()) {
            turn.role = Role::client;  // a speaker listed as both coach and client is summarised as a client
            turn.client = it->second;
        } else if (coach_names_.contains(key)) {
            turn.role = Role::coach;
        }
        if (turn.role == Role::other) return turn;  // nobody we summarise or attribute: not worth reading
        for (auto& s : split_sentences(normalise_punctuation(u.text))) {
            SentenceInfo info;
            info.words = words_of(s.text);
            info.question = s.question;
            for (auto& c : split_clauses(s.text)) {
                auto words = words_of(c);
                if (!words.empty()) info.clauses.push_back({std::move(c), std::move(words)});
            }
            info.text = std::move(s.text);
            turn.sentences.push_back(std::move(info));
        }
        return turn;
    }

    void add_item(std::vector<Candidate>& list, std::string phrase, const Polarity& p, bool from_coach) {
        double score = std::min(std::max(p.win, p.challenge), 4.0);
        auto content = content_words(phrase).size();
        auto length = words_of(phrase).size();
        if (content == 0 || ((content < 2 || length < 3) && score < 2)) return;  // "Not great" says too little; "Overwhelmed" enough
        if (has_digit(phrase)) score += 0.5;
        if (p.kpi) score += 0.5;
        if (p.insight) score += 0.25;
        if (!p.risks.empty() && p.challenge > p.win) score += 0.5;  // "quitting", "overwhelmed": what a follow-up is for
        if (content < 2) score -= 0.5;                               // "Struggling with it": true but vague
        if (from_coach) score -= 0.5;
        if (length < 4) score -= 0.5;
        if (length > 18) score -= 0.25;
        list.push_back({std::move(phrase), score, order_++});
    }

    void add_action(std::size_t client, std::string title, std::string owner, const std::optional<DueDateMatch>& due, double score) {
        if (words_of(title).size() < 2 || content_words(title).empty()) return;
        ActionItemDraft draft{std::move(title), std::move(owner), std::nullopt};
        if (due) {
            draft.due_date = due->date;
            score += 1;
        }
        clients_[client].actions.push_back({std::move(draft), score, order_++});
    }

    // A first-person commitment in a clause becomes an action item of each owner: the client who said it, or the
    // clients the coach promised it to.
    void commitment(const std::vector<std::size_t>& owners, const Clause& clause, bool coach_speaking, bool answering) {
        if (owners.empty() || !commitment_task(clause.words, true, coach_speaking)) return;  // cheap test before the date search
        auto due = find_due_date(clause.text, input_.session_date);
        auto task = commitment_task(clause.words, due.has_value(), coach_speaking);
        if (!task) return;
        auto task_words = without_span(clause.words, *task, due);
        if (is_anaphoric(task_words)) return;  // "I'll do that": the request it answers carries the task
        // Answering a request, "I'll pull them from the dashboard" only elaborates on it.
        if (answering && std::any_of(task_words.begin(), task_words.end(), [](const Word& w) {
                return one_of(w.lower, {"it", "them", "that", "those", "this"});
            }))
            return;
        for (auto c : owners) {
            // "I'll send you ..." names the other side: the coach in the client's item, the client in the coach's.
            TitleNames names = coach_speaking ? TitleNames{clients_[c].call_name, ""} : TitleNames{coach_call_name_, ""};
            add_action(c, title_from(clause.text, clause.words[*task].begin, due, names), coach_speaking ? "coach" : "client", due,
                       coach_speaking ? coach_promise_score : commitment_score);
        }
    }

    void client_turn(std::size_t t) {
        const auto& turn = turns_[t];
        auto& client = clients_[turn.client];
        bool answering = t > 0 && turns_[t - 1].role == Role::coach;
        for (std::size_t k = 0; k < turn.sentences.size(); ++k) {
            const auto& sentence = turn.sentences[k];
            bool how = sentence.question && is_how_question(sentence.words);
            for (const auto& clause : sentence.clauses) {
                auto p = score_polarity(clause.words);
                bool own_voice = !speaks_to_someone(clause.words) && !reported_speech(clause.text, clause.words);
                if (p.insight && !sentence.question && own_voice) client.breakthrough = true;
                // An insight is progress even when it names what was hard ("it clicked that they're not angry at me").
                bool win = own_voice && !sentence.question && (p.is_win() || (p.insight && p.challenge < 3));
                bool challenge = own_voice && !win && (!sentence.question || how) && p.is_challenge() &&
                                 (clause.words[0].lower != "if" || p.challenge >= 3);  // "if my mind goes blank I read the note"
                if (own_voice && !win) client.risks.insert(p.risks.begin(), p.risks.end());
                if (win) {
                    ++client.positive;
                    add_item(client.wins, summary_phrase(clause.text, false, {}), p, false);
                } else if (challenge) {
                    ++client.negative;
                    add_item(client.challenges, summary_phrase(clause.text, false, {}), p, false);
                }
                if (sentence.question) continue;
                commitment({turn.client}, clause, false, answering && k == 0);
                if (!offered_.contains(t))
                    if (auto task = offered_task(clause.words))
                        offered_[t] = title_from(clause.text, clause.words[*task].begin, find_due_date(clause.text, input_.session_date),
                                                 TitleNames{coach_call_name_, ""});
            }
        }
    }

    std::optional<Answer> answer_to(std::size_t t) const {
        if (t + 1 >= turns_.size() || turns_[t + 1].role != Role::client) return std::nullopt;
        const auto& reply = turns_[t + 1];
        Answer answer;
        answer.client = reply.client;
        std::vector<Word> opening;
        for (std::size_t k = 0; k < reply.sentences.size() && k < 2; ++k) {
            if (k == 1 && opening.size() >= 4) break;  // "Oh. Yes, I will." reads on; "Yes, I will." does not need to
            const auto& s = reply.sentences[k];
            opening.insert(opening.end(), s.words.begin(), s.words.end());
            if (!answer.due) answer.due = find_due_date(s.text, input_.session_date);
            for (const auto& clause : s.clauses) {
                auto due = find_due_date(clause.text, input_.session_date);
                auto task = commitment_task(clause.words, due.has_value(), false);
                answer.own_task |= task && !is_anaphoric(without_span(clause.words, *task, due));
            }
        }
        answer.reply = classify_reply(opening);
        return answer;
    }

    std::vector<CoachSentence> read_coach_sentences(std::size_t t) const {
        const auto& turn = turns_[t];
        // Whom the turn speaks to until a sentence says otherwise: the only client, or the client who just spoke.
        std::vector<std::size_t> current;
        bool group = false;
        if (clients_.size() == 1) current = {0};
        else if (t > 0 && turns_[t - 1].role == Role::client) current = {turns_[t - 1].client};
        else group = true;

        std::vector<CoachSentence> sentences(turn.sentences.size());
        for (std::size_t k = 0; k < turn.sentences.size(); ++k) {
            const auto& s = turn.sentences[k];
            auto& cs = sentences[k];
            if (clients_.size() > 1) {
                auto address = address_of(s.text, s.words, names_);
                if (!address.clients.empty()) current = address.clients, group = false;
                else if (address.group || moves_on(s.words)) current.clear(), group = true;
            }
            cs.targets = current;
            cs.group = group;
            cs.advice = advice_strength(s.text, s.words, s.question);
            cs.due = find_due_date(s.text, input_.session_date);
            cs.request = request_task(s.words);
            if (!cs.request) continue;
            // A deadline before the task is the task's only when it opens the sentence ("By Friday, can you ...").
            if (cs.due && cs.due->begin < s.words[*cs.request].begin && cs.due->begin > s.words[std::min<std::size_t>(3, *cs.request)].begin)
                cs.due_belongs_elsewhere = true;
            cs.anaphoric = is_anaphoric(without_span(s.words, *cs.request, cs.due)) || points_back(s.words, *cs.request);
            for (std::size_t j = k; cs.anaphoric && j-- > 0;) {
                if (sentences[j].advice >= advice_threshold || (sentences[j].request && !sentences[j].anaphoric)) {
                    cs.source = j;
                    break;
                }
            }
            if (cs.anaphoric && !cs.source && !(t > 0 && offered_.contains(t - 1))) cs.request.reset();
        }
        // "Could you write down ... this week? Just a list, by 3 December.": a deadline said right after the request
        // outranks a time reference inside it.
        for (std::size_t k = 0; k < sentences.size(); ++k) {
            auto& cs = sentences[k];
            if (!cs.request || (cs.due && cs.due->deadline && !cs.due_belongs_elsewhere)) continue;
            for (std::size_t j = k + 1; j < sentences.size() && j <= k + 2; ++j) {
                if (sentences[j].request || sentences[j].advice >= advice_threshold) break;
                if (sentences[j].due && sentences[j].due->deadline) {
                    cs.followup_due = sentences[j].due;
                    break;
                }
            }
        }
        return sentences;
    }

    // Requests the client agreed to in the very next turn become the client's action items: "can you X?" + "I will",
    // or + "yes" when a date or a timing ("next", "every") makes it a plan rather than an answer.
    void accept_requests(std::size_t t, std::vector<CoachSentence>& sentences, const Answer& answer) {
        const auto& turn = turns_[t];
        for (std::size_t k = 0; k < sentences.size(); ++k) {
            auto& cs = sentences[k];
            if (!cs.request) continue;
            bool addressed = cs.group || std::find(cs.targets.begin(), cs.targets.end(), answer.client) != cs.targets.end();
            auto own_due = cs.due_belongs_elsewhere ? std::nullopt : cs.due;
            bool timed = own_due || cs.followup_due || answer.due || has_timing_cue(turn.sentences[k].words);
            if (!addressed || !(answer.reply == Reply::commit || (answer.reply == Reply::agree && timed))) continue;
            auto due = answer.due ? answer.due : (cs.followup_due ? cs.followup_due : own_due);
            std::string title;
            auto offered = t > 0 ? offered_.find(t - 1) : offered_.end();
            if (cs.anaphoric && !cs.source && offered != offered_.end() && turns_[t - 1].client == answer.client) {
                title = offered->second;  // "I could ask them ..." then "Could you try that on Monday?"
            } else if (cs.source) {
                auto& source = sentences[*cs.source];
                if (!due) due = source.due;
                title = source.request && !source.anaphoric ? request_title(turn.sentences[*cs.source], *source.request, source.due)
                                                            : advice_title(turn.sentences[*cs.source]);
                source.consumed = true;
            } else {
                title = request_title(turn.sentences[k], *cs.request, cs.followup_due ? std::nullopt : own_due);
            }
            add_action(answer.client, std::move(title), "client", due, agreed_request_score);
            cs.consumed = true;
        }
    }

    void coach_turn(std::size_t t) {
        if (clients_.empty()) return;
        const auto& turn = turns_[t];
        auto sentences = read_coach_sentences(t);
        auto answer = answer_to(t);
        if (answer) accept_requests(t, sentences, *answer);

        // Only the last piece of advice can be what "I'll do that" commits to.
        std::optional<std::size_t> last_advice;
        for (std::size_t k = 0; k < sentences.size(); ++k)
            if (!sentences[k].consumed && sentences[k].advice >= advice_threshold) last_advice = k;

        for (std::size_t k = 0; k < sentences.size(); ++k) {
            const auto& s = turn.sentences[k];
            const auto& cs = sentences[k];
            auto targets = cs.targets;
            if (cs.group) {
                targets.clear();
                for (std::size_t c = 0; c < clients_.size(); ++c)
                    if (spoke_[c]) targets.push_back(c);  // the room is whoever was in it
            }
            // Advice: a recommendation, or the client's action item when they commit to it in the next turn.
            if (!cs.consumed && cs.advice >= (cs.group ? group_advice_threshold : advice_threshold)) {
                auto phrase = recommendation_phrase(s.text, all_names_);
                for (auto c : targets) {
                    if (answer && answer->client == c && answer->reply == Reply::commit && !answer->own_task && last_advice == k) {
                        add_action(c, advice_title(earlier_advice(t, k)), "client", answer->due ? answer->due : cs.due, agreed_request_score);
                        continue;
                    }
                    if (words_of(phrase).size() < 3) continue;
                    clients_[c].recommendations.push_back({phrase, cs.advice + (cs.group ? -0.5 : 0.5), order_++});
                }
            }
            if (!s.question)
                for (const auto& clause : s.clauses) commitment(targets, clause, true, false);
            if (!cs.group && !s.question) observations(s, targets);
        }
    }

    // "Try it for a week": advice that points back is about the coach's last substantial advice, earlier in this turn
    // or in the coach's turn before the client's last answer.
    const SentenceInfo& earlier_advice(std::size_t t, std::size_t k) const {
        const auto& s = turns_[t].sentences[k];
        auto first = std::find_if(s.words.begin(), s.words.end(), [](const Word& w) { return !one_of(w.lower, {"so", "just", "and", "then"}); });
        if (!points_back(s.words, static_cast<std::size_t>(first - s.words.begin()))) return s;
        auto substantial = [&](const SentenceInfo& e) {
            if (advice_strength(e.text, e.words, e.question) < advice_threshold) return false;
            auto f = std::find_if(e.words.begin(), e.words.end(), [](const Word& w) { return !one_of(w.lower, {"so", "just", "and", "then"}); });
            return !points_back(e.words, static_cast<std::size_t>(f - e.words.begin()));
        };
        for (std::size_t j = k; j-- > 0;)
            if (substantial(turns_[t].sentences[j])) return turns_[t].sentences[j];
        if (t >= 2 && turns_[t - 1].role == Role::client && turns_[t - 2].role == Role::coach)
            for (auto it = turns_[t - 2].sentences.rbegin(); it != turns_[t - 2].sentences.rend(); ++it)
                if (substantial(*it)) return *it;
        return s;
    }

    // The coach describing the client's results: "your CSAT went up from 4.1 to 4.5", "you stayed calm with him".
    // Praise stands on its own; a difficulty in the coach's words only with a KPI behind it.
    void observations(const SentenceInfo& s, const std::vector<std::size_t>& targets) {
        for (const auto& clause : s.clauses) {
            // "Lena, your first call resolution went up": the name is how the coach turns to her.
            std::size_t start = 0;
            for (auto c : targets)
                for (const auto& form : names_[c])
                    if (clause.words.size() > 1 && clause.words[0].lower == form) start = 1;
            std::vector<Word> rest(clause.words.begin() + static_cast<std::ptrdiff_t>(start), clause.words.end());
            if (!opens_in_second_person(rest) || opens_conditionally(rest) || reports_or_recaps(rest)) continue;
            auto p = score_polarity(clause.words);
            if (!(p.kpi || (p.is_win() && p.win >= 2))) continue;
            for (auto c : targets) {
                if (p.is_win()) add_item(clients_[c].wins, summary_phrase(clause.text, true, all_names_), p, true);
                else if (p.is_challenge()) add_item(clients_[c].challenges, summary_phrase(clause.text, true, all_names_), p, true);
            }
        }
    }

    std::string request_title(const SentenceInfo& s, std::size_t task, const std::optional<DueDateMatch>& due) const {
        return title_from(s.text, s.words[task].begin, due, TitleNames{"", coach_call_name_});
    }

    std::string advice_title(const SentenceInfo& s) const {
        auto phrase = recommendation_phrase(s.text, all_names_);
        return title_from(phrase, 0, find_due_date(phrase, input_.session_date), TitleNames{"", coach_call_name_});
    }

    struct Statistics {
        std::unordered_map<std::string, ParticipantInfo> people;
        TalkTotals totals;
    };

    // Participants' statistics as given, completed from the utterances for speakers the list does not know.
    Statistics statistics() const {
        Statistics stats;
        for (const auto& p : input_.participants) stats.people.try_emplace(fold(p.speaker), p);
        std::unordered_map<std::string, ParticipantInfo> counted;
        for (const auto& u : input_.utterances) {
            auto key = fold(u.speaker);
            if (stats.people.contains(key)) continue;
            auto& p = counted.try_emplace(key, ParticipantInfo{u.speaker, 0, 0, 0}).first->second;
            p.word_count += whitespace_words(u.text);
            p.turn_count += 1;
            if (u.start_seconds && u.end_seconds && *u.end_seconds > *u.start_seconds) p.speaking_seconds += *u.end_seconds - *u.start_seconds;
        }
        for (auto& [key, p] : counted) stats.people.emplace(key, p);
        for (const auto& [key, p] : stats.people) {
            stats.totals.speaking_seconds += p.speaking_seconds;
            stats.totals.word_count += p.word_count;
            if (p.word_count > 0) ++stats.totals.speakers;
        }
        return stats;
    }

    const AnalysisInput& input_;
    std::vector<ClientState> clients_;
    std::vector<std::vector<std::string>> names_;  // per client, the names they answer to
    Vocatives all_names_;
    std::unordered_map<std::string, std::size_t> client_index_;  // folded name -> client
    std::set<std::string> coach_names_;
    std::string coach_call_name_;
    std::vector<Turn> turns_;
    std::vector<bool> spoke_;                               // per client: said anything at all
    std::unordered_map<std::size_t, std::string> offered_;  // client turn -> the idea it offered, as a title
    std::size_t order_ = 0;
};

}  // namespace

std::vector<SummaryDraft> analyse(const AnalysisInput& input) { return Analyser(input).run(); }

}  // namespace debrief::analysis
