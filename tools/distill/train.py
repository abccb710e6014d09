"""Distil a Bergamot tiny11 teacher (SSRU decoder) into a student that CTranslate2 can run.

CTranslate2 has no SSRU, so each decoder layer's SSRU sublayer becomes causal self-attention.
The encoder and the (tied) embeddings stay the teacher's, frozen. The student's decoder is
trained so that its states after every decoder sublayer match the teacher's (mean squared
error) and, with --logit-weight, so that its next-token choice among the teacher's --top-k
candidates matches the teacher's distribution over them (KL divergence; the full 32k-way
softmax would cost more than the rest of the step), teacher-forced on the teacher's own
translations: the new self-attention sublayers
always, the rest of the decoder (cross-attention, feed-forward, layer norms) too unless
--freeze-rest. Encoder outputs and teacher states are computed once per batch and kept in
memory (float16), so epochs after the first cost only the student's forward and backward pass.

The first --dev pairs are a development set (token agreement with the teacher, printed each
epoch). A checkpoint is written every --checkpoint-minutes and at the end, as a Marian-style
.npz that the stock `ct2-marian-converter` accepts.

usage: python train.py --model MODEL.bin --spm VOCAB.spm --src SRC --tgt TEACHER_OUT --out student.npz
"""

from __future__ import annotations

import argparse
import math
import random
import struct
import time
import zipfile
from pathlib import Path

import numpy as np
import sentencepiece
import torch
import torch.nn.functional as F
import yaml
from marian import read_model, sinusoid_positions

DIM, HEADS = 256, 8
ATTENTION = ("Wq", "bq", "Wk", "bk", "Wv", "bv", "Wo", "bo")


def layer_norm(x, scale, bias):
    return F.layer_norm(x, (DIM,), scale.reshape(-1), bias.reshape(-1), 1e-6)


