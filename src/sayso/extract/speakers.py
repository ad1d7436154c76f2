"""Mentions -> entities, and every candidate's source -> the speaker it refers to.

Ours to write (coreferee cannot run offline). One pass over the article in text
order keeps, for each entity, where it was mentioned and in what role, so every
decision can weigh salience (who the passage is about) as a reader does:

- names are runs of proper nouns, typed from lexicons kept as data (people's first
  names and surnames, places, outlets, organisation words; lexicon.py) and from the
  article's own evidence (titles, "Mr.", being a speaker). Datelines, headline-case
  fragments and sentence openers are not names. A bare surname joins the most salient
  person of that surname; two different first names never merge.
- pronouns: "he"/"she" go to the most salient person that agrees in gender (from
  honorifics, earlier pronouns, first names) among the recent mentions, weighed by
  distance, grammatical role (subject, speaker of a statement) and how often the
  article names them; "it"/"they" only to organisations, outlets, places, groups.
- descriptors ("the Russian leader", "the newspaper", "the poll") go to the entity
  they describe: a name inside the phrase ("Fox News reporter Ed Henry"), the producer
  of a document ("a study by Harvard", "the poll" -> whoever ran it), the person whose
  titles, appositions and predicate nouns anywhere in the article carry the same head
  noun ("the Republican nominee" -> "Republican nominee Donald Trump"), else the most
  salient entity of the head noun's type. An indefinite or plural source ("a
  spokesman", "critics") stays unnamed: no entity is made for it.
"""
from __future__ import annotations

import bisect
import collections
import functools
import math
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from sayso.extract import cues, lexicon
from sayso.extract.context import Candidate, Context, EntityDraft, Range
from sayso.extract.syntax import token_range

_POSSESSIVE = re.compile(r"(’s|'s|’|')$")
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_HONORIFICS = {"mr.": "m", "mr": "m", "mrs.": "f", "mrs": "f", "ms.": "f", "ms": "f", "miss": "f"}
_CALENDAR = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april "
                      "may june july august september october november december jan. feb. mar. apr. aug. "
                      "sept. sep. oct. nov. dec. christmas easter".split())
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_SYNONYMS = {"attorney": "lawyer", "counsel": "lawyer", "sen": "senator", "rep": "representative",
             "congressman": "representative", "congresswoman": "representative", "gov": "governor",
             "spokeswoman": "spokesman", "spokesperson": "spokesman", "chairwoman": "chairman",
             "chair": "chairman", "advisor": "adviser", "businesswoman": "businessman",
             "pres": "president", "gen": "general", "dr": "doctor", "gop": "republican",
             "democrat": "democratic", "dem": "democratic", "candidate": "nominee", "justice": "judge"}
#: recent mentions a pronoun or descriptor may reach back to, and how many sentences
WINDOW_MENTIONS, WINDOW_SENTENCES = 80, 6
#: how much a mention's grammatical role makes its entity the one a later pronoun means
ROLE = {"source": 1.0, "subject": 1.0, "object": 0.6, "possessive": 0.45, "modifier": 0.3, "other": 0.5}
#: sentences between mention and pronoun -> weight (the same sentence is 0)
DISTANCE = (1.0, 0.9, 0.7, 0.55, 0.45, 0.38, 0.32)
#: heads of a phrase that names a place as the speaker: "the city of Phoenix"
_PLACE_HEADS = frozenset({"city", "state", "country", "county", "town", "nation", "government", "province",
                          "region", "district", "capital"})
_DESCRIPTIVE = frozenset({"retired", "former", "top", "new", "senior", "acting", "deputy", "vice", "assistant"})
#: what a person is rather than an office they hold ("the Air Force veteran")
_TRAITS = frozenset({"veteran", "native", "graduate", "alumnus", "resident", "fan", "supporter", "critic",
                     "donor", "voter", "father", "mother", "son", "daughter", "husband", "wife"})
#: words of a role before its noun ("High Commissioner", "Chief Executive")
_ROLE_MODIFIERS = _DESCRIPTIVE | {"high", "chief", "special", "principal", "executive"}
#: what an outlet publishes
_PRESS = frozenset({"article", "piece", "story", "column", "editorial", "report", "op-ed", "investigation"})
_PARTIES = frozenset({"republican", "democratic", "libertarian", "green", "conservative", "labour", "liberal"})
#: how salient an outlet or organisation must be to be taken as a document's author
DOCUMENT_FALLBACK = 0.45
#: how salient a person must be for a descriptor no title or apposition ties to anyone
DESCRIPTOR_FALLBACK = 0.45
_PUBLISH = frozenset("released issued published conducted filed produced wrote aired ran posted commissioned "
                     "obtained launched unveiled sent put".split())
#: role nouns that name a kind of the roles under them
_KINDS = {"lawmaker": frozenset({"senator", "representative", "legislator", "member", "speaker", "leader",
                                 "chairman", "democratic", "republican"}),
          "legislator": frozenset({"senator", "representative", "lawmaker", "member"}),
          "official": frozenset({"secretary", "minister", "director", "spokesman", "adviser", "aide"}),
          "physician": frozenset({"doctor"}), "doctor": frozenset({"physician"})}
#: organisation nouns that only fit names with one of these words
_ORG_KINDS = {"union": frozenset({"union", "workers", "federation", "brotherhood", "teamsters", "afl", "cio",
                                  "association", "guild", "employees"}),
              "university": frozenset({"university", "college", "institute", "school"}),
              "hospital": frozenset({"hospital", "clinic", "medical", "health", "center"}),
              "court": frozenset({"court", "tribunal"}),
              "church": frozenset({"church", "diocese", "archdiocese", "parish"})}
#: nouns any person may be called, whatever else the article says of them
_ANYONE = frozenset({"man", "woman", "person", "official", "leader", "politician", "candidate", "nominee"})
#: what being the subject of the passage's first sentence adds to a person's salience for a descriptor
TOPIC = 0.3
#: and what it adds for a pronoun (beside being the last speaker)
PRONOUN_TOPIC = 0.15
#: tokens of the first paragraph that is the article's body, not its headline or deck
LEDE_TOKENS = 20
#: a descriptor's head the article never gives a person who has other roles: how much less likely
ROLE_MISMATCH = 0.6
#: how salient a person must be to be "Obama's former strategist" with no title saying so
POSSESSED_FALLBACK = 0.9
#: how much each earlier bare-surname mention of a namesake weighs (log count, beside salience)
BARE_SURNAME = 0.5
#: a pronoun's gender agreeing with what is known of a person, or nothing being known
#: a pronoun against what a first name suggests: unlikely, not impossible
NAME_GENDER_MISMATCH = 0.35
GENDER_MATCH, GENDER_UNKNOWN = 0.15, 1.0


@dataclass
class _Ent(EntityDraft):
    first: str | None = None
    surname: str | None = None
    #: head nouns of the descriptors the article gives them ("nominee", "senator")
    heads: set[str] = field(default_factory=set)
    #: words of those descriptors ("republican", "vermont")
    desc_words: set[str] = field(default_factory=set)
    #: for a document (a poll, a report): the entity that produced it
    producer: "_Ent | None" = None
    #: (token index, sentence index, paragraph index, role weight), in text order
    log: list[tuple[int, int, int, float]] = field(default_factory=list)
    #: a name mention that can explain a resolution ("through")
    name_at: Range | None = None
    #: what the first name suggests, for agreement only
    name_gender: str | None = None
    #: gender_votes counted as they come
    votes: dict[str, int] = field(default_factory=lambda: {"f": 0, "m": 0})
    #: mentions by the bare surname ("Trump", "Mr. Trump")
    bare: int = 0
    #: for a group the article names person by person ("A & B"): those people
    members: list["_Ent"] = field(default_factory=list)


@dataclass
class _Unnamed:
    """A source the article never names ("officials"): a pronoun may go back to it."""
    id: str
    type: str
    log: list[tuple[int, int, int, float]] = field(default_factory=list)


#: a paragraph that opens a running story's section: a rule of underscores, or a time alone
_SECTION_BREAK = re.compile(r"[ \t]*(?:_{3,}\.?|\d{1,2}(?::\d\d)?[ \t]*[ap]\.?[ \t]?m\.?)[ \t]*(?:\n|$)",
                            re.I)
#: what a mention in an earlier section of a running story keeps of its weight
SECTION_FADE = 0.3


class _Article:
    """Per-token facts every decision reads: sentence, paragraph, inside a quote."""

    def __init__(self, ctx: Context):
        doc, text = ctx.doc, ctx.text
        self.doc, self.text = doc, text
        #: the tokens made once: spaCy builds a new Token object at every access
        self.toks = toks = list(doc)
        n = len(doc)
        self.sent = [0] * n
        for k, s in enumerate(doc.sents):
            for i in range(s.start, s.end):
                self.sent[i] = k
        breaks = [m.start() for m in re.finditer(r"\n\s*\n|\n", text)]
        self.para = [bisect.bisect(breaks, t.idx) for t in toks]
        self.para_start = {}
        for t in toks:
            if not t.is_space:  # the "\n\n" token closes the paragraph before
                self.para_start.setdefault(self.para[t.i], t.i)
        quotes = sorted((q.start, q.end) for q in ctx.quotes)
        self.in_quote = [False] * n
        k = 0
        for t in toks:
            while k < len(quotes) and quotes[k][1] <= t.idx:
                k += 1
            self.in_quote[t.i] = k < len(quotes) and quotes[k][0] <= t.idx < quotes[k][1]
        self.headline = self._headline_paragraphs()
        self.lower_words = frozenset(t.text for t in toks if t.is_lower)
        #: running stories ("The Latest", live blogs) in sections after a "___" rule or a
        #: time ("5:45 p.m."): each section a story of its own
        self.section = [0] * n
        self.section_start = [0]
        k = 0
        for i, t in enumerate(toks):
            if i and self.para_start.get(self.para[i]) == i and _SECTION_BREAK.match(text, t.idx):
                k += 1
                self.section_start.append(i)
            self.section[i] = k
        sizes = collections.Counter(self.para)
        #: the first paragraph of the body: the ones before are the headline and its deck
        self.lede = next((p for p in sorted(sizes) if sizes[p] >= LEDE_TOKENS), 0)

    def _headline_paragraphs(self) -> set[int]:
        """Paragraphs in headline case ("Pat Caddell: Democrat Voters Worried About …")."""
        out, words = set(), {}
        for t in self.toks:
            if t.is_alpha and len(t.text) >= 2:
                words.setdefault(self.para[t.i], []).append(t.text[0].isupper())
        for p, caps in words.items():
            if len(caps) >= 3 and sum(caps) >= 0.7 * len(caps):
                out.add(p)
        return out


