"""Who says it: finding the speaker of a quote or the claimant of a claim in news prose.

News writing attributes words in a clause next to them: "Blinken said", "said the official",
"Russia has accused". This module finds those clauses in the words outside quotation marks
and the actors they name. Names are matched as whole words (token sequences), never as
substrings: the alias "he" cannot match "The".

What it reads (the grammar, not any article's sentences):

- The lexicon below: about 200 verbs of speech and 40 more of position or finding, each in all
  its forms (about 790 forms for quotes, 980 for claims), phrasal verbs ("shot back", "pointed
  out", "weighed in", "as she puts it"), arguments reported by what they rest on ("pointed to
  the exports as proof that", "held up … as evidence"), nouns of reported speech for claims
  ("despite U.S. warnings", "a forecast by Dray"), and the phrases "according to X", "in the words of X", "X
  was quoted (by Y) as saying", "X is expected to say", "X was heard telling".
- The subject before a verb: the stretch back to the nearest comma, or before an apposition,
  relative clause or participle ("X, who …, said"; "X, the mayor, said"); coordinated subjects
  are all speakers ("Kaldoria, Vessland and Orrin urged"; "Bill and Ruth Tamsin said"; "Voss
  and his partner, Lorne Haskett, denied"). Never a speaker: a name after a preposition when a
  head is named ("Moreau of Valdés"), an owner ("Brandt's spokeswoman"; for a claim, an owner
  speaks when nothing else does: "the authority's review found"), the object after a verb
  ("Beck founded Skyrell", "told Voss"), a modifier in a description ("the Kaldorian foreign
  minister", unless nothing else is named), or a place.
- The speaker after an inverted verb ("said her son, Dennis Halloran") or after "by" in a
  passive ("was announced on Tuesday by the league"); not a phrase of its own ("said of
  Valdés", "said in a video released by …") nor a clause ("said the council had …").
- Which clause: for a quote, the nearest clause in its sentence, else a colon that opens it
  ("Okafor shot back: “…”"), else the last clause of the sentence before; for a claim, the
  first clause of speech in its excerpt that names someone. A negated verb ("has not said",
  "declined to say") reports nothing; a verb after a determiner or preposition is a noun.
- Pronouns: "he", "she", "they", "it" (and "his diary" in "according to …") stand for the
  nearest subject named before them that can be one: a person for "he" and "she", and not a
  person the article itself calls by the other pronoun (`pronouns_of`: "Ilves … with her
  colleague", "Anne Holloway said she …"). When that subject cannot be the pronoun, it stands
  for a name joined to the subject by "with" ("Holloway met with Osei. Afterward, he said …",
  where the article calls Holloway "she"); otherwise never for that name.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from ..text import fold
from .passages import BREAK, POSSESSIVE, PUNCTUATION, QUOTED, tokens

# Verbs that attribute words to a speaker, in the forms news writing uses.
SPEECH_VERBS = frozenset(
    """
    said says say saying told tells added adds asked asks stated states declared declares
    wrote writes warned warns argued argues insisted insists noted notes explained explains
    replied replies responded responds continued continues recalled recalls acknowledged
    acknowledges announced announces claimed claims suggested suggests urged urges remarked
    observed commented conceded concedes admitted admits emphasized emphasised stressed
    stresses tweeted posted testified predicted promised vowed pledged called accused accuses
    denied denies agreed told according quipped shouted cautioned maintained maintains
    """.split()
)
# Words that report a position without quoting it: everything above, other verbs, and the
# nouns of reported speech ("despite U.S. warnings", "Russia's veto threat").
REPORTING_VERBS = SPEECH_VERBS | frozenset(
    """
    alleged alleges demanded demands threatened threatens estimated estimates reported reports
    confirmed confirms revealed reveals disclosed proposed proposes recommended recommends
    rejected rejects welcomed welcomes condemned condemns criticized criticised blamed blames
    complained asserted asserts contended contends believes believed wants wanted hopes hoped
    expects expected pushed pressed sought seeks opposed opposes supports supported backed
    made insist warn accuse demand announce promise pledge threaten deny claim urge call
    warning warnings accusation accusations demand demands statement statements pledge
    pledges threat threats allegation allegations assurance assurances
    """.split()
)


class _Automaton:
    """Aho-Corasick over tokens: every name of one index in a trie, with the links that find
    all of them in one pass over a token sequence, whatever their number and length."""

    def __init__(self, names: dict[tuple[str, ...], frozenset[str]]) -> None:
        self.next: list[dict[str, int]] = [{}]  # the trie: state 0 is the root
        self.ids: list[frozenset[str]] = [frozenset()]  # the actors of a name ending here
        for key, ids in names.items():
            state = 0
            for token in key:
                following = self.next[state].get(token)
                if following is None:
                    following = self.next[state][token] = len(self.next)
                    self.next.append({})
                    self.ids.append(frozenset())
                state = following
            self.ids[state] = ids
        # fail: the state of the longest proper suffix that is in the trie; output: the
        # nearest state on that chain where a name ends (0 for none).
        self.fail = [0] * len(self.next)
        self.output = [0] * len(self.next)
        queue = deque(self.next[0].values())
        while queue:
            state = queue.popleft()
            for token, child in self.next[state].items():
                queue.append(child)
                back = self.fail[state]
                while back and token not in self.next[back]:
                    back = self.fail[back]
                fail = self.fail[child] = self.next[back].get(token, 0)
                self.output[child] = fail if self.ids[fail] else self.output[fail]

    def found(self, words: list[str]) -> Iterator[frozenset[str]]:
        """The actors of each name that occurs in the words (each name once)."""
        seen: set[int] = set()
        state = 0
        for word in words:
            while state and word not in self.next[state]:
                state = self.fail[state]
            state = self.next[state].get(word, 0)
            hit = state if self.ids[state] else self.output[state]
            while hit and hit not in seen:
                seen.add(hit)
                yield self.ids[hit]
                hit = self.output[hit]

    def longest_at(self, words: list[str], start: int) -> int:
        """The length of the longest name that starts at `start` (0 if none does)."""
        state, longest = 0, 0
        for index in range(start, len(words)):
            following = self.next[state].get(words[index])
            if following is None:
                break
            state = following
            if self.ids[state]:
                longest = index - start + 1
        return longest


class NameIndex:
    """Every name and alias of every actor, as token sequences, for whole-word lookups.

    An article's index extends the registry's (with the article's own descriptions, such as
    "the official") without copying it: lookups fall through to the parent.

    Lookups take time in proportion to the words looked through (and, for the longest name at
    each place, to the length of the names found), not to the number of names: each index
    finds its names with one automaton (`_Automaton`), made when first needed.
    """

    def __init__(self, parent: NameIndex | None = None) -> None:
        self.parent = parent
        self.names: dict[tuple[str, ...], frozenset[str]] = {}
        self.by_actor: dict[str, list[tuple[str, ...]]] = {}
        self.first_words: set[str] = set()
        self.longest: int = parent.longest if parent else 1
        self._automaton: _Automaton | None = None

    def add(self, actor_id: str, name: str) -> None:
        key = tuple(
            token
            for token in tokens(fold(name))
            if token not in PUNCTUATION and token != POSSESSIVE
        )
        if key:
            self.names[key] = self.names.get(key, frozenset()) | {actor_id}
            self.by_actor.setdefault(actor_id, []).append(key)
            self.first_words.add(key[0])
            self.longest = max(self.longest, len(key))
            self._automaton = None

    def lookup(self, key: tuple[str, ...]) -> frozenset[str]:
        """The actors a token sequence names exactly."""
        found = self.names.get(key, frozenset())
        return found | self.parent.lookup(key) if self.parent else found

    def starts_a_name(self, word: str) -> bool:
        return word in self.first_words or (
            self.parent is not None and self.parent.starts_a_name(word)
        )

    def names_of(self, actor_id: str) -> list[tuple[str, ...]]:
        """The token sequences that name one actor."""
        own = self.by_actor.get(actor_id, [])
        return own + self.parent.names_of(actor_id) if self.parent else own

    def _chain(self) -> Iterator[_Automaton]:
        """The automata of this index and the indexes it extends."""
        index: NameIndex | None = self
        while index is not None:
            if index.names:
                if index._automaton is None:
                    index._automaton = _Automaton(index.names)
                yield index._automaton
            index = index.parent

    def mentions(self, words: list[str], actor_id: str) -> bool:
        """True if the token sequence names the actor anywhere (hyphenated parts included)."""
        plain = [word for word in words if word != POSSESSIVE]
        parts = {part for word in plain if "-" in word for part in word.split("-")}
        if any(actor_id in self.lookup((part,)) for part in parts):
            return True
        return any(actor_id in ids for automaton in self._chain() for ids in automaton.found(plain))

    def extended(self, more: Iterable[tuple[str, str]]) -> NameIndex:
        """This index with more (actor id, name) pairs, such as an article's descriptions."""
        child = NameIndex(self)
        for actor_id, name in more:
            child.add(actor_id, name)
        return child

    def actors_in(self, words: list[str], *, longest: bool = False) -> set[str]:
        """The actors named in a token sequence, hyphenated parts included ("Iranian-backed"
        names whoever "Iranian" names).

        With longest, as for the subject of a clause: only the longest name at each place ("a
        senior State Department official" names the official, not the department), and not a
        name that owns the subject ("Brandt's spokeswoman said" is not Brandt speaking).
        """
        plain: list[str] = []
        possessed: set[int] = set()
        for word in words:
            if word == POSSESSIVE:
                possessed.add(len(plain) - 1)
            else:
                plain.append(word)
        found: set[str] = set()
        for word in plain:
            if "-" in word:
                for part in word.split("-"):
                    found |= self.lookup((part,))
        automata = list(self._chain())
        if not longest:
            for automaton in automata:
                for ids in automaton.found(plain):
                    found |= ids
            return found
        start = 0
        while start < len(plain):
            length = max((automaton.longest_at(plain, start) for automaton in automata), default=0)
            if not length:
                start += 1
                continue
            if start + length - 1 not in possessed:
                found |= self.lookup(tuple(plain[start : start + length]))
            start += length
        return found


