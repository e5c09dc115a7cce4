"""The torch network (training only): emissions from words, characters and features, plus a CRF."""

from __future__ import annotations

import torch
from torch import nn


def reverse_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse each sequence of [B, T, D] within its length, padding left in place."""
    t = torch.arange(x.shape[1], device=x.device).unsqueeze(0)
    n = lengths.unsqueeze(1)
    idx = torch.where(t < n, n - 1 - t, t)
    return x.gather(1, idx.unsqueeze(2).expand(-1, -1, x.shape[2]))


class BiLM(nn.Module):
    """Forward and backward LSTMs over word vectors, each predicting a neighbour's class."""

    def __init__(self, dim: int, hidden: int, n_classes: int):
        super().__init__()
        self.fwd = nn.LSTM(dim, hidden, batch_first=True)
        self.bwd = nn.LSTM(dim, hidden, batch_first=True)
        self.next = nn.Linear(hidden, n_classes)
        self.previous = nn.Linear(hidden, n_classes)

    def directions(self, x, lengths):
        h_f, _ = self.fwd(x)
        h_b, _ = self.bwd(reverse_padded(x, lengths))
        return h_f, reverse_padded(h_b, lengths)

    def states(self, x, lengths):
        return torch.cat(self.directions(x, lengths), dim=2)

    def loss(self, x, lengths, classes):
        """Mean cross-entropy of both directions; ``classes`` is -100 on padding."""
        h_f, h_b = self.directions(x, lengths)
        after = classes[:, 1:]
        # The backward state at t predicts t-1 only where t is a real position.
        before = classes[:, :-1].masked_fill(torch.arange(1, x.shape[1]).unsqueeze(0) >= lengths.unsqueeze(1), -100)
        f = nn.functional.cross_entropy(self.next(h_f[:, :-1]).flatten(0, 1), after.flatten(), ignore_index=-100)
        b = nn.functional.cross_entropy(self.previous(h_b[:, 1:]).flatten(0, 1), before.flatten(), ignore_index=-100)
        return (f + b) / 2


class CharLM(nn.Module):
    """Forward and backward LSTMs over a sentence's characters (``charlm``), each predicting a neighbour."""

    def __init__(self, n_chars: int, dim: int, hidden: int):
        super().__init__()
        self.embed = nn.Embedding(n_chars, dim, padding_idx=0)
        self.fwd = nn.LSTM(dim, hidden, batch_first=True)
        self.bwd = nn.LSTM(dim, hidden, batch_first=True)
        self.next = nn.Linear(hidden, n_chars)
        self.previous = nn.Linear(hidden, n_chars)

    def directions(self, text, lengths):
        x = self.embed(text)
        h_f, _ = self.fwd(x)
        h_b, _ = self.bwd(reverse_padded(x, lengths))
        return h_f, reverse_padded(h_b, lengths)

    def states(self, text, lengths, starts, ends):
        """[B, T, 2 * hidden]: at each word, the forward state at the boundary after it and the
        backward state at the boundary before it."""
        h_f, h_b = self.directions(text, lengths)
        size = h_f.shape[2]
        after = h_f.gather(1, ends.unsqueeze(2).expand(-1, -1, size))
        before = h_b.gather(1, starts.unsqueeze(2).expand(-1, -1, size))
        return torch.cat([after, before], dim=2)

    def loss(self, text, lengths):
        """Mean cross-entropy of both directions over the real positions of ``text`` [B, L]."""
        h_f, h_b = self.directions(text, lengths)
        beyond = torch.arange(text.shape[1]).unsqueeze(0) >= lengths.unsqueeze(1)
        target = text.masked_fill(beyond, -100)
        f = nn.functional.cross_entropy(self.next(h_f[:, :-1]).flatten(0, 1), target[:, 1:].flatten(), ignore_index=-100)
        # The backward state at t predicts t-1 only where t is a real position.
        before = target[:, :-1].masked_fill(beyond[:, 1:], -100)
        b = nn.functional.cross_entropy(self.previous(h_b[:, 1:]).flatten(0, 1), before.flatten(), ignore_index=-100)
        return (f + b) / 2


def add_word_inputs(module: nn.Module, vectors: torch.Tensor, n_chars: int, n_feats: int, char_dim: int,
                    char_filters: int, feat_dim: int, word_dropout: float) -> int:
    """Give ``module`` the lookups an emitter reads a word through (frozen vectors, a character CNN,
    feature embeddings) and its word dropout; returns their summed width."""
    # Share of known words hidden (as unknown) in training, so that the network also
    # learns to find names from characters, features and context alone.
    module.word_dropout = word_dropout
    module.words = nn.Embedding.from_pretrained(vectors, freeze=True, padding_idx=0)
    module.chars = nn.Embedding(n_chars, char_dim, padding_idx=0)
    module.conv = nn.Conv1d(char_dim, char_filters, kernel_size=3, padding=1)
    module.feats = nn.Embedding(n_feats, feat_dim, padding_idx=0)
    return vectors.shape[1] + char_filters + feat_dim


