// Win and challenge scoring: weighted cue lexicons for coaching and call-centre speech, read in context.
#include "commands/analysis/polarity.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string_view>

#include "commands/analysis/lexicon.hpp"

namespace debrief::analysis::detail {
namespace {

// Weights: 2 is an unmistakable cue on its own, 1.5 a clear one, 1 or less needs company (see Polarity::threshold).
const Lexicon& win_cues() {
    static const Lexicon lexicon{
        {"closed", 2}, {"resolved", 2}, {"solved", 2}, {"fixed", 2}, {"finished", 2}, {"completed", 2}, {"achieved", 2},
        {"accomplished", 2}, {"nailed", 2}, {"smashed", 2}, {"managed to", 2}, {"was able to", 2}, {"were able to", 2},
        {"hit my target", 2}, {"hit my targets", 2}, {"hit target", 2}, {"hit the target", 2}, {"met my target", 2},
        {"beat my", 2}, {"personal best", 2}, {"passed", 2}, {"got promoted", 2}, {"thanked me", 2}, {"praised", 2},
        {"compliment*", 2}, {"positive feedback", 2}, {"good feedback", 2}, {"great feedback", 2}, {"proud", 2},
        {"breakthrough", 2}, {"milestone", 2}, {"on track", 1.5}, {"ahead of", 1.5}, {"stayed calm", 2}, {"kept calm", 2},
        {"stayed patient", 2}, {"de escalated", 2}, {"turned it around", 2}, {"turned things around", 2}, {"saved", 1.5},
        {"retained", 1.5}, {"zero escalations", 2}, {"no escalations", 2}, {"delegated", 2}, {"handed over", 1.5},
        {"improved", 1.5}, {"improving", 1.5}, {"improvement", 1.5}, {"more confident", 2}, {"confident", 1.5},
        {"getting better", 1.5}, {"got better", 1.5}, {"much better", 1.5}, {"a lot better", 1.5}, {"way better", 1.5},
        {"better", 1}, {"went better", 1.5}, {"going better", 1.5}, {"calmer", 1.5}, {"easier", 1.5}, {"worked well", 1.5}, {"went well", 1}, {"really well", 1},
        {"it worked", 1.5}, {"that worked", 1.5}, {"works", 1}, {"worked", 1}, {"handled", 1}, {"success", 1.5},
        {"successful", 1.5}, {"progress", 1.5}, {"happy with", 1.5}, {"pleased", 1.5}, {"good at", 1}, {"enjoy*", 0.5},
        {"love*", 0.5}, {"helped", 1}, {"helps", 1}, {"made a difference", 1.5}, {"makes a difference", 1.5},
        {"faster", 1}, {"quicker", 1}, {"less stressed", 2}, {"more relaxed", 1.5}, {"relaxed", 1}, {"first time", 1},
        {"said no", 1}, {"stuck to", 1.5}, {"kept to", 1.5}, {"on time", 1}, {"caught up", 1.5}, {"best month", 1.5},
        {"best ever", 1.5}, {"my best", 1.5}, {"best week", 1.5}, {"record", 1}, {"calmed down", 1.5}, {"calmed him down", 2},
        {"calmed her down", 2}, {"calmed them down", 2}, {"over the line", 2}, {"landed", 1.5}, {"signed", 1.5}, {"secured", 1.5},
        {"exceeded", 2}, {"won", 1.5}, {"delivered", 1.5}, {"launched", 1.5}, {"pulled off", 2}, {"sorted out", 1.5},
        {"felt good", 1.5}, {"felt great", 1.5}, {"felt amazing", 1.5}, {"got through", 1}, {"promotion", 1.5}, {"renewed", 1.5},
    };
    return lexicon;
}

const Lexicon& challenge_cues() {
    static const Lexicon lexicon{
        {"struggl*", 2}, {"overwhelm*", 2}, {"run out of time", 2}, {"running out of time", 2}, {"ran out of time", 2},
        {"runs out of time", 2}, {"out of time", 2}, {"burnout", 2}, {"burnt out", 2}, {"burned out", 2},
        {"burning out", 2}, {"can't cope", 2}, {"cannot cope", 2}, {"not coping", 2}, {"quit", 2}, {"quitting", 2},
        {"give up", 2}, {"giving up", 2}, {"panic*", 1.5}, {"fell behind", 2}, {"falling behind", 2}, {"behind on", 2},
        {"drowning", 2}, {"breaking point", 2}, {"at my limit", 2}, {"too much", 1.5}, {"doesn't work", 1.5},
        {"didn't work", 1.5}, {"isn't working", 1.5}, {"not working", 1.5}, {"difficult", 1.5}, {"difficulty", 1.5},
        {"challenging", 1.5}, {"tough", 1.5}, {"hard", 1}, {"harder", 1}, {"stress*", 1.5}, {"anxious", 1.5},
        {"anxiety", 1.5}, {"nervous", 1.5}, {"worried", 1.5}, {"worry", 1.5}, {"worrying", 1.5}, {"frustrat*", 1.5},
        {"angry", 1.5}, {"upset", 1.5}, {"furious", 1.5}, {"shout*", 1.5}, {"yell*", 1.5}, {"rude", 1.5},
        {"abusive", 1.5}, {"lose track", 1.5}, {"lost track", 1.5}, {"losing track", 1.5}, {"froze", 1.5}, {"freeze", 1.5},
        {"freezing", 1.5}, {"went blank", 1.5}, {"go blank", 1.5}, {"goes blank", 1.5}, {"stuck", 1.5}, {"confus*", 1},
        {"don't know how", 1.5}, {"not sure how", 1.5}, {"no idea how", 1.5}, {"don't know what", 1},
        {"don't know the", 1}, {"failed", 1.5}, {"fail", 1.5}, {"failing", 1.5}, {"marked me down", 1.5},
        {"marked down", 1.5}, {"complain*", 1.5}, {"exhausted", 1.5}, {"tired", 1}, {"drained", 1.5}, {"draining", 1.5},
        {"dread*", 1.5}, {"hate", 1.5}, {"behind", 1}, {"backlog", 1}, {"worse", 1.5}, {"terrible", 1.5}, {"awful", 1.5},
        {"horrible", 1.5}, {"not great", 1.5}, {"not good", 1.5}, {"not going well", 1.5}, {"too long", 1.5},
        {"too slow", 1.5}, {"too high", 1.5}, {"too low", 1.5}, {"too many", 1.5}, {"too late", 1.5},
        {"keep forgetting", 2}, {"forget", 1}, {"forgot", 1}, {"forgetting", 1}, {"mistake*", 1}, {"error*", 1},
        {"miss", 1}, {"missed", 1}, {"missing", 1}, {"problem", 1}, {"problems", 1}, {"issue", 1}, {"issues", 1},
        {"pressure", 1}, {"under pressure", 1.5}, {"stretched", 1.5}, {"pulled in", 1.5}, {"no time", 1.5},
        {"not enough time", 2}, {"don't have time", 2}, {"never have time", 2}, {"takes forever", 1.5},
        {"take forever", 1.5}, {"slow", 1}, {"avoid*", 1}, {"awkward", 1}, {"uncomfortable", 1.5}, {"defensive", 1},
        {"demotivat*", 1.5}, {"fed up", 1.5}, {"lose my temper", 2}, {"lost my temper", 2}, {"snapped", 1.5},
        {"interrupt*", 1}, {"rushed", 1}, {"rushing", 1}, {"rush", 1}, {"escalat*", 1}, {"can't keep up", 2},
        {"cannot keep up", 2}, {"can't seem to", 1.5}, {"can't", 0.5}, {"cannot", 0.5}, {"couldn't", 0.5},
        {"off sick", 1.5}, {"sick", 1}, {"crying", 1.5}, {"cried", 1.5}, {"scared", 1.5}, {"afraid", 1.5},
        {"doubt", 1}, {"useless", 1.5}, {"failure", 1.5}, {"unfair", 1}, {"written warning", 2}, {"final warning", 2},
        {"not sure", 0.5}, {"bottleneck", 1.5}, {"micromanag*", 1.5}, {"late", 1}, {"weekends", 0.5}, {"evenings", 0.5},
        {"most evenings", 1}, {"every evening", 1}, {"every night", 1}, {"late nights", 1}, {"saturdays", 0.5}, {"sundays", 0.5},
        {"freezes", 1.5}, {"annoyed", 1}, {"no energy", 1.5}, {"put them off", 1.5}, {"put it off", 1.5}, {"putting off", 1.5},
        {"procrastinat*", 1.5}, {"lose confidence", 1.5}, {"lost confidence", 1.5}, {"losing confidence", 1.5}, {"taking it personally", 1.5}, {"take it personally", 1.5}, {"took it personally", 1.5},
    };
    return lexicon;
}

const Lexicon& insight_cues() {
    static const Lexicon lexicon{
        {"i realise", 1}, {"i realize", 1}, {"i realised", 1}, {"i realized", 1}, {"i've realised", 1},
        {"i've realized", 1}, {"i just realised", 1}, {"i just realized", 1}, {"that's the first time", 1},
        {"it's the first time", 1}, {"first time i've", 1}, {"first time ever", 1}, {"it finally clicked", 1},
        {"finally clicked", 1}, {"it clicked", 1}, {"something clicked", 1}, {"now i see", 1}, {"now i get it", 1},
        {"i get it now", 1}, {"i see it now", 1}, {"makes so much sense", 1}, {"makes sense now", 1},
        {"never thought of it", 1}, {"never thought about it", 1}, {"never looked at it", 1}, {"lightbulb", 1},
        {"light bulb", 1}, {"eye opener", 1}, {"aha", 1}, {"game changer", 1}, {"changes everything", 1},
        {"penny dropped", 1}, {"it dawned on me", 1},
    };
    return lexicon;
}

const Lexicon& risk_cues() {
    static const Lexicon lexicon{
        {"quit", 1}, {"quitting", 1}, {"resign*", 1}, {"hand in my notice", 1}, {"handing in my notice", 1},
        {"leave the job", 1}, {"leaving the job", 1}, {"looking for another job", 1}, {"overwhelm*", 1}, {"burnout", 1},
        {"burnt out", 1}, {"burned out", 1}, {"burning out", 1}, {"exhausted", 1}, {"complaint*", 1}, {"complain*", 1},
        {"escalation*", 1}, {"can't cope", 1}, {"cannot cope", 1}, {"not coping", 1}, {"breaking point", 1},
        {"written warning", 1}, {"final warning", 1}, {"disciplinary", 1}, {"performance plan", 1},
        {"crying", 1}, {"panic attack*", 1}, {"anxiety", 1}, {"give up", 1}, {"giving up", 1},
    };
    return lexicon;
}

const Lexicon& positive_kpis() {  // higher is better
    static const Lexicon lexicon{
        {"csat", 1}, {"satisfaction", 1}, {"customer satisfaction", 1}, {"qa", 1}, {"qa score", 1}, {"qa scores", 1},
        {"quality score", 1}, {"quality scores", 1}, {"fcr", 1}, {"first call resolution", 1},
        {"first contact resolution", 1}, {"nps", 1}, {"sales", 1}, {"conversion", 1}, {"conversions", 1},
        {"retention", 1}, {"adherence", 1}, {"productivity", 1}, {"survey scores", 1}, {"survey score", 1},
        {"resolution rate", 1}, {"scores", 1}, {"score", 1}, {"attendance", 1},
    };
    return lexicon;
}

const Lexicon& negative_kpis() {  // lower is better
    static const Lexicon lexicon{
        {"handle time", 1}, {"handling time", 1}, {"average handle time", 1}, {"aht", 1}, {"hold time", 1},
        {"hold times", 1}, {"wrap time", 1}, {"wrap up time", 1}, {"wrap up", 1}, {"after call work", 1}, {"acw", 1},
        {"talk time", 1}, {"escalations", 1}, {"complaints", 1}, {"transfers", 1}, {"repeat calls", 1},
        {"callbacks", 1}, {"abandon rate", 1}, {"abandonment", 1}, {"absence", 1}, {"absences", 1},
        {"error rate", 1}, {"backlog", 1}, {"queue", 1}, {"waiting time", 1}, {"wait time", 1}, {"wait times", 1},
    };
    return lexicon;
}

// A direction word after the KPI ("CSAT went up") ...
const Lexicon& up_after() {
    static const Lexicon lexicon{
        {"up", 1}, {"increased", 1}, {"increase", 1}, {"rose", 1}, {"risen", 1}, {"higher", 1}, {"high", 1},
        {"climbed", 1}, {"jumped", 1}, {"above", 1}, {"over", 1}, {"doubled", 1}, {"spiked", 1}, {"creeping up", 1},
    };
    return lexicon;
}
const Lexicon& down_after() {
    static const Lexicon lexicon{
        {"down", 1}, {"dropped", 1}, {"drop", 1}, {"fell", 1}, {"fallen", 1}, {"decreased", 1}, {"lower", 1}, {"low", 1},
        {"slipped", 1}, {"dipped", 1}, {"below", 1}, {"under", 1}, {"shorter", 1}, {"fewer", 1}, {"tanked", 1},
        {"halved", 1}, {"plummeted", 1},
    };
    return lexicon;
}
// ... or a verb before it ("I cut my handle time").
const Lexicon& up_before() {
    static const Lexicon lexicon{{"increased", 1}, {"raised", 1}, {"boosted", 1}, {"doubled", 1}, {"lifted", 1}, {"pushed up", 1}};
    return lexicon;
}
const Lexicon& down_before() {
    static const Lexicon lexicon{{"reduced", 1}, {"cut", 1}, {"lowered", 1}, {"decreased", 1}, {"halved", 1}, {"brought down", 1},
                                 {"got down", 1}, {"fewer", 1}, {"less", 1}};
    return lexicon;
}

bool one_of(std::string_view word, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), word) != set.end();
}