# --- the lexicon ------------------------------------------------------------------------------
#
# Reporting verbs, given as base forms; every inflection is made from the base ("warn": warn,
# warns, warned, warning), or from the forms written after it ("say:said", "write:wrote:
# written", "admit:admitted"). SPEECH verbs can introduce quoted words; POSITION verbs report a
# view, a finding or a decision without quoting it, and count for claims only. A phrasal verb
# ("point to", "shoot back") is its head and the particle that must follow it.

_SPEECH_BASES = """
say:said tell:told add ask state declare write:wrote:written warn argue insist note explain
reply respond continue recall acknowledge announce claim suggest urge remark observe comment
concede admit:admitted emphasize emphasise stress tweet post testify predict promise vow pledge
call accuse deny agree quip:quipped shout caution maintain boast joke laugh scoff sneer
snap:snapped counter retort complain lament protest exclaim cry yell scream whisper mutter
murmur sigh grumble plead beg demand assure reassure confirm reveal disclose report allege
assert contend proclaim confess affirm reiterate repeat echo conclude summarize summarise
describe characterize characterise dismiss reject rebut dispute question wonder muse reflect
recount reminisce swear:swore:sworn attest reason posit theorize theorise speculate guess
estimate forecast warn threaten guarantee offer propose recommend advise appeal
implore invite welcome praise hail applaud commend thank congratulate criticize criticise
condemn denounce decry slam:slammed blast attack rebuke chide scold fault blame charge
oppose refute contradict challenge hint imply indicate signal cite list name identify credit
label dub blog inform notify brief clarify elaborate detail
outline specify stipulate mention begin:began:begun tease thunder fume rage gush enthuse
marvel concur sum:summed interject interrupt chime vent lecture preach pronounce remember
recollect reckon surmise acknowledge opine aver avow retort
""".split()
_POSITION_BASES = """
believe think:thought feel:felt fear worry doubt hope want wish expect find:found
rule conclude determine decide order demand seek:sought push press support favour favor
endorse approve reject oppose recommend welcome condemn criticize criticise blame accuse sue
allege insist estimate calculate describe list cite credit name
consider regard judge deem argue maintain plan intend vow pledge
threaten promise offer propose urge demand call dismiss deny refuse acknowledge admit concede
recognize recognise confirm announce unveil issue:issued publish declare report reveal
disclose
""".split()
# Particles that make a reporting verb of a head that is not one alone ("pointed out").
_PHRASAL = {
    "point": ("out",),
    "shoot:shot": ("back",),
    "fire": ("back",),
    "hit": ("back",),
    "push": ("back",),
    "lash": ("out",),
    "speak:spoke:spoken": ("out", "up"),
    "weigh": ("in",),
    "chime": ("in",),
    "go:went:gone": ("on",),
    "spell": ("out",),
    "laugh": ("off",),
    "brush": ("off", "aside"),
    "play": ("down",),
    "sign": ("off",),
    "put:put": ("it",),
}
# Verbs that report an argument by what it rests on ("pointed to the exports as proof that",
# "held up the ruling as evidence of"): reporting only with "as" and a word of evidence after
# their object, since "pointed to the map" reports nothing.
_ARGUING = {
    "point": ("to",),
    "hold:held": ("up",),
    "seize": ("on", "upon"),
}
_EVIDENCE = frozenset(
    """proof evidence sign signs example examples reason reasons indication indications
    vindication justification confirmation illustration testament demonstration""".split()
)
# Participles that report speech only in the passive with its speaker before them: "X was
# quoted as saying", "X is expected to say", "X can be heard telling", "X was said to".
_REPORTED_OF = frozenset(
    "quoted heard overheard recorded caught filmed expected said reported understood believed "
    "known thought seen".split()
)