class _Book:
    """The entities of one article, with the order and roles of their mentions."""

    def __init__(self, ctx: Context, art: _Article):
        self.ctx, self.art = ctx, art
        self.by_key: dict[str, _Ent] = {}
        self.by_id: dict[str, _Ent] = {}
        self.by_surname: dict[str, list[_Ent]] = {}
        self.by_first: dict[str, list[_Ent]] = {}
        self.recent: list[tuple[int, _Ent | _Unnamed]] = []  # (token index, entity), text order
        self.evidence: dict[str, int] = {}  # surname -> how often the article shows it is a person
        self.full_names: dict[str, list[str]] = {}  # surname -> full names anywhere in the article
        #: surname -> the genders "Mr."/"Mrs." give it where it stands alone ("Mr. Obama")
        self.bare_gender: dict[str, set[str]] = {}
        self.titled: dict[str, list[str]] = {}  # title head ("judge") -> full names carrying it
        self.title_words: dict[str, set[str]] = {}  # full name -> words of its titles and appositions
        self.last_speaker: tuple[int, _Ent | _Unnamed] | None = None
        self.run_at: dict[int, int] = {}  # name runs: first token -> last token
        self.run_end: dict[int, int] = {}  # name runs: last token -> first token
        #: headline runs that open with someone's full name, then a verb ("Ann Lee Slams …")
        self.headline_subject: set[int] = set()
        #: (token, candidate) where the text names someone's campaign ("Trump's campaign")
        self.campaign_at: list[tuple[int, _Ent]] = []
        self.topic: dict[int, _Ent | _Unnamed] = {}  # paragraph -> the subject of its first sentence

    def new(self, name: str, type_: str) -> _Ent:
        e = _Ent(id=f"e{len(self.ctx.entities) + 1}", name=name, type=type_)
        self.ctx.entities.append(e)
        self.by_id[e.id] = e
        return e

    def keyed(self, key: str, name: str, type_: str) -> _Ent:
        """The entity kept under key ("campaign:e3", "scott family"), made on first use."""
        e = self.by_key.get(key)
        if e is None:
            e = self.by_key[key] = self.new(name, type_)
        return e

    def latest(self, n: int = 200) -> list[_Ent]:
        """The n entities introduced last: lookups over "every entity" stay bounded on
        articles of thousands of names (a scan of all of them per mention is quadratic)."""
        return self.ctx.entities[-n:]

    def mention(self, e: _Ent | _Unnamed, lo: int, hi: int, role: str, *, record: bool = True) -> None:
        doc, art = self.art.doc, self.art
        w = ROLE[role] * (0.3 if art.in_quote[lo] else 1.0)
        e.log.append((lo, art.sent[lo], art.para[lo], w, role))
        self.recent.append((lo, e))
        p = art.para[lo]
        if role in ("subject", "source") and p not in self.topic and not art.in_quote[lo] and \
                art.sent[lo] == art.sent[art.para_start[p]]:
            t = art.toks[hi]
            t = t.head if t.dep_ == "appos" else t  # "the opposition leader Maria Sousa arrived"
            if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT":
                self.topic[p] = e  # the subject of a paragraph's first sentence: who it is about
        if record and isinstance(e, _Ent):
            e.mentions.append(token_range(doc, lo, hi))
            for t in doc[lo:hi + 1]:
                self.ctx.token_entity[t.i] = e.id

    def topic_at(self, i: int) -> "_Ent | _Unnamed | None":
        """Who the passage around token i is about: its paragraph's topic, else the last
        paragraph's (a paragraph that opens with "The Indiana governor said" has none yet)."""
        p = self.art.para[i]
        for q in (p, p - 1, p - 2):
            t = self.topic.get(q)
            if t is not None and (q < p or t.log[0][0] < i):
                return t
        return None

    def window(self, i: int):
        """Distinct entities mentioned shortly before token i, nearest first."""
        art, seen = self.art, set()
        k = bisect.bisect_left(self.recent, i, key=lambda r: r[0])
        for j in range(k - 1, max(-1, k - 1 - WINDOW_MENTIONS), -1):
            tok, e = self.recent[j]
            if art.sent[i] - art.sent[tok] > WINDOW_SENTENCES:
                break
            if id(e) not in seen:
                seen.add(id(e))
                yield e

    def salience(self, e: _Ent | _Unnamed, i: int) -> float:
        """How much token i's passage is about e: its best recent mention, and how often named."""
        art = self.art
        best = 0.0
        for tok, s, p, w, _ in reversed(e.log):
            if tok >= i:
                continue
            d = art.sent[i] - s
            if d > WINDOW_SENTENCES:
                break
            near = DISTANCE[min(d, len(DISTANCE) - 1)] * w
            if p != art.para[i]:
                near *= 0.8
            if art.section[tok] != art.section[i]:
                near *= SECTION_FADE  # a running story's earlier section is another story
            best = max(best, near)
        if best == 0.0:
            return 0.0
        bonus = 0.12 * math.log1p(_count_before(e, i))
        if not _in_section(e, art, i):
            bonus *= SECTION_FADE  # nor does being named often there make e this section's
        return best + bonus


def _in_section(e: _Ent | _Unnamed, art: "_Article", i: int) -> bool:
    """Is e mentioned before token i in i's section of a running story?"""
    sec = art.section[i]
    if sec == 0:
        return True  # no sections, or the first: everything before is the same story
    start = art.section_start[sec]
    for tok, *_ in reversed(e.log):  # in text order but for a few late sources: a bounded scan
        if start <= tok < i:
            return True
        if tok < start:
            return False
    return False


def _count_before(e: _Ent | _Unnamed, i: int) -> int:
    """Mentions of e before token i (the log is in text order but for a few late sources)."""
    k = len(e.log)
    while k and e.log[k - 1][0] >= i:
        k -= 1
    return k


def resolve(ctx: Context) -> None:
    art = _Article(ctx)
    book = _Book(ctx, art)
    doc = ctx.doc
    known = frozenset(lexicon.fold(_clean(art.toks[hi].text)) for lo, hi in _name_runs(art.toks) if hi > lo)
    runs = [r for r in map(functools.partial(_trim_opener, art), _name_runs(art.toks, known))
            if not ctx.is_blocked(doc[r[0]].idx, doc[r[1]].idx + 1) and not _junk(art, *r)]
    _collect_evidence(book, runs, ctx)
    runs = [_headline_name(book, r) for r in runs]
    run_at = book.run_at = {lo: hi for lo, hi in runs}
    book.run_end = {hi: lo for lo, hi in runs}
    # each candidate's source is read when the pass reaches its last token, so the names
    # inside it ("An attorney for Pagliano, Mark MacDougall,") are known by then
    due: dict[int, list[Candidate]] = {}
    inherited = []
    for c in ctx.candidates:
        if c.post or (c.speaker_name and not c.source):
            continue
        if c.origin.startswith("quotes:") and not c.cue and c.source is not None:
            inherited.append(c)
            continue
        tok = _source_token(doc, c)
        if tok is None:
            continue
        c.source_token = tok
        end = max(tok, _last_token(doc, c.source[1]) if c.source else tok)
        # "The head of the council, Jane Roe, said": read it once the apposition is known
        end = max([end] + [a.right_edge.i for a in doc[tok].children if a.dep_ == "appos"])
        if doc[tok].tag_ in ("NN", "NNS") and doc[tok].dep_ != "ROOT":  # "the documents released by WikiLeaks"
            end = max(end, min(doc[tok].right_edge.i, tok + 12))
            # "critics, like Senators A, of Iowa, and B, of Vermont,": all of those named
            end = max([end] + [min(c.right_edge.i, tok + 40) for c in doc[tok].children
                               if c.dep_ == "prep" and c.lower_ in _INCLUDING])
        due.setdefault(end, []).append(c)
    sources = {c.source_token for cs in due.values() for c in cs}
    i, n = 0, len(doc)
    while i < n:
        t = art.toks[i]
        if i in run_at:
            _name_entity(book, i, run_at[i], is_source=any(k in sources for k in range(i, run_at[i] + 1)))
        elif t.tag_ in ("PRP", "PRP$") and not art.in_quote[i] and i not in ctx.token_entity:
            kind = cues.hand()["pronouns"].get(t.lower_)
            if kind in ("m", "f"):
                e = _pronoun(book, t, kind)
                if e is not None:
                    book.mention(e, i, i, _role(t))
                    if isinstance(e, _Ent):
                        _vote(e, kind)
        elif t.tag_ in ("NN", "NNS") and t.lower_ in lexicon.words("document_nouns") and i not in sources:
            _document(book, t)
        elif t.tag_ == "NN" and t.lower_ in lexicon.words("campaign_heads") and i not in sources:
            # "Donald Trump's presidential campaign", "the Clinton campaign": what "the campaign"
            # is next (a name, not "her campaign": a pronoun's guess would spread)
            owner = next((book.by_id[ctx.token_entity[c.i]] for c in t.lefts if c.dep_ in ("poss", "compound")
                          and c.tag_ == "NNP" and c.i in ctx.token_entity), None)
            if owner is not None and owner.type == "PERSON":
                book.campaign_at.append((i, owner))
        for c in due.get(i, ()):
            _resolve_source(book, c)
        i += 1
    _documents_named_later(book, due)
    _identified_later(book, due)
    for c in inherited:
        e = ctx.token_entity.get(c.source_token) if c.source_token is not None else None
        c.entity = e
        c.resolution = ("inherited", c.source)
    ctx.entities = [e for e in ctx.entities if e.mentions]
    _renumber(ctx)


# -- names ------------------------------------------------------------------------------

def _name_runs(doc: list[Token], known: frozenset[str] = frozenset()):
    """Maximal runs of proper nouns (with inner 'of'/'the' for organisation names); a
    capitalised word the tagger took for a common noun counts where ``known`` has it
    (the surnames of the article's full names: "Sanders" tagged NNS)."""
    org = lexicon.words("org_name_words")
    titles = lexicon.titles()

    def proper(t: Token) -> bool:
        return t.text[:1].isupper() and (t.tag_ in ("NNP", "NNPS") or (
            t.tag_ in ("NN", "NNS", "VB", "VBP", "VBZ", "JJ") and lexicon.fold(_clean(t.text)) in known))

    i, n = 0, len(doc)
    while i < n:
        t = doc[i]
        if _HANDLE.match(t.text):  # "@nycsouthpaw": a name of its own
            yield i, i
            i += 1
        elif proper(t):
            j = i
            while j + 1 < n and not doc[j].text.endswith(("'s", "’s")) and "\n" not in doc[j].whitespace_:
                if proper(doc[j + 1]) or (doc[j + 1].text[:1].isupper() and doc[j + 1].tag_ in ("NN", "NNS")
                                          and not doc[j + 1].is_sent_start):
                    j += 1  # "United Mine Workers" with "Workers" tagged a common noun
                elif j + 2 < n and doc[j + 1].text == "-" and not doc[j].whitespace_ and \
                        not doc[j + 1].whitespace_ and doc[j + 2].is_alpha:
                    j += 2  # "Ban Ki-moon", "Fraga-Rosenfeld"
                else:
                    break
            # "Ministry of Health", "Bank of America"; a title's "Secretary of State John Kerry",
            # "Speaker of the House Paul Ryan" (_split_title finds where the name starts)
            k = j + 2 + (j + 2 < n and doc[j + 2].lower_ == "the" and doc[j].lower_ in titles)
            if k < n and doc[k].tag_ == "NNP" and doc[k].lower_ not in _CALENDAR and (
                    (doc[j + 1].lower_ == "of" and _title_words(doc[i:j + 1])) or
                    (doc[j + 1].lower_ in ("of", "on", "for") and doc[j].lower_ in org)):
                # "National Institute on Drug Abuse", "Council on American-Islamic Relations"
                j = k
                while True:
                    if j + 1 < n and (doc[j + 1].tag_ in ("NNP", "NNPS") or doc[j + 1].tag_ in ("NN", "NNS") and
                                      not doc[j + 1].is_sent_start and "\n" not in doc[j].whitespace_) and \
                            doc[j + 1].text[:1].isupper() and doc[j + 1].lower_ not in _CALENDAR:
                        j += 1  # "Association of Flight Attendants" with "Attendants" tagged a common noun
                    elif j + 2 < n and doc[j + 1].text == "-" and not doc[j].whitespace_ and \
                            not doc[j + 1].whitespace_ and doc[j + 2].text[:1].isupper():
                        j += 2
                    else:
                        break
            yield i, j
            i = j + 1
        else:
            i += 1


#: a social-media handle standing in the text ("one Twitter user, @nycsouthpaw, wrote")
_HANDLE = re.compile(r"@[A-Za-z0-9_]{2,30}$")


def _headline_name(book: _Book, run: tuple[int, int]) -> tuple[int, int]:
    """A headline's run in title case holding the full name the article gives someone
    ("Elizabeth Warren Hammers Wells Fargo CEO", "Deport Nikki Haley"): that name is the run."""
    lo, hi = run
    art = book.art
    if art.para[lo] not in art.headline or hi - lo < 2:
        return run
    doc = art.doc
    for a in range(lo, hi):
        for k in range(hi - (a == lo), a, -1):
            ws = _words(doc, a, k)
            if len(ws) >= 2 and lexicon.fold(ws[0]) in lexicon.first_names() and \
                    " ".join(ws) in book.full_names.get(lexicon.fold(ws[-1]), ()):
                if a == lo and _key(doc[k + 1].text) not in lexicon.words("person_nouns"):
                    book.headline_subject.add(lo)  # not "… Aide Says"
                return a, k  # "Deport Nikki Haley" is Nikki Haley
    return run