def hide_words(module: nn.Module, words: torch.Tensor) -> torch.Tensor:
    """``words`` with a ``module.word_dropout`` share of the known ones made unknown, in training."""
    if module.training and module.word_dropout:
        hide = (torch.rand(words.shape) < module.word_dropout) & (words > 1)
        words = torch.where(hide, torch.ones_like(words), words)
    return words


class Emitter(nn.Module):
    def __init__(self, vectors: torch.Tensor, n_chars: int, n_feats: int, n_tags: int,
                 char_dim: int = 32, char_filters: int = 64, feat_dim: int = 48, hidden: int = 150, dropout: float = 0.5,
                 word_dropout: float = 0.0, lm: dict | None = None, lm_dim: int = 128, char_lm: dict | None = None,
                 char_lm_dim: int = 128):
        super().__init__()
        width = add_word_inputs(self, vectors, n_chars, n_feats, char_dim, char_filters, feat_dim, word_dropout)
        # A pretrained BiLM (its state dict), frozen; its states enter through a projection.
        self.lm = None
        if lm is not None:
            self.lm = BiLM(vectors.shape[1], lm["fwd.weight_hh_l0"].shape[1], lm["next.weight"].shape[0])
            self.lm.load_state_dict(lm)
            self.lm.requires_grad_(False)
            self.lm_proj = nn.Linear(2 * self.lm.fwd.hidden_size, lm_dim)
            width += lm_dim
        # A pretrained character model (``charlm``; its state dict with its symbols), frozen likewise.
        self.char_lm = None
        if char_lm is not None:
            weights = {k: v for k, v in char_lm.items() if k != "chars"}
            n_chars, dim = weights["embed.weight"].shape
            self.char_lm = CharLM(n_chars, dim, weights["fwd.weight_hh_l0"].shape[1])
            self.char_lm.load_state_dict(weights)
            self.char_lm.requires_grad_(False)
            self.char_lm_proj = nn.Linear(2 * self.char_lm.fwd.hidden_size, char_lm_dim)
            width += char_lm_dim
        # Two one-way LSTMs; the backward one reads each sentence reversed within its
        # length, so padding never reaches real positions (and batches export to ONNX).
        self.fwd = nn.LSTM(width, hidden, batch_first=True)
        self.bwd = nn.LSTM(width, hidden, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(2 * hidden, n_tags)

    def forward(self, words, chars, feats, lengths, text=None, text_lengths=None, starts=None, ends=None, char_states=None):
        """Emissions [B, T, tags]; ``text`` ... ``ends`` (``charlm.pad_text``) only with a character model,
        or in training that model's ``states`` of them, computed once (it is frozen)."""
        b, t, c = chars.shape
        words = hide_words(self, words)
        ch = self.chars(chars.reshape(b * t, c)).transpose(1, 2)
        ch = torch.relu(self.conv(ch)).max(dim=2).values.reshape(b, t, -1)
        w = self.words(words)
        parts = [w, ch, self.feats(feats).sum(dim=2)]
        if self.lm is not None:
            parts.append(self.lm_proj(self.lm.states(w, lengths)))
        if self.char_lm is not None:
            if char_states is None:
                char_states = self.char_lm.states(text, text_lengths, starts, ends)
            parts.append(self.char_lm_proj(char_states))
        x = torch.cat(parts, dim=2)
        x = self.drop(x)
        h_f, _ = self.fwd(x)
        h_b, _ = self.bwd(reverse_padded(x, lengths))
        h = torch.cat([h_f, reverse_padded(h_b, lengths)], dim=2)
        return self.out(self.drop(h))


class CRF(nn.Module):
    def __init__(self, n_tags: int):
        super().__init__()
        self.trans = nn.Parameter(torch.zeros(n_tags, n_tags))  # [from, to]
        self.start = nn.Parameter(torch.zeros(n_tags))
        self.end = nn.Parameter(torch.zeros(n_tags))

    def nll(self, emissions, tags, mask):
        """Mean negative log-likelihood of the gold paths; mask [B, T] bool, first column true."""
        b, t, _ = emissions.shape
        ar = torch.arange(b)
        gold = self.start[tags[:, 0]] + emissions[ar, 0, tags[:, 0]]
        alpha = self.start + emissions[:, 0]
        last = tags[:, 0]
        for i in range(1, t):
            m = mask[:, i]
            gold = gold + torch.where(m, self.trans[tags[:, i - 1], tags[:, i]] + emissions[ar, i, tags[:, i]], 0.0)
            last = torch.where(m, tags[:, i], last)
            nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans + emissions[:, i].unsqueeze(1), dim=1)
            alpha = torch.where(m.unsqueeze(1), nxt, alpha)
        gold = gold + self.end[last]
        return (torch.logsumexp(alpha + self.end, dim=1) - gold).mean()