def _forms(entry: str) -> set[str]:
    """A verb and its inflections, from "base" or "base:past[:participle]"."""
    base, *given = entry.split(":")
    past = given[0] if given else None
    if base.endswith("e"):
        third, regular, ing = base + "s", base + "d", base[:-1] + "ing"
    elif base.endswith("y") and base[-2:-1] not in ("a", "e", "o", "u"):
        third, regular, ing = base[:-1] + "ies", base[:-1] + "ied", base + "ing"
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        third, regular, ing = base + "es", base + "ed", base + "ing"
    else:
        third, regular, ing = base + "s", base + "ed", base + "ing"
    if past and past.endswith("ed") and past[-3] == past[-4]:  # admitted: admitting
        ing = past[:-2] + "ing"
    return {base, third, ing, *(given or [regular])}


SPEECH_FORMS = frozenset(form for entry in _SPEECH_BASES for form in _forms(entry))
# Nouns of reported speech, for claims: "despite U.S. warnings", "Russia's veto threat", "a
# forecast by Dray Analytics". Their speaker owns them, modifies them, or follows "by"/"from".
REPORT_NOUNS = frozenset(
    """warning warnings accusation accusations demand demands statement statements pledge
    pledges threat threats allegation allegations assurance assurances promise promises
    denial denials forecast forecasts prediction predictions criticism criticisms complaint
    complaints announcement announcements proposal proposals appeal appeals request requests
    testimony remarks comments claim claims""".split()
)
CLAIM_FORMS = (
    SPEECH_FORMS
    | frozenset(form for entry in _POSITION_BASES for form in _forms(entry))
    | REPORT_NOUNS
)
_PHRASAL_FORMS = {
    form: particles for entry, particles in _PHRASAL.items() for form in _forms(entry)
}
_ARGUING_FORMS = {
    form: particles for entry, particles in _ARGUING.items() for form in _forms(entry)
}
# Verbs after which the speaker may follow ("said the official", "added Weber").
_INVERTIBLE = frozenset(
    form
    for entry in """say:said add continue explain note write:wrote:written recall reply respond
    insist argue ask warn caution announce declare observe remark quip:quipped joke boast
    counter retort concede admit:admitted acknowledge confirm agree recount reason conclude
    predict estimate explain shout exclaim cry yell whisper mutter""".split()
    for form in _forms(entry)
    if not form.endswith("ing")
)

# --- the grammar --------------------------------------------------------------------------------

PRONOUNS = frozenset("he she they we it".split())
_PERSON_PRONOUNS = frozenset("he she".split())
# Pronouns, and the possessives that stand for the same one ("his diary": he).
_OWNING = {"he": "he", "she": "she", "they": "they", "his": "he", "her": "she", "their": "they"}
_PASSIVE = frozenset("was were is are be been being am".split())
_PREPOSITIONS = frozenset(
    """of in on at for from with to by about against into over under between among near
    outside inside across along behind beside besides toward towards through throughout during
    after before since until via per like than amid despite without within upon onto beyond
    around off past regarding concerning including alongside opposite""".split()
)
_SUBORDINATORS = frozenset(
    "when while after before because although though since if unless as where whereas until "
    "once and but or so then yet nor whom".split()
)
_RELATIVE = frozenset("who which whose whom where that what".split())
_DETERMINERS = frozenset(
    "the a an his her its their our my your this these those one another some".split()
)
_ADVERBS = frozenset(
    """also not never already repeatedly previously again then later once first since soon
    later publicly privately reportedly widely officially formally recently today yesterday
    tomorrow still often always even however too last finally initially earlier quickly
    flatly angrily firmly simply only just both all each separately jointly together almost
    nearly instead afterwards afterward immediately quickly""".split()
)
_FINITE = frozenset(
    "had has have was were is are would will could should must can did does do may might "
    "shall wanted wants".split()
)
_AUXILIARY = _FINITE | _ADVERBS | _PASSIVE | frozenset(["to", "n't"])
_NEGATIONS = frozenset("not never n't no".split())
# Words that end the words naming a speaker after an inverted verb ("said Weber in remarks").
_CLAUSE_END = (
    _PREPOSITIONS
    | _RELATIVE
    | frozenset("that how whether if when why as because but and than while".split())
)
_HARD = PUNCTUATION - {","}
_JOINING = _DETERMINERS | _ADVERBS | {"and", "or", "&", ","}
_CHUNKS = 6  # how many comma-separated stretches a subject may reach back over


def _verb_like(word: str, verbs: frozenset[str]) -> bool:
    """A word that ends a subject: a finite verb or participle ("founded"), as near as spelling
    tells without a dictionary of every verb."""
    return (
        word in verbs
        or word in _FINITE
        or word in _PASSIVE
        or (len(word) > 4 and word.endswith("ed"))
        or word == "to"
    )


@dataclass(frozen=True)
class _Phrase:
    """What a stretch of words says about who is named in it."""

    direct: frozenset[str]  # named as the head: "Weber", "the opposition leader"
    attached: frozenset[str]  # named after a preposition: "a spokesman for the region"
    pronoun: str | None  # "he", "they"