def _trim_opener(art: _Article, run: tuple[int, int]) -> tuple[int, int]:
    """"Say Mexico demanded …", "Thanks Obama": a sentence opener is not part of the name."""
    lo, hi = run
    if lo < hi and art.toks[lo].is_sent_start and _clean(art.toks[lo].text).lower() in lexicon.words("not_names"):
        lo += 1
    # "Added Smith, the chairman: …", "Said Ellis: …": the verb opens the sentence, the name follows
    elif lo < hi and art.toks[lo].is_sent_start and art.toks[lo].text.lower() in cues.INVERTING:
        lo += 1
    # "Mount Prospect, Ill. Eksili donated …": a state after a town ends the sentence before
    if lo < hi and lo > 0 and art.toks[lo - 1].text == "," and art.toks[lo].text in _STATE_ABBREVIATIONS:
        lo += 1
    # "Australian-born Assange", "NBA-leading Lakers", "Texas-based Matt Mackowiak": an
    # adjective made with a hyphen is no part of the name ("Ban Ki-moon" is)
    if lo + 2 < hi and art.toks[lo + 1].text == "-" and art.toks[lo + 2].lower_ in _HYPHEN_ADJECTIVES:
        lo += 3
    return lo, hi


#: last words of a place-led name that is no organisation (beside a role: "Hollywood
#: Actor"): a street or landmark ("Pennsylvania Avenue"), an event ("Vietnam War")
_NOT_BODIES = frozenset("actor actress star native resident avenue street road boulevard square park bridge "
                        "river lake bay beach island islands valley mountains airport war crisis revolution "
                        "election elections summit games olympics attack attacks massacre".split())
#: the AP's abbreviations of US states ("Mount Prospect, Ill.")
_STATE_ABBREVIATIONS = frozenset("Ala. Ariz. Ark. Calif. Colo. Conn. Del. Fla. Ga. Ill. Ind. Kan. Ky. La. Md. "
                                 "Mass. Mich. Minn. Miss. Mo. Mont. Neb. Nev. N.H. N.J. N.M. N.Y. N.C. N.D. "
                                 "Okla. Ore. Pa. R.I. S.C. S.D. Tenn. Vt. Va. Wash. W.Va. Wis. Wyo. D.C.".split())
_HYPHEN_ADJECTIVES = frozenset("based born leading owned backed funded linked led run affiliated controlled "
                               "allied aligned bred raised educated trained area style era".split())


def _junk(art: _Article, lo: int, hi: int) -> bool:
    """Datelines ("MOSCOW -", "(CNN) -"), sentence openers ("Thanks", "Hosting Cook")."""
    doc, text = art.doc, art.text
    toks = doc[lo:hi + 1]
    words_ = [_clean(t.text).lower() for t in toks]
    if all(w in lexicon.words("not_names") or w in _CALENDAR or not w for w in words_):
        return True
    ps = art.para_start.get(art.para[lo])
    if ps is not None and lo - ps <= 8:
        # "MOSCOW -", "SIOUX FALLS, S.D. –", "HANOI, Vietnam (AP) —", "(CNN) -"
        m = _DATELINE.match(text, doc[ps].idx)
        if m and doc[lo].idx < m.end():
            return True
        if lo - ps <= 1 and hi + 1 < len(doc) and doc[hi + 1].text == ":" and \
                all(t.text.isupper() for t in toks) and lexicon.fold(doc[ps:hi + 1].text) in lexicon.places():
            return True  # "NEW DELHI: Their American dream …" (a transcript's "WALLACE:" is a name)
    first = doc[lo]
    if _HANDLE.match(first.text):
        # a handle on a line of its own signs the comment or post around it; no pronoun
        # goes back to it
        line_start = text.rfind("\n", 0, first.idx) + 1
        line_end = text.find("\n", first.idx)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        return bool(re.fullmatch(r"\W*@\w+\W*", line.strip()))
    if first.is_sent_start and words_[0] in lexicon.words("not_names"):
        return True
    if first.is_sent_start and words_[0].endswith("ing") and words_[0] not in lexicon.first_names():
        return True
    return False


_DATELINE = re.compile(r"[ \t]*\(?[A-Z][A-Z.'’ ]{1,30}\)?(?:,[ \t]*[A-Z][\w.' ]{0,25})?"
                       r"(?:[ \t]*\([^)\n]{1,25}\))?[ \t]*(?:--|[-–—])")


def _clean(name: str) -> str:
    return _POSSESSIVE.sub("", name.strip()).strip()


def _split_title(doc: Doc, lo: int, hi: int) -> tuple[int, str]:
    """Index where the name starts after leading titles ("Finance Minister Carla Diaz")."""
    titles = lexicon.titles()
    k = lo
    of = next((i for i in range(lo + 1, hi + 1) if doc[i].lower_ == "of"), None)
    if of is not None and _title_words(doc[lo:of]):
        # "(Former) Secretary of State John F. Kerry", "Massachusetts Secretary of State William
        # Galvin": the name starts at the first word after "of" that is a first name, else it
        # is the last two; "Former Secretary of State" alone names nobody
        first = next((i for i in range(of + 2, hi) if lexicon.fold(doc[i].text) in lexicon.first_names()),
                     hi - 1 if hi - 1 >= of + 2 else hi + 1)
        return first, doc[lo:min(first, hi + 1)].text
    for i in range(lo, hi):  # the last title word that still leaves a name after it
        w = doc[i].lower_
        plural = w[:-1] if w.endswith("s") and len(w) > 4 else w  # "Senators A and B"
        if w in titles or w.rstrip(".") in titles or plural in titles or w in _HONORIFICS or (
                i == k and w in lexicon.words("person_nouns") and w not in lexicon.first_names()):
            k = i + 1
    org = lexicon.words("org_name_words")
    if k > lo and any(t.lower_.strip(".") in org for t in doc[k:hi + 1]):
        return lo, ""
    if k == lo and hi - lo >= 3 and lexicon.fold(_clean(doc[hi].text)) in lexicon.surnames() and \
            not any(t.lower_.strip(".") in org for t in doc[lo + 1:hi + 1]):
        # a title the lexicon lacks before a full name: "Senate Minority Whip Richard J. Durbin"
        # (not "Anne-Marie Slaughter", "Jorge Antonio Villasenor Llamas": the run opens with a
        # first name or the word is half of one)
        first = lexicon.first_names()
        m = next((i for i in range(max(lo + 1, hi - 3), hi) if first.get(lexicon.fold(doc[i].text)) in ("m", "f")
                  and doc[i - 1].text != "-"), None)
        if m is not None and lexicon.fold(doc[lo].text) not in first:
            return m, doc[lo:m].text
    return k, doc[lo:k].text


def _title_words(toks) -> bool:
    """Do these words make a title before "of" ("Former Secretary", "Florida Secretary")?
    Not a name that ends in a title word ("Peter T. King of New York")."""
    titles = lexicon.titles()
    return bool(len(toks)) and toks[-1].lower_ in titles and all(
        t.lower_ in titles or lexicon.fold(_clean(t.text)) in lexicon.places() or t.lower_ in _DESCRIPTIVE
        for t in toks)


def _title_head(title: str) -> str:
    """The noun a title is: "secretary" of "Secretary of State", "minister" of "Finance Minister"."""
    ws = title.split()
    return ws[ws.index("of") - 1] if "of" in ws[1:] else ws[-1]


def _words(doc: Doc, lo: int, hi: int) -> list[str]:
    ws = [_clean(w) for w in doc[lo:hi + 1].text.split()]
    ws = [w for w in ws if w]
    while len(ws) > 1 and ws[-1].lower().rstrip(",") in _SUFFIXES:
        ws.pop()
    return ws


def _collect_evidence(book: _Book, runs, ctx: Context) -> None:
    """Before the pass: which surnames the article shows are people's, and the full names
    it gives them anywhere (a headline's "Pence" is the "Mike Pence" of the text)."""
    doc, art = ctx.doc, book.art
    speakers = {c.source_token for c in ctx.candidates if c.source_token is not None}
    starts = sorted(lo for lo, _ in runs)
    for lo, hi in runs:
        if art.para[lo] in art.headline:
            continue
        start, title = _split_title(doc, lo, hi)
        ws = _words(doc, start, hi)
        if not ws:
            continue
        sur = lexicon.fold(ws[-1])
        honor = doc[lo].lower_ if doc[lo].lower_ in _HONORIFICS else (doc[lo - 1].lower_ if lo > 0 else "")
        ev = 0
        if title or honor in _HONORIFICS or doc[lo].lower_ in _HONORIFICS:
            ev += 2
        if len(ws) >= 2 and lexicon.fold(ws[0]) in lexicon.first_names():
            ev += 2
        if any(k in speakers for k in range(lo, hi + 1)):
            ev += 1
        if len(ws) >= 2 and (_called_a_person(doc[hi]) or _he_or_she_next(art, hi, starts)):
            ev += 2  # a full name the lists lack ("Mehmet Oz — surgeon and TV star"; "… He said")
        book.evidence[sur] = book.evidence.get(sur, 0) + ev
        if len(ws) == 1 and honor in _HONORIFICS:
            book.bare_gender.setdefault(sur, set()).add(_HONORIFICS[honor])
        if len(ws) >= 2:
            book.full_names.setdefault(sur, []).append(" ".join(ws))
            full = " ".join(ws)
            if title:
                book.titled.setdefault(_key(_title_head(title)), []).append(full)
                book.title_words.setdefault(full, set()).update(_key(w) for w in title.split())
            for c in doc[hi].children:  # "Don Fowler, a former DNC chairman,"
                if c.dep_ == "appos" and c.tag_ == "NN":
                    book.titled.setdefault(_key(c.text), []).append(full)
                    book.title_words.setdefault(full, set()).update(
                        _key(t.text) for t in c.subtree if t.is_alpha)


def _called_a_person(t: Token) -> bool:
    """A name in apposition with a person noun: "Mehmet Oz — Ivy League-trained surgeon"."""
    return any(c.dep_ == "appos" and c.tag_ == "NN" and _key(c.text) in lexicon.words("person_nouns")
               for c in t.children)


def _he_or_she_next(art: _Article, hi: int, starts: list[int]) -> bool:
    """The name is its sentence's subject and the next sentence opens with he or she, no
    other name between: news goes on about the person it just named."""
    t = art.toks[hi]
    if t.dep_ not in ("nsubj", "nsubjpass"):
        return False
    k = hi + 1
    while k < len(art.toks) and art.sent[k] == art.sent[hi]:
        k += 1
    while k < len(art.toks) and (art.toks[k].is_punct or art.toks[k].is_space):
        k += 1
    if k >= len(art.toks) or art.toks[k].lower_ not in ("he", "she") or art.para[k] != art.para[hi] and \
            art.para[k] - art.para[hi] > 1:
        return False
    i = bisect.bisect_right(starts, hi)
    return i >= len(starts) or starts[i] > k