bool is_negator(std::string_view w) {
    return one_of(w, {"not", "no", "never", "don't", "didn't", "doesn't", "isn't", "wasn't", "aren't", "weren't", "won't", "can't",
                      "cannot", "couldn't", "wouldn't", "shouldn't", "haven't", "hasn't", "hadn't", "dont", "didnt", "doesnt",
                      "isnt", "wasnt", "cant", "couldnt", "havent", "without", "hardly", "barely", "zero", "nobody", "nothing",
                      "stopped"});
}

// The negator within three words before position, if any.
std::string_view negator_before(const std::vector<Word>& words, std::size_t position) {
    for (std::size_t back = 1; back <= 3 && back <= position; ++back)
        if (is_negator(words[position - back].lower)) return words[position - back].lower;
    return {};
}

bool in_story_about_someone_else(const std::vector<Word>& words, std::size_t position) {
    std::size_t who = words.size();
    for (std::size_t i = 0; i < position; ++i)
        if (words[i].lower == "who") who = i;
    if (who == words.size()) return false;
    for (std::size_t i = who; i < words.size(); ++i)
        if (one_of(words[i].lower, {"me", "my", "i", "i'm", "myself"})) return false;
    return true;
}

enum class Aspiration { none, hope, need };
// "I want to get better" hopes; "I need to get better" names a gap.
Aspiration aspiration_before(const std::vector<Word>& words, std::size_t position) {
    auto found = Aspiration::none;
    for (std::size_t i = 0; i < position; ++i) {
        const auto& w = words[i].lower;
        bool followed_by_to = i + 1 < words.size() && words[i + 1].lower == "to";
        if (one_of(w, {"need", "needs", "should", "gotta"}) || (one_of(w, {"have", "has", "got"}) && followed_by_to)) return Aspiration::need;
        if (one_of(w, {"want", "wanna", "hope", "hoping", "will", "would", "might", "if", "goal", "aim", "aiming", "wish", "gonna",
                       "unless", "until"}) ||
            w.ends_with("'ll") || (one_of(w, {"going", "plan", "try", "trying"}) && followed_by_to))
            found = Aspiration::hope;
    }
    return found;
}