_EMPTY = _Phrase(frozenset(), frozenset(), None)


class _Reader:
    """Reads a stream of one or more sentences (see passages.stream) for reporting clauses."""

    def __init__(
        self,
        words: list[str],
        index: NameIndex,
        verbs: frozenset[str],
        kinds: Mapping[str, str],
        owners: bool = False,
    ) -> None:
        self.owners = owners
        self.words = words
        self.index = index
        self.verbs = verbs
        self.kinds = kinds

    # -- names in a stretch of words ----------------------------------------------------------

    def _occurrences(self, words: list[str]) -> list[tuple[int, int, frozenset[str], bool]]:
        """Each longest name in the words: (start, end, actors, owns what follows). Names are
        matched without possessive marks ("the Farmers' League"), as the index holds them."""
        kept = [at for at, word in enumerate(words) if word != POSSESSIVE]
        plain = [words[at] for at in kept]
        found = []
        automata = list(self.index._chain())
        start = 0
        while start < len(plain):
            length = max((a.longest_at(plain, start) for a in automata), default=0)
            if not length:
                start += 1
                continue
            end = start + length
            ids = frozenset(
                actor
                for actor in self.index.lookup(tuple(plain[start:end]))
                if self.kinds.get(actor) != "place"
            )
            first, last = kept[start], kept[end - 1] + 1
            owner = last < len(words) and words[last] == POSSESSIVE
            found.append((first, last, ids, owner))
            start = end
        return found

    def phrase(self, words: list[str]) -> _Phrase:
        """Who a noun phrase (a subject) names: its heads, and names attached by prepositions.

        Names after a verb are its objects and name nobody who speaks ("Beck founded Skyrell");
        a name that owns the head is not the head ("Brandt's spokeswoman").
        """
        start = 0
        while start < len(words) and (words[start] in _SUBORDINATORS or words[start] in _ADVERBS):
            start += 1
        words = words[start:]
        if not words:
            return _EMPTY
        direct: set[str] = set()
        attached: set[str] = set()
        cursor = 0
        after_preposition = False
        owned: set[str] = set()
        described = words[0] in _DETERMINERS  # "the Kaldorian foreign minister"
        occurrences = self._occurrences(words)
        for begin, end, ids, owner in occurrences:
            between = words[cursor:begin]
            cursor = end
            if direct and any(_verb_like(word, self.verbs) for word in between):
                break  # an object of the verb
            # After a person, other words before a name are a verb ("Brandt met Tal"); after a
            # body, a role ("Brisco spokeswoman Dee Harlan", "Kaldorian envoy Piet Dorn").
            joined = {"and", "or", "&"} & set(between) and set(between) <= _JOINING
            person = any(self.kinds.get(actor, "person") == "person" for actor in direct)
            if direct and between and not joined and person:
                break
            if any(word in _PREPOSITIONS for word in between):
                after_preposition = True
                last = max(i for i, word in enumerate(between) if word in _PREPOSITIONS)
                title = between[last + 1 :]
                if title and not set(title) & _DETERMINERS:
                    after_preposition = False  # a title: "Secretary of State Owen Ridley"
            if owner:
                if self.owners:
                    owned |= ids  # for a claim, "the authority's review found" is the authority's
                continue
            modifier = (  # "the Kaldorian foreign minister"; not "a jury on Wednesday"
                described
                and end < len(words)
                and words[end] not in _JOINING
                and words[end] not in _PREPOSITIONS
                and not _verb_like(words[end], self.verbs)
            )
            (attached if after_preposition or modifier else direct).update(ids)
            if begin >= 2 and words[begin - 1] in ("and", "&") and end - begin >= 2:
                shared = (words[begin - 2], *words[begin + 1 : end])  # "Bill and Ruth Tamsin"
                (attached if after_preposition else direct).update(self.index.lookup(shared))
        pronoun = words[0] if words[0] in PRONOUNS and not direct else None
        return _Phrase(frozenset(direct), frozenset(owned or attached), pronoun)

    def co_agents(self, words: list[str]) -> frozenset[str]:
        """Names joined to a subject by "with" ("Holloway met with Osei"), whom a pronoun in the
        next sentence means when the subject cannot be it ("he", where the article calls
        Holloway "she")."""
        found: set[str] = set()
        cursor = 0
        for begin, end, ids, owner in self._occurrences(words):
            if "with" in words[cursor:begin] and not owner:
                found |= ids
            cursor = end
        return frozenset(found)

    # -- clauses ----------------------------------------------------------------------------------

    def _before(self, at: int) -> tuple[_Phrase, int, bool]:
        """The subject before a verb (or a colon) at `at`: the stretch back to the nearest comma,
        or, when that stretch names nobody (an apposition, a relative clause, "however"), the
        stretches before it. Coordinated subjects ("Kaldoria, Vessland and Orrin urged") are all
        read. Returns the phrase, where its words start, and whether they stand right before
        the verb."""
        chunks: list[tuple[int, list[str]]] = []
        current: list[str] = []
        k = at - 1
        while k >= 0 and at - k <= 48:
            word = self.words[k]
            if word in (BREAK, QUOTED) or word in _HARD:
                break
            if word == ",":
                current.reverse()
                chunks.append((k + 1, current))
                current = []
                if len(chunks) >= _CHUNKS:
                    break
            else:
                current.append(word)
            k -= 1
        else:
            k = max(k, -1)
        current.reverse()
        if len(chunks) < _CHUNKS:
            chunks.append((k + 1, current))
        fallback: _Phrase | None = None
        for number, (chunk_at, chunk) in enumerate(chunks):
            while number == 0 and chunk and chunk[-1] in _AUXILIARY:
                chunk = chunk[:-1]
            if number == 0 and chunk and chunk[0] in _RELATIVE and len(chunk) > 1:
                chunk = chunk[1:]  # "where commanders have said": the relative clause's subject
            if number and chunk and not self._passable(chunk):
                break  # a clause of its own, whose names are not this verb's subject
            found = self._chunk(chunk)
            if found.direct or found.pronoun:
                names = set(found.direct)
                start = chunk_at
                rest = chunks[number + 1 :]
                if found.direct and rest and {"and", "or"} & set(rest[0][1]):
                    # "Voss and his partner, Lorne Haskett, denied": the name renames the last
                    # of a coordinated subject
                    before = self._chunk(rest[0][1])
                    tail = rest[0][1][
                        max(i for i, w in enumerate(rest[0][1]) if w in ("and", "or")) :
                    ]
                    if before.direct and not self._occurrences(tail):
                        names |= before.direct
                        start = rest[0][0]
                if {"and", "or"} & set(chunk) and found.direct:
                    for earlier_at, earlier in rest:
                        more = self._chunk(earlier)
                        if not more.direct or not self._all_names(earlier):
                            break
                        names |= more.direct
                        start = earlier_at
                return _Phrase(frozenset(names), found.attached, found.pronoun), start, number == 0
            if found.attached and fallback is None:
                fallback = _Phrase(found.attached, frozenset(), None)
        if fallback is not None:  # "a spokesman for the region", "analysts at Dray Analytics"
            return fallback, chunks[0][0], False
        return _EMPTY, chunks[0][0], False

    def _passable(self, words: list[str]) -> bool:
        """True if a subject may be sought before this stretch: it names someone, or it is an
        apposition, a relative clause, a participle or an adverb, not a clause of its own."""
        if words[0] in _RELATIVE or self._participle_at(words) or words[0] in _DETERMINERS:
            return True
        if all(word in _ADVERBS for word in words):
            return True
        found = self.phrase(words)
        return bool(found.direct or found.pronoun) or not any(
            _verb_like(word, self.verbs) for word in words
        )

    def _chunk(self, words: list[str]) -> _Phrase:
        if not words or words[0] in _RELATIVE or self._participle_at(words):
            return _EMPTY
        return self.phrase(words)

    def _participle_at(self, words: list[str]) -> bool:
        """True if a stretch opens with a participle ("speaking on condition of anonymity"),
        not with a name that happens to start like one ("Standing Rock Council")."""
        if not _participle(words[0]):
            return False
        occurrences = self._occurrences(words)
        return not (occurrences and occurrences[0][0] == 0)

    def _all_names(self, words: list[str]) -> bool:
        """True if a stretch is names only ("Kaldoria", "Council members Nora Pettibone")."""
        occurrences = self._occurrences(words)
        return bool(occurrences) and occurrences[-1][1] == len(words)

    def _after(self, at: int) -> tuple[_Phrase, int] | None:
        """The speaker after an inverted verb or "according to" at `at`: "said the official",
        "according to his son, Peter Brennan". None if the words after are a clause ("said
        the council had"), or a phrase of their own ("said of Valdes", "said in a video")."""
        k = at
        pronoun: str | None = None
        for second in (False, True):  # a description, then the name set apart by commas
            words: list[str] = []
            while k < len(self.words) and len(words) < 12:
                word = self.words[k]
                if word in (BREAK, QUOTED) or word in PUNCTUATION:
                    break
                words.append(word)
                k += 1
            while words and (words[0] in _ADVERBS or words[0].endswith("ly")):
                words = words[1:]
            if not words or words[0] in PRONOUNS:
                return None
            if (
                words[0] in _PREPOSITIONS
                or words[0] in _SUBORDINATORS
                or self._participle_at(words)
            ):
                return None
            if words[0] in _RELATIVE:
                return None
            occurrences = self._occurrences(words)
            first_name = occurrences[0][0] if occurrences else len(words)
            if not occurrences and pronoun is None:
                # "according to a ledger she has kept", "according to his diary"
                pronoun = next((_OWNING.get(w, w) for w in words if w in _OWNING), None)
            if any(word in _FINITE or word in _PASSIVE for word in words[:first_name]):
                break
            first_end = occurrences[0][1] if occurrences else len(words)
            cut = next(
                (i for i, w in enumerate(words) if i >= first_end and w in _CLAUSE_END),
                len(words),
            )
            found = self.phrase(words[:cut] if occurrences else words)
            if found.direct:
                return _Phrase(found.direct, found.attached, None), at
            if found.attached:  # "according to court filings by the board"
                return _Phrase(found.attached, frozenset(), None), at
            description = words[0] in _DETERMINERS and len(words) <= 6
            if second or not description or k >= len(self.words) or self.words[k] != ",":
                break
            k += 1
        if pronoun is not None:
            return _Phrase(frozenset(), frozenset(), pronoun), at
        return None

    def clause_at(self, at: int) -> Clause | None:
        """The reporting clause whose verb is the word at `at`, if it is one."""
        words = self.words
        word = words[at]
        following = words[at + 1] if at + 1 < len(words) else ""
        if word == "according" and following == "to":
            found = self._after(at + 2)
            return Clause(word, at, *(found or (_EMPTY, at)), inverted=True)
        if word == "words" and words[at - 2 : at] == ["in", "the"] and following == "of":
            found = self._after(at + 2)
            return Clause(word, at, *(found or (_EMPTY, at)), inverted=True)
        phrasal = following in _PHRASAL_FORMS.get(word, ()) or (
            following in _ARGUING_FORMS.get(word, ()) and self._as_evidence(at + 2)
        )
        passive = self._passive_before(at)
        if word in _REPORTED_OF and passive is not None and self._speech_follows(at):
            subject, start, _ = self._before(passive)
            return Clause(word, at, subject, start, reported=True)
        if not phrasal and word not in self.verbs:
            if word == "made" and "clear" in words[at + 1 : at + 3]:
                phrasal = True
            else:
                return None
        if self._negated(at):
            return None
        if word in REPORT_NOUNS and word in self.verbs and not (word in SPEECH_FORMS and passive):
            return self._noun(at)
        if at and words[at - 1] in _DETERMINERS and words[at - 1] != "one":
            return None  # a noun: "the plan", "a call", "her list"
        if at and words[at - 1] in _PREPOSITIONS and words[at - 1] != "to" and word[-3:] != "ing":
            return None  # a noun: "requests for comment", "a call for calm"
        if passive is not None:
            agent = self._agent(at)
            return None if agent is None else Clause(word, at, *agent, inverted=True)
        subject, start, immediate = self._before(at)
        if word.endswith("ing") and words[at - 1] == ",":
            # "A jury convicted Pemberton on 11 counts, finding that he …": a participle after
            # the main clause has its subject, not the object named nearest before it.
            main = self._main_subject(at)
            if main is not None:
                subject, start = main
        if word in _INVERTIBLE and not immediate:
            found = self._after(at + 1)
            if found is not None:
                return Clause(word, at, *found, inverted=True)
        if (at == 0 or words[at - 1] == BREAK) and not phrasal:
            return None  # a sentence does not open with its verb: "Charges against …"
        return Clause(word, at, subject, start)

    def _noun(self, at: int) -> Clause:
        """A noun of reported speech: its owner or modifier before it ("Russia's threat",
        "U.S. and European warnings"), or the "by"/"from" after it ("a forecast by Dray")."""
        first = at
        while first > 0 and at - first < 6:
            word = self.words[first - 1]
            if word in (BREAK, QUOTED) or word in PUNCTUATION or _verb_like(word, self.verbs):
                break
            first -= 1
        names: set[str] = set()
        for begin, _, ids, _ in self._occurrences(self.words[first:at]):
            if not any(w in ("by", "from", "of") for w in self.words[first : first + begin]):
                names |= ids
        if names:
            return Clause(self.words[at], at, _Phrase(frozenset(names), frozenset(), None), first)
        following = self.words[at + 1 : at + 3]
        if following[:1] in (["by"], ["from"]):
            found = self._after(at + 2)
            if found is not None:
                return Clause(self.words[at], at, *found, inverted=True)
        return Clause(self.words[at], at, _EMPTY, at)

    def _as_evidence(self, at: int) -> bool:
        """ "… as proof that", "… as evidence of": an argument's "as" and a word of evidence
        after the object that starts at `at`, in the same sentence."""
        for k in range(at, min(len(self.words) - 1, at + 16)):
            word = self.words[k]
            if word in (BREAK, QUOTED) or word in _HARD:
                return False
            if word == "as":
                following = self.words[k + 1 : k + 4]
                while following and following[0] in _DETERMINERS | {"further", "more", "clear"}:
                    following = following[1:]
                return bool(following) and following[0] in _EVIDENCE
        return False

    def _passive_before(self, at: int) -> int | None:
        k = at - 1
        while k >= 0 and self.words[k] in _ADVERBS:
            k -= 1
        return k if k >= 0 and self.words[k] in _PASSIVE else None

    def _negated(self, at: int) -> bool:
        """ "has not said", "did not immediately say", "declined to say": no statement."""
        k = at - 1
        while k >= 0 and (self.words[k] in _ADVERBS or self.words[k] == "immediately"):
            if self.words[k] in _NEGATIONS:
                return True
            k -= 1
        if k >= 1 and self.words[k] == "to":
            return self.words[k - 1] in ("declined", "refused", "decline", "declines", "refuses")
        return k >= 0 and self.words[k] in _NEGATIONS

    def _speech_follows(self, at: int) -> bool:
        """ "quoted … as saying", "expected to tell", "heard telling": speech after the verb."""
        for k in range(at + 1, min(len(self.words), at + 14)):
            word = self.words[k]
            if word in (BREAK, QUOTED) or word in _HARD:
                return False
            if word in SPEECH_FORMS and word not in _REPORTED_OF:
                return self.words[k - 1] not in _PASSIVE  # "expected to be announced by X"
        return False

    def _agent(self, at: int) -> tuple[_Phrase, int] | None:
        """The "by X" of a passive ("was announced on Tuesday by the league")."""
        for k in range(at + 1, min(len(self.words), at + 12)):
            word = self.words[k]
            if word in (BREAK, QUOTED) or word in PUNCTUATION:
                return None
            if word == "by":
                return self._after(k + 1)
        return None

    def colon_clause(self, at: int) -> Clause:
        """ "Okafor shot back: “…”": the words before a colon that opens a quote are said by
        the subject of the sentence before the colon."""
        subject, start, _ = self._before(at)
        return Clause(":", at, subject, start)

    def _main_subject(self, at: int) -> tuple[_Phrase, int] | None:
        """The subject of the sentence that a participle after a comma at `at` continues, and
        where its words start; None if it names no one (a sentence that opens with a quote)."""
        first = at
        while first > 0 and self.words[first - 1] != BREAK:
            first -= 1
        subject, _, start = self._subject_of_sentence(first, at)
        return (subject, start) if subject.direct else None

    def sentence_subject(self, first: int, last: int) -> tuple[_Phrase, frozenset[str]]:
        """The subject of the sentence words[first:last] and the names joined to it by "with"
        in the rest of the sentence: its first stretch that is not an opening phrase ("In
        March," "Afterward,")."""
        subject, with_, _ = self._subject_of_sentence(first, last)
        return subject, with_

    def _subject_of_sentence(self, first: int, last: int) -> tuple[_Phrase, frozenset[str], int]:
        """`sentence_subject`, and where the subject's words start."""
        k = first
        while k < last:
            end = k
            while (
                end < last
                and self.words[end] not in PUNCTUATION
                and self.words[end]
                not in (
                    QUOTED,
                    BREAK,
                )
            ):
                end += 1
            chunk = self.words[k:end]
            opening = not chunk or chunk[0] in _PREPOSITIONS or chunk[0] in _SUBORDINATORS
            if not opening and not self._participle_at(chunk) and chunk[0] not in _ADVERBS:
                # whom the subject was with, anywhere in its sentence ("Tal, who …, toured the
                # dikes with Weber")
                return self.phrase(chunk), self.co_agents(self.words[k:last]), k
            if end >= last or self.words[end] != ",":
                break
            k = end + 1
        return _EMPTY, frozenset(), first