class FastEmitter(nn.Module):
    """A student built for speed: what depends on a word alone (its vector, characters and own
    features) is one ``width``-wide vector that the runtime computes once per word form; the
    context is read by dilated convolutions over those vectors plus the phrase features.

    Padding never reaches a real position (characters are max-pooled under a mask, and each
    convolution's output is zeroed outside the words), so a sentence gets the same emissions
    in any batch, or packed in one row with others.
    """

    def __init__(self, vectors: torch.Tensor, n_chars: int, n_feats: int, n_phrases: int, n_tags: int, char_dim: int = 32,
                 char_filters: int = 64, feat_dim: int = 48, width: int = 128, dilations: tuple[int, ...] = (1, 2, 4, 1),
                 dropout: float = 0.2, word_dropout: float = 0.1):
        super().__init__()
        inputs = add_word_inputs(self, vectors, n_chars, n_feats, char_dim, char_filters, feat_dim, word_dropout)
        self.type_proj = nn.Linear(inputs, width)
        self.phrases = nn.Embedding(n_phrases, width, padding_idx=0)
        self.dilations = tuple(dilations)
        self.context = nn.ModuleList(nn.Conv1d(width, width, kernel_size=3, padding=d, dilation=d) for d in dilations)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(width, n_tags)

    def types(self, words, chars, feats, unrolled: bool = False):
        """[N, width] from one word form per row: word ids [N], character ids [N, C], own features [N, F].

        ``unrolled`` computes the character convolution as one matrix product over each
        character's window (the same function): onnxruntime runs a convolution one word at a
        time, and the product over all of them at once ran about twice as fast (``runtime_types``).
        """
        x = self.chars(chars)  # [N, C, char_dim]
        if unrolled:
            k, pad = self.conv.kernel_size[0], self.conv.padding[0]
            padded = nn.functional.pad(x, (0, 0, pad, pad))
            windows = torch.cat([padded[:, i : i + x.shape[1]] for i in range(k)], dim=2)  # [N, C, k * char_dim]
            weight = self.conv.weight.permute(2, 1, 0).reshape(-1, self.conv.out_channels)
            ch = (windows @ weight + self.conv.bias).masked_fill((chars == 0).unsqueeze(2), -1e4).max(dim=1).values
        else:
            ch = self.conv(x.transpose(1, 2)).masked_fill((chars == 0).unsqueeze(1), -1e4).max(dim=2).values
        parts = [self.words(words), ch.clamp(min=0.0), self.feats(feats).sum(dim=1)]
        return torch.tanh(self.type_proj(torch.cat(parts, dim=1)))

    def runtime_types(self, words, chars, feats):
        """``types`` as the runtime graph computes it."""
        return self.types(words, chars, feats, unrolled=True)

    def emissions(self, reps, phrases, mask):
        """[B, T, tags] from the word vectors [B, T, width], phrase features [B, T, P] and a mask [B, T],
        1.0 at words and 0.0 elsewhere. Words are read through ``max(dilations)`` zeros around them,
        so a row may hold several sentences apart by that many masked positions."""
        mask = mask.unsqueeze(1)
        x = (reps + self.phrases(phrases).sum(dim=2)).transpose(1, 2) * mask
        for conv in self.context:
            x = x + torch.relu(conv(self.drop(x))) * mask
        return self.out(self.drop(x.transpose(1, 2)))

    def forward(self, words, chars, feats, phrases, lengths):
        b, t, c = chars.shape
        words = hide_words(self, words)
        reps = self.types(words.reshape(b * t), chars.reshape(b * t, c), feats.reshape(b * t, -1)).reshape(b, t, -1)
        mask = (torch.arange(t).unsqueeze(0) < lengths.unsqueeze(1)).to(reps.dtype)
        return self.emissions(reps, phrases, mask)


class Method(nn.Module):
    """One method of a module as a module of its own, to export that part alone."""

    def __init__(self, owner: nn.Module, name: str):
        super().__init__()
        self.owner = owner
        self.name = name

    def forward(self, *args):
        return getattr(self.owner, self.name)(*args)