bool relief_present(const std::vector<Word>& words) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i].lower;
        if (w == "anymore" || (w == "longer" && i > 0 && words[i - 1].lower == "no")) return true;
        if (w == "more" && i > 0 && words[i - 1].lower == "any") return true;
        if (w == "time" && i > 0 && words[i - 1].lower == "this") return true;
    }
    return false;
}

std::optional<double> number_value(std::string_view word) {
    double value = 0;
    auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (ec != std::errc{} || end != word.data() + word.size()) return std::nullopt;
    return value;
}

// "... from 78 to 85" or "from 4.1 to 4.5": +1, -1 or 0. Decimals are split by words_of, so the raw numbers
// are read from the word spans by the caller's words; a decimal like "4.1" arrives as "4", "1".
int from_to_direction(const std::vector<Word>& words, std::size_t start, std::size_t end) {
    for (std::size_t i = start; i + 1 < end; ++i) {
        if (words[i].lower != "from") continue;
        auto read = [&](std::size_t& j) -> std::optional<double> {
            auto whole = number_value(words[j].lower);
            if (!whole) return std::nullopt;
            double value = *whole;
            // Adjacent words with nothing but '.' between them are a decimal.
            if (j + 1 < words.size() && words[j + 1].begin == words[j].end + 1)
                if (auto fraction = number_value(words[j + 1].lower)) {
                    value += *fraction / std::pow(10.0, static_cast<double>(words[j + 1].lower.size()));
                    ++j;
                }
            ++j;
            return value;
        };
        std::size_t j = i + 1;
        auto from = j < words.size() ? read(j) : std::nullopt;
        if (!from) continue;
        if (j < words.size() && words[j].lower != "to") ++j;  // a unit: "from 9 minutes to 7"
        if (j >= words.size() || words[j].lower != "to") continue;
        ++j;
        auto to = j < words.size() ? read(j) : std::nullopt;
        if (!to || *to == *from) continue;
        return *to > *from ? 1 : -1;
    }
    return 0;
}