def _participle(word: str) -> bool:
    return len(word) > 4 and word.endswith(("ed", "ing"))


@dataclass(frozen=True)
class Clause:
    """A reporting clause: the verb, who its subject names, and where the subject's words
    start in the stream (for whether the excerpt itself names them)."""

    verb: str
    at: int
    subject: _Phrase
    start: int
    inverted: bool = False
    reported: bool = False  # "X was quoted as saying": the verbs after it are part of it


@dataclass(frozen=True)
class Attribution:
    """What an excerpt says about who speaks."""

    named: bool  # the actor is named as the speaker, in the excerpt
    named_anywhere: bool  # the actor is named somewhere outside quotation marks
    others: tuple[str, ...]  # who the grammar gives the words to instead, named in the excerpt
    beyond: tuple[str, ...]  # the same, named in the sentence outside the excerpt
    pronoun: bool  # the words are attributed by a pronoun the excerpt does not resolve
    clause_texts: tuple[str, ...]
    has_clause: bool  # the excerpt has a reporting verb
    speaks: bool  # some clause or colon gives the words to someone (named or by pronoun)
    pronouns: tuple[str, ...] = ()  # the pronouns that are the subjects of those clauses


def attribution(
    stream: list[tuple[str, int]],
    actor_id: str,
    index: NameIndex,
    verbs: frozenset[str],
    kinds: Mapping[str, str] | None = None,
    *,
    excerpt: tuple[int, int] | None = None,
    focus: frozenset[int] = frozenset(),
    context: bool = False,
    owners: bool = False,
    pronouns: Mapping[str, str] | None = None,
) -> Attribution:
    """Read a stream (passages.stream) for who it says speaks.

    `excerpt` is the stretch (character offsets) the fact cites, inside the sentences the stream
    holds; `focus` the offsets of the quoted stretches of a quote. The clause that attributes a
    quote is the nearest to its words in their sentence, else a colon that opens them, else the
    last clause of the sentence before; a claim's are the clauses whose verb is in its excerpt,
    the first that has a subject (a verb of speech before others). With `context`, the stream
    runs from earlier paragraphs, and a pronoun may stand for a name anywhere in them. With
    `owners`, for claims, a subject's owner speaks when no one else is named ("the authority's
    review found"): a body's report or spokesperson speaks for it, though not in its words.
    `pronouns` gives the persons the article itself calls "he" or "she" (`pronouns_of`).
    """
    kinds = kinds or {}
    pronouns = pronouns or {}
    words = [word for word, _ in stream]
    offsets = [offset for _, offset in stream]
    low, high = excerpt if excerpt is not None else (0, 1 << 62)
    inside = [low <= offset < high for offset in offsets]
    reader = _Reader(words, index, verbs, kinds, owners)
    sentence_of: list[int] = []
    number = 0
    for word in words:
        sentence_of.append(number)
        if word == BREAK:
            number += 1
    in_name = [False] * len(words)
    for begin, end, _, _ in reader._occurrences(words):
        for at in range(begin, end):
            in_name[at] = True  # "Islamic State", "Secretary of State" report nothing
    clauses: list[Clause] = []
    skip_to = -1
    for at, word in enumerate(words):
        if at <= skip_to or word in (BREAK, QUOTED) or word in PUNCTUATION or in_name[at]:
            continue
        found = reader.clause_at(at)
        if found is None:
            continue
        clauses.append(found)
        if found.reported:  # "quoted … as saying" is one clause
            skip_to = at
            while skip_to + 1 < len(words) and words[skip_to + 1] not in (BREAK, QUOTED):
                if words[skip_to + 1] in _HARD or words[skip_to + 1 : skip_to + 3] == [
                    ",",
                    "according",
                ]:
                    break  # "…, according to X" is a clause of its own
                skip_to += 1
    in_excerpt = [clause for clause in clauses if inside[clause.at]]
    focused = [at for at, word in enumerate(words) if word == QUOTED and offsets[at] in focus]
    chosen: list[Clause] = []
    if focused:
        sentence = sentence_of[focused[0]]
        here = [clause for clause in clauses if sentence_of[clause.at] == sentence]
        here = [clause for clause in here if _subject_of(clause)] or here
        if here:
            chosen = [min(here, key=lambda c: min(abs(c.at - at) for at in focused))]
        elif focused[0] > 0 and words[focused[0] - 1] == ":":
            chosen = [reader.colon_clause(focused[0] - 1)]
        else:
            earlier = [c for c in in_excerpt if sentence_of[c.at] < sentence]
            chosen = earlier[-1:]
    else:
        with_subject = [c for c in in_excerpt if _subject_of(c)]
        speech = [c for c in with_subject if c.verb in SPEECH_FORMS or c.verb == "according"]
        chosen = speech[:1] or with_subject[:1] or in_excerpt[:1]
        tag = _according_tag(words, with_subject, sentence_of)
        if tag is not None:
            chosen = [tag]
    named = False
    others: set[str] = set()
    beyond: set[str] = set()
    pronoun = False
    excerpt_words = [word for word, keep in zip(words, inside, strict=True) if keep]
    for clause in chosen:
        ids = clause.subject.direct
        where = _subject_words(words, inside, clause)
        if clause.subject.pronoun and not ids:
            ids = _resolve(reader, clause, sentence_of, kinds, pronouns)
            # the name the pronoun stands for, earlier in the excerpt (or, reading `context`,
            # in the paragraphs before it)
            where = words if context else excerpt_words
            if not ids:
                pronoun = True
                continue
        whole = not clause.subject.pronoun and _inside_subject(inside, clause)
        if actor_id in ids and (whole or index.mentions(where, actor_id)):
            named = True  # and named in the excerpt itself
        for other in ids - {actor_id}:
            named_here = index.mentions(where, other)
            (others if named_here else beyond).add(other)
    named_anywhere = any(
        index.mentions(words[first:last], actor_id) for first, last in _runs(words, inside)
    )
    return Attribution(
        named=named,
        named_anywhere=named_anywhere,
        others=tuple(sorted(others)) if not named else (),
        beyond=tuple(sorted(beyond - others)) if not named else (),
        pronoun=pronoun,
        clause_texts=tuple(_text(words, clause) for clause in chosen),
        has_clause=bool(in_excerpt),
        speaks=any(_subject_of(clause) for clause in chosen),
        pronouns=tuple(
            clause.subject.pronoun
            for clause in chosen
            if clause.subject.pronoun and not clause.subject.direct
        ),
    )