def _type(book: _Book, doc: Doc, ws: list[str], titled: bool, lo: int, hi: int, is_source: bool) -> str:
    low = lexicon.fold(" ".join(ws))
    bare = low.removeprefix("the ")
    if low in lexicon.outlets() or bare in lexicon.outlets() or low[1:] in lexicon.outlets():
        return "OUTLET"
    if _HANDLE.match(ws[0]):
        return "PERSON"  # an account not known as an outlet's: most often one person's
    if bare in lexicon.words("group_names"):
        return "GROUP"
    if bare in lexicon.words("org_names"):
        return "ORG"  # "the White House said": an institution, not the building
    if low in lexicon.places() or bare in lexicon.places():
        # "Washington" is a place unless the article shows a person of that name
        if not (len(ws) == 1 and book.evidence.get(bare, 0) >= 2 and bare in book.by_surname):
            return "GPE"
    last = lexicon.fold(ws[-1])
    if len(ws) > 1 and last in lexicon.words("outlet_name_words") and not titled:
        return "OUTLET"  # "Tampa Bay Times"; "Mayor Don Guardian" is a person
    if len(ws) == 1 and last not in book.by_surname and (book.evidence.get(last, 0) < 2 or
                                                         last not in lexicon.surnames()):
        named = _alias(book, last, "OUTLET") or _alias(book, last, "ORG")
        if named is not None:  # "the Journal" after "The Wall Street Journal"
            return named.type
    if any(map(_org_word, ws)):
        return "ORG"
    if lo > 0 and doc[lo - 1].is_lower and _key(doc[lo - 1].text) in lexicon.words("person_nouns"):
        return "PERSON"  # "journalist Dainis Ivans", "reporter Ed Henry"
    if doc[hi].tag_ == "NNPS" and not titled:
        # "Republicans", "Senate Democrats" are groups; a longer plural name is an
        # organisation's ("Homeland Security Investigations", "Real Clear Politics")
        if len(ws) == 1 or last in lexicon.words("group_names"):
            return "GROUP"
        if book.art.para[lo] not in book.art.headline:  # a headline's "Trump Meets" is a fragment
            return "ORG"
    if titled:
        return "PERSON"
    if book.art.para[lo] not in book.art.headline and _not_a_person(book, ws, hi):
        return "ORG"  # (a headline's "Washington Post Assembles" is a fragment)
    first = lexicon.fold(ws[0])
    if len(ws) > 1 and (first in lexicon.first_names() or book.evidence.get(last, 0) >= 2):
        return "PERSON"
    if len(ws) == 1 and (last in book.by_surname or last in book.by_first or book.evidence.get(last, 0) >= 2):
        return "PERSON"
    if len(ws) == 1 and lexicon.first_names().get(last) in ("m", "f") and (
            not doc[lo].is_sent_start or (doc[hi].dep_ in ("nsubj", "nsubjpass") and doc[hi].tag_ == "NNP"
                                          and last not in book.art.lower_words)):
        # someone the article calls by first name only ("Melanie"), at a sentence's start
        # too where the word is not also one the article uses in lower case ("Will")
        return "PERSON"
    if _among_people(book, doc[hi]):
        return "PERSON"
    if is_source and all(w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha() for w in ws) \
            and len(ws) <= 4 and not any(w.isupper() and len(w) > 1 for w in ws):
        return "PERSON"
    if len(ws) == 1 and ws[0].isupper() and len(ws[0]) >= 2:
        # a transcript's speaker label ("WALLACE:") is a surname; else an acronym ("FBI")
        return "PERSON" if is_source and last in lexicon.surnames() else "ORG"
    return "OTHER"


def _full_name(book: _Book, t: Token) -> list[str] | None:
    """The words of the name run ending at t where it is a first name and a surname."""
    lo = book.run_end.get(t.i)
    if lo is None:
        return None
    start, _ = _split_title(book.art.doc, lo, t.i)
    ws = _words(book.art.doc, start, t.i)
    return ws if len(ws) >= 2 and lexicon.fold(ws[0]) in lexicon.first_names() else None


def _among_people(book: _Book, t: Token) -> bool:
    """A name listed with a person's full name ("Tyresha McClenney and Bryan Anderson") or
    in apposition to people ("two voters, Tyresha McClenney and …") is a person's."""
    if t.dep_ == "appos" and t.head.tag_ in ("NN", "NNS", "NNP") and _key(t.head.text) in lexicon.words("person_nouns"):
        return True
    peers = [t.head] if t.dep_ == "conj" else []
    return any(_full_name(book, p) for p in peers + [c for c in t.children if c.dep_ == "conj"])


def _name_entity(book: _Book, lo: int, hi: int, *, is_source: bool) -> _Ent | None:
    doc, art = book.art.doc, book.art
    # "White House Doctor", "Wells Fargo CEO": a role after a name is not part of it (in a
    # headline only after an organisation's name: "… Exploits Trump Voter" stays a fragment)
    k = hi
    while k > lo and _key(doc[k].text) in lexicon.words("person_nouns") and \
            doc[k - 1].lower_ not in ("of", "for", "and", "&") and not (  # "Conference of Mayors" stays
            k == hi and lexicon.fold(doc[k].text) != _key(doc[k].text) and
            any(t.lower_ in ("of", "for") for t in doc[lo:k])):  # "Association of Flight Attendants" too
        k -= 1
    role_at = k  # the role noun's modifiers may be surnames ("High"); the noun decides
    while hi > k > lo and doc[k].lower_ in _ROLE_MODIFIERS:
        k -= 1  # "United Nations High Commissioner", "Wells Fargo Chief Executive"
    if k < hi:
        org = any(_org_word(t.text) for t in doc[lo:k + 1])
        if org or (art.para[lo] not in art.headline and not any(
                lexicon.fold(_clean(t.text)) in lexicon.surnames() for t in doc[role_at + 1:hi + 1])):
            hi = k
    start, title = _split_title(doc, lo, hi)
    ws = _words(doc, start, hi)
    if not ws or (len(ws) == 1 and ws[0].lower() in _CALENDAR):
        return None
    if len(ws) == 1 and start == lo and lexicon.first_names().get(lexicon.fold(ws[0])) in ("m", "f") and \
            lexicon.fold(ws[0]) not in book.full_names and (lo == 0 or doc[lo - 1].lower_ not in _HONORIFICS):
        # "Bill and Hillary Clinton", "Donald and Ivana Trump": the first names share the surname
        partner = next((f for c in doc[hi].children if c.dep_ == "conj" for f in [_full_name(book, c)] if f), None)
        if partner:
            ws = [ws[0], partner[-1]]
    honor = doc[lo].lower_ if doc[lo].lower_ in _HONORIFICS else (doc[lo - 1].lower_ if lo > 0 else "")
    if honor not in _HONORIFICS and start == lo and all(
            _key(w) in lexicon.words("person_nouns") or lexicon.fold(w) in _DESCRIPTIVE for w in ws):
        return None  # "Retired General", "Judge" in a headline: a descriptor, not a name ("Mr. King" is)
    titled = bool(title) or honor in _HONORIFICS
    headline = art.para[lo] in art.headline
    type_ = _type(book, doc, ws, titled, start, hi, is_source)
    if headline and type_ in ("PERSON", "OTHER") and not _known(book, ws):
        return None  # a headline-case fragment ("Stealth Over Health"), not a name
    role = _role(doc[hi])
    if type_ != "PERSON":
        key = lexicon.fold(" ".join(ws)).removeprefix("the ")
        e = book.by_key.get(key) or _alias(book, key, type_) or _acronym(book, ws, type_)
        if e is None:
            e = book.by_key[key] = book.new(" ".join(ws), type_)
        book.mention(e, start, hi, role)
        e.name_at = e.name_at or token_range(doc, start, hi)
        return e
    e = _person(book, ws, start, _HONORIFICS.get(honor), lexicon.fold(_title_head(title)).strip(".")
                if title else None, hint=_pronoun_after(book, hi) if len(ws) == 1 else None)
    if title and title.lower().strip(".") not in _HONORIFICS:
        _describe(e, title, _title_head(title))
    g = _HONORIFICS.get(honor)
    if g:
        _vote(e, g)
        e.gender = e.gender or g
    if len(ws) == 1 and e.surname == lexicon.fold(ws[0]):
        e.bare += 1
    book.mention(e, start, hi, role)
    e.name_at = token_range(doc, start, hi)
    _profile(book, e, doc[hi], start)
    return e


def _org_word(word: str) -> bool:
    """A word of organisations' names ("Department", "Workers", "Inc.")."""
    return lexicon.fold(word).strip(".") in lexicon.words("org_name_words")


def _known(book: _Book, ws: list[str]) -> bool:
    low = lexicon.fold(" ".join(ws))
    return (low in lexicon.outlets() or low in lexicon.places() or lexicon.fold(ws[-1]) in book.full_names
            or low in book.by_key or (len(ws) == 1 and book.evidence.get(low, 0) >= 2))


def _alias(book: _Book, key: str, type_: str) -> _Ent | None:
    """"The Times" after "The New York Times", "the Post" after "The Washington Post"."""
    if type_ not in ("OUTLET", "ORG") or " " in key:
        return None
    for e in reversed(book.latest()):
        if e.type == type_ and isinstance(e, _Ent) and lexicon.fold(e.name).split()[-1] == key:
            return e
    return None


_LINKS = frozenset({"of", "the", "and", "for", "&", "on", "in", "at"})


def _initials(ws: list[str]) -> list[str]:
    """The initials an acronym may be made of: "Department of Veterans Affairs" -> D V A."""
    return [w[0].upper() for w in ws if w.lower() not in _LINKS and w[:1].isalpha()]


def _abbreviates(acronym: str, ws: list[str]) -> bool:
    """"VA" for "Department of Veterans Affairs", "DNC" for "Democratic National Committee":
    the initials of the whole name, or of its last words ("Department of" left out)."""
    letters = acronym.replace(".", "")
    init = _initials(ws)
    return 2 <= len(letters) <= 6 and len(init) >= 2 and letters.isupper() and letters.isalpha() and \
        any("".join(init[k:]) == letters for k in range(len(init) - 1))


def _acronym(book: _Book, ws: list[str], type_: str) -> _Ent | None:
    """One organisation under its name and its acronym, in either order: "the Department of
    Veterans Affairs" ... "the VA", or "the DNC" ... "the Democratic National Committee"
    (which then names the entity: the fullest form)."""
    if type_ not in ("ORG", "OUTLET"):
        return None
    if len(ws) == 1:
        return next((e for e in reversed(book.latest()) if e.type in ("ORG", "OUTLET") and " " in e.name
                     and _abbreviates(ws[0], e.name.split())), None)
    e = next((e for e in reversed(book.latest()) if e.type in ("ORG", "OUTLET") and " " not in e.name
              and _abbreviates(e.name, ws)), None)
    if e is not None:
        e.name, e.type = " ".join(ws), type_  # "WSJ" is an outlet once the text says "Wall Street Journal"
    return e


def _person(book: _Book, ws: list[str], start: int, gender: str | None = None,
            title: str | None = None, hint: str | None = None) -> _Ent:
    """The person a name denotes, made if new. ``gender`` from an honorific; ``hint`` from
    the pronoun that follows in the sentence ("Clinton allowed her staff"), which only
    chooses between namesakes."""
    sur = lexicon.fold(ws[-1])
    first = lexicon.fold(ws[0]) if len(ws) > 1 else None
    cands = [e for e in book.by_surname.get(sur, []) if first is None or e.first == first or (
        e.first is None and _first_agrees(e, first))]
    if gender or (hint and len(cands) > 1):  # "Mr. Obama" is not Michelle Obama
        cands = [e for e in cands if (_agree(e) or e.name_gender) in (None, gender or hint)] or cands
    if title and len(cands) > 1:  # "President Obama": the Obama the article calls president
        titled = [e for e in cands if _SYNONYMS.get(title, title) in e.heads]
        cands = titled or cands
    if first is None and not cands:
        # a lone word: the first name of someone already named ("Hillary")?
        cands = [e for e in book.by_first.get(sur, [])]
    if first is None and not cands and len(sur) >= 5:
        # a misspelt surname: "McLenney" for "McClenney", "Wines" for "Wimes"
        cands = [e for k, es in book.by_surname.items() if k[:1] == sur[:1] and _one_edit(k, sur) for e in es]
    # news calls one namesake by the bare surname ("Trump" is Donald, "Ivanka Trump" stays
    # "Ivanka"): being called so already weighs beside salience
    bare = BARE_SURNAME if first is None else 0.0
    e = max(cands, key=lambda c: (book.salience(c, start) + bare * math.log1p(c.bare), len(c.log))) \
        if cands else None
    if e is None and first is None and book.full_names.get(sur):
        # named in full later in the article (a headline, a lede that uses the surname first):
        # the namesake the honorific allows (here, or with the bare surname elsewhere:
        # "President Obama" before "Mr. Obama" and "the first lady, Michelle Obama"), and
        # of those the one the article names most; none where none fits
        names = book.full_names[sur]
        said = book.bare_gender.get(sur, set())
        g = gender or (next(iter(said)) if len(said) == 1 else None)
        fits = [n for n in names if g is None or
                lexicon.first_names().get(lexicon.fold(n.split()[0])) in (None, "u", g)]
        if fits:
            full = fits[0].split()
            e = book.new(" ".join(full), "PERSON")
            e.first, e.surname = lexicon.fold(full[0]), sur
            book.by_surname.setdefault(sur, []).append(e)
            book.by_first.setdefault(e.first, []).append(e)
            _first_name_gender(e)
            return e
    if e is None:
        e = book.new(" ".join(ws), "PERSON")
        e.surname, e.first = sur, first
        book.by_surname.setdefault(sur, []).append(e)
        if first:
            book.by_first.setdefault(first, []).append(e)
        _first_name_gender(e)
        return e
    if first and e.first is None:
        e.first = first
        book.by_first.setdefault(first, []).append(e)
        _first_name_gender(e)
    if len(ws) > len(e.name.split()):
        e.name = " ".join(ws)  # the fullest form names the entity
    return e