// Phrasal verbs whose "up"/"down" is not a direction: "set up", "follow up", "wrap up", "calm down" ...
bool phrasal_particle(const std::vector<Word>& words, std::size_t position) {
    if (position == 0) return false;
    // "it came up in the review" is a particle, but "my handle time came down" is a direction.
    if (words[position].lower == "down" && one_of(words[position - 1].lower, {"come", "came", "comes", "coming"})) return false;
    return one_of(words[position - 1].lower, {"set", "follow", "wrap", "back", "catch", "end", "sign", "log", "look", "show", "pick",
                                              "speak", "fill", "hang", "line", "open", "pop", "calm", "slow", "write", "note",
                                              "break", "sit", "step", "shut", "settle", "put", "wind", "let", "turn", "come", "came",
                                              "comes", "coming", "give", "gave", "bring", "brought", "crop", "cropped", "pop", "popped"});
}

// "over 9 minutes", "under target", "above the team average": a comparison, not a particle.
bool measure_follows(const std::vector<Word>& words, std::size_t i) {
    for (std::size_t k = i; k < words.size() && k < i + 3; ++k) {
        const auto& w = words[k].lower;
        if (has_digit(w) || one_of(w, {"target", "targets", "goal", "average", "benchmark", "sla", "threshold", "one", "two", "three",
                                       "four", "five", "six", "seven", "eight", "nine", "ten", "twenty", "thirty", "forty", "fifty",
                                       "a", "half"}))
            return true;
        if (!one_of(w, {"the", "our", "my", "team", "team's", "its", "their"})) return false;
    }
    return false;
}

