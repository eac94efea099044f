"""Who says it: finding the speaker of a quote or the claimant of a claim in news prose.

News writing attributes words in a clause next to them: "Blinken said", "said the official",
"Russia has accused". This module finds those clauses in the words outside quotation marks
and the actors they name. Names are matched as whole words (token sequences), never as
substrings: the alias "he" cannot match "The".
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .passages import POSSESSIVE, PUNCTUATION, tokens

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
# After these verbs the speaker may follow ("said the official"); after the others, what
# follows is the person spoken to ("Blinken told Lavrov") and names no speaker.
_INVERTIBLE = frozenset(
    "said says added adds continued explained noted wrote recalled replied responded "
    "insisted argued asked according".split()
)
_PASSIVE = frozenset("was were is are be been being".split())
# Words that end the subject after an inverted verb: "said in remarks", "said that".
_CLAUSE_END = frozenset(
    "that how whether if what when why who in at on to for with after before during while "
    "as because but and than".split()
)
# Words that show the words after an inverted verb are a clause, not its subject: "said the
# council had …" reports what the council had done; "said the official." names the speaker.
_FINITE = frozenset(
    "had has have was were is are would will could should must can did does do may might "
    "wanted wants".split()
)
_RELATIVE = frozenset("who which whose".split())
_AUXILIARY = _FINITE | frozenset("also not never already repeatedly previously again".split())
PRONOUNS = frozenset("he she they we".split())
_WINDOW = 8


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
        key = tuple(token for token in tokens(name) if token not in PUNCTUATION)
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


@dataclass(frozen=True)
class Clause:
    """An attribution clause: the verb and the words that can name who speaks.

    `subject` runs back from the verb to the nearest punctuation ("Blinken said") or forward
    after an inverted verb ("said the official"). `extended` also reaches back over commas, for
    a subject set apart by an apposition ("Priya Nair, who voted against it, said"); it is read
    only when the subject names nobody.
    """

    verb: str
    subject: list[str]
    extended: list[str]
    inverted: bool = False

    def text(self) -> str:
        words = self.subject or [word for word in self.extended if word != ","]
        if self.inverted:
            return " ".join([self.verb, *words])
        return " ".join([*words, self.verb]) if words else self.verb


def clauses(segments: Iterable[str], verbs: frozenset[str]) -> Iterator[Clause]:
    """The attribution clauses in the unquoted parts of an excerpt.

    Passives ("were asked") and inverted verbs followed by a clause rather than a name
    ("said the council had") attribute nothing.
    """
    for segment in segments:
        words = tokens(segment)
        for index, word in enumerate(words):
            if word not in verbs:
                continue
            if word == "made" and "clear" not in words[index + 1 : index + 3]:
                continue  # "made clear", "made it clear"
            before: list[str] = []
            for previous in reversed(words[max(0, index - _WINDOW) : index]):
                if previous in PUNCTUATION:
                    break
                before.insert(0, previous)
            if before and before[-1] in _PASSIVE:
                continue
            extended: list[str] = []
            if not before or before[0] in _RELATIVE or all(w in _AUXILIARY for w in before):
                for previous in reversed(words[max(0, index - 2 * _WINDOW) : index]):
                    if previous in PUNCTUATION and previous != ",":
                        break
                    extended.insert(0, previous)
            after: list[str] = []
            if word in _INVERTIBLE:
                skip = 2 if word == "according" else 1  # "according to the official"
                for following in words[index + skip : index + skip + _WINDOW]:
                    if following in _FINITE:
                        after = []
                        break
                    if following in PUNCTUATION or following in _CLAUSE_END:
                        break
                    after.append(following)
            if not before and not after and not extended:
                continue
            yield Clause(
                word, before or after, extended if not before else [], bool(after) and not before
            )


@dataclass(frozen=True)
class Attribution:
    """What an excerpt says about who speaks."""

    named: bool  # the actor is named in an attribution clause
    named_anywhere: bool  # the actor is named somewhere outside quotation marks
    others: tuple[str, ...]  # other actors that attribution clauses name
    pronoun: bool  # a clause attributes by pronoun only ("he said")
    clause_texts: tuple[str, ...]
    has_clause: bool


def attribution(
    segments: list[str], actor_id: str, index: NameIndex, verbs: frozenset[str]
) -> Attribution:
    """Read the unquoted parts of an excerpt for who they say is speaking."""
    found = list(clauses(segments, verbs))
    named = False
    others: set[str] = set()
    pronoun = False
    for clause in found:
        ids = index.actors_in(clause.subject, longest=True) or index.actors_in(
            clause.extended, longest=True
        )
        if actor_id in ids:
            named = True
        others |= ids - {actor_id}
        if not ids and any(word in PRONOUNS for word in clause.subject):
            pronoun = True
    return Attribution(
        named=named,
        named_anywhere=any(index.mentions(tokens(segment), actor_id) for segment in segments),
        others=tuple(sorted(others)),
        pronoun=pronoun,
        clause_texts=tuple(clause.text() for clause in found),
        has_clause=bool(found),
    )


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