def _according_tag(
    words: list[str], clauses: list[Clause], sentence_of: list[int]
) -> Clause | None:
    """ "Pemberton was expected to post bond by Friday, according to his family": an "according
    to X" after a comma names who says the sentence, when nothing before it in the sentence
    names a speaker but an agentless passive of report ("was expected to", "is said to",
    "is believed to"), whose agent it supplies. "Smith said …, according to the Times" stays
    Smith's."""
    for clause in clauses:
        if clause.verb != "according" or not clause.at or words[clause.at - 1] != ",":
            continue
        sentence = sentence_of[clause.at]
        before = [c for c in clauses if c.at < clause.at and sentence_of[c.at] == sentence]
        if all(c.reported for c in before):
            return clause
    return None


def _subject_words(words: list[str], inside: list[bool], clause: Clause) -> list[str]:
    """The words of the excerpt that name a clause's subject."""
    if clause.inverted:
        span = range(clause.start, min(len(words), clause.start + 24))
    else:
        span = range(clause.start, clause.at + 1)
    return [words[at] for at in span if inside[at]]


def _inside_subject(inside: list[bool], clause: Clause) -> bool:
    """True if the words naming a clause's subject are all in the excerpt."""
    span = (
        range(clause.start, clause.at)
        if not clause.inverted
        else range(clause.at, clause.start + 1)
    )
    return bool(span) and all(inside[at] for at in span if at < len(inside))