def _first_agrees(e: _Ent, first: str) -> bool:
    """May a full name with this first name be the person so far called by surname only?
    Not where what is known of them ("Mr. Obama", "he") contradicts the first name
    ("Michelle Obama")."""
    g = lexicon.first_names().get(first)
    known = _agree(e)
    return not (g in ("m", "f") and known in ("m", "f") and g != known)


def _pronoun_after(book: _Book, hi: int) -> str | None:
    """m / f from the first he/she/his/her after a name in its sentence, where no other
    name comes between: what the sentence itself says of the namesake it means."""
    art = book.art
    for k in range(hi + 1, min(len(art.toks), hi + 16)):
        t = art.toks[k]
        if art.sent[k] != art.sent[hi] or k in book.run_at:
            return None
        if t.tag_ in ("PRP", "PRP$") and not art.in_quote[k]:
            kind = cues.hand()["pronouns"].get(t.lower_)
            if kind in ("m", "f"):
                return kind
    return None


def _not_a_person(book: _Book, ws: list[str], hi: int) -> bool:
    """A capitalised speaker the lexicons do not know is someone, unless the text says it is
    a thing: "its" right after its verb ("WeWork said its losses …"; not "the Obama
    administration over its raids"), or a place before words that are no name ("Los
    Angeles Lakers", "Oklahoma City Thunder")."""
    first = lexicon.first_names()
    if len(ws) >= 2 and lexicon.fold(ws[0]) not in first and _key(ws[-1]) not in _NOT_BODIES and \
            _key(ws[-1]) not in lexicon.words("person_nouns") and any(
            lexicon.fold(" ".join(ws[:k])) in lexicon.places() and lexicon.fold(ws[k]) not in first
            for k in range(1, len(ws))):
        return True
    last = lexicon.fold(ws[-1])
    return not any(lexicon.fold(w) in first for w in ws) and last not in lexicon.surnames() and \
        last not in book.by_surname and hi + 2 < len(book.art.toks) and \
        book.art.toks[hi + 1].tag_.startswith("VB") and book.art.toks[hi + 2].lower_ == "its"


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by one inserted, deleted or changed letter."""
    if a == b or abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 5:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def _first_name_gender(e: _Ent) -> None:
    """Agreement leans on what a first name suggests (a prior the text can overrule: a
    "Dana" the article calls "he" is a man); the report's gender never reads it."""
    # "Kevin", "Melanie" alone are first names; "Clinton", "Warren" alone are surnames
    alone = lexicon.fold(e.name) if " " not in e.name else ""
    first = e.first or (alone if alone not in lexicon.surnames() else "")
    g = lexicon.first_names().get(first)
    e.name_gender = g if g in ("m", "f") else None


def _key(word: str) -> str:
    """One form for a descriptor word: "Sen." ~ "senator", "attorneys" ~ "lawyer", "GOP" ~ "republican"."""
    w = lexicon.fold(word).strip(".,’'")
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss") and w[:-1] in lexicon.words("person_nouns"):
        w = w[:-1]
    return _SYNONYMS.get(w, w)


def _describe(e: _Ent, desc: str, head: str | None = None, *, evidence: bool = True) -> None:
    """Keep a descriptor the article gives e; ``head`` is its head noun when it is not the
    last word ("attorney for Pagliano"). ``evidence=False`` for one sayso resolved to e
    itself: shown in the report, never a reason for a later resolution (a wrong one would
    make more wrong ones)."""
    desc = desc.strip(" ,")
    if not desc or len(desc) > 80 or "\n" in desc:
        return
    if desc.lower() not in (d.lower() for d in e.descriptors):
        e.descriptors.append(desc)
    if not evidence:
        return
    raw = desc.split()
    # "the Republican nominee's eldest daughter": the words before the possessive are
    # someone else's
    cut = max((k + 1 for k, w in enumerate(raw[:-1]) if _POSSESSIVE.search(w) and len(w) > 2), default=0)
    ws = [_key(w) for w in raw[cut:]]
    if ws:
        e.heads.add(_key(head) if head else ws[-1])
        e.desc_words.update(ws)
    for w in ws:
        if w in lexicon.words("female_nouns"):
            e.gender = e.gender or "f"
        elif w in lexicon.words("male_nouns"):
            e.gender = e.gender or "m"


def _profile(book: _Book, e: _Ent, head: Token, start: int) -> None:
    """Descriptors the article gives a person: "Republican nominee Donald Trump",
    "Trump, the Republican nominee,", "the nominee, Donald Trump", "Trump is the nominee"."""
    doc = book.art.doc
    mods = [c for c in head.lefts if c.i < start and c.dep_ in ("compound", "amod", "nmod")
            and c.tag_ in ("NN", "NNS", "JJ") and not c.text[:1].isupper()]
    if mods:
        lo = min(m.left_edge.i for m in mods)
        while lo < start and doc[lo].lower_ in ("a", "an", "the"):
            lo += 1
        if lo < start:
            _describe(e, doc[lo:start].text)
    for c in head.children:
        if c.dep_ == "appos" and c.tag_ in ("NN", "NNS"):
            _describe(e, _descriptor_text(doc, c) or "", c.text)
    if head.dep_ == "appos" and head.head.tag_ in ("NN", "NNS"):
        _describe(e, _descriptor_text(doc, head.head) or "", head.head.text)
    up = head.head.head if head.dep_ == "appos" and head.head.dep_ == "pobj" else None
    if up is not None and up.dep_ == "prep" and up.head.tag_ == "NN" and \
            _key(up.head.text) in lexicon.words("person_nouns"):
        # "An attorney for Pagliano, Mark MacDougall," parsed with the name on "Pagliano"
        _describe(e, _descriptor_text(doc, up.head) or "", up.head.text)
    if head.dep_ == "nsubj" and head.head.lower_ in ("is", "was", "'s", "remains", "became"):
        for c in head.head.children:
            if c.dep_ == "attr" and c.tag_ in ("NN",):
                _describe(e, _descriptor_text(doc, c) or "", c.text)


def _descriptor_text(doc: Doc, tok: Token) -> str | None:
    if tok.tag_ not in ("NN", "NNS", "NNP", "NNPS"):
        return None
    lo = tok.i
    for c in tok.lefts:
        if c.dep_ in ("amod", "compound", "det", "nmod", "poss") and c.i < lo:
            lo = c.left_edge.i
    hi = tok.i
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ == "of" and c.right_edge.i - tok.i <= 8:
            hi = c.right_edge.i
        break
    while lo <= hi and (doc[lo].is_punct or doc[lo].lower_ in ("a", "an", "the")):
        lo += 1
    if lo > hi:
        return None
    text = doc[lo:hi + 1].text
    return text if 0 < len(text) <= 80 and "\n" not in text else None


def _role(t: Token) -> str:
    if t.dep_ == "appos":  # "the opposition leader, Maria Sousa, arrived": the head's role
        t = t.head
    if t.dep_ in ("nsubj", "nsubjpass"):
        return "subject"
    if t.dep_ == "poss":
        return "possessive"
    if t.dep_ == "compound":
        return "modifier"
    if t.dep_ in ("dobj", "pobj", "iobj", "dative", "agent"):
        return "object"
    return "other"


# -- pronouns ---------------------------------------------------------------------------

def _vote(e: _Ent, kind: str) -> None:
    """One piece of the article's evidence of e's gender (an honorific, a pronoun)."""
    e.gender_votes.append(kind)
    e.votes[kind] = e.votes.get(kind, 0) + 1


def _agree(e: _Ent) -> str | None:
    """The gender agreement assumes: what the name or title says, else what the pronouns
    already resolved to them say, two to one at least (one stray "her" does not decide)."""
    if e.gender:
        return e.gender
    f, m = e.votes["f"], e.votes["m"]
    if f >= 1 and f >= 2 * m:
        return "f"
    if m >= 1 and m >= 2 * f:
        return "m"
    return None


def _pronoun(book: _Book, t: Token, kind: str) -> _Ent | _Unnamed | None:
    """The antecedent of a third-person pronoun, or None where none fits: the candidate
    the learned ranker (lexicons/antecedents.json, trained on GUM by sayso.learn.antecedents)
    scores highest; ``rank_features`` says what it weighs."""
    trace = book.ctx.meta.get("antecedent_trace")
    # while the ranker learns, the hand-set scores decide, so training never depends on
    # the weights already shipped
    weights = antecedent_weights() if trace is None else None
    if weights is None and trace is None:
        return _pronoun_by_hand(book, t, kind)
    cands = []
    for rank, e in enumerate(c for c in book.window(t.i) if _fits(c, kind) and _same_story(book, c, t.i)):
        f = rank_features(book, e, t, kind, rank)
        if f is not None:
            cands.append((e, f))
    if trace is not None:
        trace.append((t.i, cands))
    if not cands or weights is None:
        return _pronoun_by_hand(book, t, kind)
    return max(cands, key=lambda ef: sum(weights.get(k, 0.0) * v for k, v in ef[1].items()))[0]


def _same_story(book: _Book, e: _Ent | _Unnamed, i: int) -> bool:
    """In a running story's later section ("___", "5:45 p.m."), a pronoun goes back only
    to someone that section names: "He released a letter" under "Gary Johnson's doctor" is
    never the Donald Trump of the section before."""
    return _in_section(e, book.art, i)


def _fits(e: _Ent | _Unnamed, kind: str) -> bool:
    """Can a pronoun of this kind refer to e at all? "he" never a place or a company."""
    if kind in ("m", "f"):
        if not isinstance(e, _Ent) or e.type != "PERSON":
            return False
        g = _agree(e)
        return not (g and g != kind)
    if e.type == "GPE" and not any(role in ("subject", "source") for *_, role in e.log[-3:]):
        return False  # "it" is a country only where the country acts ("Russia said it …")
    if kind == "n":
        return e.type in ("ORG", "OUTLET", "GPE", "DOCUMENT")
    return e.type in ("GROUP", "ORG", "OUTLET", "GPE", "UNNAMED")


def rank_features(book: _Book, e: _Ent | _Unnamed, t: Token, kind: str, rank: int) -> dict[str, float] | None:
    """What makes e the antecedent of pronoun t: its last mention's distance and role, the
    paragraph, how often it was named, whether it spoke last, gender agreement, rank."""
    art = book.art
    last = next(((tok, s, p, w, role) for tok, s, p, w, role in reversed(e.log) if tok < t.i), None)
    if last is None:
        return None
    tok, s, p, w, role = last
    d = min(art.sent[t.i] - s, len(DISTANCE) - 1)
    quoted = art.in_quote[tok]
    f = {f"d{d}": 1.0, f"r_{role}": 1.0, f"d{min(d, 3)}_r_{role}": 1.0,
         "quoted": float(quoted), "same_para": float(p == art.para[t.i]),
         "count": math.log1p(_count_before(e, t.i)),
         "salience": book.salience(e, t.i), f"rank{min(rank, 3)}": 1.0}
    if book.last_speaker is not None and book.last_speaker[1] is e and \
            art.para[t.i] - art.para[book.last_speaker[0]] <= 1:
        f["last_speaker"] = 1.0
    if kind in ("m", "f") and isinstance(e, _Ent):
        g = _agree(e)
        if g:
            f["gender_match"] = 1.0
        elif e.name_gender:
            f["name_gender_match" if e.name_gender == kind else "name_gender_mismatch"] = 1.0
        else:
            f["gender_unknown"] = 1.0
    return f