struct KpiMatch {
    std::size_t begin, end;
    bool higher_is_better;
};

void score_kpis(const std::vector<Word>& words, Polarity& polarity) {
    std::vector<KpiMatch> kpis;
    for (auto m : positive_kpis().find_all(words)) kpis.push_back({m.position, m.position + m.length, true});
    for (auto m : negative_kpis().find_all(words)) kpis.push_back({m.position, m.position + m.length, false});
    if (kpis.empty()) return;
    polarity.kpi = true;
    std::sort(kpis.begin(), kpis.end(), [](const KpiMatch& a, const KpiMatch& b) { return a.begin < b.begin; });
    for (std::size_t k = 0; k < kpis.size(); ++k) {
        const auto& kpi = kpis[k];
        std::size_t limit = std::min(words.size(), kpi.end + 7);
        if (k + 1 < kpis.size()) limit = std::min(limit, kpis[k + 1].begin);
        int direction = from_to_direction(words, kpi.end, limit);
        std::size_t at = kpi.end;
        for (std::size_t i = kpi.end; direction == 0 && i < limit; ++i) {
            if (phrasal_particle(words, i)) continue;
            if (one_of(words[i].lower, {"over", "under", "above", "below"}) && !measure_follows(words, i + 1)) continue;  // "hand them over"
            if (up_after().at(words, i)) direction = 1, at = i;
            else if (down_after().at(words, i)) direction = -1, at = i;
        }
        for (std::size_t back = 1; direction == 0 && back <= 3 && back <= kpi.begin; ++back) {
            std::size_t i = kpi.begin - back;
            if (up_before().at(words, i)) direction = 1, at = i;
            else if (down_before().at(words, i)) direction = -1, at = i;
        }
        if (direction == 0) continue;
        auto aspiration = aspiration_before(words, std::min(at, kpi.begin));
        if (aspiration == Aspiration::need) {
            polarity.challenge += 1;  // "I need to get my handle time down": a gap, said gently
            continue;
        }
        if (aspiration == Aspiration::hope) continue;
        if (!negator_before(words, at).empty()) direction = -direction;  // "didn't go up"
        bool good = (direction > 0) == kpi.higher_is_better;
        (good ? polarity.win : polarity.challenge) += 2;
    }
}

}  // namespace

