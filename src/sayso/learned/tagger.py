"""The encoder tagger: one MiniLM pass over a window, then two small heads.

- cue head: per token, B/I/O for "cue" (the token's first word piece);
- role head: per (cue, token) pair, O / source / content, from a small MLP over the sum
  of the cue's vector (the mean of its tokens'), the token's, and learned vectors for
  how far the token is from the cue (tokens, sentences) and what the rule stages said
  of the pair (the token is in a rule candidate's content or source for this cue). A
  biaffine score in their place learned the roles far more slowly (dev: no content at
  all after one epoch on 200 articles).

One pass reads every cue's roles: the window is encoded once, and each cue costs a
(tokens x 128) product, not another pass. The rule stages' marks (cue, source, content
of each kind) are added to the input embeddings of the pieces they cover.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from sayso.learned.bert import Bert, BertConfig, init_normal

CUE_LABELS = ("O", "B", "I")
ROLE_LABELS = ("O", "S", "C")
#: the rule stages' token marks the encoder sees (``features.DocView.rmarks`` values)
RULE_MARKS = ("cue", "S", "C:direct", "C:mixed", "C:indirect", "C:according_to", "C:reported")
#: distance buckets (signed, in tokens) and sentence offsets (-2..2, other paragraph)
N_DIST, N_SENT = 17, 6
#: what the rules said of a (cue, token) pair: nothing, content, source
N_PAIR_RULE = 3


def dist_bucket(d: int) -> int:
    a = abs(d)
    b = 0 if a == 0 else 1 if a == 1 else 2 if a == 2 else 3 if a <= 4 else 4 if a <= 8 else \
        5 if a <= 16 else 6 if a <= 32 else 7 if a <= 64 else 8
    return 8 + b if d > 0 else 8 - b


class Tagger(nn.Module):
    def __init__(self, config: BertConfig, role_dim: int = 128):
        super().__init__()
        h = config.hidden_size
        self.config = config
        self.role_dim = role_dim
        self.bert = Bert(config)
        self.rule_proj = nn.Linear(len(RULE_MARKS), h, bias=False)
        self.cue_out = nn.Linear(h, len(CUE_LABELS))
        self.role_cue = nn.Linear(h, role_dim)
        self.role_tok = nn.Linear(h, role_dim, bias=False)
        self.dist = nn.Embedding(N_DIST, role_dim)
        self.sent = nn.Embedding(N_SENT, role_dim)
        self.pair_rule = nn.Embedding(N_PAIR_RULE, role_dim)
        self.role_out = nn.Linear(role_dim, len(ROLE_LABELS))
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        for m in (self.rule_proj, self.cue_out, self.role_cue, self.role_tok, self.dist,
                  self.sent, self.pair_rule, self.role_out):
            init_normal(m)

    def tokens(self, ids: torch.Tensor, attention: torch.Tensor, marks: torch.Tensor,
               first: torch.Tensor) -> torch.Tensor:
        """Token vectors (batch, tokens, hidden): each token's first piece, after the encoder.

        ``marks``: (batch, pieces, len(RULE_MARKS)) 0/1; ``first``: (batch, tokens) piece
        positions (padding: 0)."""
        extra = self.rule_proj(marks.to(self.rule_proj.weight.dtype))
        x = self.bert(ids, attention, extra)
        idx = first[:, :, None].expand(-1, -1, x.shape[-1])
        return self.dropout(torch.gather(x, 1, idx))

    def cue_logits(self, tok: torch.Tensor) -> torch.Tensor:
        return self.cue_out(tok)

    def role_logits(self, tok: torch.Tensor, cues: list[list[int]], dist: torch.Tensor,
                    sent: torch.Tensor, pair: torch.Tensor) -> torch.Tensor:
        """(cues, tokens, 3) logits for one window: ``tok`` (tokens, hidden), ``cues`` token
        positions per cue, ``dist``/``sent``/``pair`` (cues, tokens) bucket ids."""
        n = tok.shape[0]
        sel = torch.zeros(len(cues), n, dtype=tok.dtype, device=tok.device)
        for k, c in enumerate(cues):
            sel[k, c] = 1.0 / len(c)
        u = self.role_cue(sel @ tok)                       # (cues, d)
        v = self.role_tok(tok)                             # (tokens, d)
        z = u[:, None, :] + v[None, :, :] + self.dist(dist) + self.sent(sent) + self.pair_rule(pair)
        return self.role_out(F.gelu(z))