def _subject_of(clause: Clause) -> bool:
    return bool(clause.subject.direct or clause.subject.pronoun)


def _runs(words: list[str], inside: list[bool]) -> Iterator[tuple[int, int]]:
    """The stretches of the excerpt's words between quoted stretches."""
    start = None
    for at, word in enumerate([*words, QUOTED]):
        keep = at < len(words) and inside[at] and word != QUOTED
        if keep and start is None:
            start = at
        elif not keep and start is not None:
            yield start, at
            start = None


def _text(words: list[str], clause: Clause) -> str:
    first, last = (
        (clause.at, clause.start + 5) if clause.inverted else (clause.start, clause.at + 1)
    )
    shown = [word for word in words[first:last] if word not in (QUOTED, BREAK)]
    text = ""
    for word in shown:  # as written: no space before a comma, a stop or a possessive
        joined = word in _CLOSING or word == POSSESSIVE or text.endswith("(") or not text
        text += word if joined else " " + word
    return text


_CLOSING = frozenset(",.;:!?)")


def _resolve(
    reader: _Reader,
    clause: Clause,
    sentence_of: list[int],
    kinds: Mapping[str, str],
    pronouns: Mapping[str, str],
) -> frozenset[str]:
    """Who a pronoun subject means: the nearest subject named before it, in the same sentence or
    the ones before, that can be the pronoun ("he" and "she" a person the article does not call
    by the other pronoun, "it" not a person). When that subject cannot be the pronoun, a name
    joined to it by "with" may ("Holloway met with Osei. He said …", where the article calls
    Holloway "she")."""
    pronoun = clause.subject.pronoun or ""

    def fits(actor: str) -> bool:
        kind = kinds.get(actor, "person")
        if pronoun in _PERSON_PRONOUNS:
            return kind == "person" and pronouns.get(actor, pronoun) == pronoun
        if pronoun == "it":
            return kind not in ("person", "place")
        return kind != "place"

    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    for at, number in enumerate(sentence_of):
        starts.setdefault(number, at)
        ends[number] = at + 1
    own = sentence_of[clause.start] if clause.start < len(sentence_of) else 0
    for sentence in range(own, -1, -1):
        first = starts.get(sentence, 0)
        last = clause.start if sentence == own else ends.get(sentence, first)
        subject, with_ = reader.sentence_subject(first, last)
        found = frozenset(actor for actor in subject.direct if fits(actor))
        if found:
            return found
        if subject.direct:  # the nearest subject cannot be the pronoun: whom it was with may
            return frozenset(actor for actor in with_ if fits(actor))
    return frozenset()