@functools.lru_cache(maxsize=1)
def antecedent_weights() -> dict[str, float] | None:
    """The ranker's weights, or None where none ships (the hand-set scores then decide)."""
    try:
        data = cues._load("antecedents.json")
    except FileNotFoundError:
        return None
    return data.get("weights") if data.get("use", True) else None


def _pronoun_by_hand(book: _Book, t: Token, kind: str) -> _Ent | _Unnamed | None:
    persons = kind in ("m", "f")
    best, best_s = None, 0.0
    topic = book.topic_at(t.i)
    for e in book.window(t.i):
        if not _fits(e, kind) or not _same_story(book, e, t.i):
            continue
        g = _agree(e) if persons else None
        s = book.salience(e, t.i)
        if s <= 0:
            continue
        if book.last_speaker is not None and book.last_speaker[1] is e and \
                book.art.para[t.i] - book.art.para[book.last_speaker[0]] <= 1:
            s += 0.3  # the speaker of the previous statement goes on speaking
        if persons:
            if e is topic:
                s += PRONOUN_TOPIC
            if g is None and e.name_gender:
                s = s + GENDER_MATCH if e.name_gender == kind else s * NAME_GENDER_MISMATCH
            else:
                s = s + GENDER_MATCH if g == kind else s * GENDER_UNKNOWN
        if s > best_s:
            best, best_s = e, s
    return best


# -- sources ----------------------------------------------------------------------------

_BIO = re.compile(r"^[ \t]*(?:By[ \t]+)?(?P<name>[A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){1,3})"
                  r"(?:,[^\n]{0,80})?[ \t]+(?:is|was|writes|has been|served)\b", re.M)
_BYLINE = re.compile(r"^[ \t]*By[ \t]+(?P<name>[A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){1,3})[ \t]*$", re.M)


def _personal(name: str) -> bool:
    """Does a byline or bio line start with a person's name ("Charlotte Meehan"), not a
    place or an organisation ("America says", "The Associated Press is")?"""
    ws = [lexicon.fold(_clean(w)) for w in name.split()]
    return 2 <= len(ws) <= 4 and ws[0] in lexicon.first_names() and lexicon.fold(name) not in lexicon.places() \
        and not any(w in lexicon.words("org_name_words") or w in lexicon.words("outlet_name_words") for w in ws)


def _author(book: _Book) -> _Ent | None:
    """The article's author: its metadata, a byline ("By Ann Lee") or the closing bio line
    of an op-ed ("Charlotte Meehan is playwright-in-residence at …")."""
    if "author" not in book.__dict__:
        text = book.art.text
        name, at = book.ctx.meta.get("author"), None
        if not name or "," in name or ";" in name or len(name.split()) > 4:
            name = None
            paras = [m for m in re.finditer(r"[^\n]+", text)]
            last = paras[-1] if paras else None
            m = _BYLINE.search(text[:300]) or (
                _BIO.match(text, last.start()) if last is not None else None)
            if m is not None and _personal(m.group("name")):
                name, at = m.group("name"), m.span("name")
        e = None
        if name:
            ws = [_clean(w) for w in name.split()]
            e = _person(book, ws, len(book.art.doc) - 1)
            if at is not None:
                e.mentions.append(at)
                e.name_at = at
        book.author = e
    return book.author

def _source_token(doc: Doc, c: Candidate) -> int | None:
    if c.source_token is not None:
        return c.source_token
    if c.source is None:
        return None
    sp = doc.char_span(c.source[0], c.source[1], alignment_mode="expand")
    return sp.root.i if sp is not None and len(sp) else None


def _last_token(doc: Doc, end: int) -> int:
    sp = doc.char_span(max(0, end - 1), end, alignment_mode="expand")
    return sp[-1].i if sp is not None and len(sp) else 0


def _resolve_source(book: _Book, c: Candidate) -> None:
    doc, ctx = book.art.doc, book.ctx
    tok = doc[c.source_token]
    lo, hi = (_first_token(doc, c.source[0]), _last_token(doc, c.source[1])) if c.source else (tok.i, tok.i)
    if tok.tag_ in ("NN", "NNS") and tok.dep_ != "ROOT":
        # what the phrase goes on to say: "a freshman named Hailey Puckett" (not a whole
        # headline after "Politifact:")
        hi = max(hi, min(tok.right_edge.i, tok.i + 12))
    e, how, through = _source_entity(book, tok, lo, hi)
    if isinstance(e, _Unnamed) or e is None:
        if e is None:
            e = _Unnamed(id=f"u{c.source_token}", type="UNNAMED")
        book.mention(e, tok.i, tok.i, "source", record=False)
        book.last_speaker = (tok.i, e)
        c.entity, c.resolution = None, ("unnamed", None)
        return
    speaker = e.producer if e.type == "DOCUMENT" and e.producer is not None else e
    if e.type == "DOCUMENT" and e.producer is None:
        c.entity, c.resolution = None, ("unnamed", None)
        book.mention(e, tok.i, tok.i, "source", record=False)
        return
    if ctx.token_entity.get(tok.i) != speaker.id:
        book.mention(speaker, tok.i, tok.i, "source")
        if how != "pronoun" and c.source:
            speaker.mentions[-1] = c.source  # the whole phrase: "the Vestrian health ministry"
    else:
        book.mention(speaker, tok.i, tok.i, "source", record=False)
    book.last_speaker = (tok.i, speaker)
    c.entity = speaker.id
    if through is None and how != "name":
        through = speaker.name_at
    c.resolution = (how, through if how != "name" else None)


def _first_token(doc: Doc, start: int) -> int:
    sp = doc.char_span(start, start + 1, alignment_mode="expand")
    return sp[0].i if sp is not None and len(sp) else 0


def _source_entity(book: _Book, tok: Token, lo: int, hi: int):
    """(entity, how, through) for the source phrase doc[lo:hi+1] headed by tok."""
    ctx, doc = book.ctx, book.art.doc
    ents = book.by_id
    low = tok.lower_
    kind = cues.hand()["pronouns"].get(low)
    if tok.dep_ == "poss" and tok.head.tag_ == "NN" and _key(tok.head.text) in lexicon.words("person_nouns"):
        # a source cut to its possessor ("McCrory's" of "Roy Cooper, McCrory's opponent"):
        # the speaker is the one the phrase names, not the possessor
        tok = tok.head
        if tok.dep_ == "appos" and tok.head.i in ctx.token_entity and ents[ctx.token_entity[tok.head.i]].type == "PERSON":
            e = ents[ctx.token_entity[tok.head.i]]
            return e, "name", None
        lo, hi = min(lo, tok.left_edge.i), max(hi, tok.i)
    if lo in book.headline_subject and lo in ctx.token_entity:
        # a headline's "Elizabeth Warren Hammers Wells Fargo CEO" (parsed as one noun phrase)
        return ents[ctx.token_entity[lo]], "name", None
    together = _together(book, tok)
    if together is not None:  # "Mr. Obama and Hillary Clinton", "critics like Senators A and B"
        return together, "name", None
    # a name: the head itself, or a person named in apposition / "named X" inside the phrase
    if tok.i in ctx.token_entity and tok.tag_ not in ("PRP", "PRP$"):
        e = ents[ctx.token_entity[tok.i]]
        for c in tok.children:
            if c.dep_ == "appos" and c.tag_ in ("NN", "NNS") and isinstance(e, _Ent):
                _describe(e, _descriptor_text(doc, c) or "", c.text)
        return e, "name", None
    if tok.tag_ in ("WP", "WDT") and tok.head.dep_ in ("relcl", "acl") and tok.head.head is not tok.head:
        # "a campaign surrogate who said …": the relative pronoun stands for its noun
        noun = tok.head.head
        if noun.dep_ == "appos" and noun.head.i in ctx.token_entity and noun.i not in ctx.token_entity:
            noun = noun.head  # "Marc Morial, the chief executive of …, who said"
        if noun.i in ctx.token_entity:
            e = ents[ctx.token_entity[noun.i]]
            return e, "pronoun", e.name_at
        return _source_entity(book, noun, noun.left_edge.i, noun.i)
    if tok.tag_ in ("PRP", "PRP$") and kind:
        if kind == "1" and not book.art.in_quote[tok.i]:
            # "I" in the article's own voice is its author (an op-ed, a first-person piece)
            e = _author(book)
            return (e, "pronoun", e.name_at) if e is not None else (None, "unnamed", None)
        if kind in ("1", "1p", "2"):
            return None, "unnamed", None
        if tok.i in ctx.token_entity:
            e = ents[ctx.token_entity[tok.i]]
            return e, "pronoun", e.name_at
        e = _pronoun(book, tok, kind)
        if isinstance(e, _Ent):
            if kind in ("m", "f"):
                _vote(e, kind)
            return e, "pronoun", e.name_at
        return e, "pronoun", None
    appos = [a for a in tok.children if a.dep_ == "appos" and a.i in ctx.token_entity]
    if appos and ents[ctx.token_entity[appos[0].i]].type == "PERSON":
        e = ents[ctx.token_entity[appos[0].i]]
        _describe(e, _descriptor_text(doc, tok) or "", tok.text)
        return e, "name", None
    inside = [ents[ctx.token_entity[i]] for i in range(lo, hi + 1) if i in ctx.token_entity
              and doc[i].tag_ not in ("PRP", "PRP$")]
    people = [e for e in inside if e.type == "PERSON" and _named_in(ctx, tok, e, lo, hi)]
    if people:
        return people[-1], "name", None
    head = _head_word(tok)
    if book.art.para[tok.i] < book.art.lede and _key(tok.text) in lexicon.words("person_nouns"):
        return None, "unnamed", None  # a headline's "Lawmaker urges …": see _identified_later
    if head in lexicon.words("document_nouns"):
        d = _document(book, tok)
        if d is not None:
            how = "name" if d.producer is not None and any(x is d.producer for x in inside) else "descriptor"
            return d, how, d.producer.name_at if d.producer is not None else None
    if head == "family":
        owner = [e for e in inside if e.type == "PERSON"]
        if owner and any(c.dep_ in ("poss", "compound") for c in tok.lefts):
            # "Scott's family", "the Scott family": a group of its own, named for them
            name = f"{owner[-1].name.split()[-1]} family"
            return book.keyed(lexicon.fold(name), name, "GROUP"), "descriptor", owner[-1].name_at
    if head in lexicon.words("campaign_heads"):
        owner = _owner(book, tok, inside)
        if owner is None and any(c.lower_ in _DEFINITE for c in tok.lefts):
            # "the campaign": the campaign named last ("Donald Trump's campaign … The campaign
            # says"), else that of the candidate the passage is about
            k, named = next(((k, o) for k, o in reversed(book.campaign_at) if k < tok.i), (0, None))
            if named is not None and book.art.sent[tok.i] - book.art.sent[k] <= WINDOW_SENTENCES:
                return _campaign(book, named, tok), "descriptor", named.name_at
            owner = max((e for e in book.window(tok.i) if isinstance(e, _Ent) and e.type == "PERSON"),
                        key=lambda e: book.salience(e, tok.i), default=None)
            if owner is not None and book.salience(owner, tok.i) < DOCUMENT_FALLBACK:
                owner = None
        if owner is not None:
            return _campaign(book, owner, tok), "descriptor", owner.name_at
    definite = any(c.lower_ in _DEFINITE or (c.dep_ == "poss") for c in tok.lefts) or (
        tok.text[:1].isupper() and _key(tok.text) in lexicon.words("person_nouns"))  # "Judge", "Lawmaker"
    if head in lexicon.words("org_nouns") | lexicon.words("outlet_nouns") and tok.text.islower() and any(
            (c.dep_ in ("compound", "amod", "nmod") and c.text[:1].isupper() and not c.is_sent_start) or
            (c.dep_ == "poss" and c.tag_ != "PRP$" and c.i in ctx.token_entity)  # "Russia's foreign ministry"
            for c in tok.lefts):
        # "the Norland defense ministry", "the Russian foreign ministry": an organisation the
        # phrase itself names
        desc = _descriptor_text(doc, tok)
        if desc and _key(desc.split()[0]) in lexicon.words("person_nouns") | lexicon.words("group_nouns"):
            return None, "unnamed", None  # a headline's "Member of House panel": someone on it
        if desc:
            e = book.keyed(lexicon.fold(desc), desc, "OUTLET" if head in lexicon.words("outlet_nouns")
                           and head not in lexicon.words("org_nouns") else "ORG")
            return e, "name", None
    # a place inside a phrase says where ("New York's chief medical examiner", "U.S.
    # consumers"), not who, unless the place is the phrase's head ("Beijing said")
    orgs = [e for e in inside if e.type in ("ORG", "OUTLET", "GROUP") or
            (e.type == "GPE" and (ctx.token_entity.get(tok.i) == e.id or head in _PLACE_HEADS))]
    if orgs and head not in lexicon.words("person_nouns") | lexicon.words("group_nouns"):
        return orgs[-1], "name", None
    if tok.tag_ in ("NNP", "NNPS") and tok.text[:1].isupper() and inside and \
            _key(tok.text) not in lexicon.words("person_nouns"):
        return inside[-1], "name", None
    if tok.tag_ == "NNPS" or (tok.tag_ == "NNP" and not inside):
        key = lexicon.fold(_clean(tok.text))
        if key in lexicon.words("group_names"):
            return book.keyed(key, _clean(tok.text), "GROUP"), "name", None
    if head == "police" and not definite:
        # "police said" after "the Charlotte-Mecklenburg police": the force the article named
        e = _named_org(book, tok, head) or _police_force(book, tok)
        if e is not None:
            return e, "descriptor", e.name_at
    if not definite and tok.tag_ == "NN" and head in lexicon.words("person_nouns"):
        # "A former DNC chairman said …" before "Don Fowler, a former DNC chairman,": the one
        # person the article describes with that noun and at least one more of those words
        mods = {_key(t.text) for t in doc[tok.left_edge.i:tok.i] if t.is_alpha} - {"a", "an"}
        later = {n for n in book.titled.get(_key(head), ()) if mods & book.title_words.get(n, set())}
        if len(later) == 1:
            e = _person(book, next(iter(later)).split(), tok.i)
            return e, "descriptor", e.name_at
    if definite and tok.tag_ == "NNS" and _key(head) in lexicon.words("person_nouns"):
        # "the senators" after "Senators A and B": the people named together last
        e = max((g for g in book.window(tok.i) if isinstance(g, _Ent) and g.members),
                key=lambda g: book.salience(g, tok.i), default=None)
        if e is not None and book.salience(e, tok.i) >= DESCRIPTOR_FALLBACK:
            return e, "descriptor", e.name_at
    if not definite or tok.tag_ == "NNS":
        return None, "unnamed", None
    e = _descriptor(book, tok, head, lo)
    return (e, "descriptor", e.name_at) if e is not None else (None, "unnamed", None)