def attention(query_in, memory, weights, prefix, mask):
    batch, q_len, _ = query_in.shape
    k_len = memory.shape[1]
    w = [weights[f"{prefix}_{name}"] for name in ATTENTION]

    def heads(x, matrix, bias, length):
        return (x @ matrix + bias.reshape(-1)).view(batch, length, HEADS, DIM // HEADS).transpose(1, 2)

    q, k, v = heads(query_in, w[0], w[1], q_len), heads(memory, w[2], w[3], k_len), heads(memory, w[4], w[5], k_len)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    return out.transpose(1, 2).reshape(batch, q_len, DIM) @ w[6] + w[7].reshape(-1)


def feed_forward(x, weights, prefix):
    hidden = F.relu(x @ weights[f"{prefix}_W1"] + weights[f"{prefix}_b1"].reshape(-1))
    return hidden @ weights[f"{prefix}_W2"] + weights[f"{prefix}_b2"].reshape(-1)


class Distiller:
    def __init__(self, model_path: Path, freeze_rest: bool):
        weights, self.config = read_model(model_path)
        self.numpy_weights = weights
        self.T = {k: torch.tensor(v) for k, v in weights.items()}
        self.positions = torch.tensor(sinusoid_positions(1024, DIM))
        self.layers = int(self.config.get("dec-depth", 2))
        self.S = torch.nn.ParameterDict()
        generator = torch.Generator().manual_seed(0)
        for layer in range(1, self.layers + 1):
            p = f"decoder_l{layer}"
            for name in [f"_context_{n}" for n in ATTENTION] + [
                    "_context_Wo_ln_scale", "_context_Wo_ln_bias", "_ffn_W1", "_ffn_b1", "_ffn_W2", "_ffn_b2",
                    "_ffn_ffn_ln_scale", "_ffn_ffn_ln_bias"]:
                self.S[p + name] = torch.nn.Parameter(self.T[p + name].clone(), requires_grad=not freeze_rest)
            # The new self-attention starts as "average the prefix through the SSRU's input matrix".
            self.S[p + "_self_Wq"] = torch.nn.Parameter(torch.randn(DIM, DIM, generator=generator) * 0.02)
            self.S[p + "_self_Wk"] = torch.nn.Parameter(torch.randn(DIM, DIM, generator=generator) * 0.02)
            self.S[p + "_self_Wv"] = torch.nn.Parameter(self.T[p + "_rnn_W"].clone())
            self.S[p + "_self_Wo"] = torch.nn.Parameter(torch.eye(DIM))
            for bias in ("bq", "bk", "bv", "bo"):
                self.S[f"{p}_self_{bias}"] = torch.nn.Parameter(torch.zeros(1, DIM))
            self.S[p + "_self_Wo_ln_scale"] = torch.nn.Parameter(self.T[p + "_rnn_ffn_ln_scale"].clone())
            self.S[p + "_self_Wo_ln_bias"] = torch.nn.Parameter(self.T[p + "_rnn_ffn_ln_bias"].clone())
        self.S["decoder_ff_logit_out_b"] = torch.nn.Parameter(self.T["decoder_ff_logit_out_b"].clone(),
                                                              requires_grad=not freeze_rest)

    def resume(self, checkpoint: Path) -> None:
        """Start from an earlier student instead of from the teacher: an .npz this script wrote, or a
        packaged .argosmodel (its int8 CTranslate2 weights, dequantised)."""
        packaged = checkpoint.suffix == ".argosmodel"
        saved = student_from_package(checkpoint, self.layers) if packaged else np.load(checkpoint)
        with torch.no_grad():
            for name, parameter in self.S.items():
                parameter.copy_(torch.tensor(saved[name]).reshape(parameter.shape))

    def trainable(self):
        return [p for p in self.S.values() if p.requires_grad]

    def embed_target(self, target_in):
        x = self.T["Wemb"][target_in] * math.sqrt(DIM)
        x[:, 0] = 0.0  # Marian and CTranslate2 start decoding from a zero embedding
        return x + self.positions[: target_in.shape[1]]

    @torch.no_grad()
    def encode(self, source, source_mask):
        T = self.T
        x = T["Wemb"][source] * math.sqrt(DIM) + self.positions[: source.shape[1]]
        mask = source_mask[:, None, None, :]
        for layer in range(1, int(self.config.get("enc-depth", 6)) + 1):
            p = f"encoder_l{layer}"
            x = layer_norm(x + attention(x, x, T, p + "_self", mask), T[p + "_self_Wo_ln_scale"],
                           T[p + "_self_Wo_ln_bias"])
            x = layer_norm(x + feed_forward(x, T, p + "_ffn"), T[p + "_ffn_ffn_ln_scale"], T[p + "_ffn_ffn_ln_bias"])
        return x

    def _rest_of_layer(self, x, encoded, mask, weights, p):
        x = layer_norm(x + attention(x, encoded, weights, p + "_context", mask), weights[p + "_context_Wo_ln_scale"],
                       weights[p + "_context_Wo_ln_bias"])
        return layer_norm(x + feed_forward(x, weights, p + "_ffn"), weights[p + "_ffn_ffn_ln_scale"],
                          weights[p + "_ffn_ffn_ln_bias"])

    @torch.no_grad()
    def teacher_states(self, encoded, source_mask, target_in):
        T = self.T
        x = self.embed_target(target_in)
        batch, length, _ = x.shape
        mask = source_mask[:, None, None, :]
        states = []
        for layer in range(1, self.layers + 1):
            p = f"decoder_l{layer}"
            forget = torch.sigmoid(x @ T[p + "_rnn_Wf"] + T[p + "_rnn_bf"].reshape(-1))
            projected = x @ T[p + "_rnn_W"]
            cell, outputs = torch.zeros(batch, DIM), []
            for t in range(length):
                cell = forget[:, t] * cell + (1 - forget[:, t]) * projected[:, t]
                outputs.append(torch.relu(cell))
            x = layer_norm(x + torch.stack(outputs, 1), T[p + "_rnn_ffn_ln_scale"], T[p + "_rnn_ffn_ln_bias"])
            states.append(x)
            x = self._rest_of_layer(x, encoded, mask, T, p)
            states.append(x)
        return states

    def student_states(self, encoded, source_mask, target_in):
        S = self.S
        x = self.embed_target(target_in)
        length = x.shape[1]
        causal = torch.ones(length, length, dtype=torch.bool).tril()[None, None]
        mask = source_mask[:, None, None, :]
        states = []
        for layer in range(1, self.layers + 1):
            p = f"decoder_l{layer}"
            x = layer_norm(x + attention(x, x, S, p + "_self", causal), S[p + "_self_Wo_ln_scale"],
                           S[p + "_self_Wo_ln_bias"])
            states.append(x)
            x = self._rest_of_layer(x, encoded, mask, S, p)
            states.append(x)
        return states

    def logits(self, state):
        return state @ self.T["Wemb"].T + self.S["decoder_ff_logit_out_b"].reshape(-1)

    @torch.no_grad()
    def teacher_logits(self, state):
        return state @ self.T["Wemb"].T + self.T["decoder_ff_logit_out_b"].reshape(-1)

    def candidate_kl(self, state, top_ids, top_logp, keep):
        """KL(teacher || student) over the teacher's top-k next tokens, each renormalised over them."""
        ids = top_ids.long()
        bias = self.S["decoder_ff_logit_out_b"].reshape(-1)[ids]
        student = torch.einsum("btd,btkd->btk", state, self.T["Wemb"][ids]) + bias
        teacher = top_logp.float().log_softmax(-1)
        kl = (teacher.exp() * (teacher - student.log_softmax(-1))).sum(-1)
        return (kl * keep).sum() / keep.sum()

    def export(self, path: Path) -> None:
        """A Marian-style .npz with a self-attention decoder, for ct2-marian-converter."""
        out = {k: v for k, v in self.numpy_weights.items()
               if not (k.startswith("decoder_l") and any(s in k for s in ("_rnn_", "_context_", "_ffn_")))}
        out.update({k: v.detach().numpy().astype(np.float32) for k, v in self.S.items()})
        out["Wpos"] = sinusoid_positions(2048, DIM)
        config = dict(self.config, **{"transformer-decoder-autoreg": "self-attention"})
        out["special:model.yml"] = np.frombuffer(yaml.safe_dump(config).encode() + b"\0", dtype=np.int8)
        tmp = path.with_name(path.stem + ".partial.npz")
        np.savez(tmp, **out)
        tmp.replace(path)


def read_ctranslate2(data: bytes) -> dict[str, np.ndarray]:
    """The variables of a CTranslate2 model.bin (binary format 6), int8 matrices dequantised."""
    dtypes = (np.float32, np.int8, np.int16, np.int32, np.float16)
    offset = 0

    def unpack(fmt: str):
        nonlocal offset
        value = struct.unpack_from(fmt, data, offset)[0]
        offset += struct.calcsize(fmt)
        return value

    def string() -> str:
        nonlocal offset
        length = unpack("H")
        offset += length
        return data[offset - length: offset - 1].decode()

    unpack("I"), string(), unpack("I")  # binary version, spec name, revision
    variables = {}
    for _ in range(unpack("I")):
        name = string()
        shape = [unpack("I") for _ in range(unpack("B"))]
        dtype, size = dtypes[unpack("B")], unpack("I")
        variables[name] = np.frombuffer(data, dtype, size // np.dtype(dtype).itemsize, offset).reshape(shape)
        offset += size
    for name in [n for n in variables if n + "_scale" in variables]:
        variables[name] = variables[name].astype(np.float32) / variables.pop(name + "_scale")[:, None]
    return variables


def student_from_package(package: Path, layers: int) -> dict[str, np.ndarray]:
    """A packaged student's decoder weights under this script's (Marian) names."""
    with zipfile.ZipFile(package) as archive:
        ct2 = read_ctranslate2(archive.read(next(n for n in archive.namelist() if n.endswith("model/model.bin"))))
    weights = {"decoder_ff_logit_out_b": ct2["decoder/projection/bias"]}
    for layer in range(layers):
        c, p = f"decoder/layer_{layer}/", f"decoder_l{layer + 1}"
        self_qkv, self_b = ct2[c + "self_attention/linear_0/weight"], ct2[c + "self_attention/linear_0/bias"]
        context_kv, context_b = ct2[c + "attention/linear_1/weight"], ct2[c + "attention/linear_1/bias"]
        linears = {
            "_self_q": (self_qkv[:DIM], self_b[:DIM]), "_self_k": (self_qkv[DIM:2 * DIM], self_b[DIM:2 * DIM]),
            "_self_v": (self_qkv[2 * DIM:], self_b[2 * DIM:]),
            "_self_o": (ct2[c + "self_attention/linear_1/weight"], ct2[c + "self_attention/linear_1/bias"]),
            "_context_q": (ct2[c + "attention/linear_0/weight"], ct2[c + "attention/linear_0/bias"]),
            "_context_k": (context_kv[:DIM], context_b[:DIM]), "_context_v": (context_kv[DIM:], context_b[DIM:]),
            "_context_o": (ct2[c + "attention/linear_2/weight"], ct2[c + "attention/linear_2/bias"]),
            "_ffn_1": (ct2[c + "ffn/linear_0/weight"], ct2[c + "ffn/linear_0/bias"]),
            "_ffn_2": (ct2[c + "ffn/linear_1/weight"], ct2[c + "ffn/linear_1/bias"]),
        }
        for name, (matrix, bias) in linears.items():
            stem, which = name.rsplit("_", 1)
            weights[f"{p}{stem}_W{which}"] = matrix.T  # CTranslate2 stores [out, in], Marian [in, out]
            weights[f"{p}{stem}_b{which}"] = bias
        for ct2_name, marian in (("self_attention", "_self_Wo"), ("attention", "_context_Wo"), ("ffn", "_ffn_ffn")):
            weights[f"{p}{marian}_ln_scale"] = ct2[f"{c}{ct2_name}/layer_norm/gamma"]
            weights[f"{p}{marian}_ln_bias"] = ct2[f"{c}{ct2_name}/layer_norm/beta"]
    return weights


def load_pairs(src: Path, tgt: Path, spm: sentencepiece.SentencePieceProcessor):
    eos = spm.piece_to_id("</s>")
    pairs = []
    sources = src.read_text(encoding="utf-8").splitlines()
    targets = tgt.read_text(encoding="utf-8").splitlines()
    for s, t in zip(sources, targets, strict=True):
        s_ids, t_ids = spm.encode(s) + [eos], spm.encode(t) + [eos]
        if 2 <= len(s_ids) <= 128 and 2 <= len(t_ids) <= 160:
            pairs.append((s_ids, t_ids))
    return pairs


def make_batches(pairs, max_tokens: int):
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][1]), len(pairs[i][0])))
    batches, current, longest = [], [], 0
    for i in order:
        grown = max(longest, len(pairs[i][0]), len(pairs[i][1]))
        if current and grown * (len(current) + 1) > max_tokens:
            batches.append(current)
            current, grown = [], max(len(pairs[i][0]), len(pairs[i][1]))
        current.append(i)
        longest = grown
    if current:
        batches.append(current)
    return batches