# Pronouns that say a person is "he" or "she".
_GENDERED = {
    "he": "he",
    "him": "he",
    "his": "he",
    "himself": "he",
    "she": "she",
    "her": "she",
    "hers": "she",
    "herself": "she",
}


# Titles that say whether a person is "he" or "she" ("Mr. Henning", "Mrs Lee").
_TITLE_GENDER = {"mr": "he", "mrs": "she", "ms": "she", "miss": "she"}


def pronouns_of(
    streams: Iterable[list[tuple[str, int]]], index: NameIndex, kinds: Mapping[str, str]
) -> dict[str, str]:
    """The persons an article itself calls "he" or "she": a gendered pronoun outside quotation
    marks ("Ilves spent 11 summers there with her colleague", "Anne Holloway said she …")
    stands for the person when that person is the only one named before it in its sentence,
    and a title before a name says it ("Mr. Henning" is "he"; "Mrs.", "Ms." and "Miss" Lee,
    "she"). A person the article calls both is left out."""
    found: dict[str, set[str]] = {}
    for stream in streams:
        words = [word for word, _ in stream]
        reader = _Reader(words, index, frozenset(), kinds)
        starts = {begin: ids for begin, _, ids, _ in reader._occurrences(words)}
        named: set[str] = set()
        for at, word in enumerate(words):
            if word == BREAK:
                named = set()
            persons = {actor for actor in starts.get(at, ()) if kinds.get(actor) == "person"}
            titled = _TITLE_GENDER.get(words[at - 1] if at else "") or _TITLE_GENDER.get(word)
            if titled:
                for actor in persons:
                    found.setdefault(actor, set()).add(titled)
            named |= persons
            gender = _GENDERED.get(word)
            if gender and len(named) == 1 and at not in starts:
                found.setdefault(next(iter(named)), set()).add(gender)
    return {actor: next(iter(said)) for actor, said in found.items() if len(said) == 1}


# Words that cannot stand alone as a name: pronouns, articles and the commonest words of news
# writing. An alias made only of these ("he", "the", "the official") would match people it does
# not mean; descriptions like "the official" belong to the article (`described_as`).
COMMON_WORDS = frozenset(
    """
    a an the i me my mine myself you your yours yourself he him his himself she her hers herself
    it its itself we us our ours ourselves they them their theirs themselves who whom whose which
    what that this these those one ones some any all each every no none both either neither other
    another such same of in on at by for with about against between into through during before
    after above below to from up down out off over under again further then once here there when
    where why how and but or nor so yet because although though if unless while as than too very
    can will just should would could may might must shall is are was were be been being have has
    had having do does did doing said says say told not also only more most many much few
    new old first last next year years day days time times week month people man men woman women
    official officials government president minister ministry country countries state states city
    group party leader leaders police army military court council spokesman spokeswoman
    spokesperson source sources administration department office agency company report reports
    senior chief head director member members side sides world nation nations region capital
    """.split()
)


def alias_problem(alias: str) -> str | None:
    """Why an alias cannot serve as a name, or None if it can."""
    words = [word for word in tokens(alias) if word not in PUNCTUATION]
    if not words:
        return "it is blank"
    if len(words) == 1 and len(words[0]) == 1:
        return "it is one letter"
    if all(word in COMMON_WORDS for word in words):
        return "it is made of pronouns, articles or common words only"
    return None