_INCLUDING = frozenset({"like", "including", "such"})


def _together(book: _Book, tok: Token) -> _Ent | None:
    """People the source names together ("Mr. Obama and Hillary Clinton", "critics like
    Senators Grassley and Leahy") as one group speaker "A & B"; an organisation a group
    source includes or works at ("proponents, including the Conference of Mayors",
    "officials at Homeland Security Investigations")."""
    ctx, ents = book.ctx, book.by_id
    roots = []
    if tok.i in ctx.token_entity and tok.tag_ not in ("PRP", "PRP$"):
        roots = [tok]
    elif tok.tag_ == "NNS" and (_key(tok.text) in lexicon.words("person_nouns") or
                                tok.lower_ in lexicon.words("group_nouns")):
        roots = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in _INCLUDING | {"at"}
                 for g in c.children if g.dep_ == "pobj"]
    if not roots:
        return None
    found: list[_Ent] = []
    for r in roots:
        for t in [r, *r.conjuncts]:
            eid = ctx.token_entity.get(t.i)
            e = ents.get(eid) if eid else None
            if e is not None and e not in found:
                found.append(e)
    people = [e for e in found if e.type == "PERSON"]
    if len(people) >= 2 and len(people) == len(found):
        g = book.keyed("group:" + ",".join(sorted(e.id for e in people)),
                       " & ".join(e.name for e in people), "GROUP")
        g.members = g.members or people
        g.name_at = g.name_at or people[0].name_at
        return g
    if tok.i not in ctx.token_entity and len(found) == 1:
        e = found[0]
        if e.type == "OTHER" and roots[0].head.lower_ == "at":
            e.type = "ORG"  # where officials work is an organisation, whatever its name says
        if e.type in ("ORG", "OUTLET"):
            return e  # found through "including"/"like"/"at" (the root is not a name)
    return None


def _named_in(ctx: Context, head: Token, e: _Ent, lo: int, hi: int) -> bool:
    """Is person e the one the phrase names ("reporter Ed Henry", "an attorney for X, Y",
    "a freshman named Hailey Puckett") rather than someone it mentions ("a Clinton aide")?"""
    for t in ctx.doc[lo:hi + 1]:
        if ctx.token_entity.get(t.i) != e.id:
            continue
        if t.dep_ == "appos" or (t.head.lower_ in ("named", "called") and t.head.head == head):
            return True
        if t.dep_ in ("compound", "poss") and t.head == head:
            return False
        if t.i == head.i or (t.i == head.i + 1 and t.tag_ in ("NNP", "NNPS")):
            return True  # "reporter Ed Henry", "journalist Dainis Ivans"
    # named some other way ("public ― Trump"), unless the phrase is about someone else:
    # "an attorney for Pagliano" is not Pagliano
    return head.lower_ not in lexicon.words("person_nouns") | lexicon.words("group_nouns") | \
        lexicon.words("document_nouns") | lexicon.words("org_nouns")


def _head_word(tok: Token) -> str:
    w = tok.lower_
    return _SYNONYMS.get(w, w)


def _owner(book: _Book, tok: Token, inside) -> _Ent | None:
    """Whose campaign: "the Trump team", "Clinton's campaign", "her campaign"."""
    people = [e for e in inside if e.type == "PERSON"]
    if people:
        return people[-1]
    for c in tok.lefts:
        if c.dep_ == "poss" and c.tag_ == "PRP$":
            kind = cues.hand()["pronouns"].get(c.lower_)
            if kind in ("m", "f"):
                e = _pronoun(book, c, kind)
                return e if isinstance(e, _Ent) else None
    return None


def _campaign(book: _Book, owner: _Ent, tok: Token) -> _Ent:
    return book.keyed(f"campaign:{owner.id}", f"{owner.name.split()[-1]} campaign", "ORG")


def _document(book: _Book, tok: Token) -> _Ent | None:
    """A poll, a report, a filing: the producer named in or around it, or the last of its kind."""
    ctx = book.ctx
    head = tok.lower_.rstrip("s") if tok.lower_ not in ("data", "news", "analysis") else tok.lower_
    producer = None
    for c in list(tok.lefts) + list(tok.rights):
        cand = None
        if c.dep_ == "poss" and c.tag_ == "PRP$" and c.i not in ctx.token_entity:
            # "her account", "its own website": whoever the pronoun is
            kind = cues.hand()["pronouns"].get(c.lower_)
            p = _pronoun(book, c, kind) if kind in ("m", "f", "n", "p") else None
            if isinstance(p, _Ent):
                producer = p
                break
        if c.dep_ in ("compound", "poss", "nmod") and c.i in ctx.token_entity:
            cand = c
        elif c.dep_ == "prep" and c.lower_ in lexicon.words("producer_preps"):
            cand = next((g for g in c.children if g.dep_ == "pobj"), None)
        elif c.dep_ == "acl":  # "the documents released by WikiLeaks"
            agent = next((g for g in c.children if g.dep_ == "agent"), None)
            cand = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
        elif c.dep_ == "relcl" and c.lower_ in _PUBLISH | {"delivered", "gave", "made", "wrote"}:
            # "a speech Mrs. Clinton delivered at New York University"
            cand = next((g for g in c.children if g.dep_ == "nsubj"), None)
        if cand is not None and cand.i in ctx.token_entity:
            p = book.by_id[ctx.token_entity[cand.i]]
            if p.type in ("ORG", "OUTLET", "PERSON", "GPE", "GROUP", "OTHER"):
                if p.type == "OTHER":  # whoever releases documents is an organisation
                    p.type = "ORG"
                producer = p
                break
    if producer is None and tok.dep_ in ("dobj", "nsubjpass") and tok.head.lower_ in _PUBLISH:
        # "Amnesty released a report", "the poll, conducted by Quinnipiac"
        agent = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        if agent is None:
            by = next((c for c in tok.head.children if c.dep_ == "agent"), None)
            agent = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
        if agent is not None and agent.i in ctx.token_entity:
            producer = book.by_id[ctx.token_entity[agent.i]]
    if producer is None:
        if not any(c.lower_ in _DEFINITE for c in tok.lefts):
            # "A new poll" with no producer: only a later "the poll" may find one
            return None
        for e in reversed(book.latest()):
            if isinstance(e, _Ent) and e.type == "DOCUMENT" and e.name == head and e.producer is not None:
                return e
        # "The article said": the outlet or organisation the passage is about wrote it
        best, best_s = None, DOCUMENT_FALLBACK
        for e in book.window(tok.i):
            if isinstance(e, _Ent) and e.type in ("OUTLET", "ORG"):
                sal = book.salience(e, tok.i)
                if sal > best_s:
                    best, best_s = e, sal
        if best is None and head in _PRESS:
            # "The piece said" in an article about one outlet's story: that outlet
            outlets = {e.id: e for e in book.latest() if e.type == "OUTLET" and e.log and e.log[0][0] < tok.i}
            if len(outlets) == 1:
                best = next(iter(outlets.values()))
        return best
    d = book.keyed(f"doc:{head}:{producer.id}", head, "DOCUMENT")
    d.producer = d.producer or producer
    book.mention(d, tok.i, tok.i, _role(tok), record=False)
    return d


#: family relations and the gender they give (None: either)
_KIN = {"wife": "f", "ex-wife": "f", "husband": "m", "ex-husband": "m", "widow": "f", "widower": "m",
        "son": "m", "daughter": "f", "father": "m", "mother": "f", "brother": "m", "sister": "f",
        "stepson": "m", "stepdaughter": "f", "grandson": "m", "granddaughter": "f", "spouse": None,
        "child": None, "sibling": None}


def _relative(book: _Book, tok: Token, head: str, kin: str | None) -> _Ent | None:
    """"His ex-wife" after "Donald and Ivana Trump": the person of the owner's surname the
    relation's gender allows, the most salient where several; None where the article names
    no such relative (a wife may keep her own name)."""
    owner = None
    for c in tok.lefts:
        if c.dep_ != "poss":
            continue
        if c.i in book.ctx.token_entity:
            owner = book.by_id.get(book.ctx.token_entity[c.i])
        elif c.tag_ == "PRP$" and cues.hand()["pronouns"].get(c.lower_) in ("m", "f"):
            e = _pronoun(book, c, cues.hand()["pronouns"][c.lower_])
            owner = e if isinstance(e, _Ent) else None
    fits = [e for e in book.latest() if isinstance(e, _Ent) and e is not owner and e.type == "PERSON"
            and (kin is None or (_agree(e) or e.name_gender) in (None, kin))]
    family = [e for e in fits if owner is not None and owner.type == "PERSON" and owner.surname
              and e.surname == owner.surname and e.first]
    # else the one the article called so ("Trump's divorce from wife Ivana")
    family = family or [e for e in fits if head in e.heads or head.removeprefix("ex-") in e.heads]
    return max(family, key=lambda e: book.salience(e, tok.i)) if family else None