def collate(pairs, batch):
    s_len = max(len(pairs[i][0]) for i in batch)
    t_len = max(len(pairs[i][1]) for i in batch)
    source = torch.zeros(len(batch), s_len, dtype=torch.long)
    source_mask = torch.zeros(len(batch), s_len, dtype=torch.bool)
    target_in = torch.zeros(len(batch), t_len, dtype=torch.long)
    target_out = torch.full((len(batch), t_len), -100, dtype=torch.long)
    for row, i in enumerate(batch):
        s, t = pairs[i]
        source[row, :len(s)] = torch.tensor(s)
        source_mask[row, :len(s)] = True
        target_out[row, :len(t)] = torch.tensor(t)
        target_in[row, 1:len(t)] = torch.tensor(t[:-1])
    return source_mask, target_in, target_out, source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--spm", type=Path, required=True)
    parser.add_argument("--src", type=Path, required=True)
    parser.add_argument("--tgt", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--minutes", type=float, default=60, help="training time (plus loading and evaluation)")
    parser.add_argument("--checkpoint-minutes", type=float, default=10)
    parser.add_argument("--max-tokens", type=int, default=3000, help="padded tokens per batch")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dev", type=int, default=300)
    parser.add_argument("--freeze-rest", action="store_true", help="train only the new self-attention sublayers")
    parser.add_argument("--resume", type=Path, help="continue from an earlier student (.npz or .argosmodel)")
    parser.add_argument("--logit-weight", type=float, default=0.0,
                        help="weight of the KL term on the teacher's top-k next-token candidates (0: states only)")
    parser.add_argument("--top-k", type=int, default=16)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    random.seed(0)
    torch.manual_seed(0)

    spm = sentencepiece.SentencePieceProcessor(model_file=str(args.spm))
    distiller = Distiller(args.model, args.freeze_rest)
    if args.resume:
        distiller.resume(args.resume)
    pairs = load_pairs(args.src, args.tgt, spm)
    dev, train = pairs[: args.dev], pairs[args.dev:]
    batches = make_batches(train, args.max_tokens)
    print(f"{len(train)} training pairs in {len(batches)} batches, {len(dev)} dev pairs; "
          f"{sum(p.numel() for p in distiller.trainable())} trainable parameters", flush=True)
    cache: dict[int, tuple] = {}

    def prepared(index: int):
        if index not in cache:
            source_mask, target_in, target_out, source = collate(train, batches[index])
            encoded = distiller.encode(source, source_mask)
            states = distiller.teacher_states(encoded, source_mask, target_in)
            candidates = distiller.teacher_logits(states[-1]).log_softmax(-1).topk(args.top_k, dim=-1)
            cache[index] = (source_mask, target_in, target_out, encoded.half(), [s.half() for s in states],
                            candidates.indices.int(), candidates.values.half())
        return cache[index]

    @torch.no_grad()
    def dev_agreement() -> float:
        agree = total = 0
        for batch in make_batches(dev, args.max_tokens):
            source_mask, target_in, target_out, source = collate(dev, batch)
            encoded = distiller.encode(source, source_mask)
            predicted = distiller.logits(distiller.student_states(encoded, source_mask, target_in)[-1]).argmax(-1)
            keep = target_out != -100
            agree += (predicted[keep] == target_out[keep]).sum().item()
            total += keep.sum().item()
        return agree / total

    print(f"dev token agreement before: {dev_agreement():.4f}", flush=True)
    optimizer = torch.optim.Adam(distiller.trainable(), lr=args.lr, betas=(0.9, 0.98))
    start = last_checkpoint = time.time()
    step, epoch, finished = 0, 0, False
    while not finished:
        epoch += 1
        order = list(range(len(batches)))
        random.shuffle(order)
        for index in order:
            source_mask, target_in, target_out, encoded, teacher, top_ids, top_logp = prepared(index)
            elapsed = (time.time() - start) / (args.minutes * 60)
            lr = args.lr * min(1.0, (step + 1) / 200) * max(0.02, 0.5 * (1 + math.cos(math.pi * min(elapsed, 1))))
            for group in optimizer.param_groups:
                group["lr"] = lr
            student = distiller.student_states(encoded.float(), source_mask, target_in)
            keep = (target_out != -100).float()[..., None]
            loss = sum((((s - t.float()) ** 2) * keep).sum() for s, t in zip(student, teacher, strict=True))
            loss = loss / (keep.sum() * DIM)
            if args.logit_weight:
                loss = loss + args.logit_weight * distiller.candidate_kl(student[-1], top_ids, top_logp, keep[..., 0])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(distiller.trainable(), 1.0)
            optimizer.step()
            step += 1
            if step % 100 == 0:
                print(f"epoch {epoch} step {step} loss {loss.item():.4f} lr {lr:.2e} "
                      f"{time.time() - start:.0f}s", flush=True)
            if time.time() - last_checkpoint > args.checkpoint_minutes * 60:
                distiller.export(args.out)
                last_checkpoint = time.time()
                print(f"checkpoint {args.out} at {(time.time() - start) / 60:.1f} min", flush=True)
            if elapsed >= 1:
                finished = True
                break
        print(f"epoch {epoch} done at {(time.time() - start) / 60:.1f} min: dev token agreement "
              f"{dev_agreement():.4f}", flush=True)
    distiller.export(args.out)
    print(f"saved {args.out} after {(time.time() - start) / 60:.1f} min, {step} steps, {epoch} epochs", flush=True)


if __name__ == "__main__":
    main()