Polarity score_polarity(const std::vector<Word>& words) {
    Polarity polarity;
    for (auto m : win_cues().find_all(words)) {
        auto aspiration = aspiration_before(words, m.position);
        if (aspiration == Aspiration::need) {
            polarity.challenge += 1;
            continue;
        }
        if (aspiration == Aspiration::hope) continue;
        if (!negator_before(words, m.position).empty()) polarity.challenge += 1;  // "didn't finish", "not better"
        else polarity.win += m.weight;
    }
    bool relief = relief_present(words);
    std::optional<std::size_t> relieved_at;  // "I don't panic anymore when they shout": what follows is the setting
    for (auto m : challenge_cues().find_all(words)) {
        if (relieved_at && m.position > *relieved_at) continue;
        const auto& first = words[m.position].lower;
        // "hard work", "worked hard": effort, not difficulty.
        if (first == "hard" && ((m.position > 0 && words[m.position - 1].lower.starts_with("work")) ||
                                (m.position + 1 < words.size() && words[m.position + 1].lower.starts_with("work"))))
            continue;
        auto negator = negator_before(words, m.position);
        if (negator.empty()) {
            // "a guy who was really angry about a late delivery": someone else's state, told as part of a story;
            // "customers who shout at me" still lands on the speaker.
            if (!in_story_about_someone_else(words, m.position)) polarity.challenge += m.weight;
        } else if (relief || one_of(negator, {"no", "without", "zero", "never", "nobody", "nothing", "stopped"})) {
            polarity.win += 1.5;  // "I don't panic anymore", "no complaints", "without panicking"
            if (relief) relieved_at = m.position;
        }
    }
    score_kpis(words, polarity);

    for (auto m : insight_cues().find_all(words))
        if (negator_before(words, m.position).empty()) polarity.insight = true;
    for (auto m : risk_cues().find_all(words)) {
        std::string phrase;
        for (std::size_t k = 0; k < m.length; ++k) phrase += (k ? " " : "") + words[m.position + k].lower;
        if (negator_before(words, m.position).empty() && std::find(polarity.risks.begin(), polarity.risks.end(), phrase) == polarity.risks.end())
            polarity.risks.push_back(phrase);
    }

    // Boosters only strengthen a cue that is already there.
    double win_boost = 0, challenge_boost = 0;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i].lower;
        if (one_of(w, {"finally", "now"}) || (w == "time" && i > 0 && words[i - 1].lower == "first")) win_boost += 0.5;
        bool intensifying_so = w == "so" && i > 0 && i + 1 < words.size() &&
                               !one_of(words[i + 1].lower, {"i", "i'm", "we", "to", "that", "the", "you", "it", "they", "he", "she", "if",
                                                            "yeah", "um", "what", "and", "my", "there", "now", "then"});
        if (one_of(w, {"really", "always", "keep", "keeps", "constantly", "every"}) || intensifying_so) challenge_boost += 0.5;
    }
    if (polarity.win > 0) polarity.win += std::min(win_boost, 1.0);
    if (polarity.challenge > 0) polarity.challenge += std::min(challenge_boost, 1.0);
    return polarity;
}

}  // namespace debrief::analysis::detail