def _descriptor(book: _Book, tok: Token, head: str, lo: int) -> _Ent | None:
    """A definite descriptor ("the Vermont senator", "the newspaper", "the ministry")."""
    doc = book.art.doc
    mods = {_key(t.text) for t in doc[tok.left_edge.i:tok.i]
            if t.is_alpha and t.lower_ not in _DEFINITE and t.tag_ != "PRP$"}
    # "Pagliano's lawyer", "Obama's former strategist": not the possessor
    owner = {book.ctx.token_entity.get(c.i) for c in tok.lefts if c.dep_ == "poss"}
    head = _key(head)
    if head == "ex" and tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-":
        head = "ex-" + _key(doc[tok.i + 2].text)  # "His ex-wife", parsed as "ex" "-" "wife"
    kin = _KIN.get(head, "")
    if kin != "":
        relative = _relative(book, tok, head, kin)
        if relative is not None:
            return relative
    if head in lexicon.words("person_nouns") or head in lexicon.words("female_nouns"):
        want = "f" if head in lexicon.words("female_nouns") else "m" if head in lexicon.words("male_nouns") else None
        best, best_s, best_rank, matched = None, 0.0, 0.0, False
        topic = book.topic_at(tok.i)
        # "the United Nations High Commissioner": someone of that organisation, never a
        # salient person the article gives another office
        ctx = book.ctx
        bodies = [set(lexicon.fold(book.by_id[ctx.token_entity[t.i]].name).split())
                  for t in doc[tok.left_edge.i:tok.i] if t.i in ctx.token_entity and
                  book.by_id[ctx.token_entity[t.i]].type in ("ORG", "OUTLET")]
        for e in book.latest():
            if not isinstance(e, _Ent) or e.type != "PERSON" or (want and (_agree(e) or e.name_gender) not in (None, want)) \
                    or e.id in owner:
                continue
            if bodies and head not in e.heads and head not in _TRAITS and e.desc_words and \
                    not any(b & e.desc_words for b in bodies):
                continue  # someone the article ties to another office ("Secretary of State")
            sal = book.salience(e, tok.i) + (TOPIC if e is topic else 0.0)
            party = mods & _PARTIES
            if party and e.desc_words & _PARTIES and not party & e.desc_words:
                continue  # "the Democratic nominee" is not the Republican one
            if party and party <= e.desc_words:
                sal += 0.5
            if head in e.heads:  # the article called them that: "Republican nominee Donald Trump"
                s = 1.0 + sal + 0.6 * len(mods & e.desc_words) - 0.5 * len(mods & _PARTIES - e.desc_words)
            else:  # else the person the passage is about, less so where the words disagree
                # or the article gives them another role ("the nominee" is not the judge)
                s = sal * (0.7 if mods and not mods & e.desc_words else 1.0)
            # ranks lower, but is not less salient, where the article gives other roles
            rank = s * (ROLE_MISMATCH if e.heads and head not in e.heads else 1.0)
            if rank > best_rank:
                best, best_s, best_rank, matched = e, s, rank, head in e.heads
        later = set(book.titled.get(head, ()))
        if not matched and len(later) == 1:
            # "The judge said …" before "Judge Frank Nervo" is named: the one person titled so
            e = _person(book, next(iter(later)).split(), tok.i)
            e.heads.add(head)
            return e
        if best is not None and owner and not matched and best_s < POSSESSED_FALLBACK:
            return None  # "Gary Johnson's doctor": someone else, unless the passage is about them
        if best is not None and (matched or best_s >= DESCRIPTOR_FALLBACK):
            _describe(best, _descriptor_text(doc, tok) or "", tok.text, evidence=False)
            return best
        return None
    outlet = head in lexicon.words("outlet_nouns")
    org = head in lexicon.words("org_nouns")
    if not (outlet or org):
        return None
    for c in tok.lefts:
        if c.dep_ == "poss" and c.tag_ == "NN" and _key(c.text) in lexicon.words("person_nouns"):
            # "the governor's office": the governor's (a person the article calls so), never
            # the organisation last named
            e = _descriptor(book, c, _head_word(c), lo)
            return e if e is not None and _key(c.text) in e.heads else None
    named = _named_org(book, tok, head)
    if named is not None:
        return named
    places = head in _PLACE_HEADS
    kinds = _ORG_KINDS.get(head)
    best, best_s = None, 0.0
    # "the union" may be far from "the United Mine Workers of America": any of its kind
    for e in (book.latest() if kinds else book.window(tok.i)):
        if not isinstance(e, _Ent):
            continue
        if kinds and not kinds & set(lexicon.fold(e.name).replace("-", " ").split()):
            continue  # "the union" is no Department of Environmental Protection
        if outlet and e.type != "OUTLET" and not (org and e.type == "ORG"):
            continue
        if not outlet and e.type not in ("ORG", "OUTLET") and not (places and e.type == "GPE"):
            continue
        if places and e.type == "OUTLET":
            continue  # "the government" is never the news agency that reported on it
        s = book.salience(e, tok.i) + (1e-6 * e.log[-1][0] if kinds and e.log else 0.0)
        if s > best_s:
            best, best_s = e, s
    return best


def _documents_named_later(book: _Book, due: dict[int, list[Candidate]]) -> None:
    """A headline's "Poll:" before "A Bloomberg poll shows": the producer named later."""
    ctx, doc = book.ctx, book.art.doc
    docs = {}
    for e in ctx.entities:
        if isinstance(e, _Ent) and e.type == "DOCUMENT" and e.producer is not None:
            docs.setdefault(e.name, e)
    if not docs:
        return
    for cs in due.values():
        for c in cs:
            if c.entity is None and c.resolution == ("unnamed", None) and c.source_token is not None:
                tok = doc[c.source_token]
                head = tok.lower_.rstrip("s") if tok.lower_ not in ("data", "news", "analysis") else tok.lower_
                d = docs.get(head)
                if d is not None and tok.tag_ in ("NN", "NNS", "NNP") and not any(
                        x.lower_ in ("a", "an", "another", "one") for x in tok.lefts):
                    c.entity, c.resolution = d.producer.id, ("descriptor", d.producer.name_at)


def _kind_named_next(book: _Book, tok: Token, kinds: frozenset[str]) -> _Ent | None:
    """The first organisation of a kind ("union": a name with Association, Workers …) named
    after tok within two paragraphs of the lede that has the phrase's own noun ("union") or
    shares a word with it ("flight attendants"): "The university" is not the Graduate
    School of Journalism named next."""
    art = book.art
    doc = art.doc
    near = doc[tok.left_edge.i:min(len(doc), tok.i + 5)]  # "A union representing flight attendants"
    words = {lexicon.fold(t.text) for t in near if t.is_alpha and art.sent[t.i] == art.sent[tok.i]} - \
        {lexicon.fold(tok.text), "a", "an", "the", "of", "for", "and"}
    found = []
    for e in book.ctx.entities:
        if not isinstance(e, _Ent) or e.type != "ORG" or not e.log:
            continue
        name = set(lexicon.fold(e.name).replace("-", " ").split())
        first = min(k for k, *_ in e.log)
        if kinds & name and (words & name or lexicon.fold(tok.text) in name) and first > tok.i and \
                art.para[first] <= art.lede + 2:
            found.append((first, e))
    return min(found, key=lambda f: f[0])[1] if found else None


def _identified_later(book: _Book, due: dict[int, list[Candidate]]) -> None:
    """News names its protagonist late: a headline's "Lawmaker urges …" or "Former White
    House doctor says" is the person the article then quotes most; a lede's "A former
    DNC chairman says …" is the person quoted next ("…," said Don Fowler)."""
    ctx, doc, art = book.ctx, book.art.doc, book.art
    lede = art.lede
    cands = sorted((c for cs in due.values() for c in cs), key=lambda c: c.source_token)
    credits: dict[str, int] = {}
    for c in cands:
        if c.entity:
            credits[c.entity] = credits.get(c.entity, 0) + 1
    people = [e for e in ctx.entities if isinstance(e, _Ent) and e.type == "PERSON" and e.id in credits]
    for c in cands:
        if c.entity is not None or c.resolution != ("unnamed", None):
            continue
        tok = doc[c.source_token]
        word = lexicon.fold(_clean(tok.text))
        if tok.text[:1].isupper() and not tok.is_lower and (word in book.by_key or word in book.by_surname):
            # a headline's "Politifact:" (tagged a noun) is the Politifact of the text
            named = book.by_key.get(word) or max(book.by_surname[word], key=lambda e: len(e.log))
            if named.type not in ("DOCUMENT", "GPE") and named.log:
                c.entity, c.resolution = named.id, ("name", None)
                named.mentions.append(c.source)
                continue
        head = _key(tok.text)
        p = art.para[tok.i]
        if head in _ORG_KINDS and p <= art.lede + 1:
            # a headline's "Flight attendants' union", a lede's "A union representing flight
            # attendants": the organisation of that kind the article names next
            org = _kind_named_next(book, tok, _ORG_KINDS[head])
            if org is not None:
                c.entity, c.resolution = org.id, ("descriptor", org.name_at)
                org.mentions.append(c.source)
            continue
        if tok.tag_ not in ("NN", "NNP") or not (head in lexicon.words("person_nouns") or
                                                 head in lexicon.words("female_nouns")) or p > lede:
            continue
        if p < lede:  # the headline or its deck: the article's most quoted person
            def rank(e: _Ent) -> tuple[bool, int]:
                return head in e.heads, credits[e.id]
            ranked = sorted((e for e in people if _may_be(e, head)), key=rank, reverse=True)
            if not ranked or credits[ranked[0].id] < 2 or (len(ranked) > 1 and rank(ranked[0]) == rank(ranked[1])):
                continue  # nobody quoted enough, or two alike
            e = ranked[0]
        else:  # the lede's indefinite "A former chairman": the next person quoted, soon after
            if not any(x.lower_ in ("a", "an") for x in tok.lefts):
                continue
            e = next((book.by_id[x.entity] for x in cands if x.source_token > tok.i and x.entity and
                      art.para[x.source_token] <= lede + 2 and book.by_id[x.entity].type == "PERSON"), None)
            if e is None or not _may_be(e, head):
                continue
        c.entity, c.resolution = e.id, ("descriptor", e.name_at)
        e.mentions.append(c.source)


def _may_be(e: _Ent, head: str) -> bool:
    """Can a person the article gives these roles be called by this noun? "lawmaker" is a
    senator or a representative; a "doctor" is not a senator; anyone is an "official"."""
    if not e.heads or head in e.heads or head in _ANYONE:
        return True
    return bool(_KINDS.get(head, frozenset()) & e.heads)


_FORCE = re.compile(r"\b((?:[A-Z][\w.'’]*-)*[A-Z][\w.'’]*(?:[ -][A-Z][\w.'’]*)*) police\b")


def _police_force(book: _Book, tok: Token) -> _Ent | None:
    """"Police said" and "a Charlotte-Mecklenburg police officer": the force the article
    names so (the last one before, else the one it names later), an organisation of its own."""
    if "forces" not in book.__dict__:
        book.forces = [m for m in _FORCE.finditer(book.art.text)
                       if lexicon.fold(m.group(1)).split()[0] not in lexicon.words("not_names")]
    before = [m for m in book.forces if m.start() < tok.idx]
    last = before[-1] if before else next(iter(book.forces), None)
    if last is None:
        return None
    name = f"{last.group(1)} police"
    e = book.keyed(lexicon.fold(name), name, "ORG")
    e.name_at = e.name_at or last.span()
    return e


def _named_org(book: _Book, tok: Token, head: str) -> _Ent | None:
    """"the fund" after "the International Monetary Fund", however far back."""
    named = [e for e in book.latest() if isinstance(e, _Ent) and e.type in ("ORG", "OUTLET")
             and e.log and e.log[0][0] < tok.i and head in lexicon.fold(e.name).replace("-", " ").split()]
    return max(named, key=lambda e: (book.salience(e, tok.i), e.log[-1][0])) if named else None


def _renumber(ctx: Context) -> None:
    """Entities numbered e1, e2… in order of first mention, stable across runs."""
    ents = sorted(ctx.entities, key=lambda e: min(m[0] for m in e.mentions))
    mapping = {e.id: f"e{i}" for i, e in enumerate(ents, 1)}
    for e in ents:
        e.id = mapping[e.id]
    ctx.entities = ents
    for c in ctx.candidates:
        if c.entity:
            c.entity = mapping.get(c.entity)
    ctx.token_entity = {k: mapping[v] for k, v in ctx.token_entity.items() if v in mapping}
